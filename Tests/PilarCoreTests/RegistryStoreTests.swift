import Foundation
import XCTest
@testable import PilarCore

/// The catalogue table, search with keyset pagination and its query plans, the demo seed,
/// and import/export on a real database file.
final class RegistryStoreTests: XCTestCase {
    typealias F = RegistryFixtures

    func testCatalogueTableAgreesWithPSKSTypeAll() throws {
        let t = try F.pilar()
        let items = try t.pilar.registry.catalog()
        XCTAssertEqual(items.count, PSKSType.all.count)
        for (item, type) in zip(items, PSKSType.all) {
            XCTAssertEqual(item["code"], .string(type.code))
            XCTAssertEqual(item["name"], .string(type.name))
            XCTAssertEqual(item["kind"], .string(type.kind.rawValue))
            XCTAssertEqual(item["active"], .bool(true))
            XCTAssertEqual(item["fields"], .array(PSKSFields.fields(of: type.code).map { .string($0) }), type.code)
            XCTAssertEqual(item["subtypes"], .array(type.subtypes.map { .string($0) }), type.code)
            let criteria = item["criteria"]?.arrayValue ?? []
            XCTAssertEqual(criteria.count, type.criteria.count, type.code)
            for (c, want) in zip(criteria, type.criteria) {
                XCTAssertEqual(c["code"], .string(want.code))
                XCTAssertEqual(c["text"], .string(want.text))
                XCTAssertEqual(c["checked"], .bool(want.checked))
                XCTAssertEqual(c["subtype"], want.subtype.map { .string($0) })
            }
        }
    }

    /// An import's lookup of a person by NIK inside the caller's region reads the NIK's
    /// records, not the region's: planned on the region range it read a whole province
    /// (17 s at 1,000,000 records).
    func testPersonLookupInScopeGoesByNIK() throws {
        let t = try F.pilar()
        let plan = try t.pilar.db.read { c in
            try c.explainQueryPlan(RegistryRules.personInScopeSQL, ["3274010101900001", "PSM", "32.74", "32.74/"])
        }
        XCTAssertTrue(plan.contains { $0.contains("USING INDEX psks_by_nik (nik=?") }, plan.joined(separator: "; "))
    }

    func testDemoMatchesCatalogCountsAndIsIdempotent() throws {
        let t = try F.pilar(demoRecords: true)
        try Demo.seed(t.pilar)  // twice changes nothing
        let counts = try t.pilar.db.read { c in
            try c.query("SELECT type, count(*) AS n FROM psks GROUP BY type").reduce(into: [String: Int]()) {
                $0[$1.string("type")] = $1.int("n")
            }
        }
        XCTAssertEqual(counts, ["PEKSOS": 3, "PSM": 100, "TAGANA": 74, "LKS": 27, "PENYULUH": 2, "TKSK": 5])
        let perKecamatan = try t.pilar.db.read { c in
            try c.query("SELECT kecamatan, count(*) AS n FROM psks WHERE type = 'PSM' GROUP BY kecamatan").map { $0.int("n") }
        }
        XCTAssertEqual(perKecamatan, [20, 20, 20, 20, 20])
        let tksk = try t.pilar.db.read { c in try c.query("SELECT DISTINCT kecamatan FROM psks WHERE type = 'TKSK'").count }
        XCTAssertEqual(tksk, 5)
    }

    func testKeysetPaginationVisitsEveryRecordOnce() throws {
        let t = try F.pilar(demoRecords: true)
        var q = PSKSQuery()
        q.limit = 7
        var seen: [Int64] = []
        var pages = 0
        repeat {
            let (items, next) = try t.pilar.registry.search(q, by: .cli)
            seen += items.compactMap { $0["id"]?.intValue }
            q.cursor = next
            pages += 1
        } while q.cursor != nil && pages < 100
        XCTAssertEqual(seen.count, 211)
        XCTAssertEqual(Set(seen).count, 211)
        // A cursor from a name search does not fit a region search.
        var named = PSKSQuery()
        named.q = "siti"
        named.limit = 1
        let cursor = try t.pilar.registry.search(named, by: .cli).nextCursor
        var wrong = PSKSQuery()
        wrong.cursor = cursor
        XCTAssertThrowsError(try t.pilar.registry.search(wrong, by: .cli))
    }

    func testFilters() throws {
        let t = try F.pilar(demoRecords: true)
        func count(_ build: (inout PSKSQuery) -> Void) throws -> Int {
            var q = PSKSQuery()
            q.limit = 500
            build(&q)
            return try t.pilar.registry.search(q, by: .cli).items.count
        }
        XCTAssertEqual(try count { $0.type = "psm" }, 100)
        XCTAssertEqual(try count { $0.type = "PSM"; $0.region = RegionCode("32.74.03") }, 20)
        XCTAssertEqual(try count { $0.region = RegionCode("32.74.01.1001") } > 0, true)
        XCTAssertEqual(try count { $0.status = .inactive }, 0)
        XCTAssertEqual(try count { $0.education = .S2 }, 1)  // one Penyuluh
        // Accent- and case-insensitive name prefix.
        let a = try t.pilar.registry.create(F.with(F.valid("TAGANA", serial: 77), ["name": "Siti Nurhalizá", "region": "32.74.02.1001",
            "nik": .string(F.nik("327402", born: "2000-01-01", female: false, serial: 77))]), by: .cli)
        var q = PSKSQuery()
        q.q = "SITI NURHALIZA"
        let found = try t.pilar.registry.search(q, by: .cli).items
        XCTAssertEqual(found.compactMap { $0["id"]?.intValue }, [a.record.id])
        // A tksk sees only its kecamatan; asking for another is 403.
        let tksk = Caller(tokenID: nil, name: "t", role: .tksk, region: RegionCode("32.74.01"))
        let mine = try t.pilar.registry.search(PSKSQuery(), by: tksk).items
        XCTAssertTrue(mine.allSatisfy { $0["region"]?.stringValue?.hasPrefix("32.74.01") ?? false })
        XCTAssertTrue(mine.allSatisfy { $0["masked"] == .bool(true) })
        var other = PSKSQuery()
        other.region = RegionCode("32.74.02")
        XCTAssertThrowsError(try t.pilar.registry.search(other, by: tksk))
    }

    /// Every filter is served by an index that also gives the order: no full scan, no sort.
    func testQueryPlansUseAnIndexAndNeverSort() throws {
        let t = try F.pilar()
        let kab = Caller(tokenID: nil, name: "k", role: .kabkota, region: RegionCode("32.74"))
        let queries: [(String, (inout PSKSQuery) -> Void)] = [
            ("psks_by_region", { _ in }),
            ("psks_by_type", { $0.type = "PSM" }),
            ("psks_by_type", { $0.type = "PSM"; $0.status = .active; $0.region = RegionCode("32.74.01") }),
            ("psks_by_status", { $0.status = .inactive }),
            ("psks_by_education", { $0.education = .SLTA }),
            ("psks_by_name", { $0.q = "siti" }),
            ("psks_by_name", { $0.q = "siti"; $0.type = "PSM"; $0.cursor = Cursor.encode(["n", "siti a", 5]) }),
            ("psks_by_region", { $0.cursor = Cursor.encode(["r", "32.74.01", 5]) }),
        ]
        for (index, build) in queries {
            var q = PSKSQuery()
            build(&q)
            let (sql, plan) = try t.pilar.registry.searchPlan(q, by: kab)
            let text = plan.joined(separator: " | ")
            XCTAssertTrue(text.contains("USING INDEX \(index)") || text.contains("USING COVERING INDEX \(index)"), "\(sql): \(text)")
            XCTAssertFalse(text.contains("TEMP B-TREE"), "\(sql): \(text)")
            XCTAssertFalse(text.hasPrefix("SCAN psks") && !text.contains("INDEX"), "\(sql): \(text)")
            print("PLAN \(sql)\n  -> \(text)")
        }
    }
}
