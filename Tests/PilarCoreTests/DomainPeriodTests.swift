import Foundation
import XCTest
@testable import PilarCore

/// Shared helpers of the Domain*Tests files (namespaced: other test files share the module).
enum DomainTest {
    static let wib = TimeZone(secondsFromGMT: 7 * 3600)!
    static let utc = TimeZone(secondsFromGMT: 0)!

    /// Instants written ISO 8601 with an offset, so each test reads in WIB or UTC as it says.
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { fatalError("bad instant in test: \(text)") }
        return date
    }

    static func date(_ iso: String) -> CalendarDate {
        guard let date = CalendarDate(iso) else { fatalError("bad date in test: \(iso)") }
        return date
    }

    static func region(_ text: String) -> RegionCode {
        guard let code = RegionCode(text) else { fatalError("bad region in test: \(text)") }
        return code
    }
}

private let wib = DomainTest.wib
private let utc = DomainTest.utc
private func instant(_ text: String) -> Date { DomainTest.instant(text) }

final class DomainPeriodTests: XCTestCase {
    func testParsingIsStrict() {
        for text in ["2026-10", "2000-01", "2100-12", "2026-02"] {
            XCTAssertEqual(ReportPeriod(text)?.description, text)
        }
        for text in ["2026-1", "2026-13", "2026-00", "1999-12", "2101-01", "2026/10", "202610", " 2026-10",
                     "2026-10 ", "2026-10-01", "２０２６-10", "26-10", "+026-10", ""] {
            XCTAssertNil(ReportPeriod(text), "accepted \(text.debugDescription)")
        }
    }

    func testArithmeticCrossesYears() throws {
        let oct = try XCTUnwrap(ReportPeriod("2026-10"))
        XCTAssertEqual(oct.next.description, "2026-11")
        XCTAssertEqual(ReportPeriod("2026-12")?.next.description, "2027-01")
        XCTAssertEqual(ReportPeriod("2026-01")?.previous.description, "2025-12")
        XCTAssertEqual(oct.adding(months: -22).description, "2024-12")
        XCTAssertEqual(oct.adding(months: 15).description, "2028-01")
        XCTAssertEqual(oct.adding(months: 0), oct)
        XCTAssertEqual(ReportPeriod(year: 2026, month: 13).description, "2027-01")
        XCTAssertEqual(ReportPeriod(year: 2026, month: 0).description, "2025-12")
        XCTAssertEqual(ReportPeriod(year: 2026, month: -12).description, "2024-12")
        XCTAssertEqual(oct.months(to: ReportPeriod(year: 2027, month: 2)), 4)
        XCTAssertLessThan(ReportPeriod(year: 2025, month: 12), oct)
        XCTAssertFalse(oct < oct)
    }

    func testContainingDependsOnTheTimeZone() {
        // 00:30 on 1 November in WIB is still 31 October in UTC.
        let moment = instant("2026-10-31T17:30:00Z")
        XCTAssertEqual(ReportPeriod.containing(moment, timeZone: wib).description, "2026-11")
        XCTAssertEqual(ReportPeriod.containing(moment, timeZone: utc).description, "2026-10")
        XCTAssertTrue(ReportPeriod("2026-11")!.contains(day: moment, timeZone: wib))
        XCTAssertFalse(ReportPeriod("2026-10")!.contains(day: moment, timeZone: wib))
        XCTAssertTrue(ReportPeriod("2026-10")!.contains(CalendarDate("2026-10-31")!))
        XCTAssertFalse(ReportPeriod("2026-10")!.contains(CalendarDate("2025-10-31")!))
    }

    func testDaysOfThePeriod() {
        XCTAssertEqual(ReportPeriod("2024-02")!.lastDay.description, "2024-02-29")
        XCTAssertEqual(ReportPeriod("2026-02")!.lastDay.description, "2026-02-28")
        XCTAssertEqual(ReportPeriod("2026-02")!.firstDay.description, "2026-02-01")
    }

    func testRangeIsInclusiveAndEmptyWhenReversed() {
        let from = ReportPeriod("2025-11")!, to = ReportPeriod("2026-02")!
        XCTAssertEqual(ReportPeriod.range(from: from, to: to).map(\.description),
                       ["2025-11", "2025-12", "2026-01", "2026-02"])
        XCTAssertEqual(ReportPeriod.range(from: to, to: to), [to])
        XCTAssertEqual(ReportPeriod.range(from: to, to: from), [])
    }

    func testCodable() throws {
        let data = try JSONEncoder().encode([ReportPeriod("2026-10")!])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"2026-10\"]")
        XCTAssertThrowsError(try JSONDecoder().decode([ReportPeriod].self, from: Data("[\"2026-13\"]".utf8)))
    }

    // MARK: due dates

    func testDueAtIsTheTenthOfNextMonthAtEndOf2359WIB() {
        let policy = DueDatePolicy()
        XCTAssertEqual(policy.dueAt(ReportPeriod("2026-10")!), instant("2026-11-10T23:59:59+07:00"))
        XCTAssertEqual(policy.dueAt(ReportPeriod("2026-12")!), instant("2027-01-10T23:59:59+07:00"))
        var late31 = DueDatePolicy()
        late31.dayOfNextMonth = 31
        XCTAssertEqual(late31.dueAt(ReportPeriod("2027-01")!), instant("2027-02-28T23:59:59+07:00"))
        XCTAssertEqual(late31.dueAt(ReportPeriod("2024-01")!), instant("2024-02-29T23:59:59+07:00"))
        let utcNoon = DueDatePolicy(dayOfNextMonth: 5, hour: 12, minute: 0, timeZone: utc)
        XCTAssertEqual(utcNoon.dueAt(ReportPeriod("2026-10")!), instant("2026-11-05T12:00:59Z"))
    }

    func testLateness() {
        let policy = DueDatePolicy()
        let period = ReportPeriod("2026-10")!
        let cases: [(String, Bool, Int)] = [
            ("2026-10-25T09:00:00+07:00", false, 0),
            ("2026-11-10T23:59:00+07:00", false, 0),
            ("2026-11-10T23:59:59+07:00", false, 0),
            ("2026-11-11T00:00:00+07:00", true, 1),
            ("2026-11-11T23:59:59+07:00", true, 1),
            ("2026-11-12T08:00:00+07:00", true, 2),
            ("2026-12-10T23:59:59+07:00", true, 30),
        ]
        for (text, late, days) in cases {
            let at = instant(text)
            XCTAssertEqual(policy.isLate(submittedAt: at, period: period), late, text)
            XCTAssertEqual(policy.daysLate(submittedAt: at, period: period, now: instant("2030-01-01T00:00:00Z")),
                           days, text)
        }
    }

    func testDaysLateOfAnUnsubmittedReportCountsUpToNow() {
        let policy = DueDatePolicy()
        let period = ReportPeriod("2026-10")!
        XCTAssertEqual(policy.daysLate(submittedAt: nil, period: period, now: instant("2026-11-09T10:00:00+07:00")), 0)
        XCTAssertEqual(policy.daysLate(submittedAt: nil, period: period, now: instant("2026-11-14T12:00:00+07:00")), 4)
    }
}
