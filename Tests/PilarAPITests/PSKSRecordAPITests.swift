import Foundation
import XCTest
import PilarCore

/// The PSKS record routes over HTTP: create, read, merge-patch with If-Match, end, conflicts,
/// validation, the catalogue, search pages and the Link header.
final class PSKSRecordAPITests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    static func nik(_ kec: String, born: String, female: Bool, serial: Int) -> String {
        let d = CalendarDate(born)!
        func p(_ n: Int, _ w: Int = 2) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return kec + p(d.day + (female ? 40 : 0)) + p(d.month) + p(d.year % 100) + p(serial, 4)
    }

    /// A Tagana volunteer aged 26 in 2026 (the demo has none with this NIK).
    static func tagana(serial: Int = 901, name: String = "Rahmat Hidayat") -> JSON {
        ["type": "TAGANA", "name": .string(name), "nik": .string(nik("327403", born: "2000-03-04", female: false, serial: serial)),
         "sex": "male", "birth_date": "2000-03-04", "education": "SLTA", "region": "32.74.03.1001", "phone": "081234567890"]
    }

    func testCreateGetPatchWithIfMatchAndEnd() throws {
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let created = c.post("/v1/psks", Self.tagana())
        XCTAssertEqual(created.status, 201, created.text)
        let id = created["id"]?.intValue ?? 0
        XCTAssertEqual(created.header("Location"), "/v1/psks/\(id)")
        let etag1 = created.header("ETag") ?? ""
        XCTAssertFalse(etag1.isEmpty)
        XCTAssertEqual(created["warnings"], .array([]))
        XCTAssertEqual(created["nik"], .string(Self.nik("327403", born: "2000-03-04", female: false, serial: 901)))

        let got = c.get("/v1/psks/\(id)")
        XCTAssertEqual(got.status, 200)
        XCTAssertEqual(got.header("ETag"), etag1)
        XCTAssertEqual(c.get("/v1/psks/\(id)", headers: [("If-None-Match", etag1)]).status, 304)

        let patched = c.patch("/v1/psks/\(id)", ["phone": "0899", "notes": "ketua regu"], headers: [("If-Match", etag1)])
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(patched["phone"], "0899")
        XCTAssertEqual(patched["education"], "SLTA", "merge patch keeps what it does not name")
        let etag2 = patched.header("ETag") ?? ""
        XCTAssertNotEqual(etag1, etag2)
        // A lost update: the first ETag is stale now.
        let stale = c.patch("/v1/psks/\(id)", ["phone": "0811"], headers: [("If-Match", etag1)])
        XCTAssertEqual(stale.status, 412, stale.text)
        XCTAssertEqual(c.get("/v1/psks/\(id)")["phone"], "0899")
        // null removes a field.
        let cleared = c.patch("/v1/psks/\(id)", ["notes": nil])
        XCTAssertEqual(cleared["notes"], .null)

        // DELETE needs a reason; then the record is inactive and stays.
        XCTAssertEqual(c.delete("/v1/psks/\(id)").status, 422)
        // A reason in the query is text like a JSON one: an escape character would be stored and shown.
        XCTAssertEqual(c.delete("/v1/psks/\(id)?reason=pindah%1B").status, 400)
        XCTAssertEqual(c.get("/v1/psks/\(id)")["status"], "active")
        let ended = c.delete("/v1/psks/\(id)", ["reason": "pindah domisili"])
        XCTAssertEqual(ended.status, 200, ended.text)
        XCTAssertEqual(ended["status"], "inactive")
        XCTAssertEqual(ended["end_reason"], "pindah domisili")
        XCTAssertNotNil(ended.header("ETag"))
        XCTAssertEqual(c.delete("/v1/psks/\(id)", ["reason": "again"]).status, 409)
        XCTAssertEqual(c.get("/v1/psks/\(id)")["status"], "inactive")
        // Reactivated by a patch; the end of service is cleared.
        let back = c.patch("/v1/psks/\(id)", ["status": "active"])
        XCTAssertEqual(back.status, 200, back.text)
        XCTAssertEqual(back["end_reason"], .null)
    }

    func testValidationNamesTheField() throws {
        let c = s.client()
        func errors(_ body: JSON) -> [String] {
            let r = c.post("/v1/psks", body)
            XCTAssertEqual(r.status, 422, r.text)
            return (r["errors"]?.arrayValue ?? []).compactMap { e in
                guard let f = e["field"]?.stringValue, let code = e["code"]?.stringValue else { return nil }
                return "\(f):\(code)"
            }
        }
        guard case .object(var o) = Self.tagana() else { return }
        o["birth_date"] = 20000304
        XCTAssertTrue(errors(.object(o)).contains("birth_date:wrong_type"))
        o["birth_date"] = "2000-03-04"
        o["shoe_size"] = 42
        XCTAssertEqual(errors(.object(o)), ["shoe_size:unknown_field"])
        o["shoe_size"] = nil
        o["birth_date"] = "1980-03-04"
        o["nik"] = .string(Self.nik("327403", born: "1980-03-04", female: false, serial: 902))
        let r = c.post("/v1/psks", .object(o))
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(r["detail"], "TAGANA: age 46 is over the limit of 40")
        XCTAssertEqual(c.request("POST", "/v1/psks", body: Array("{".utf8), contentType: "application/json").status, 400)
        XCTAssertEqual(c.request("POST", "/v1/psks", body: Array("a,b".utf8), contentType: "text/csv").status, 415)
    }

    func testConflicts() throws {
        let c = s.client()
        let first = c.post("/v1/psks", Self.tagana())
        XCTAssertEqual(first.status, 201)
        let dup = c.post("/v1/psks", Self.tagana(name: "Rahmat H."))
        XCTAssertEqual(dup.status, 409, dup.text)
        XCTAssertEqual(dup["existing_id"], first["id"])
        // The demo has a TKSK in every kecamatan of Kota Cirebon.
        let tksk: JSON = ["type": "TKSK", "name": "Calon TKSK", "nik": .string(Self.nik("327401", born: "1990-01-01", female: false, serial: 903)),
                          "region": "32.74.01.1001", "education": "S1", "sk_number": "77/HUK/2026"]
        let second = c.post("/v1/psks", tksk)
        XCTAssertEqual(second.status, 409, second.text)
        XCTAssertEqual(second["code"], "tksk_exists")
        XCTAssertNotNil(second["existing_id"]?.intValue)
    }

    func testCatalogue() throws {
        let r = s.client(token: try s.token(.viewer, "32.74")).get("/v1/catalog/psks-types")
        XCTAssertEqual(r.status, 200)
        let items = r["items"]?.arrayValue ?? []
        XCTAssertEqual(items.map { $0["code"]?.stringValue ?? "" }, PSKSType.all.map(\.code))
        let tagana = items[2]
        XCTAssertEqual(tagana["kind"], "person")
        XCTAssertEqual(tagana["criteria"]?.arrayValue?.first, ["code": "age", "text": "age 18 to 40", "checked": true])
    }

    func testSearchPagesWithLinkHeader() throws {
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        var path: String? = "/v1/psks?type=PSM&region=32.74.02&limit=6"
        var ids: [Int64] = []
        var pages = 0
        while let p = path, pages < 10 {
            let r = c.get(p)
            XCTAssertEqual(r.status, 200, r.text)
            ids += (r["items"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue }
            if let link = r.header("Link") {
                XCTAssertTrue(link.hasSuffix("rel=\"next\""))
                XCTAssertNotNil(r["next_cursor"]?.stringValue)
                path = String(link.dropFirst().prefix { $0 != ">" })
            } else {
                XCTAssertEqual(r["next_cursor"], .null)
                path = nil
            }
            pages += 1
        }
        XCTAssertEqual(ids.count, 20)
        XCTAssertEqual(Set(ids).count, 20)
        XCTAssertEqual(pages, 4)
        XCTAssertEqual(c.get("/v1/psks?limit=0").status, 400)
        XCTAssertEqual(c.get("/v1/psks?limit=501").status, 400)
        XCTAssertEqual(c.get("/v1/psks?cursor=garbage").status, 400)
        XCTAssertEqual(c.get("/v1/psks?status=gone").status, 400)
        XCTAssertEqual(c.get("/v1/psks?type=NOPE").status, 400)
        let named = c.get("/v1/psks?q=SITI&type=PSM")
        XCTAssertTrue((named["items"]?.arrayValue ?? []).allSatisfy { $0["name"]?.stringValue?.hasPrefix("Siti") ?? false })
        XCTAssertFalse((named["items"]?.arrayValue ?? []).isEmpty)
    }
}
