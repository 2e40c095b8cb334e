import Foundation
import SQLiteStore

public struct TokenInfo: Equatable {
    public let id: Int64
    public let name: String
    public let role: Role
    public let region: RegionCode?
    public let createdAt: String
    public let createdBy: Int64?
    public let revokedAt: String?
    public var expiresAt: String? = nil
    public var lastUsedAt: String? = nil
}

/// Bearer tokens: random 256-bit secrets, shown once, stored as SHA-256, compared in constant time.
/// The token text is `pilar_<id>_<secret>`, so a lookup is by id and never by the secret itself.
/// A token never grants more than its maker has (`Role.grantable`, inside the maker's region),
/// may expire, and stops working with the token that made it.
public final class TokenService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    private let cache = TokenCache()
    private let uses = TokenUseRecorder()

    public func create(role: Role, region: RegionCode?, name: String, expiresAt: Date? = nil,
                       by caller: Caller) throws -> (TokenInfo, String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw PilarError.field("name", code: "required")
        }
        guard caller.role.grantable.contains(role) else {
            throw PilarError(.forbidden, code: "role_not_grantable", ["role": .text(caller.role.rawValue), "wanted": .text(role.rawValue),
                                                                         "grantable": caller.role.grantable.isEmpty ? .term("none") : .list(caller.role.grantable.map(\.rawValue))])
        }
        if !role.isRegional {
            guard region == nil else { throw PilarError.field("region", code: "not_allowed", ["role": .text(role.rawValue)]) }
        } else {
            guard let region else {
                throw PilarError.field("region", code: "required")
            }
            try caller.requireCovers(region)
            if let depth = role.requiredRegionDepth, region.depth != depth {
                let want = ["", "provinsi", "kabkota", "kecamatan"][depth]
                throw PilarError.field("region", code: "wrong_level",
                                       ["role": .text(role.rawValue), "level": .term("level." + want), "region": .text(region.dotted)])
            }
        }
        let nowDate = pilar.clock.now()
        if let expiresAt, expiresAt <= nowDate {
            throw PilarError.field("expires_at", code: "in_past")
        }
        var secretBytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in secretBytes.indices { secretBytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let secret = Base64URL.encode(secretBytes)
        let hash = Digest.sha256Hex(Array(secret.utf8))
        let now = Clock.timestamp(nowDate)
        let info: TokenInfo = try pilar.write { c in
            if let region {
                guard try RegionService.lookup(region, on: c) != nil else {
                    throw PilarError.field("region", code: "unknown_region", ["region": .text(region.dotted)])
                }
            }
            var expiry = expiresAt
            if expiry == nil, let days = try PrivacySettings.read(c).defaultTokenDays(for: role), days > 0 {
                expiry = nowDate.addingTimeInterval(Double(days) * 86_400)
            }
            // A token does not outlive the token that made it.
            if let maker = caller.tokenID, let end = try TokenStore.row(c, maker)?
                .optionalString("expires_at").flatMap(Clock.parseTimestamp), expiry.map({ $0 > end }) ?? true {
                expiry = end
            }
            let expiryText = expiry.map(Clock.timestamp)
            let id = try TokenStore.insert(c, name: name, role: role, region: region, secretHash: hash, at: now,
                                           by: caller.tokenID, expiresAt: expiryText)
            var info = TokenInfo(id: id, name: name, role: role, region: region,
                                 createdAt: now, createdBy: caller.tokenID, revokedAt: nil)
            info.expiresAt = expiryText
            try AuditLog.append(c, by: caller, at: now, entity: "token", key: String(info.id), action: "create",
                                region: region, before: nil, after: TokenService.json(info))
            return info
        }
        return (info, "pilar_\(info.id)_\(secret)")
    }

    /// The caller a bearer token stands for, or nil when it is malformed, unknown, revoked or expired.
    public func authenticate(_ token: String) throws -> Caller? {
        guard let (id, presented) = Self.parse(token) else { return nil }
        // A reserved reader: exports and dashboards holding every ordinary one cannot stop these.
        try cache.revalidate(pilar.commitWatch) {
            try pilar.db.readPriority { c in try TokenStore.version(c) }
        }
        let now = pilar.clock.now()
        let (hit, generation) = cache.entry(id, at: now)
        if let hit {
            guard Digest.constantTimeEquals(presented, hit.hash) else { return nil }
            uses.used(id, at: now, db: pilar.db)
            return hit.caller
        }
        let row = try pilar.db.readPriority { c in
            try TokenStore.row(c, id)
        }
        let expiresAt = row?.optionalString("expires_at").flatMap(Clock.parseTimestamp)
        guard let row, row.optionalString("revoked_at") == nil, expiresAt.map({ $0 > now }) ?? true,
              let stored = Hex.decode(row.string("secret_hash")),
              Digest.constantTimeEquals(presented, stored),
              let role = Role(rawValue: row.string("role"))
        else { return nil }
        let caller = Caller(tokenID: id, name: row.string("name"), role: role,
                            region: row.optionalString("region").flatMap(RegionCode.init))
        cache.store(id, hash: stored, caller: caller, expiresAt: expiresAt, ifGeneration: generation)
        uses.used(id, at: now, db: pilar.db)
        return caller
    }

    /// The caller from the cache alone (no database): for answers given on the event loop.
    /// nil when the token is not cached, its entry is stale, or any process has committed
    /// since the cache was last checked (a worker then checks it).
    public func cachedCaller(_ token: String) -> Caller? {
        guard let (id, presented) = Self.parse(token) else { return nil }
        let now = pilar.clock.now()
        guard let hit = cache.trustedEntry(id, pilar.commitWatch, at: now),
              Digest.constantTimeEquals(presented, hit.hash) else { return nil }
        uses.used(id, at: now, db: pilar.db)
        return hit.caller
    }

    /// Writes the last-use times noted so far (the server calls it as it stops).
    public func flushUseTimes() { uses.flush(pilar.db) }

    /// The id and the secret's hash of a `pilar_<id>_<secret>` token, nil for any other shape.
    private static func parse(_ token: String) -> (id: Int64, hash: [UInt8])? {
        let parts = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "pilar", let id = Int64(parts[1]), parts[2].count == 43 else { return nil }
        return (id, Digest.sha256(Array(parts[2].utf8)))
    }

    /// Tokens the caller may see: all for admin, those inside its subtree for provinsi/kabkota.
    public func list(by caller: Caller) throws -> [TokenInfo] {
        try caller.requireRole([.admin, .provinsi, .kabkota], to: "list_tokens")
        return try pilar.db.read { c in
            try TokenStore.list(c, in: caller.region).map(TokenService.info)
        }
    }

    /// Revokes the token and every token made by it, or by those, and so on: what a token
    /// handed out never outlives it.
    public func revoke(id: Int64, by caller: Caller) throws -> TokenInfo {
        try caller.requireRole([.admin, .provinsi, .kabkota], to: "revoke_tokens")
        let now = Clock.timestamp(pilar.clock.now())
        var revoked: [Int64] = [id]
        defer { cache.forget(revoked) }  // after the commit, so no lookup can cache the old state again
        return try pilar.write { c in
            guard let row = try TokenStore.row(c, id) else {
                throw PilarError(.notFound, code: "token_not_found", ["id": .number(id)])
            }
            let before = TokenService.info(row)
            if caller.role != .admin {
                // Outside the subtree looks the same as absent: a 404 would tell that it exists.
                guard let r = before.region, caller.covers(r), caller.role.grantable.contains(before.role) else {
                    throw PilarError(.forbidden, code: "revoke_outside_reach", ["role": .text(caller.role.rawValue), "reach": caller.reachValue])
                }
            }
            let rows = try TokenStore.unrevokedLineage(c, of: id)
            for row in rows {
                let old = TokenService.info(row)
                try TokenStore.revoke(c, old.id, at: now)
                let after = TokenInfo(id: old.id, name: old.name, role: old.role, region: old.region, createdAt: old.createdAt,
                                  createdBy: old.createdBy, revokedAt: now, expiresAt: old.expiresAt, lastUsedAt: old.lastUsedAt)
                try AuditLog.append(c, by: caller, at: now, entity: "token", key: String(old.id),
                                    action: old.id == id ? "revoke" : "revoke_with_maker",
                                    region: old.region, before: TokenService.json(old), after: TokenService.json(after))
                revoked.append(old.id)
            }
            guard let current = try TokenStore.row(c, id) else { return before }
            return TokenService.info(current)
        }
    }

    static func info(_ r: Row) -> TokenInfo {
        TokenInfo(id: r.int64("id"), name: r.string("name"), role: Role(rawValue: r.string("role")) ?? .viewer,
                  region: r.optionalString("region").flatMap(RegionCode.init), createdAt: r.string("created_at"),
                  createdBy: r.optionalInt("created_by").map(Int64.init), revokedAt: r.optionalString("revoked_at"),
                  expiresAt: r.optionalString("expires_at"), lastUsedAt: r.optionalString("last_used_at"))
    }

    public static func json(_ t: TokenInfo) -> JSON {
        var o = JSONObject()
        o["id"] = .int(t.id)
        o["name"] = .string(t.name)
        o["role"] = .string(t.role.rawValue)
        o["region"] = .from(t.region?.dotted)
        o["created_at"] = .string(t.createdAt)
        o["created_by"] = .from(t.createdBy)
        o["expires_at"] = .from(t.expiresAt)
        o["last_used_at"] = .from(t.lastUsedAt)
        o["revoked_at"] = .from(t.revokedAt)
        return .object(o)
    }
}

enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

enum Hex {
    static func decode(_ s: String) -> [UInt8]? {
        let chars = Array(s.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}
