import CSQLite
import Foundation
import XCTest
@testable import SQLiteStore

final class ConcurrencyTests: TempDirectoryTestCase {
    private func makeCounterTable(_ db: Database) throws {
        try db.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who INTEGER NOT NULL, n INTEGER NOT NULL UNIQUE) STRICT") }
    }

    func testPragmasOnWriterAndReaders() throws {
        let db = try openDatabase()
        try db.write { conn in
            XCTAssertEqual(try conn.queryOne("PRAGMA journal_mode")?.string(0), "wal")
            XCTAssertEqual(try conn.queryOne("PRAGMA foreign_keys")?.int(0), 1)
            XCTAssertEqual(try conn.queryOne("PRAGMA synchronous")?.int(0), 2, "FULL")
            XCTAssertEqual(try conn.queryOne("PRAGMA busy_timeout")?.int(0), 5_000)
        }
        try db.read { conn in
            XCTAssertEqual(try conn.queryOne("PRAGMA foreign_keys")?.int(0), 1)
            XCTAssertEqual(try conn.queryOne("PRAGMA busy_timeout")?.int(0), 5_000)
        }
    }

    func testReadersAreReadOnly() throws {
        let db = try openDatabase()
        try makeCounterTable(db)
        let error = try XCTUnwrap(captureError { try db.read { try $0.run("INSERT INTO t (who, n) VALUES (1, 1)") } })
        XCTAssertEqual(error.code, 8, "SQLITE_READONLY")
    }

    func testReaderKeepsItsSnapshotWhileWritesCommit() throws {
        let db = try openDatabase()
        try makeCounterTable(db)
        try db.write { try $0.run("INSERT INTO t (who, n) VALUES (0, 0)") }
        try db.read { conn in
            XCTAssertEqual(try conn.queryOne("SELECT count(*) FROM t")?.int(0), 1)
            for n in 1...10 { try db.write { try $0.run("INSERT INTO t (who, n) VALUES (0, ?)", n) } }
            XCTAssertEqual(try conn.queryOne("SELECT count(*) FROM t")?.int(0), 1, "same snapshot inside one read")
            // A read nested in a read shares the outer snapshot (and does not need a second reader).
            XCTAssertEqual(try db.read { try $0.queryOne("SELECT count(*) FROM t")?.int(0) }, 1)
        }
        XCTAssertEqual(try db.read { try $0.queryOne("SELECT count(*) FROM t")?.int(0) }, 11)
    }

    func testNestedReadWithASingleReaderDoesNotDeadlock() throws {
        let db = try openDatabase(readers: 1)
        let value = try db.read { _ in try db.read { try $0.queryOne("SELECT 41 + 1")?.int(0) } }
        XCTAssertEqual(value, 42)
    }

    func testReadersNeverSeeHalfAWrite() throws {
        let db = try openDatabase()
        try makeCounterTable(db)
        let stop = DispatchSemaphore(value: 0)
        let torn = Locked([Int]())
        let writer = Thread {
            for n in stride(from: 0, to: 400, by: 2) {
                try? db.write { conn in
                    try conn.run("INSERT INTO t (who, n) VALUES (0, ?)", n)
                    try conn.run("INSERT INTO t (who, n) VALUES (0, ?)", n + 1)
                }
            }
            stop.signal()
        }
        writer.start()
        onThreads(4) { _ in
            while stop.wait(timeout: .now()) == .timedOut {
                let count = (try? db.read { try $0.queryOne("SELECT count(*) FROM t")?.int(0) ?? -1 }) ?? -1
                if count % 2 != 0 { torn.update { $0.append(count) } }
            }
            stop.signal()   // let the other readers see it too
        }
        XCTAssertEqual(torn.value, [], "a reader saw an odd row count: half of a write")
        XCTAssertEqual(try db.read { try $0.queryOne("SELECT count(*) FROM t")?.int(0) }, 400)
    }

    func testManyConcurrentWritersAllCommitInFewerTransactions() throws {
        let db = try openDatabase()
        try makeCounterTable(db)
        let threads = 16, perThread = 200
        let commitsBefore = db.commitCount
        let failures = Locked([String]())
        onThreads(threads) { who in
            for i in 0..<perThread {
                do {
                    let id = try db.write { conn -> Int64 in
                        try conn.run("INSERT INTO t (who, n) VALUES (?, ?)", who, who * perThread + i)
                        return conn.lastInsertRowID
                    }
                    if id <= 0 { throw SQLiteError(code: 1, message: "no rowid") }
                    if i % 50 == 0 { _ = try db.read { try $0.queryOne("SELECT count(*) FROM t") } }
                } catch {
                    failures.update { $0.append("\(error)") }
                }
            }
        }
        XCTAssertEqual(failures.value, [])
        try db.read { conn in
            XCTAssertEqual(try conn.queryOne("SELECT count(*) FROM t")?.int(0), threads * perThread)
            XCTAssertEqual(try conn.queryOne("SELECT count(DISTINCT n) FROM t")?.int(0), threads * perThread)
        }
        let commits = db.commitCount - commitsBefore
        XCTAssertGreaterThan(commits, 0)
        XCTAssertLessThan(commits, threads * perThread, "group commit should share transactions under load")
        XCTAssertEqual(db.pendingWrites, 0)
    }

    func testQueuedWritesShareOneCommitAndAThrowingJobRollsBackAlone() throws {
        let db = try openDatabase()
        try makeCounterTable(db)
        XCTAssertEqual(db.pendingWrites, 0)
        struct Refused: Error {}
        let (errors, commits) = writeAsOneBatch(db, [
            { try $0.run("INSERT INTO t (who, n) VALUES (0, 1)") },
            { conn in try conn.run("INSERT INTO t (who, n) VALUES (1, 2)"); throw Refused() },   // undone alone
            { try $0.run("INSERT INTO t (who, n) VALUES (2, 1)") },                              // UNIQUE clash with job 0
            { try $0.run("INSERT INTO t (who, n) VALUES (3, 3)") },
            { try $0.run("INSERT INTO t (who, n) VALUES (4, 4)") },
        ])
        XCTAssertEqual(commits, 1, "the five queued writes went into one transaction")
        XCTAssertNil(errors[0])
        XCTAssertTrue(errors[1] is Refused, "the caller gets its own error back")
        XCTAssertEqual((errors[2] as? SQLiteError)?.isUniqueViolation, true)
        XCTAssertNil(errors[3])
        XCTAssertNil(errors[4])
        XCTAssertEqual(try db.read { try $0.query("SELECT who FROM t ORDER BY who").map { $0.int(0) } }, [0, 3, 4])
        XCTAssertEqual(db.pendingWrites, 0)
    }

    func testDanglingDeferredForeignKeyFailsOnlyItsOwnJob() throws {
        let db = try openDatabase()
        try db.write { try $0.execute("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
            CREATE TABLE child (id INTEGER PRIMARY KEY,
                parent INTEGER NOT NULL REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED) STRICT;
            """) }
        let (errors, commits) = writeAsOneBatch(db, [
            { try $0.run("INSERT INTO parent VALUES (1)") },
            { try $0.run("INSERT INTO child VALUES (10, 99)") },    // no parent 99: SQLite would only notice at COMMIT
            { try $0.run("INSERT INTO parent VALUES (2)"); try $0.run("INSERT INTO child VALUES (20, 2)") },
        ])
        XCTAssertEqual(commits, 1)
        XCTAssertNil(errors[0])
        XCTAssertEqual((errors[1] as? SQLiteError)?.extendedCode, SQLiteError.constraintForeignKey)
        XCTAssertNil(errors[2])
        XCTAssertEqual(try db.read { try $0.query("SELECT id FROM child").map { $0.int(0) } }, [20])
        XCTAssertEqual(try db.read { try $0.query("SELECT id FROM parent ORDER BY id").map { $0.int(0) } }, [1, 2])
    }

    func testFailedCommitFailsEveryJobOfTheBatch() throws {
        let db = try openDatabase()
        try makeCounterTable(db)
        // A commit hook returning non-zero turns COMMIT into a rollback: a real failed COMMIT.
        try db.write { conn in _ = sqlite3_commit_hook(conn.handle, { _ in refuseCommits.value ? 1 : 0 }, nil) }
        defer { _ = try? db.write { conn in sqlite3_commit_hook(conn.handle, nil, nil) } }
        let (errors, commits) = writeAsOneBatch(db, (0..<3).map { index in { conn in
            if index == 0 { refuseCommits.update { $0 = true } }   // runs on the writer, before COMMIT
            try conn.run("INSERT INTO t (who, n) VALUES (?, ?)", index, index)
        } })
        refuseCommits.update { $0 = false }
        XCTAssertEqual(commits, 0)
        XCTAssertEqual(errors.map { ($0 as? SQLiteError)?.code }, [19, 19, 19], "every job of the batch gets the COMMIT error")
        XCTAssertEqual(try db.read { try $0.queryOne("SELECT count(*) FROM t")?.int(0) }, 0)
        // The writer recovers: the next write commits.
        try db.write { try $0.run("INSERT INTO t (who, n) VALUES (9, 9)") }
        XCTAssertEqual(try db.read { try $0.queryOne("SELECT count(*) FROM t")?.int(0) }, 1)
    }

    func testTransactionControlInsideAWriteIsRefusedAndHarmless() throws {
        let db = try openDatabase()
        try makeCounterTable(db)
        let (errors, commits) = writeAsOneBatch(db, [
            { try $0.run("INSERT INTO t (who, n) VALUES (0, 0)") },
            { try $0.execute("COMMIT") },      // would commit the neighbours' work behind their backs
            { try $0.run("ROLLBACK") },        // would discard it
            { try $0.run("INSERT INTO t (who, n) VALUES (3, 3)") },
        ])
        XCTAssertEqual(commits, 1)
        XCTAssertNil(errors[0])
        for refused in [errors[1], errors[2]] {
            let error = refused as? SQLiteError
            XCTAssertEqual(error?.code, 23, "SQLITE_AUTH")
            XCTAssertTrue(error?.message.contains("savepoint") ?? false, "\(String(describing: error))")
        }
        XCTAssertNil(errors[3])
        XCTAssertEqual(try db.read { try $0.query("SELECT who FROM t ORDER BY who").map { $0.int(0) } }, [0, 3])
    }

    func testWholeTransactionRolledBackBySQLiteFailsTheEarlierNeighboursToo() throws {
        let db = try openDatabase()
        try makeCounterTable(db)
        try db.write { try $0.execute("""
            CREATE TABLE poison (x INTEGER) STRICT;
            CREATE TRIGGER poison_rolls_back BEFORE INSERT ON poison BEGIN SELECT RAISE(ROLLBACK, 'poisoned'); END;
            """) }
        let (errors, commits) = writeAsOneBatch(db, [
            { try $0.run("INSERT INTO t (who, n) VALUES (0, 0)") },
            { try $0.run("INSERT INTO poison VALUES (1)") },        // RAISE(ROLLBACK) ends the whole transaction
            { try $0.run("INSERT INTO t (who, n) VALUES (2, 2)") },
        ])
        let rows = try db.read { try $0.query("SELECT who FROM t ORDER BY who").map { $0.int(0) } }
        XCTAssertEqual((errors[0] as? SQLiteError)?.code, 4, "its work was lost with the transaction: SQLITE_ABORT, not success")
        XCTAssertTrue((errors[1] as? SQLiteError)?.message.contains("poisoned") ?? false, "\(String(describing: errors[1]))")
        XCTAssertNil(errors[2], "the job after the breakage runs in a fresh transaction")
        XCTAssertEqual(rows, [2])
        XCTAssertEqual(commits, 1)
    }

    func testClosedDatabaseRefusesWork() throws {
        let db = try openDatabase()
        db.close()
        XCTAssertEqual(captureError { try db.write { _ in 1 } }?.code, 21)
        XCTAssertEqual(captureError { try db.read { _ in 1 } }?.code, 21)
        db.close()   // idempotent
    }
}

/// Read by the C commit hook, which cannot capture context.
private let refuseCommits = Locked(false)
