import Foundation
import XCTest
@testable import SQLiteStore

final class BackupAndDurabilityTests: TempDirectoryTestCase {
    private func makeSequence(_ db: Database) throws {
        try db.write { try $0.execute("CREATE TABLE seq (n INTEGER PRIMARY KEY, payload TEXT NOT NULL) STRICT") }
    }

    private func count(_ db: Database) throws -> Int {
        try db.read { try $0.queryOne("SELECT count(*) FROM seq")?.int(0) ?? -1 }
    }

    func testBackupWhileWritingIsOneCommittedState() throws {
        let db = try openDatabase()
        try makeSequence(db)
        // Each write appends the next number, so every committed state is 1...k for some k.
        let stop = Locked(false)
        let writerDone = DispatchSemaphore(value: 0)
        Thread {
            var n = 1
            while !stop.value {
                try? db.write { conn in
                    for _ in 0..<20 {
                        try conn.run("INSERT INTO seq VALUES (?, ?)", n, String(repeating: "x", count: 200))
                        n += 1
                    }
                }
            }
            writerDone.signal()
        }.start()
        waitUntil("some rows exist") { ((try? count(db)) ?? 0) >= 2_000 }
        let before = try count(db)
        let target = file("backup.db")
        try db.backup(to: target)
        let after = try count(db)
        stop.update { $0 = true }
        XCTAssertEqual(writerDone.wait(timeout: .now() + 60), .success)

        let copy = try Database(path: target, readers: 1)
        defer { copy.close() }
        try copy.read { conn in
            XCTAssertEqual(try conn.queryOne("PRAGMA integrity_check")?.string(0), "ok")
            let summary = try XCTUnwrap(conn.queryOne("SELECT count(*) AS c, coalesce(max(n), 0) AS m FROM seq"))
            XCTAssertEqual(summary.int("c"), summary.int("m"), "rows 1...k with no gap: one committed state")
            XCTAssertEqual(summary.int("c") % 20, 0, "whole writes only")
            XCTAssertGreaterThanOrEqual(summary.int("c"), before)
            XCTAssertLessThanOrEqual(summary.int("c"), after)
        }
    }

    func testBackupRefusesToOverwriteAnExistingFile() throws {
        let db = try openDatabase()
        let target = file("precious.db")
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data("keep me".utf8)))
        let error = try XCTUnwrap(captureError { try db.backup(to: target) })
        XCTAssertTrue(error.message.contains("already exists"), error.message)
        XCTAssertEqual(FileManager.default.contents(atPath: target), Data("keep me".utf8))
    }

    func testFailedBackupLeavesNoFileBehind() throws {
        let db = try openDatabase()
        let target = file("no-such-dir/backup.db")
        XCTAssertNotNil(captureError { try db.backup(to: target) })
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
    }

    func testAcknowledgedWriteIsInTheFilesBeforeAnyCheckpoint() throws {
        let db = try openDatabase("live.db")
        try makeSequence(db)
        for n in 1...50 { try db.write { try $0.run("INSERT INTO seq VALUES (?, 'p')", n) } }
        // As if the process died now: copy what is on disk (main file + WAL; the -shm index is
        // rebuilt on open) while the database is still open and nothing was checkpointed.
        let wal = file("live.db-wal")
        let walSize = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int)
        XCTAssertGreaterThan(walSize, 0, "the rows are still in the WAL, not yet in the main file")
        try FileManager.default.copyItem(atPath: file("live.db"), toPath: file("crashed.db"))
        try FileManager.default.copyItem(atPath: wal, toPath: file("crashed.db-wal"))

        let reopened = try openDatabase("crashed.db")
        XCTAssertEqual(try count(reopened), 50)
        try reopened.read { XCTAssertEqual(try $0.queryOne("PRAGMA integrity_check")?.string(0), "ok") }
    }

    func testCloseAndReopenKeepsEverything() throws {
        let path = file("reopen.db")
        let db = try Database(path: path, readers: 2)
        try makeSequence(db)
        try db.write { conn in for n in 1...10 { try conn.run("INSERT INTO seq VALUES (?, 'p')", n) } }
        db.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"), "closing checkpointed the WAL away")
        let again = try Database(path: path, readers: 2)
        defer { again.close() }
        XCTAssertEqual(try count(again), 10)
        XCTAssertEqual(again.pendingWrites, 0)
    }
}
