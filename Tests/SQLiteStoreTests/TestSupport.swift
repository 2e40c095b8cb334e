import Foundation
import XCTest
@testable import SQLiteStore

/// A fresh directory per test, removed afterwards: every test works on real files.
class TempDirectoryTestCase: XCTestCase {
    private(set) var directory = ""
    private var opened: [Database] = []

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "sqlitestore-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        opened.forEach { $0.close() }
        opened = []
        try? FileManager.default.removeItem(atPath: directory)
    }

    func file(_ name: String) -> String { directory + "/" + name }

    /// Opens a database in the temp dir; closed in tearDown.
    func openDatabase(_ name: String = "test.db", readers: Int = 4) throws -> Database {
        let db = try Database(path: file(name), readers: readers)
        opened.append(db)
        return db
    }

    /// Runs `body` on `count` real threads at once (concurrentPerform would cap at the core count)
    /// and waits, failing instead of hanging.
    func onThreads(_ count: Int, timeout: TimeInterval = 120, _ body: @escaping (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                body(index)
                group.leave()
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + timeout), .success, "threads did not finish (hang?)")
    }

    /// Polls until `condition` holds; fails after a generous bound instead of hanging.
    func waitUntil(_ what: String, timeout: TimeInterval = 60, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { return XCTFail("timed out waiting until \(what)") }
            usleep(1_000)
        }
    }
}

/// Holds the writer thread inside a write until released, so the writes submitted meanwhile
/// are all queued and must go into one batch.
final class WriterGate {
    private let entered = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()

    init(_ db: Database) {
        finished.enter()
        Thread { [entered, release, finished] in
            try? db.write { _ in
                entered.signal()
                release.wait()
            }
            finished.leave()
        }.start()
        entered.wait()
    }

    func open() {
        release.signal()
        _ = finished.wait(timeout: .now() + 60)
    }
}

/// A value shared between test threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func update(_ change: (inout Value) -> Void) { lock.lock(); change(&stored); lock.unlock() }
}

extension TempDirectoryTestCase {
    /// Submits each job as its own `write`, from its own thread, while the writer is held at a
    /// gate: they are all queued, in order, before the writer takes any, so they must form one batch.
    /// Returns each caller's error (nil = acknowledged) and the commits the batch took.
    func writeAsOneBatch(_ db: Database, _ jobs: [(Connection) throws -> Void]) -> (errors: [Error?], commits: Int) {
        let gate = WriterGate(db)
        let before = db.commitCount
        let errors = Locked([Error?](repeating: nil, count: jobs.count))
        let done = DispatchGroup()
        for (index, job) in jobs.enumerated() {
            done.enter()
            Thread {
                do { try db.write(job) } catch { errors.update { $0[index] = error } }
                done.leave()
            }.start()
            // One at a time, so the queue order (and so the batch order) is the jobs' order.
            waitUntil("write \(index) is queued behind the gate") { db.pendingWrites == 2 + index }
        }
        gate.open()   // returns once the gate's own write committed
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success, "batch did not finish (hang?)")
        return (errors.value, db.commitCount - before - 1)
    }
}
