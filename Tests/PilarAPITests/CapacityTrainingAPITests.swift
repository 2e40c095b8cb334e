import Foundation
import XCTest
import PilarCore

/// Training events over HTTP: the event -> eligibility path, scope between two kota, the CSV
/// attendance import with row errors and dry_run, and validation.
final class CapacityTrainingAPITests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    func evidence(_ r: TestResponse) -> JSON? { r["eligibility"]?["criteria"]?.arrayValue?.first?["evidence"] }

    func testCompletedEventMakesAPSMEligibleUntilItIsCancelled() throws {
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let id = s.newPSM(dinas, serial: 951)
        let before = dinas.get("/v1/psks/\(id)")
        XCTAssertEqual(before.status, 200)
        XCTAssertEqual(before["eligibility"]?["eligible"], false)
        XCTAssertEqual(before["eligibility"]?["pending"], ["training"])
        XCTAssertEqual(evidence(before), .null)

        let tid = s.newTraining(dinas)
        let added = dinas.post("/v1/trainings/\(tid)/participants", ["psks_id": .int(id)])
        XCTAssertEqual(added.status, 200, added.text)
        XCTAssertEqual(added["created"], 1)
        XCTAssertEqual(dinas.get("/v1/psks/\(id)")["eligibility"]?["eligible"], false, "on the list is not completed")

        let done = dinas.patch("/v1/trainings/\(tid)/participants/\(id)", ["completed": true, "certificate_number": "PSM/3274/2026/014"])
        XCTAssertEqual(done.status, 200, done.text)
        XCTAssertEqual(done["attended"], true)
        let after = dinas.get("/v1/psks/\(id)", headers: [("If-None-Match", before.header("ETag") ?? "")])
        XCTAssertEqual(after.status, 200, "new evidence is a new ETag, never a 304")
        XCTAssertEqual(after["eligibility"]?["eligible"], true)
        XCTAssertEqual(after["eligibility"]?["pending"], [])
        XCTAssertEqual(evidence(after), ["training_id": .int(tid)])
        let history = dinas.get("/v1/psks/\(id)/trainings")
        XCTAssertEqual(history["items"]?.arrayValue?.first?["training_id"], .int(tid))
        XCTAssertEqual(history["items"]?.arrayValue?.first?["evidence_for"], "training")

        let event = dinas.get("/v1/trainings/\(tid)")
        let cancelled = dinas.patch("/v1/trainings/\(tid)", ["status": "cancelled"], headers: [("If-Match", event.header("ETag") ?? "")])
        XCTAssertEqual(cancelled.status, 200, cancelled.text)
        XCTAssertEqual(cancelled["status"], "cancelled")
        let gone = dinas.get("/v1/psks/\(id)")
        XCTAssertEqual(gone["eligibility"]?["eligible"], false)
        XCTAssertEqual(evidence(gone), .null)
        XCTAssertEqual(dinas.get("/v1/psks/\(id)/trainings")["items"]?.arrayValue?.first?["evidence_for"], .null)
        // A cancelled event takes no changes to its participants; a stale ETag is refused.
        XCTAssertEqual(dinas.patch("/v1/trainings/\(tid)/participants/\(id)", ["completed": false]).status, 409)
        XCTAssertEqual(dinas.patch("/v1/trainings/\(tid)", ["place": "Gedung Negara"], headers: [("If-Match", event.header("ETag") ?? "")]).status, 412)
    }

    func testCompletionNeedsAnEndedEventAndTheProgrammesType() throws {
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let id = s.newPSM(dinas, serial: 952)
        let future = s.newTraining(dinas, starts: "2027-02-01", ends: "2027-02-03")
        let early = dinas.post("/v1/trainings/\(future)/participants", ["psks_id": .int(id), "completed": true])
        XCTAssertEqual(early.status, 422, early.text)
        XCTAssertEqual(early.fieldErrors, ["completed:event_not_ended"])
        let tagana = s.newTraining(dinas, programme: "TAGANA_DASAR")
        let wrong = dinas.post("/v1/trainings/\(tagana)/participants", ["participants": [["psks_id": .int(id)]]])
        XCTAssertEqual(wrong.status, 422, wrong.text)
        XCTAssertEqual(wrong.fieldErrors, ["participants[0].psks_id:type_not_served"])
        let notAttended = dinas.post("/v1/trainings/\(s.newTraining(dinas))/participants",
                                     ["psks_id": .int(id), "attended": false, "completed": true])
        XCTAssertEqual(notAttended.fieldErrors, ["attended:completed_needs_attended"])
    }

    func testScopeBetweenTwoKota() throws {
        try s.addKotaBandung()
        let admin = s.client()
        let bandungPSM = s.newPSM(admin, region: "32.73.01.1001", serial: 953)
        let bandungEvent = s.newTraining(admin, region: "32.73")
        let cirebon = s.client(token: try s.token(.kabkota, "32.74"))
        let ownEvent = s.newTraining(cirebon)
        let absent = cirebon.get("/v1/trainings/999999")
        XCTAssertEqual(absent.status, 404)
        // Outside the token's kota: the same 404 as an absent id, on every route.
        for r in [cirebon.get("/v1/trainings/\(bandungEvent)"),
                  cirebon.patch("/v1/trainings/\(bandungEvent)", ["place": "x"]),
                  cirebon.get("/v1/trainings/\(bandungEvent)/participants"),
                  cirebon.post("/v1/trainings/\(bandungEvent)/participants", ["psks_id": .int(bandungPSM)]),
                  cirebon.post("/v1/trainings/\(ownEvent)/participants", ["psks_id": .int(bandungPSM)]),
                  cirebon.get("/v1/psks/\(bandungPSM)/trainings"),
                  cirebon.get("/v1/psks/\(bandungPSM)/awards")] {
            XCTAssertEqual(r.status, 404, r.text)
            XCTAssertEqual(r["type"], absent["type"])
        }
        let listed = cirebon.get("/v1/trainings?limit=500")["items"]?.arrayValue ?? []
        XCTAssertFalse(listed.contains { $0["id"]?.intValue == bandungEvent })
        XCTAssertTrue(listed.contains { $0["id"]?.intValue == ownEvent })
        // Organising: own kota only; a provinsi event needs a provinsi token, nasional admin.
        let body: JSON = ["programme": "PELATIHAN_DASAR_PSM", "title": "x", "level": "kabkota", "region": "32.73",
                          "starts_on": "2026-01-01", "ends_on": "2026-01-02"]
        XCTAssertEqual(cirebon.post("/v1/trainings", body).status, 403)
        var prov = body.objectValue!
        prov["level"] = "provinsi"
        prov["region"] = "32"
        XCTAssertEqual(cirebon.post("/v1/trainings", .object(prov)).status, 403)
        let jabar = s.client(token: try s.token(.provinsi, "32"))
        XCTAssertEqual(jabar.post("/v1/trainings", .object(prov)).status, 201)
        XCTAssertEqual(jabar.get("/v1/trainings/\(bandungEvent)").status, 200, "the province sees its kota's events")
        // Viewer and TKSK tokens never write.
        for token in [try s.token(.viewer, "32.74"), try s.token(.tksk, "32.74.01")] {
            let c = s.client(token: token)
            XCTAssertEqual(c.post("/v1/trainings", body).status, 403)
            XCTAssertEqual(c.post("/v1/trainings/\(ownEvent)/participants", ["psks_id": 1]).status, 403)
            XCTAssertEqual(c.csv("/v1/trainings/\(ownEvent)/participants", "psks_id\n1\n").status, 403)
        }
    }

    func testAttendanceCSVWithRowErrorsAndDryRun() throws {
        try s.addKotaBandung()
        let admin = s.client()
        let outside = s.newPSM(admin, region: "32.73.01.1001", serial: 954)
        let dinas = s.client(token: try s.token(.kabkota, "32.74"), language: "en")  // the English words are asserted
        let a = s.newPSM(dinas, serial: 955)
        let b = s.newPSM(dinas, serial: 956)
        let tagana = dinas.get("/v1/psks?type=TAGANA&limit=1")["items"]?.arrayValue?.first?["id"]?.intValue ?? 0
        let tid = s.newTraining(dinas)
        let csv = """
            psks_id,name,attended,completed,certificate_number
            \(a),Peserta A,ya,ya,PSM/3274/2026/101
            999999,Tidak Ada,ya,tidak,
            \(outside),Orang Bandung,ya,ya,
            \(tagana),Anggota Tagana,ya,tidak,
            \(b),Peserta B,mungkin,ya,
            \(b),Peserta B,ya,,
            """
        let refused = dinas.csv("/v1/trainings/\(tid)/participants", csv)
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertEqual(refused["applied"], false)
        XCTAssertEqual(refused["rejected"], 4)
        XCTAssertEqual(refused.fieldErrors, ["psks_id:unknown_record", "psks_id:unknown_record", "psks_id:type_not_served", "attended:invalid_boolean"])
        XCTAssertEqual((refused["errors"]?.arrayValue ?? []).map { $0["row"]?.intValue ?? 0 }, [3, 4, 5, 6])
        XCTAssertEqual(refused["errors"]?.arrayValue?[0]["message"], "no PSKS record 999999")
        XCTAssertEqual(refused["errors"]?.arrayValue?[1]["message"], .string("no PSKS record \(outside)"),
                       "an id outside the kota reads like an absent one")

        let dry = dinas.csv("/v1/trainings/\(tid)/participants?dry_run=true&on_error=skip", csv)
        XCTAssertEqual(dry.status, 200, dry.text)
        XCTAssertEqual(dry["dry_run"], true)
        XCTAssertEqual(dry["applied"], false)
        XCTAssertEqual(dry["created"], 2)
        XCTAssertEqual(dinas.get("/v1/trainings/\(tid)/participants")["items"]?.arrayValue?.count, 0, "a dry run writes nothing")

        let kept = dinas.csv("/v1/trainings/\(tid)/participants?on_error=skip", csv)
        XCTAssertEqual(kept.status, 200, kept.text)
        XCTAssertEqual(kept["created"], 2)
        let list = dinas.get("/v1/trainings/\(tid)/participants")["items"]?.arrayValue ?? []
        XCTAssertEqual(list.map { $0["psks_id"]?.intValue ?? 0 }, [a, b].sorted())
        XCTAssertEqual(list.first { $0["psks_id"]?.intValue == a }?["completed"], true)
        XCTAssertEqual(dinas.get("/v1/psks/\(a)")["eligibility"]?["eligible"], true)
        // The same file again changes nothing for the good rows.
        let again = dinas.csv("/v1/trainings/\(tid)/participants?on_error=skip", csv)
        XCTAssertEqual(again["unchanged"], 2)
        XCTAssertEqual(dinas.csv("/v1/trainings/\(tid)/participants", "nama\nx\n").status, 422, "a header without psks_id")
    }

    func testValidationAnswersNameTheField() throws {
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let empty = dinas.post("/v1/trainings", ["colour": "red"])
        XCTAssertEqual(empty.status, 422)
        XCTAssertEqual(Set(empty.fieldErrors), ["colour:unknown_field", "programme:required", "title:required", "level:required",
                                                "starts_on:required", "ends_on:required"])
        let backwards = dinas.post("/v1/trainings", ["programme": "PELATIHAN_DASAR_PSM", "title": "x", "level": "kabkota", "region": "32.74",
                                                     "starts_on": "2026-03-05", "ends_on": "2026-03-01"])
        XCTAssertEqual(backwards.fieldErrors, ["ends_on:before_start"])
        let level = dinas.post("/v1/trainings", ["programme": "PELATIHAN_DASAR_PSM", "title": "x", "level": "kabkota", "region": "32",
                                                 "starts_on": "2026-03-01", "ends_on": "2026-13-01"])
        XCTAssertEqual(Set(level.fieldErrors), ["ends_on:invalid_date", "region:region_level"])
        let unknown = dinas.post("/v1/trainings", ["programme": "PELATIHAN_MASAK", "title": "x", "level": "kabkota", "region": "32.74",
                                                   "starts_on": "2026-03-01", "ends_on": "2026-03-01"])
        XCTAssertEqual(unknown.fieldErrors, ["programme:unknown"])
        XCTAssertEqual(dinas.get("/v1/trainings?level=desa").status, 400)
        XCTAssertEqual(dinas.get("/v1/trainings?cursor=zzz").status, 400)
        XCTAssertEqual(dinas.get("/v1/trainings/abc").status, 400)
        let tid = s.newTraining(dinas)
        XCTAssertEqual(dinas.patch("/v1/trainings/\(tid)", ["region": "32.73"]).fieldErrors, ["region:immutable"])
        XCTAssertEqual(dinas.post("/v1/trainings/\(tid)/participants", ["participants": []]).status, 422)
        XCTAssertEqual(dinas.post("/v1/trainings/\(tid)/participants", ["psks_id": "satu"]).fieldErrors, ["psks_id:wrong_type"])

        // Programmes: any token reads them, only admin extends and retires.
        let programmes = dinas.get("/v1/training-programmes")
        XCTAssertEqual(programmes["items"]?.arrayValue?.first?["code"], "PELATIHAN_DASAR_PSM")
        XCTAssertEqual(programmes["items"]?.arrayValue?.first?["criterion"], ["type": "PSM", "code": "training"])
        let newProgramme: JSON = ["code": "PELATIHAN_PSM_DIGITAL", "name": "Pelatihan Literasi Digital PSM", "psks_types": ["PSM"]]
        XCTAssertEqual(dinas.post("/v1/training-programmes", newProgramme).status, 403)
        let admin = s.client()
        XCTAssertEqual(admin.post("/v1/training-programmes", newProgramme).status, 201)
        XCTAssertEqual(admin.post("/v1/training-programmes", newProgramme).status, 409)
        XCTAssertEqual(admin.post("/v1/training-programmes", ["code": "X_1", "name": "x", "psks_types": ["TAGANA"],
                                                              "criterion": ["type": "PSM", "code": "training"]]).fieldErrors,
                       ["criterion:type_not_served"])
        XCTAssertEqual(admin.patch("/v1/training-programmes/PELATIHAN_PSM_DIGITAL", ["active": false]).status, 200)
        let retired = dinas.post("/v1/trainings", ["programme": "PELATIHAN_PSM_DIGITAL", "title": "x", "level": "kabkota",
                                                   "region": "32.74", "starts_on": "2026-03-01", "ends_on": "2026-03-01"])
        XCTAssertEqual(retired.fieldErrors, ["programme:retired"])
        XCTAssertEqual(admin.patch("/v1/training-programmes/NOPE", ["active": false]).status, 404)
    }

    func testListFiltersAndPages() throws {
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        for i in 0..<5 { s.newTraining(dinas, starts: "2025-0\(i + 1)-01", ends: "2025-0\(i + 1)-02") }
        var path: String? = "/v1/trainings?year=2025&programme=PELATIHAN_DASAR_PSM&limit=2"
        var starts: [String] = []
        while let p = path {
            let r = dinas.get(p)
            XCTAssertEqual(r.status, 200, r.text)
            starts += (r["items"]?.arrayValue ?? []).compactMap { $0["starts_on"]?.stringValue }
            path = r.header("Link").map { String($0.dropFirst().prefix { $0 != ">" }) }
        }
        // Five new ones and the demo's basic training of May 2025, newest first.
        XCTAssertEqual(starts, ["2025-05-12", "2025-05-01", "2025-04-01", "2025-03-01", "2025-02-01", "2025-01-01"])
        XCTAssertEqual(dinas.get("/v1/trainings?status=cancelled")["items"]?.arrayValue?.count, 0)
    }
}
