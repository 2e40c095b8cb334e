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
/// region then id (the register desa by desa). The cursor is that sort key, (key, id). SQLite
/// does not seek an index on a row-value comparison `(key, id) > (?, ?)`, so a later page is
/// the union of two seeks merged in index order: the rest of the cursor's key
/// (`key = ? AND id > ?`) and the keys after it (`key > ?`). No page sorts or scans what
/// earlier pages read.
struct PSKSSearchPlan {
    enum Order: String { case region = "r", name = "n" }
    let sql: String
    let args: [SQLBindable?]
    let order: Order

    init(_ q: PSKSQuery, scope: RegionCode?, limit: Int?) throws {
        var filters: [String] = []
        var filterArgs: [SQLBindable?] = []
        let folded = q.q.map(NameSearch.fold) ?? ""
        order = folded.isEmpty ? .region : .name
        let index: String
        let key: String
        // The sort key's range: [lower, upper).
        var lower: String?
        var upper: String?
        switch order {
        case .name:
            index = "psks_by_name"
            key = "name_folded"
            lower = folded
            upper = folded + "\u{10FFFF}"
        case .region:
            // The most selective equality filter leads; the others are checked on the rows.
            index = q.type != nil ? "psks_by_type" : q.education != nil ? "psks_by_education"
                : q.status != nil ? "psks_by_status" : "psks_by_region"
            key = "region"
            lower = scope?.subtreeLowerBound
            upper = scope?.subtreeUpperBound
        }
        if let t = q.type { filters.append("type = ?"); filterArgs.append(t) }
        if let e = q.education { filters.append("education = ?"); filterArgs.append(e.rawValue) }
        if let s = q.status { filters.append("status = ?"); filterArgs.append(s.rawValue) }
        if order == .name, let scope {
            filters.append("region >= ? AND region < ?")
            filterArgs += [scope.subtreeLowerBound, scope.subtreeUpperBound]
        }
        var after: (String, Int64)?
        if let cursor = q.cursor {
            let k = try Cursor.decode(cursor, arity: 3)
            guard k[0].stringValue == order.rawValue, let sortKey = k[1].stringValue, let id = k[2].intValue else {
                throw PilarError(.badRequest, code: "cursor_other_search")
            }
            // The key must lie in the range, or the first seek could read outside the caller's scope.
            guard lower.map({ sortKey >= $0 }) ?? true, upper.map({ sortKey < $0 }) ?? true else {
                throw PilarError(.badRequest, code: "cursor_other_search")
            }
            after = (sortKey, id)
        }
        func select(_ conditions: [String], _ conditionArgs: [SQLBindable?]) -> (String, [SQLBindable?]) {
            let all = filters + conditions
            var sql = "SELECT * FROM psks INDEXED BY \(index)"
            if !all.isEmpty { sql += " WHERE " + all.joined(separator: " AND ") }
            return (sql, filterArgs + conditionArgs)
        }
        var sql: String
        var args: [SQLBindable?]
        if let (sortKey, id) = after {
            let (first, firstArgs) = select(["\(key) = ? AND id > ?"], [sortKey, id])
            var rest = ["\(key) > ?"]
            var restArgs: [SQLBindable?] = [sortKey]
            if let upper { rest.append("\(key) < ?"); restArgs.append(upper) }
            let (second, secondArgs) = select(rest, restArgs)
            sql = first + " UNION ALL " + second
            args = firstArgs + secondArgs
        } else {
            var range: [String] = []
            var rangeArgs: [SQLBindable?] = []
            if let lower { range.append("\(key) >= ?"); rangeArgs.append(lower) }
            if let upper { range.append("\(key) < ?"); rangeArgs.append(upper) }
            (sql, args) = select(range, rangeArgs)
        }
        sql += " ORDER BY \(key), id"
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
        try caller.requireRole(Self.readers, to: "list_psks_records")
        if let t = q.type, PSKSType.named(t) == nil {
            throw PilarError(.badRequest, code: "unknown_psks_type", ["value": .text(t), "allowed": .list(PSKSType.all.map(\.code))])
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
        logShown(page, to: caller, what: "search")
        return (page.map { $0.json(masked: masked($0, for: caller)) }, next)
    }

    /// EXPLAIN QUERY PLAN of a search, for BENCHMARKS.md and the index tests.
    public func searchPlan(_ query: PSKSQuery, by caller: Caller) throws -> (sql: String, plan: [String]) {
        let plan = try PSKSSearchPlan(query, scope: try scope(query, caller), limit: query.limit + 1)
        return (plan.sql, try pilar.db.read { c in try c.explainQueryPlan(plan.sql, plan.args) })
    }

    /// A CSV export: the columns, and a function that streams the rows in keyset batches.
    /// Scope and role are checked here, before the first byte goes out. The file re-imports as
    /// all `unchanged`.
    public func export(_ query: PSKSQuery, by caller: Caller) throws -> PSKSExport {
        var q = query
        q.type = q.type.flatMap { PSKSType.named($0)?.code ?? $0 }
        q.cursor = nil
        let scope = try scope(q, caller)
        _ = try PSKSSearchPlan(q, scope: scope, limit: PSKSExport.batchSize)  // a bad query fails now, not mid-file
        let columns = q.type.map(PSKSFields.csvColumns(of:)) ?? PSKSFields.csvColumns
        let name = "psks-\(q.type?.lowercased() ?? "all")-\(scope?.undotted ?? "id").csv"
        return PSKSExport(columns: columns, filename: name, db: pilar.db, query: q, scope: scope, caller: caller,
                          accessLog: pilar.accessLog)
    }
}

/// A PSKS CSV export, read in batches of `batchSize` rows in the search order, each batch in
/// its own short read transaction that only reads the rows (the CSV is made and sent after
/// the reader is back in the pool). So a client that
/// reads slowly holds no database reader (and blocks no WAL checkpoint) while it takes its
/// time; only one batch sits in memory. The price: a record changed during a long export
/// appears as it was when its batch was read.
public struct PSKSExport {
    public static let batchSize = 1_000
    public let columns: [String]
    public let filename: String
    let db: Database
    let query: PSKSQuery
    let scope: RegionCode?
    let caller: Caller
    let accessLog: AccessLog

    /// The CSV file piece by piece, for an answer sent as it is made: each call reads one batch
    /// (its own short read transaction) and returns its lines, the first with a UTF-8 byte-order
    /// mark (spreadsheets then read the accents right; the import skips it) and the header; nil
    /// after the last. Calls must not overlap (the answer asks for one piece at a time).
    public func pieces() -> () throws -> [UInt8]? {
        var next: PSKSQuery? = query
        var header: [UInt8]? = [0xEF, 0xBB, 0xBF] + CSVWriter.line(columns)
        return {
            guard next != nil || header != nil else { return nil }
            var out = header ?? []
            header = nil
            for cells in try self.batch(&next) { out += CSVWriter.line(cells) }
            return out
        }
    }

    /// The whole file into `sink`, piece by piece.
    public func write(to sink: ([UInt8]) throws -> Void) throws {
        let next = pieces()
        while let piece = try next() { try sink(piece) }
    }

    /// The same table as an .xlsx workbook (NIK and phone as text, dates as dates).
    public func workbook() throws -> SheetFile {
        try SheetFile(sheet: "PSKS", columns: columns, rows: forEachRow)
    }

    /// Each record as the export's cells, masked where the caller may not see personal data,
    /// batch by batch: only the rows are read under each short transaction.
    func forEachRow(_ body: ([String]) throws -> Void) throws {
        var next: PSKSQuery? = query
        while next != nil {
            for cells in try batch(&next) { try body(cells) }
        }
    }

    /// The batch of rows `query` starts at, as cells; `query` moves on to the next batch (nil
    /// after the last).
    private func batch(_ query: inout PSKSQuery?) throws -> [[String]] {
        guard var q = query else { return [] }
        let plan = try PSKSSearchPlan(q, scope: scope, limit: Self.batchSize)
        let batch = try db.read { c in try c.query(plan.sql, plan.args).map(PSKSRecord.from) }
        let isMasked = { (r: PSKSRecord) in !caller.seesPersonalData(in: r.region) }
        let rows = batch.map { r in
            let masked = isMasked(r)
            return columns.map { $0 == "assigned_kecamatan" && r.assignedKecamatan == nil ? "" : (r.text($0, masked: masked) ?? "") }
        }
        // Logged batch by batch as it goes out (an export stopped half-way showed only those).
        accessLog.shown(batch, masked: isMasked, to: caller, what: "export")
        if batch.count == Self.batchSize, let last = batch.last {
            q.cursor = plan.cursor(after: last)
            query = q
        } else {
            query = nil
        }
        return rows
    }
}
