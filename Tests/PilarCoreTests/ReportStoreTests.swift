import XCTest
@testable import PilarCore

/// The report tables as other parts read them: the catalogue equals PMKSCategory.all, the
/// flat line tables hold exactly the current version with its status and the in_total rule,
/// and the demo reports are idempotent.
final class ReportStoreTests: XCTestCase {
    let admin = Caller(tokenID: nil, name: "test", role: .admin, region: nil)
    static let now = Clock.parseTimestamp("2026-11-05T03:00:00Z")!

    func testCatalogueTableEqualsTheDomainTable() throws {
        let t = try TempPilar()
        let rows = try t.pilar.db.read { c in try c.query("SELECT * FROM pmks_categories ORDER BY rowid") }
        XCTAssertEqual(rows.count, PMKSCategory.all.count)
        for (r, cat) in zip(rows, PMKSCategory.all) {
            XCTAssertEqual(r.string("code"), cat.code)
            XCTAssertEqual(r.string("name"), cat.name)
            XCTAssertEqual(r.string("grp"), cat.group)
            XCTAssertEqual(r.string("unit"), cat.unit.rawValue)
            XCTAssertEqual(r.int("active") != 0, cat.active, cat.code)
            XCTAssertEqual(r.optionalString("replaced_by"), cat.replacedBy, cat.code)
            XCTAssertEqual(r.int("women_only") != 0, cat.womenOnly, cat.code)
        }
    }

    func lines(_ t: TempPilar) throws -> [String] {
        try t.pilar.db.read { c in
            try c.query("SELECT * FROM report_pmks_lines ORDER BY category, desa").map { r in
                let n = [r.optionalInt("male"), r.optionalInt("female"), r.optionalInt("count")].map { $0.map(String.init) ?? "-" }
                return "\(r.string("status")) \(r.string("category")) \(r.optionalString("desa") ?? "*") \(n.joined(separator: "/")) \(r.int("in_total"))"
            }
        }
    }

    func testLineTablesHoldTheCurrentVersionWithItsStatus() throws {
        let t = try TempPilar(clock: Clock { Self.now })
        try t.pilar.write { c in
            for code in ["32.74.01.1001", "32.74.01.1002"] {
                try c.run("INSERT INTO regions (code, name, level, parent_code) VALUES (?, 'x', 'kelurahan', '32.74.01')", code)
            }
        }
        let k = RegionCode("32.74.01")!, p = ReportPeriod("2026-10")!
        let body: JSON = ["pmks": [
            ["category": "PGM", "desa": "32.74.01.1001", "male": 1, "female": 2],
            ["category": "PGM", "desa": "32.74.01.1002", "male": 3, "female": 4],
            ["category": "PGM", "male": 4, "female": 6],
            ["category": "LUT", "desa": "32.74.01.1001", "male": 5, "female": 5],
            ["category": "FM", "count": 7],
        ], "psks": [["type": "PSM", "count": 20]]]
        XCTAssertEqual(try t.pilar.reports.put(k, p, body: body.objectValue!, by: admin).outcome, .created)
        // The kecamatan-wide PGM line counts; its desa lines do not; LUT has only desa lines.
        XCTAssertEqual(try lines(t), [
            "draft FM * -/-/7 1", "draft LUT 32.74.01.1001 5/5/- 1",
            "draft PGM * 4/6/- 1", "draft PGM 32.74.01.1001 1/2/- 0", "draft PGM 32.74.01.1002 3/4/- 0",
        ])
        _ = try t.pilar.reports.act(.submit, k, p, body: JSONObject(), by: admin)
        XCTAssertEqual(try lines(t).map { String($0.split(separator: " ")[0]) }, Array(repeating: "submitted", count: 5))
        let psks = try t.pilar.db.read { c in try c.query("SELECT status, type, count FROM report_psks_counts") }
        XCTAssertEqual(psks.map { "\($0.string("status")) \($0.string("type")) \($0.int("count"))" }, ["submitted PSM 20"])
        _ = try t.pilar.reports.act(.verify, k, p, body: JSONObject(), by: admin)
        // A new version replaces the lines; the old version stays in report_versions.
        var revised = body.objectValue!
        revised["pmks"] = [["category": "FM", "count": 9]]
        revised["reason"] = "koreksi"
        XCTAssertEqual(try t.pilar.reports.put(k, p, body: revised, by: admin).outcome, .replaced)
        XCTAssertEqual(try lines(t), ["verified FM * -/-/9 1"])
        let versions = try t.pilar.db.read { c in try c.queryOne("SELECT count(*) AS n FROM report_versions")!.int("n") }
        XCTAssertEqual(versions, 2)
        let audit = try t.pilar.db.read { c in try c.query("SELECT action FROM audit_log WHERE entity = 'report' ORDER BY id").map { $0.string("action") } }
        XCTAssertEqual(audit, ["create", "submit", "verify", "revise"])
    }

    func testDemoReportsAreIdempotentAndInEveryState() throws {
        let t = try TempPilar(clock: Clock { Self.now }, demo: true)
        let count = { try t.pilar.db.read { c in try c.queryOne("SELECT count(*) AS n FROM reports")!.int("n") } }
        let before = try count()
        try Demo.seed(t.pilar)
        XCTAssertEqual(try count(), before)
        let states = try t.pilar.db.read { c in
            Set(try c.query("SELECT DISTINCT status FROM reports").map { $0.string("status") })
        }
        XCTAssertEqual(states, ["draft", "submitted", "verified", "returned"])
        let late = try t.pilar.db.read { c in try c.queryOne("SELECT count(*) AS n FROM reports WHERE late = 1")!.int("n") }
        XCTAssertGreaterThan(late, 0)
        // Every stored demo report passes the rules it would meet through the API.
        let all = try t.pilar.db.read { c in try c.query(ReportStore.selectRecord).map(ReportRecord.from) }
        for r in all {
            let errors = ReportValidation.errors(r.content, kecamatan: r.kecamatan, period: r.period, now: Self.now) { _ in true }
            XCTAssertEqual(errors, [], "\(r.kecamatan) \(r.period)")
        }
    }
}
