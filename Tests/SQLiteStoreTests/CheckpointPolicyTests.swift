import Foundation
import XCTest
@testable import SQLiteStore

/// Under Litestream the writer must leave checkpoints to it (the WAL keeps every frame until
/// Litestream checkpoints); without it, SQLite's own checkpoints keep the WAL near 4 MB.
final class CheckpointPolicyTests: TempDirectoryTestCase {
    /// Writes about 12 MB in 30 transactions and returns the WAL file's size afterwards.
    private func walSizeAfterWriting(_ policy: CheckpointPolicy, name: String) throws -> Int {
        let db = try Database(path: file(name), readers: 1, checkpoints: policy)
        defer { db.close() }
        try db.write { try $0.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, payload BLOB NOT NULL) STRICT") }
        let payload = SQLValue.blob([UInt8](repeating: 0x5A, count: 4_000))
        for _ in 0..<30 {
            try db.write { c in
                for _ in 0..<100 { try c.run("INSERT INTO blobs (payload) VALUES (?)", payload) }
            }
        }
        XCTAssertEqual(try db.write { try $0.queryOne("PRAGMA wal_autocheckpoint")?.int(0) }, policy.autoCheckpointPages)
        let size = try FileManager.default.attributesOfItem(atPath: file(name) + "-wal")[.size] as? Int
        return size ?? -1
    }

    func testLitestreamPolicyLeavesEveryFrameInTheWAL() throws {
        let wal = try walSizeAfterWriting(.litestream, name: "litestream.db")
        XCTAssertGreaterThan(wal, 11_000_000, "the writer checkpointed although Litestream owns checkpoints")
    }

    func testSQLitePolicyKeepsTheWALSmall() throws {
        let wal = try walSizeAfterWriting(.sqlite, name: "plain.db")
        XCTAssertGreaterThan(wal, 0)
        XCTAssertLessThan(wal, 6_000_000, "SQLite's own checkpoints should have reset the WAL")
    }

    func testDefaultIsSQLitesOwnCheckpoints() throws {
        let db = try openDatabase()
        XCTAssertEqual(db.checkpoints, .sqlite)
        XCTAssertEqual(try db.write { try $0.queryOne("PRAGMA wal_autocheckpoint")?.int(0) }, 1_000)
    }
}
