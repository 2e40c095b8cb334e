import Foundation
import XCTest
import PilarCore

/// Issue 13: the personal-data access log, the data protection officer's subject report and
/// breach scope over HTTP, and the retention purge through the `pilar` CLI.
final class PrivacyDPOTests: XCTestCase {
    func testUnmaskedReadsAreLoggedAndTheDPOGetsSubjectReportAndBreachScope() throws {
        let s = try TestServer()
        defer { s.stop() }
        let admin = s.client()
        let created = admin.post("/v1/psks", PSKSRecordAPITests.tagana(serial: 961, name: "Dedi Kurniawan"))
        XCTAssertEqual(created.status, 201, created.text)
        let id = created["id"]?.intValue ?? 0
        let nik = created["nik"]?.stringValue ?? ""

        let kab = admin.post("/v1/tokens", ["role": "kabkota", "region": "32.74", "name": "Dinsos Kota Cirebon"])
        let kabID = kab["id"]?.intValue ?? 0
        let dinas = s.client(token: kab["token"]?.stringValue)
        let start = Date().addingTimeInterval(-5)
        XCTAssertEqual(dinas.get("/v1/psks/\(id)").status, 200)
        XCTAssertEqual(dinas.get("/v1/psks?type=TAGANA&region=32.74.03").status, 200)
        XCTAssertTrue(dinas.get("/v1/psks/export?type=TAGANA&region=32.74.03").text.contains(nik))
        let prov = s.client(token: try s.token(.provinsi, "32", name: "Dinsos Provinsi"))
        XCTAssertEqual(prov.get("/v1/psks/\(id)").status, 200)  // masked: not logged

        let dpo = admin.post("/v1/tokens", ["role": "dpo", "name": "Pejabat Pelindungan Data"])
        XCTAssertEqual(dpo.status, 201, dpo.text)
        let officer = s.client(token: dpo["token"]?.stringValue)
        XCTAssertEqual(dinas.post("/v1/privacy/subject-report", ["nik": .string(nik)]).status, 403)
        XCTAssertEqual(officer.get("/v1/psks/\(id)").status, 403, "a dpo token does not browse the register")
        XCTAssertEqual(officer.post("/v1/privacy/subject-report", ["nik": "12"]).status, 422)

        let report = officer.post("/v1/privacy/subject-report", ["nik": .string(nik)])
        XCTAssertEqual(report.status, 200, report.text)
        XCTAssertEqual(report["records"]?.arrayValue?.first?["nik"]?.stringValue, nik)
        XCTAssertEqual(report["changes"]?.arrayValue?.first?["action"]?.stringValue, "create")
        let reads = report["reads"]?.arrayValue ?? []
        let byDinas = reads.filter { $0["token_id"]?.intValue == kabID }.compactMap { $0["what"]?.stringValue }
        XCTAssertEqual(Set(byDinas), ["record", "search", "export"], report.text)
        XCTAssertTrue(reads.allSatisfy { $0["actor"]?.stringValue != "Dinsos Provinsi" }, "masked answers are not personal-data reads")
        XCTAssertEqual(reads.first { $0["what"]?.stringValue == "record" }?["fields"], ["nik", "birth_date", "phone"])

        let from = Clock.timestamp(start), until = Clock.timestamp(Date().addingTimeInterval(5))
        let scope = officer.get("/v1/privacy/breach-scope?token_id=\(kabID)&from=\(from)&until=\(until)")
        XCTAssertEqual(scope.status, 200, scope.text)
        XCTAssertTrue(scope.header("Content-Type")?.hasPrefix("text/csv") ?? false)
        let lines = scope.text.split(separator: "\n")
        XCTAssertTrue(lines.first?.hasSuffix("psks_id,type,name,nik,phone,region,fields_read,reads,first_read,last_read") ?? false)
        let row = lines.first { $0.hasPrefix("\(id),") }.map(String.init) ?? ""
        XCTAssertTrue(row.contains(nik) && row.contains("Dedi Kurniawan") && row.contains("nik birth_date phone"), scope.text)
        XCTAssertGreaterThan(lines.count, 2, "every person of the district the export showed")
        let before = officer.get("/v1/privacy/breach-scope?token_id=\(kabID)&from=2020-01-01T00:00:00Z&until=\(from)")
        XCTAssertEqual(before.text.split(separator: "\n").count, 1, "nothing read before the window")
        XCTAssertEqual(officer.get("/v1/privacy/breach-scope?token_id=\(kabID)&from=\(until)&until=\(from)").status, 400)

        // Append-only: no route edits it, and the database refuses even a direct change.
        XCTAssertThrowsError(try s.pilar.db.write { c in try c.run("UPDATE personal_data_reads SET actor = 'x'") })
        XCTAssertThrowsError(try s.pilar.db.write { c in try c.run("DELETE FROM personal_data_read_records") })
        XCTAssertThrowsError(try s.pilar.db.write { c in try c.run("DELETE FROM personal_data_reads") })
    }

    func testPurgeThroughTheCLIRemovesPersonalFieldsAndKeepsDashboardCounts() throws {
        let directory = NSTemporaryDirectory() + "pilar-purge-\(UUID().uuidString)"
        let tmp = directory + "/tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let db = directory + "/pilar.db"
        let made = try PilarCLI.run(["token", "create", "--role", "admin", "--db", db], tmp: tmp)
        XCTAssertEqual(made.status, 0, made.stderr)
        let server = try PilarCLI.Server(db: db, tmp: tmp)
        defer { server.stop() }
        let admin = TestClient(port: server.port, token: made.stdout.trimmingCharacters(in: .whitespacesAndNewlines))

        func person(_ serial: Int, _ name: String, ended: String?) -> Int64 {
            var o: JSONObject = ["type": "TAGANA", "name": .string(name), "education": "SLTA", "region": "32.74.03",
                                 "nik": .string(PSKSRecordAPITests.nik("327403", born: "1990-03-04", female: false, serial: serial)),
                                 "phone": "081234567890", "registered_on": "2012-01-02", "notes": "rumah dekat masjid"]
            if let ended {
                o["status"] = "inactive"
                o["ended_on"] = .string(ended)
                o["end_reason"] = "pindah domisili"
            }
            let r = admin.post("/v1/psks", .object(o))
            XCTAssertEqual(r.status, 201, r.text)
            return r["id"]?.intValue ?? 0
        }
        let old = person(971, "Rahmat Hidayat", ended: "2016-06-30")
        let recent = person(972, "Ujang Sutisna", ended: "2026-01-15")
        let active = person(973, "Asep Saepudin", ended: nil)
        let stats = { admin.get("/v1/stats/psks.csv?region=32.74&by=region,type").text }
        let countsBefore = stats()

        let dry = try PilarCLI.run(["privacy", "purge", "--older-than", "5y", "--dry-run", "--db", db], tmp: tmp)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("would purge 1 person records"), dry.stdout)
        XCTAssertEqual(admin.get("/v1/psks/\(old)")["name"]?.stringValue, "Rahmat Hidayat", "a dry run changes nothing")

        XCTAssertNotEqual(try PilarCLI.run(["privacy", "purge", "--older-than", "five", "--db", db], tmp: tmp).status, 0)
        let run = try PilarCLI.run(["privacy", "purge", "--older-than", "5y", "--db", db], tmp: tmp)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("purged 1 person records"), run.stdout)

        let purged = admin.get("/v1/psks/\(old)")
        XCTAssertEqual(purged["name"]?.stringValue, "R. H.")
        for field in ["nik", "birth_date", "phone", "notes"] { XCTAssertEqual(purged[field], .null, field) }
        XCTAssertEqual(purged["status"]?.stringValue, "inactive")
        XCTAssertEqual(purged["ended_on"]?.stringValue, "2016-06-30")
        for id in [recent, active] {
            XCTAssertNotNil(admin.get("/v1/psks/\(id)")["nik"]?.stringValue, "record \(id) is kept whole")
        }
        XCTAssertEqual(stats(), countsBefore, "the dashboard counts do not change")
        let audit = admin.get("/v1/audit?entity=psks&id=\(old)")
        XCTAssertTrue(audit.text.contains("\"purge\""), audit.text)
        // The history keeps what happened, not who it was: the name, address, notes and the masked
        // NIK and phone are gone from the record's audit images; another record's are untouched.
        for secret in ["Rahmat", "Hidayat", "masjid", "3274", "0812"] {
            XCTAssertFalse(audit.text.contains(secret), "\(secret) is still in the audit log: \(audit.text)")
        }
        XCTAssertTrue(audit.text.contains("\"create\""), audit.text)
        XCTAssertTrue(admin.get("/v1/audit?entity=psks&id=\(recent)").text.contains("Ujang Sutisna"))
        XCTAssertEqual(try PilarCLI.run(["privacy", "purge", "--older-than", "5y", "--db", db], tmp: tmp).stdout
            .contains("purged 0 person records"), true, "a second run has nothing left to do")
    }
}
