import Foundation
import SQLiteStore

public struct AuditEntry {
    public let id: Int64
    public let at: String
    public let tokenID: Int64?
    public let actor: String
    public let entity: String
    public let key: String
    public let action: String
    public let region: String?
    public let before: JSON?
    public let after: JSON?
}

/// The append-only record of who changed what. Entries are written in the same transaction as
/// the change they describe, so one never exists without the other. Callers pass `before` and
/// `after` with personal fields already masked.
public enum AuditLog {
    public static func append(_ c: Connection, by caller: Caller, at: String, entity: String, key: String,
                              action: String, region: RegionCode?, before: JSON?, after: JSON?) throws {
        try c.run("""
            INSERT INTO audit_log (at, token_id, actor, entity, entity_key, action, region, before, after)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, at, caller.tokenID, caller.name, entity, key, action, region?.dotted,
            before?.encodedString(), after?.encodedString())
    }

    /// A stored masked record as the mask rule of today shows it: entries written under an
    /// older, wider mask (8 NIK digits, the birth year) are narrowed when read.
    static func shown(_ j: JSON) -> JSON {
        guard case .object(var o) = j, o["masked"] == .bool(true) else { return j }
        if let nik = o["nik"]?.stringValue { o["nik"] = .string(NIK.mask(nik)) }
        if o["birth_date"] != nil { o["birth_date"] = .null }
        return .object(o)
    }

    /// The kinds of thing the log names, as `entity` takes them. Region imports were logged as
    /// `regions` before they were `region`; the filter finds both.
    public static let entities = ["ipsm", "ipsm_member", "privacy_settings", "psks", "psks_award", "psks_equipment", "region",
                                  "report", "token", "training", "training_participant", "training_programme"]
    static let formerNames = ["region": "regions"]

    public struct Query {
        public var entity: String?
        public var key: String?
        public var since: String?
        public var limit: Int = 100
        public var afterID: Int64?
        public init() {}
    }

    /// Newest first. Admin sees everything; provinsi and kabkota see entries of their subtree.
    public static func list(_ pilar: Pilar, _ q: Query, by caller: Caller) throws -> [AuditEntry] {
        try caller.requireRole([.admin, .provinsi, .kabkota], to: "read_audit_log")
        var sql = "SELECT * FROM audit_log WHERE 1 = 1"
        var args: [SQLBindable?] = []
        if let region = caller.region {
            sql += " AND region >= ? AND region < ?"
            args += [region.subtreeLowerBound, region.subtreeUpperBound]
        }
        if let e = q.entity { sql += " AND entity IN (?, ?)"; args += [e, formerNames[e] ?? e] }
        if let k = q.key { sql += " AND entity_key = ?"; args.append(k) }
        if let s = q.since { sql += " AND at >= ?"; args.append(s) }
        if let a = q.afterID { sql += " AND id < ?"; args.append(a) }
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(q.limit)
        return try pilar.db.read { c in
            try c.query(sql, args).map { r in
                AuditEntry(id: r.int64("id"), at: r.string("at"), tokenID: r.optionalInt("token_id").map(Int64.init),
                           actor: r.string("actor"), entity: r.string("entity"), key: r.string("entity_key"),
                           action: r.string("action"), region: r.optionalString("region"),
                           before: r.optionalString("before").flatMap { try? JSON.parse($0) }.map(shown),
                           after: r.optionalString("after").flatMap { try? JSON.parse($0) }.map(shown))
            }
        }
    }
}
