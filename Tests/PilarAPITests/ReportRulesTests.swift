import XCTest
import PilarCore

/// Every report rule, one failing body each (422 naming the line and field), the JSON type
/// checks, lateness across month and year ends, the list, and the scope matrix.
final class ReportRulesTests: XCTestCase {
    var s: TestServer!
    let clock = ReportClock("2026-11-05T03:00:00Z")
    override func setUpWithError() throws { s = try reportServer(clock) }
    override func tearDown() { s.stop() }

    func line(_ o: JSON) -> JSON { ["pmks": [o]] }

    func testEveryRuleNamesTheField() throws {
        let c = s.client(token: try s.token(.tksk, "32.74.01"))
        let path = "/v1/reports/32.74.01/2026-10"
        let cases: [(String, JSON, String, String)] = [
            ("unknown category", line(["category": "XYZ", "male": 1, "female": 1]), "pmks[0].category", "unknown"),
            ("retired category", line(["category": "AN", "male": 1, "female": 1]), "pmks[0].category", "retired"),
            ("person with count", line(["category": "LUT", "male": 1, "female": 1, "count": 2]), "pmks[0].count", "not_applicable"),
            ("person without female", line(["category": "LUT", "male": 1]), "pmks[0].female", "required"),
            ("household with male", line(["category": "FM", "count": 3, "male": 1]), "pmks[0].male", "not_applicable"),
            ("household without count", line(["category": "KAT"]), "pmks[0].count", "required"),
            ("negative", line(["category": "LUT", "male": -1, "female": 1]), "pmks[0].male", "out_of_range"),
            ("too many", line(["category": "FM", "count": 1_000_001]), "pmks[0].count", "out_of_range"),
            ("women only", line(["category": "PRSE", "male": 3, "female": 1]), "pmks[0].male", "women_only"),
            ("desa elsewhere", line(["category": "LUT", "desa": "32.74.02.1001", "male": 1, "female": 1]), "pmks[0].desa", "outside"),
            ("unknown desa", line(["category": "LUT", "desa": "32.74.01.1099", "male": 1, "female": 1]), "pmks[0].desa", "unknown"),
            ("bad desa", line(["category": "LUT", "desa": "Kejaksan", "male": 1, "female": 1]), "pmks[0].desa", "invalid"),
            ("duplicate", ["pmks": [["category": "FM", "count": 1], ["category": "fm", "count": 2]]], "pmks[1].category", "duplicate"),
            ("psks type", ["psks": [["type": "ABC", "count": 1]]], "psks[0].type", "unknown"),
            ("activity kind", ["activities": [["kind": "rapat", "date": "2026-10-02", "description": "x"]]], "activities[0].kind", "unknown"),
            ("activity date", ["activities": [["kind": "monev", "date": "2026-09-30", "description": "x"]]], "activities[0].date", "outside_period"),
            ("activity text", ["activities": [["kind": "monev", "date": "2026-10-02", "description": " "]]], "activities[0].description", "required"),
            // JSON type checks, before any rule
            ("string number", line(["category": "LUT", "male": "3", "female": 1]), "pmks[0].male", "wrong_type"),
            ("fraction", line(["category": "LUT", "male": 1.5, "female": 1]), "pmks[0].male", "wrong_type"),
            ("unknown line field", line(["category": "FM", "count": 1, "jumlah": 1]), "pmks[0].jumlah", "unknown_field"),
            ("unknown top field", ["pmks": [], "laporan": 1], "laporan", "unknown_field"),
            ("pmks not array", ["pmks": "LUT"], "pmks", "wrong_type"),
            ("line not object", ["pmks": [1]], "pmks[0]", "wrong_type"),
            ("notes type", ["notes": "none"], "notes", "wrong_type"),
            ("notes field type", ["notes": ["kendala": 3]], "notes.kendala", "wrong_type"),
            ("psks count type", ["psks": [["type": "PSM", "count": true]]], "psks[0].count", "wrong_type"),
            ("path mismatch", ["period": "2026-09"], "period", "path_mismatch"),
        ]
        for (what, body, field, code) in cases {
            let r = c.put(path, body)
            XCTAssertEqual(r.status, 422, "\(what): \(r.text)")
            XCTAssertTrue(r.errorFields.contains(field), "\(what): \(r.errorFields)")
            XCTAssertTrue(r.errorCodes.contains(code), "\(what): \(r.errorCodes)")
        }
        let retired = c.put(path, line(["category": "AN", "male": 1, "female": 1]))
        XCTAssertTrue(retired.text.contains("ABH"), "a retired code names its successor")
        XCTAssertEqual(c.put("/v1/reports/32.74.01/2026-12", [:]).errorCodes, ["in_future"])
        XCTAssertEqual(c.put("/v1/reports/32.74.01/2026-13", [:]).status, 400)
        XCTAssertEqual(c.put("/v1/reports/32.74.01.1001/2026-10", [:]).status, 400)
        XCTAssertEqual(c.request("PUT", path, body: Array("[1]".utf8), contentType: "application/json").status, 400)
        XCTAssertEqual(c.get(path).status, 404, "nothing was written by a refused PUT")
        // The passing side: the current month, an empty report, and the full example.
        XCTAssertEqual(c.put("/v1/reports/32.74.01/2026-11", [:]).status, 201)
        XCTAssertEqual(c.put(path, reportBody()).status, 201)
        let admin = s.client()
        XCTAssertEqual(admin.put("/v1/reports/32.74.09/2026-10", [:]).status, 404, "unknown kecamatan")
    }

    func testQualityWarningsAtSubmitNeverBlock() throws {
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        // Six months of about 40 households, then 400: unusual and a sudden change.
        for m in 4...9 {
            let p = "2026-0\(m)"
            XCTAssertEqual(dinas.put("/v1/reports/32.74.01/\(p)", reportBody(fm: Int64(38 + m % 3), period: p)).status, 201)
            XCTAssertEqual(dinas.post("/v1/reports/32.74.01/\(p)/submit", [:]).status, 200)
        }
        var body = reportBody(fm: 400)
        if case .object(var o) = body {  // desa lines that do not add up to the kecamatan line
            o["pmks"] = .array((o["pmks"]!.arrayValue!) + [["category": "PGM", "male": 9, "female": 9]])
            body = .object(o)
        }
        XCTAssertEqual(dinas.put("/v1/reports/32.74.01/2026-10", body).status, 201)
        let r = dinas.post("/v1/reports/32.74.01/2026-10/submit", [:])
        XCTAssertEqual(r.status, 200)
        let codes = Set((r["warnings"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue })
        XCTAssertEqual(codes, ["unusual_total", "sudden_change", "desa_sum_mismatch"])
        XCTAssertEqual(dinas.get("/v1/reports/32.74.01/2026-10")["warnings"]?.arrayValue?.count, 3, "kept for the verifier")
        XCTAssertEqual(dinas.get("/v1/reports/32.74.01/2026-09")["warnings"]?.arrayValue?.count, 0)
    }

    func testLatenessAcrossMonthAndYearEnds() throws {
        let c = s.client(token: try s.token(.tksk, "32.74.01"))
        func submit(_ period: String, at: String) -> TestResponse {
            clock.set(at)
            XCTAssertEqual(c.put("/v1/reports/32.74.01/\(period)", [:]).status, 201)
            return c.post("/v1/reports/32.74.01/\(period)/submit", [:])
        }
        // October: due 10 November 23:59:59 WIB = 16:59:59Z.
        let onTime = submit("2026-10", at: "2026-11-10T16:59:59Z")
        XCTAssertEqual(onTime["late"], false)
        XCTAssertEqual(onTime["days_late"], 0)
        let c2 = s.client(token: try s.token(.tksk, "32.74.02"))
        clock.set("2026-11-10T17:00:00Z")
        XCTAssertEqual(c2.put("/v1/reports/32.74.02/2026-10", [:]).status, 201)
        let late = c2.post("/v1/reports/32.74.02/2026-10/submit", [:])
        XCTAssertEqual(late["late"], true)
        XCTAssertEqual(late["days_late"], 1)
        // December 2026: due 10 January 2027, across the year end.
        let dec = submit("2026-12", at: "2027-01-10T16:59:59Z")
        XCTAssertEqual(dec["due_at"], "2027-01-10T16:59:59.000Z")
        XCTAssertEqual(dec["late"], false)
        clock.set("2027-01-10T17:00:01Z")
        XCTAssertEqual(c2.put("/v1/reports/32.74.02/2026-12", [:]).status, 201)
        XCTAssertEqual(c2.post("/v1/reports/32.74.02/2026-12/submit", [:])["late"], true)
        // A draft not yet submitted counts days overdue.
        clock.set("2027-01-13T01:00:00Z")
        XCTAssertEqual(c.put("/v1/reports/32.74.01/2026-11", [:]).status, 201)
        XCTAssertEqual(c.get("/v1/reports/32.74.01/2026-11")["days_late"], 34)
        // The list filters on late.
        let lateOnes = s.client().get("/v1/reports?late=true")
        XCTAssertEqual(Set((lateOnes["items"]?.arrayValue ?? []).map { "\($0["kecamatan"]!.stringValue!) \($0["period"]!.stringValue!)" }),
                       ["32.74.02 2026-10", "32.74.02 2026-12"])
    }

    func testConfiguredDueDate() throws {
        s.stop()
        var config = PilarConfig()
        config.dueDates = DueDatePolicy(dayOfNextMonth: 5, hour: 17, minute: 0)
        s = try reportServer(clock, config: config)
        let r = s.client().put("/v1/reports/32.74.01/2026-10", [:])
        XCTAssertEqual(r["due_at"], "2026-11-05T10:00:59.000Z")
        XCTAssertEqual(s.client().post("/v1/reports/32.74.01/2026-10/submit", [:])["late"], false)
    }

    func testListIsScopedAndKeysetPaginated() throws {
        let admin = s.client()
        for k in ["01", "02", "03"] {
            for p in ["2026-09", "2026-10"] { XCTAssertEqual(admin.put("/v1/reports/32.74.\(k)/\(p)", [:]).status, 201) }
        }
        XCTAssertEqual(admin.post("/v1/reports/32.74.02/2026-10/submit", [:]).status, 200)
        var seen: [String] = []
        var next: String? = nil
        repeat {
            let r = admin.get("/v1/reports?region=32.74&limit=4" + (next.map { "&cursor=\($0)" } ?? ""))
            XCTAssertEqual(r.status, 200)
            seen += (r["items"]?.arrayValue ?? []).map { "\($0["period"]!.stringValue!) \($0["kecamatan"]!.stringValue!)" }
            next = r["next_cursor"]?.stringValue
        } while next != nil
        XCTAssertEqual(seen, ["2026-10 32.74.01", "2026-10 32.74.02", "2026-10 32.74.03",
                              "2026-09 32.74.01", "2026-09 32.74.02", "2026-09 32.74.03"])
        XCTAssertEqual(admin.get("/v1/reports?status=submitted")["items"]?.arrayValue?.count, 1)
        XCTAssertEqual(admin.get("/v1/reports?period=2026-09")["items"]?.arrayValue?.count, 3)
        XCTAssertEqual(admin.get("/v1/reports?status=done").status, 400)
        XCTAssertEqual(admin.get("/v1/reports?cursor=abc").status, 400)
        let tksk = s.client(token: try s.token(.tksk, "32.74.03"))
        XCTAssertEqual(tksk.get("/v1/reports")["items"]?.arrayValue?.count, 2)
        XCTAssertEqual(tksk.get("/v1/reports?region=32.74").status, 403)
        XCTAssertEqual(s.client(token: try s.token(.viewer, "32.74")).get("/v1/reports").status, 403)
    }
}
