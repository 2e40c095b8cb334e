import XCTest
@testable import PilarCore

final class TokenServiceTests: XCTestCase {
    func testCreateAuthenticateRevoke() throws {
        let t = try TempPilar()
        let (info, secret) = try t.pilar.tokens.create(role: .kabkota, region: RegionCode("3274"), name: "Dinsos Kota Cirebon", by: .cli)
        XCTAssertTrue(secret.hasPrefix("pilar_\(info.id)_"))
        XCTAssertGreaterThanOrEqual(secret.count, 6 + 43, "at least 256 random bits in base64url")
        let caller = try XCTUnwrap(try t.pilar.tokens.authenticate(secret))
        XCTAssertEqual(caller.role, .kabkota)
        XCTAssertEqual(caller.region?.dotted, "32.74")

        // Only the hash is stored.
        let stored = try t.pilar.db.read { c in try c.queryOne("SELECT secret_hash FROM tokens WHERE id = ?", info.id)?.string("secret_hash") }
        XCTAssertNotNil(stored)
        XCTAssertFalse(secret.contains(stored!))
        XCTAssertEqual(stored, Digest.sha256Hex(Array(secret.split(separator: "_", maxSplits: 2)[2].utf8)))

        // A wrong secret for a real id, a malformed token, an unknown id: all unauthenticated.
        var wrong = Array(secret)
        wrong[wrong.count - 1] = wrong.last == "A" ? "B" : "A"
        XCTAssertNil(try t.pilar.tokens.authenticate(String(wrong)))
        XCTAssertNil(try t.pilar.tokens.authenticate("pilar_x_y"))
        XCTAssertNil(try t.pilar.tokens.authenticate("pilar_999" + secret.dropFirst(("pilar_\(info.id)").count)))

        _ = try t.pilar.tokens.revoke(id: info.id, by: .cli)
        XCTAssertNil(try t.pilar.tokens.authenticate(secret), "a revoked token stops at once")
    }

    func testRoleRegionLevelsAndGrants() throws {
        let t = try TempPilar()
        XCTAssertThrowsError(try t.pilar.tokens.create(role: .tksk, region: RegionCode("32.74"), name: "x", by: .cli)) { e in
            XCTAssertEqual((e as? PilarError)?.errors.first?.code, "wrong_level")
        }
        XCTAssertThrowsError(try t.pilar.tokens.create(role: .kabkota, region: nil, name: "x", by: .cli))
        XCTAssertThrowsError(try t.pilar.tokens.create(role: .admin, region: RegionCode("32"), name: "x", by: .cli))
        XCTAssertThrowsError(try t.pilar.tokens.create(role: .kabkota, region: RegionCode("33.01"), name: "x", by: .cli)) { e in
            XCTAssertEqual((e as? PilarError)?.errors.first?.code, "unknown_region")
        }
        let kab = Caller(tokenID: 1, name: "kab", role: .kabkota, region: RegionCode("32.74"))
        XCTAssertNoThrow(try t.pilar.tokens.create(role: .tksk, region: RegionCode("32.74.01"), name: "TKSK", by: kab))
        XCTAssertNoThrow(try t.pilar.tokens.create(role: .viewer, region: RegionCode("32.74"), name: "dash", by: kab))
        XCTAssertThrowsError(try t.pilar.tokens.create(role: .kabkota, region: RegionCode("32.74"), name: "peer", by: kab)) { e in
            XCTAssertEqual((e as? PilarError)?.kind, .forbidden)
        }
        XCTAssertThrowsError(try t.pilar.tokens.create(role: .viewer, region: RegionCode("32"), name: "up", by: kab)) { e in
            XCTAssertEqual((e as? PilarError)?.kind, .forbidden)
        }
    }

    func testEveryTokenChangeIsAudited() throws {
        let t = try TempPilar()
        let (info, _) = try t.pilar.tokens.create(role: .viewer, region: RegionCode("32"), name: "dash", by: .cli)
        _ = try t.pilar.tokens.revoke(id: info.id, by: .cli)
        var q = AuditLog.Query()
        q.entity = "token"
        let entries = try AuditLog.list(t.pilar, q, by: .cli)
        XCTAssertEqual(entries.map(\.action), ["revoke", "create"])
        XCTAssertEqual(entries[0].actor, "cli")
        XCTAssertNotNil(entries[0].before)
        XCTAssertThrowsError(try t.pilar.db.write { c in try c.run("DELETE FROM audit_log") }, "append-only")
        XCTAssertThrowsError(try t.pilar.db.write { c in try c.run("UPDATE audit_log SET actor = 'x'") }, "append-only")
        // The one change a purge may make (migration 0015) is removing personal keys from psks
        // images; rewriting an image any other way, or a token's entry at all, is still refused.
        XCTAssertThrowsError(try t.pilar.db.write { c in try c.run("UPDATE audit_log SET after = json_set(after, '$.name', 'x')") })
        XCTAssertThrowsError(try t.pilar.db.write { c in
            try c.run("UPDATE audit_log SET after = json_remove(after, '$.name') WHERE entity = 'token'")
        })
    }
}

final class TokenCacheTests: XCTestCase {
    func testCachedTokenStillChecksTheSecretAndRevocationIsImmediate() throws {
        let t = try TempPilar()
        let (info, secret) = try t.pilar.tokens.create(role: .viewer, region: RegionCode("32"), name: "dash", by: .cli)
        XCTAssertNotNil(try t.pilar.tokens.authenticate(secret))
        XCTAssertNotNil(try t.pilar.tokens.authenticate(secret), "served from the cache")
        var wrong = Array(secret)
        wrong[wrong.count - 2] = wrong[wrong.count - 2] == "x" ? "y" : "x"
        XCTAssertNil(try t.pilar.tokens.authenticate(String(wrong)), "a cached id with a wrong secret is refused")
        _ = try t.pilar.tokens.revoke(id: info.id, by: .cli)
        XCTAssertNil(try t.pilar.tokens.authenticate(secret), "revoked in this process: refused on the next request")
    }
}
