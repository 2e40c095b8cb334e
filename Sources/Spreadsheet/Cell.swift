import Foundation

/// Why a file could not be read as a workbook. The words are for logs; callers that answer a
/// person map each case to a message in that person's language.
public enum SpreadsheetError: Error, Equatable, CustomStringConvertible {
    /// Not a ZIP at all (a CSV sent as .xlsx, say).
    case notAWorkbook
    /// An old binary .xls, or an .xlsx protected with a password (both are OLE files).
    case legacyOrEncrypted
    /// An OpenDocument spreadsheet (.ods).
    case openDocument
    case missingPart(String)
    case malformedXML(part: String, detail: String)
    case tooLarge(part: String, limit: Int)
    case noSuchSheet(Int)
    case tooManyRows(limit: Int)

    public var description: String {
        switch self {
        case .notAWorkbook: return "the file is not an .xlsx workbook (not a ZIP archive)"
        case .legacyOrEncrypted: return "the file is an old .xls workbook or an .xlsx protected by a password"
        case .openDocument: return "the file is an OpenDocument spreadsheet (.ods), not .xlsx"
        case .missingPart(let p): return "the workbook has no \(p)"
        case .malformedXML(let part, let detail): return "\(part) is not well-formed: \(detail)"
        case .tooLarge(let part, let limit): return "\(part) is larger than \(limit) bytes"
        case .noSuchSheet(let i): return "the workbook has no sheet \(i + 1)"
        case .tooManyRows(let limit): return "a sheet holds at most \(limit) rows"
        }
    }
}

/// A calendar day (and time of day) as a spreadsheet stores it: a serial number of days.
public struct SheetDate: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    /// Seconds after midnight (0 for a plain date).
    public let secondsOfDay: Int

    public init(year: Int, month: Int, day: Int, secondsOfDay: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.secondsOfDay = secondsOfDay
    }

    /// The day a serial stands for. In the 1900 system Excel counts a 29 February 1900 that
    /// never was (serial 60), so serials below 61 are one day off from those above; serial 60
    /// itself and anything below 1 (a bare time) are no day at all.
    public init?(serial: Double, date1904: Bool = false) {
        guard serial.isFinite, serial >= 1, serial < 2_958_466 else { return nil }
        let whole = Int(serial.rounded(.down))
        let seconds = Int(((serial - Double(whole)) * 86_400).rounded())
        let days: Int
        if date1904 {
            days = SheetDate.daysFromCivil(1904, 1, 1) + whole
        } else if whole == 60 {
            return nil
        } else if whole < 60 {
            days = SheetDate.daysFromCivil(1899, 12, 31) + whole
        } else {
            days = SheetDate.daysFromCivil(1899, 12, 30) + whole
        }
        let (y, m, d) = SheetDate.civil(fromDays: days + seconds / 86_400)
        self.init(year: y, month: m, day: d, secondsOfDay: seconds % 86_400)
    }

    /// The 1900-system serial (what Pilar writes); nil before 1 March 1900, where Excel's count
    /// and the calendar disagree.
    public var serial: Double? {
        let days = SheetDate.daysFromCivil(year, month, day) - SheetDate.daysFromCivil(1899, 12, 30)
        guard days >= 61 else { return nil }
        return Double(days) + Double(secondsOfDay) / 86_400
    }

    public var description: String {
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// One cell's value as the workbook typed it. The type matters to an import: a NIK that arrives
/// as a number has already lost digits in the spreadsheet, a date may arrive as a date.
public enum Cell: Equatable, Sendable {
    case empty
    case text(String)
    case number(Double)
    case date(SheetDate)
    case bool(Bool)
    /// A formula error such as #N/A or #REF!.
    case error(String)

    /// The value as text, the way a person would type it back: whole numbers without a decimal
    /// point or exponent (85224561234, not 8.5224561234E10), dates as YYYY-MM-DD.
    public var text: String {
        switch self {
        case .empty: return ""
        case .text(let s): return s
        case .number(let d): return Cell.format(d)
        case .date(let d): return d.description
        case .bool(let b): return b ? "true" : "false"
        case .error(let e): return e
        }
    }

    public static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }
}

/// A row of a sheet: its number as the sheet shows it (1-based, gaps kept) and its cells by
/// column, missing cells filled with `.empty`.
public struct SheetRow: Equatable, Sendable {
    public let number: Int
    public let cells: [Cell]
    public init(number: Int, cells: [Cell]) {
        self.number = number
        self.cells = cells
    }
    public var isBlank: Bool {
        cells.allSatisfy { if case .text(let s) = $0 { return s.allSatisfy(\.isWhitespace) } else { return $0 == .empty } }
    }
}

/// Column letters as the sheet names them: 0 -> A, 25 -> Z, 26 -> AA.
public enum ColumnName {
    public static let maxColumns = 16_384

    public static func letters(_ index: Int) -> String {
        var n = index + 1
        var out: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(out)
    }

    /// The 0-based column of a reference like "C7"; nil when it names none.
    static func index(ofReference ref: String) -> Int? {
        var n = 0
        var seen = false
        for u in ref.utf8 {
            if u >= 65 && u <= 90 { n = n * 26 + Int(u - 64) } else if u >= 97 && u <= 122 { n = n * 26 + Int(u - 96) } else { break }
            seen = true
            if n > maxColumns { return nil }
        }
        return seen ? n - 1 : nil
    }
}
