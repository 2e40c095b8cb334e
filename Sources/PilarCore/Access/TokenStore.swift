import Foundation
import SQLiteStore

/// All the SQL of tokens (table `tokens`, and `tokens_version`, which triggers bump on any
/// change so every process's token cache notices a revocation): used by TokenService and
/// TokenCache. The privacy settings a token's default lifetime comes from are PrivacySettings'.
enum TokenStore {
    static func row(_ c: Connection, _ id: Int64) throws -> Row? {
        try c.queryOne("SELECT * FROM tokens WHERE id = ?", id)
    }

    /// The new token's id.
    static func insert(_ c: Connection, name: String, role: Role, region: RegionCode?, secretHash: String, at now: String,
                       by maker: Int64?, expiresAt: String?) throws -> Int64 {
        try c.run("""
            INSERT INTO tokens (name, role, region, secret_hash, created_at, created_by, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, name, role.rawValue, region?.dotted, secretHash, now, maker, expiresAt)
        return c.lastInsertRowID
    }

    /// Bumped by a trigger on every change of `tokens`.
    static func version(_ c: Connection) throws -> Int64 {
        try c.queryOne("SELECT version FROM tokens_version")?.int64("version") ?? 0
    }

    /// Every token, or those of `region`'s subtree, by id.
    static func list(_ c: Connection, in region: RegionCode?) throws -> [Row] {
        guard let region else { return try c.query("SELECT * FROM tokens ORDER BY id") }
        return try c.query("SELECT * FROM tokens WHERE region >= ? AND region < ? ORDER BY id",
                           region.subtreeLowerBound, region.subtreeUpperBound)
    }

    /// The token and every token made by it, or by those, and so on, that is not revoked yet.
    static func unrevokedLineage(_ c: Connection, of id: Int64) throws -> [Row] {
        try c.query("""
            WITH RECURSIVE made(id) AS (SELECT ? UNION SELECT t.id FROM tokens t JOIN made ON t.created_by = made.id)
            SELECT tokens.* FROM tokens JOIN made USING (id) WHERE revoked_at IS NULL ORDER BY id
            """, id)
    }

    static func revoke(_ c: Connection, _ id: Int64, at now: String) throws {
        try c.run("UPDATE tokens SET revoked_at = ? WHERE id = ?", now, id)
    }

    static func used(_ c: Connection, _ id: Int64, at: String) throws {
        try c.run("UPDATE tokens SET last_used_at = ? WHERE id = ?", at, id)
    }
}
