import Foundation

/// When a month's TKSK report is due: by default the 10th of the following month at 23:59 WIB.
///
/// Decisions the documents leave open:
/// - "at 23:59" means until the end of that minute: `dueAt` is hh:mm:59, and a report is late
///   when submitted strictly after `dueAt`.
/// - A day past the end of the next month (say 31 in a 30-day month) means that month's last day.
/// - `daysLate` counts started days: one second late is 1 day late, so `late` and
///   `daysLate > 0` always agree. With the default 23:59:59 deadline this is the number of
///   calendar days (WIB) between the due date and the day of submission.
public struct DueDatePolicy: Equatable, Sendable {
    public var dayOfNextMonth: Int = 10
    public var hour = 23
    public var minute = 59
    /// Seconds within `minute`; 59 so that the whole minute named counts as on time.
    public var second = 59
    public var timeZone = TimeZone(secondsFromGMT: 7 * 3600)!  // WIB

    public init() {}

    public init(dayOfNextMonth: Int, hour: Int = 23, minute: Int = 59,
                timeZone: TimeZone = TimeZone(secondsFromGMT: 7 * 3600)!) {
        self.dayOfNextMonth = dayOfNextMonth
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
    }

    public func dueAt(_ period: ReportPeriod) -> Date {
        let month = period.next
        let lastDay = CalendarDate.daysIn(month: month.month, year: month.year)
        let day = min(max(dayOfNextMonth, 1), lastDay)
        let parts = DateComponents(year: month.year, month: month.month, day: day,
                                   hour: min(max(hour, 0), 23), minute: min(max(minute, 0), 59),
                                   second: min(max(second, 0), 59))
        return DomainText.gregorian(timeZone).date(from: parts)!
    }

    public func isLate(submittedAt: Date, period: ReportPeriod) -> Bool {
        submittedAt > dueAt(period)
    }

    /// Started days after the due moment (0 when on time). For a report not submitted yet,
    /// the days it is overdue as of `now` (0 while it is not yet due).
    public func daysLate(submittedAt: Date?, period: ReportPeriod, now: Date) -> Int {
        let moment = submittedAt ?? now
        let seconds = moment.timeIntervalSince(dueAt(period))
        guard seconds > 0 else { return 0 }
        return Int((seconds / 86_400).rounded(.up))
    }
}
