import Foundation
import Spreadsheet

/// The month's PMKS counts from a sheet: the wide recap a Dinas keeps (one row per desa, a
/// column per category, `CODE_L`/`CODE_P` for persons, as `GET /v1/templates/reports/...`
/// writes it) or the long form (`category, desa, male, female, count`). The lines become the
/// `pmks` of a PUT, so the draft gets the same validation, warnings, If-Match and versions.
enum ReportSheet {
    static let longColumns = ["category", "desa", "male", "female", "count", "kecamatan", "period"]

    /// The `pmks` lines of the sheet, each with where it came from ("row 5"), for messages.
    static func lines(_ spool: ImportSpool, format: ImportFormat) throws -> [(line: JSON, row: Int)] {
        do {
            return try readLines(spool, format: format)
        } catch let e as PilarError where e.kind == .badRequest {
            // The body of a report PUT is the report: a sheet that cannot be read is content
            // that breaks a rule (422, as a JSON body that breaks one), not an unreadable request.
            throw problem("sheet", "unreadable_sheet", e.detail)
        }
    }

    private static func readLines(_ spool: ImportSpool, format: ImportFormat) throws -> [(line: JSON, row: Int)] {
        var table: ImportTable
        switch format {
        case .xlsx: table = try ImportTable.xlsx(path: spool.readablePath)
        case .csv: table = try ImportTable.csv(try spool.chunks())
        case .ndjson: throw PilarError(.unsupportedMediaType, "laporan dari lembar kerja: kirim .xlsx atau CSV (send .xlsx or CSV)")
        }
        guard let written = try table.header() else { throw PilarError.badRequest("lembar kerja kosong (the sheet is empty)") }
        let normal = written.map(ColumnNames.normalise)
        if normal.contains(where: { ["category", "kategori", "kode_kategori"].contains($0) }) {
            return try long(&table, written: written)
        }
        return try wide(&table, written: written)
    }

    static func problem(_ field: String, _ code: String, _ message: String) -> PilarError {
        PilarError(.unprocessable, message, errors: [FieldError(field: field, code: code, message: message)])
    }

    /// A count cell: blank is no count, else a whole number.
    static func count(_ text: String, row: Int, column: Int, header: String) throws -> Int? {
        let t = PSKSFields.trim(text)
        if t.isEmpty { return nil }
        guard let n = Int(t), n >= 0 else {
            throw problem(header, "invalid_number",
                          "baris \(row), kolom \(header) (\(ColumnName.letters(column))\(row)): \"\(t)\" bukan bilangan bulat; tulis jumlah, misalnya 3, atau kosongkan (row \(row), column \(header): not a whole number)")
        }
        return n
    }

    static func wide(_ table: inout ImportTable, written: [String]) throws -> [(line: JSON, row: Int)] {
        let categories = Dictionary(uniqueKeysWithValues: PMKSCategory.all.map { ($0.code, $0) })
        var desaColumn: Int?
        var columns: [(index: Int, code: String, part: String)] = []  // part: male, female or count
        for (i, h) in written.enumerated() {
            let n = ColumnNames.normalise(h)
            if n.isEmpty || n == "nama_desa" || n == "nama" || n == "no" { continue }
            if n == "desa" || n == "kode_desa" { desaColumn = i; continue }
            var code = h.trimmingCharacters(in: .whitespaces).uppercased()
            var part = "count"
            if code.hasSuffix("_L") || code.hasSuffix(" L") { code = String(code.dropLast(2)); part = "male" }
            else if code.hasSuffix("_P") || code.hasSuffix(" P") { code = String(code.dropLast(2)); part = "female" }
            guard let cat = categories[code] else {
                throw problem(h, "unknown_column", "kolom \"\(h)\" (\(ColumnName.letters(i))1) bukan kode kategori PMKS; gunakan templat GET /v1/templates/reports/{kecamatan}/{period} (not a PMKS category code)")
            }
            if cat.unit == .person && part == "count" { part = "female_or_male" }
            columns.append((i, code, part))
        }
        guard desaColumn != nil else {
            throw problem("desa", "missing_column", "lembar kerja perlu kolom desa (kode desa/kelurahan), satu baris per desa (the sheet needs a desa column)")
        }
        var out: [(line: JSON, row: Int)] = []
        let names: [String?] = Array(repeating: nil, count: written.count)
        while let rec = try table.next(names: names) {
            let desa = PSKSFields.trim(rec.fields.count > desaColumn! ? rec.fields[desaColumn!] : "")
            if ["jumlah", "total"].contains(desa.lowercased()) { continue }  // a sum row is no desa
            var byCategory: [String: JSONObject] = [:]
            var order: [String] = []
            for c in columns where c.index < rec.fields.count {
                guard let n = try count(rec.fields[c.index], row: rec.line, column: c.index, header: written[c.index]) else { continue }
                if byCategory[c.code] == nil { order.append(c.code); byCategory[c.code] = ["category": .string(c.code)] }
                if c.part == "female_or_male" {
                    throw problem(written[c.index], "sex_split_required", "kategori \(c.code) dihitung per jiwa: pakai kolom \(c.code)_L dan \(c.code)_P (persons are counted by sex)")
                }
                byCategory[c.code]![c.part] = .int(Int64(n))
            }
            for code in order {
                var o = byCategory[code]!
                if !desa.isEmpty { o["desa"] = .string(desa) }
                if categories[code]?.unit == .person {
                    if o["male"] == nil { o["male"] = .int(0) }
                    if o["female"] == nil { o["female"] = .int(0) }
                }
                out.append((.object(o), rec.line))
            }
        }
        return out
    }

    static func long(_ table: inout ImportTable, written: [String]) throws -> [(line: JSON, row: Int)] {
        let names = written.map { ColumnNames.canonical($0, known: longColumns) }
        var out: [(line: JSON, row: Int)] = []
        while let rec = try table.next(names: names) {
            var o = JSONObject()
            for (i, name) in names.enumerated() where i < rec.fields.count {
                guard let name, !["kecamatan", "period"].contains(name) else { continue }
                let v = PSKSFields.trim(rec.fields[i])
                if v.isEmpty { continue }
                if ["male", "female", "count"].contains(name) {
                    o[name] = .int(Int64(try count(v, row: rec.line, column: i, header: written[i])!))
                } else {
                    o[name] = .string(name == "category" ? v.uppercased() : v)
                }
            }
            if o.keys.isEmpty { continue }
            out.append((.object(o), rec.line))
        }
        return out
    }
}

extension ReportService {
    /// `PUT /v1/reports/{kecamatan}/{period}` with a sheet: its PMKS lines replace the draft's,
    /// the rest of the draft (PSKS counts, activities, notes) is kept, and the whole goes
    /// through `put` (validation, warnings, the expected version, versions). A rule broken on a line is
    /// answered with the sheet row it came from.
    public func putSheet(_ kecamatan: RegionCode, _ period: ReportPeriod, _ spool: ImportSpool, format: ImportFormat,
                         expected: ExpectedVersion = .anything, by caller: Caller) throws -> ReportAnswer {
        try caller.requireRole([.admin, .kabkota, .tksk], to: "write reports")
        try caller.requireCovers(kecamatan)
        let lines = try ReportSheet.lines(spool, format: format)
        var body = JSONObject()
        if let current = try? get(kecamatan, period, by: caller), case .object(let o) = current.body {
            for key in ["psks", "activities", "notes"] { if let v = o[key] { body[key] = v } }
        }
        body["pmks"] = .array(lines.map(\.line))
        do {
            return try put(kecamatan, period, body: body, expected: expected, by: caller)
        } catch var e as PilarError {
            // "pmks[3].male" -> the sheet row of line 3.
            e.errors = e.errors.map { f in
                guard f.field.hasPrefix("pmks["), let close = f.field.firstIndex(of: "]"),
                      let i = Int(f.field[f.field.index(f.field.startIndex, offsetBy: 5)..<close]), i < lines.count else { return f }
                return FieldError(field: f.field, code: f.code, message: "baris \(lines[i].row): \(f.message)")
            }
            throw e
        }
    }
}
