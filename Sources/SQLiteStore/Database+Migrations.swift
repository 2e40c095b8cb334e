extension Database {
    /// Applies the missing migrations, each in its own transaction, in version order; returns the
    /// ones it applied. Before applying anything it refuses (MigrationError) a duplicate version,
    /// an applied migration whose SQL changed, and an applied migration missing from the list.
    /// A failing migration is rolled back whole and not recorded; the error names its file.
    @discardableResult
    public func migrate(_ migrations: [Migration]) throws -> [Migration] {
        var byVersion: [Int: Migration] = [:]
        for migration in migrations {
            guard byVersion.updateValue(migration, forKey: migration.version) == nil else {
                throw MigrationError.duplicateVersion(migration.version)
            }
        }
        // Exclusive: no other write shares these transactions, and the check and the applying
        // cannot interleave with another migrate() of this process.
        return try writeExclusive { connection in
            try connection.execute(Database.migrationsTable)
            var applied = Set<Int>()
            for row in try connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version") {
                let version = row.int("version")
                guard let known = byVersion[version] else {
                    throw MigrationError.unknownApplied(version: version, name: row.string("name"))
                }
                if Migration.isLegacyChecksum(row.string("checksum")) {
                    try connection.run("UPDATE schema_migrations SET checksum = ? WHERE version = ?", known.checksum, version)
                } else if known.checksum != row.string("checksum") {
                    throw MigrationError.checksumMismatch(version: version, name: known.name,
                                                          recorded: row.string("checksum"), found: known.checksum)
                }
                applied.insert(version)
            }
            let missing = byVersion.values.filter { !applied.contains($0.version) }.sorted { $0.version < $1.version }
            for migration in missing {
                try Database.apply(migration, on: connection)
            }
            return missing
        }
    }

    public func appliedMigrations() throws -> [(version: Int, name: String, checksum: String, appliedAt: String)] {
        try read { connection in
            guard try connection.tableExists("schema_migrations") else { return [] }
            return try connection.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
                .map { (version: $0.int("version"), name: $0.string("name"),
                        checksum: $0.string("checksum"), appliedAt: $0.string("applied_at")) }
        }
    }

    static let migrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL
        ) STRICT
        """

    /// Transaction statements via `execute`, not the writer's statement cache (see WriterQueue).
    private static func apply(_ migration: Migration, on connection: Connection) throws {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            try connection.execute(migration.sql)
            try connection.run(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
                    + "VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                migration.version, migration.name, migration.checksum)
            try connection.execute("COMMIT")
        } catch {
            if connection.isInTransaction { _ = try? connection.execute("ROLLBACK") }
            // Keep the SQLite codes, but say which file failed.
            if let failure = error as? SQLiteError {
                throw SQLiteError(code: failure.code, extendedCode: failure.extendedCode,
                                  message: "migration \(migration.fileName) failed: \(failure.message)", sql: failure.sql)
            }
            throw error
        }
    }
}
