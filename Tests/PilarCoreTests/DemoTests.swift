import Foundation
import XCTest
@testable import PilarCore

/// The demo tells the truth whatever day it is loaded on: nothing dated after now, nothing late
/// before its due date, every history starting in draft, and Kejaksan's last month left open
/// for the README's walk-through.
final class DemoTests: XCTestCase {
    /// Early in a month (before last month's due date), on the first minutes of a year in WIB,
    /// and after the due date.
    static let days = ["2026-12-03T10:00:00Z", "2026-12-31T17:30:00Z", "2027-03-20T04:00:00Z"]

    func testNothingIsDatedAfterNowOrLateBeforeItsDueDate() throws {
        for day in Self.days {
            let now = Clock.parseTimestamp(day)!
            let t = try TempPilar(clock: Clock { now }, demo: true)
            let stamp = Clock.timestamp(now)
            try t.pilar.db.read { c in
                for (table, column) in [("reports", "created_at"), ("reports", "updated_at"), ("reports", "submitted_at"),
                                        ("reports", "verified_at"), ("reports", "returned_at"), ("report_events", "at"),
                                        ("report_versions", "created_at")] {
                    let future = try c.queryOne("SELECT count(*) AS n FROM \(table) WHERE \(column) > ?", stamp)!.int("n")
                    XCTAssertEqual(future, 0, "\(day): \(table).\(column) after now")
                }
                let early = try c.queryOne("SELECT count(*) AS n FROM reports WHERE late = 1 AND due_at > ?", stamp)!.int("n")
                XCTAssertEqual(early, 0, "\(day): a report counted late before its due date")
                let lateButOnTime = try c.queryOne("SELECT count(*) AS n FROM reports WHERE late = 1 AND submitted_at <= due_at")!.int("n")
                XCTAssertEqual(lateButOnTime, 0, "\(day)")
            }
        }
    }

    func testEveryHistoryStartsInDraft() throws {
        let now = Clock.parseTimestamp(Self.days[0])!
        let t = try TempPilar(clock: Clock { now }, demo: true)
        try t.pilar.db.read { c in
            let firsts = try c.query("""
                SELECT e.action, e.status FROM report_events e
                WHERE e.id = (SELECT min(id) FROM report_events WHERE report_id = e.report_id)
                """).map { "\($0.string("action")) \($0.string("status"))" }
            XCTAssertFalse(firsts.isEmpty)
            XCTAssertEqual(Set(firsts), ["created draft"])
            // A verified report went draft -> submitted -> verified, in time order.
            let steps = try c.query("""
                SELECT e.status, e.at FROM report_events e JOIN reports r ON r.id = e.report_id
                WHERE r.kecamatan = '32.74.02' AND r.period = '2026-08' ORDER BY e.id
                """).map { ($0.string("status"), $0.string("at")) }
            XCTAssertEqual(steps.map(\.0), ["draft", "submitted", "verified"])
            XCTAssertEqual(steps.map(\.1), steps.map(\.1).sorted())
        }
    }

    func testLastMonthIsOpenInKejaksanAndFilledElsewhere() throws {
        for day in Self.days {
            let now = Clock.parseTimestamp(day)!
            let t = try TempPilar(clock: Clock { now }, demo: true)
            let last = ReportPeriod.containing(now, timeZone: ReportValidation.wib).adding(months: -1)
            try t.pilar.db.read { c in
                let rows = try c.query("SELECT kecamatan, status FROM reports WHERE period = ? ORDER BY kecamatan", last.description)
                    .map { "\($0.string("kecamatan")) \($0.string("status"))" }
                XCTAssertEqual(rows, ["32.74.02 submitted", "32.74.03 returned", "32.74.04 draft", "32.74.05 submitted"], day)
            }
        }
    }

    func testLateAfterTheDueDate() throws {
        // On 20 March, February's reports were due on 10 March: 32.74.02 is the late one.
        let now = Clock.parseTimestamp(Self.days[2])!
        let t = try TempPilar(clock: Clock { now }, demo: true)
        let late = try t.pilar.db.read { c in
            try c.query("SELECT kecamatan FROM reports WHERE period = '2027-02' AND late = 1").map { $0.string("kecamatan") }
        }
        XCTAssertEqual(late, ["32.74.02"])
    }
}
