import Foundation
import SQLiteStore

/// All the SQL of reports (the backfill's staging table aside, ReportImport): what the services
/// (ReportService and its extensions) and the demo seeds read and write. Writing functions run
/// inside the caller's write transaction, so a version, its flat lines, its event and its
/// audit entry commit together or not at all.
enum ReportStore {
    struct Event {
        var action: String
        var status: ReportStatus
        var reason: String? = nil
        var notes: [FieldNote] = []
    }

    /// A new report at version 1.
    static func create(_ c: Connection, kecamatan: RegionCode, period: ReportPeriod, status: ReportStatus,
                       content: ReportContent, dueAt: String, at now: String, by caller: Caller,
                       source: String = "api", verifiedAt: String? = nil, reason: String? = nil,
                       event: String) throws -> Int64 {
        try c.run("""
            INSERT INTO reports (kecamatan, period, status, version, revision, due_at, verified_at, verified_by,
                                 created_at, created_by, updated_at, updated_by, source)
            VALUES (?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?)
            """, kecamatan.dotted, period.description, status.rawValue, dueAt, verifiedAt,
                  verifiedAt == nil ? nil : caller.name, now, caller.name, now, caller.name, source)
        let id = c.lastInsertRowID
        try insertVersion(c, id: id, version: 1, content: content, at: now, by: caller, reason: reason)
        try replaceLines(c, id: id, kecamatan: kecamatan, period: period, status: status, content: content)
        try appendEvent(c, id: id, version: 1, Event(action: event, status: status, reason: reason), at: now, by: caller)
        return id
    }

    /// A new version of an existing report's content; the status stays as it is.
    static func newVersion(_ c: Connection, _ r: ReportRecord, content: ReportContent, at now: String, by caller: Caller,
                           reason: String?, event: String) throws {
        let version = r.version + 1
        try insertVersion(c, id: r.id, version: version, content: content, at: now, by: caller, reason: reason)
        try c.run("""
            UPDATE reports SET version = ?, revision = revision + 1, updated_at = ?, updated_by = ? WHERE id = ?
            """, version, now, caller.name, r.id)
        try replaceLines(c, id: r.id, kecamatan: r.kecamatan, period: r.period, status: r.status, content: content)
        try appendEvent(c, id: r.id, version: version, Event(action: event, status: r.status, reason: reason), at: now, by: caller)
    }

    /// A draft saved again in the same sitting (ReportLimits.collapses): the current version's
    /// content and time are replaced in place, and so is the time of the save's event, so the
    /// window runs from the latest save. The ETag still moves (revision).
    static func replaceCurrentVersion(_ c: Connection, _ r: ReportRecord, content: ReportContent, at now: String,
                                      by caller: Caller) throws {
        try c.run("UPDATE report_versions SET content = ?, created_at = ?, created_by = ? WHERE report_id = ? AND version = ?",
                  content.stored, now, caller.name, r.id, r.version)
        try c.run("UPDATE reports SET revision = revision + 1, updated_at = ?, updated_by = ? WHERE id = ?", now, caller.name, r.id)
        try c.run("UPDATE report_events SET at = ? WHERE id = (SELECT max(id) FROM report_events WHERE report_id = ?)", now, r.id)
        try replaceLines(c, id: r.id, kecamatan: r.kecamatan, period: r.period, status: r.status, content: content)
    }

    /// The report's latest event: what the collapse rule looks at.
    static func lastSave(_ c: Connection, _ r: ReportRecord) throws -> ReportLimits.LastSave? {
        guard let e = try c.queryOne("SELECT action, token_id, at FROM report_events WHERE report_id = ? ORDER BY id DESC LIMIT 1", r.id),
              let at = Clock.parseTimestamp(e.string("at")) else { return nil }
        return ReportLimits.LastSave(action: e.string("action"), tokenID: e.optionalInt64("token_id"), at: at)
    }

    static func insertVersion(_ c: Connection, id: Int64, version: Int, content: ReportContent, at now: String,
                              by caller: Caller, reason: String?) throws {
        try c.run("""
            INSERT INTO report_versions (report_id, version, content, created_at, created_by, reason)
            VALUES (?, ?, ?, ?, ?, ?)
            """, id, version, content.stored, now, caller.name, reason)
    }

    /// A status change: the report row, the status copied onto its lines, the event.
    static func setStatus(_ c: Connection, _ r: ReportRecord, to status: ReportStatus, sets: String, _ args: [SQLBindable?],
                          event: Event, at now: String, by caller: Caller) throws {
        var all: [SQLBindable?] = [status.rawValue, now, caller.name]
        all += args
        all.append(r.id)
        try c.run("""
            UPDATE reports SET status = ?, revision = revision + 1, updated_at = ?, updated_by = ?\(sets.isEmpty ? "" : ", " + sets)
            WHERE id = ?
            """, all)
        if status != r.status {
            try c.run("UPDATE report_pmks_lines SET status = ? WHERE report_id = ?", status.rawValue, r.id)
            try c.run("UPDATE report_psks_counts SET status = ? WHERE report_id = ?", status.rawValue, r.id)
        }
        try appendEvent(c, id: r.id, version: r.version, event, at: now, by: caller)
    }

    static func appendEvent(_ c: Connection, id: Int64, version: Int, _ e: Event, at now: String, by caller: Caller) throws {
        try c.run("""
            INSERT INTO report_events (report_id, version, action, status, at, actor, token_id, reason, notes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, id, version, e.action, e.status.rawValue, now, caller.name, caller.tokenID, e.reason,
                  e.notes.isEmpty ? nil : FieldNote.stored(e.notes))
    }

    /// The flat tables hold exactly the current version (SCHEMA.md): delete, then insert.
    /// in_total: a category's kecamatan-wide line counts when there is one, else its desa lines.
    static func replaceLines(_ c: Connection, id: Int64, kecamatan: RegionCode, period: ReportPeriod,
                             status: ReportStatus, content: ReportContent) throws {
        try c.run("DELETE FROM report_pmks_lines WHERE report_id = ?", id)
        try c.run("DELETE FROM report_psks_counts WHERE report_id = ?", id)
        let wholeLine = Set(content.pmks.filter { $0.desa == nil }.map(\.category))
        for l in content.pmks {
            let inTotal = l.desa == nil || !wholeLine.contains(l.category)
            let person = PMKSCategory.named(l.category)?.unit == .person
            try c.run("""
                INSERT INTO report_pmks_lines (report_id, kecamatan, period, status, category, desa, male, female, count, in_total)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, id, kecamatan.dotted, period.description, status.rawValue, l.category, l.desa,
                      person ? l.male : nil, person ? l.female : nil, person ? nil : l.count, inTotal ? 1 : 0)
        }
        for p in content.psks {
            try c.run("""
                INSERT INTO report_psks_counts (report_id, kecamatan, period, status, type, count) VALUES (?, ?, ?, ?, ?, ?)
                """, id, kecamatan.dotted, period.description, status.rawValue, p.type, p.count)
        }
    }

    static func audit(_ c: Connection, _ kecamatan: RegionCode, _ period: ReportPeriod, action: String, at now: String,
                      by caller: Caller, before: JSON?, after: JSON?) throws {
        try AuditLog.append(c, by: caller, at: now, entity: "report", key: "\(kecamatan.dotted)/\(period)",
                            action: action, region: kecamatan, before: before, after: after)
    }

    /// Per category, the total of each of the kecamatan's submitted or verified reports in the
    /// 12 months before `period`: what ReportQuality compares against.
    static func history(_ c: Connection, kecamatan: RegionCode, before period: ReportPeriod)
        throws -> [String: [(period: ReportPeriod, total: Int)]] {
        var out: [String: [(period: ReportPeriod, total: Int)]] = [:]
        let rows = try c.query("""
            SELECT period, category, SUM(coalesce(male, 0) + coalesce(female, 0) + coalesce(count, 0)) AS total
            FROM report_pmks_lines
            WHERE kecamatan = ? AND period >= ? AND period < ? AND in_total = 1 AND status IN ('submitted', 'verified')
            GROUP BY period, category
            """, kecamatan.dotted, period.adding(months: -ReportQuality.window).description, period.description)
        for r in rows {
            guard let p = ReportPeriod(r.string("period")) else { continue }
            out[r.string("category"), default: []].append((p, r.int("total")))
        }
        return out
    }

    // MARK: reading

    static let selectRecord = """
        SELECT r.*, v.content FROM reports r
        JOIN report_versions v ON v.report_id = r.id AND v.version = r.version
        """

    static func find(_ c: Connection, _ kecamatan: RegionCode, _ period: ReportPeriod) throws -> ReportRecord? {
        try c.queryOne(selectRecord + " WHERE r.kecamatan = ? AND r.period = ?", kecamatan.dotted, period.description)
            .map(ReportRecord.from)
    }

    /// Versions `from` on, oldest first (a history page).
    static func versions(_ c: Connection, of r: ReportRecord, from: Int, limit: Int) throws -> [Row] {
        try c.query("SELECT * FROM report_versions WHERE report_id = ? AND version >= ? ORDER BY version LIMIT ?",
                    r.id, from, limit)
    }

    /// The workflow events of versions after `after` up to `through`, in order.
    static func events(_ c: Connection, of r: ReportRecord, after: Int, through: Int) throws -> [Row] {
        try c.query("SELECT * FROM report_events WHERE report_id = ? AND version > ? AND version <= ? ORDER BY id",
                    r.id, after, through)
    }

    /// Reports (without content) in `region`'s subtree, newest period first, then by kecamatan;
    /// `after` is the keyset of the previous page's last row.
    static func list(_ c: Connection, in region: RegionCode?, period: ReportPeriod?, status: ReportStatus?, late: Bool?,
                     after: (period: String, kecamatan: String)?, limit: Int) throws -> [ReportRecord] {
        var sql = "SELECT r.*, '' AS content FROM reports r WHERE 1 = 1"
        var args: [SQLBindable?] = []
        if let region {
            sql += " AND r.kecamatan >= ? AND r.kecamatan < ?"
            args += [region.subtreeLowerBound, region.subtreeUpperBound]
        }
        if let period { sql += " AND r.period = ?"; args.append(period.description) }
        if let status { sql += " AND r.status = ?"; args.append(status.rawValue) }
        if let late { sql += " AND r.late = ?"; args.append(late ? 1 : 0) }
        if let after {
            sql += " AND (r.period < ? OR (r.period = ? AND r.kecamatan > ?))"
            args += [after.period, after.period, after.kecamatan]
        }
        sql += " ORDER BY r.period DESC, r.kecamatan ASC LIMIT ?"
        args.append(limit)
        return try c.query(sql, args).map(ReportRecord.from)
    }

    /// The PMKS catalogue as stored, in catalogue order.
    static func categories(_ c: Connection) throws -> [Row] {
        try c.query("SELECT * FROM pmks_categories ORDER BY rowid")
    }

    /// Period and status of the kecamatan's reports from `from` up to (not including) `before`.
    static func statuses(_ c: Connection, kecamatan: RegionCode, from: ReportPeriod, before: ReportPeriod) throws -> [Row] {
        try c.query("SELECT period, status FROM reports WHERE kecamatan = ? AND period >= ? AND period < ?",
                    kecamatan.dotted, from.description, before.description)
    }

    /// The kecamatan's returned reports, newest period first.
    static func returned(_ c: Connection, kecamatan: RegionCode, limit: Int) throws -> [Row] {
        try c.query("""
            SELECT period, returned_at, return_reason, return_notes FROM reports
            WHERE kecamatan = ? AND status = 'returned' ORDER BY period DESC LIMIT ?
            """, kecamatan.dotted, limit)
    }

    // MARK: repeatable requests

    /// The first answer stored under this request's key, or nil. The rows keep the domain's
    /// outcome and version (Migrations/0012 turned the older rows, stored with a status and
    /// headers, into these). The same key with another body is refused.
    static func storedAnswer(_ c: Connection, _ r: IdempotencyRequest, by caller: Caller) throws -> ReportAnswer? {
        guard let row = try c.queryOne("""
            SELECT body_hash, outcome, version_tag, body FROM idempotency_keys
            WHERE token_id = ? AND key = ? AND method = ? AND path = ?
            """, caller.tokenID ?? 0, r.key, r.method, r.path) else { return nil }
        guard row.string("body_hash") == r.bodyHash else { throw IdempotencyKeyReused(key: r.key) }
        return ReportAnswer(outcome: ReportAnswer.Outcome(rawValue: row.string("outcome")) ?? .updated,
                            body: (try? JSON.parse(row.blob("body"))) ?? .null,
                            version: row.optionalString("version_tag").map(VersionTag.init), replayed: true)
    }

    /// Keeps the first answer, in the transaction of the change it answers.
    static func storeAnswer(_ c: Connection, _ r: IdempotencyRequest, _ a: ReportAnswer, at now: String, by caller: Caller) throws {
        try c.run("""
            INSERT INTO idempotency_keys (token_id, key, method, path, body_hash, outcome, version_tag, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, caller.tokenID ?? 0, r.key, r.method, r.path, r.bodyHash, a.outcome.rawValue, a.version?.value,
                  a.body.encoded(), now)
    }
}
