import Foundation
import XCTest
import PilarCore

/// Role x region (own, parent, sibling, child) x read/write on the PSKS routes, and what each
/// role sees of personal data. Sibling 32.73 and 32.74.02 exist only as codes: a 403 or 404
/// must not depend on whether they exist.
final class PSKSScopeMatrixTests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    struct Case {
        let role: Role
        let home: String
        let relation: String
        let region: String    // the list's ?region=
        let list: Int         // GET /v1/psks?region=
        let read: Int         // GET /v1/psks/{id} of a record in 32.74.01.1001
        let write: Int        // POST /v1/psks in `region`'s first kelurahan (or the region itself)
    }

    func testMatrix() throws {
        let admin = s.client()
        // A sibling district for the kabkota token that must not see Kota Cirebon.
        XCTAssertEqual(admin.csv("/v1/regions/import", "code,name,level,parent_code\n32.73,Kota Bandung,kota,32\n").status, 200)
        let anyTagana = admin.get("/v1/psks?type=TAGANA&region=32.74.01.1001&limit=1")["items"]?.arrayValue?.first
        let id = anyTagana?["id"]?.intValue ?? 0
        XCTAssertGreaterThan(id, 0)
        let cases: [Case] = [
            .init(role: .provinsi, home: "32", relation: "own", region: "32", list: 200, read: 200, write: 403),
            .init(role: .provinsi, home: "32", relation: "child", region: "32.74", list: 200, read: 200, write: 403),
            .init(role: .provinsi, home: "32", relation: "sibling", region: "33", list: 403, read: 200, write: 403),
            .init(role: .kabkota, home: "32.74", relation: "own", region: "32.74", list: 200, read: 200, write: 201),
            .init(role: .kabkota, home: "32.74", relation: "parent", region: "32", list: 403, read: 200, write: 403),
            .init(role: .kabkota, home: "32.74", relation: "child", region: "32.74.01", list: 200, read: 200, write: 201),
            .init(role: .kabkota, home: "32.73", relation: "sibling", region: "32.74", list: 403, read: 404, write: 403),
            .init(role: .tksk, home: "32.74.01", relation: "own", region: "32.74.01", list: 200, read: 200, write: 403),
            .init(role: .tksk, home: "32.74.01", relation: "parent", region: "32.74", list: 403, read: 200, write: 403),
            .init(role: .tksk, home: "32.74.02", relation: "sibling", region: "32.74.01", list: 403, read: 404, write: 403),
            .init(role: .tksk, home: "32.74.01", relation: "child", region: "32.74.01.1001", list: 200, read: 200, write: 403),
            .init(role: .viewer, home: "32.74", relation: "own", region: "32.74", list: 403, read: 403, write: 403),
            .init(role: .viewer, home: "32.74", relation: "child", region: "32.74.01", list: 403, read: 403, write: 403),
        ]
        var serial = 950
        for c in cases {
            serial += 1
            let client = s.client(token: try s.token(c.role, c.home))
            let what = "\(c.role.rawValue)@\(c.home) on \(c.relation) \(c.region)"
            XCTAssertEqual(client.get("/v1/psks?region=\(c.region)").status, c.list, "list: \(what)")
            XCTAssertEqual(client.get("/v1/psks/export?region=\(c.region)").status, c.list, "export: \(what)")
            XCTAssertEqual(client.get("/v1/psks/\(id)").status, c.read, "read: \(what)")
            let target = c.region.count == 8 ? c.region + ".1001" : (c.region == "32.74" ? "32.74.05.1001" : c.region)
            let kec = String(target.prefix(8)).replacingOccurrences(of: ".", with: "")
            let body: JSON = ["type": "TAGANA", "name": .string("Uji \(serial)"), "region": .string(target),
                              "nik": .string(PSKSRecordAPITests.nik(kec.count == 6 ? kec : "327401", born: "1999-01-01", female: false, serial: serial))]
            let write = client.post("/v1/psks", body)
            XCTAssertEqual(write.status, c.write, "write: \(what): \(write.text)")
            XCTAssertEqual(client.patch("/v1/psks/\(id)", ["notes": "x"]).status,
                           [.admin, .kabkota].contains(c.role) ? (c.read == 200 ? 200 : 404) : 403, "patch: \(what)")
            XCTAssertEqual(client.csv("/v1/psks/import?type=TAGANA&dry_run=true", "name,region,nik\n").status,
                           [.admin, .kabkota].contains(c.role) ? 200 : 403, "import: \(what)")
            for r in [write] where r.status >= 400 {
                XCTAssertFalse(r.text.contains("not in the region register"), "a 403 never says whether a region exists: \(what)")
            }
        }
    }

    func testMaskingPerRole() throws {
        let admin = s.client()
        let tksk = admin.get("/v1/psks?type=TKSK&region=32.74.01")["items"]?.arrayValue?.first
        let id = tksk?["id"]?.intValue ?? 0
        let fullNIK = tksk?["nik"]?.stringValue ?? ""
        XCTAssertEqual(fullNIK.count, 16)
        XCTAssertFalse(fullNIK.contains("*"))
        let expectations: [(Role, String, Bool)] = [
            (.admin, "", false), (.kabkota, "32.74", false), (.provinsi, "32", true), (.tksk, "32.74.01", true),
        ]
        for (role, home, masked) in expectations {
            let c = role == .admin ? admin : s.client(token: try s.token(role, home))
            let r = c.get("/v1/psks/\(id)")
            XCTAssertEqual(r.status, 200, "\(role)")
            let nik = r["nik"]?.stringValue ?? ""
            let birth = r["birth_date"]?.stringValue ?? ""
            let phone = r["phone"]?.stringValue ?? ""
            if masked {
                // At most 6 of 16 digits and no birth year (issue 13).
                XCTAssertEqual(nik, String(fullNIK.prefix(4)) + "**********" + String(fullNIK.suffix(2)), "\(role)")
                XCTAssertEqual(r["birth_date"], .null, "\(role): \(birth)")
                XCTAssertTrue(phone.hasPrefix("****"), "\(role): \(phone)")
                XCTAssertTrue(r.header("ETag")?.hasSuffix("-m2\"") ?? false)
                let list = c.get("/v1/psks?type=TKSK")
                XCTAssertFalse(list.text.contains(fullNIK), "\(role) list")
            } else {
                XCTAssertEqual(nik, fullNIK, "\(role)")
                XCTAssertFalse(birth.contains("*"))
            }
            XCTAssertEqual(r["name"]?.stringValue?.isEmpty, false)
        }
        // NIKs never reach the audit log in full.
        let audit = admin.get("/v1/audit?entity=psks&limit=500")
        XCTAssertFalse(audit.text.contains(fullNIK))
    }
}
