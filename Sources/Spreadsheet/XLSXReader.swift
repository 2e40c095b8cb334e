import Foundation
import ZIPFoundation

/// Reads an .xlsx workbook row by row. The sheet's XML is inflated to a temporary file as it
/// streams out of the ZIP (never whole in memory) and then scanned a chunk at a time; only the
/// shared strings table is held, in one compact byte buffer, because any row may point into it.
public final class XLSXReader {
    public struct Limits: Sendable {
        /// The inflated size of one sheet's XML (a zip bomb stops here).
        public var sheetBytes: Int64 = 4 << 30
        /// The inflated size of the shared strings table, which is held in memory.
        public var sharedStringBytes: Int64 = 256 << 20
        /// Workbook, relationships and styles, read whole.
        public var smallPartBytes: Int = 16 << 20
        public init() {}
    }

    public let sheetNames: [String]
    private let archive: Archive
    private let sheetPaths: [String]
    private let limits: Limits
    private let date1904: Bool
    private let dateStyles: [Bool]
    private let strings: SharedStrings

    public convenience init(path: String, limits: Limits = Limits()) throws {
        try self.init(url: URL(fileURLWithPath: path), limits: limits)
    }

    public init(url: URL, limits: Limits = Limits()) throws {
        self.limits = limits
        try XLSXReader.checkMagic(url)
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read, pathEncoding: nil) } catch { throw SpreadsheetError.notAWorkbook }
        self.archive = archive
        if archive["xl/workbook.xml"] == nil {
            if let m = archive["mimetype"], let kind = try? XLSXReader.read(archive, m, max: 200),
               String(decoding: kind, as: UTF8.self).contains("opendocument") {
                throw SpreadsheetError.openDocument
            }
        }
        let workbook = try XLSXReader.part(archive, "xl/workbook.xml", max: limits.smallPartBytes)
        let rels = try XLSXReader.relationships(archive, "xl/_rels/workbook.xml.rels", max: limits.smallPartBytes)
        var names: [String] = []
        var paths: [String] = []
        var is1904 = false
        var scanner = XMLScanner(part: "xl/workbook.xml", bytes: workbook)
        while let e = try scanner.next() {
            guard case .start(let name, let attrs, _) = e else { continue }
            if name.is("workbookPr") {
                let v = attrs.first { $0.name.is("date1904") }?.value
                is1904 = v == "1" || v == "true"
            } else if name.is("sheet") {
                guard let id = attrs.first(where: { $0.name.is("id") })?.value, let target = rels[id] else {
                    throw SpreadsheetError.malformedXML(part: "xl/workbook.xml", detail: "a sheet without a relationship")
                }
                names.append(attrs.first { $0.name.is("name") }?.value ?? "Sheet\(names.count + 1)")
                paths.append(target)
            }
        }
        sheetNames = names
        sheetPaths = paths
        date1904 = is1904
        if archive["xl/styles.xml"] != nil {
            dateStyles = try XLSXReader.dateStyles(XLSXReader.part(archive, "xl/styles.xml", max: limits.smallPartBytes))
        } else {
            dateStyles = []
        }
        let sstPath = rels.values.first { $0.hasSuffix("sharedStrings.xml") } ?? "xl/sharedStrings.xml"
        if let entry = archive[sstPath] {
            strings = try SharedStrings(archive: archive, entry: entry, path: sstPath, limit: limits.sharedStringBytes)
        } else {
            strings = SharedStrings()
        }
    }

    /// The rows of a sheet (the first by default), read lazily.
    public func rows(sheet index: Int = 0) throws -> SheetRows {
        guard sheetPaths.indices.contains(index), let entry = archive[sheetPaths[index]] else {
            throw SpreadsheetError.noSuchSheet(index)
        }
        let temp = try TempFile(prefix: "pilar-sheet")
        let out = try FileHandle(forWritingTo: temp.url)
        var written: Int64 = 0
        let limit = limits.sheetBytes
        do {
            defer { try? out.close() }
            _ = try archive.extract(entry, bufferSize: 64 * 1024) { data in
                written += Int64(data.count)
                if written > limit { throw SpreadsheetError.tooLarge(part: entry.path, limit: Int(limit)) }
                try out.write(contentsOf: data)
            }
        } catch let e as SpreadsheetError {
            throw e
        } catch {
            throw SpreadsheetError.malformedXML(part: entry.path, detail: "cannot be inflated (\(error))")
        }
        return try SheetRows(file: temp, part: entry.path, strings: strings, dateStyles: dateStyles, date1904: date1904)
    }

    // MARK: Parts

    /// ZIP files start "PK"; OLE compound files (.xls, encrypted .xlsx) start D0 CF 11 E0.
    static func checkMagic(_ url: URL) throws {
        guard let h = try? FileHandle(forReadingFrom: url) else { throw SpreadsheetError.notAWorkbook }
        defer { try? h.close() }
        let head = [UInt8]((try? h.read(upToCount: 4)) ?? Data())
        if head == [0xD0, 0xCF, 0x11, 0xE0] { throw SpreadsheetError.legacyOrEncrypted }
        guard head == [0x50, 0x4B, 0x03, 0x04] else { throw SpreadsheetError.notAWorkbook }
    }

    static func read(_ archive: Archive, _ entry: Entry, max: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        do {
            _ = try archive.extract(entry) { data in
                if out.count + data.count > max { throw SpreadsheetError.tooLarge(part: entry.path, limit: max) }
                out.append(contentsOf: data)
            }
        } catch let e as SpreadsheetError {
            throw e
        } catch {
            throw SpreadsheetError.malformedXML(part: entry.path, detail: "cannot be inflated (\(error))")
        }
        return out
    }

    static func part(_ archive: Archive, _ path: String, max: Int) throws -> [UInt8] {
        guard let entry = archive[path] else { throw SpreadsheetError.missingPart(path) }
        return try read(archive, entry, max: max)
    }

    /// Relationship id -> part path inside the archive ("worksheets/sheet1.xml" is relative
    /// to xl/; "/xl/worksheets/sheet1.xml" is absolute).
    static func relationships(_ archive: Archive, _ path: String, max: Int) throws -> [String: String] {
        var scanner = XMLScanner(part: path, bytes: try part(archive, path, max: max))
        var out: [String: String] = [:]
        while let e = try scanner.next() {
            guard case .start(let name, let attrs, _) = e, name.is("Relationship"),
                  let id = attrs.first(where: { $0.name.is("Id") })?.value,
                  let target = attrs.first(where: { $0.name.is("Target") })?.value else { continue }
            out[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        return out
    }

    /// For each cell style (the `s` of a cell), whether its number format shows a date.
    static func dateStyles(_ styles: [UInt8]) throws -> [Bool] {
        var custom: [Int: Bool] = [:]
        var out: [Bool] = []
        var inCellXfs = false
        var scanner = XMLScanner(part: "xl/styles.xml", bytes: styles)
        while let e = try scanner.next() {
            switch e {
            case .start(let name, let attrs, let selfClosing):
                if name.is("numFmt"), let id = attrs.first(where: { $0.name.is("numFmtId") }).flatMap({ Int($0.value) }) {
                    custom[id] = isDateFormat(attrs.first { $0.name.is("formatCode") }?.value ?? "")
                } else if name.is("cellXfs") && !selfClosing {
                    inCellXfs = true
                } else if name.is("xf") && inCellXfs {
                    let id = attrs.first { $0.name.is("numFmtId") }.flatMap { Int($0.value) } ?? 0
                    out.append(custom[id] ?? builtInDate(id))
                }
            case .end(let name):
                if name.is("cellXfs") { inCellXfs = false }
            case .text:
                break
            }
        }
        return out
    }

    static func builtInDate(_ id: Int) -> Bool {
        (14...17).contains(id) || id == 22 || (27...36).contains(id) || (50...58).contains(id)
    }

    /// A format shows a date when, outside quoted text, escapes and [colour] brackets, it has a
    /// day or year part ("dd/mm/yyyy", "d-mmm-yy"); "h:mm" alone is a time, "0.00" a number.
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        var escaped = false
        for ch in code.lowercased() {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket { if ch == "]" { inBracket = false }; continue }
            switch ch {
            case "\\", "_", "*": escaped = true
            case "\"": inQuote = true
            case "[": inBracket = true
            case "d", "y": return true
            default: break
            }
        }
        return false
    }
}

/// A temporary file removed when the last owner lets go.
final class TempFile {
    let url: URL
    init(prefix: String) throws {
        url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(prefix)-\(UUID().uuidString).tmp")
        // 0600: the file holds personal data from the upload.
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func chunks(size: Int = 64 * 1024) throws -> () throws -> [UInt8]? {
        let h = try FileHandle(forReadingFrom: url)
        return {
            guard let d = try h.read(upToCount: size), !d.isEmpty else { try? h.close(); return nil }
            return [UInt8](d)
        }
    }
}

/// The shared strings table in one byte buffer with an offset per string (a [String] of a
/// million names costs several times more).
struct SharedStrings {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    init() {}

    init(archive: Archive, entry: Entry, path: String, limit: Int64) throws {
        let temp = try TempFile(prefix: "pilar-sst")
        let out = try FileHandle(forWritingTo: temp.url)
        var written: Int64 = 0
        do {
            defer { try? out.close() }
            _ = try archive.extract(entry, bufferSize: 64 * 1024) { data in
                written += Int64(data.count)
                if written > limit { throw SpreadsheetError.tooLarge(part: path, limit: Int(limit)) }
                try out.write(contentsOf: data)
            }
        } catch let e as SpreadsheetError {
            throw e
        } catch {
            throw SpreadsheetError.malformedXML(part: path, detail: "cannot be inflated (\(error))")
        }
        var scanner = XMLScanner(part: path, source: try temp.chunks())
        var inT = false
        var phonetic = 0
        var current: [UInt8] = []
        while let e = try scanner.next() {
            switch e {
            case .start(let name, _, let selfClosing):
                if name.is("si") { current.removeAll(keepingCapacity: true) }
                if name.is("rPh") && !selfClosing { phonetic += 1 }
                if name.is("t") && !selfClosing && phonetic == 0 { inT = true }
                if name.is("si") && selfClosing { ends.append(bytes.count) }
            case .end(let name):
                if name.is("t") { inT = false }
                if name.is("rPh") { phonetic -= 1 }
                if name.is("si") {
                    bytes.append(contentsOf: Array(XMLScanner.decode(current).utf8))
                    ends.append(bytes.count)
                }
            case .text(let t):
                if inT { current.append(contentsOf: t) }
            }
        }
    }

    subscript(_ i: Int) -> String? {
        guard i >= 0, i < ends.count else { return nil }
        let start = i == 0 ? 0 : ends[i - 1]
        return String(decoding: bytes[start..<ends[i]], as: UTF8.self)
    }
}

/// The rows of one sheet, one at a time. Holds the inflated sheet in a temporary file that is
/// removed with it.
public final class SheetRows {
    private var scanner: XMLScanner
    private let file: TempFile
    private let strings: SharedStrings
    private let dateStyles: [Bool]
    private let date1904: Bool
    private var lastRow = 0
    public static let maxRows = 1_048_576
    /// Bytes of the inflated sheet read so far, and its size: how far through the sheet a
    /// reader is (an import job's progress), without counting the rows first.
    private let consumed = Counter()
    private let size: Int

    final class Counter { var n = 0 }

    /// From 0 to 1: the share of the sheet read.
    public var fractionRead: Double { size > 0 ? min(1, Double(consumed.n) / Double(size)) : 1 }

    init(file: TempFile, part: String, strings: SharedStrings, dateStyles: [Bool], date1904: Bool) throws {
        self.file = file
        size = ((try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size]) as? Int) ?? 0
        let source = try file.chunks()
        let counter = consumed
        self.scanner = XMLScanner(part: part, source: {
            let chunk = try source()
            counter.n += chunk?.count ?? 0
            return chunk
        })
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
    }

    /// The next row that has a `<row>` element (blank rows that a sheet leaves out are skipped,
    /// and the numbers keep the gap); nil after the last.
    public func next() throws -> SheetRow? {
        var cells: [Cell] = []
        var number = 0
        var inRow = false
        // The cell being read.
        var column = -1
        var type: [UInt8] = []
        var style = 0
        var capturing = false
        var phonetic = 0
        var raw: [UInt8] = []
        var hasValue = false
        while let e = try scanner.next() {
            switch e {
            case .start(let name, let attrs, let selfClosing):
                if name.is("row") {
                    let r = attrs.first { $0.name.is("r") }.flatMap { Int($0.value) } ?? (lastRow + 1)
                    guard r > lastRow, r <= SheetRows.maxRows else {
                        throw SpreadsheetError.malformedXML(part: "sheet", detail: "row \(r) out of order")
                    }
                    number = r
                    lastRow = r
                    if selfClosing { return SheetRow(number: r, cells: []) }
                    inRow = true
                    cells.removeAll()
                } else if name.is("c") && inRow {
                    column = attrs.first { $0.name.is("r") }.flatMap { ColumnName.index(ofReference: $0.value) } ?? cells.count
                    guard column < ColumnName.maxColumns, column >= cells.count else {
                        throw SpreadsheetError.malformedXML(part: "sheet", detail: "cell out of order in row \(number)")
                    }
                    type = attrs.first { $0.name.is("t") }.map { Array($0.value.utf8) } ?? []
                    style = attrs.first { $0.name.is("s") }.flatMap { Int($0.value) } ?? 0
                    raw.removeAll(keepingCapacity: true)
                    hasValue = false
                    if selfClosing { column = -1 }
                } else if (name.is("v") || name.is("t")) && column >= 0 && !selfClosing && phonetic == 0 {
                    capturing = true
                    hasValue = true
                } else if name.is("rPh") && !selfClosing {
                    phonetic += 1
                }
            case .end(let name):
                if name.is("v") || name.is("t") {
                    capturing = false
                } else if name.is("rPh") {
                    phonetic -= 1
                } else if name.is("c") && column >= 0 {
                    let cell = hasValue ? makeCell(type: type, style: style, raw: raw) : .empty
                    if cell != .empty {
                        while cells.count < column { cells.append(.empty) }
                        cells.append(cell)
                    }
                    column = -1
                } else if name.is("row") && inRow {
                    return SheetRow(number: number, cells: cells)
                }
            case .text(let t):
                if capturing { raw.append(contentsOf: t) }
            }
        }
        return nil
    }

    private func makeCell(type: [UInt8], style: Int, raw: [UInt8]) -> Cell {
        let value = XMLScanner.decode(raw)
        if type.is("s") {
            guard let i = Int(value), let s = strings[i] else { return .error("#SST!") }
            return s.isEmpty ? .empty : .text(s)
        }
        if type.is("inlineStr") || type.is("str") { return value.isEmpty ? .empty : .text(value) }
        if type.is("b") { return .bool(value == "1" || value == "true") }
        if type.is("e") { return .error(value) }
        if type.is("d") {
            // ISO 8601 in the cell (LibreOffice and some writers use it).
            let p = value.prefix(10).split(separator: "-").compactMap { Int($0) }
            if p.count == 3 { return .date(SheetDate(year: p[0], month: p[1], day: p[2])) }
            return value.isEmpty ? .empty : .text(value)
        }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .empty }
        guard let d = Double(trimmed) else { return .text(trimmed) }
        if style < dateStyles.count, dateStyles[style], let date = SheetDate(serial: d, date1904: date1904) {
            return .date(date)
        }
        return .number(d)
    }
}
