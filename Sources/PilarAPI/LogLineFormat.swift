import Foundation

/// Formats log lines as one JSON object per line, straight into bytes: no dictionaries, no
/// date formatter (an ISO8601DateFormatter per line was most of the old per-request cost).
/// The date part of the timestamp is kept for the second it belongs to.
struct LogLineFormat {
    private var cachedSecond = Int64.min
    private var cachedPrefix: [UInt8] = []   // "2026-12-03T17:14:34."

    mutating func append(_ item: LogSink.Pending, to out: inout [UInt8]) {
        switch item {
        case .request(let e, let at):
            start(at: at, level: "info", msg: "request", into: &out)
            field("method", e.method, &out)
            field("path", e.path, &out)
            if let route = e.routePattern { field("route", route, &out) } else { out += Array(",\"route\":null".utf8) }
            number("status", Int64(e.status), &out)
            number("bytes", Int64(e.bytesSent), &out)
            out += Array(",\"duration_ms\":".utf8)
            let micros = max(0, Int64((e.duration * 1_000_000).rounded()))
            decimal(micros / 1000, &out)
            out.append(0x2E)
            let frac = micros % 1000
            out.append(UInt8(48 + frac / 100))
            out.append(UInt8(48 + frac / 10 % 10))
            out.append(UInt8(48 + frac % 10))
            field("request_id", e.requestID, &out)
            field("remote", e.remoteAddress, &out)
        case .message(let level, let text, let at):
            start(at: at, level: level, msg: text, into: &out)
        }
        out.append(0x7D)  // }
        out.append(0x0A)
    }

    private mutating func start(at: Double, level: StaticString, msg: String, into out: inout [UInt8]) {
        let second = Int64(at.rounded(.down))
        if second != cachedSecond {
            cachedSecond = second
            cachedPrefix = Self.datePrefix(second)
        }
        out += Array("{\"ts\":\"".utf8)
        out += cachedPrefix
        let millis = min(999, Int((at - Double(second)) * 1000))
        out.append(UInt8(48 + millis / 100))
        out.append(UInt8(48 + millis / 10 % 10))
        out.append(UInt8(48 + millis % 10))
        out += Array("Z\",\"level\":\"".utf8)
        level.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(0x22)
        field("msg", msg, &out)
    }

    /// "YYYY-MM-DDTHH:MM:SS." in UTC for seconds since 1970 (days to civil date: Howard
    /// Hinnant's algorithm, exact for the proleptic Gregorian calendar).
    static func datePrefix(_ seconds: Int64) -> [UInt8] {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secs = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        var out: [UInt8] = []
        out.reserveCapacity(20)
        func two(_ v: Int64) { out.append(UInt8(48 + v / 10)); out.append(UInt8(48 + v % 10)) }
        two(year / 100 % 100); two(year % 100)
        out.append(0x2D); two(month); out.append(0x2D); two(day)
        out.append(0x54); two(secs / 3600); out.append(0x3A); two(secs / 60 % 60); out.append(0x3A); two(secs % 60)
        out.append(0x2E)
        return out
    }

    private func field(_ name: StaticString, _ value: String, _ out: inout [UInt8]) {
        out.append(0x2C)
        out.append(0x22)
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(0x22)
        out.append(0x3A)
        out.append(0x22)
        Self.escape(value, into: &out)
        out.append(0x22)
    }

    private func number(_ name: StaticString, _ value: Int64, _ out: inout [UInt8]) {
        out.append(0x2C)
        out.append(0x22)
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(0x22)
        out.append(0x3A)
        decimal(value, &out)
    }

    private func decimal(_ value: Int64, _ out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// JSON string escaping: quote, backslash and control characters; the rest is UTF-8 as is.
    static func escape(_ s: String, into out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0..<0x20, 0x7F:
                out += [0x5C, 0x75, 0x30, 0x30, Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
    }
}
