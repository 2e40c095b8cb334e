import Foundation

/// A retention period as people write it: "5y", "18m", "400d".
public struct RetentionPeriod: Equatable {
    public let amount: Int
    public let unit: Character

    public init?(_ text: String) {
        guard let unit = text.last, "ymd".contains(unit), let n = Int(text.dropLast()), n > 0, n <= 100 * 366 else { return nil }
        amount = n
        self.unit = unit
    }

    /// The day `amount` years, months or days before `date` (the 31st of a shorter month is its last day).
    public func before(_ date: CalendarDate) -> CalendarDate {
        switch unit {
        case "d":
            let noon = date.start(in: TimeZone(identifier: "UTC")!).addingTimeInterval(12 * 3600 - Double(amount) * 86_400)
            return CalendarDate(noon, timeZone: TimeZone(identifier: "UTC")!)
        default:
            let months = unit == "y" ? amount * 12 : amount
            let total = date.year * 12 + (date.month - 1) - months
            let (y, m) = (total / 12, total % 12 + 1)
            return CalendarDate(year: y, month: m, day: min(date.day, CalendarDate.daysIn(month: m, year: y)))!
        }
    }
}
