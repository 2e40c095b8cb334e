import Foundation
import SQLiteStore

extension Pilar {
    public var stats: StatsService { StatsService(self) }
}

/// One dashboard answer: the JSON document and the same table as CSV rows.
public struct StatsAnswer {
    public var json: JSON
    public var csvHeader: [String]
    public var csvRows: [[String]]
}

/// The read side of the dashboards. Counts come from the rollup tables the triggers of
/// Migrations/0004_stats.sql keep; completeness is computed from `regions` and `reports`.
public struct StatsService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    /// A strong ETag for an answer, computed without touching the data: the data version that
    /// every committed write bumps, the caller's scope, the normalized query, the format, and
    /// for completeness the day count its `days_late` depends on.
    ///
    /// Call it BEFORE reading: the version is bumped after a commit, so a read that races a
    /// write can only carry an older tag than its data (the next poll refetches), never newer.
    public func etag(canonical: String, caller: Caller, csv: Bool, clockSensitive: Bool = false) -> String {
        var key = "\(pilar.dataVersion.current)|\(caller.role.rawValue)|\(caller.region?.dotted ?? "*")|\(canonical)|\(csv ? "csv" : "json")"
        if clockSensitive {
            // days_late of an overdue report ticks once a day, at the due time of day.
            let policy = pilar.config.dueDates
            let anchor = policy.dueAt(ReportPeriod(year: 2000, month: 1))
            key += "|\(Int((pilar.clock.now().timeIntervalSince(anchor) / 86_400).rounded(.down)))"
        }
        return "\"\(pilar.dataVersion.current)-\(Migration.fnv1a64(key))\""
    }

    public func parsePMKS(_ pairs: [(name: String, value: String)], by caller: Caller) throws -> PMKSStatsQuery {
        try PMKSStatsQuery.parse(pairs, caller: caller, now: pilar.clock.now(), timeZone: pilar.config.dueDates.timeZone)
    }

    public func parsePSKS(_ pairs: [(name: String, value: String)], by caller: Caller) throws -> PSKSStatsQuery {
        try PSKSStatsQuery.parse(pairs, caller: caller, now: pilar.clock.now(), timeZone: pilar.config.dueDates.timeZone)
    }

    public func parseCompleteness(_ pairs: [(name: String, value: String)], by caller: Caller) throws -> CompletenessQuery {
        try CompletenessQuery.parse(pairs, caller: caller, now: pilar.clock.now(), timeZone: pilar.config.dueDates.timeZone)
    }

    // MARK: shared helpers

    /// The region's name, or a 404 when it is not in the register (national: "Indonesia").
    static func regionName(_ region: RegionCode?, _ c: Connection) throws -> String {
        guard let region else { return "Indonesia" }
        guard let row = try c.queryOne("SELECT name FROM regions WHERE code = ?", region.dotted) else {
            throw PilarError.notFound("no region with code \(region.dotted)")
        }
        return row.string("name")
    }

    /// The answer's header members shared by the count endpoints.
    static func envelope(region: RegionCode?, name: String, from: ReportPeriod?, to: ReportPeriod?,
                         by: [StatsKey], level: Int?) -> JSONObject {
        var o = JSONObject()
        o["region"] = .from(region?.dotted)
        o["region_name"] = .string(name)
        if let from, let to {
            o["period"] = .string(from.description)
            o["period_to"] = .string(to.description)
        }
        o["by"] = .array(by.map { .string($0.rawValue) })
        if let level { o["level"] = .string(levelName(level)) }
        return o
    }

    static func levelName(_ depth: Int) -> String { ["national", "provinsi", "kabkota", "kecamatan"][min(depth, 3)] }

    /// "?, ?, ?" for an IN list.
    static func placeholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

    static func months(_ from: ReportPeriod, _ to: ReportPeriod) -> [String] {
        ReportPeriod.range(from: from, to: to).map(\.description)
    }

    /// The CSV text of a JSON cell.
    static func cell(_ v: JSON) -> String {
        switch v {
        case .null: return ""
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double: return v.encodedString()  // as in the JSON: 1, 0.4
        case .bool(let b): return b ? "true" : "false"
        default: return v.encodedString()
        }
    }

    /// Rows as `items`, and as CSV columns `columns` (absent members are empty cells).
    static func answer(_ envelope: JSONObject, items: [JSONObject], columns: [String]) -> StatsAnswer {
        var o = envelope
        o["items"] = .array(items.map(JSON.object))
        return StatsAnswer(json: .object(o), csvHeader: columns,
                           csvRows: items.map { item in columns.map { cell(item[$0] ?? .null) } })
    }

    static let categoryOrder: [String: Int] = Dictionary(uniqueKeysWithValues: PMKSCategory.all.enumerated().map { ($1.code, $0) })
    static let typeOrder: [String: Int] = Dictionary(uniqueKeysWithValues: PSKSType.all.enumerated().map { ($1.code, $0) })
    static let unitOrder: [String: Int] = ["person": 0, "household": 1, "community": 2]

    /// Catalogue order, then unknown codes by code.
    static func before(_ a: String, _ b: String, _ order: [String: Int]) -> Bool {
        let ia = order[a] ?? Int.max, ib = order[b] ?? Int.max
        return ia != ib ? ia < ib : a < b
    }
}
