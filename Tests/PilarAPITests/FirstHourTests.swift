import XCTest
import PilarCore

/// What a newcomer meets in the first hour (issue 14): finding a region by name, the audit
/// filters as documented, unknown parameters refused, and what a TKSK has to do in /v1/me.
final class FirstHourTests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    func testRegionsFoundByName() throws {
        let admin = s.client()
        let found = admin.get("/v1/regions?q=KEJAKSAN")
        XCTAssertEqual(found.status, 200)
        let codes = found["items"]?.arrayValue?.compactMap { $0["code"]?.stringValue }
        XCTAssertEqual(codes, ["32.74.01", "32.74.01.1001"])
        XCTAssertEqual(admin.get("/v1/regions?q=kejaksan&limit=1")["items"]?.arrayValue?.count, 1)
        // Inside a parent; % is a character, not a wildcard.
        XCTAssertEqual(admin.get("/v1/regions?q=an&parent=32.74.02")["items"]?.arrayValue?.compactMap { $0["code"]?.stringValue },
                       ["32.74.02.1001", "32.74.02.1003", "32.74.02.1004"])
        XCTAssertEqual(admin.get("/v1/regions?q=%25%25")["items"]?.arrayValue?.count, 0)
        XCTAssertEqual(admin.get("/v1/regions?q=k").status, 400)
        // A TKSK finds only what it may see.
        let tksk = s.client(token: try s.token(.tksk, "32.74.02"))
        XCTAssertEqual(tksk.get("/v1/regions?q=kejaksan")["items"]?.arrayValue?.count, 0)
        XCTAssertEqual(tksk.get("/v1/regions?q=lemahwungkuk")["items"]?.arrayValue?.count, 2)
    }

    func testUnknownParametersAreRefused() {
        let admin = s.client()
        for path in ["/v1/regions?name=kejaksan", "/v1/regions?parnet=32.74", "/v1/audit?entiy=token", "/v1/audit?since=2026-01-01&foo=1"] {
            let r = admin.get(path)
            XCTAssertEqual(r.status, 400, path)
            XCTAssertEqual(r.header("Content-Type"), "application/problem+json", path)
            XCTAssertEqual(r["errors"]?[0]?["code"]?.stringValue, "unknown_parameter", path)
        }
        XCTAssertEqual(admin.get("/v1/regions?parent=32.74&_=123").status, 200)
    }

    func testAuditEntitiesAsDocumented() throws {
        let admin = s.client()
        let csv = "code,name,level,parent_code\n32.74.01.1001,Kejaksan,kelurahan,32.74.01\n32.74.99,Baru,kecamatan,32.74\n"
        XCTAssertEqual(admin.csv("/v1/regions/import", csv).status, 200)
        let regions = admin.get("/v1/audit?entity=region")
        XCTAssertEqual(regions.status, 200)
        XCTAssertEqual(regions["items"]?.arrayValue?.count, 1)
        XCTAssertEqual(regions["items"]?[0]?["entity"]?.stringValue, "region")
        let bad = admin.get("/v1/audit?entity=regions")
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(bad["detail"]?.stringValue?.contains("training_participant") ?? false, bad.text)
        // Every entity the openapi lists is one the server accepts.
        let spec = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../openapi.yaml").standardized.path, encoding: .utf8)
        XCTAssertTrue(spec.contains("enum: [\(AuditLog.entities.joined(separator: ", "))]"))
        for e in AuditLog.entities { XCTAssertEqual(admin.get("/v1/audit?entity=\(e)").status, 200, e) }
    }

    func testMeTellsATKSKWhatIsDueAndWhatWasReturned() throws {
        let now = Clock.system.now()
        let last = ReportPeriod.containing(now, timeZone: ReportValidation.wib).adding(months: -1)
        // Kejaksan's last month is open in the demo; Harjamukti's was returned.
        let kejaksan = s.client(token: try s.token(.tksk, "32.74.01"))
        let tasks = kejaksan.get("/v1/me")["tasks"]
        XCTAssertEqual(tasks?["due"]?[0]?["period"]?.stringValue, last.description)
        XCTAssertEqual(tasks?["due"]?[0]?["status"]?.stringValue, "missing")
        XCTAssertEqual(tasks?["due"]?.arrayValue?.count, 12 - 3)  // the demo filled three older months
        XCTAssertEqual(tasks?["returned"]?.arrayValue?.count, 0)
        let harjamukti = s.client(token: try s.token(.tksk, "32.74.03"))
        let returned = harjamukti.get("/v1/me")["tasks"]?["returned"]
        XCTAssertEqual(returned?[0]?["period"]?.stringValue, last.description)
        XCTAssertNotNil(returned?[0]?["reason"]?.stringValue)
        XCTAssertEqual(returned?[0]?["notes"]?[0]?["field"]?.stringValue, "pmks[LUT].male")
        // Once submitted, the month is no longer due; other roles get no tasks.
        let pekalipan = s.client(token: try s.token(.tksk, "32.74.04"))
        XCTAssertEqual(pekalipan.get("/v1/me")["tasks"]?["due"]?[0]?["status"]?.stringValue, "draft")
        XCTAssertEqual(pekalipan.post("/v1/reports/32.74.04/\(last)/submit", [:]).status, 200)
        XCTAssertNotEqual(pekalipan.get("/v1/me")["tasks"]?["due"]?[0]?["period"]?.stringValue, last.description)
        XCTAssertNil(s.client().get("/v1/me")["tasks"])
    }

    func testRefusedImportIsAProblemThatSaysNothingWasSaved() throws {
        let dinas = s.client(token: try s.token(.kabkota, "32.74"), language: "en")  // the English words are asserted
        let csv = """
            type,name,nik,sex,birth_date,education,region,phone
            PSM,Euis Komariah,3274015708880002,female,1988-08-17,SLTA,32.74.01.1002,081233300001
            PSM,Asep Saepudin,3274011212850003,female,1985-12-12,SLTA,32.74.01.1003,081233300002
            """
        let euis = { dinas.get("/v1/psks?q=euis&region=32.74.01&limit=500")["items"]?.arrayValue?.count }
        let before = euis()
        let refused = dinas.csv("/v1/psks/import", csv)
        XCTAssertEqual(refused.status, 422)
        XCTAssertEqual(refused.header("Content-Type"), "application/problem+json")
        XCTAssertEqual(refused["code"], "import_refused")
        XCTAssertEqual(refused["status"], 422)
        let detail = refused["detail"]?.stringValue ?? ""
        XCTAssertTrue(detail.hasPrefix("Nothing was saved"), detail)
        XCTAssertTrue(detail.contains("on_error=skip"), detail)
        XCTAssertEqual(refused["would_create"], 1)
        XCTAssertEqual(refused["would_update"], 0)
        XCTAssertEqual(refused["would_leave_unchanged"], 0)
        XCTAssertNil(refused["created"], "no count may read like a success")
        XCTAssertEqual(refused["applied"], false)
        XCTAssertEqual(refused["rejected"], 1)
        XCTAssertEqual(refused["errors"]?[0]?["row"], 3)
        XCTAssertEqual(refused["errors_total"], 1)
        XCTAssertEqual(refused["errors_truncated"], false)
        let code = refused["errors"]?[0]?["code"]?.stringValue ?? "?"
        var counts = JSONObject()
        counts[code] = 1
        XCTAssertEqual(refused["error_counts"]?.objectValue, counts)
        XCTAssertEqual(euis(), before, "nothing saved")
        // The same file with on_error=skip is a success, counted as done.
        let kept = dinas.csv("/v1/psks/import?on_error=skip", csv)
        XCTAssertEqual(kept.status, 200)
        XCTAssertEqual(kept["created"], 1)
        XCTAssertNil(kept["would_create"])
        XCTAssertEqual(euis(), before.map { $0 + 1 })
    }

    func testImportErrorListSaysWhenItIsCut() {
        // 1,200 bad rows of two kinds: 1,000 listed, all counted, by code.
        var csv = "code,name,level,parent_code\n"
        for i in 0..<600 { csv += "9x.\(i),Salah,kota,99\n" }
        for _ in 0..<600 { csv += "32.74.01.1001,,kelurahan,32.74.01\n" }
        let r = s.client().csv("/v1/regions/import?dry_run=true", csv)
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r["errors"]?.arrayValue?.count, 1_000)
        XCTAssertEqual(r["errors_truncated"], true)
        let counts = r["error_counts"]?.objectValue
        XCTAssertEqual(counts?.count, 2, r["error_counts"].debugDescription)
        let total = counts?.reduce(0) { $0 + ($1.value.intValue ?? 0) } ?? 0
        XCTAssertEqual(r["errors_total"]?.intValue, total)
        XCTAssertGreaterThanOrEqual(total, 1_200)
    }

    func testNosniffOnEveryAnswerAndHostChecked() {
        let c = s.client()
        var answers = [c.get("/v1/me"), c.get("/nowhere"), TestClient(port: s.port, token: nil).get("/v1/me"),
                       c.get("/v1/regions?q=x"), c.get("/healthz")]
        for host in ["a:abc", "[::1", "a:99999"] {
            answers.append(TestResponse.parse(RawSocket.exchange(port: s.port, bytes: Array("GET /healthz HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8))))
        }
        XCTAssertEqual(answers.map(\.status), [200, 404, 401, 400, 200, 400, 400, 400])
        for a in answers {
            XCTAssertEqual(a.headers.filter { $0.0.lowercased() == "x-content-type-options" }.map(\.1), ["nosniff"], "\(a.status)")
        }
    }

    func testIfMatchMustBeAnEntityTag() throws {
        let last = ReportPeriod.containing(Clock.system.now(), timeZone: ReportValidation.wib).adding(months: -1)
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let path = "/v1/reports/32.74.02/\(last)"
        let etag = try XCTUnwrap(dinas.get(path).header("ETag"))
        // A value that is not an entity-tag can match nothing: 412, saying why, even beside the right tag.
        for bad in ["psks-1-v1", "\"open", "W/x", "\"a\" \"b\"", "*, \"a\"", "", "0", etag + ", junk"] {
            let r = dinas.request("POST", path + "/verify", headers: [("If-Match", bad)])
            XCTAssertEqual(r.status, 412, bad)
            XCTAssertEqual(r["errors"]?[0]?["code"], "malformed_etag", bad)
        }
        XCTAssertEqual(dinas.get(path)["status"], "submitted", "nothing changed")
        XCTAssertEqual(dinas.request("POST", path + "/verify", headers: [("If-Match", "\"other\", W/\"x\"")]).status, 412)
        XCTAssertEqual(dinas.request("POST", path + "/verify", headers: [("If-Match", "\"x\", " + etag)]).status, 200)
    }

    func testCompletenessSaysNotYetDueBeforeTheDueDate() throws {
        func november(at day: String) throws -> (JSON, [String: String]) {
            let now = Clock.parseTimestamp(day)!
            let server = try TestServer(clock: Clock { now })
            defer { server.stop() }
            let r = server.client().get("/v1/stats/completeness?region=32.74&period=2026-11&list=problems")
            XCTAssertEqual(r.status, 200, r.text)
            var listed: [String: String] = [:]
            for k in r["kecamatan"]?.arrayValue ?? [] { listed[k["code"]!.stringValue!] = k["status"]?.stringValue }
            return (r.json, listed)
        }
        // 3 December: November is due on 10 December. Kejaksan has not started, Pekalipan has a draft.
        let (early, earlyProblems) = try november(at: "2026-12-03T10:00:00Z")
        XCTAssertEqual(early["not_yet_due"], 2)
        XCTAssertEqual(early["received"], 2)
        XCTAssertEqual(early["late"], 0)
        XCTAssertEqual(earlyProblems, ["32.74.02": "submitted", "32.74.03": "returned", "32.74.05": "submitted"])
        let server = try TestServer(clock: Clock { Clock.parseTimestamp("2026-12-03T10:00:00Z")! })
        let all = server.client().get("/v1/stats/completeness?region=32.74&period=2026-11")["kecamatan"]?[0]
        server.stop()
        XCTAssertEqual(all?["status"], "not_yet_due")
        // 20 December: past the due date, Kejaksan is missing and both are problems.
        let (late, lateProblems) = try november(at: "2026-12-20T10:00:00Z")
        XCTAssertEqual(late["not_yet_due"], 0)
        XCTAssertEqual(lateProblems["32.74.01"], "missing")
        XCTAssertEqual(lateProblems["32.74.04"], "draft")
    }

    func testEmptyReportWarnsAndLainnyaIsAnActivity() throws {
        let last = ReportPeriod.containing(Clock.system.now(), timeZone: ReportValidation.wib).adding(months: -1)
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        let path = "/v1/reports/32.74.01/\(last)"
        XCTAssertEqual(tksk.put(path, [:]).status, 201)
        let submitted = tksk.post(path + "/submit", [:])
        XCTAssertEqual(submitted.status, 200)
        XCTAssertEqual(submitted["warnings"]?.arrayValue?.compactMap { $0["code"]?.stringValue }, ["empty_report"])
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        XCTAssertEqual(dinas.post(path + "/return", ["reason": "laporan kosong"]).status, 200)
        let other: JSON = ["activities": [["kind": "lainnya", "date": .string("\(last)-03"), "description": "Membantu data bencana banjir"]]]
        let fixed = tksk.put(path, other)
        XCTAssertEqual(fixed.status, 200, fixed.text)
        XCTAssertEqual(fixed["activities"]?[0]?["kind"], "lainnya")
        XCTAssertEqual(tksk.post(path + "/submit", [:])["warnings"]?.arrayValue?.count, 0)
        XCTAssertEqual(tksk.put("/v1/reports/32.74.01/\(last.next)",
                                ["activities": [["kind": "lain", "date": .string("\(last.next)-01"), "description": "x"]]]).status, 422)
    }

    func testStatsDownloadsAreNamedByWhatTheyHold() {
        let c = s.client()
        let disposition = { (path: String) in c.get(path).header("Content-Disposition") ?? "" }
        XCTAssertEqual(disposition("/v1/stats/pmks.csv?region=32.74&period=2026-10"), "attachment; filename=\"pmks-3274-2026-10.csv\"")
        XCTAssertEqual(disposition("/v1/stats/completeness.csv?region=3274&period=2026-01&period_to=2026-06"),
                       "attachment; filename=\"completeness-3274-2026-01-2026-06.csv\"")
        XCTAssertEqual(disposition("/v1/stats/capacity.csv?region=32.74&year=2026"), "attachment; filename=\"capacity-3274-2026.csv\"")
        XCTAssertEqual(disposition("/v1/stats/psks.csv"), "attachment; filename=\"psks-id.csv\"")
    }
}

extension JSON {
    /// The element at `index` of an array, for short paths in assertions.
    subscript(index: Int) -> JSON? {
        guard let a = arrayValue, a.indices.contains(index) else { return nil }
        return a[index]
    }
}
