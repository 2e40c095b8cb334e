import XCTest
import PilarCore

/// The service shell, tokens, regions and the audit log, spoken to over HTTP.
final class FoundationAPITests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    func testPublicServiceRoutes() {
        let c = s.client(token: "")
        let health = c.request("GET", "/healthz", headers: [("Authorization", "")])
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health["status"]?.stringValue, "ok")
        let spec = c.get("/openapi.yaml")
        XCTAssertEqual(spec.status, 200)
        XCTAssertTrue(spec.text.hasPrefix("openapi: 3.1"))
        XCTAssertEqual(c.get("/metrics").status, 401, "per-route counts need a token (issue 13)")
        let metrics = s.client().get("/metrics")
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.text.contains("pilar_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"), metrics.text)
        XCTAssertTrue(metrics.text.contains("pilar_db_write_queue_depth 0"))
        XCTAssertTrue(metrics.text.contains("pilar_http_open_connections"))
    }

    func testAuthenticationFailuresAre401ProblemJSON() {
        for header in [nil, "Bearer", "Basic abc", "Bearer pilar_1_short", "Bearer pilar_999_" + String(repeating: "A", count: 43)] {
            var h: [(String, String)] = []
            if let header { h.append(("Authorization", header)) }
            let r = TestClient(port: s.port, token: nil).get("/v1/me", headers: h)
            XCTAssertEqual(r.status, 401, "\(header ?? "none")")
            XCTAssertEqual(r.header("Content-Type"), "application/problem+json")
            XCTAssertEqual(r["status"]?.intValue, 401)
            XCTAssertNotNil(r["detail"]?.stringValue)
            XCTAssertNotNil(r.header("WWW-Authenticate"))
        }
    }

    func testMeAndRevocationStopsTheNextRequest() throws {
        let admin = s.client()
        let created = admin.post("/v1/tokens", ["role": "tksk", "region": "327401", "name": "TKSK Kejaksan"])
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(created["region"]?.stringValue, "32.74.01", "undotted codes are accepted")
        let secret = try XCTUnwrap(created["token"]?.stringValue)
        let id = try XCTUnwrap(created["id"]?.intValue)
        let me = s.client(token: secret).get("/v1/me")
        XCTAssertEqual(me.status, 200)
        XCTAssertEqual(me["role"]?.stringValue, "tksk")
        XCTAssertEqual(me["region_name"]?.stringValue, "Kejaksan")

        let list = admin.get("/v1/tokens")
        XCTAssertFalse(list.text.contains(secret.split(separator: "_")[2]), "secrets are never listed")
        XCTAssertFalse(list.text.contains("secret_hash"))

        XCTAssertEqual(admin.delete("/v1/tokens/\(id)").status, 200)
        XCTAssertEqual(s.client(token: secret).get("/v1/me").status, 401)
        XCTAssertEqual(admin.delete("/v1/tokens/abc").status, 400)
        XCTAssertEqual(admin.delete("/v1/tokens/99999").status, 404)
    }

    func testTokenRequestValidation() {
        let admin = s.client()
        XCTAssertEqual(admin.post("/v1/tokens", ["role": "boss", "name": "x"]).status, 422)
        XCTAssertEqual(admin.post("/v1/tokens", ["role": "tksk", "region": "32.74", "name": "x"])["errors"]?.arrayValue?.first?["code"]?.stringValue, "wrong_level")
        XCTAssertEqual(admin.post("/v1/tokens", ["role": "tksk", "region": "32.7x", "name": "x"]).status, 422)
        XCTAssertEqual(admin.post("/v1/tokens", ["role": "tksk", "region": "32.74.01"]).status, 422)
        XCTAssertEqual(admin.request("POST", "/v1/tokens", body: Array("{\"role\":".utf8), contentType: "application/json").status, 400)
        XCTAssertEqual(admin.request("POST", "/v1/tokens", body: Array("[1]".utf8), contentType: "application/json").status, 400)
        XCTAssertEqual(admin.request("POST", "/v1/tokens", body: Array("role=x".utf8), contentType: "application/x-www-form-urlencoded").status, 415)
        let deep = String(repeating: "[", count: 10_000)
        XCTAssertEqual(admin.request("POST", "/v1/tokens", body: Array(deep.utf8), contentType: "application/json").status, 400)
    }

    func testRegionImportOverHTTP() {
        let admin = s.client()
        let csv = "code,name,level,parent_code\n33,Jawa Tengah,provinsi,\n33.01,Kabupaten Cilacap,kabupaten,33\n33.01.01,Bad,desa,33.01\n"
        let refused = admin.csv("/v1/regions/import", csv)
        XCTAssertEqual(refused.status, 422, "all-or-nothing refusal still carries the summary")
        XCTAssertEqual(refused["rejected"]?.intValue, 1)
        XCTAssertEqual(refused["errors"]?.arrayValue?.first?["row"]?.intValue, 4)
        XCTAssertEqual(admin.get("/v1/regions/33").status, 404)
        let skipped = admin.csv("/v1/regions/import?on_error=skip", csv)
        XCTAssertEqual(skipped.status, 200)
        XCTAssertEqual(skipped["created"]?.intValue, 2)
        XCTAssertEqual(admin.get("/v1/regions/33.01")["ancestors"]?.arrayValue?.count, 1)
        XCTAssertEqual(admin.request("POST", "/v1/regions/import", body: Array(csv.utf8), contentType: "application/json").status, 415)
        XCTAssertEqual(admin.csv("/v1/regions/import?dry_run=maybe", csv).status, 400)
        XCTAssertEqual(admin.csv("/v1/regions/import", "").status, 400)
        XCTAssertEqual(admin.csv("/v1/regions/import", "kode,nama\n").status, 422)
        let kab = s.client(token: try! s.token(.kabkota, "32.74"))
        XCTAssertEqual(kab.csv("/v1/regions/import", csv).status, 403)
    }

    func testRegionListsAndBadCodes() {
        let admin = s.client()
        let kec = admin.get("/v1/regions?parent=3274")
        XCTAssertEqual(kec["items"]?.arrayValue?.compactMap { $0["code"]?.stringValue },
                       ["32.74.01", "32.74.02", "32.74.03", "32.74.04", "32.74.05"])
        XCTAssertEqual(admin.get("/v1/regions?parent=32.7").status, 400)
        XCTAssertEqual(admin.get("/v1/regions/abc").status, 400)
        XCTAssertEqual(admin.get("/v1/regions/32.74.09").status, 404)
        XCTAssertEqual(admin.get("/v1/regions")["items"]?.arrayValue?.count, 1, "provinces")
    }

    func testAuditOverHTTPIsScopedAndPaged() throws {
        let admin = s.client()
        for i in 1...3 { _ = admin.post("/v1/tokens", ["role": "tksk", "region": .string("32.74.0\(i)"), "name": .string("TKSK \(i)")]) }
        let page1 = admin.get("/v1/audit?entity=token&limit=2")
        XCTAssertEqual(page1.status, 200)
        XCTAssertEqual(page1["items"]?.arrayValue?.count, 2)
        let cursor = try XCTUnwrap(page1["next_cursor"]?.stringValue)
        XCTAssertNotNil(page1.header("Link"))
        let page2 = admin.get("/v1/audit?entity=token&limit=2&cursor=\(cursor)")
        XCTAssertGreaterThanOrEqual(page2["items"]?.arrayValue?.count ?? 0, 2, "3 tksk + the admin token itself")
        XCTAssertEqual(admin.get("/v1/audit?cursor=garbage").status, 400)
        XCTAssertEqual(admin.get("/v1/audit?since=yesterday").status, 400)
        let kab = s.client(token: try s.token(.kabkota, "32.74"))
        let seen = kab.get("/v1/audit?entity=token")["items"]?.arrayValue ?? []
        XCTAssertTrue(seen.allSatisfy { ($0["region"]?.stringValue ?? "").hasPrefix("32.74") })
        XCTAssertFalse(seen.isEmpty)
        XCTAssertEqual(s.client(token: try s.token(.tksk, "32.74.01")).get("/v1/audit").status, 403)
    }

    func testUnknownRoutesAndMethods() {
        let admin = s.client()
        XCTAssertEqual(admin.get("/v1/nothing").status, 404)
        let r = admin.request("PUT", "/v1/me", json: [:])
        XCTAssertEqual(r.status, 405)
        XCTAssertTrue(r.header("Allow")?.contains("GET") ?? false)
    }
}

final class PathIDTests: XCTestCase {
    func testIdsAreDigitsOnly() throws {
        let s = try TestServer()
        defer { s.stop() }
        let admin = s.client()
        for bad in ["%2B1", "-1", "0", "1.0", "%201", "99999999999999999999"] {
            XCTAssertEqual(admin.delete("/v1/tokens/\(bad)").status, 400, "token id \(bad)")
            XCTAssertEqual(admin.get("/v1/psks/\(bad)").status, 400, "psks id \(bad)")
        }
        XCTAssertEqual(admin.get("/v1/me").status, 200, "the admin token was not revoked by a signed id")
    }
}
