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
}

/// Bearer tokens: random 256-bit secrets, shown once, stored as SHA-256, compared in constant time.
/// The token text is `pilar_<id>_<secret>`, so a lookup is by id and never by the secret itself.
public final class TokenService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    /// Recently verified tokens by id: dashboards poll many times a second, and a database read
    /// per request would cost more than the answer. The secret is still checked against the
    /// stored hash on every request. A revocation through this process drops the entry at once;
    /// one made by another process (the CLI) takes effect within `cacheLifetime`.
    private let cache = NSLock()
    private var cached: [Int64: (hash: [UInt8], caller: Caller, until: Date)] = [:]
    /// Bumped after each revocation commits; a lookup that started before it is not cached.
    private var revocations = 0
    public static let cacheLifetime: TimeInterval = 2

    public func create(role: Role, region: RegionCode?, name: String, by caller: Caller) throws -> (TokenInfo, String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw PilarError.field("name", "required", "name is required (1 to 200 characters), e.g. \"TKSK Kejaksan\"")
        }
        guard caller.role.grantable.contains(role) else {
            throw PilarError.forbidden("a \(caller.role.rawValue) token may not create \(role.rawValue) tokens")
        }
        if role == .admin {
            guard region == nil else { throw PilarError.field("region", "not_allowed", "an admin token has no region") }
        } else {
            guard let region else {
                throw PilarError.field("region", "required", "a \(role.rawValue) token needs a region")
            }
            try caller.requireCovers(region)
            if let depth = role.requiredRegionDepth, region.depth != depth {
                let want = ["", "a provinsi", "a kabupaten/kota", "a kecamatan"][depth]
                throw PilarError.field("region", "wrong_level", "a \(role.rawValue) token's region must be \(want); \(region.dotted) is not")
            }
        }
        var secretBytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in secretBytes.indices { secretBytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let secret = Base64URL.encode(secretBytes)
        let hash = SHA256.hex(Array(secret.utf8))
        let now = Clock.timestamp(pilar.clock.now())
        let info: TokenInfo = try pilar.write { c in
            if let region {
                guard try c.queryOne("SELECT 1 FROM regions WHERE code = ?", region.dotted) != nil else {
                    throw PilarError.field("region", "unknown_region", "region \(region.dotted) is not in the register; import it first")
                }
            }
            try c.run("INSERT INTO tokens (name, role, region, secret_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                      name, role.rawValue, region?.dotted, hash, now, caller.tokenID)
            let info = TokenInfo(id: c.lastInsertRowID, name: name, role: role, region: region,
                                 createdAt: now, createdBy: caller.tokenID, revokedAt: nil)
            try AuditLog.append(c, by: caller, at: now, entity: "token", key: String(info.id), action: "create",
                                region: region, before: nil, after: TokenService.json(info))
            return info
        }
        return (info, "pilar_\(info.id)_\(secret)")
    }

    /// The caller a bearer token stands for, or nil when it is malformed, unknown or revoked.
    public func authenticate(_ token: String) throws -> Caller? {
        guard let (id, presented) = Self.parse(token) else { return nil }
        let now = Date()
        cache.lock()
        let hit = cached[id]
        let generation = revocations
        cache.unlock()
        if let hit, hit.until > now {
            return SHA256.constantTimeEquals(presented, hit.hash) ? hit.caller : nil
        }
        // A reserved reader: exports and dashboards holding every ordinary one cannot stop this.
        let row = try pilar.db.readPriority { c in
            try c.queryOne("SELECT name, role, region, secret_hash, revoked_at FROM tokens WHERE id = ?", id)
        }
        guard let row, row.optionalString("revoked_at") == nil,
              let stored = Hex.decode(row.string("secret_hash")),
              SHA256.constantTimeEquals(presented, stored),
              let role = Role(rawValue: row.string("role"))
        else { return nil }
        let caller = Caller(tokenID: id, name: row.string("name"), role: role,
                            region: row.optionalString("region").flatMap(RegionCode.init))
        cache.lock()
        if cached.count > 10_000 { cached.removeAll() }  // bound memory against many distinct ids
        if generation == revocations { cached[id] = (stored, caller, now.addingTimeInterval(Self.cacheLifetime)) }
        cache.unlock()
        return caller
    }

    /// The caller from the cache alone (no database): for answers given on the event loop.
    /// nil when the token is not cached or its entry has expired (a worker then checks it).
    public func cachedCaller(_ token: String) -> Caller? {
        guard let (id, presented) = Self.parse(token) else { return nil }
        cache.lock()
        let hit = cached[id]
        cache.unlock()
        guard let hit, hit.until > Date() else { return nil }
        return SHA256.constantTimeEquals(presented, hit.hash) ? hit.caller : nil
    }

    /// The id and the secret's hash of a `pilar_<id>_<secret>` token, nil for any other shape.
    private static func parse(_ token: String) -> (id: Int64, hash: [UInt8])? {
        let parts = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "pilar", let id = Int64(parts[1]), parts[2].count == 43 else { return nil }
        return (id, SHA256.hash(Array(parts[2].utf8)))
    }

    /// Tokens the caller may see: all for admin, those inside its subtree for provinsi/kabkota.
    public func list(by caller: Caller) throws -> [TokenInfo] {
        try caller.requireRole([.admin, .provinsi, .kabkota], to: "list tokens")
        return try pilar.db.read { c in
            let rows: [Row]
            if let region = caller.region {
                rows = try c.query("SELECT * FROM tokens WHERE region >= ? AND region < ? ORDER BY id",
                                   region.subtreeLowerBound, region.subtreeUpperBound)
            } else {
                rows = try c.query("SELECT * FROM tokens ORDER BY id")
            }
            return rows.map(TokenService.info)
        }
    }

    public func revoke(id: Int64, by caller: Caller) throws -> TokenInfo {
        try caller.requireRole([.admin, .provinsi, .kabkota], to: "revoke tokens")
        let now = Clock.timestamp(pilar.clock.now())
        defer { forget(id) }  // after the commit, so no lookup can cache the old state again
        return try pilar.write { c in
            guard let row = try c.queryOne("SELECT * FROM tokens WHERE id = ?", id) else {
                throw PilarError.notFound("no token with id \(id)")
            }
            let before = TokenService.info(row)
            if caller.role != .admin {
                // Outside the subtree looks the same as absent: a 404 would tell that it exists.
                guard let r = before.region, caller.covers(r), caller.role.grantable.contains(before.role) else {
                    throw PilarError.forbidden("this \(caller.role.rawValue) token covers \(caller.reach) and may revoke only lower roles' tokens there")
                }
            }
            if before.revokedAt != nil { return before }
            try c.run("UPDATE tokens SET revoked_at = ? WHERE id = ?", now, id)
            let after = TokenInfo(id: before.id, name: before.name, role: before.role, region: before.region,
                                  createdAt: before.createdAt, createdBy: before.createdBy, revokedAt: now)
            try AuditLog.append(c, by: caller, at: now, entity: "token", key: String(id), action: "revoke",
                                region: before.region, before: TokenService.json(before), after: TokenService.json(after))
            return after
        }
    }

    private func forget(_ id: Int64) {
        cache.lock()
        cached[id] = nil
        revocations += 1
        cache.unlock()
    }

    static func info(_ r: Row) -> TokenInfo {
        TokenInfo(id: r.int64("id"), name: r.string("name"), role: Role(rawValue: r.string("role")) ?? .viewer,
                  region: r.optionalString("region").flatMap(RegionCode.init), createdAt: r.string("created_at"),
                  createdBy: r.optionalInt("created_by").map(Int64.init), revokedAt: r.optionalString("revoked_at"))
    }

    public static func json(_ t: TokenInfo) -> JSON {
        var o = JSONObject()
        o["id"] = .int(t.id)
        o["name"] = .string(t.name)
        o["role"] = .string(t.role.rawValue)
        o["region"] = .from(t.region?.dotted)
        o["created_at"] = .string(t.createdAt)
        o["created_by"] = .from(t.createdBy)
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
