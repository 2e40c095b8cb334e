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
        var after: (period: String, kecamatan: String)?
        if let cursor = q.cursor {
            let key = try Cursor.decode(cursor, arity: 2)
            guard let p = key[0].stringValue, let k = key[1].stringValue else {
                throw PilarError(.badRequest, code: "cursor_invalid")
            }
            after = (p, k)
        }
        let moment = now
        return try pilar.db.read { c in
            let rows = try ReportStore.list(c, in: region, period: q.period, status: q.status, late: q.late, after: after, limit: q.limit + 1)
            let page = rows.prefix(q.limit)
            let next = rows.count > q.limit ? page.last.map { Cursor.encode([.string($0.period.description), .string($0.kecamatan.dotted)]) } : nil
            return (page.map { $0.summaryJSON(daysLate: $0.daysLate(policy: pilar.config.dueDates, now: moment)) }, next)
        }
    }

    /// The PMKS catalogue as stored (seeded from PMKSCategory.all), in catalogue order.
    public func categories() throws -> [JSON] {
        try pilar.db.read { c in
            try ReportStore.categories(c).map { r in
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
