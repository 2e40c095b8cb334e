import Foundation
import XCTest
@testable import PilarCore

/// The catalogue tables against CATALOG.md: the migration seeds the database from them.
final class DomainCatalogTests: XCTestCase {
    /// docs/CATALOG.md of this repository.
    private func catalogText() -> String? {
        let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("../../docs/CATALOG.md").standardized
        return try? String(contentsOf: url, encoding: .utf8)
    }

    /// The cells of the markdown table rows whose first cell is a `CODE`.
    private func tableRows(_ text: String) -> [[String]] {
        text.split(separator: "\n").compactMap { line -> [String]? in
            guard line.hasPrefix("| `") else { return nil }
            return line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    func testPSKSTypesMatchTheCatalogueDocument() throws {
        let text = try XCTUnwrap(catalogText(), "docs/CATALOG.md is part of the repository")
        let rows = tableRows(text).filter { $0.count == 4 && $0[2] != "" && PSKSKind(rawValue: $0[2]) != nil }
        XCTAssertEqual(rows.count, 12)
        XCTAssertEqual(PSKSType.all.count, rows.count)
        for (type, row) in zip(PSKSType.all, rows) {
            XCTAssertEqual("`\(type.code)`", row[0])
            XCTAssertEqual(type.name, row[1])
            XCTAssertEqual(type.kind.rawValue, row[2])
            let checks = row[3].components(separatedBy: "(check").count - 1
            XCTAssertEqual(type.criteria.filter(\.checked).count, checks, "\(type.code): checked criteria")
        }
    }

    func testPMKSCategoriesMatchTheCatalogueDocument() throws {
        let text = try XCTUnwrap(catalogText(), "docs/CATALOG.md is part of the repository")
        let rows = tableRows(text).filter { $0.count == 4 && PMKSUnit(rawValue: String($0[3].prefix { $0 != " " })) != nil }
        XCTAssertEqual(rows.count, 26)
        for (category, row) in zip(PMKSCategory.all.prefix(26), rows) {
            XCTAssertEqual("`\(category.code)`", row[0])
            XCTAssertEqual(category.name, row[1])
            XCTAssertEqual(category.group, row[2])
            XCTAssertTrue(row[3].hasPrefix(category.unit.rawValue), category.code)
            XCTAssertEqual(category.womenOnly, row[3].contains("women only"), category.code)
            XCTAssertTrue(category.active)
        }
        // "`AN` -> `ABH`" pairs of the retired list.
        let pattern = try NSRegularExpression(pattern: "`([A-Z]+)` -> `([A-Z]+)`")
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        let pairs = matches.map { m in (String(text[Range(m.range(at: 1), in: text)!]), String(text[Range(m.range(at: 2), in: text)!])) }
        XCTAssertEqual(pairs.count, 14)
        let retired = PMKSCategory.all.filter { !$0.active }
        XCTAssertEqual(retired.map(\.code), pairs.map(\.0))
        XCTAssertEqual(retired.map { $0.replacedBy ?? "" }, pairs.map(\.1))
    }

    func testPSKSTable() {
        XCTAssertEqual(PSKSType.all.map(\.code),
                       ["PEKSOS", "PSM", "TAGANA", "LKS", "KARTAR", "LK3", "KELPIONER", "WKSBM", "WPKS", "PENYULUH", "TKSK",
                        "DUNIAUSAHA"])
        XCTAssertEqual(PSKSType.named("tagana")?.name, "Taruna Siaga Bencana")
        XCTAssertEqual(PSKSType.named(" Penyuluh ")?.subtypes, ["fungsional", "masyarakat"])
        XCTAssertNil(PSKSType.named("TAGANA2"))
        XCTAssertEqual(PSKSType.named("PEKSOS")?.fields, ["certificate_number"])
        XCTAssertEqual(PSKSType.named("PSM")?.fields, ["training_completed_on"])
        XCTAssertEqual(PSKSType.named("PENYULUH")?.fields,
                       ["subtype", "rank", "extension_experience_years", "training_completed_on"])
        XCTAssertEqual(PSKSType.named("TKSK")?.fields, ["sk_number"])
        XCTAssertEqual(PSKSType.named("LKS")?.allFields.contains("legal_entity"), true)
        XCTAssertEqual(PSKSType.named("TAGANA")?.allFields.contains("birth_date"), true)
        for type in PSKSType.all {
            let codes = type.criteria.map(\.code)
            XCTAssertEqual(Set(codes).count, codes.count, "\(type.code): duplicate criterion code")
            XCTAssertFalse(type.criteria.isEmpty, type.code)
            for criterion in type.criteria where criterion.subtype != nil {
                XCTAssertTrue(type.subtypes.contains(criterion.subtype!), "\(type.code).\(criterion.code)")
            }
        }
    }

    func testPMKSTable() {
        XCTAssertEqual(PMKSCategory.all.count, 26 + 2 + 14)
        XCTAssertEqual(PMKSCategory.allActive.count, 28)
        XCTAssertEqual(Set(PMKSCategory.all.map(\.code)).count, PMKSCategory.all.count)
        let cases: [(String, String, PMKSUnit, Bool, String?)] = [
            ("abt", "ABT", .person, true, nil),
            ("FM", "FM", .household, true, nil),
            ("KAT", "KAT", .community, true, nil),
            ("kbtlh", "KBTLH", .household, true, nil),
            ("KR", "KR", .household, true, nil),
            ("an", "AN", .person, false, "ABH"),
            ("KFM", "KFM", .household, false, "FM"),
        ]
        for (query, code, unit, active, replacement) in cases {
            let category = PMKSCategory.named(query)
            XCTAssertEqual(category?.code, code, query)
            XCTAssertEqual(category?.unit, unit, query)
            XCTAssertEqual(category?.active, active, query)
            XCTAssertEqual(category?.replacedBy, replacement, query)
        }
        XCTAssertNil(PMKSCategory.named("XYZ"))
        XCTAssertEqual(PMKSCategory.named("AN")?.name, "Anak Nakal")
        XCTAssertEqual(PMKSCategory.named("PRSE")?.womenOnly, true)
        XCTAssertEqual(PMKSCategory.named("AT")?.womenOnly, false)
        // Every replacement is an active category of the same unit.
        for category in PMKSCategory.all where !category.active {
            let successor = PMKSCategory.named(category.replacedBy ?? "")
            XCTAssertEqual(successor?.active, true, category.code)
            XCTAssertEqual(successor?.unit, category.unit, category.code)
        }
    }
}
