import Foundation

/// The month a TKSK report covers, written "2026-10".
public struct ReportPeriod: Hashable, Comparable, CustomStringConvertible, Codable, Sendable {
    public static let years = 2000...2100

    public let year: Int
    public let month: Int

    /// Strict "YYYY-MM": four-digit year 2000...2100, two-digit month 01...12.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              let y = DomainText.digits(bytes[0..<4]), let m = DomainText.digits(bytes[5..<7]),
              ReportPeriod.years.contains(y), (1...12).contains(m) else { return nil }
        year = y
        month = m
    }

    /// Months out of 1...12 roll over into neighbouring years (month 13 of 2026 is 2027-01),
    /// so arithmetic never traps. Parsing (`init?(_:)`) is where bad input is refused.
    public init(year: Int, month: Int) {
        let index = year * 12 + (month - 1)
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        self.year = y
        self.month = index - y * 12 + 1
    }

    public var next: ReportPeriod { adding(months: 1) }
    public var previous: ReportPeriod { adding(months: -1) }

    public func adding(months: Int) -> ReportPeriod { ReportPeriod(year: year, month: month + months) }

    /// Months from `self` to `other` (positive when `other` is later).
    public func months(to other: ReportPeriod) -> Int { (other.year - year) * 12 + (other.month - month) }

    /// The month `date` falls in, as seen in `timeZone`.
    public static func containing(_ date: Date, timeZone: TimeZone) -> ReportPeriod {
        let parts = DomainText.gregorian(timeZone).dateComponents([.year, .month], from: date)
        return ReportPeriod(year: parts.year!, month: parts.month!)
    }

    /// True when the calendar date `day` is in `timeZone` falls in this month.
    public func contains(day: Date, timeZone: TimeZone) -> Bool {
        ReportPeriod.containing(day, timeZone: timeZone) == self
    }

    public func contains(_ date: CalendarDate) -> Bool { date.year == year && date.month == month }

    public var firstDay: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }
    public var lastDay: CalendarDate {
        CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))!
    }

    /// Every month from `from` to `to`, both included; empty when `from` is after `to`.
    public static func range(from: ReportPeriod, to: ReportPeriod) -> [ReportPeriod] {
        guard from <= to else { return [] }
        return (0...from.months(to: to)).map { from.adding(months: $0) }
    }

    public var description: String { DomainText.pad(year, 4) + "-" + DomainText.pad(month, 2) }

    public static func < (a: ReportPeriod, b: ReportPeriod) -> Bool { (a.year, a.month) < (b.year, b.month) }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let period = ReportPeriod(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a period YYYY-MM: \(text)"))
        }
        self = period
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
