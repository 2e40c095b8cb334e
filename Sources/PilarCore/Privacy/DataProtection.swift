import Foundation
import SQLiteStore

extension Pilar {
    public var dataProtection: DataProtectionService { DataProtectionService(self) }
}

/// What the data protection officer needs under UU 27/2022: everything held about one person
/// (a subject report by NIK), and for a leaked token every person whose data it read in a
/// time window (the breach scope, for the 3 × 24 hour notice). For dpo and admin tokens; both
/// answers show personal data in full and are themselves logged as reads.
public struct DataProtectionService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }
    static let roles: Set<Role> = [.dpo, .admin]
    /// A breach-scope answer lists at most this many people; narrow the window for more.
    public static let maxBreachRows = 200_000

    /// Every record with this NIK (any type, any status), every change of them from the audit
    /// log, and every unmasked read of them from the access log.
    public func subjectReport(nik text: String, by caller: Caller) throws -> JSON {
        try caller.requireRole(Self.roles, to: "ask_subject_report")
        let nik = text.trimmingCharacters(in: .whitespaces)
        guard nik.count == 16, nik.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw PilarError.field("nik", code: "invalid_nik")
        }
        pilar.accessLog.flush()  // reads noted a moment ago are part of the answer
        let (records, changes, reads) = try pilar.db.read { c -> ([PSKSRecord], [JSON], [JSON]) in
            let records = try c.query("SELECT * FROM psks WHERE nik = ? ORDER BY id", nik).map(PSKSRecord.from)
            var changes: [JSON] = []
            var reads: [JSON] = []
            for r in records {
                for e in try c.query("SELECT * FROM audit_log WHERE entity = 'psks' AND entity_key = ? ORDER BY id", String(r.id)) {
                    var o = JSONObject()
                    o["psks_id"] = .int(r.id)
                    o["at"] = .string(e.string("at"))
                    o["token_id"] = .from(e.optionalInt("token_id").map(Int64.init))
                    o["actor"] = .string(e.string("actor"))
                    o["action"] = .string(e.string("action"))
                    o["before"] = e.optionalString("before").flatMap { try? JSON.parse($0) }.map(AuditLog.shown) ?? .null
                    o["after"] = e.optionalString("after").flatMap { try? JSON.parse($0) }.map(AuditLog.shown) ?? .null
                    changes.append(.object(o))
                }
                for row in try c.query("""
                    SELECT r.* FROM personal_data_read_records x JOIN personal_data_reads r ON r.id = x.read_id
                    WHERE x.psks_id = ? ORDER BY r.id
                    """, r.id) {
                    reads.append(.object(Self.readJSON(row, psksID: r.id)))
                }
            }
            return (records, changes, reads)
        }
        pilar.accessLog.shown(records, masked: { _ in false }, to: caller, what: "subject_report")
        var o = JSONObject()
        o["records"] = .array(records.map { $0.json(masked: false) })
        o["changes"] = .array(changes)
        o["reads"] = .array(reads)
        return .object(o)
    }

    static func readJSON(_ row: Row, psksID: Int64) -> JSONObject {
        var o = JSONObject()
        o["psks_id"] = .int(psksID)
        o["at"] = .string(row.string("at"))
        o["token_id"] = .from(row.optionalInt("token_id").map(Int64.init))
        o["actor"] = .string(row.string("actor"))
        o["what"] = .string(row.string("what"))
        o["fields"] = .array(row.string("fields").split(separator: ",").map { .string(String($0)) })
        return o
    }

    public static let breachColumns = ["psks_id", "type", "name", "nik", "phone", "region", "fields_read", "reads",
                                       "first_read", "last_read"]

    /// Every person whose personal data the token read in [from, until): one CSV row each, with
    /// the fields read, how often and when first and last (for the notice to each of them).
    public func breachScope(tokenID: Int64, from: Date, until: Date, by caller: Caller) throws -> [[String]] {
        try caller.requireRole(Self.roles, to: "export_breach_scope")
        guard from < until else { throw PilarError(.badRequest, code: "window_empty") }
        pilar.accessLog.flush()
        let (rows, records) = try pilar.db.read { c -> ([[String]], [PSKSRecord]) in
            var rows: [[String]] = []
            var records: [PSKSRecord] = []
            let found = try c.query("""
                SELECT p.*, group_concat(DISTINCT r.fields) AS read_fields, count(*) AS reads,
                       min(r.at) AS first_read, max(r.at) AS last_read
                FROM personal_data_reads r JOIN personal_data_read_records x ON x.read_id = r.id
                JOIN psks p ON p.id = x.psks_id
                WHERE r.token_id = ? AND r.at >= ? AND r.at < ?
                GROUP BY p.id ORDER BY p.id LIMIT ?
                """, tokenID, Clock.timestamp(from), Clock.timestamp(until), Self.maxBreachRows + 1)
            guard found.count <= Self.maxBreachRows else {
                throw PilarError(.unprocessable, code: "breach_window_too_large", ["max": .int(Self.maxBreachRows)])
            }
            for row in found {
                let r = PSKSRecord.from(row)
                let fields = AccessLog.personalFields.filter { f in
                    row.string("read_fields").split(separator: ",").contains { $0 == f }
                }
                rows.append([String(r.id), r.type, r.name, r.nik ?? "", r.phone ?? "", r.region.dotted,
                             fields.joined(separator: " "), String(row.int("reads")), row.string("first_read"),
                             row.string("last_read")])
                records.append(r)
            }
            return (rows, records)
        }
        pilar.accessLog.shown(records, masked: { _ in false }, to: caller, what: "breach_scope")
        return rows
    }
}
