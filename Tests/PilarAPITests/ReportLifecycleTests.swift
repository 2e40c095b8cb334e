import XCTest
import PilarCore

/// A report's life over HTTP: draft, replace, submit, return with notes, resubmit, verify,
/// revise, history with diffs; ETags, If-Match, idempotent retries.
final class ReportLifecycleTests: XCTestCase {
    var s: TestServer!
    let clock = ReportClock("2026-11-05T03:00:00Z")  // 10:00 WIB, five days before the October report is due
    override func setUpWithError() throws { s = try reportServer(clock) }
    override func tearDown() { s.stop() }

    func testCatalogue() throws {
        let r = s.client(token: try s.token(.viewer, "32.74")).get("/v1/catalog/pmks-categories")
        XCTAssertEqual(r.status, 200)
        let items = r["items"]?.arrayValue ?? []
        XCTAssertEqual(items.map { $0["code"]?.stringValue ?? "" }, PMKSCategory.all.map(\.code))
        let an = items.first { $0["code"] == "AN" }
        XCTAssertEqual(an?["active"], false)
        XCTAssertEqual(an?["replaced_by"], "ABH")
        let fm = items.first { $0["code"] == "FM" }
        XCTAssertEqual(fm?["unit"], "household")
        XCTAssertEqual(fm?["group"], "kemiskinan")
        XCTAssertEqual(fm?["replaced_by"], .null)
    }

    func testWholeLifeCycle() throws {
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let path = "/v1/reports/32.74.01/2026-10"

        // Create with the undotted code; 201 with an ETag.
        let created = tksk.put("/v1/reports/327401/2026-10", reportBody())
        XCTAssertEqual(created.status, 201, created.text)
        let etag1 = try XCTUnwrap(created.header("ETag"))
        XCTAssertEqual(created["status"], "draft")
        XCTAssertEqual(created["version"], 1)
        XCTAssertEqual(created["kecamatan"], "32.74.01")
        XCTAssertEqual(created["due_at"], "2026-11-10T16:59:59.000Z")
        XCTAssertEqual(created["late"], false)
        XCTAssertEqual(created.allowedActions, ["edit", "submit"])
        // Desa lines are stored dotted and sorted in catalogue order.
        XCTAssertEqual(created["pmks"]?.arrayValue?.map { $0["category"]?.stringValue ?? "" }, ["LUT", "PGM", "PGM", "FM"])
        XCTAssertEqual(created["pmks"]?.arrayValue?[2]["desa"], "32.74.01.1002")

        // The same PUT again is the same version, same ETag (a retry is safe).
        let again = tksk.put(path, reportBody())
        XCTAssertEqual(again.status, 200)
        XCTAssertEqual(again["version"], 1)
        XCTAssertEqual(again.header("ETag"), etag1)
        let get = tksk.get(path)
        XCTAssertEqual(get.status, 200)
        XCTAssertEqual(get.header("ETag"), etag1)

        // Replace in a later sitting: version 2 (saves within ReportLimits.collapseWindow of the
        // last one are the same version); a writer holding the old ETag is refused.
        clock.set("2026-11-05T03:30:00Z")
        let replaced = tksk.put(path, reportBody(lut: 13), headers: [("If-Match", etag1)])
        XCTAssertEqual(replaced.status, 200, replaced.text)
        XCTAssertEqual(replaced["version"], 2)
        let lost = tksk.put(path, reportBody(lut: 99), headers: [("If-Match", etag1)])
        XCTAssertEqual(lost.status, 412)
        XCTAssertEqual(lost["current_version"], 2)
        XCTAssertEqual(tksk.put("/v1/reports/32.74.01/2026-09", reportBody(period: "2026-09"), headers: [("If-Match", etag1)]).status, 412)
        XCTAssertEqual(tksk.put(path, reportBody(lut: 13), headers: [("If-None-Match", "*")]).status, 412)
        // An ETag in If-None-Match means nothing on PUT: refused rather than silently ignored.
        XCTAssertEqual(tksk.put(path, reportBody(lut: 14), headers: [("If-None-Match", "\"r1.1\"")]).status, 400)
        XCTAssertEqual(tksk.get(path)["version"], 2)

        // Submit on time.
        clock.set("2026-11-08T02:00:00Z")
        let submitted = tksk.post(path + "/submit", [:])
        XCTAssertEqual(submitted.status, 200, submitted.text)
        XCTAssertEqual(submitted["status"], "submitted")
        XCTAssertEqual(submitted["late"], false)
        XCTAssertEqual(submitted["submitted_at"], "2026-11-08T02:00:00.000Z")
        XCTAssertNotEqual(submitted.header("ETag"), replaced.header("ETag"))
        XCTAssertEqual(tksk.post(path + "/verify", [:]).status, 403, "a tksk does not verify")
        XCTAssertEqual(tksk.put(path, reportBody(lut: 14)).status, 409, "submitted reports are not edited")

        // Return: a reason is required; per-field notes reach the TKSK.
        let noReason = dinas.post(path + "/return", [:])
        XCTAssertEqual(noReason.status, 422)
        XCTAssertEqual(noReason.errorFields, ["reason"])
        XCTAssertEqual(dinas.post(path + "/return", ["reason": "cek", "notes": [["field": "pmks[LUT].male"]]]).errorFields,
                       ["notes[0].message"])
        // Notes name fields as the history does (stable keys) and must point into the report.
        // A name of the wrong shape is a 422; a field this report does not have (its lines are its
        // current state) a 409 with code unknown_report_field. Positions are not names.
        for (wrong, status) in [("pmks[2].male", 409), ("pmks[99].male", 409), ("pmks[KBA].male", 409), ("pmks[LUT].mail", 422),
                                ("psks[LKS].count", 409), ("activities[1]", 409), ("LUT laki-laki", 422)] {
            let r = dinas.post(path + "/return", ["reason": "cek", "notes": [["field": .string(wrong), "message": "x"]]])
            XCTAssertEqual(r.status, status, wrong)
            XCTAssertEqual(r.errorFields, ["notes[0].field"], wrong)
            if status == 409 { XCTAssertEqual(r["code"], "unknown_report_field", wrong) }
        }
        XCTAssertEqual(dinas.get(path)["status"], "submitted", "nothing returned")
        let returned = dinas.post(path + "/return", ["reason": "Angka LUT tidak cocok",
                                                     "notes": [["field": "pmks[LUT].male", "message": "cek rekap kelurahan"],
                                                               ["field": "pmks[PGM@32.74.01.1002].female", "message": "nol?"],
                                                               ["field": "activities[0].participants", "message": "daftar hadir"]]])
        XCTAssertEqual(returned.status, 200, returned.text)
        XCTAssertEqual(returned["status"], "returned")
        let seen = tksk.get(path)
        XCTAssertEqual(seen["return"]?["reason"], "Angka LUT tidak cocok")
        XCTAssertEqual(seen["return"]?["notes"]?.arrayValue?.first?["field"], "pmks[LUT].male")
        XCTAssertEqual(seen.allowedActions, ["edit", "submit"])

        // Correct and resubmit after the due date: still on time (judged on the first submission).
        let fixed = tksk.put(path, reportBody(lut: 14))
        XCTAssertEqual(fixed["status"], "returned")
        XCTAssertEqual(fixed["version"], 3)
        clock.set("2026-11-12T02:00:00Z")
        let resubmitted = tksk.post(path + "/submit", [:])
        XCTAssertEqual(resubmitted["status"], "submitted")
        XCTAssertEqual(resubmitted["late"], false)
        XCTAssertEqual(resubmitted["return"], .null, "the return is done once resubmitted; the history keeps it")
        let verified = dinas.post(path + "/verify", [:])
        XCTAssertEqual(verified.status, 200)
        XCTAssertEqual(verified["status"], "verified")
        XCTAssertEqual(verified["verified_at"], "2026-11-12T02:00:00.000Z")
        XCTAssertEqual(verified["return"], .null)

        // A verified report: closed to the TKSK; the Dinas makes a new version with a reason.
        let closed = tksk.put(path, reportBody(lut: 15))
        XCTAssertEqual(closed.status, 409)
        XCTAssertEqual(closed["current_status"], "verified")
        XCTAssertEqual(closed.allowedActions, [])
        XCTAssertEqual(dinas.put(path, reportBody(lut: 15)).errorFields, ["reason"])
        let revised = dinas.put(path, (["reason": "Koreksi data LUT dari kelurahan"] as JSON).merging(reportBody(lut: 15)))
        XCTAssertEqual(revised.status, 200, revised.text)
        XCTAssertEqual(revised["status"], "verified")
        XCTAssertEqual(revised["version"], 4)

        // History: every version, who, why, events, and the field-level difference.
        let h = tksk.get(path + "/history")
        XCTAssertEqual(h.status, 200)
        let versions = h["items"]?.arrayValue ?? []
        XCTAssertEqual(versions.map { $0["version"]?.intValue ?? 0 }, [1, 2, 3, 4])
        XCTAssertEqual(versions[1]["changes"]?.arrayValue?.map { $0["field"]?.stringValue ?? "" }, ["pmks[LUT].male"])
        XCTAssertEqual(versions[1]["changes"]?.arrayValue?.first?["before"], 12)
        XCTAssertEqual(versions[1]["changes"]?.arrayValue?.first?["after"], 13)
        let actions = versions[1]["events"]?.arrayValue?.map { $0["action"]?.stringValue ?? "" }
        XCTAssertEqual(actions, ["replaced", "submitted", "returned"])
        XCTAssertEqual(versions[1]["events"]?.arrayValue?[2]["notes"]?.arrayValue?.first?["message"], "cek rekap kelurahan")
        XCTAssertEqual(versions[2]["events"]?.arrayValue?.map { $0["action"]?.stringValue ?? "" }, ["replaced", "resubmitted", "verified"])
        XCTAssertEqual(versions[3]["reason"], "Koreksi data LUT dari kelurahan")
        XCTAssertEqual(versions[3]["status"], "verified")
        XCTAssertEqual(versions[0]["changes"]?.arrayValue?.count, 9, "v1 lists every field as added")
    }

    func testIllegalTransitionsAre409WithStatusAndAllowedActions() throws {
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let path = "/v1/reports/32.74.01/2026-10"
        XCTAssertEqual(dinas.post(path + "/submit", [:]).status, 404, "no report yet")
        XCTAssertEqual(dinas.put(path, reportBody()).status, 201)
        func expect(_ action: String, _ status: String, _ allowed: [String], line: UInt = #line) {
            let r = dinas.post("\(path)/\(action)", action == "return" ? ["reason": "x"] : [:])
            XCTAssertEqual(r.status, 409, "\(action) on \(status)", line: line)
            XCTAssertEqual(r["current_status"]?.stringValue, status, line: line)
            XCTAssertEqual(r.allowedActions, allowed, line: line)
        }
        expect("verify", "draft", ["edit", "submit"])
        expect("return", "draft", ["edit", "submit"])
        XCTAssertEqual(dinas.post(path + "/submit", [:]).status, 200)
        expect("submit", "submitted", ["verify", "return"])
        XCTAssertEqual(dinas.post(path + "/return", ["reason": "x"]).status, 200)
        expect("verify", "returned", ["edit", "submit"])
        expect("return", "returned", ["edit", "submit"])
        XCTAssertEqual(dinas.post(path + "/submit", [:]).status, 200)
        XCTAssertEqual(dinas.post(path + "/verify", [:]).status, 200)
        expect("submit", "verified", ["revise"])
        expect("verify", "verified", ["revise"])
        expect("return", "verified", ["revise"])
        let viewer = s.client(token: try s.token(.viewer, "32.74"))
        XCTAssertEqual(viewer.post(path + "/submit", [:]).status, 403)
    }

    func testIdempotencyKeyReplaysTheFirstAnswer() throws {
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        let path = "/v1/reports/32.74.01/2026-10"
        XCTAssertEqual(tksk.put(path, reportBody()).status, 201)
        let key = [("Idempotency-Key", "4f1c0b7e-submit-oct")]
        let first = tksk.post(path + "/submit", [:], headers: key)
        XCTAssertEqual(first.status, 200)
        let repeatSubmit = tksk.post(path + "/submit", [:], headers: key)
        XCTAssertEqual(repeatSubmit.status, 200, "the lost answer is given again, not a 409")
        XCTAssertEqual(repeatSubmit.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(repeatSubmit.body, first.body)
        XCTAssertEqual(repeatSubmit.header("ETag"), first.header("ETag"))
        // The same path with the undotted code is the same request.
        XCTAssertEqual(tksk.post("/v1/reports/327401/2026-10/submit", [:], headers: key).status, 200)
        // Without the key a second submit is a conflict; the same key with another body is refused.
        XCTAssertEqual(tksk.post(path + "/submit", [:]).status, 409)
        let reused = tksk.post(path + "/submit", ["reason": "other"], headers: key)
        XCTAssertEqual(reused.status, 422)
        XCTAssertEqual(reused.errorCodes, ["key_reused"])
        // Another token's key space is its own.
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        XCTAssertEqual(dinas.post(path + "/submit", [:], headers: key).status, 409)
        let h = tksk.get(path + "/history")
        XCTAssertEqual(h["items"]?.arrayValue?.first?["events"]?.arrayValue?.count, 2, "created + one submit")
    }
}

extension JSON {
    /// Adds the members of another object (for bodies built from reportBody()).
    func merging(_ other: JSON) -> JSON {
        guard case .object(var o) = self, case .object(let p) = other else { return self }
        for (k, v) in p { o[k] = v }
        return .object(o)
    }
}
