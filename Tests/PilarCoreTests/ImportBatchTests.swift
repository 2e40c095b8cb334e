import Foundation
import SQLiteStore
import XCTest
@testable import PilarCore

/// How an import shares the writer: skip mode and dry runs go in batches (other writes get in
/// between), all-or-nothing in one transaction; a row is never split between batches.
final class ImportBatchTests: XCTestCase {
    private func rows(_ n: Int, bad: Set<Int> = []) -> AnyIterator<Result<ImportRow, ImportError>> {
        var i = 0
        return AnyIterator {
            guard i < n else { return nil }
            i += 1
            let line = i + 1
            return .success(ImportRow(line: line, values: ["name": bad.contains(i) ? "" : "row \(i)"]))
        }
    }

    /// Two statements per row, so a row split across transactions would show as one without the other.
    private func apply(_ c: Connection, _ row: ImportRow) throws -> ImportOutcome {
        guard let name = row["name"] else { throw RowRejected(row: row.line, field: "name", code: "required", message: "name is required") }
        try c.run("INSERT INTO item (name) VALUES (?)", name)
        try c.run("INSERT INTO item_audit (name) VALUES (?)", name)
        return .created
    }

    private func setUp(batch: Int) throws -> TempPilar {
        let t = try TempPilar()
        t.pilar.config.imports.batchRows = batch
        try t.pilar.db.write { c in
            try c.execute("CREATE TABLE item (name TEXT); CREATE TABLE item_audit (name TEXT); CREATE TABLE marker (at TEXT)")
        }
        return t
    }

    /// Another write queued while the first batch runs: commits before the later batches, which see it.
    private func runWithAWriteQueuedDuringTheFirstBatch(_ t: TempPilar, _ options: ImportOptions, rows n: Int,
                                                        bad: Set<Int> = []) throws -> (ImportSummary, sawMarker: Bool) {
        var started = false
        var sawMarker = false
        let markerDone = DispatchSemaphore(value: 0)
        let summary = try t.pilar.runImport(rows(n, bad: bad), options: options) { c, row in
            if !started {
                started = true
                Thread {
                    try? t.pilar.db.write(waitingAtMost: nil) { c in try c.execute("INSERT INTO marker VALUES ('x')") }
                    markerDone.signal()
                }.start()
                // Until the marker write is queued behind this batch (bounded, not timed).
                for _ in 0..<20_000 where t.pilar.db.pendingWrites < 2 { usleep(500) }
            }
            if row.line == n + 1 { sawMarker = try c.queryOne("SELECT count(*) FROM marker")?.int(0) == 1 }
            return try self.apply(c, row)
        }
        XCTAssertEqual(markerDone.wait(timeout: .now() + 60), .success)
        return (summary, sawMarker)
    }

    private func count(_ t: TempPilar, _ table: String) throws -> Int {
        try t.pilar.db.read { c in try c.queryOne("SELECT count(*) FROM \(table)")?.int(0) ?? -1 }
    }

    func testSkipModeCommitsInBatchesWithWholeRows() throws {
        let t = try setUp(batch: 3)
        let before = t.pilar.db.commitCount
        let (s, sawMarker) = try runWithAWriteQueuedDuringTheFirstBatch(t, ImportOptions(skipInvalid: true), rows: 10, bad: [3, 8])
        XCTAssertEqual(s.created, 8)
        XCTAssertEqual(s.rejected, 2)
        XCTAssertEqual(s.errors.map(\.row), [4, 9])
        XCTAssertTrue(s.applied)
        XCTAssertTrue(sawMarker, "the other write got the writer between batches")
        XCTAssertGreaterThanOrEqual(t.pilar.db.commitCount - before, 4, "10 rows in batches of 3, plus the marker")
        XCTAssertEqual(try count(t, "item"), 8)
        XCTAssertEqual(try count(t, "item_audit"), 8, "every stored row has both of its statements")
        let names = try t.pilar.db.read { c in try c.query("SELECT i.name FROM item i JOIN item_audit a USING (name)").count }
        XCTAssertEqual(names, 8)
    }

    func testDryRunReleasesTheWriterBetweenBatchesAndKeepsNothing() throws {
        let t = try setUp(batch: 3)
        let (s, sawMarker) = try runWithAWriteQueuedDuringTheFirstBatch(t, ImportOptions(dryRun: true), rows: 10, bad: [5])
        XCTAssertTrue(s.dryRun)
        XCTAssertFalse(s.applied)
        XCTAssertEqual(s.created, 9)
        XCTAssertEqual(s.rejected, 1)
        XCTAssertTrue(sawMarker, "a dry run does not hold the writer for the whole file")
        XCTAssertEqual(try count(t, "item"), 0)
        XCTAssertEqual(try count(t, "item_audit"), 0)
        XCTAssertEqual(try count(t, "marker"), 1)
    }

    func testAllOrNothingIsOneTransaction() throws {
        let t = try setUp(batch: 3)
        let (s, sawMarker) = try runWithAWriteQueuedDuringTheFirstBatch(t, ImportOptions(), rows: 10)
        XCTAssertEqual(s.created, 10)
        XCTAssertTrue(s.applied)
        XCTAssertFalse(sawMarker, "nothing else is committed inside an all-or-nothing import")
        XCTAssertEqual(try count(t, "item"), 10)

        let refused = try t.pilar.runImport(rows(10, bad: [9]), options: ImportOptions(), apply: apply)
        XCTAssertFalse(refused.applied)
        XCTAssertEqual(try count(t, "item"), 10, "a rejected row refuses the whole file")
    }
}
