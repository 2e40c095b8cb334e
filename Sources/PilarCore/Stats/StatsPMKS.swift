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
        // SQLite sorts the (few hundred) groups: region and month, catalogue order, unit.
        var order: [String] = []
        if byRegion { order.append("region") }
        if byPeriod { order.append("period") }
        if byCategory { order.append(Self.categoryOrderSQL) }
        order.append(Self.unitOrderSQL)
        var sql = """
            SELECT \(groups.joined(separator: ", ")), \(sums)
            FROM stats_pmks WHERE \(conditions.joined(separator: " AND "))
            GROUP BY \(groups.joined(separator: ", ")) HAVING \(having)
            """
        let names = byRegion ? ", (SELECT name FROM regions WHERE code = g.region) AS region_name" : ""
        sql = "SELECT g.*\(names) FROM (\(sql)) AS g ORDER BY \(order.joined(separator: ", "))"

        let (name, rows) = try pilar.db.read { c -> (String, [Row]) in
            (try Self.regionName(q.region, c), try c.query(sql, args))
        }

        var columns: [String] = []
        if byRegion { columns += ["region", "region_name"] }
        if byPeriod { columns.append("period") }
        if byCategory { columns += ["category", "category_name"] }
        columns.append("unit")
        if bySex { columns.append("sex") }
        columns.append("total")

        // Result columns by position: the groups, then the sums, then region_name.
        let sumAt = groups.count
        var table: [[JSON]] = []
        table.reserveCapacity(rows.count * (bySex ? 2 : 1))
        for r in rows {
            var cells: [JSON] = []
            cells.reserveCapacity(columns.count)
            var at = 0
            if byRegion {
                cells.append(.string(r.string(at)))
                cells.append(.from(r.optionalString(sumAt + (bySex ? 2 : 1))))
                at += 1
            }
            if byPeriod { cells.append(.string(r.string(at))); at += 1 }
            if byCategory {
                let code = r.string(at)
                cells.append(.string(code))
                cells.append(.from(Self.categoryNames[code]))
                at += 1
            }
            cells.append(.string(r.string(at)))
            if bySex {
                for (sex, n) in [("male", r.int64(sumAt)), ("female", r.int64(sumAt + 1))] where n != 0 {
                    table.append(cells + [.string(sex), .int(n)])
                }
            } else {
                cells.append(.int(r.int64(sumAt)))
                table.append(cells)
            }
        }
        var envelope = Self.envelope(region: q.region, name: name, from: q.from, to: q.to, by: q.by, level: q.level)
        envelope["status"] = .string(q.status.rawValue)
        if !q.categories.isEmpty { envelope["category"] = .array(q.categories.map(JSON.string)) }
        return StatsAnswer(envelope: envelope, columns: columns, rows: table)
    }
}
