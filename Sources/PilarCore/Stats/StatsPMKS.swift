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

        // GROUP BY in the primary key's order (months come from the IN list in order, then
        // region, then category), so SQLite aggregates as it scans, with no sort of the raw
        // rows. Without category the units are split by conditional sums rather than grouped.
        var groups: [String] = []
        if byPeriod { groups.append("period") }
        if byRegion { groups.append("region") }
        if byCategory { groups.append("category") }
        let splitUnits = !byCategory && !bySex
        var select = groups
        if byCategory { select.append("max(unit) AS unit") }
        if bySex {
            select += ["sum(\(prefix)male) AS male", "sum(\(prefix)female) AS female"]
        } else if splitUnits {
            select += ["person", "household", "community"].map { "sum(CASE WHEN unit = '\($0)' THEN \(prefix)total END) AS \($0)" }
        } else {
            select.append("sum(\(prefix)total) AS total")
        }
        var sql = "SELECT \(select.joined(separator: ", ")) FROM stats_pmks WHERE \(conditions.joined(separator: " AND "))"
        if !groups.isEmpty { sql += " GROUP BY " + groups.joined(separator: ", ") }
        // (No HAVING without GROUP BY: SQLite before 3.39 refuses it; zero rows are dropped below.)
        if !groups.isEmpty {
            if bySex { sql += " HAVING male <> 0 OR female <> 0" } else if !splitUnits { sql += " HAVING total <> 0" }
        }
        // Output order (SQLite sorts the groups, not the raw rows): region, month, catalogue.
        let (name, rows) = try readGroups(sql, args, region: q.region, byRegion: byRegion, byPeriod: byPeriod,
                                          lastKey: byCategory ? Self.categoryOrderSQL : nil)

        var columns: [String] = []
        if byRegion { columns += ["region", "region_name"] }
        if byPeriod { columns.append("period") }
        if byCategory { columns += ["category", "category_name"] }
        columns.append("unit")
        if bySex { columns.append("sex") }
        columns.append("total")

        var table: [[JSON]] = []
        table.reserveCapacity(rows.count * 2)
        for r in rows {
            var cells: [JSON] = []
            cells.reserveCapacity(columns.count)
            if byRegion { cells += [.string(r.string("region")), .from(r.optionalString("region_name"))] }
            if byPeriod { cells.append(.string(r.string("period"))) }
            if byCategory {
                let code = r.string("category")
                cells += [.string(code), .from(Self.categoryNames[code])]
            }
            if bySex {
                cells.append("person")
                for (sex, n) in [("male", r.int64("male")), ("female", r.int64("female"))] where n != 0 {
                    table.append(cells + [.string(sex), .int(n)])
                }
            } else if splitUnits {
                for unit in ["person", "household", "community"] {
                    let n = r.optionalInt64(unit) ?? 0
                    if n != 0 { table.append(cells + [.string(unit), .int(n)]) }
                }
            } else {
                let n = r.optionalInt64("total") ?? 0
                if n != 0 { table.append(cells + [.string(r.string("unit")), .int(n)]) }
            }
        }
        var envelope = Self.envelope(region: q.region, name: name, from: q.from, to: q.to, by: q.by, level: q.level)
        envelope["status"] = .string(q.status.rawValue)
        if !q.categories.isEmpty { envelope["category"] = .array(q.categories.map(JSON.string)) }
        return StatsAnswer(envelope: envelope, columns: columns, rows: table)
    }
}
