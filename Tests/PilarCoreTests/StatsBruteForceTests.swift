import Foundation
import SQLiteStore
import XCTest
@testable import PilarCore

/// Every aggregate the stats endpoints return, compared with a brute-force sum over the raw
/// rows (report_pmks_lines with in_total = 1, report_psks_counts, psks) on random data that
/// went through status changes, content replacements and registry edits.
final class StatsBruteForceTests: XCTestCase {
    var temp: TempPilar!
    var pilar: Pilar { temp.pilar }

    override func setUpWithError() throws {
        temp = try TempPilar(clock: Clock(now: { Clock.parseTimestamp("2026-11-25T05:00:00Z")! }), demo: true)
        try StatsFixture.addRegions(pilar)
    }

    override func tearDown() { temp = nil }

    /// Writes random reports, then changes some of their status and replaces some content.
    func generate(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        var ids: [Int64] = []
        let statuses = ["draft", "submitted", "verified", "returned"]
        for kec in StatsFixture.kecamatan {
            for period in StatsFixture.periods where Int.random(in: 0..<10, using: &rng) < 8 {
                let psks = StatsFixture.psksTypes.shuffled(using: &rng).prefix(3).map { ($0, Int.random(in: 0...9, using: &rng)) }
                let id = try StatsFixture.putReport(pilar, kec, period, status: statuses.randomElement(using: &rng)!,
                                                    lines: StatsFixture.randomLines(kec, &rng), psks: Array(psks),
                                                    submittedAt: Date(), late: Bool.random(using: &rng))
                ids.append(id)
            }
        }
        for _ in 0..<60 {
            let id = ids.randomElement(using: &rng)!
            if Bool.random(using: &rng) {
                try StatsFixture.setStatus(pilar, id, statuses.randomElement(using: &rng)!)
            } else {
                let row = try pilar.db.read { c in try c.queryOne("SELECT kecamatan, period FROM reports WHERE id = ?", id)! }
                let kec = row.string("kecamatan")
                try StatsFixture.putReport(pilar, kec, ReportPeriod(row.string("period"))!,
                                           status: statuses.randomElement(using: &rng)!,
                                           lines: StatsFixture.randomLines(kec, &rng),
                                           psks: [("PSM", Int.random(in: 0...5, using: &rng))], submittedAt: Date(), late: false)
            }
        }
        // A direct edit of a counted line's numbers (not in the contract, but must not be missed).
        try pilar.write { c in _ = try c.run("UPDATE report_pmks_lines SET count = count + 5 WHERE count IS NOT NULL AND rowid % 7 = 0") }

        var psksIDs: [Int64] = []
        let places = StatsFixture.kecamatan + ["32", "32.74", "32.73", "33.01", "32.74.01.1001", "32.73.01.1002"]
        for _ in 0..<80 {
            psksIDs.append(try StatsFixture.addPSKS(pilar, type: ["PSM", "TAGANA", "LKS", "KARTAR"].randomElement(using: &rng)!,
                                                     region: places.randomElement(using: &rng)!, active: Int.random(in: 0..<4, using: &rng) > 0))
        }
        for _ in 0..<40 {
            let id = psksIDs.randomElement(using: &rng)!
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: try StatsFixture.setPSKS(pilar, id, active: Bool.random(using: &rng))
            case 1: try StatsFixture.setPSKS(pilar, id, region: places.randomElement(using: &rng)!)
            case 2: try StatsFixture.setPSKS(pilar, id, type: "LK3")
            default: try pilar.write { c in _ = try c.run("DELETE FROM psks WHERE id = ?", id) }
            }
        }
    }

    static let regions: [String?] = [nil, "32", "32.74", "32.73", "33", "32.74.01", "33.01"]
    static let keySets: [[String]] = {
        let keys = ["region", "period", "category", "sex"]
        return (0..<16).map { mask in keys.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element) }
    }()

    func testPMKSMatchesBruteForce() throws {
        try generate(seed: 20261125)
        let lines = try pilar.db.read { c in try c.query("SELECT * FROM report_pmks_lines WHERE in_total = 1") }
        var checked = 0
        for region in Self.regions {
            for by in Self.keySets {
                for status in ["verified", "submitted"] {
                    for (from, to) in [("2026-03", "2026-03"), ("2026-01", "2026-06"), ("2025-12", "2026-02")] {
                        for categories in [[], ["ABT", "PD", "PRSE"], ["FM", "KAT"]] {
                            if by.contains("sex") && categories.contains("FM") { continue }
                            var levels: [String?] = [nil]
                            if by.contains("region") && region == nil { levels = [nil, "kabkota", "kecamatan"] }
                            if by.contains("region") && (region?.count ?? 0) == 8 { continue }
                            for level in levels {
                                var pairs = [("period", from), ("period_to", to), ("status", status)]
                                if let region { pairs.append(("region", region)) }
                                if !by.isEmpty { pairs.append(("by", by.joined(separator: ","))) }
                                if !categories.isEmpty { pairs.append(("category", categories.joined(separator: ","))) }
                                if let level { pairs.append(("level", level)) }
                                let q = try pilar.stats.parsePMKS(pairs.map { (name: $0.0, value: $0.1) }, by: .cli)
                                let answer = try pilar.stats.pmks(q)
                                // The bytes sent are the same document, rows in a stable order.
                                XCTAssertEqual(try JSON.parse(answer.jsonBytes()), answer.json)
                                let got = try Self.items(answer.json, keys: ["region", "period", "category", "unit", "sex"])
                                let order = PMKSCategory.all.map(\.code)
                                let keys = (answer.json["items"]?.arrayValue ?? []).map { item in
                                    [item["region"]?.stringValue ?? "", item["period"]?.stringValue ?? "",
                                     String(format: "%03d", order.firstIndex(of: item["category"]?.stringValue ?? "") ?? 999),
                                     String(["person", "household", "community"].firstIndex(of: item["unit"]?.stringValue ?? "") ?? 9),
                                     item["sex"]?.stringValue == "female" ? "1" : "0"].joined(separator: "|")
                                }
                                XCTAssertEqual(keys, keys.sorted(), "rows in order: \(pairs)")
                                let want = Self.brutePMKS(lines, q)
                                XCTAssertEqual(got, want, "pmks \(pairs)")
                                checked += 1
                            }
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 1000)
        // The data is not trivially empty.
        XCTAssertGreaterThan(Self.brutePMKS(lines, try pilar.stats.parsePMKS([(name: "period", value: "2026-01"), (name: "period_to", value: "2026-06")], by: .cli)).count, 0)
    }

    func testPSKSMatchesBruteForce() throws {
        try generate(seed: 77)
        let counts = try pilar.db.read { c in try c.query("SELECT * FROM report_psks_counts") }
        let records = try pilar.db.read { c in try c.query("SELECT type, region FROM psks WHERE status = 'active'") }
        XCTAssertGreaterThan(records.count, 10)
        for region in Self.regions {
            for by in [[], ["type"], ["region"], ["region", "type"]] {
                var levels: [String?] = [nil]
                if by.contains("region") {
                    if (region?.count ?? 0) == 8 { continue }
                    levels = [nil, "kecamatan"]
                }
                for level in levels {
                    var pairs: [(String, String)] = []
                    if let region { pairs.append(("region", region)) }
                    pairs.append(("by", by.joined(separator: ",")))
                    if let level { pairs.append(("level", level)) }
                    let q = try pilar.stats.parsePSKS(pairs.map { (name: $0.0, value: $0.1) }, by: .cli)
                    XCTAssertEqual(try Self.items(pilar.stats.psks(q).json, keys: ["region", "type"]),
                                   Self.bruteRegistry(records, q), "psks registry \(pairs)")

                    for status in ["verified", "submitted"] {
                        let rpairs = pairs + [("source", "reports"), ("period", "2026-01"), ("period_to", "2026-06"), ("status", status),
                                              ("by", "period")]
                        let rq = try pilar.stats.parsePSKS(rpairs.map { (name: $0.0, value: $0.1) }, by: .cli)
                        XCTAssertEqual(try Self.items(pilar.stats.psks(rq).json, keys: ["region", "period", "type"]),
                                       Self.bruteReported(counts, rq), "psks reported \(rpairs)")
                    }
                }
            }
        }
    }

    func testCompletenessMatchesBruteForce() throws {
        try generate(seed: 5)
        let reports = try pilar.db.read { c in try c.query("SELECT kecamatan, period, status, late FROM reports") }
        let regions = try pilar.db.read { c in try c.query("SELECT code, valid_from, valid_until FROM regions WHERE level = 'kecamatan'") }
        for region in Self.regions {
            for (from, to) in [("2026-02", "2026-02"), ("2026-01", "2026-06"), ("2026-04", "2026-05")] {
                var pairs = [(name: "period", value: from), (name: "period_to", value: to)]
                if let region { pairs.append((name: "region", value: region)) }
                let q = try pilar.stats.parseCompleteness(pairs, by: .cli)
                let json = try pilar.stats.completeness(q).json
                let months = ReportPeriod.range(from: q.from, to: q.to).map(\.description)
                func brute(_ prefix: String?) -> [Int] {
                    var t = [0, 0, 0, 0, 0]
                    for k in regions {
                        let code = k.string("code")
                        if let prefix, !(code == prefix || code.hasPrefix(prefix + ".")) { continue }
                        for m in months {
                            if let f = k.optionalString("valid_from"), f > m { continue }
                            if let u = k.optionalString("valid_until"), u < m { continue }
                            t[0] += 1
                            guard let r = reports.first(where: { $0.string("kecamatan") == code && $0.string("period") == m }) else { continue }
                            let s = r.string("status")
                            if s == "submitted" || s == "verified" {
                                t[1] += 1
                                if r.int("late") == 1 { t[3] += 1 } else { t[2] += 1 }
                            }
                            if s == "verified" { t[4] += 1 }
                        }
                    }
                    return t
                }
                func tally(_ o: JSON) -> [Int] {
                    ["expected", "received", "on_time", "late", "verified"].map { Int(o[$0]?.intValue ?? -1) }
                }
                XCTAssertEqual(tally(json), brute(region), "completeness \(pairs)")
                for child in json["children"]?.arrayValue ?? [] {
                    XCTAssertEqual(tally(child), brute(child["region"]?.stringValue), "child \(child) of \(pairs)")
                    for rate in ["received_rate", "on_time_rate", "late_rate", "verified_rate"] {
                        if case .double(let d) = child[rate] ?? .null { XCTAssertLessThanOrEqual(d, 1) }
                    }
                }
                XCTAssertEqual(json["kecamatan"]?.arrayValue?.count, brute(region)[0], "one entry per expected report")
            }
        }
    }

    // MARK: brute force

    /// Items as "key=value|..." -> total, for comparison.
    static func items(_ json: JSON, keys: [String]) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for item in json["items"]?.arrayValue ?? [] {
            let k = keys.map { "\($0)=\(item[$0]?.stringValue ?? "")" }.joined(separator: "|")
            XCTAssertNil(out[k], "duplicate row \(k)")
            out[k] = item["total"]?.intValue
        }
        return out
    }

    static func within(_ code: String, _ region: RegionCode?) -> Bool {
        guard let region else { return true }
        return region.contains(RegionCode(code)!)
    }

    static func brutePMKS(_ lines: [Row], _ q: PMKSStatsQuery) -> [String: Int64] {
        var out: [String: Int64] = [:]
        let months = Set(ReportPeriod.range(from: q.from, to: q.to).map(\.description))
        for l in lines {
            let status = l.string("status")
            guard status == "verified" || (q.status == .submitted && status == "submitted"),
                  months.contains(l.string("period")), within(l.string("kecamatan"), q.region),
                  q.categories.isEmpty || q.categories.contains(l.string("category")) else { continue }
            let cat = PMKSCategory.named(l.string("category"))!
            var parts: [(String, Int64)] = []
            if q.by.contains(.sex) {
                guard cat.unit == .person else { continue }
                parts = [("male", Int64(l.optionalInt("male") ?? 0)), ("female", Int64(l.optionalInt("female") ?? 0))]
            } else {
                parts = [("", Int64((l.optionalInt("male") ?? 0) + (l.optionalInt("female") ?? 0) + (l.optionalInt("count") ?? 0)))]
            }
            for (sex, n) in parts {
                let region = q.by.contains(.region) ? RegionCode(l.string("kecamatan"))!.truncated(toDepth: q.level!)!.dotted : ""
                let key = ["region=\(region)", "period=\(q.by.contains(.period) ? l.string("period") : "")",
                           "category=\(q.by.contains(.category) ? cat.code : "")", "unit=\(cat.unit.rawValue)", "sex=\(sex)"]
                out[key.joined(separator: "|"), default: 0] += n
            }
        }
        return out.filter { $0.value != 0 }
    }

    static func bruteRegistry(_ records: [Row], _ q: PSKSStatsQuery) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for r in records where within(r.string("region"), q.region) && (q.types.isEmpty || q.types.contains(r.string("type"))) {
            let code = RegionCode(r.string("region"))!
            // Grouped by region, a record above the grouping level shows in its own region's row.
            let region = q.by.contains(.region) ? code.truncated(toDepth: min(q.level!, code.depth, 3))!.dotted : ""
            let key = "region=\(region)|type=\(q.by.contains(.type) ? r.string("type") : "")"
            out[key, default: 0] += 1
        }
        return out.filter { $0.value != 0 }
    }

    static func bruteReported(_ counts: [Row], _ q: PSKSStatsQuery) -> [String: Int64] {
        var out: [String: Int64] = [:]
        let months = Set(ReportPeriod.range(from: q.from!, to: q.to!).map(\.description))
        for l in counts {
            let status = l.string("status")
            guard status == "verified" || (q.status == .submitted && status == "submitted"),
                  months.contains(l.string("period")), within(l.string("kecamatan"), q.region) else { continue }
            let region = q.by.contains(.region) ? RegionCode(l.string("kecamatan"))!.truncated(toDepth: q.level!)!.dotted : ""
            let key = "region=\(region)|period=\(q.by.contains(.period) ? l.string("period") : "")|type=\(q.by.contains(.type) ? l.string("type") : "")"
            out[key, default: 0] += Int64(l.int("count"))
        }
        return out.filter { $0.value != 0 }
    }
}
