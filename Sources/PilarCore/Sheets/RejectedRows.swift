import Foundation
import Spreadsheet
#if canImport(Glibc)
import Glibc
#endif

/// The rows an import refused, as a file to fix and send again: the same format the person
/// sent (.xlsx or CSV with its own delimiter), the same columns as they wrote them, and one
/// more column, `Kesalahan`, holding every problem of the row. Every import passes over that
/// column (ColumnNames.isIgnored), so the corrected file goes back as it is.
public struct RejectedRows {
    /// Where the file is (0600, removed by its keeper), how many rows it has, and its bytes.
    public let path: String
    public let rows: Int
    public let bytes: Int
    public let format: ImportFormat

    public static let errorHeader = "Kesalahan"
    /// A row refused with the others of its report (the backfill takes a report whole).

    /// Writes the rows `summary` names (its `rowProblems`), re-read in file order from the spool
    /// the import read, into a new file under `path`. nil when there is nothing to write or the
    /// format has no file form (NDJSON: each error already names its line).
    /// `message` says a problem in the importer's words; `refusedWithOthers` is what a row
    /// refused with the others of its report says (both from PilarAPI's catalogue).
    public static func write(from spool: ImportSpool, format: ImportFormat, summary: ImportSummary, to path: String,
                             message: (ImportError) -> String, refusedWithOthers: String) throws -> RejectedRows? {
        guard !summary.rowProblems.isEmpty, format != .ndjson else { return nil }
        var left = summary.rowProblems.mapValues { problems in
            problems.map { e in e.column.map { "\($0): \(message(e))" } ?? message(e) }
        }
        let problems = { (line: Int) -> String in
            let p = left.removeValue(forKey: line) ?? []
            return p.isEmpty ? refusedWithOthers : p.joined(separator: "; ")
        }
        var count = 0
        do {
            if format == .xlsx {
                count = try writeWorkbook(spool, path: path, problems: problems, left: { left })
            } else {
                count = try writeCSV(spool, path: path, problems: problems, left: { left })
            }
        } catch {
            unlink(path)
            throw error
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return RejectedRows(path: path, rows: count, bytes: size ?? 0, format: format)
    }

    /// Lines the second reading did not meet (a CSV whose quotes broke its framing): each gets
    /// a row with only its problems, so nothing is dropped without a word.
    static func unmet(_ left: [Int: [String]], width: Int) -> [[String]] {
        left.keys.sorted().map { line in
            Array(repeating: "", count: width) + ["baris \(line): " + (left[line] ?? []).joined(separator: "; ")]
        }
    }

    /// The columns written back: all but an error column of an earlier rejected-rows file.
    static func kept(_ header: [String]) -> [Int] {
        header.indices.filter { !ColumnNames.isIgnored(header[$0]) }
    }

    private static func writeCSV(_ spool: ImportSpool, path: String, problems: (Int) -> String,
                                 left: () -> [Int: [String]]) throws -> Int {
        // Full NIKs: readable by this service alone, and never an existing file.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PilarError(.badRequest, "cannot create the rejected-rows file") }
        let out = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let next = try spool.chunks()
        let first = try next()
        let delimiter = CSVDialect.delimiter(ofHeader: first ?? [])
        var given = false
        var table = try ImportTable.csv { if !given { given = true; return first }; return try next() }
        var buffer: [UInt8] = [0xEF, 0xBB, 0xBF]
        func flush(_ force: Bool) throws {
            if force || buffer.count > 64 * 1024 { try out.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
        }
        var count = 0
        var width = 0
        do {
            guard let header = try table.header() else { return 0 }
            let keep = kept(header)
            width = keep.count
            buffer += CSVWriter.line(keep.map { header[$0] } + [errorHeader], delimiter: delimiter)
            while !left().isEmpty, let rec = try table.next(names: []) {
                guard left()[rec.line] != nil else { continue }
                let cells = keep.map { $0 < rec.fields.count ? CSVWriter.unneutralised(rec.fields[$0]) : "" }
                buffer += CSVWriter.line(cells + [problems(rec.line)], delimiter: delimiter)
                count += 1
                try flush(false)
            }
        } catch is CSVError {
            // The rest is unreadable; its lines are written below with their problems.
        }
        for row in unmet(left(), width: width) {
            buffer += CSVWriter.line(row, delimiter: delimiter)
            count += 1
        }
        try flush(true)
        return count
    }

    private static func writeWorkbook(_ spool: ImportSpool, path: String, problems: (Int) -> String,
                                      left: () -> [Int: [String]]) throws -> Int {
        var table = try ImportTable.xlsx(path: spool.readablePath)
        guard let header = try table.header() else { return 0 }
        let names = header.map { ColumnNames.canonical($0, known: spool.knownColumns) }
        let keep = kept(header)
        let columns = keep.map { SheetTable.column(names[$0] ?? "", header: header[$0]) }
        let book = XLSXWriter()
        try book.beginSheet(name: "Baris ditolak", columns: columns + [SheetColumn(errorHeader, .note, width: 80)])
        var count = 0
        do {
            while !left().isEmpty, let rec = try table.next(names: names) {
                guard left()[rec.line] != nil else { continue }
                let cells = zip(keep, columns).map { i, column in
                    i < rec.fields.count ? SheetTable.value(rec.fields[i], column.kind) : .empty
                }
                try book.writeRow(cells + [.text(problems(rec.line))])
                count += 1
            }
        } catch is SpreadsheetError {
            // As for CSV: what cannot be read again is written below with its problems.
        }
        for row in unmet(left(), width: columns.count) {
            try book.writeRow(row.map { $0.isEmpty ? .empty : .text($0) })
            count += 1
        }
        try book.finish(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        return count
    }
}
