import Foundation

/// A day on the calendar with no time and no zone: a birth date, a registration date,
/// the date of an activity. Written ISO 8601: "1990-05-17".
public struct CalendarDate: Hashable, Comparable, CustomStringConvertible, Codable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Strict "YYYY-MM-DD" (four-digit year 0001...9999, two-digit month and day), a real day.
    public init?(_ iso: String) {
        let bytes = Array(iso.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = DomainText.digits(bytes[0..<4]), let m = DomainText.digits(bytes[5..<7]), let d = DomainText.digits(bytes[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Validates the day against the month, leap years included.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whole years lived on `on`. Someone born on 29 February turns a year older on
    /// 1 March in common years.
    public func age(on date: CalendarDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    /// The date it is at `now` in `timeZone`.
    public static func today(in timeZone: TimeZone, now: Date) -> CalendarDate {
        let parts = DomainText.gregorian(timeZone).dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The day `date` falls on in `timeZone`.
    public init(_ date: Date, timeZone: TimeZone) {
        self = CalendarDate.today(in: timeZone, now: date)
    }

    /// Midnight at the start of this day in `timeZone`.
    public func start(in timeZone: TimeZone) -> Date {
        DomainText.gregorian(timeZone).date(from: DateComponents(year: year, month: month, day: day))!
    }

    public var period: ReportPeriod { ReportPeriod(year: year, month: month) }

    public var description: String {
        DomainText.pad(year, 4) + "-" + DomainText.pad(month, 2) + "-" + DomainText.pad(day, 2)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a date YYYY-MM-DD: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Small helpers shared by the domain's parsers and formatters (namespaced so they cannot
/// collide with other files of the module).
enum DomainText {
    /// A run of ASCII digits as a number; nil if empty or any byte is not a digit.
    static func digits<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for b in bytes {
            guard b >= 0x30, b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }

    /// Zero-padded decimal.
    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// A Gregorian calendar pinned to a zone, so no rule depends on the machine's settings.
    static func gregorian(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
