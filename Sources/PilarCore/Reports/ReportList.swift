import Foundation
import SQLiteStore

extension ReportService {
    public struct ListQuery {
        public var region: RegionCode?
        public var period: ReportPeriod?
        public var status: ReportStatus?
        public var late: Bool?
        public var limit = PageSize.default
        public var cursor: String?
        public init() {}
    }

    /// Reports in the caller's subtree (or `region` inside it), newest period first, then by
    /// kecamatan code; keyset-paginated on (period, kecamatan).
    public func list(_ q: ListQuery, by caller: Caller) throws -> (items: [JSON], nextCursor: String?) {
        try caller.requireRole([.admin, .provinsi, .kabkota, .tksk], to: "read_reports")
        let region = q.region ?? caller.region
        if let region { try caller.requireCovers(region) }
        var sql = "SELECT r.*, '' AS content FROM reports r WHERE 1 = 1"
        var args: [SQLBindable?] = []
        if let region {
            sql += " AND r.kecamatan >= ? AND r.kecamatan < ?"
            args += [region.subtreeLowerBound, region.subtreeUpperBound]
        }
        if let p = q.period { sql += " AND r.period = ?"; args.append(p.description) }
        if let s = q.status { sql += " AND r.status = ?"; args.append(s.rawValue) }
        if let late = q.late { sql += " AND r.late = ?"; args.append(late ? 1 : 0) }
        if let cursor = q.cursor {
            let key = try Cursor.decode(cursor, arity: 2)
            guard let p = key[0].stringValue, let k = key[1].stringValue else {
                throw PilarError(.badRequest, code: "cursor_invalid")
            }
            sql += " AND (r.period < ? OR (r.period = ? AND r.kecamatan > ?))"
            args += [p, p, k]
        }
        sql += " ORDER BY r.period DESC, r.kecamatan ASC LIMIT ?"
        args.append(q.limit + 1)
        let moment = now
        return try pilar.db.read { c in
            let rows = try c.query(sql, args).map(ReportRecord.from)
            let page = rows.prefix(q.limit)
            let next = rows.count > q.limit ? page.last.map { Cursor.encode([.string($0.period.description), .string($0.kecamatan.dotted)]) } : nil
            return (page.map { $0.summaryJSON(daysLate: $0.daysLate(policy: pilar.config.dueDates, now: moment)) }, next)
        }
    }

    /// The PMKS catalogue as stored (seeded from PMKSCategory.all), in catalogue order.
    public func categories() throws -> [JSON] {
        try pilar.db.read { c in
            try c.query("SELECT * FROM pmks_categories ORDER BY rowid").map { r in
                var o = JSONObject()
                o["code"] = .string(r.string("code"))
                o["name"] = .string(r.string("name"))
                o["group"] = .string(r.string("grp"))
                o["unit"] = .string(r.string("unit"))
                o["active"] = .bool(r.int("active") != 0)
                o["replaced_by"] = .from(r.optionalString("replaced_by"))
                o["women_only"] = .bool(r.int("women_only") != 0)
                return .object(o)
            }
        }
    }
}
