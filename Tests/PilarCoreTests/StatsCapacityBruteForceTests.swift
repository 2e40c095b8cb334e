import Foundation
import SQLiteStore
import XCTest
@testable import PilarCore

/// Every number of GET /v1/stats/capacity (its service function), compared with a plain Swift
/// count over the raw rows of psks, trainings, training_participants, psks_awards and regions,
/// on random data over two provinces, three kabupaten, their kecamatan and desa, after edits
/// (cancelled trainings, completions, records ended or moved) that go through the triggers.
final class StatsCapacityBruteForceTests: XCTestCase {
    var temp: TempPilar!
    var pilar: Pilar { temp.pilar }
    /// 05:00Z is noon in Jakarta: "today" is 2026-11-25 in the server's zone.
    static let today = "2026-11-25"

    override func setUpWithError() throws {
        temp = try TempPilar(clock: Clock(now: { Clock.parseTimestamp("2026-11-25T05:00:00Z")! }))
        try CapacityFixture.addRegions(pilar)
    }

    override func tearDown() { temp = nil }

    func testEveryNumberMatchesBruteForce() throws {
        try CapacityFixture.generate(pilar, seed: 7_2026)
        let raw = try CapacityFixture.Raw(pilar)
        XCTAssertGreaterThan(raw.participants.filter { $0.completed }.count, 20, "the data has completions")
        var checked = 0
        let regions: [String?] = [nil, "32", "32.01", "33", "33.01", "32.01.01", "32.02.02"]
        for region in regions {
            for year in [2024, 2025, 2026, 2027] {
                let depth = region.map { RegionCode($0)!.depth } ?? 0
                var shapes: [(by: String, level: String?)] = [("type", nil)]
                if depth < 3 { shapes.append(("region", nil)) }
                if depth == 0 { shapes += [("region", "kabkota"), ("region", "kecamatan")] }
                if depth == 1 { shapes.append(("region", "kecamatan")) }
                for shape in shapes {
                    var pairs = [(name: "year", value: String(year)), (name: "by", value: shape.by)]
                    if let region { pairs.append((name: "region", value: region)) }
                    if let level = shape.level { pairs.append((name: "level", value: level)) }
                    let q = try pilar.stats.parseCapacity(pairs, by: .cli)
                    let answer = try pilar.stats.capacity(q)
                    let json = answer.json
                    let expect = raw.expected(region: region, year: year, today: Self.today)
                    let label = "\(pairs)"
                    XCTAssertEqual(json["total"], .object(expect.total.regionObject), "total \(label)")
                    XCTAssertEqual(json["desa_without_psm"], .array(expect.uncovered.map { .object(["code": .string($0.0), "name": .string($0.1)]) }),
                                   "uncovered \(label)")
                    let items = json["items"]?.arrayValue ?? []
                    if shape.by == "type" {
                        let want = PSKSType.all.map { t -> JSON in
                            var o: JSONObject = ["type": .string(t.code), "type_name": .string(t.name)]
                            for (k, v) in (expect.byType[t.code] ?? CapacityFixture.Tally()).typeObject { o[k] = v }
                            return .object(o)
                        }
                        XCTAssertEqual(items, want, "by type \(label)")
                    } else {
                        let level = shape.level.map { ["kabkota": 2, "kecamatan": 3][$0]! } ?? depth + 1
                        let want = raw.children(of: region, depth: level).map { code, name -> JSON in
                            var o: JSONObject = ["region": .string(code), "region_name": .string(name)]
                            for (k, v) in raw.expected(region: code, year: year, today: Self.today).total.regionObject { o[k] = v }
                            return .object(o)
                        }
                        XCTAssertEqual(items, want, "by region \(label)")
                        XCTAssertFalse(want.isEmpty)
                    }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 40)
        // The data is not trivially empty where it matters.
        let national = raw.expected(region: nil, year: 2026, today: Self.today).total
        XCTAssertGreaterThan(national.trainedEver, national.trained3y)
        XCTAssertGreaterThan(national.trained3y, 0)
        XCTAssertGreaterThan(national.desaWithPSM, 0)
        XCTAssertLessThan(national.desaWithPSM, national.desa)
        XCTAssertGreaterThan(national.awards.values.reduce(0, +), 0)
    }

    /// A child row by region counts its own subtree; the region's own level (a provincial
    /// training, a record at the kabupaten) shows in the total only, so totals can exceed the sum.
    func testOwnLevelCountsInTheTotalOnly() throws {
        let kab = try CapacityFixture.record(pilar, type: "LKS", region: "32.01")
        let desa = try CapacityFixture.record(pilar, type: "PSM", region: "32.01.01.2001")
        let provincial = try CapacityFixture.training(pilar, level: "provinsi", region: "32", starts: "2026-03-02", ends: "2026-03-05")
        try CapacityFixture.participate(pilar, provincial, kab, completed: true)
        try CapacityFixture.participate(pilar, provincial, desa, completed: false)
        let answer = try pilar.stats.capacity(pilar.stats.parseCapacity([(name: "region", value: "32"), (name: "year", value: "2026")], by: .cli))
        let json = answer.json
        XCTAssertEqual(json["total"]?["trainings"], 1)
        XCTAssertEqual(json["total"]?["participants"], 2)
        XCTAssertEqual(json["total"]?["active"], 2)
        XCTAssertEqual(json["total"]?["trained_ever"], 1)
        let kabRow = json["items"]?.arrayValue?.first { $0["region"] == "32.01" }
        XCTAssertEqual(kabRow?["trainings"], 0)
        XCTAssertEqual(kabRow?["active"], 2)
        XCTAssertEqual(kabRow?["active_PSM"], 1)
        XCTAssertEqual(kabRow?["trained_ever"], 1, "the record is in 32.01 though the training was provincial")
        // CSV: the region's own row first, then its children.
        XCTAssertEqual(answer.csvRows.first?.prefix(3), ["32", "Jawa Barat", "2"])
        XCTAssertEqual(answer.csvRows.count, 1 + 3)  // 32.01, 32.02 and Kota Cirebon of a new database
        // A training that has not ended is no evidence yet, though marked completed.
        let future = try CapacityFixture.training(pilar, level: "kabkota", region: "32.01", starts: "2026-11-20", ends: "2026-11-26")
        let other = try CapacityFixture.record(pilar, type: "TAGANA", region: "32.01.01")
        try CapacityFixture.participate(pilar, future, other, completed: true)
        let later = try pilar.stats.capacity(pilar.stats.parseCapacity([(name: "region", value: "32.01"), (name: "year", value: "2026")], by: .cli)).json
        XCTAssertEqual(later["total"]?["trained_ever"], 1)
        XCTAssertEqual(later["total"]?["trainings"], 1)
        XCTAssertEqual(later["total"]?["completions"], 1)
    }

    /// The dashboard's reads go through indexes, never a scan of psks or of participations per record.
    func testQueryPlansUseIndexes() throws {
        try CapacityFixture.generate(pilar, seed: 3)
        for region: String? in [nil, "32", "32.01.01"] {
            var pairs = [(name: "year", value: "2026")]
            if let region { pairs.append((name: "region", value: region)) }
            for by in ["region", "type"] where !(by == "region" && region?.count == 8) {
                let q = try pilar.stats.parseCapacity(pairs + [(name: "by", value: by)], by: .cli)
                let plans = try pilar.db.read { c in try CapacityReader(q: q, c: c).plans() }
                XCTAssertGreaterThanOrEqual(plans.count, 5)
                for (sql, plan) in plans {
                    let text = plan.joined(separator: "\n")
                    XCTAssertFalse(text.contains("SCAN p\n") || text.hasSuffix("SCAN p"), "a scan of psks:\n\(sql)\n\(text)")
                    if sql.contains("p.type = 'PSM'") {
                        XCTAssertTrue(text.contains("psks_capacity"), "coverage probe:\n\(text)")
                        XCTAssertFalse(text.contains("FOR ORDER BY"), "desa read in code order, not sorted:\n\(text)")
                    }
                    // Nationally every completed participation is read once, by design; in a subtree, only its own.
                    guard region != nil else { continue }
                    XCTAssertFalse(text.contains("SCAN tp"), "a scan of participations:\n\(sql)\n\(text)")
                    XCTAssertFalse(text.contains("SCAN t\n") || text.hasSuffix("SCAN t"), "a scan of trainings:\n\(sql)\n\(text)")
                }
            }
        }
    }
}
