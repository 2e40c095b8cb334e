import Foundation
import SQLiteStore

/// Settings a deployment may change.
public struct PilarConfig {
    public var dueDates = DueDatePolicy()
    public init() {}
}

/// The service container: one database, one clock, the services that own their SQL.
public final class Pilar {
    public let db: Database
    public let clock: Clock
    public var config: PilarConfig
    /// Bumped by every committed write; read without touching the database (dashboard ETags).
    public let dataVersion = DataVersion()

    public private(set) lazy var tokens = TokenService(self)
    public private(set) lazy var regions = RegionService(self)

    public init(db: Database, clock: Clock = .system, config: PilarConfig = PilarConfig()) throws {
        self.db = db
        self.clock = clock
        self.config = config
        dataVersion.observe(try db.read { c in Int64(try c.queryOne("SELECT version FROM data_version")?.int64("version") ?? 0) })
    }

    /// Opens (creating if needed) the database at `path` and applies the missing migrations.
    public static func open(path: String, clock: Clock = .system, config: PilarConfig = PilarConfig()) throws -> Pilar {
        let db = try Database(path: path)
        try db.migrate(Pilar.migrations())
        return try Pilar(db: db, clock: clock, config: config)
    }

    /// The migrations this binary carries, from Migrations/*.sql.
    public static func migrations() throws -> [Migration] {
        try embeddedMigrations.map { try Migration(file: $0.file, sql: $0.sql) }
    }

    /// A write transaction that also bumps the data version, so every cached dashboard answer
    /// derived from the old data stops matching.
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        var version: Int64 = 0
        let result = try db.write { c -> T in
            let r = try body(c)
            try c.run("UPDATE data_version SET version = version + 1 WHERE id = 1")
            version = try c.queryOne("SELECT version FROM data_version")?.int64("version") ?? 0
            return r
        }
        dataVersion.observe(version)
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
        try? db.read { c in try c.queryOne("SELECT version FROM stats_version")?.int64("version") }
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
