import Foundation
import XCTest
@testable import SQLiteStore

/// A write waits for the writer only as long as its budget: then it is taken out of the queue
/// unrun and `WriterBusy` says so, while the writes that did get their turn are all kept.
final class WriterBudgetTests: TempDirectoryTestCase {
    /// Holds the writer on another thread until `release` is signalled.
    private func holdWriter(_ db: Database, release: DispatchSemaphore) -> DispatchSemaphore {
        let held = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            try? db.write(waitingAtMost: nil) { c in
                try c.execute("INSERT INTO t (v) VALUES ('holder')")
                held.signal()
                release.wait()
            }
            finished.signal()
        }.start()
        held.wait()
        return finished
    }

    func testAWriteThatCannotStartWithinItsBudgetIsRefusedUnrun() throws {
        let db = try openDatabase()
        try db.write { c in try c.execute("CREATE TABLE t (v TEXT)") }
        db.writeWaitBudget = 0.2
        let release = DispatchSemaphore(value: 0)
        let finished = holdWriter(db, release: release)

        XCTAssertThrowsError(try db.write { c in try c.execute("INSERT INTO t (v) VALUES ('late')") }) { error in
            guard let busy = error as? WriterBusy else { return XCTFail("expected WriterBusy, got \(error)") }
            XCTAssertEqual(busy.writesAhead, 1, "the holder was ahead")
        }
        XCTAssertEqual(db.pendingWrites, 1, "the refused write left the queue; only the holder is there")

        // An unbounded write queued behind the holder is kept and runs once the writer is free.
        let patient = DispatchSemaphore(value: 0)
        Thread {
            try? db.write(waitingAtMost: nil) { c in try c.execute("INSERT INTO t (v) VALUES ('patient')") }
            patient.signal()
        }.start()
        release.signal()
        XCTAssertEqual(finished.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(patient.wait(timeout: .now() + 60), .success)
        let values = try db.read { c in try c.query("SELECT v FROM t ORDER BY rowid").map { $0.string(0) } }
        XCTAssertEqual(values, ["holder", "patient"], "the refused write never ran")
        XCTAssertEqual(db.pendingWrites, 0)
        XCTAssertNoThrow(try db.write { c in try c.execute("INSERT INTO t (v) VALUES ('again')") })
    }

    func testWithoutABudgetAWriteWaitsItsTurn() throws {
        let db = try openDatabase()
        try db.write { c in try c.execute("CREATE TABLE t (v TEXT)") }
        let release = DispatchSemaphore(value: 0)
        let finished = holdWriter(db, release: release)
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Thread {
            do { try db.write { c in try c.execute("INSERT INTO t (v) VALUES ('waited')") } } catch { outcome.error = error }
            done.signal()
        }.start()
        // It is still waiting (not refused) while the writer is held.
        XCTAssertEqual(done.wait(timeout: .now() + 0.5), .timedOut)
        release.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        XCTAssertNil(outcome.error)
        XCTAssertEqual(finished.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(try db.read { c in try c.queryOne("SELECT count(*) FROM t")?.int(0) }, 2)
    }
}

/// Set by one thread before a semaphore signal, read by the test after the wait.
private final class Outcome: @unchecked Sendable { var error: Error? }
