import Foundation
import XCTest
import PilarCore

/// Awards and equipment as a record's history, and the IPSM with its membership rules.
final class CapacityRecordAPITests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    func testAwardsAndEquipmentHistory() throws {
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let id = s.newPSM(dinas, serial: 961, trained: "2019-03-10")
        let first = dinas.post("/v1/psks/\(id)/awards", ["award": "PSM_BERPRESTASI", "level": "kabkota", "year": 2025, "rank": 1])
        XCTAssertEqual(first.status, 201, first.text)
        let dup = dinas.post("/v1/psks/\(id)/awards", ["award": "PSM_BERPRESTASI", "level": "kabkota", "year": 2025, "rank": 2])
        XCTAssertEqual(dup.status, 409, dup.text)
        XCTAssertEqual(dup["existing_id"], first["id"])
        XCTAssertEqual(dinas.post("/v1/psks/\(id)/awards", ["award": "PSM_BERPRESTASI", "level": "provinsi", "year": 2025, "rank": 3]).status, 201)
        XCTAssertEqual(dinas.post("/v1/psks/\(id)/awards", ["award": "PSM_BERPRESTASI", "level": "kabkota", "year": 2024]).status, 201)
        XCTAssertEqual(dinas.post("/v1/psks/\(id)/awards", ["award": "TAGANA_BERPRESTASI", "level": "kabkota", "year": 2025]).fieldErrors,
                       ["award:type_not_served"])
        XCTAssertEqual(Set(dinas.post("/v1/psks/\(id)/awards", ["award": "PSM_BERPRESTASI", "level": "desa", "year": 1900]).fieldErrors),
                       ["level:invalid", "year:out_of_range"])
        XCTAssertEqual(dinas.post("/v1/psks/\(id)/awards", ["award": "EMAS", "level": "kabkota", "year": 2025]).fieldErrors, ["award:unknown"])
        let awards = dinas.get("/v1/psks/\(id)/awards")["items"]?.arrayValue ?? []
        XCTAssertEqual(awards.map { $0["year"]?.intValue ?? 0 }, [2025, 2025, 2024], "newest year first")
        XCTAssertEqual(awards.first?["level"], "provinsi")

        let aid = dinas.post("/v1/psks/\(id)/equipment", ["item": "Rompi PSM", "quantity": 2, "given_on": "2025-08-17", "source": "apbd_kabkota"])
        XCTAssertEqual(aid.status, 201, aid.text)
        XCTAssertEqual(dinas.post("/v1/psks/\(id)/equipment", ["item": "Sepeda motor", "given_on": "2026-02-01", "source": "csr"]).status, 201)
        XCTAssertEqual(Set(dinas.post("/v1/psks/\(id)/equipment", ["item": "", "given_on": "2099-01-01", "source": "hibah", "quantity": 0]).fieldErrors),
                       ["item:required", "given_on:in_future", "source:invalid", "quantity:out_of_range"])
        let items = dinas.get("/v1/psks/\(id)/equipment")["items"]?.arrayValue ?? []
        XCTAssertEqual(items.map { $0["item"]?.stringValue ?? "" }, ["Sepeda motor", "Rompi PSM"])
        XCTAssertEqual(items.last?["quantity"], 2)
        XCTAssertEqual(items.first?["quantity"], 1, "one when not given")

        // Audited in the record's region; viewers neither write nor read the history.
        let audit = dinas.get("/v1/audit?entity=psks_award")
        XCTAssertEqual(audit.status, 200, audit.text)
        XCTAssertEqual(audit["items"]?.arrayValue?.count, 3)
        let viewer = s.client(token: try s.token(.viewer, "32.74"))
        XCTAssertEqual(viewer.post("/v1/psks/\(id)/equipment", ["item": "x", "given_on": "2025-01-01", "source": "csr"]).status, 403)
        XCTAssertEqual(viewer.get("/v1/psks/\(id)/awards").status, 403)
        XCTAssertEqual(dinas.get("/v1/psks/99999999/equipment").status, 404)
    }

    func testIPSMMembershipRules() throws {
        try s.addKotaBandung()
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let listed = dinas.get("/v1/ipsm")
        XCTAssertEqual(listed.status, 200, listed.text)
        guard let ipsm = listed["items"]?.arrayValue?.first?["id"]?.intValue else { return XCTFail("the demo IPSM") }
        let demo = dinas.get("/v1/ipsm/\(ipsm)")
        XCTAssertEqual(demo["members"]?.arrayValue?.first?["role"], "ketua")
        XCTAssertEqual(demo["members"]?.arrayValue?.count, 8)

        // One per kabupaten/kota and province; never a kecamatan.
        let again = dinas.post("/v1/ipsm", ["region": "32.74", "name": "IPSM Kota Cirebon (baru)"])
        XCTAssertEqual(again.status, 409, again.text)
        XCTAssertEqual(again["existing_id"], .int(ipsm))
        XCTAssertEqual(dinas.post("/v1/ipsm", ["region": "32.74.01", "name": "IPSM Kejaksan"]).fieldErrors, ["region:region_level"])
        XCTAssertEqual(dinas.post("/v1/ipsm", ["region": "32", "name": "IPSM Jawa Barat"]).status, 403, "the province's is the province's")
        let jabar = s.client(token: try s.token(.provinsi, "32"))
        let province = jabar.post("/v1/ipsm", ["region": "32", "name": "IPSM Jawa Barat", "established_on": "2010-05-01"])
        XCTAssertEqual(province.status, 201, province.text)
        XCTAssertEqual(dinas.get("/v1/ipsm/\(province["id"]?.intValue ?? 0)").status, 404)

        let member = s.newPSM(dinas, region: "32.74.02.1001", serial: 962)
        let put = dinas.put("/v1/ipsm/\(ipsm)/members/\(member)", ["role": "anggota", "since": "2026-01-15"])
        XCTAssertEqual(put.status, 201, put.text)
        XCTAssertEqual(dinas.put("/v1/ipsm/\(ipsm)/members/\(member)", ["role": "anggota", "since": "2026-01-15"]).status, 200)
        let taken = dinas.put("/v1/ipsm/\(ipsm)/members/\(member)", ["role": "ketua"])
        XCTAssertEqual(taken.status, 409, taken.text)
        XCTAssertEqual(taken.fieldErrors, ["role:role_taken"])
        XCTAssertEqual(taken["existing_id"], demo["members"]?.arrayValue?.first?["psks_id"])
        let tagana = dinas.get("/v1/psks?type=TAGANA&limit=1")["items"]?.arrayValue?.first?["id"]?.intValue ?? 0
        XCTAssertEqual(dinas.put("/v1/ipsm/\(ipsm)/members/\(tagana)", [:]).fieldErrors, ["psks_id:not_psm"])
        let bandung = s.newPSM(s.client(), region: "32.73.01.1001", serial: 963)
        XCTAssertEqual(dinas.put("/v1/ipsm/\(ipsm)/members/\(bandung)", [:]).status, 404, "a record outside the token's kota")
        XCTAssertEqual(s.client().put("/v1/ipsm/\(ipsm)/members/\(bandung)", [:]).fieldErrors, ["psks_id:outside_region"])
        XCTAssertEqual(dinas.request("DELETE", "/v1/psks/\(member)", json: ["reason": "pindah"]).status, 200)
        XCTAssertEqual(dinas.put("/v1/ipsm/\(ipsm)/members/\(member)", ["role": "bendahara"]).fieldErrors.first, "psks_id:record_inactive")
        let removed = dinas.delete("/v1/ipsm/\(ipsm)/members/\(member)")
        XCTAssertEqual(removed.status, 200, removed.text)
        XCTAssertFalse((removed["members"]?.arrayValue ?? []).contains { $0["psks_id"]?.intValue == member })
        XCTAssertEqual(dinas.delete("/v1/ipsm/\(ipsm)/members/\(member)").status, 404)

        // PATCH with If-Match; a membership change is a new version of the association.
        XCTAssertNotEqual(put.header("ETag"), demo.header("ETag"))
        let stale = dinas.patch("/v1/ipsm/\(ipsm)", ["address": "Jl. Kartini 5"], headers: [("If-Match", demo.header("ETag") ?? "")])
        XCTAssertEqual(stale.status, 412)
        let fresh = dinas.get("/v1/ipsm/\(ipsm)")
        let patched = dinas.patch("/v1/ipsm/\(ipsm)", ["address": "Jl. Kartini 5"], headers: [("If-Match", fresh.header("ETag") ?? "")])
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(patched["address"], "Jl. Kartini 5")
        XCTAssertEqual(dinas.patch("/v1/ipsm/\(ipsm)", ["region": "32.73"]).fieldErrors, ["region:immutable"])
        XCTAssertEqual(s.client(token: try s.token(.tksk, "32.74.01")).put("/v1/ipsm/\(ipsm)/members/\(member)", [:]).status, 403)
    }
}
