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
        // When the grouping names a whole rollup key (the month, the region, the category), each
        // group IS one rollup row and there is nothing to add up: a plain filtered read. SQLite's
        // aggregation cost ~2 us a row (a province's 12-month series: 336 rows, 1 ms).
        let oneRowPerGroup = byCategory && (byPeriod || months.count == 1) && (byRegion || q.region != nil)
        var select = groups
        var sql: String
        if oneRowPerGroup {
            select.append("unit")
            if bySex {
                select += ["\(prefix)male AS male", "\(prefix)female AS female"]
                conditions.append("(\(prefix)male <> 0 OR \(prefix)female <> 0)")
            } else {
                select.append("\(prefix)total AS total")
                conditions.append("\(prefix)total <> 0")
            }
            sql = "SELECT \(select.joined(separator: ", ")) FROM stats_pmks WHERE \(conditions.joined(separator: " AND "))"
        } else {
            if byCategory { select.append("max(unit) AS unit") }
            if bySex {
                select += ["sum(\(prefix)male) AS male", "sum(\(prefix)female) AS female"]
            } else if splitUnits {
                select += ["person", "household", "community"].map { "sum(CASE WHEN unit = '\($0)' THEN \(prefix)total END) AS \($0)" }
            } else {
                select.append("sum(\(prefix)total) AS total")
            }
            sql = "SELECT \(select.joined(separator: ", ")) FROM stats_pmks WHERE \(conditions.joined(separator: " AND "))"
            if !groups.isEmpty { sql += " GROUP BY " + groups.joined(separator: ", ") }
            // (No HAVING without GROUP BY: SQLite before 3.39 refuses it; zero rows are dropped below.)
            if !groups.isEmpty {
                if bySex { sql += " HAVING male <> 0 OR female <> 0" } else if !splitUnits { sql += " HAVING total <> 0" }
            }
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

        // Cells by column position, looked up once (by name it is a hash per cell).
        var at: [String: Int] = [:]
        if let first = rows.first { for i in 0..<first.columnCount { at[first.columnName(i)] = i } }
        let iRegion = at["region"] ?? 0, iRegionName = at["region_name"] ?? 0, iPeriod = at["period"] ?? 0
        let iCategory = at["category"] ?? 0, iUnit = at["unit"] ?? 0, iTotal = at["total"] ?? 0
        let iMale = at["male"] ?? 0, iFemale = at["female"] ?? 0
        let iUnits = ["person", "household", "community"].map { at[$0] ?? 0 }

        var table: [[JSON]] = []
        table.reserveCapacity(rows.count * 2)
        for r in rows {
            var cells: [JSON] = []
            cells.reserveCapacity(columns.count)
            if byRegion { cells += [.string(r.string(iRegion)), .from(r.optionalString(iRegionName))] }
            if byPeriod { cells.append(.string(r.string(iPeriod))) }
            if byCategory {
                let code = r.string(iCategory)
                cells += [.string(code), .from(Self.categoryNames[code])]
            }
            if bySex {
                cells.append("person")
                for (sex, n) in [("male", r.int64(iMale)), ("female", r.int64(iFemale))] where n != 0 {
                    table.append(cells + [.string(sex), .int(n)])
                }
            } else if splitUnits {
                for (unit, i) in zip(["person", "household", "community"], iUnits) {
                    let n = r.optionalInt64(i) ?? 0
                    if n != 0 { table.append(cells + [.string(unit), .int(n)]) }
                }
            } else {
                let n = r.optionalInt64(iTotal) ?? 0
                if n != 0 { table.append(cells + [.string(r.string(iUnit)), .int(n)]) }
            }
        }
        var envelope = Self.envelope(region: q.region, name: name, from: q.from, to: q.to, by: q.by, level: q.level)
        envelope["status"] = .string(q.status.rawValue)
        if !q.categories.isEmpty { envelope["category"] = .array(q.categories.map(JSON.string)) }
        return StatsAnswer(envelope: envelope, columns: columns, rows: table)
    }
}
