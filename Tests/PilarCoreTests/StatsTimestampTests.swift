import Foundation
import XCTest
@testable import PilarCore

/// Completeness parses every submitted_at with its own integer parser (Foundation's formatter
/// cost ~30 us a row at national scale); it must agree with Clock.parseTimestamp.
final class StatsTimestampTests: XCTestCase {
    func testFastParserAgreesWithClock() {
        var samples = ["2026-11-25T05:00:00.000Z", "2026-11-25T05:00:00Z", "2024-02-29T23:59:59.999Z",
                       "2000-03-01T00:00:00.001Z", "1999-12-31T16:59:59.000Z", "2026-01-10T16:59:59.000Z"]
        // Every day of 2023..2025 at a few times of day, through Clock.timestamp.
        let start = Clock.parseTimestamp("2023-01-01T00:00:00Z")!
        for day in 0..<(3 * 366) {
            for seconds in [0.0, 61_199.5, 86_399.999] {
                samples.append(Clock.timestamp(start.addingTimeInterval(Double(day) * 86_400 + seconds)))
            }
        }
        for s in samples {
            let fast = StatsService.parseTimestamp(s), slow = Clock.parseTimestamp(s)
            XCTAssertNotNil(fast, s)
            XCTAssertEqual(fast!.timeIntervalSince1970, slow!.timeIntervalSince1970, accuracy: 0.0005, s)
        }
        // Other shapes go to Clock (offsets) or are refused like Clock refuses them.
        XCTAssertEqual(StatsService.parseTimestamp("2026-11-25T12:00:00+07:00"), Clock.parseTimestamp("2026-11-25T12:00:00+07:00"))
        for bad in ["", "2026-13-01T00:00:00Z", "2026-11-25 05:00:00Z", "yesterday"] {
            XCTAssertEqual(StatsService.parseTimestamp(bad), Clock.parseTimestamp(bad), bad)
        }
    }

    func testDaysLateCountsStartedDaysLikeThePolicy() {
        let policy = DueDatePolicy()
        let period = ReportPeriod("2026-01")!
        let due = policy.dueAt(period)
        for offset in [-86_400.0, -1, 0, 1, 86_399, 86_400, 86_401, 287.5 * 86_400] {
            let moment = due.addingTimeInterval(offset)
            XCTAssertEqual(StatsService.daysLate(moment, due: due), policy.daysLate(submittedAt: moment, period: period, now: moment), "\(offset)")
        }
    }
}
