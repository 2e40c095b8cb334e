import Foundation
import SQLiteStore

/// Settings a deployment may change.
public struct PilarConfig {
    public var dueDates = DueDatePolicy()
    public var imports = ImportLimits()
    public init() {}
}

/// The service container: one database, one clock, the services that own their SQL.
public final class Pilar {
    public let db: Database
    public let clock: Clock
    public var config: PilarConfig
    /// Bumped by every committed write; read without touching the database (dashboard ETags).
    public let dataVersion = DataVersion()
    /// The last stats version seen, for answers given from memory (see `statsVersion()`).
    public let statsVersionCache = StatsVersionCache()
    /// Dashboard answers, computed once per (query, scope, stats version); see StatsService.tag.
    public let statsAnswers = SingleFlightCache()
    let commitWatch: CommitWatch

    public private(set) lazy var tokens = TokenService(self)
    public private(set) lazy var regions = RegionService(self)
    /// Who saw personal data unmasked (issue 13).
    public private(set) lazy var accessLog = AccessLog(db: db, clock: clock)

    public init(db: Database, clock: Clock = .system, config: PilarConfig = PilarConfig()) throws {
        self.db = db
        self.commitWatch = CommitWatch(databasePath: db.path)
        self.clock = clock
        self.config = config
        dataVersion.observe(try db.read { c in Int64(try c.queryOne("SELECT version FROM data_version")?.int64("version") ?? 0) })
    }

    /// This build's release, shown by `pilar --version`.
    public static let version = "0.14.0"

    /// Opens (creating if needed) the database at `path` and applies the missing migrations.
    /// `checkpoints: .litestream` when Litestream replicates the file (docs/OPERATIONS.md).
    public static func open(path: String, clock: Clock = .system, config: PilarConfig = PilarConfig(),
                            checkpoints: CheckpointPolicy = .sqlite) throws -> Pilar {
        let db = try Database(path: path, checkpoints: checkpoints)
        try db.migrate(Pilar.migrations())
        try RegistryService.refoldNames(db)
        return try Pilar(db: db, clock: clock, config: config)
    }

    /// The migrations this binary carries, from Migrations/*.sql.
    public static func migrations() throws -> [Migration] {
        try embeddedMigrations.map { try Migration(file: $0.file, sql: $0.sql) }
    }

    /// A write transaction that also bumps the data version, so every cached dashboard answer
    /// derived from the old data stops matching.
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try write(waitingAtMost: db.writeWaitBudget, body)
    }

    /// As `write`, waiting for the writer at most `budget` seconds (nil: as long as it takes).
    public func write<T>(waitingAtMost budget: Double?, _ body: (Connection) throws -> T) throws -> T {
        var version: Int64 = 0
        let result = try db.write(waitingAtMost: budget) { c -> T in
            let r = try body(c)
            try c.run("UPDATE data_version SET version = version + 1 WHERE id = 1")
            version = try c.queryOne("SELECT version FROM data_version")?.int64("version") ?? 0
            return r
        }
        dataVersion.observe(version)
        // Before the caller acknowledges the write: no answer from memory until a worker has
        // read the new version (the WAL-index fingerprint has moved too; this is belt and braces).
        statsVersionCache.forget()
        return result
    }
}

extension Pilar {
    /// The version stats ETags derive from: `stats_version` (Migrations/0006), which triggers
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

/// A monotonic in-memory copy of `data_version.version`.
public final class DataVersion {
    private let lock = NSLock()
    private var value: Int64 = 0
    public var current: Int64 { lock.lock(); defer { lock.unlock() }; return value }
    func observe(_ v: Int64) {
        lock.lock()
        if v > value { value = v }
        lock.unlock()
    }
}
