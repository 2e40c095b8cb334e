import Foundation
import Spreadsheet

/// The columns of an import file as the file names them: for each column, the header as
/// written and the Pilar column it means. Errors found later by field name are pointed back to
/// the sheet's own column ("Tanggal Lahir", cell C7), so a person finds the cell to fix.
public final class ColumnMap {
    public let written: [String]
    public let names: [String?]

    init(written: [String], names: [String?]) {
        self.written = written
        self.names = names
    }

    /// The error with the column as the sheet names it and the cell reference, when its field
    /// is one of the file's columns.
    public func locate(_ e: ImportError) -> ImportError {
        guard e.column == nil, let field = e.field, let i = names.firstIndex(of: field) else { return e }
        var out = e
        out.column = written[i]
        if e.row > 0 { out.cell = ColumnName.letters(i) + String(e.row) }
        return out
    }
}

/// Rows of a CSV or .xlsx import as text cells with their line (CSV) or row number (sheet).
/// The habits of CSV files from Indonesian offices are handled here, once, for every import:
/// `;` or `,` (from the header), a BOM or none, a clear answer for a file that is not UTF-8.
enum ImportTable {
    case csv(CSVReader)
    case xlsx(SheetRows, XLSXReader)

    static func csv(_ next: @escaping () throws -> [UInt8]?) throws -> ImportTable {
        // Look at the head once (encoding, delimiter), then give it back to the reader.
        var head: [UInt8] = []
        var ended = false  // the source is not asked again once it said it is done
        while head.count < 64 * 1024 {
            guard let chunk = try next() else { ended = true; break }
            head += chunk
        }
        if let problem = CSVDialect.encodingProblem(head) {
            throw PilarError(.unprocessable, problem.message.id, errors: [FieldError(field: "file", code: problem.code, message: problem.message.id)])
        }
        let delimiter = CSVDialect.delimiter(ofHeader: head)
        var given = false
        return .csv(CSVReader(delimiter: delimiter) {
            if !given { given = true; return head }
            return ended ? nil : try next()
        })
    }

    static func xlsx(path: String) throws -> ImportTable {
        do {
            let reader = try XLSXReader(path: path)
            return .xlsx(try reader.rows(sheet: 0), reader)
        } catch let e as SpreadsheetError {
            throw PilarError(.unprocessable, SheetWords.workbookProblem(e).id,
                             errors: [FieldError(field: "file", code: "unreadable_workbook", message: SheetWords.workbookProblem(e).id)])
        }
    }

    /// The share of a workbook's sheet read so far (nil for CSV: its reader counts bytes itself).
    var fractionRead: Double? {
        if case .xlsx(let rows, _) = self { return rows.fractionRead }
        return nil
    }

    /// The header row: the first row that is not blank.
    mutating func header() throws -> [String]? {
        switch self {
        case .csv(var reader):
            defer { self = .csv(reader) }
            do { return try reader.nextRecord()?.fields } catch let e as CSVError {
                throw PilarError(.badRequest, code: "csv_syntax", errors: [FieldError(field: "header", code: "csv_syntax", e.values, wording: "csv_syntax." + e.reason)])
            }
        case .xlsx(let rows, _):
            do {
                while let r = try rows.next() {
                    if !r.isBlank { return r.cells.map(\.text) }
                }
                return nil
            } catch let e as SpreadsheetError {
                throw PilarError(.unprocessable, SheetWords.workbookProblem(e).id)
            }
        }
    }

    /// The next data row as text cells lined up with `names`, or the problem of one of its cells.
    mutating func next(names: [String?]) throws -> (line: Int, fields: [String], problem: ImportError?)? {
        switch self {
        case .csv(var reader):
            defer { self = .csv(reader) }
            guard let rec = try reader.nextRecord() else { return nil }
            return (rec.line, rec.fields, nil)
        case .xlsx(let rows, _):
            while let r = try rows.next() {
                if r.isBlank { continue }
                var fields: [String] = []
                var problem: ImportError?
                for (i, cell) in r.cells.enumerated() {
                    let name = i < names.count ? names[i] : nil
                    switch SheetWords.text(of: cell, column: name) {
                    case .success(let t): fields.append(t)
                    case .failure(let p):
                        fields.append(cell.text)
                        if problem == nil { problem = ImportError(row: r.number, field: name, code: p.code, message: p.message.id) }
                    }
                }
                // Trailing empty cells are not written by spreadsheets: pad to the header.
                while fields.count < names.count { fields.append("") }
                return (r.number, fields, problem)
            }
            return nil
        }
    }
}

/// How a workbook's typed cells become the text an import reads, and the words for a workbook
/// that cannot be read.
enum SheetWords {
    static let textColumns: Set<String> = ["nik", "phone", "registration_number", "certificate_number", "sk_number", "psks_id"]

    static func isDateColumn(_ name: String) -> Bool { name.hasSuffix("_date") || name.hasSuffix("_on") }

    static func text(of cell: Cell, column: String?) -> Result<String, CellProblem> {
        switch cell {
        case .number(let d):
            if column == "nik" {
                // Excel keeps 15 significant digits: a NIK typed into a number cell has already
                // lost its last digit(s), and nothing can bring them back.
                return .failure(CellProblem("nik_as_number",
                    id: "NIK \(Cell.format(d)) tersimpan sebagai angka, dan Excel hanya menyimpan 15 digit: angka terakhirnya hilang; format kolom NIK sebagai Teks lalu ketik ulang NIK-nya (atau awali dengan ')",
                    en: "NIK \(Cell.format(d)) is stored as a number and Excel keeps only 15 digits: its last digits are lost; format the NIK column as Text and type the NIK again (or start it with ')"))
            }
            if let column, isDateColumn(column) {
                return SheetDates.date(serial: d).map(\.description)
            }
            return .success(Cell.format(d))
        case .date(let d):
            return .success(d.description)
        case .error(let e):
            return .failure(CellProblem("cell_error", id: "sel berisi kesalahan rumus \(e); perbaiki rumusnya atau tulis nilainya",
                                        en: "the cell holds the formula error \(e); fix the formula or type the value"))
        default:
            return .success(cell.text)
        }
    }

    static func workbookProblem(_ e: SpreadsheetError) -> Phrase {
        switch e {
        case .legacyOrEncrypted:
            return Phrase(id: "file ini .xls lama atau .xlsx yang dilindungi kata sandi; buka di Excel atau LibreOffice, hapus kata sandinya, lalu simpan sebagai .xlsx",
                          en: "the file is an old .xls or a password-protected .xlsx; open it, remove the password and save it as .xlsx")
        case .openDocument:
            return Phrase(id: "file ini .ods (OpenDocument); simpan sebagai .xlsx (Excel 2007-365) atau CSV",
                          en: "the file is .ods (OpenDocument); save it as .xlsx (Excel 2007-365) or CSV")
        case .notAWorkbook:
            return Phrase(id: "file ini bukan buku kerja .xlsx; kirim .xlsx dengan Content-Type xlsx, atau CSV dengan Content-Type: text/csv",
                          en: "the file is not an .xlsx workbook; send .xlsx with the xlsx Content-Type, or CSV as text/csv")
        case .tooLarge(let part, let limit):
            return Phrase(id: "bagian \(part) dari buku kerja lebih besar dari \(limit) byte setelah dibuka; bagi file menjadi beberapa bagian",
                          en: "\(part) inflates to more than \(limit) bytes; split the file")
        default:
            return Phrase(id: "buku kerja tidak dapat dibaca (\(e)); simpan ulang sebagai .xlsx", en: "the workbook cannot be read (\(e)); save it again as .xlsx")
        }
    }
}
