import Foundation
import SQLiteStore

extension RegistryService {
    /// `POST /v1/psks/import`: CSV or NDJSON rows with the columns of an export
    /// (`PSKSFields.csvColumns`; `type` may come from `?type=` instead of a column).
    ///
    /// Idempotent: a row finds its record by (type, NIK) for persons and by (type, region,
    /// folded name) for the rest. Columns the file has replace the record's values (an empty
    /// cell clears one); columns it lacks leave them as they are. A row equal to its record is
    /// `unchanged`. Every rule of the API applies, row by row, with the 1-based line and a
    /// stable code for each broken one; each created or updated record is audited.
    public func importRecords(_ spool: ImportSpool, format: ImportFormat, type: String?, options: ImportOptions,
                              by caller: Caller) throws -> ImportSummary {
        try caller.requireRole(Self.writers, to: "import_psks_records")
        var fixedType: PSKSType?
        if let type {
            guard let t = PSKSType.named(type) else {
                throw PilarError(.badRequest, code: "unknown_psks_type", ["value": .text(type), "allowed": .list(PSKSType.all.map(\.code))])
            }
            fixedType = t
        }
        let required = ["name", "region"] + (fixedType == nil ? ["type"] : [])
        let rows = try spool.rows(format: format, required: required, known: PSKSFields.csvColumns)
        let now = Clock.timestamp(pilar.clock.now())
        let today = self.today
        var rules: RegistryRules?
        var cacheSize: Int?
        defer { if let cacheSize { _ = try? pilar.db.write { c in try c.execute("PRAGMA cache_size = \(cacheSize)") } } }
        var firstRowOf: [String: Int] = [:]  // natural key -> the row that had it first
        return try pilar.runImport(rows, options: options) { c, row in
            if let key = Self.fileKey(row, fixedType: fixedType) {
                if let first = firstRowOf[key] {
                    throw RowRejected([ImportError(row: row.line, field: key.hasPrefix("nik|") ? "nik" : "name", code: "duplicate_in_file",
                                                   ["first": .int(first), "row": .int(row.line),
                                                    "same": .term(key.hasPrefix("nik|") ? "same_key.nik" : "same_key.name")])])
                }
                firstRowOf[key] = row.line
            }
            if rules == nil || rules!.c !== c {
                rules = RegistryRules(c, caller: caller)
                // A big import dirties more pages than the default cache holds; spilling them to
                // the WAL mid-transaction writes many pages twice. 64 MiB for this import only.
                cacheSize = try c.queryOne("PRAGMA cache_size")?.int(0)
                try c.execute("PRAGMA cache_size = -65536")
            }
            return try Self.importRow(row, fixedType: fixedType, rules: rules!, today: today, now: now)
        }
    }

    static func importRow(_ row: ImportRow, fixedType: PSKSType?, rules: RegistryRules, today: CalendarDate,
                          now: String) throws -> ImportOutcome {
        func reject(_ errors: [FieldError]) -> RowRejected {
            RowRejected(errors.map { ImportError(row: row.line, $0) })
        }
        // Cells as JSON strings; an empty cell is null (it clears the field on update).
        var cells: [String: JSON] = [:]
        for (k, v) in row.values {
            let t = PSKSFields.trim(v)
            cells[k] = t.isEmpty ? .null : .string(t)
        }
        if let fixed = fixedType {
            if let given = cells["type"]?.stringValue, PSKSFields.type(given)?.code != fixed.code {
                throw reject([FieldError(field: "type", code: "type_mismatch", ["value": .text(given), "expected": .text(fixed.code)])])
            }
            cells["type"] = .string(fixed.code)
        }
        var decoder = PSKSDecoder(lenient: true, today: today)
        guard let standalone = decoder.record(cells), decoder.errors.isEmpty else { throw reject(decoder.errors) }

        let existing = try rules.existing(standalone)
        var r = standalone
        if let old = existing {
            // The row over the record: present columns replace, absent ones keep.
            var merged = old.inputObject()
            for (k, v) in cells { merged[k] = v.isNull ? nil : v }
            if cells["status"]?.stringValue?.lowercased() == "active" && old.status == .inactive {
                for f in PSKSFields.endFields where cells[f] == nil { merged[f] = nil }
            }
            var d = PSKSDecoder(lenient: true, today: today)
            guard let m = d.record(merged), d.errors.isEmpty else { throw reject(d.errors) }
            r = m
            r.id = old.id
            guard rules.caller.covers(old.region) else { throw outsideScope(row, old.region, rules.caller) }
        }
        guard rules.caller.covers(r.region) else { throw outsideScope(row, r.region, rules.caller) }
        if let k = r.assignedKecamatan, !rules.caller.covers(k) { throw outsideScope(row, k, rules.caller) }

        let errors = try rules.violations(&r)
        if !errors.isEmpty { throw reject(errors) }
        if let old = existing, r.sameContent(as: old) { return .unchanged }
        if let conflict = try rules.conflict(r) {
            throw reject([conflict.fieldError])
        }
        if let old = existing {
            _ = try rules.update(old, to: r, at: now, action: "import_update")
            return .updated
        }
        _ = try rules.insert(r, at: now, action: "import_create")
        return .created
    }

    /// The natural key a row names, from its cells as written: (type, NIK) for persons,
    /// (type, region, folded name) for the rest; nil when the row does not name one.
    static func fileKey(_ row: ImportRow, fixedType: PSKSType?) -> String? {
        guard let type = fixedType ?? row["type"].flatMap(PSKSFields.type) else { return nil }
        if type.kind == .person {
            guard let nik = row["nik"], !MaskedValue.isMasked(nik) else { return nil }
            return "nik|\(type.code)|\(nik)"
        }
        guard let name = row["name"], let region = row["region"].flatMap(RegionCode.init) else { return nil }
        return "name|\(type.code)|\(region.dotted)|\(NameSearch.fold(name))"
    }

    static func outsideScope(_ row: ImportRow, _ region: RegionCode, _ caller: Caller) -> RowRejected {
        RowRejected([ImportError(row: row.line, field: "region", code: "outside_scope",
                                 ["region": .text(region.dotted), "reach": caller.reachValue])])
    }
}
