import Foundation
import SQLiteStore

extension StatsService {
    /// PMKS counts over the region's subtree and the months asked for, from `stats_pmks`.
    /// Units are never added together: every row carries its unit, and a grouping without
    /// category still groups by unit. Groups whose total is 0 are left out.
    public func pmks(_ q: PMKSStatsQuery) throws -> StatsAnswer {
        let byRegion = q.by.contains(.region), byPeriod = q.by.contains(.period)
        let byCategory = q.by.contains(.category), bySex = q.by.contains(.sex)
        let prefix = q.status == .verified ? "v_" : "s_"
        let months = Self.months(q.from, q.to)

        // Which rollup rows: those of the grouping level inside the subtree, or the region's own
        // row (national: the provinces'), one seek per month.
        var conditions = ["depth = ?", "period IN (\(Self.placeholders(months.count)))"]
        var args: [SQLBindable?] = [byRegion ? q.level! : (q.region?.depth ?? 1)]
        args += months as [SQLBindable?]
        if let region = q.region {
            if byRegion {
                conditions.append("region >= ? AND region < ?")
                args += [region.subtreeLowerBound, region.subtreeUpperBound]
            } else {
                conditions.append("region = ?")
                args.append(region.dotted)
            }
        }
        if !q.categories.isEmpty {
            conditions.append("category IN (\(Self.placeholders(q.categories.count)))")
            args += q.categories as [SQLBindable?]
        }
        if bySex { conditions.append("unit = 'person'") }

        var groups: [String] = []
        if byRegion { groups.append("region") }
        if byPeriod { groups.append("period") }
        if byCategory { groups.append("category") }
        groups.append("unit")
        let having = bySex ? "male <> 0 OR female <> 0" : "total <> 0"
        // Only the sums the answer needs: each extra column read costs on national scans.
        let sums = bySex ? "sum(\(prefix)male) AS male, sum(\(prefix)female) AS female" : "sum(\(prefix)total) AS total"
        var sql = """
            SELECT \(groups.joined(separator: ", ")), \(sums)
            FROM stats_pmks WHERE \(conditions.joined(separator: " AND "))
            GROUP BY \(groups.joined(separator: ", ")) HAVING \(having)
            """
        if byRegion {
            sql = "SELECT g.*, rg.name AS region_name FROM (\(sql)) AS g LEFT JOIN regions AS rg ON rg.code = g.region"
        }

        let (name, rows) = try pilar.db.read { c -> (String, [Row]) in
            (try Self.regionName(q.region, c), try c.query(sql, args))
        }

        struct Item { var region = "", regionName = "", period = "", category = "", unit = "", sex = "", total: Int64 = 0 }
        var items: [Item] = []
        items.reserveCapacity(rows.count * (bySex ? 2 : 1))
        for r in rows {
            var item = Item()
            if byRegion { item.region = r.string("region"); item.regionName = r.optionalString("region_name") ?? "" }
            if byPeriod { item.period = r.string("period") }
            if byCategory { item.category = r.string("category") }
            item.unit = r.string("unit")
            if bySex {
                for (sex, n) in [("male", r.int64("male")), ("female", r.int64("female"))] where n != 0 {
                    item.sex = sex
                    item.total = n
                    items.append(item)
                }
            } else {
                item.total = r.int64("total")
                items.append(item)
            }
        }
        items.sort { a, b in
            if a.region != b.region { return a.region < b.region }
            if a.period != b.period { return a.period < b.period }
            if a.category != b.category { return Self.before(a.category, b.category, Self.categoryOrder) }
            if a.unit != b.unit { return Self.before(a.unit, b.unit, Self.unitOrder) }
            return a.sex == "male" && b.sex == "female"
        }

        var columns: [String] = []
        if byRegion { columns += ["region", "region_name"] }
        if byPeriod { columns.append("period") }
        if byCategory { columns += ["category", "category_name"] }
        columns.append("unit")
        if bySex { columns.append("sex") }
        columns.append("total")

        let objects: [JSONObject] = items.map { i in
            var o = JSONObject()
            if byRegion { o["region"] = .string(i.region); o["region_name"] = .string(i.regionName) }
            if byPeriod { o["period"] = .string(i.period) }
            if byCategory {
                o["category"] = .string(i.category)
                o["category_name"] = .from(PMKSCategory.named(i.category)?.name)
            }
            o["unit"] = .string(i.unit)
            if bySex { o["sex"] = .string(i.sex) }
            o["total"] = .int(i.total)
            return o
        }
        var envelope = Self.envelope(region: q.region, name: name, from: q.from, to: q.to, by: q.by, level: q.level)
        envelope["status"] = .string(q.status.rawValue)
        if !q.categories.isEmpty { envelope["category"] = .array(q.categories.map(JSON.string)) }
        return Self.answer(envelope, items: objects, columns: columns)
    }
}
