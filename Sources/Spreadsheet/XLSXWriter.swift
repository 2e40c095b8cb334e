import Foundation
import ZIPFoundation

/// Writes an .xlsx workbook a row at a time: each sheet's XML goes to a temporary file as rows
/// arrive (memory stays flat however many rows), and `finish` packs the parts into the ZIP.
///
/// What a person relies on: text columns (NIK, phone) are text cells in a text-formatted
/// column, so Excel never shows 3.27E+15 or drops a leading zero; dates are date cells shown
/// DD/MM/YYYY; the header row is bold and frozen. Only the parts every reader needs are written
/// ([Content_Types].xml, _rels/.rels, xl/workbook.xml, xl/_rels/workbook.xml.rels,
/// xl/styles.xml, xl/worksheets/sheetN.xml), so Excel and LibreOffice open it without repair.
public final class XLSXWriter {
    /// `note` is text wrapped in its cell (the explanations sheet).
    public enum Kind: Sendable { case text, number, date, bool, note }

    public struct Column: Sendable {
        public let header: String
        public let kind: Kind
        /// Width in characters.
        public let width: Int
        public init(_ header: String, _ kind: Kind = .text, width: Int? = nil) {
            self.header = header
            self.kind = kind
            self.width = width ?? min(60, max(10, header.count + 2))
        }
    }

    /// A value to write. Text goes into an inline string, so no shared table is built in memory.
    public enum Value: Sendable {
        case empty
        case text(String)
        case number(Double)
        case date(SheetDate)
        case bool(Bool)
    }

    /// Style indexes of styles.xml below.
    enum Style: Int { case plain = 0, header = 1, text = 2, date = 3, wrap = 4 }

    private var sheets: [(name: String, file: TempFile)] = []
    private var out: FileHandle?
    private var pending: [UInt8] = []
    private var columns: [Column] = []
    private var rowCount = 0
    private var finished = false
    /// Excel's own limits.
    public static let maxRows = 1_048_576
    public static let maxCellText = 32_767

    public init() {}

    deinit { try? out?.close() }

    /// Starts a sheet with a bold, frozen header row of `columns`.
    public func beginSheet(name: String, columns: [Column]) throws {
        try endSheet()
        let file = try TempFile(prefix: "pilar-xlsx")
        sheets.append((XLSXWriter.sheetName(name, taken: sheets.map(\.name)), file))
        out = try FileHandle(forWritingTo: file.url)
        self.columns = columns
        rowCount = 0
        var head = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
        """
        head += "<sheetViews><sheetView workbookViewId=\"0\"\(sheets.count == 1 ? " tabSelected=\"1\"" : "")>"
        head += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        head += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
        head += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if !columns.isEmpty {
            head += "<cols>"
            for (i, c) in columns.enumerated() {
                let style: Style = c.kind == .text ? .text : c.kind == .date ? .date : c.kind == .note ? .wrap : .plain
                head += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(c.width)\" style=\"\(style.rawValue)\" customWidth=\"1\"/>"
            }
            head += "</cols>"
        }
        head += "<sheetData>"
        pending.append(contentsOf: Array(head.utf8))
        try writeRow(columns.map { .text($0.header) }, header: true)
    }

    /// One row; values line up with the sheet's columns (a text column takes text whatever the
    /// value looks like).
    public func writeRow(_ values: [Value]) throws {
        try writeRow(values, header: false)
    }

    private func writeRow(_ values: [Value], header: Bool) throws {
        guard out != nil else { throw SpreadsheetError.noSuchSheet(sheets.count) }
        guard rowCount < XLSXWriter.maxRows else { throw SpreadsheetError.tooManyRows(limit: XLSXWriter.maxRows) }
        rowCount += 1
        let r = String(rowCount)
        append("<row r=\""); append(r); append("\">")
        for (i, v) in values.enumerated() {
            let ref = ColumnName.letters(i) + r
            let kind = i < columns.count ? columns[i].kind : .text
            switch v {
            case .empty:
                continue
            case .text(let s):
                let style: Style = header ? .header : kind == .text ? .text : kind == .note ? .wrap : .plain
                append("<c r=\""); append(ref); append("\" s=\"\(style.rawValue)\" t=\"inlineStr\"><is><t")
                if s.first?.isWhitespace == true || s.last?.isWhitespace == true { append(" xml:space=\"preserve\"") }
                append(">")
                appendEscaped(s)
                append("</t></is></c>")
            case .number(let d):
                guard d.isFinite else { continue }
                append("<c r=\""); append(ref); append("\"><v>"); append(Cell.format(d)); append("</v></c>")
            case .date(let date):
                if let serial = date.serial {
                    append("<c r=\""); append(ref); append("\" s=\"\(Style.date.rawValue)\"><v>"); append(Cell.format(serial)); append("</v></c>")
                } else {
                    // Before March 1900 Excel has no date for it: written as text.
                    append("<c r=\""); append(ref); append("\" t=\"inlineStr\"><is><t>"); append(date.description); append("</t></is></c>")
                }
            case .bool(let b):
                append("<c r=\""); append(ref); append("\" t=\"b\"><v>"); append(b ? "1" : "0"); append("</v></c>")
            }
        }
        append("</row>")
        if pending.count >= 64 * 1024 { try flush() }
    }

    private func append(_ s: String) { pending.append(contentsOf: s.utf8) }

    /// XML-escapes text and drops what XML 1.0 cannot carry (control characters), cutting at
    /// Excel's cell limit.
    private func appendEscaped(_ s: String) {
        var count = 0
        for u in s.unicodeScalars {
            count += 1
            if count > XLSXWriter.maxCellText { break }
            switch u {
            case "&": append("&amp;")
            case "<": append("&lt;")
            case ">": append("&gt;")
            case "\"": append("&quot;")
            case "\t", "\n", "\r": pending.append(contentsOf: Array(String(u).utf8))
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                pending.append(contentsOf: Array(String(u).utf8))
            }
        }
    }

    private func flush() throws {
        try out?.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    private func endSheet() throws {
        guard let h = out else { return }
        append("</sheetData></worksheet>")
        try flush()
        try h.close()
        out = nil
    }

    /// Packs the workbook into a new file at `url` (which must not exist).
    public func finish(to url: URL) throws {
        guard !finished else { return }
        try endSheet()
        finished = true
        if sheets.isEmpty { try beginSheet(name: "Sheet1", columns: []); try endSheet() }
        let archive = try Archive(url: url, accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, size in
                data.subdata(in: Int(pos)..<min(data.count, Int(pos) + size))
            }
        }
        try add("[Content_Types].xml", XLSXParts.contentTypes(sheets: sheets.count))
        try add("_rels/.rels", XLSXParts.rootRels)
        try add("xl/workbook.xml", XLSXParts.workbook(names: sheets.map(\.name)))
        try add("xl/_rels/workbook.xml.rels", XLSXParts.workbookRels(sheets: sheets.count))
        try add("xl/styles.xml", XLSXParts.styles)
        for (i, s) in sheets.enumerated() {
            try archive.addEntry(with: "xl/worksheets/sheet\(i + 1).xml", fileURL: s.file.url,
                                 compressionMethod: .deflate, bufferSize: 64 * 1024)
        }
        sheets.removeAll()
    }

    /// A name Excel accepts: at most 31 characters, none of []:*?/\ , unique in the workbook.
    static func sheetName(_ wanted: String, taken: [String]) -> String {
        var name = String(wanted.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        if name.isEmpty { name = "Sheet" }
        var candidate = name
        var n = 2
        while taken.contains(where: { $0.lowercased() == candidate.lowercased() }) {
            candidate = String(name.prefix(28)) + " \(n)"
            n += 1
        }
        return candidate
    }
}

/// The fixed parts of a workbook.
enum XLSXParts {
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    static func contentTypes(sheets: Int) -> String {
        var s = header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        s += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        s += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        s += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        s += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        for i in 1...max(1, sheets) {
            s += "<Override PartName=\"/xl/worksheets/sheet\(i).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return s + "</Types>"
    }

    static let rootRels = header + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
    </Relationships>
    """

    static func workbook(names: [String]) -> String {
        var s = header + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        s += "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        s += "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (i, n) in names.enumerated() {
            let escaped = n.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            s += "<sheet name=\"\(escaped)\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }
        return s + "</sheets></workbook>"
    }

    static func workbookRels(sheets: Int) -> String {
        var s = header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for i in 1...max(1, sheets) {
            s += "<Relationship Id=\"rId\(i)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i).xml\"/>"
        }
        s += "<Relationship Id=\"rId\(max(1, sheets) + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return s + "</Relationships>"
    }

    /// Five cell styles, in XLSXWriter.Style order: plain, bold header (text), text "@",
    /// date DD/MM/YYYY, wrapped text. Excel requires the two default fills.
    static let styles = header + """
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>\
    <fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
    <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="5">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>\
    <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>\
    </cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """
}
