import Foundation
import SQLiteStore

/// What one database file holds, as far as a restore check needs it: is it sound, how many rows
/// per table, when was the newest write, which migrations made its schema.
public struct DatabaseSummary {
    public var path: String
    public var bytes: Int64
    /// `["ok"]` when PRAGMA integrity_check finds nothing wrong, else its first complaints.
    public var integrity: [String]
    /// Rows per table; SQLite's own tables and Litestream's `_litestream_*` are left out.
    public var rows: [String: Int]
    /// The latest `at`, `created_at` or `updated_at` of any row up to the moment of reading (RFC
    /// 3339, as Pilar stores them). Later stamps are not write times (the demo dates reports ahead).
    public var newestWrite: String?
    /// version -> checksum, from schema_migrations.
    public var migrations: [Int: String]
    /// Per table, the rows added or changed after the moment given to `read` (live file only).
    public var changedAfter: [String: Int] = [:]
    /// The earliest of those changes.
    public var earliestChangeAfter: String?

    public var isSound: Bool { integrity == ["ok"] }

    /// The columns that say when a row was written; every Pilar table that records writes has one.
    static let writeTimeColumns = ["at", "created_at", "updated_at"]

    /// Reads the file at `path` without changing it. With `changedAfter`, also counts the rows
    /// written after that moment and up to `now` (what a restore taken then would not have).
    public static func read(path: String, now: Date = Date(), changedAfter moment: String? = nil) throws -> DatabaseSummary {
        let until = Clock.timestamp(now)
        // The WAL too: under Litestream most recent pages live there until it checkpoints.
        let bytes = [path, path + "-wal"].reduce(Int64(0)) {
            $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int64) ?? 0)
        }
        return try ReadOnlyFile.read(path) { c in
            let integrity = try c.query("PRAGMA integrity_check(20)").map { $0.string(0) }
            var summary = DatabaseSummary(path: path, bytes: bytes, integrity: integrity, rows: [:],
                                          newestWrite: nil, migrations: [:])
            let tables = try c.query("""
                SELECT name FROM sqlite_schema WHERE type = 'table'
                AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_litestream\\_%' ESCAPE '\\'
                ORDER BY name
                """).map { $0.string(0) }
            for table in tables {
                let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                summary.rows[table] = try c.queryOne("SELECT count(*) FROM \(quoted)")?.int(0) ?? 0
                let columns = try c.query("SELECT name FROM pragma_table_info(?)", table).map { $0.string(0) }
                    .filter { writeTimeColumns.contains($0) }
                for column in columns {
                    if let newest = try c.queryOne("SELECT max(\(column)) FROM \(quoted) WHERE \(column) <= ?", until)?.optionalString(0),
                       newest > (summary.newestWrite ?? "") {
                        summary.newestWrite = newest
                    }
                }
                guard let moment, !columns.isEmpty else { continue }
                let changed = try c.queryOne(
                    "SELECT count(*) FROM \(quoted) WHERE "
                        + columns.map { "(\($0) > ?1 AND \($0) <= ?2)" }.joined(separator: " OR "), moment, until)?.int(0) ?? 0
                if changed > 0 { summary.changedAfter[table] = changed }
                for column in columns {
                    if let first = try c.queryOne("SELECT min(\(column)) FROM \(quoted) WHERE \(column) > ? AND \(column) <= ?",
                                                  moment, until)?.optionalString(0),
                       first < (summary.earliestChangeAfter ?? "\u{10FFFF}") {
                        summary.earliestChangeAfter = first
                    }
                }
            }
            if tables.contains("schema_migrations") {
                for row in try c.query("SELECT version, checksum FROM schema_migrations") {
                    summary.migrations[row.int("version")] = row.string("checksum")
                }
            }
            return summary
        }
    }
}
