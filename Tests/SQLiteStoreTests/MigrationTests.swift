import XCTest
@testable import SQLiteStore

final class MigrationTests: TempDirectoryTestCase {
    private let regions = try! Migration(file: "0001_regions.sql", sql: """
        CREATE TABLE region (code TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT;
        """)
    private let reports = try! Migration(file: "0002_reports.sql", sql: """
        CREATE TABLE report (id INTEGER PRIMARY KEY, region TEXT NOT NULL REFERENCES region(code)) STRICT;
        """)
    private let reportIndex = try! Migration(file: "0003_report_region_index.sql", sql: """
        CREATE INDEX report_region ON report(region);
        """)

    func testFileNameGivesVersionAndName() throws {
        let migration = try Migration(file: "0003_reports.sql", sql: "SELECT 1")
        XCTAssertEqual(migration.version, 3)
        XCTAssertEqual(migration.name, "reports")
        XCTAssertEqual(migration.fileName, "0003_reports.sql")
        let nested = try Migration(file: "Migrations/0012_add_region_index.sql", sql: "")
        XCTAssertEqual(nested.version, 12)
        XCTAssertEqual(nested.name, "add_region_index")
        for bad in ["reports.sql", "0003reports.sql", "0003_reports.txt", "x003_reports.sql", "0003_.sql", "_reports.sql"] {
            XCTAssertThrowsError(try Migration(file: bad, sql: "")) { error in
                XCTAssertEqual(error as? MigrationError, .badFileName(bad))
                XCTAssertTrue("\(error)".contains(bad))
            }
        }
    }

    func testChecksumIsSHA256Hex() throws {
        // FIPS 180-2 test vectors.
        XCTAssertEqual(Migration.sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try Migration(file: "0001_a.sql", sql: "abc").checksum,
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testALegacyChecksumIsReRecordedOnceAndEditsAreCaughtAgainAfterwards() throws {
        let db = try openDatabase()
        try db.migrate([regions])
        // What a database migrated by an older pilar holds: 16 hex digits (FNV-1a 64).
        try db.write { try $0.run("UPDATE schema_migrations SET checksum = 'cbf29ce484222325'") }
        XCTAssertEqual(try db.migrate([regions]).count, 0)
        XCTAssertEqual(try db.appliedMigrations().map(\.checksum), [regions.checksum])
        let edited = try Migration(file: regions.fileName, sql: regions.sql + "\n-- edited")
        XCTAssertThrowsError(try db.migrate([edited])) { error in
            guard case .checksumMismatch(let version, _, _, _)? = error as? MigrationError else {
                return XCTFail("expected checksumMismatch, got \(error)")
            }
            XCTAssertEqual(version, regions.version)
        }
    }

    func testAppliesInVersionOrderOnceAndRecordsThem() throws {
        let db = try openDatabase()
        // Given out of order: 0003 needs 0002's table, which needs 0001's.
        let applied = try db.migrate([reportIndex, regions, reports])
        XCTAssertEqual(applied.map(\.version), [1, 2, 3])
        let recorded = try db.appliedMigrations()
        XCTAssertEqual(recorded.map(\.version), [1, 2, 3])
        XCTAssertEqual(recorded.map(\.name), ["regions", "reports", "report_region_index"])
        XCTAssertEqual(recorded.map(\.checksum), [regions, reports, reportIndex].map(\.checksum))
        for entry in recorded {
            XCTAssertNotNil(entry.appliedAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression),
                            entry.appliedAt)
        }
        XCTAssertEqual(try db.migrate([regions, reports, reportIndex]), [], "re-run applies none")

        let later = try Migration(file: "0004_region_population.sql", sql: "ALTER TABLE region ADD COLUMN population INTEGER")
        XCTAssertEqual(try db.migrate([regions, reports, reportIndex, later]), [later])
        XCTAssertEqual(try db.appliedMigrations().count, 4)
    }

    func testFreshDatabaseHasNoAppliedMigrations() throws {
        let db = try openDatabase()
        XCTAssertTrue(try db.appliedMigrations().isEmpty)
    }

    func testEditedAppliedMigrationIsRefusedNamingTheFile() throws {
        let db = try openDatabase()
        try db.migrate([regions, reports])
        let edited = try Migration(file: "0002_reports.sql", sql: reports.sql + "\n-- a harmless comment")
        let next = try Migration(file: "0003_more.sql", sql: "CREATE TABLE more (x INTEGER) STRICT")
        XCTAssertThrowsError(try db.migrate([regions, edited, next])) { error in
            XCTAssertEqual(error as? MigrationError, .checksumMismatch(
                version: 2, name: "reports", recorded: reports.checksum, found: edited.checksum))
            XCTAssertTrue("\(error)".contains("0002_reports.sql"), "\(error)")
        }
        XCTAssertEqual(try db.appliedMigrations().count, 2, "nothing applied after a refusal")
        XCTAssertFalse(try db.read { try $0.tableExists("more") })
    }

    func testDatabaseNewerThanTheProgramIsRefused() throws {
        let db = try openDatabase()
        try db.migrate([regions, reports, reportIndex])
        XCTAssertThrowsError(try db.migrate([regions, reports])) { error in
            XCTAssertEqual(error as? MigrationError, .unknownApplied(version: 3, name: "report_region_index"))
            XCTAssertTrue("\(error)".contains("0003_report_region_index.sql"), "\(error)")
        }
    }

    func testDuplicateVersionIsRefusedBeforeTouchingTheDatabase() throws {
        let db = try openDatabase()
        let twin = try Migration(file: "0001_other.sql", sql: "CREATE TABLE other (x INTEGER) STRICT")
        XCTAssertThrowsError(try db.migrate([regions, twin])) { error in
            XCTAssertEqual(error as? MigrationError, .duplicateVersion(1))
        }
        XCTAssertFalse(try db.read { try $0.tableExists("schema_migrations") })
    }

    func testFailingMigrationRollsBackWhollyAndIsNotRecorded() throws {
        let db = try openDatabase()
        let broken = try Migration(file: "0002_half.sql", sql: """
            CREATE TABLE half (x INTEGER) STRICT;
            INSERT INTO half VALUES (1);
            INSERT INTO nowhere VALUES (1);
            """)
        XCTAssertThrowsError(try db.migrate([regions, broken, reportIndex])) { error in
            let failure = error as? SQLiteError
            XCTAssertEqual(failure?.code, 1)
            XCTAssertTrue(failure?.message.contains("0002_half.sql") ?? false, "\(error)")
            XCTAssertTrue(failure?.message.contains("no such table: nowhere") ?? false, "\(error)")
        }
        try db.read { conn in
            XCTAssertTrue(try conn.tableExists("region"), "the migration before it stays applied")
            XCTAssertFalse(try conn.tableExists("half"), "no half-created table")
        }
        XCTAssertEqual(try db.appliedMigrations().map(\.version), [1], "neither the broken one nor later ones recorded")

        // Not recorded, so fixing the file is allowed.
        let fixed = try Migration(file: "0002_half.sql", sql: "CREATE TABLE half (x INTEGER) STRICT;")
        let reportsAfter = try Migration(file: "0003_reports.sql", sql: reports.sql)
        XCTAssertEqual(try db.migrate([regions, fixed, reportsAfter]).map(\.version), [2, 3])
    }

    func testMigrationThatManagesItsOwnTransactionIsRefused() throws {
        let db = try openDatabase()
        try db.migrate([regions])
        // A migration trying to manage its own transaction is refused, not half-applied.
        let selfManaged = try Migration(file: "0002_tx.sql", sql: "BEGIN; CREATE TABLE tx (x INTEGER) STRICT; COMMIT;")
        XCTAssertThrowsError(try db.migrate([regions, selfManaged]))
        XCTAssertFalse(try db.read { try $0.tableExists("tx") })
        // The writer is healthy afterwards.
        try db.write { try $0.run("INSERT INTO region VALUES (?, ?)", "32.01", "Bogor") }
        XCTAssertEqual(try db.read { try $0.queryOne("SELECT count(*) FROM region")?.int(0) }, 1)
    }
}
