import Foundation
import Spreadsheet
#if canImport(Glibc)
import Glibc
#endif

/// One row of an import: its 1-based line in the file (the header is line 1) and its values
/// by column name. NDJSON rows use their line number the same way.
public struct ImportRow {
    public let line: Int
    public let values: [String: String]
    /// The file's own column names, for pointing errors at the cell (nil for NDJSON).
    public var columns: ColumnMap?
    public init(line: Int, values: [String: String], columns: ColumnMap? = nil) {
        self.line = line
        self.values = values
        self.columns = columns
    }
    /// `e` pointed at the column and cell as the file names them.
    public func locate(_ e: ImportError) -> ImportError { columns?.locate(e) ?? e }
    public subscript(_ column: String) -> String? {
        guard let raw = values[column], !raw.isEmpty else { return nil }
        // Most cells have nothing to trim: a look at the first and last byte spares Foundation's
        // trimming (a sixth of the regions import's instructions). Anything else goes through it.
        let utf8 = raw.utf8
        if let first = utf8.first, let last = utf8.last, Self.plain(first), Self.plain(last) { return raw }
        let v = raw.trimmingCharacters(in: .whitespaces)
        return v.isEmpty ? nil : v
    }

    /// An ASCII byte that is not whitespace (so trimming would keep it).
    private static func plain(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }
}

/// `xlsx`: the first sheet of a workbook, its first non-blank row the header.
public enum ImportFormat { case csv, ndjson, xlsx }

/// How an import runs: `dry_run` answers what would happen and changes nothing;
/// all-or-nothing (the default) writes nothing if any row is rejected; `skip` keeps the good rows.
public struct ImportOptions {
    public var dryRun = false
    public var skipInvalid = false
    public init(dryRun: Bool = false, skipInvalid: Bool = false) {
        self.dryRun = dryRun
        self.skipInvalid = skipInvalid
    }
}

public struct ImportError: Error, Equatable {
    public let row: Int
    public let field: String?
    public let code: String
    /// What fills the words of `code` (PilarAPI's message catalogue says them).
    public let values: MessageValues
    /// The catalogue entry when not `code`'s own (see FieldError.wording).
    public let wording: String?
    /// COMPATIBILITY (issue 15, see PilarError+Legacy.swift): the words of a row error not
    /// converted to a code yet; nil for every converted one.
    public let legacyMessage: String?
    /// The column's header as the file writes it ("Tanggal Lahir") and the cell ("C7").
    public var column: String?
    public var cell: String?
    public init(row: Int, field: String?, code: String, _ values: MessageValues = [:], wording: String? = nil) {
        self.row = row
        self.field = field
        self.code = code
        self.values = values
        self.wording = wording
        self.legacyMessage = nil
    }
    /// A field rule broken on row `row`.
    public init(row: Int, _ e: FieldError) {
        self.row = row
        self.field = e.field
        self.code = e.code
        self.values = e.values
        self.wording = e.wording
        self.legacyMessage = e.legacyMessage
    }
    /// COMPATIBILITY (issue 15): a row error in words.
    public init(row: Int, field: String?, code: String, message: String) {
        self.row = row
        self.field = field
        self.code = code
        self.values = [:]
        self.wording = nil
        self.legacyMessage = message
    }
    /// The same rule as a field error (the field `row` when the row as a whole is refused),
    /// which is how PilarAPI finds its words.
    public var fieldError: FieldError {
        FieldError(field: field ?? "row", code: code, values: values, wording: wording, legacyMessage: legacyMessage)
    }
}

/// The answer to every import.
public struct ImportSummary: Equatable {
    public var dryRun = false
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
    public var errors: [ImportError] = []
    /// Whether anything was written (false for a dry run or a refused all-or-nothing import).
    public var applied = false
    public init() {}

    /// Every error found, listed or not, and how many of each code.
    public var errorsTotal = 0
    public var errorCounts: [String: Int] = [:]
    /// Whether `errors` stops before `errorsTotal`.
    public var errorsTruncated: Bool { errors.count < errorsTotal }
    /// Every problem of every rejected row by its line, uncut (the rejected-rows file's error
    /// column); a line with none is a row refused with the others of its report.
    public var rowProblems: [Int: [ImportError]] = [:]

    /// Keeps the answer small for a file full of mistakes: every error is counted (by code),
    /// the first 1,000 are listed.
    public static let maxListedErrors = 1_000
    mutating func reject(_ e: ImportError) {
        errorsTotal += 1
        // Codes are the service's own words, a handful; the bound only guards against a bug.
        if errorCounts[e.code] != nil || errorCounts.count < 100 { errorCounts[e.code, default: 0] += 1 }
        if errors.count < ImportSummary.maxListedErrors { errors.append(e) }
        if e.row > 0 { rowProblems[e.row, default: []].append(e) }
    }

    /// A row refused with the others of its report (no error of its own): it goes into the
    /// rejected-rows file all the same, or the report would come back without it.
    mutating func refuseWithOthers(_ line: Int) {
        if rowProblems[line] == nil { rowProblems[line] = [] }
    }

    /// An all-or-nothing import with rejected rows: nothing was saved.
    public var refused: Bool { !dryRun && !applied && rejected > 0 }

    /// The answer; `message` says a row error in the caller's words (PilarAPI's catalogue).
    public func json(message: (ImportError) -> String) -> JSON {
        var o = JSONObject()
        o["dry_run"] = .bool(dryRun)
        o["applied"] = .bool(applied)
        o["created"] = .int(Int64(created))
        o["updated"] = .int(Int64(updated))
        o["unchanged"] = .int(Int64(unchanged))
        o["rejected"] = .int(Int64(rejected))
        o["errors_total"] = .int(Int64(errorsTotal))
        o["errors_truncated"] = .bool(errorsTruncated)
        var counts = JSONObject()
        for (code, n) in errorCounts.sorted(by: { $0.key < $1.key }) { counts[code] = .int(Int64(n)) }
        o["error_counts"] = .object(counts)
        o["errors"] = .array(errors.map { e in
            var eo = JSONObject()
            eo["row"] = .int(Int64(e.row))
            eo["field"] = .from(e.field)
            eo["code"] = .string(e.code)
            eo["message"] = .string(message(e))
            if let column = e.column { eo["column"] = .string(column) }
            if let cell = e.cell { eo["cell"] = .string(cell) }
            return .object(eo)
        })
        return .object(o)
    }
}

/// The upload, first copied to a temporary file as it streams in (memory stays flat whatever
/// the size, and the writer is not held while a slow client uploads), then read row by row.
///
/// The file holds full NIKs, so it is created 0600 (mkstemp) and unlinked the moment it
/// exists: nothing else on the host can open it, and the kernel frees it when the descriptor
/// closes, even after a `kill -9`. `removeStale` clears files older versions left by name.
public final class ImportSpool {
    private let fd: Int32
    /// The name the file had for an instant (tests check that it is gone).
    public let path: String
    static let prefix = "pilar-import-"
    let limits: ImportLimits
    /// Line feeds in the file: an upper bound on its rows (a quoted CSV cell may hold more).
    public private(set) var lineFeeds = 0
    /// The columns the import knows, from `rows` (the rejected-rows file types its cells by them).
    var knownColumns: [String] = []
    /// The file's size in bytes.
    public private(set) var size = 0
    /// Rows read so far (an import job reports it).
    public let progress = ImportProgress()

    /// Copies everything `next` yields into a new temporary file, refusing (413,
    /// `import_too_large`) at the first byte past `limits.maxBytes`.
    public init(limits: ImportLimits = ImportLimits(), from next: () throws -> [UInt8]?) throws {
        self.limits = limits
        var template = Array((NSTemporaryDirectory() + Self.prefix + "XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw PilarError(.badRequest, code: "upload_not_stored", ["reason": .text(String(cString: strerror(errno)))])
        }
        path = String(cString: template)
        unlink(path)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
        var offset = 0
        while let chunk = try next() {
            if offset + chunk.count > limits.maxBytes { throw limits.tooManyBytes() }
            lineFeeds += Self.countLineFeeds(chunk)
            try chunk.withUnsafeBytes { buffer in
                var done = 0
                while done < buffer.count {
                    let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw PilarError(.badRequest, code: "upload_not_stored", ["reason": .text(String(cString: strerror(errno)))]) }
                    done += n
                }
            }
            offset += chunk.count
        }
        size = offset
    }

    deinit { close(fd) }

    /// A path that opens the spool although it has no name (for readers that want a path).
    var readablePath: String { "/proc/self/fd/\(fd)" }

    static func countLineFeeds(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { raw -> Int in
            guard var p = raw.baseAddress else { return 0 }
            var left = raw.count, n = 0
            while left > 0, let hit = memchr(p, 0x0A, left) {
                n += 1
                let step = p.distance(to: UnsafeRawPointer(hit)) + 1
                p += step
                left -= step
            }
            return n
        }
    }

    /// Removes import files left by name in the temporary directory (by versions that did not
    /// unlink them at once). Called when the service or the CLI starts.
    public static func removeStale() {
        let dir = NSTemporaryDirectory()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for name in names where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(atPath: (dir as NSString).appendingPathComponent(name))
        }
    }

    /// A fresh reader over the spooled bytes, 64 KiB at a time.
    public func chunks() throws -> () throws -> [UInt8]? {
        var offset: off_t = 0
        let fd = self.fd
        return {
            var piece = [UInt8](repeating: 0, count: 64 * 1024)
            var n: Int
            repeat {
                n = piece.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            } while n < 0 && errno == EINTR
            guard n > 0 else { return nil }
            offset += off_t(n)
            piece.removeSubrange(n...)
            return piece
        }
    }

    /// Rows of the spooled file with their line numbers. `required` columns must be in the
    /// header; a header column outside `known` is an error too (it is almost always a typo).
    /// A file with more than `limits.maxRows` data rows is refused (413, `import_too_many_rows`)
    /// before any row is applied; rows are only counted when the line feeds leave it open.
    public func rows(format: ImportFormat, required: [String], known: [String]) throws -> AnyIterator<Result<ImportRow, ImportError>> {
        knownColumns = known
        if lineFeeds > limits.maxRows {
            var count = 0
            for _ in try readRows(format: format, required: required, known: known) {
                count += 1
                if count > limits.maxRows { throw limits.tooManyRows(count) }
            }
        }
        return try readRows(format: format, required: required, known: known)
    }

    private func readRows(format: ImportFormat, required: [String], known: [String]) throws -> AnyIterator<Result<ImportRow, ImportError>> {
        let all = try chunks()
        var consumed = 0
        let next = { () throws -> [UInt8]? in
            let chunk = try all()
            consumed += chunk?.count ?? 0
            return chunk
        }
        let progress = self.progress
        let size = max(1, self.size)
        var read = 0
        switch format {
        case .csv, .xlsx:
            // The spool has no name (unlinked at once); the zip reader opens it through the descriptor.
            var table = format == .xlsx ? try ImportTable.xlsx(path: readablePath) : try ImportTable.csv(next)
            guard let written = try table.header() else {
                throw PilarError(.badRequest, code: "file_empty", ["required": .list(required)])
            }
            let names = written.map { ColumnNames.canonical($0, known: known) }
            let header = zip(written, names).map { $1 ?? ColumnNames.normalise($0) }
            let missing = required.filter { !header.contains($0) }
            let unknown = zip(written, names).filter { $1 == nil && !ColumnNames.isIgnored($0) }.map(\.0)
            var seen: [String: String] = [:]
            var twice: [FieldError] = []
            for (w, n) in zip(written, names) {
                guard let n else { continue }
                if let first = seen[n] {
                    twice.append(FieldError(field: n, code: "duplicate_column", ["first": .text(first), "second": .text(w)]))
                }
                seen[n] = w
            }
            if !missing.isEmpty || !unknown.isEmpty || !twice.isEmpty {
                var errs = missing.map { FieldError(field: $0, code: "missing_column", ["header": .text(ColumnNames.header($0))]) }
                errs += unknown.map { FieldError(field: $0, code: "unknown_column", ["allowed": .list(known)], wording: "unknown_column.import") }
                errs += twice
                throw PilarError(.unprocessable, code: "header_columns", ["allowed": .list(known)], errors: errs)
            }
            let map = ColumnMap(written: written, names: names)
            var broken = false
            return AnyIterator {
                if broken { return nil }
                do {
                    guard let rec = try table.next(names: names) else { progress.finish(read); return nil }
                    read += 1
                    progress.advance(read, fraction: table.fractionRead ?? Double(consumed) / Double(size))
                    if let problem = rec.problem { return .failure(map.locate(problem)) }
                    guard rec.fields.count == header.count || (format == .xlsx && rec.fields.count > header.count
                            && rec.fields[header.count...].allSatisfy({ $0.isEmpty })) else {
                        return .failure(ImportError(row: rec.line, field: nil, code: "column_count",
                                                    ["count": .int(rec.fields.count), "header": .int(header.count)]))
                    }
                    var values: [String: String] = [:]
                    // An export writes formula-like CSV cells with a leading ' (CSVWriter.neutralised).
                    for (i, name) in header.enumerated() where names[i] != nil {
                        values[name] = format == .xlsx ? rec.fields[i] : CSVWriter.unneutralised(rec.fields[i])
                    }
                    return .success(ImportRow(line: rec.line, values: values, columns: map))
                } catch let e as CSVError {
                    broken = true  // framing is lost after a broken quote: stop here
                    return .failure(ImportError(row: e.line, field: nil, code: "csv_syntax", e.values, wording: "csv_syntax." + e.reason))
                } catch let e as SpreadsheetError {
                    broken = true
                    return .failure(ImportError(row: 0, field: nil, code: "unreadable_workbook", message: SheetWords.workbookProblem(e).id))
                } catch {
                    broken = true
                    return .failure(ImportError(row: 0, field: nil, code: "read_failed", ["reason": .text("\(error)")]))
                }
            }
        case .ndjson:
            var lines = LineReader(source: next)
            return AnyIterator {
                while let (n, bytes) = lines.next() {
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                    read += 1
                    progress.advance(read, fraction: Double(consumed) / Double(size))
                    guard let value = try? JSON.parse(bytes), case .object(let o) = value else {
                        return .failure(ImportError(row: n, field: nil, code: "json_syntax", ["row": .int(n)]))
                    }
                    var values: [String: String] = [:]
                    for (k, v) in o {
                        let key = k.lowercased()
                        if !known.contains(key) {
                            return .failure(ImportError(row: n, field: key, code: "unknown_field", ["allowed": .list(known)]))
                        }
                        switch v {
                        case .string(let s): values[key] = s
                        case .int(let i): values[key] = String(i)
                        case .double(let d): values[key] = String(d)
                        case .bool(let b): values[key] = b ? "true" : "false"
                        case .null: break
                        default:
                            return .failure(ImportError(row: n, field: key, code: "wrong_type", wording: "wrong_type.import_cell"))
                        }
                    }
                    return .success(ImportRow(line: n, values: values))
                }
                progress.finish(read)
                return nil
            }
        }
    }
}

/// Splits a byte stream into LF-terminated lines, counting from 1.
struct LineReader {
    let source: () throws -> [UInt8]?
    var buffer: [UInt8] = []
    var start = 0
    var done = false
    var number = 0

    mutating func next() -> (Int, [UInt8])? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                number += 1
                return (number, line)
            }
            if done {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                number += 1
                return (number, line)
            }
            buffer.removeSubrange(..<start)
            start = 0
            if let c = (try? source()) ?? nil { buffer += c } else { done = true }
        }
    }
}
