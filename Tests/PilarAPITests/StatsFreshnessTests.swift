import Foundation
import PilarCore
import SQLiteStore
import XCTest

/// Which writes move the dashboards' ETags (Migrations/0006_stats_version.sql): a change by
/// another process on the same file does at once; a draft saved again does not; submit,
/// verify, return, registry and region changes do. Real server, real socket, real file.
final class StatsFreshnessTests: XCTestCase {
    var s: TestServer!

    override func setUpWithError() throws {
        s = try TestServer(clock: Clock(now: { Clock.parseTimestamp("2026-11-25T05:00:00Z")! }))
    }

    override func tearDown() { s.stop() }

    var admin: TestClient { s.client() }
    let pmksPath = "/v1/stats/pmks?region=32.74&period=2025-06&by=category"
    let completenessPath = "/v1/stats/completeness?region=32.74&period=2025-06"

    static func body(abt: Int) -> JSON {
        ["pmks": [["category": "ABT", "male": .int(Int64(abt)), "female": 1], ["category": "FM", "count": 2]],
         "psks": [["type": "PSM", "count": 1]]]
    }

    func etag(_ path: String) throws -> String {
        let r = admin.get(path)
        XCTAssertEqual(r.status, 200, r.text)
        return try XCTUnwrap(r.header("ETag"))
    }

    func status(_ path: String, _ etag: String) -> Int { admin.get(path, headers: [("If-None-Match", etag)]).status }

    /// The `pilar` CLI opens its own Database on the file: the server must not keep answering
    /// 304 for what it had before.
    func testAWriteByAnotherDatabaseInstanceChangesTheETag() throws {
        let before = try etag(pmksPath)
        let beforeCompleteness = try etag(completenessPath)
        XCTAssertEqual(status(pmksPath, before), 304)

        let other = try Pilar.open(path: s.dbPath)
        defer { other.db.close() }
        let k = RegionCode("32.74.01")!, p = ReportPeriod("2025-06")!
        guard case .object(let body) = Self.body(abt: 40) else { return XCTFail() }
        _ = try other.reports.put(k, p, body: body, by: .cli)
        _ = try other.reports.act(.submit, k, p, body: [:], by: .cli)
        _ = try other.reports.act(.verify, k, p, body: [:], by: .cli)

        let after = admin.get(pmksPath, headers: [("If-None-Match", before)])
        XCTAssertEqual(after.status, 200, "the other process's verified report must be served, not a 304")
        XCTAssertNotEqual(after.header("ETag"), before)
        XCTAssertEqual(after["items"]?.arrayValue?.first { $0["category"] == "ABT" }?["total"], 41)
        XCTAssertEqual(status(completenessPath, beforeCompleteness), 200)

        // And a second instance's region rename (the CLI's region import) too.
        let current = try XCTUnwrap(after.header("ETag"))
        let listed = try etag(completenessPath)
        try other.write { c in _ = try c.run("UPDATE regions SET name = 'Kejaksan Baru' WHERE code = '32.74.01'") }
        let renamed = admin.get(completenessPath, headers: [("If-None-Match", listed)])
        XCTAssertEqual(renamed.status, 200)
        XCTAssertEqual(renamed["kecamatan"]?.arrayValue?.first { $0["code"] == "32.74.01" }?["name"], "Kejaksan Baru")
        XCTAssertEqual(status(pmksPath, current), 200)
    }

    /// A TKSK saving a draft every few seconds must not make every dashboard refetch.
    func testADraftSavedAgainKeepsTheETagAndSubmitAndVerifyChangeIt() throws {
        XCTAssertEqual(admin.put("/v1/reports/32.74.02/2025-06", Self.body(abt: 1)).status, 201)
        let pmks = try etag(pmksPath)
        let completeness = try etag(completenessPath)

        for n in 2...4 {
            let put = admin.put("/v1/reports/32.74.02/2025-06", Self.body(abt: n))
            XCTAssertEqual(put.status, 200, put.text)
            XCTAssertEqual(status(pmksPath, pmks), 304, "draft save \(n) must keep the tag")
            XCTAssertEqual(status(completenessPath, completeness), 304)
        }
        // Writes the stats never read keep it too (a token made).
        _ = try s.token(.viewer, "32.74")
        XCTAssertEqual(status(pmksPath, pmks), 304)

        XCTAssertEqual(admin.post("/v1/reports/32.74.02/2025-06/submit", [:]).status, 200)
        XCTAssertEqual(status(pmksPath, pmks), 200, "submit changes the counts of status=submitted")
        XCTAssertEqual(status(completenessPath, completeness), 200, "submit changes received")
        let submitted = try etag(pmksPath)
        XCTAssertEqual(admin.post("/v1/reports/32.74.02/2025-06/verify", [:]).status, 200)
        XCTAssertEqual(status(pmksPath, submitted), 200, "verify changes the verified counts")
        let verified = admin.get(pmksPath)
        XCTAssertEqual(verified["items"]?.arrayValue?.first { $0["category"] == "ABT" }?["total"], 5)

        // A first draft of another month shows in completeness ("draft", not "missing").
        let listed = try etag(completenessPath)
        XCTAssertEqual(admin.put("/v1/reports/32.74.03/2025-06", Self.body(abt: 1)).status, 201)
        let drafted = admin.get(completenessPath, headers: [("If-None-Match", listed)])
        XCTAssertEqual(drafted.status, 200)
        XCTAssertEqual(drafted["kecamatan"]?.arrayValue?.first { $0["code"] == "32.74.03" }?["status"], "draft")
    }

    /// The rollup triggers move the version whatever writes the rollups; the triggers on the
    /// tables they read must stay in step with the stats (this fails if one is dropped).
    func testStatsVersionMovesOnlyWithWhatTheStatsRead() throws {
        func version() throws -> Int64 { try XCTUnwrap(s.pilar.statsVersion()) }
        let v0 = try version()
        _ = try s.token(.admin, nil)
        XCTAssertEqual(try version(), v0, "tokens are not stats data")
        try s.pilar.write { c in _ = try c.run("UPDATE regions SET name = 'Kesambi' WHERE code = '32.74.05'") }
        let v1 = try version()
        XCTAssertGreaterThan(v1, v0, "regions name the rows")
        try s.pilar.write { c in
            _ = try c.run("""
                INSERT INTO stats_psks (region, type, depth, subtree, here) VALUES ('99', 'PSM', 1, 0, 0)
                """)
        }
        XCTAssertGreaterThan(try version(), v1)
    }
}
