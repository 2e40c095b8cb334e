import Foundation
import XCTest
import PilarCore

/// Issue 13, item 6: tokens expire, say when they were last used and who made them, stop
/// working with their maker, and stop working on the next request whichever process revoked them.
final class PrivacyTokenTests: XCTestCase {
    /// A clock the test moves.
    final class Now: @unchecked Sendable {
        private let lock = NSLock()
        private var value = Date()
        var date: Date { lock.lock(); defer { lock.unlock() }; return value }
        func advance(days: Double) { lock.lock(); value += days * 86_400; lock.unlock() }
    }

    func testExpiryDefaultsForTKSKAndViewerThatAdminSets() throws {
        let now = Now()
        let s = try TestServer(clock: Clock(now: { now.date }))
        defer { s.stop() }
        let admin = s.client()
        let tksk = admin.post("/v1/tokens", ["role": "tksk", "region": "32.74.01", "name": "TKSK Kejaksan"])
        XCTAssertEqual(tksk.status, 201, tksk.text)
        let expires = Clock.parseTimestamp(tksk["expires_at"]?.stringValue ?? "")
        XCTAssertEqual(expires?.timeIntervalSince(now.date) ?? 0, 365 * 86_400, accuracy: 5, "the default lifetime of a tksk token")
        XCTAssertEqual(admin.post("/v1/tokens", ["role": "kabkota", "region": "32.74", "name": "k"])["expires_at"], .null,
                       "no default for kabkota")

        XCTAssertEqual(s.client(token: try s.token(.kabkota, "32.74")).request("PATCH", "/v1/privacy/settings",
                       json: ["token_days_viewer": 7]).status, 403)
        XCTAssertEqual(admin.request("PATCH", "/v1/privacy/settings", json: ["token_days_viewer": -1]).status, 422)
        XCTAssertEqual(admin.request("PATCH", "/v1/privacy/settings", json: ["token_days_viewer": .double(7.5)]).status, 422)
        // 742.0 is a whole number in JSON (the contract test sends such numbers for integers).
        XCTAssertEqual(admin.request("PATCH", "/v1/privacy/settings", json: ["access_log_days": .double(742.0)]).status, 200)
        let set = admin.request("PATCH", "/v1/privacy/settings", json: ["token_days_viewer": 7])
        XCTAssertEqual(set.status, 200, set.text)
        XCTAssertEqual(admin.get("/v1/privacy/settings")["token_days_viewer"]?.intValue, 7)
        let viewer = admin.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": "dashboard"])
        let viewerToken = s.client(token: viewer["token"]?.stringValue)
        XCTAssertEqual(viewerToken.get("/v1/me").status, 200)
        let explicit = admin.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": "rapat",
                                                 "expires_at": .string(Clock.timestamp(now.date + 3 * 86_400))])
        XCTAssertEqual(explicit.status, 201)
        XCTAssertEqual(admin.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": "x",
                                                 "expires_at": .string(Clock.timestamp(now.date - 60))]).status, 422)

        now.advance(days: 4)
        XCTAssertEqual(s.client(token: explicit["token"]?.stringValue).get("/v1/me").status, 401, "expired after 3 days")
        XCTAssertEqual(viewerToken.get("/v1/me").status, 200)
        now.advance(days: 4)
        XCTAssertEqual(viewerToken.get("/v1/me").status, 401, "expired after the 7-day default")
        XCTAssertEqual(admin.get("/v1/me").status, 200, "an admin token without expiry goes on")
    }

    func testRevokingATokenRevokesWhatItMadeAndListsShowMakerAndLastUse() throws {
        let s = try TestServer()
        defer { s.stop() }
        let admin = s.client()
        let kab = admin.post("/v1/tokens", ["role": "kabkota", "region": "32.74", "name": "Dinas Sosial Kota Cirebon"])
        let kabClient = s.client(token: kab["token"]?.stringValue)
        let tksk = kabClient.post("/v1/tokens", ["role": "tksk", "region": "32.74.01", "name": "TKSK Kejaksan"])
        let viewer = kabClient.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": "dashboard"])
        XCTAssertEqual(tksk["created_by"]?.intValue, kab["id"]?.intValue)
        let tkskClient = s.client(token: tksk["token"]?.stringValue)
        let viewerClient = s.client(token: viewer["token"]?.stringValue)
        XCTAssertEqual(tkskClient.get("/v1/me").status, 200)
        XCTAssertEqual(viewerClient.get("/v1/me").status, 200)

        s.pilar.tokens.flushUseTimes()
        let listed = admin.get("/v1/tokens")["items"]?.arrayValue ?? []
        let tkskRow = listed.first { $0["id"]?.intValue == tksk["id"]?.intValue }
        XCTAssertNotNil(tkskRow?["last_used_at"]?.stringValue, "last use is recorded: \(String(describing: tkskRow))")
        XCTAssertEqual(tkskRow?["created_by"]?.intValue, kab["id"]?.intValue)

        let revoked = admin.delete("/v1/tokens/\(kab["id"]?.intValue ?? 0)")
        XCTAssertEqual(revoked.status, 200)
        XCTAssertEqual(kabClient.get("/v1/me").status, 401)
        XCTAssertEqual(tkskClient.get("/v1/me").status, 401, "a tksk token made by a revoked kabkota token stops")
        XCTAssertEqual(viewerClient.get("/v1/me").status, 401)
        let after = admin.get("/v1/tokens")["items"]?.arrayValue ?? []
        XCTAssertTrue(after.filter { [tksk, viewer].map { $0["id"]?.intValue }.contains($0["id"]?.intValue) }
            .allSatisfy { $0["revoked_at"]?.stringValue != nil })
        let audit = admin.get("/v1/audit?entity=token&id=\(tksk["id"]?.intValue ?? 0)")
        XCTAssertTrue(audit.text.contains("revoke_with_maker"), audit.text)
    }

    /// The CLI revokes through its own connections, as another process does: the server's
    /// cached token must fail on the very next request (it worked for up to 2 s before).
    func testARevocationByAnotherConnectionSetCountsOnTheNextRequest() throws {
        let s = try TestServer()
        defer { s.stop() }
        let (info, secret) = try s.pilar.tokens.create(role: .kabkota, region: RegionCode("32.74"), name: "k", by: .cli)
        let c = s.client(token: secret)
        for _ in 0..<3 { XCTAssertEqual(c.get("/v1/me").status, 200) }  // cached now
        let other = try Pilar.open(path: s.dbPath)
        _ = try other.tokens.revoke(id: info.id, by: .cli)
        other.db.close()
        XCTAssertEqual(c.get("/v1/me").status, 401, "revoked by another process")
        XCTAssertEqual(c.get("/v1/stats/psks", headers: [("If-None-Match", "\"x\"")]).status, 401,
                       "nor on the event loop's 304 path")
    }
}
