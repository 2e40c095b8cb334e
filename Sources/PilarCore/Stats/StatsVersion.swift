import Foundation
import SQLiteStore

extension Pilar {
    /// The version dashboard tags derive from: `stats_version` (Migrations/0006), which triggers
    /// bump in the same transaction as any change a stats answer reads, and nothing else (a
    /// draft saved again does not move it). Read from the database on every call rather than
    /// kept in memory, so a commit by another process (the `pilar` CLI importing) changes the
    /// tag at once; the read is one row of a one-page table in a pooled reader's snapshot.
    /// nil when the database cannot be read (the caller must then not answer 304).
    public func statsVersion() -> Int64? {
        // The fingerprint before the snapshot: if no commit comes between, it still matches later.
        let seen = commitWatch.fingerprint()
        guard let v = try? db.read({ c in try c.queryOne("SELECT version FROM stats_version")?.int64("version") }) else { return nil }
        if let seen { statsVersionCache.observe(v, fingerprint: seen) }
        return v
    }
}

/// The stats version as last read from the database, for answers given from memory on the
/// event loop (which must not touch the database). It is trusted only while the WAL-index
/// header is what it was just before that read, so a commit by any process (this server or
/// the `pilar` CLI on the same file) is counted by the very next answer; and for at most
/// `trustFor` after it (a backstop, should the header ever fail to move).
public final class StatsVersionCache {
    public static let trustFor: UInt64 = 2_000_000_000  // nanoseconds
    private let lock = NSLock()
    private var value: Int64 = -1
    private var fingerprint: [UInt8] = []
    private var checked: UInt64 = 0

    /// The version when nothing has been committed since it was read, else nil.
    func recent(_ watch: CommitWatch) -> Int64? {
        guard let now = watch.fingerprint() else { return nil }
        let clock = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        defer { lock.unlock() }
        return value >= 0 && now == fingerprint && clock &- checked < Self.trustFor ? value : nil
    }

    /// `v` was read in a snapshot taken after the header was `seen`. The last reader to
    /// finish wins; a pair whose header is older than the version only causes declines.
    func observe(_ v: Int64, fingerprint seen: [UInt8]) {
        let clock = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        value = v
        fingerprint = seen
        checked = clock
        lock.unlock()
    }

    func forget() {
        lock.lock()
        value = -1
        lock.unlock()
    }
}
