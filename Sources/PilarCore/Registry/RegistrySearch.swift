import Foundation
import SQLiteStore

/// The filters of `GET /v1/psks` and `GET /v1/psks/export`.
public struct PSKSQuery {
    public var type: String?
    /// The subtree to list; the caller's own region when nil.
    public var region: RegionCode?
    public var status: PSKSStatus?
    /// A name prefix, folded like the stored names (case and accents do not matter).
    public var q: String?
    public var education: EducationLevel?
    public var limit = PageSize.default
    public var cursor: String?
    public init() {}
}

/// One SQL statement for a query, built so that exactly one index serves both the filter and
/// the order: a page is a range scan that stops after `limit` rows, with a million records
/// as with a hundred (BENCHMARKS.md has the plans).
///
/// Order: by name then id when `q` is given (people look names up alphabetically), else by
/// region then id (the register desa by desa). The cursor is that sort key.
struct PSKSSearchPlan {
    enum Order: String { case region = "r", name = "n" }
    let sql: String
    let args: [SQLBindable?]
    let order: Order

    init(_ q: PSKSQuery, scope: RegionCode?, limit: Int?) throws {
        var whereSQL: [String] = []
        var args: [SQLBindable?] = []
        let folded = q.q.map(NameSearch.fold) ?? ""
        order = folded.isEmpty ? .region : .name
        let index: String
        switch order {
        case .name:
            index = "psks_by_name"
            whereSQL.append("name_folded >= ? AND name_folded < ?")
            args += [folded, folded + "\u{10FFFF}"]
        case .region:
            // The most selective equality filter leads; the others are checked on the rows.
            index = q.type != nil ? "psks_by_type" : q.education != nil ? "psks_by_education"
                : q.status != nil ? "psks_by_status" : "psks_by_region"
        }
        if let t = q.type { whereSQL.append("type = ?"); args.append(t) }
        if let e = q.education { whereSQL.append("education = ?"); args.append(e.rawValue) }
        if let s = q.status { whereSQL.append("status = ?"); args.append(s.rawValue) }
        if let scope {
            whereSQL.append("region >= ? AND region < ?")
            args += [scope.subtreeLowerBound, scope.subtreeUpperBound]
        }
        if let cursor = q.cursor {
            let key = try Cursor.decode(cursor, arity: 3)
            guard key[0].stringValue == order.rawValue, let sortKey = key[1].stringValue, let id = key[2].intValue else {
                throw PilarError.badRequest("cursor belongs to a different search; pass next_cursor with the same filters")
            }
            whereSQL.append(order == .name ? "(name_folded, id) > (?, ?)" : "(region, id) > (?, ?)")
            args += [sortKey, id]
        }
        var sql = "SELECT * FROM psks INDEXED BY \(index)"
        if !whereSQL.isEmpty { sql += " WHERE " + whereSQL.joined(separator: " AND ") }
        sql += order == .name ? " ORDER BY name_folded, id" : " ORDER BY region, id"
        if let limit {
            sql += " LIMIT ?"
            args.append(limit)
        }
        self.sql = sql
        self.args = args
    }

    func cursor(after r: PSKSRecord) -> String {
        Cursor.encode([.string(order.rawValue), .string(order == .name ? NameSearch.fold(r.name) : r.region.dotted), .int(r.id)])
    }
}

extension RegistryService {
    /// The region a query lists: the one asked for (inside the caller's reach) or the caller's own.
    func scope(_ q: PSKSQuery, _ caller: Caller) throws -> RegionCode? {
        try caller.requireRole(Self.readers, to: "list PSKS records")
        if let t = q.type, PSKSType.named(t) == nil {
            throw PilarError.badRequest("type \"\(t)\" is not a PSKS type; known types: \(PSKSType.all.map(\.code).joined(separator: ", "))")
        }
        guard let region = q.region else { return caller.region }
        try caller.requireCovers(region)
        return region
    }

    /// A page of records and the cursor of the next page (nil on the last).
    public func search(_ query: PSKSQuery, by caller: Caller) throws -> (items: [JSON], nextCursor: String?) {
        var q = query
        q.type = q.type.flatMap { PSKSType.named($0)?.code ?? $0 }
        let plan = try PSKSSearchPlan(q, scope: try scope(q, caller), limit: q.limit + 1)
        let records = try pilar.db.read { c in try c.query(plan.sql, plan.args).map(PSKSRecord.from) }
        let page = Array(records.prefix(q.limit))
        let next = records.count > q.limit ? page.last.map(plan.cursor(after:)) : nil
        return (page.map { $0.json(masked: masked($0, for: caller)) }, next)
    }

    /// EXPLAIN QUERY PLAN of a search, for BENCHMARKS.md and the index tests.
    public func searchPlan(_ query: PSKSQuery, by caller: Caller) throws -> (sql: String, plan: [String]) {
        let plan = try PSKSSearchPlan(query, scope: try scope(query, caller), limit: query.limit + 1)
        return (plan.sql, try pilar.db.read { c in try c.explainQueryPlan(plan.sql, plan.args) })
    }

    /// A CSV export: the columns, and a function that streams the rows (inside one read
    /// transaction, row by row, so a million records never sit in memory). Scope and role are
    /// checked here, before the first byte goes out. The file re-imports as all `unchanged`.
    public func export(_ query: PSKSQuery, by caller: Caller) throws -> PSKSExport {
        var q = query
        q.type = q.type.flatMap { PSKSType.named($0)?.code ?? $0 }
        q.cursor = nil
        let scope = try scope(q, caller)
        let plan = try PSKSSearchPlan(q, scope: scope, limit: nil)
        let columns = q.type.map(PSKSFields.csvColumns(of:)) ?? PSKSFields.csvColumns
        let name = "psks-\(q.type?.lowercased() ?? "all")-\(scope?.undotted ?? "id").csv"
        return PSKSExport(columns: columns, filename: name, db: pilar.db, plan: plan, caller: caller)
    }
}

public struct PSKSExport {
    public let columns: [String]
    public let filename: String
    let db: Database
    let plan: PSKSSearchPlan
    let caller: Caller

    /// Writes a UTF-8 byte-order mark (spreadsheets then read the accents right; the import
    /// skips it), the header and every row, in pieces of about 64 KiB.
    public func write(to sink: ([UInt8]) throws -> Void) throws {
        var buffer: [UInt8] = [0xEF, 0xBB, 0xBF] + CSVWriter.line(columns)
        buffer.reserveCapacity(80 * 1024)
        try db.read { c in
            try c.forEach(plan.sql, plan.args) { row in
                let r = PSKSRecord.from(row)
                let masked = !caller.seesPersonalData(in: r.region)
                buffer += CSVWriter.line(columns.map { $0 == "assigned_kecamatan" && r.assignedKecamatan == nil ? "" : (r.text($0, masked: masked) ?? "") })
                if buffer.count >= 64 * 1024 {
                    try sink(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
                return true
            }
        }
        if !buffer.isEmpty { try sink(buffer) }
    }
}
