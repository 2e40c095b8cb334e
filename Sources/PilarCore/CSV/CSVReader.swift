import Foundation

/// Why a CSV record cannot be read: a stable `reason` and its values (PilarAPI's catalogue
/// says them as `csv_syntax.<reason>`).
public struct CSVError: Error, Equatable, CustomStringConvertible {
    public let line: Int
    public let reason: String
    public var values: MessageValues = [:]
    public var description: String { "line \(line): \(reason)" }
}

/// A streaming RFC 4180 reader: pulls bytes from `next` a piece at a time, so a 200 MB file
/// never sits in memory. Accepts LF or CRLF, strips a UTF-8 byte-order mark (spreadsheets
/// write one), and reports the 1-based line on which each record starts.
public struct CSVReader {
    private let next: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var pos = 0
    private var finished = false
    private var line = 1
    private var atStart = true
    public let maxRecordBytes: Int
    /// `,` or `;` (what Excel in the Indonesian locale saves; see CSVDialect).
    public let delimiter: UInt8

    public init(maxRecordBytes: Int = 64 * 1024, delimiter: UInt8 = UInt8(ascii: ","), next: @escaping () throws -> [UInt8]?) {
        self.next = next
        self.maxRecordBytes = maxRecordBytes
        self.delimiter = delimiter
    }

    public init(bytes: [UInt8]) {
        var given = false
        self.init { () -> [UInt8]? in
            if given { return nil }
            given = true
            return bytes
        }
    }

    private mutating func peek() throws -> UInt8? {
        while pos >= buffer.count {
            if finished { return nil }
            if let chunk = try next() {
                buffer = chunk
                pos = 0
            } else {
                finished = true
                return nil
            }
        }
        return buffer[pos]
    }

    /// The next record and the line it starts on; nil at the end of the input.
    /// Blank lines are skipped.
    public mutating func nextRecord() throws -> (line: Int, fields: [String])? {
        if atStart {
            atStart = false
            // Skip a UTF-8 BOM.
            if try peek() == 0xEF {
                var bom: [UInt8] = []
                for _ in 0..<3 { if let b = try peek() { bom.append(b); pos += 1 } }
                if bom != [0xEF, 0xBB, 0xBF] { throw CSVError(line: 1, reason: "bad_start") }
            }
        }
        while true {
            guard let first = try peek() else { return nil }
            if first == 0x0A { pos += 1; line += 1; continue }
            if first == 0x0D {
                pos += 1
                if try peek() == 0x0A { pos += 1 }
                line += 1
                continue
            }
            break
        }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var total = 0
        var quoted = false
        var fieldWasQuoted = false
        func finishField() throws {
            // Control characters other than tab (and the newlines of quoted fields) are refused:
            // they are never data, and a NUL would travel on into exports.
            if let bad = field.first(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }) {
                throw CSVError(line: startLine, reason: "control_character",
                               values: ["column": .int(fields.count + 1), "byte": .text("0x\(bad < 0x10 ? "0" : "")\(String(bad, radix: 16, uppercase: true))")])
            }
            guard let s = String(validating: field, as: UTF8.self) else {
                throw CSVError(line: startLine, reason: "not_utf8", values: ["column": .int(fields.count + 1)])
            }
            fields.append(s)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        while true {
            guard let b = try peek() else {
                if quoted { throw CSVError(line: startLine, reason: "unclosed_quote") }
                try finishField()
                return (startLine, fields)
            }
            pos += 1
            total += 1
            if total > maxRecordBytes {
                throw CSVError(line: startLine, reason: "record_too_long", values: ["max": .int(maxRecordBytes)])
            }
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if try peek() == UInt8(ascii: "\"") {
                        pos += 1
                        field.append(b)
                    } else {
                        quoted = false
                    }
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case delimiter:
                try finishField()
            case UInt8(ascii: "\""):
                if field.isEmpty && !fieldWasQuoted {
                    quoted = true
                    fieldWasQuoted = true
                } else {
                    throw CSVError(line: startLine, reason: "stray_quote", values: ["column": .int(fields.count + 1)])
                }
            case 0x0D:
                if try peek() == 0x0A { pos += 1 }
                line += 1
                try finishField()
                return (startLine, fields)
            case 0x0A:
                line += 1
                try finishField()
                return (startLine, fields)
            default:
                if fieldWasQuoted {
                    throw CSVError(line: startLine, reason: "text_after_quote", values: ["column": .int(fields.count + 1)])
                }
                field.append(b)
            }
        }
    }
}

/// Writes CSV the import takes back unchanged: quotes only where needed, CRLF-free (LF).
public enum CSVWriter {
    /// Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
    static func startsFormula(_ f: Substring.UTF8View) -> Bool {
        guard let b = f.first else { return false }
        return b == UInt8(ascii: "=") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@")
            || b == 0x09 || b == 0x0D
    }

    /// A cell a spreadsheet would run gets a leading apostrophe, so it is shown as text: a
    /// name like `=HYPERLINK(...)` typed by one office must not run in the spreadsheet of
    /// whoever opens an export. The import takes the apostrophe off again (`unneutralised`).
    public static func neutralised(_ f: String) -> String {
        startsFormula(Substring(f).utf8) ? "'" + f : f
    }

    /// The cell as it was before `neutralised`: a leading apostrophe before a formula character goes.
    public static func unneutralised(_ f: String) -> String {
        guard f.utf8.first == UInt8(ascii: "'") else { return f }
        let rest = Substring(f).dropFirst()
        return startsFormula(rest.utf8) ? String(rest) : f
    }

    public static func line(_ fields: [String], delimiter: UInt8 = UInt8(ascii: ",")) -> [UInt8] {
        var out: [UInt8] = []
        let d = Character(UnicodeScalar(delimiter))
        for (i, cell) in fields.enumerated() {
            let f = neutralised(cell)
            if i > 0 { out.append(delimiter) }
            // Quote only the fields that would otherwise be misread.
            if f.contains(where: { $0 == d || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || f.hasPrefix(" ") || f.hasSuffix(" ") {
                out.append(UInt8(ascii: "\""))
                for b in f.utf8 {
                    if b == UInt8(ascii: "\"") { out.append(b) }
                    out.append(b)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: Array(f.utf8))
            }
        }
        out.append(0x0A)
        return out
    }
}
