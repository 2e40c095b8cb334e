import Foundation
import SQLiteStore

extension StatsService {
    /// PSKS counts: active registry records now (`stats_psks`), or what TKSK reported for the
    /// months asked for (`stats_psks_reported`).
    public func psks(_ q: PSKSStatsQuery) throws -> StatsAnswer {
        let byRegion = q.by.contains(.region), byType = q.by.contains(.type), byPeriod = q.by.contains(.period)
        let (sql, args) = q.source == .registry ? Self.registrySQL(q) : Self.reportedSQL(q)
        let (name, rows) = try readGroups(sql, args, region: q.region, byRegion: byRegion, byPeriod: byPeriod,
                                          lastKey: byType ? Self.typeOrderSQL : nil)
        var columns: [String] = []
        if byRegion { columns += ["region", "region_name"] }
        if byPeriod { columns.append("period") }
        if byType { columns += ["type", "type_name"] }
        columns.append("total")
        let table: [[JSON]] = rows.filter { ($0.optionalInt64("total") ?? 0) != 0 }.map { r in
            var cells: [JSON] = []
            if byRegion { cells += [.string(r.string("region")), .from(r.optionalString("region_name"))] }
            if byPeriod { cells.append(.string(r.string("period"))) }
            if byType {
                let type = r.string("type")
                cells += [.string(type), .from(Self.typeNames[type])]
            }
            cells.append(.int(r.int64("total")))
            return cells
        }
        var envelope = Self.envelope(region: q.region, name: name, from: q.from, to: q.to, by: q.by, level: q.level)
        envelope["source"] = .string(q.source.rawValue)
        if q.source == .reports { envelope["status"] = .string(q.status.rawValue) }
        if !q.types.isEmpty { envelope["type"] = .array(q.types.map(JSON.string)) }
        return StatsAnswer(envelope: envelope, columns: columns, rows: table)
    }

    /// Registry rows. Grouped by region at level L, a record counts in its ancestor at L; a
    /// record registered above L (an LKS of the kabupaten when rows are kecamatan) counts in a
    /// row of its own region, from the `here` sums, so the rows add up to the region's total.
    static func registrySQL(_ q: PSKSStatsQuery) -> (String, [SQLBindable?]) {
        let byRegion = q.by.contains(.region), byType = q.by.contains(.type)
        var typeFilter = ""
        var typeArgs: [SQLBindable?] = []
        if !q.types.isEmpty {
            typeFilter = " AND type IN (\(placeholders(q.types.count)))"
            typeArgs = q.types.map { $0 as SQLBindable? }
        }
        var groups: [String] = []
        if byRegion { groups.append("region") }
        if byType { groups.append("type") }
        let select = groups.isEmpty ? "" : groups.joined(separator: ", ") + ", "
        let groupBy = groups.isEmpty ? "" : " GROUP BY " + groups.joined(separator: ", ")
        var source: String
        var args: [SQLBindable?] = []
        if byRegion {
            let level = q.level!, base = q.region?.depth ?? 0
            var subtree = "", subtreeArgs: [SQLBindable?] = []
            if let r = q.region {
                subtree = " AND region >= ? AND region < ?"
                subtreeArgs = [r.subtreeLowerBound, r.subtreeUpperBound]
            }
            source = """
                SELECT region, type, subtree AS n FROM stats_psks WHERE depth = ?\(subtree)\(typeFilter)
                UNION ALL
                SELECT region, type, here AS n FROM stats_psks
                WHERE depth >= ? AND depth < ? AND here <> 0\(subtree)\(typeFilter)
                """
            args = [level] + subtreeArgs + typeArgs + [max(base, 1), level] + subtreeArgs + typeArgs
        } else if let r = q.region {
            source = "SELECT region, type, subtree AS n FROM stats_psks WHERE depth = ? AND region = ?\(typeFilter)"
            args = [r.depth, r.dotted] + typeArgs
        } else {
            source = "SELECT region, type, subtree AS n FROM stats_psks WHERE depth = 1\(typeFilter)"
            args = typeArgs
        }
        let having = groups.isEmpty ? "" : " HAVING total <> 0"  // (see StatsPMKS: none without GROUP BY)
        let sql = "SELECT \(select)sum(n) AS total FROM (\(source))\(groupBy)\(having)"
        return (sql, args)
    }

    /// Reported counts: the PMKS query's shape over `stats_psks_reported`.
    static func reportedSQL(_ q: PSKSStatsQuery) -> (String, [SQLBindable?]) {
        let byRegion = q.by.contains(.region), byType = q.by.contains(.type), byPeriod = q.by.contains(.period)
        let months = Self.months(q.from!, q.to!)
        var conditions = ["depth = ?", "period IN (\(placeholders(months.count)))"]
        var args: [SQLBindable?] = [byRegion ? q.level! : (q.region?.depth ?? 1)]
        args += months.map { $0 as SQLBindable? }
        if let region = q.region {
            if byRegion {
                conditions.append("region >= ? AND region < ?")
                args += [region.subtreeLowerBound, region.subtreeUpperBound]
            } else {
                conditions.append("region = ?")
                args.append(region.dotted)
            }
        }
        if !q.types.isEmpty {
            conditions.append("type IN (\(placeholders(q.types.count)))")
            args += q.types.map { $0 as SQLBindable? }
        }
        var groups: [String] = []
        if byRegion { groups.append("region") }
        if byPeriod { groups.append("period") }
        if byType { groups.append("type") }
        let select = groups.isEmpty ? "" : groups.joined(separator: ", ") + ", "
        let groupBy = groups.isEmpty ? "" : " GROUP BY " + groups.joined(separator: ", ")
        let column = q.status == .verified ? "v_count" : "s_count"
        let sql = """
            SELECT \(select)sum(\(column)) AS total FROM stats_psks_reported
            WHERE \(conditions.joined(separator: " AND "))\(groupBy)\(groups.isEmpty ? "" : " HAVING total <> 0")
            """
        return (sql, args)
    }
}
