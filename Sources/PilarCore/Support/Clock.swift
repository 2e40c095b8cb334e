import Foundation

/// Where "now" comes from; tests pin it so lateness across month and year ends is testable.
public struct Clock {
    public var now: () -> Date
    public init(now: @escaping () -> Date = Date.init) { self.now = now }
    public static let system = Clock()

    /// RFC 3339 UTC with milliseconds, the one timestamp format stored and shown.
    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    public static func parseTimestamp(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }
}
