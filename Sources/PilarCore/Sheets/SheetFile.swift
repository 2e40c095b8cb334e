import Foundation
import Spreadsheet

public typealias SheetColumn = XLSXWriter.Column

/// An .xlsx answer: built into a temporary file row by row (a ZIP's directory comes last, so
/// the whole file exists before the first byte goes out), then streamed and removed.
public final class SheetFile {
    public let path: String

    /// `build` writes the sheets.
    public init(_ build: (XLSXWriter) throws -> Void) throws {
        path = NSTemporaryDirectory() + "pilar-out-\(UUID().uuidString).xlsx"
        let writer = XLSXWriter()
        do {
            try build(writer)
            try writer.finish(to: URL(fileURLWithPath: path))
            chmod(path, 0o600)  // personal data
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A table with columns typed by name (SheetTable.column).
    public convenience init(sheet: String, columns: [String], headers: [String]? = nil, explanations: [(String, String)] = [],
                            rows: (([String]) throws -> Void) throws -> Void) throws {
        try self.init { w in
            let typed = zip(columns, headers ?? columns).map { SheetTable.column($0, header: $1) }
            try w.beginSheet(name: sheet, columns: typed)
            try rows { cells in try w.writeRow(zip(cells, typed).map { SheetTable.value($0, $1.kind) }) }
            if !explanations.isEmpty {
                try w.beginSheet(name: "Keterangan", columns: [SheetColumn("kolom", .text, width: 28), SheetColumn("keterangan", .note, width: 100)])
                for (c, text) in explanations { try w.writeRow([.text(c), .text(text)]) }
            }
        }
    }

    /// The file in pieces of 64 KiB.
    public func stream(_ sink: ([UInt8]) throws -> Void) throws {
        let h = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? h.close() }
        while let d = try h.read(upToCount: 64 * 1024), !d.isEmpty { try sink([UInt8](d)) }
    }
}

/// How Pilar's columns are typed in a workbook: codes and numbers people must not see
/// reformatted (NIK, phone, region codes) are text; dates are date cells; counts are numbers.
public enum SheetTable {
    static let textColumns: Set<String> = SheetWords.textColumns.union([
        "region", "code", "parent_code", "kecamatan", "desa", "assigned_kecamatan", "period", "type", "category",
    ])

    public static func column(_ name: String, header: String? = nil) -> SheetColumn {
        let kind: XLSXWriter.Kind = textColumns.contains(name) ? .text : SheetWords.isDateColumn(name) ? .date : .number
        return SheetColumn(header ?? name, kind, width: min(40, max(12, (header ?? name).count + 2)))
    }

    /// A cell's value: a date column's ISO date as a date, a number column's number as a number,
    /// anything else (and anything that does not parse) as the text it is.
    static func value(_ text: String, _ kind: XLSXWriter.Kind) -> XLSXWriter.Value {
        if text.isEmpty { return .empty }
        switch kind {
        case .date:
            if let d = CalendarDate(text) { return .date(SheetDate(year: d.year, month: d.month, day: d.day)) }
        case .number:
            // Plain decimals only: "007" or "1e5" stay text as written.
            let digits = text.utf8.drop { $0 == UInt8(ascii: "-") }
            if let first = digits.first, first != UInt8(ascii: "0") || digits.count == 1 || text.contains("."),
               text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }),
               let d = Double(text) {
                return .number(d)
            }
        default: break
        }
        return .text(text)
    }
}
