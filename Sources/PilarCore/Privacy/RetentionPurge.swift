import Foundation
import SQLiteStore

/// What a retention purge did (or, in a dry run, would do).
public struct PurgeSummary: Equatable {
    public var endedBefore: CalendarDate
    public var dryRun: Bool
    /// Ended person records whose personal fields are (or would be) removed.
    public var records = 0
    /// Access-log entries older than the kept period that are (or would be) deleted.
    public var accessLogEntries = 0
}

extension Pilar {
    /// Retention: a person's record that ended before `endedBefore` keeps what the dashboards
    /// count (type, region, status, sex, education, dates of service) and loses what identifies
    /// the person: the name becomes initials ("Siti Aminah" -> "S. A."), NIK, birth date, phone,
    /// address and notes are removed, from the record and from its audit images. Institutions are not people and are left as they are.
    /// Access-log entries older than `access_log_days` go too. One transaction; audited (the
    /// entry names the record and the fields removed, not their values). A dry run counts only.
    public func purgePersonalData(endedBefore: CalendarDate, dryRun: Bool, by caller: Caller) throws -> PurgeSummary {
        try caller.requireRole([.admin], to: "purge_personal_data")
        let personTypes = PSKSType.all.filter { $0.kind == .person }.map(\.code)
        let marks = personTypes.map { _ in "?" }.joined(separator: ", ")
        let select = """
            SELECT id, name FROM psks WHERE status = 'inactive' AND ended_on < ? AND type IN (\(marks))
            AND (nik IS NOT NULL OR birth_date IS NOT NULL OR phone IS NOT NULL OR address IS NOT NULL OR notes IS NOT NULL)
            """
        let args: [SQLBindable?] = [endedBefore.description] + personTypes
        let now = Clock.timestamp(clock.now())
        var summary = PurgeSummary(endedBefore: endedBefore, dryRun: dryRun)
        let body = { (c: Connection) throws in
            let rows = try c.query(select, args)
            summary.records = rows.count
            let settings = try PrivacySettings.read(c)
            let cutoff = Clock.timestamp(self.clock.now().addingTimeInterval(-Double(settings.accessLogDays) * 86_400))
            summary.accessLogEntries = try c.queryOne("SELECT count(*) FROM personal_data_reads WHERE at < ?", cutoff)?.int(0) ?? 0
            if dryRun { return }
            for row in rows {
                let id = row.int64("id")
                let name = Self.initials(row.string("name"))
                try c.run("""
                    UPDATE psks SET name = ?, name_folded = ?, nik = NULL, birth_date = NULL, phone = NULL, address = NULL,
                    notes = NULL, version = version + 1, updated_at = ? WHERE id = ?
                    """, name, NameSearch.fold(name), now, id)
                // The record's audit images held the same values; migration 0015 allows exactly this.
                try c.run("""
                    UPDATE audit_log SET before = json_remove(before, \(Self.personalPaths)),
                    after = json_remove(after, \(Self.personalPaths)) WHERE entity = 'psks' AND entity_key = ?
                    """, String(id))
                try AuditLog.append(c, by: caller, at: now, entity: "psks", key: String(id), action: "purge", region: nil,
                                    before: nil, after: ["removed": ["name", "nik", "birth_date", "phone", "address", "notes"]])
            }
            try c.run("""
                DELETE FROM personal_data_read_records WHERE read_id IN (SELECT id FROM personal_data_reads WHERE at < ?)
                """, cutoff)
            try c.run("DELETE FROM personal_data_reads WHERE at < ?", cutoff)
        }
        if dryRun {
            try db.read(body)
        } else {
            try write(body)
        }
        return summary
    }

    /// The keys a purge removes from the record's audit images (the same list as migration 0015).
    static let personalPaths = "'$.name', '$.nik', '$.birth_date', '$.phone', '$.address', '$.notes'"

    /// "Siti Aminah binti Ahmad" -> "S. A. B. A."; at least one letter's initial, "?" for none.
    static func initials(_ name: String) -> String {
        let words = name.split(whereSeparator: { $0.isWhitespace || $0 == "-" })
        let letters = words.compactMap { $0.first(where: \.isLetter).map { String($0).uppercased() + "." } }
        return letters.isEmpty ? "?" : letters.joined(separator: " ")
    }
}
