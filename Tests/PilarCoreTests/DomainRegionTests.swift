import Foundation
import XCTest
@testable import PilarCore

final class DomainRegionTests: XCTestCase {
    func testParsingAcceptsDottedAndUndottedForms() {
        let valid: [(String, String, Int)] = [
            ("32", "32", 1), ("32.74", "32.74", 2), ("32.74.01", "32.74.01", 3),
            ("32.74.01.1001", "32.74.01.1001", 4),
            ("3274", "32.74", 2), ("327401", "32.74.01", 3), ("3274011001", "32.74.01.1001", 4),
        ]
        for (text, dotted, depth) in valid {
            let code = RegionCode(text)
            XCTAssertEqual(code?.dotted, dotted, text)
            XCTAssertEqual(code?.depth, depth, text)
            XCTAssertEqual(code?.description, dotted, text)
        }
    }

    func testParsingRejectsEverythingElse() {
        let invalid = ["", "3", "327", "32.7", "32.740", "32..74", ".32", "32.", "32.74.01.100",
                       "32.74.01.10011", "3274011", "32740110011", "32 74", " 32", "32 ", "3a", "3a.74",
                       "32.74.01.1001.01", "3274.01", "32.7401", "32-74", "٣٢", "３２", "32.74.0１"]
        for text in invalid {
            XCTAssertNil(RegionCode(text), "accepted \(text.debugDescription)")
        }
    }

    func testParentAncestorsAndUndotted() throws {
        let desa = try XCTUnwrap(RegionCode("32.74.01.1001"))
        XCTAssertEqual(desa.parent?.dotted, "32.74.01")
        XCTAssertEqual(desa.ancestors.map(\.dotted), ["32", "32.74", "32.74.01"])
        XCTAssertEqual(desa.undotted, "3274011001")
        XCTAssertEqual(desa.kecamatan?.dotted, "32.74.01")
        XCTAssertEqual(desa.truncated(toDepth: 2)?.dotted, "32.74")
        XCTAssertNil(desa.truncated(toDepth: 5))
        XCTAssertEqual(desa.segments, ["32", "74", "01", "1001"])
        let province = try XCTUnwrap(RegionCode("32"))
        XCTAssertNil(province.parent)
        XCTAssertEqual(province.ancestors, [])
        XCTAssertNil(province.kecamatan)
        XCTAssertEqual(RegionCode("32.74.01")?.kecamatan?.dotted, "32.74.01")
    }

    func testContains() throws {
        let cases: [(String, String, Bool)] = [
            ("32", "32", true), ("32", "32.74.01.1001", true), ("32.74", "32.74.05", true),
            ("32.74.01", "32.74.01.1001", true),
            ("32.74", "32.75.01", false), ("32.74.01", "32.74.02.1001", false), ("32.74.01.1001", "32.74.01", false),
            ("32.74.01", "32.74", false), ("33", "32.74", false), ("32.74.01.1001", "32.74.01.1002", false),
        ]
        for (outer, inner, expected) in cases {
            let a = try XCTUnwrap(RegionCode(outer)), b = try XCTUnwrap(RegionCode(inner))
            XCTAssertEqual(a.contains(b), expected, "\(outer) contains \(inner)")
        }
    }

    func testLevelsAllowedByDepth() {
        XCTAssertEqual(RegionCode.levelsAllowed(depth: 1), [.provinsi])
        XCTAssertEqual(RegionCode.levelsAllowed(depth: 2), [.kabupaten, .kota])
        XCTAssertEqual(RegionCode.levelsAllowed(depth: 3), [.kecamatan])
        XCTAssertEqual(RegionCode.levelsAllowed(depth: 4), [.desa, .kelurahan])
        XCTAssertEqual(RegionCode.levelsAllowed(depth: 5), [])
        XCTAssertEqual(RegionLevel.allCases.map(\.depth), [1, 2, 2, 3, 4, 4])
    }

    func testOrderIsTreeOrder() {
        let codes = ["32.75", "32.74.01.1001", "32", "32.74.02", "32.74", "31.99.99.9999", "32.74.01"]
            .compactMap(RegionCode.init).sorted()
        XCTAssertEqual(codes.map(\.dotted),
                       ["31.99.99.9999", "32", "32.74", "32.74.01", "32.74.01.1001", "32.74.02", "32.75"])
    }

    /// The range `[lower, upper)` holds exactly the subtree, for neighbours chosen to break
    /// naive prefix matching (32.7x next to 32.74, 32.74.01.xxxx next to 32.74.02).
    func testSubtreeBoundsSelectExactlyTheSubtree() {
        let universe = ["11", "31.99.99.9999", "32", "32.01", "32.70", "32.73.99.9999", "32.74", "32.74.01",
                        "32.74.01.1001", "32.74.01.2999", "32.74.01.9999", "32.74.02", "32.74.02.1001",
                        "32.74.10", "32.74.99.9999", "32.75", "32.75.01", "32.79", "33", "33.74.01", "99.99.99.9999"]
            .compactMap(RegionCode.init)
        XCTAssertEqual(universe.count, 21)
        for root in universe {
            XCTAssertEqual(root.subtreeLowerBound, root.dotted)
            for code in universe {
                let inRange = code.dotted >= root.subtreeLowerBound && code.dotted < root.subtreeUpperBound
                XCTAssertEqual(inRange, root.contains(code), "\(root) range vs \(code)")
            }
        }
        // And the naive "prefix" bound this replaces would be wrong: "32.7" + anything matches 32.75.
        XCTAssertTrue("32.75".hasPrefix("32.7"))
    }

    /// The same property over the whole real hierarchy (data/regions/regions.csv):
    /// every subtree range in the sorted list of all codes has exactly the subtree's size and
    /// holds only descendants.
    func testSubtreeBoundsOverRealRegions() throws {
        let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("../../data/regions/regions.csv").standardized
        let text = try String(contentsOf: url, encoding: .utf8)  // data/regions/ is part of the repository
        var codes: [String] = []
        var subtreeSize: [String: Int] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let field = String(line.prefix { $0 != "," })
            let code = try XCTUnwrap(RegionCode(field), "bad code in data: \(field)")
            codes.append(code.dotted)
            for node in code.ancestors + [code] { subtreeSize[node.dotted, default: 0] += 1 }
        }
        XCTAssertGreaterThan(codes.count, 90_000)
        codes.sort()
        func firstIndex(notBelow key: String) -> Int {
            var lo = 0, hi = codes.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if codes[mid] < key { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        for dotted in codes {
            let root = RegionCode(dotted)!
            let lo = firstIndex(notBelow: root.subtreeLowerBound), hi = firstIndex(notBelow: root.subtreeUpperBound)
            guard hi - lo == subtreeSize[dotted] else {
                return XCTFail("\(dotted): range holds \(hi - lo) codes, subtree has \(subtreeSize[dotted] ?? 0)")
            }
            if root.depth < 4 {
                for i in lo..<hi where !root.contains(RegionCode(codes[i])!) {
                    return XCTFail("\(dotted): range holds \(codes[i])")
                }
            }
        }
    }

    func testCodableUsesTheDottedString() throws {
        let code = try XCTUnwrap(RegionCode("3274011001"))
        let data = try JSONEncoder().encode([code])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"32.74.01.1001\"]")
        XCTAssertEqual(try JSONDecoder().decode([RegionCode].self, from: data), [code])
        XCTAssertThrowsError(try JSONDecoder().decode([RegionCode].self, from: Data("[\"32.7\"]".utf8)))
    }
}
