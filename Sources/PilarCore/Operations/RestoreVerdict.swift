import Foundation
import SQLiteStore

/// What `restore-check` found: lines to print and the problems among them (any problem means
/// the restore cannot be trusted, and the command exits non-zero).
public struct RestoreVerdict {
    public private(set) var lines: [String] = []
    public private(set) var problems: [String] = []
    public var ok: Bool { problems.isEmpty }

    mutating func say(_ line: String) { lines.append(line) }

    mutating func problem(_ line: String) {
        problems.append(line)
        lines.append("PROBLEM: " + line)
    }

    /// Compares a restored file with the live one. A pure function of the two summaries, the
    /// migrations this binary carries, and the time now.
    mutating func judge(restored: DatabaseSummary, live: DatabaseSummary?, known: [Int: String],
                        now: Date, maxLoss: TimeInterval) {
        say("restored file: \(restored.bytes) bytes, \(restored.rows.values.reduce(0, +)) rows in \(restored.rows.count) tables, newest write \(restored.newestWrite ?? "none")")
        if restored.isSound {
            say("integrity_check: ok")
        } else {
            problem("integrity_check found damage: " + restored.integrity.prefix(5).joined(separator: "; "))
        }
        judgeSchema(restored, known: known)
        guard let live else { return }

        say("live database:  \(live.bytes) bytes, \(live.rows.values.reduce(0, +)) rows, newest write \(live.newestWrite ?? "none")")
        say(Self.columns("table", "live", "restored", "difference"))
        for table in Set(live.rows.keys).union(restored.rows.keys).sorted() {
            let l = live.rows[table], r = restored.rows[table]
            guard l != r || table == "audit_log" else { continue }   // the audit log always, as a witness
            let difference = (r ?? 0) - (l ?? 0)
            say(Self.columns(table, l.map(String.init) ?? "missing", r.map(String.init) ?? "missing",
                             difference > 0 ? "+\(difference)" : "\(difference)"))
            if l != nil && r == nil { problem("table \(table) is in the live database but not in the restore") }
        }

        if live.changedAfter.isEmpty {
            say("a restore now would lose nothing: no row in the live database was written after the restore's newest write")
        } else {
            let lost = live.changedAfter.sorted { $0.key < $1.key }.map { "\($0.value) in \($0.key)" }.joined(separator: ", ")
            say("a restore now would lose the rows written after \(restored.newestWrite ?? "the beginning"): \(lost)")
            if let first = live.earliestChangeAfter, let firstDate = Clock.parseTimestamp(first) {
                let age = now.timeIntervalSince(firstDate)
                say(String(format: "the oldest of them was written %.1f s ago (%@)", age, first))
                if age > maxLoss {
                    problem(String(format: "the restore lacks writes from %.0f s ago, more than --max-loss %.0f s: is replication running?", age, maxLoss))
                }
            }
        }
        if let newest = restored.newestWrite, let liveNewest = live.newestWrite, newest > liveNewest {
            say("the restore has writes newer than the live database (\(newest) > \(liveNewest)): the live file is behind its replica")
        }
    }

    /// A table line: the name left-aligned, the numbers right-aligned.
    static func columns(_ name: String, _ values: String...) -> String {
        let padded = values.map { String(repeating: " ", count: max(0, 12 - $0.count)) + $0 }
        return name.padding(toLength: max(28, name.count), withPad: " ", startingAt: 0) + padded.joined(separator: " ")
    }

    /// Pilar refuses to start on a schema whose migrations it does not know or that were changed.
    private mutating func judgeSchema(_ restored: DatabaseSummary, known: [Int: String]) {
        guard restored.rows["schema_migrations"] != nil else {
            return problem("the restored file has no schema_migrations table: it is not a Pilar database")
        }
        for (version, checksum) in restored.migrations.sorted(by: { $0.key < $1.key }) {
            guard let expected = known[version] else {
                problem("the restore has migration \(version), which this pilar does not know: run a newer pilar")
                continue
            }
            // A file from before SHA-256 checksums: pilar re-records them when it starts on it.
            if expected != checksum && !Migration.isLegacyChecksum(checksum) {
                problem("migration \(version) in the restore differs from this pilar's")
            }
        }
        let missing = known.keys.filter { restored.migrations[$0] == nil }.sorted()
        say("migrations: \(restored.migrations.count) applied" + (missing.isEmpty ? ", as this pilar expects"
            : "; pilar will apply \(missing.map(String.init).joined(separator: ", ")) when it starts on it"))
    }
}
