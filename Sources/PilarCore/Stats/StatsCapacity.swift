import Foundation
import SQLiteStore

/// The capacity-building dashboard (issue 7): for a region and a year, per child region (or per
/// PSKS type) and in total:
///
/// - `active`, `active_<TYPE>`: registry records with status 'active' now, whose region is in the subtree.
/// - `trained_ever`: active records with evidence of training dated on or before today;
///   `trained_3y`: active records with evidence dated from 1 January of year-2 to 31 December of
///   year (cut at today). Evidence is either a participation with completed = 1 in a training
///   that is not cancelled, dated by its ends_on (so it has ended), or an attested
///   psks.training_completed_on. Any programme counts, for every type.
/// - `trainings`: trainings not cancelled whose starts_on is in the year and whose region is in
///   the subtree (nasional trainings, region NULL, count only in the national total);
///   `participants`, `completions`: their participant rows, and those with completed = 1.
/// - `awards`, `awards_<level>`: psks_awards of the year given to records (any status) in the subtree.
/// - `desa`: desa/kelurahan in the subtree that exist this month; `desa_with_psm`: those that are
///   the region of at least one active PSM record; `psm_coverage` = desa_with_psm / desa
///   (4 places, null without desa); and the list of those without.
///
/// Rows by region count the child's subtree; records and trainings of the region's own level (a
/// provincial training, an LKS registered at the kabupaten) are in the total only. Rows by type
/// add up to the total (trainings and desa have no type and are in the total only).
extension StatsService {
    public func parseCapacity(_ pairs: [(name: String, value: String)], by caller: Caller) throws -> CapacityStatsQuery {
        try CapacityStatsQuery.parse(pairs, caller: caller, now: pilar.clock.now(), timeZone: pilar.config.dueDates.timeZone)
    }

    public func capacity(_ q: CapacityStatsQuery) throws -> StatsAnswer {
        let read = try pilar.db.read { c in try CapacityReader(q: q, c: c).read() }
        return read.answer(q)
    }
}

/// The numbers of one row (a child region, a type, or the total).
struct CapacityCounts {
    var active = 0, trainedEver = 0, trained3y = 0
    var activeByType: [String: Int] = [:]
    var trainings = 0, participants = 0, completions = 0
    var awardsByLevel: [String: Int] = [:]
    var desa = 0, desaWithPSM = 0

    static let awardLevels = ["kabkota", "provinsi", "nasional"]
    static let types = PSKSType.all.map(\.code)

    mutating func add(_ o: CapacityCounts) {
        active += o.active; trainedEver += o.trainedEver; trained3y += o.trained3y
        for (k, v) in o.activeByType { activeByType[k, default: 0] += v }
        trainings += o.trainings; participants += o.participants; completions += o.completions
        for (k, v) in o.awardsByLevel { awardsByLevel[k, default: 0] += v }
        desa += o.desa; desaWithPSM += o.desaWithPSM
    }

    /// Columns of a region row (and of the total), after region and region_name.
    static let regionColumns = ["active", "trained_ever", "trained_3y", "trainings", "participants", "completions",
                                "awards"] + awardLevels.map { "awards_\($0)" }
        + ["desa", "desa_with_psm", "psm_coverage"] + types.map { "active_\($0)" }
    /// Columns of a type row, after type and type_name.
    static let typeColumns = ["active", "trained_ever", "trained_3y", "participants", "completions", "awards"]
        + awardLevels.map { "awards_\($0)" }

    func cells(_ columns: [String]) -> [JSON] {
        columns.map { c in
            switch c {
            case "active": return .int(Int64(active))
            case "trained_ever": return .int(Int64(trainedEver))
            case "trained_3y": return .int(Int64(trained3y))
            case "trainings": return .int(Int64(trainings))
            case "participants": return .int(Int64(participants))
            case "completions": return .int(Int64(completions))
            case "awards": return .int(Int64(awardsByLevel.values.reduce(0, +)))
            case "desa": return .int(Int64(desa))
            case "desa_with_psm": return .int(Int64(desaWithPSM))
            case "psm_coverage":
                guard desa > 0 else { return .null }
                return .double((Double(desaWithPSM) / Double(desa) * 10_000).rounded() / 10_000)
            default:
                if c.hasPrefix("awards_") { return .int(Int64(awardsByLevel[String(c.dropFirst(7))] ?? 0)) }
                return .int(Int64(activeByType[String(c.dropFirst(7))] ?? 0))  // active_<TYPE>
            }
        }
    }
}

/// The queries of one answer, run in one read snapshot. Each groups by `g`, the record's (or
/// training's) region cut to the child level; a shorter `g` (the region's own level) goes to
/// the total only. By type, `g` is '' and the type is the group.
struct CapacityReader {
    let q: CapacityStatsQuery
    let c: Connection

    struct Result {
        var name = ""
        var children: [(code: String, name: String)] = []
        var byChild: [String: CapacityCounts] = [:]
        var byType: [String: CapacityCounts] = [:]
        var total = CapacityCounts()
        var uncovered: [(code: String, name: String)] = []
    }

    /// Length of a child code at the row level ("32" 2, "32.74" 5, "32.74.01" 8); 0 by type.
    var childLength: Int { q.by == .region ? [0, 2, 5, 8][q.level!] : 0 }

    /// " AND <column> >= ? AND <column> < ?" for the subtree (nothing at national level).
    func subtree(_ column: String) -> (String, [SQLBindable?]) {
        guard let r = q.region else { return ("", []) }
        return (" AND \(column) >= ? AND \(column) < ?", [r.subtreeLowerBound, r.subtreeUpperBound])
    }

    mutating func add(_ g: String, _ type: String?, _ change: (inout CapacityCounts) -> Void) {
        change(&result.total)
        if let type { change(&result.byType[type, default: CapacityCounts()]) }
        if q.by == .region && g.utf8.count == childLength { change(&result.byChild[g, default: CapacityCounts()]) }
    }

    var result = Result()
    /// Set by `plans()`: each query is explained instead of run (the tests check the plans).
    var plansSeen: [(sql: String, plan: [String])]?

    func read() throws -> Result {
        var me = self
        me.result.name = try StatsService.regionName(q.region, c)
        try me.readAll()
        return me.result
    }

    /// EXPLAIN QUERY PLAN of every query an answer runs.
    func plans() throws -> [(sql: String, plan: [String])] {
        var me = self
        me.plansSeen = []
        try me.readAll()
        return me.plansSeen!
    }

    private mutating func readAll() throws {
        try readChildren()
        try readActive()
        try readTrained()
        try readTrainings()
        try readAwards()
        try readCoverage()
    }

    mutating func rows(_ sql: String, _ args: [SQLBindable?]) throws -> [Row] {
        if plansSeen != nil {
            plansSeen!.append((sql, try c.explainQueryPlan(sql, args)))
            return []
        }
        return try c.query(sql, args)
    }

    mutating func readChildren() throws {
        guard q.by == .region, let level = q.level else { return }
        let levels = [1: "'provinsi'", 2: "'kabupaten', 'kota'", 3: "'kecamatan'"][level]!
        let (range, args) = subtree("code")
        for row in try rows("SELECT code, name FROM regions WHERE level IN (\(levels))\(range) ORDER BY code", args) {
            result.children.append((row.string(0), row.string(1)))
        }
    }

    /// Active records per type, from the stats_psks rollup (kept by triggers with the registry):
    /// rows at the child depth in the subtree, and the region's own row (national: the provinces).
    mutating func readActive() throws {
        var sql: String, args: [SQLBindable?]
        if let r = q.region {
            sql = "SELECT region, type, subtree FROM stats_psks WHERE depth = ? AND region = ?"
            args = [r.depth, r.dotted]
        } else {
            sql = "SELECT '' AS region, type, subtree FROM stats_psks WHERE depth = 1"
            args = []
        }
        if q.by == .region {
            let (range, rangeArgs) = subtree("region")
            sql += " UNION ALL SELECT region, type, subtree FROM stats_psks WHERE depth = ?\(range)"
            args += [q.level!] + rangeArgs
        }
        for row in try rows(sql, args) {
            let type = row.string(1), n = row.int(2)
            guard n != 0 else { continue }
            if q.by == .region && row.string(0).utf8.count == childLength {
                result.byChild[row.string(0), default: CapacityCounts()].active += n
                result.byChild[row.string(0), default: CapacityCounts()].activeByType[type, default: 0] += n
            } else {
                result.total.active += n
                result.total.activeByType[type, default: 0] += n
                result.byType[type, default: CapacityCounts()].active += n
            }
        }
    }

    /// Active records with evidence of training: each piece of evidence (an attested date, a
    /// completed participation) is one row with its date's place in the window, and rows are
    /// grouped per record so a record trained twice counts once. Only records with evidence are
    /// read, through psks_capacity (Migrations/0007) for the attested ones; participations
    /// nationally by scanning them once (there are fewer than records and a probe per record
    /// cost 3x), in a subtree through its records.
    mutating func readTrained() throws {
        let (range, rangeArgs) = subtree("p.region")
        let today = q.today.description
        let participations: String
        var args: [SQLBindable?] = [q.windowFrom, q.windowTo, today] + rangeArgs + [q.windowFrom, q.windowTo]
        if q.region == nil {
            participations = """
                SELECT tp.psks_id, t.ends_on BETWEEN ? AND ? FROM training_participants AS tp
                JOIN trainings AS t ON t.id = tp.training_id
                WHERE tp.completed = 1 AND t.status <> 'cancelled' AND t.ends_on <= ?
                """
            args += [today]
        } else {
            participations = """
                SELECT tp.psks_id, t.ends_on BETWEEN ? AND ? FROM psks AS p
                JOIN training_participants AS tp ON tp.psks_id = p.id JOIN trainings AS t ON t.id = tp.training_id
                WHERE p.status = 'active'\(range) AND tp.completed = 1 AND t.status <> 'cancelled' AND t.ends_on <= ?
                """
            args += rangeArgs + [today]
        }
        let sql = """
            SELECT substr(p.region, 1, ?) AS g, p.type AS type, count(*) AS ever, sum(e.recent) AS recent
            FROM (SELECT id, max(recent) AS recent FROM (
                    SELECT p.id AS id, p.training_completed_on BETWEEN ? AND ? AS recent FROM psks AS p
                    WHERE p.status = 'active' AND p.training_completed_on <= ?\(range)
                    UNION ALL
                    \(participations)
                  ) GROUP BY id) AS e
            JOIN psks AS p ON p.id = e.id
            WHERE p.status = 'active'\(range)
            GROUP BY g, type
            """
        for row in try rows(sql, [childLength] + args + rangeArgs) {
            let ever = row.int(2), recent = row.int(3)
            add(row.string(0), row.string(1)) { n in
                n.trainedEver += ever
                n.trained3y += recent
            }
        }
    }

    /// Trainings held in the year, with their participants; by type, participants by the type of their record.
    mutating func readTrainings() throws {
        let (range, rangeArgs) = subtree("t.region")
        let held = "t.status <> 'cancelled' AND t.starts_on BETWEEN ? AND ?\(range)"
        let args: [SQLBindable?] = [q.yearFrom, q.yearTo] + rangeArgs
        let sql = """
            SELECT substr(coalesce(t.region, ''), 1, ?) AS g, count(*) AS trainings,
                   sum((SELECT count(*) FROM training_participants AS tp WHERE tp.training_id = t.id)) AS participants,
                   sum((SELECT count(*) FROM training_participants AS tp WHERE tp.training_id = t.id AND tp.completed = 1)) AS completions
            FROM trainings AS t WHERE \(held)
            GROUP BY g
            """
        for row in try rows(sql, [childLength] + args) {
            let (n, p, done) = (row.int(1), row.int(2), row.int(3))
            add(row.string(0), nil) { $0.trainings += n; $0.participants += p; $0.completions += done }
        }
        guard q.by == .type else { return }
        let byType = """
            SELECT p.type, count(*), sum(tp.completed)
            FROM trainings AS t JOIN training_participants AS tp ON tp.training_id = t.id JOIN psks AS p ON p.id = tp.psks_id
            WHERE \(held)
            GROUP BY p.type
            """
        for row in try rows(byType, args) {
            let (p, done) = (row.int(1), row.int(2))
            result.byType[row.string(0), default: CapacityCounts()].participants += p
            result.byType[row.string(0), default: CapacityCounts()].completions += done
        }
    }

    /// Awards of the year by the level that gave them, counted where the record is.
    mutating func readAwards() throws {
        let (range, rangeArgs) = subtree("p.region")
        let sql = """
            SELECT substr(p.region, 1, ?) AS g, p.type, a.level, count(*)
            FROM psks_awards AS a JOIN psks AS p ON p.id = a.psks_id
            WHERE a.year = ?\(range)
            GROUP BY g, p.type, a.level
            """
        for row in try rows(sql, [childLength, q.year] + rangeArgs) {
            let level = row.string(2), n = row.int(3)
            add(row.string(0), row.string(1)) { $0.awardsByLevel[level, default: 0] += n }
        }
    }

    /// Every desa/kelurahan of the subtree that exists this month, in code order, with one
    /// probe of psks_capacity (status, region, type) each; rows are streamed. The table is read
    /// in its own (code) order: `+d.level` keeps SQLite off regions_by_level, whose entries
    /// would need a lookup of each row's name and a sort (national: 0.14 -> 0.07 s). The name
    /// comes back only for a desa without a PSM (NULL = covered), so the probe runs once.
    mutating func readCoverage() throws {
        let (range, rangeArgs) = subtree("d.code")
        let sql = """
            SELECT d.code,
                   iif(EXISTS (SELECT 1 FROM psks AS p WHERE p.type = 'PSM' AND p.region = d.code AND p.status = 'active'),
                       NULL, d.name)
            FROM regions AS d
            WHERE +d.level IN ('desa', 'kelurahan')\(range)
              AND (d.valid_from IS NULL OR d.valid_from <= ?) AND (d.valid_until IS NULL OR d.valid_until >= ?)
            ORDER BY d.code
            """
        let keep = q.listing != .none || q.table == .uncovered
        let len = childLength
        var total = CapacityCounts()
        var byChild = result.byChild
        var uncovered: [(code: String, name: String)] = []
        if plansSeen != nil { _ = try rows(sql, rangeArgs + [q.month, q.month]); return }
        // Rows come in code order, so a child's desa are contiguous: count them in a run.
        var run = (child: "", desa: 0, covered: 0)
        func flush() {
            guard run.desa > 0 else { return }
            byChild[run.child, default: CapacityCounts()].desa += run.desa
            byChild[run.child, default: CapacityCounts()].desaWithPSM += run.covered
        }
        try c.forEach(sql, rangeArgs + [q.month, q.month]) { row in
            let code = row.string(0), name = row.optionalString(1)
            total.desa += 1
            if let name { if keep { uncovered.append((code, name)) } } else { total.desaWithPSM += 1 }
            if len > 0 && code.utf8.count > len {
                let child = code.utf8.prefix(len)
                if !run.child.utf8.elementsEqual(child) {
                    flush()
                    run = (String(decoding: child, as: UTF8.self), 0, 0)
                }
                run.desa += 1
                if name == nil { run.covered += 1 }
            }
            return true
        }
        flush()
        result.total.desa = total.desa
        result.total.desaWithPSM = total.desaWithPSM
        result.byChild = byChild
        result.uncovered = uncovered
    }
}

extension CapacityReader.Result {
    func answer(_ q: CapacityStatsQuery) -> StatsAnswer {
        var o = JSONObject()
        o["region"] = .from(q.region?.dotted)
        o["region_name"] = .string(name)
        o["year"] = .int(Int64(q.year))
        o["as_of"] = .string(q.today.description)
        o["trained_3y_from"] = .string(q.windowFrom)
        o["trained_3y_to"] = .string(q.windowTo)
        o["by"] = .string(q.by.rawValue)
        if let level = q.level { o["level"] = .string(StatsService.levelName(level)) }
        var totalObject = JSONObject()
        for (k, v) in zip(CapacityCounts.regionColumns, total.cells(CapacityCounts.regionColumns)) { totalObject[k] = v }
        o["total"] = .object(totalObject)

        let columns: [String], rows: [[JSON]]
        switch q.by {
        case .region:
            columns = ["region", "region_name"] + CapacityCounts.regionColumns
            rows = children.map { ch in
                [.string(ch.code), .string(ch.name)] + (byChild[ch.code] ?? CapacityCounts()).cells(CapacityCounts.regionColumns)
            }
        case .type:
            columns = ["type", "type_name"] + CapacityCounts.typeColumns
            rows = PSKSType.all.map { t in
                [.string(t.code), .string(t.name)] + (byType[t.code] ?? CapacityCounts()).cells(CapacityCounts.typeColumns)
            }
        }
        o["items"] = .array(rows.map { row in
            var item = JSONObject()
            for (c, v) in zip(columns, row) { item[c] = v }
            return .object(item)
        })
        if q.listing != .none {
            o["desa_without_psm"] = .array(uncovered.map { d in .object(["code": .string(d.code), "name": .string(d.name)]) })
        }

        // CSV: the table (by region with the region's own total first), or the uncovered desa.
        let csvColumns: [String], csvRows: [[JSON]]
        switch (q.table, q.by) {
        case (.uncovered, _):
            csvColumns = ["code", "name"]
            csvRows = uncovered.map { [.string($0.code), .string($0.name)] }
        case (.regions, .region):
            csvColumns = columns
            csvRows = [[.string(q.region?.dotted ?? ""), .string(name)] + total.cells(CapacityCounts.regionColumns)] + rows
        case (.regions, .type):
            csvColumns = columns
            csvRows = rows
        }
        return StatsAnswer(envelope: JSONObject(), columns: csvColumns, rows: csvRows, document: .object(o))
    }
}
