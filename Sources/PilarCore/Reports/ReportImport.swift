import Foundation
import SQLiteStore

/// Thrown out of the write transaction to undo it while keeping the summary.
private struct ImportRollBack: Error { let summary: ImportSummary; let rows: Int }

extension ReportService {
    public static let importColumns = ["kecamatan", "period", "category", "desa", "male", "female", "count"]

    /// Backfill: PMKS lines in long form, one row per (kecamatan, period, category, desa),
    /// grouped into one report per kecamatan and period, stored as `verified` history.
    ///
    /// A report spans many rows, in any order, so the rows go first into a temporary table
    /// (memory stays flat however big the file) and are read back sorted by report. Everything
    /// runs in one write transaction, one savepoint per report. The summary counts REPORTS:
    /// created, updated (a verified report whose lines differ gets a new version, reason
    /// "import"), unchanged, rejected (a report with any bad row, or a row naming no report);
    /// `errors` lists every bad row with its line number. `rows` is the number of data rows.
    public func importReports(_ spool: ImportSpool, format: ImportFormat, options: ImportOptions,
                              by caller: Caller) throws -> (summary: ImportSummary, rows: Int) {
        try caller.requireRole([.admin, .kabkota], to: "import_report_history")
        let rows = try spool.rows(format: format, required: ["kecamatan", "period", "category"], known: Self.importColumns)
        let moment = now
        let stamp = Clock.timestamp(moment)
        let thisMonth = ReportPeriod.containing(moment, timeZone: ReportValidation.wib)
        do {
            return try pilar.write { c -> (ImportSummary, Int) in
                var s = ImportSummary()
                s.dryRun = options.dryRun
                try c.execute("""
                    CREATE TEMP TABLE IF NOT EXISTS report_import_rows (
                        line INTEGER, kecamatan TEXT, period TEXT, category TEXT, desa TEXT,
                        male INTEGER, female INTEGER, count INTEGER);
                    DELETE FROM temp.report_import_rows;
                    """)
                defer { _ = try? c.run("DELETE FROM temp.report_import_rows") }
                var badReports = Set<String>()
                var count = 0
                for item in rows {
                    count += 1
                    switch item {
                    case .failure(let e):
                        s.rejected += 1
                        s.reject(e)
                    case .success(let row):
                        switch Self.parseRow(row, caller: caller, thisMonth: thisMonth) {
                        case .noReport(let errors):
                            s.rejected += 1
                            errors.forEach { s.reject($0) }
                        case .bad(let key, let errors):
                            if badReports.insert(key).inserted { s.rejected += 1 }
                            errors.forEach { s.reject($0) }
                        case .good(let k, let p, let l):
                            try c.run("INSERT INTO temp.report_import_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                      row.line, k.dotted, p.description, l.category, l.desa, l.male, l.female, l.count)
                        }
                    }
                }
                // Read back one report at a time, rows in file order within it.
                var group: (kecamatan: String, period: String, lines: [PMKSLine], rows: [Int])?
                func flush() throws {
                    guard let g = group else { return }
                    group = nil
                    if badReports.contains("\(g.kecamatan)|\(g.period)") {
                        // Already refused for a row of its own; still name every other bad row.
                        let more = (try? validateImported(c, RegionCode(g.kecamatan)!, ReportPeriod(g.period)!, g.lines,
                                                          g.rows, moment: moment)) ?? []
                        more.forEach { s.reject($0) }
                        g.rows.forEach { s.refuseWithOthers($0) }
                        return
                    }
                    do {
                        let outcome = try c.savepoint {
                            try applyImported(c, RegionCode(g.kecamatan)!, ReportPeriod(g.period)!, g.lines, g.rows,
                                              stamp: stamp, moment: moment, by: caller)
                        }
                        switch outcome {
                        case .created: s.created += 1
                        case .updated: s.updated += 1
                        case .unchanged: s.unchanged += 1
                        }
                    } catch let r as RowRejected {
                        s.rejected += 1
                        r.errors.forEach { s.reject($0) }
                        g.rows.forEach { s.refuseWithOthers($0) }
                    }
                }
                try c.forEach("SELECT * FROM temp.report_import_rows ORDER BY kecamatan, period, line", []) { r in
                    let k = r.string("kecamatan"), p = r.string("period")
                    if group?.kecamatan != k || group?.period != p {
                        try flush()
                        group = (k, p, [], [])
                    }
                    group!.lines.append(PMKSLine(category: r.string("category"), desa: r.optionalString("desa"),
                                                 male: r.optionalInt("male"), female: r.optionalInt("female"),
                                                 count: r.optionalInt("count")))
                    group!.rows.append(r.int("line"))
                    return true
                }
                try flush()
                if options.dryRun || (s.rejected > 0 && !options.skipInvalid) { throw ImportRollBack(summary: s, rows: count) }
                s.applied = true
                return (s, count)
            }
        } catch let r as ImportRollBack {
            var s = r.summary
            s.applied = false
            return (s, r.rows)
        }
    }

    enum ParsedRow {
        case good(RegionCode, ReportPeriod, PMKSLine)
        case bad(String, [ImportError])
        case noReport([ImportError])
    }

    /// Checks what one row can tell alone: the report it belongs to (a kecamatan in the
    /// caller's subtree, a past month) and whole numbers.
    static func parseRow(_ row: ImportRow, caller: Caller, thisMonth: ReportPeriod) -> ParsedRow {
        var errors: [ImportError] = []
        func reject(_ field: String, _ code: String, _ message: String) {
            errors.append(ImportError(row: row.line, field: field, code: code, message: message))
        }
        let kText = row["kecamatan"] ?? ""
        let kecamatan = RegionCode(kText)
        if kecamatan == nil || kecamatan!.depth != 3 {
            reject("kecamatan", "malformed_code", "kecamatan \"\(kText)\" is not a kecamatan code like 32.74.01")
        } else if !caller.covers(kecamatan!) {
            reject("kecamatan", "outside_scope", "this \(caller.role.rawValue) token covers \(caller.reach); \(kecamatan!.dotted) is outside it")
        }
        let pText = row["period"] ?? ""
        let period = ReportPeriod(pText)
        if period == nil {
            reject("period", "malformed_period", "period \"\(pText)\" is not a month like 2024-03")
        } else if period! >= thisMonth {
            reject("period", "not_past", "period \(period!) is not a past month; the backfill loads history before \(thisMonth), current reports go through PUT")
        }
        guard errors.isEmpty, let kecamatan, let period else { return .noReport(errors) }
        let key = "\(kecamatan.dotted)|\(period)"
        var numbers: [String: Int] = [:]
        for name in ["male", "female", "count"] {
            guard let text = row[name] else { continue }
            if let n = Int(text) { numbers[name] = n } else {
                reject(name, "wrong_type", "\(name) \"\(text)\" is not a whole number")
            }
        }
        let category = (row["category"] ?? "").uppercased()
        if category.isEmpty { reject("category", "required", "category is required") }
        var line = PMKSLine(category: category, desa: row["desa"], male: numbers["male"], female: numbers["female"],
                            count: numbers["count"])
        // Spreadsheets often carry a total beside male and female: accept it when it adds up.
        if PMKSCategory.named(category)?.unit == .person, let m = line.male, let f = line.female, let n = line.count {
            if n == m + f { line.count = nil } else {
                reject("count", "total_mismatch", "count \(n) is not male + female (\(m + f)); leave count empty for \(category)")
            }
        }
        return errors.isEmpty ? .good(kecamatan, period, line) : .bad(key, errors)
    }

    /// One report of the file: validated as a whole (errors go back to the rows), then
    /// created as verified, given a new version when its lines differ, or left as it is.
    func applyImported(_ c: Connection, _ kecamatan: RegionCode, _ period: ReportPeriod, _ lines: [PMKSLine],
                       _ rowLines: [Int], stamp: String, moment: Date, by caller: Caller) throws -> ImportOutcome {
        let errors = try validateImported(c, kecamatan, period, lines, rowLines, moment: moment)
        if !errors.isEmpty { throw RowRejected(errors) }
        let raw = ReportContent(pmks: lines)
        var content = raw.canonical()
        guard let existing = try ReportStore.find(c, kecamatan, period) else {
            _ = try ReportStore.create(c, kecamatan: kecamatan, period: period, status: .verified, content: content,
                                       dueAt: Clock.timestamp(pilar.config.dueDates.dueAt(period)), at: stamp, by: caller,
                                       source: "import", verifiedAt: stamp, reason: "import", event: "imported")
            try ReportStore.audit(c, kecamatan, period, action: "import", at: stamp, by: caller, before: nil,
                                  after: ["version": 1, "status": "verified"])
            return .created
        }
        guard existing.status == .verified else {
            throw RowRejected(row: rowLines[0], field: "period", code: "in_workflow",
                              message: "the report of \(kecamatan.dotted) for \(period) is \(existing.status.rawValue) in the monthly workflow; finish it there (the backfill only loads or corrects verified history)")
        }
        // The file carries PMKS lines only: PSKS counts, activities and notes stay as they are.
        content.psks = existing.content.psks
        content.activities = existing.content.activities
        content.notes = existing.content.notes
        if existing.storedContent == content.stored { return .unchanged }
        try ReportStore.newVersion(c, existing, content: content, at: stamp, by: caller, reason: "import", event: "imported")
        try ReportStore.audit(c, kecamatan, period, action: "import", at: stamp, by: caller,
                              before: ["version": .int(Int64(existing.version))], after: ["version": .int(Int64(existing.version + 1))])
        return .updated
    }

    /// The rules of a whole report, each error sent back to the row it came from.
    func validateImported(_ c: Connection, _ kecamatan: RegionCode, _ period: ReportPeriod, _ lines: [PMKSLine],
                          _ rowLines: [Int], moment: Date) throws -> [ImportError] {
        guard let region = try RegionService.lookup(kecamatan, on: c), region.level == .kecamatan else {
            return [ImportError(row: rowLines[0], field: "kecamatan", code: "unknown_kecamatan",
                                message: "kecamatan \(kecamatan.dotted) is not in the region register")]
        }
        let errors = ReportValidation.errors(ReportContent(pmks: lines), kecamatan: kecamatan, period: period, now: moment) { desa in
            ((try? RegionService.lookup(desa, on: c)) ?? nil).map { $0.level == .desa || $0.level == .kelurahan } ?? false
        }
        return errors.map { e in
                // "pmks[3].male" -> row of line 3, field "male"
                if e.field.hasPrefix("pmks["), let close = e.field.firstIndex(of: "]"),
                   let i = Int(e.field[e.field.index(e.field.startIndex, offsetBy: 5)..<close]), i < rowLines.count {
                    let rest = e.field[e.field.index(after: close)...]
                    return ImportError(row: rowLines[i], field: rest.hasPrefix(".") ? String(rest.dropFirst()) : nil,
                                       code: e.code, message: e.message)
                }
                return ImportError(row: rowLines[0], field: e.field, code: e.code, message: e.message)
        }
    }
}
