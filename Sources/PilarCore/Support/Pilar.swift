import Foundation
import SQLiteStore

/// Settings a deployment may change.
public struct PilarConfig {
    public var dueDates = DueDatePolicy()
    public var imports = ImportLimits()
    public init() {}
}

/// The service container: one database, one clock, the settings and the services.
public final class Pilar {
    public let db: Database
    public let clock: Clock
    public var config: PilarConfig
    /// Write transactions this process committed (for /metrics): counted in memory, so a
    /// write pays one locked increment for it and nothing in SQLite.
    public let committedWrites = CommitCounter()
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

    /// A write transaction of a service. Dashboard tags need nothing here: they derive from
    /// `stats_version`, which triggers bump in the same transaction as what the stats read.
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try write(waitingAtMost: db.writeWaitBudget, body)
    }

    /// As `write`, waiting for the writer at most `budget` seconds (nil: as long as it takes).
    public func write<T>(waitingAtMost budget: Double?, _ body: (Connection) throws -> T) throws -> T {
        let result = try db.write(waitingAtMost: budget, body)
        committedWrites.add()
        // Before the caller acknowledges the write: no answer from memory until a worker has
        // read the new version (the WAL-index fingerprint has moved too; this is belt and braces).
        statsVersionCache.forget()
        return result
    }
}

/// A count kept in memory since the process started.
public final class CommitCounter {
    private let lock = NSLock()
    private var value: Int64 = 0
    public var current: Int64 { lock.lock(); defer { lock.unlock() }; return value }
    func add() {
        lock.lock()
        value += 1
        lock.unlock()
    }
}
