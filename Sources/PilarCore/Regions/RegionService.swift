import Foundation
import SQLiteStore

public struct Region: Equatable {
    public let code: RegionCode
    public let name: String
    public let level: RegionLevel
    public let parent: RegionCode?

    public var json: JSON {
        var o = JSONObject()
        o["code"] = .string(code.dotted)
        o["name"] = .string(name)
        o["level"] = .string(level.rawValue)
        o["parent_code"] = .from(parent?.dotted)
        return .object(o)
    }

    static func from(_ r: Row) -> Region? {
        guard let code = RegionCode(r.string("code")), let level = RegionLevel(rawValue: r.string("level")) else { return nil }
        return Region(code: code, name: r.string("name"), level: level, parent: r.optionalString("parent_code").flatMap(RegionCode.init))
    }
}

/// The Kemendagri register of provinsi, kabupaten/kota, kecamatan and desa/kelurahan.
public final class RegionService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    /// A caller may read its own subtree and the ancestors of its region (to name them).
    func requireReadable(_ code: RegionCode, by caller: Caller) throws {
        if caller.covers(code) { return }
        if let own = caller.region, code.contains(own) { return }
        try caller.requireCovers(code)
    }

    /// One region with its ancestors, province first.
    public func get(_ code: RegionCode, by caller: Caller) throws -> (Region, [Region]) {
        try requireReadable(code, by: caller)
        return try pilar.db.read { c in
            guard let region = try Self.find(code, c) else { throw Self.notFound(code) }
            let ancestors = try code.ancestors.compactMap { try Self.find($0, c) }
            return (region, ancestors)
        }
    }

    /// The children of `parent` (the provinces when nil), sorted by code.
    public func children(of parent: RegionCode?, by caller: Caller) throws -> [Region] {
        if let parent { try requireReadable(parent, by: caller) }
        return try pilar.db.read { c in
            let rows: [Row]
            if let parent {
                guard try Self.find(parent, c) != nil else { throw Self.notFound(parent) }
                rows = try c.query("SELECT * FROM regions WHERE parent_code = ? ORDER BY code", parent.dotted)
            } else {
                rows = try c.query("SELECT * FROM regions WHERE parent_code IS NULL ORDER BY code")
            }
            // A caller sees the children inside its reach (a tksk asking for its kabkota's
            // kecamatan sees only its own).
            return rows.compactMap(Region.from).filter { caller.covers($0.code) || ($0.code.contains(caller.region ?? $0.code)) }
        }
    }

    /// Regions whose name contains `text` (case-insensitive), inside `parent` when given, the
    /// ones the caller may see, sorted by code; at most `limit`. A lookup by name, so the
    /// text must say something: 2 to 100 characters.
    public func search(_ text: String, in parent: RegionCode?, limit: Int, by caller: Caller) throws -> [Region] {
        let q = text.trimmingCharacters(in: .whitespaces)
        guard (2...100).contains(q.count) else {
            throw PilarError(.badRequest, code: "region_search_text", ["min": 2, "max": 100],
                             errors: [FieldError(field: "q", code: "out_of_range", ["length": .int(q.count), "min": 2, "max": 100],
                                                 wording: "out_of_range.length")])
        }
        if let parent { try requireReadable(parent, by: caller) }
        // LIKE is case-insensitive for ASCII; % and _ in the text are matched literally.
        let pattern = "%" + q.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let scope = parent ?? caller.region
        var sql = "SELECT * FROM regions WHERE name LIKE ? ESCAPE '\\'"
        var args: [SQLBindable?] = [pattern]
        if let scope {
            sql += " AND code >= ? AND code < ?"
            args += [scope.subtreeLowerBound, scope.subtreeUpperBound]
        }
        sql += " ORDER BY code LIMIT ?"
        args.append(limit)
        return try pilar.db.read { c in
            try c.query(sql, args).compactMap(Region.from).filter { caller.covers($0.code) }
        }
    }

    static func notFound(_ code: RegionCode) -> PilarError {
        PilarError(.notFound, code: "region_not_found", ["region": .text(code.dotted)])
    }

    static func find(_ code: RegionCode, _ c: Connection) throws -> Region? {
        try c.queryOne("SELECT * FROM regions WHERE code = ?", code.dotted).flatMap(Region.from)
    }

    /// Looks a region up on a connection the caller already holds (used inside other services' transactions).
    public static func lookup(_ code: RegionCode, on c: Connection) throws -> Region? { try find(code, c) }

    public static let importColumns = ["code", "name", "level", "parent_code"]

    /// Imports `code,name,level,parent_code` rows (admin only). Parents must come before their
    /// children (or already be in the register); the same file twice changes nothing.
    public func importCSV(_ spool: ImportSpool, format: ImportFormat, options: ImportOptions, by caller: Caller) throws -> ImportSummary {
        try caller.requireRole([.admin], to: "import_regions")
        let rows = try spool.rows(format: format, required: ["code", "name", "level"], known: Self.importColumns)
        let now = Clock.timestamp(pilar.clock.now())
        var parents = KnownParents()
        var summary = try pilar.runImport(rows, options: options, rowsAreAtomic: true, endBatch: { _ in
            parents = KnownParents()   // a rolled-back batch (dry run) must not vouch for its rows
        }) { c, row in
            try Self.applyImportRow(row, c, parents: &parents)
        }
        if summary.applied && (summary.created + summary.updated) > 0 {
            try pilar.write { c in
                try AuditLog.append(c, by: caller, at: now, entity: "region", key: "import", action: "import", region: nil,
                                    before: nil, after: ["created": .int(Int64(summary.created)), "updated": .int(Int64(summary.updated))])
            }
        }
        summary.dryRun = options.dryRun
        return summary
    }

    /// Codes of provinsi, kabupaten/kota and kecamatan known to be in the register in this
    /// batch, so the desa of one kecamatan check their parent once (bounded: desa are never parents).
    struct KnownParents {
        private var codes = Set<String>()
        func contains(_ dotted: String) -> Bool { codes.contains(dotted) }
        mutating func add(_ code: RegionCode, _ dotted: String) { if code.depth < 4 { codes.insert(dotted) } }
    }

    /// Checks one row and makes at most one write, after every check (the import runs it without a savepoint).
    static func applyImportRow(_ row: ImportRow, _ c: Connection, parents: inout KnownParents) throws -> ImportOutcome {
        var errors: [ImportError] = []
        func reject(_ field: String, _ code: String, _ values: MessageValues = [:], wording: String? = nil) {
            errors.append(ImportError(row: row.line, field: field, code: code, values, wording: wording))
        }
        let codeText = row["code"] ?? ""
        let code = RegionCode(codeText)
        if code == nil { reject("code", "malformed_code", ["value": .text(codeText)]) }
        let name = row["name"] ?? ""
        if name.isEmpty || name.count > 200 { reject("name", "bad_name", ["max": 200]) }
        let levelText = (row["level"] ?? "").lowercased()
        let level = RegionLevel(rawValue: levelText)
        if level == nil {
            reject("level", "unknown_level", ["value": .text(levelText), "allowed": .list(RegionLevel.allCases.map(\.rawValue))])
        } else if let code, let level, level.depth != code.depth {
            reject("level", "level_mismatch", ["depth": .int(code.depth), "allowed": .list(RegionCode.levelsAllowed(depth: code.depth).map(\.rawValue)),
                                               "value": .text(level.rawValue)])
        }
        let parentText = row["parent_code"]
        if let code {
            let expected = code.parent
            let given = parentText.flatMap(RegionCode.init)
            if parentText != nil && given == nil {
                reject("parent_code", "malformed_code", ["value": .text(parentText!)])
            } else if given != expected {
                if let expected {
                    reject("parent_code", "parent_mismatch", ["region": .text(code.dotted), "parent": .text(expected.dotted)])
                } else {
                    reject("parent_code", "parent_mismatch", wording: "parent_mismatch.provinsi")
                }
            } else if let expected {
                let dotted = expected.dotted
                if !parents.contains(dotted) {
                    if try c.queryOne("SELECT 1 FROM regions WHERE code = ?", dotted) == nil {
                        reject("parent_code", "unknown_parent", ["parent": .text(dotted)])
                    } else {
                        parents.add(expected, dotted)
                    }
                }
            }
        }
        guard errors.isEmpty, let code, let level else { throw RowRejected(errors) }
        let dotted = code.dotted
        // A new region is the common case: try the INSERT first, read only when the code is taken.
        if try c.run("INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                     dotted, name, level.rawValue, code.parent?.dotted) == 1 {
            parents.add(code, dotted)
            return .created
        }
        parents.add(code, dotted)
        // Only what decides unchanged/updated is read (no Region built per row).
        let existing = try c.queryOne("SELECT name, level FROM regions WHERE code = ?", dotted)
        if existing?[0] == .text(name) && existing?[1] == .text(level.rawValue) { return .unchanged }
        try c.run("UPDATE regions SET name = ?, level = ? WHERE code = ?", name, level.rawValue, dotted)
        return .updated
    }
}
