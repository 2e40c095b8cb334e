import XCTest
import PilarCore

/// Who may do what to which kecamatan's report, and the backfill import.
final class ReportScopeAndImportTests: XCTestCase {
    var s: TestServer!
    let clock = ReportClock("2026-11-05T03:00:00Z")
    override func setUpWithError() throws { s = try reportServer(clock) }
    override func tearDown() { s.stop() }

    struct Case {
        let role: Role
        let home: String
        let kecamatan: String
        let read: Int, write: Int, submit: Int, verify: Int
    }

    func testScopeMatrix() throws {
        let admin = s.client()
        let body: JSON = ["pmks": [["category": "FM", "count": 4]]]
        // Existing reports in 32.74.01 and 32.74.02 (submitted, so verify can succeed).
        for k in ["32.74.01", "32.74.02"] {
            XCTAssertEqual(admin.put("/v1/reports/\(k)/2026-10", body).status, 201)
        }
        let cases: [Case] = [
            .init(role: .tksk, home: "32.74.01", kecamatan: "32.74.01", read: 200, write: 200, submit: 200, verify: 403),
            .init(role: .tksk, home: "32.74.01", kecamatan: "32.74.02", read: 403, write: 403, submit: 403, verify: 403),
            .init(role: .tksk, home: "32.74.01", kecamatan: "32.73.01", read: 403, write: 403, submit: 403, verify: 403),
            .init(role: .kabkota, home: "32.74", kecamatan: "32.74.02", read: 200, write: 200, submit: 200, verify: 200),
            .init(role: .kabkota, home: "32.73", kecamatan: "32.74.01", read: 403, write: 403, submit: 403, verify: 403),
            .init(role: .provinsi, home: "32", kecamatan: "32.74.01", read: 200, write: 403, submit: 403, verify: 403),
            .init(role: .provinsi, home: "33", kecamatan: "32.74.01", read: 403, write: 403, submit: 403, verify: 403),
            .init(role: .viewer, home: "32.74", kecamatan: "32.74.01", read: 403, write: 403, submit: 403, verify: 403),
        ]
        for c in cases {
            let client = s.client(token: try s.token(c.role, c.home))
            let what = "\(c.role.rawValue)@\(c.home) on \(c.kecamatan)"
            let path = "/v1/reports/\(c.kecamatan)/2026-10"
            let read = client.get(path)
            XCTAssertEqual(read.status, c.read, "read \(what)")
            XCTAssertEqual(client.get(path + "/history").status, read.status, "history \(what)")
            XCTAssertEqual(client.put(path, body).status, c.write, "write \(what)")
            XCTAssertEqual(client.post(path + "/submit", [:]).status, c.submit, "submit \(what)")
            XCTAssertEqual(client.post(path + "/verify", [:]).status, c.verify, "verify \(what)")
            if c.read == 403 {
                // The answer for an existing report equals the one for an absent period.
                let absent = client.get("/v1/reports/\(c.kecamatan)/2025-01")
                XCTAssertEqual(absent.status, 403)
                XCTAssertEqual(absent["detail"], read["detail"], what)
            }
            XCTAssertEqual(client.csv("/v1/reports/import", "kecamatan,period,category,desa,male,female,count\n").status,
                           [.kabkota].contains(c.role) ? 200 : 403, "import \(what)")
        }
    }

    let csv = """
        kecamatan,period,category,desa,male,female,count
        32.74.01,2024-01,LUT,,10,12,
        32.74.01,2024-01,FM,,,,40
        3274.01,2024-02,LUT,,1,1,
        32.74.02,2024-01,LUT,,3,4,
        32.74.01,2024-01,PGM,32.74.01.1001,2,1,3
        32.74.02,2024-01,AN,,1,1,
        32.74.03,2026-11,LUT,,1,1,
        32.74.02,2024-01,FM,,,,x
        32.73.01,2024-01,FM,,,,4
        """

    func testBackfillImport() throws {
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        // All or nothing: row errors with line numbers, nothing written.
        let refused = dinas.csv("/v1/reports/import", csv)
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertEqual(refused["applied"], false)
        let errors = (refused["errors"]?.arrayValue ?? []).map { "\($0["row"]!.intValue!) \($0["field"]?.stringValue ?? "-") \($0["code"]!.stringValue!)" }
        XCTAssertEqual(Set(errors), ["4 kecamatan malformed_code", "7 category retired", "8 period not_past",
                                     "9 count wrong_type", "10 kecamatan outside_scope"])
        XCTAssertEqual(refused["would_create"], 1, "what would have been created")
        XCTAssertEqual(refused["rejected"], 4, "a row naming no report counts alone; 32.74.02/2024-01 counts once")
        XCTAssertEqual(refused["rows"], 9)
        XCTAssertEqual(dinas.get("/v1/reports/32.74.01/2024-01").status, 404)

        // Dry run, then skip the bad reports.
        let dry = dinas.csv("/v1/reports/import?dry_run=true&on_error=skip", csv)
        XCTAssertEqual(dry.status, 200)
        XCTAssertEqual(dry["dry_run"], true)
        XCTAssertEqual(dinas.get("/v1/reports/32.74.01/2024-01").status, 404)
        let skipped = dinas.csv("/v1/reports/import?on_error=skip", csv)
        XCTAssertEqual(skipped.status, 200, skipped.text)
        XCTAssertEqual(skipped["created"], 1)
        let r = dinas.get("/v1/reports/32.74.01/2024-01")
        XCTAssertEqual(r["status"], "verified")
        XCTAssertEqual(r["source"], "import")
        XCTAssertEqual(r["pmks"]?.arrayValue?.count, 3, "rows 2, 3 and 6 grouped into one report")
        XCTAssertEqual(r["pmks"]?.arrayValue?[1]["desa"], "32.74.01.1001")

        // The same file again changes nothing; a corrected line makes version 2.
        let again = dinas.csv("/v1/reports/import?on_error=skip", csv)
        XCTAssertEqual(again["created"], 0)
        XCTAssertEqual(again["unchanged"], 1)
        let fixed = dinas.csv("/v1/reports/import", """
            kecamatan,period,category,desa,male,female,count
            32.74.01,2024-01,LUT,,11,12,
            32.74.01,2024-01,FM,,,,40
            32.74.01,2024-01,PGM,32.74.01.1001,2,1,
            32.74.01,2024-02,LUT,,1,1,
            """)
        XCTAssertEqual(fixed.status, 200, fixed.text)
        XCTAssertEqual(fixed["updated"], 1)
        XCTAssertEqual(fixed["created"], 1)
        let h = dinas.get("/v1/reports/32.74.01/2024-01/history")
        XCTAssertEqual(h["items"]?.arrayValue?.last?["changes"]?.arrayValue?.first?["field"], "pmks[LUT].male")
        XCTAssertEqual(h["items"]?.arrayValue?.last?["reason"], "import")

        // NDJSON works the same; a report in the live workflow is not overwritten.
        XCTAssertEqual(dinas.put("/v1/reports/32.74.05/2026-09", [:]).status, 201)
        let nd = dinas.request("POST", "/v1/reports/import", body: Array("""
            {"kecamatan":"32.74.05","period":"2024-03","category":"FM","count":7}
            {"kecamatan":"32.74.05","period":"2026-09","category":"FM","count":7}
            """.utf8), contentType: "application/x-ndjson")
        XCTAssertEqual(nd.status, 422)
        XCTAssertEqual(nd["errors"]?.arrayValue?.first?["code"], "in_workflow")
        XCTAssertEqual(nd["errors"]?.arrayValue?.first?["row"], 2)
        XCTAssertEqual(dinas.csv("/v1/reports/import", "kecamatan,period\n").status, 422, "missing column")
        XCTAssertEqual(s.client(token: try s.token(.tksk, "32.74.01")).csv("/v1/reports/import", csv).status, 403)
    }
}
