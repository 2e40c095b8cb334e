import Spreadsheet

/// Dates as Indonesian offices type them into a sheet. Accepted: ISO `2001-05-21`, day first
/// `21/05/2001`, `21-5-2001`, `21.05.2001`, and (from an .xlsx number cell only) Excel serials.
/// Refused with words that say how to write it: two-digit years (`21/05/01`: 1901 or 2001?),
/// month-first dates (`05/21/2001`), bare numbers in CSV text.
public enum SheetDates {
    static let howTo = Phrase(id: "tulis tanggal sebagai DD/MM/YYYY, misalnya 21/05/2001, atau YYYY-MM-DD",
                              en: "write the date as DD/MM/YYYY, for example 21/05/2001, or YYYY-MM-DD")

    public static func parse(_ raw: String) -> Result<CalendarDate, CellProblem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let iso = CalendarDate(text) { return .success(iso) }
        let bytes = Array(text.utf8)
        // An ISO date with its time (what some exports write): take the day.
        if bytes.count > 10, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
           let iso = CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)) {
            return .success(iso)
        }
        if !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return .failure(CellProblem("ambiguous_date",
                id: "\"\(text)\" adalah angka, bukan tanggal (nomor seri Excel hanya dibaca dari .xlsx); \(howTo.id)",
                en: "\"\(text)\" is a number, not a date (Excel serial numbers are read from .xlsx only); \(howTo.en)"))
        }
        let separators: Set<UInt8> = [UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: ".")]
        let parts = bytes.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        let seps = Set(bytes.filter { separators.contains($0) })
        guard parts.count == 3, seps.count == 1,
              let a = DomainText.digits(parts[0]), let b = DomainText.digits(parts[1]), let c = DomainText.digits(parts[2])
        else {
            return .failure(CellProblem("invalid_date", id: "\"\(text)\" bukan tanggal; \(howTo.id)",
                                        en: "\"\(text)\" is not a date; \(howTo.en)"))
        }
        if parts[0].count == 4 {
            // Year first with other separators: 2001/05/21.
            if let d = CalendarDate(year: a, month: b, day: c) { return .success(d) }
            return .failure(noSuchDay(text))
        }
        guard parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 else {
            if parts[2].count == 2 {
                return .failure(CellProblem("ambiguous_date",
                    id: "\"\(text)\" memakai tahun dua angka (19\(parts[2].map { String(UnicodeScalar($0)) }.joined()) atau 20…?); tulis tahun empat angka: \(howTo.id)",
                    en: "\"\(text)\" has a two-digit year; write the year with four digits: \(howTo.en)"))
            }
            return .failure(CellProblem("invalid_date", id: "\"\(text)\" bukan tanggal; \(howTo.id)",
                                        en: "\"\(text)\" is not a date; \(howTo.en)"))
        }
        if let d = CalendarDate(year: c, month: b, day: a) { return .success(d) }
        if b > 12, a <= 12 {
            // 05/21/2001: a month-first date (an English-locale sheet).
            return .failure(CellProblem("ambiguous_date",
                id: "\"\(text)\" tampak ditulis bulan lebih dulu (format Amerika); tanggal dibaca hari dulu: \(howTo.id)",
                en: "\"\(text)\" looks month-first (US format); dates are read day first: \(howTo.en)"))
        }
        return .failure(noSuchDay(text))
    }

    static func noSuchDay(_ text: String) -> CellProblem {
        CellProblem("invalid_date", id: "tanggal \"\(text)\" tidak ada di kalender; \(howTo.id)",
                    en: "\"\(text)\" is no day on the calendar; \(howTo.en)")
    }

    /// A date from an .xlsx cell: a date cell as it is, a number cell as an Excel serial
    /// (a date column formatted General shows the serial), text as typed.
    public static func date(serial: Double) -> Result<CalendarDate, CellProblem> {
        guard let d = SheetDate(serial: serial), let day = CalendarDate(year: d.year, month: d.month, day: d.day) else {
            return .failure(CellProblem("invalid_date",
                id: "angka \(Cell.format(serial)) bukan tanggal Excel; \(howTo.id)", en: "\(Cell.format(serial)) is not an Excel date; \(howTo.en)"))
        }
        return .success(day)
    }
}
