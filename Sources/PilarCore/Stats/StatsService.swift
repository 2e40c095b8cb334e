import Foundation
import SQLiteStore

extension Pilar {
    public var stats: StatsService { StatsService(self) }
}

/// One dashboard answer: a header (`envelope`) and a table, written as JSON (`items`, one
/// object per row) or CSV (header row, then the rows). Rows are kept as cells, not objects:
/// a national table has thousands of rows and dashboards poll it.
public struct StatsAnswer {
    public var envelope: JSONObject
    public var columns: [String]
    public var rows: [[JSON]]
    /// Set when the JSON is not one flat table (completeness); the CSV is still `columns`/`rows`.
    var document: JSON?
    /// The same, already encoded (completeness writes its long listing straight to bytes).
    var documentBytes: [UInt8]?

    /// The JSON body: the envelope's members, then `"items": [{column: cell, ...}, ...]`.
    public func jsonBytes() -> [UInt8] {
        if let documentBytes { return documentBytes }
        if let document { return document.encoded() }
        var out = JSON.object(envelope).encoded()
        out.removeLast()  // the closing brace
        out += Array((envelope.count == 0 ? "\"items\":[" : ",\"items\":[").utf8)
        let keys: [[UInt8]] = columns.map { c in
            var k: [UInt8] = []
            JSON.writeString(c, to: &k)
            k.append(UInt8(ascii: ":"))
            return k
        }
        out.reserveCapacity(out.count + rows.count * 24 * max(columns.count, 1))
        for (i, row) in rows.enumerated() {
            out.append(i == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            if i > 0 { out.append(UInt8(ascii: "{")) }
            for (j, cell) in row.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                out += keys[j]
                if case .string(let text) = cell { StatsService.writeJSONString(text, to: &out) } else { cell.write(to: &out) }
            }
            out.append(UInt8(ascii: "}"))
        }
        out += Array("]}".utf8)
        return out
    }

    /// The same as a JSON value (tests and callers that want to look inside).
    public var json: JSON {
        if let documentBytes { return (try? JSON.parse(documentBytes)) ?? .null }
        if let document { return document }
        var o = envelope
        o["items"] = .array(rows.map { row in
            var item = JSONObject()
            for (c, v) in zip(columns, row) { item[c] = v }
            return .object(item)
        })
        return .object(o)
    }

    public var csvHeader: [String] { columns }
    public var csvRows: [[String]] { rows.map { $0.map(StatsService.cell) } }
}

/// The read side of the dashboards. Counts come from the rollup tables the triggers of
/// Migrations/0004_stats.sql keep; completeness is computed from `regions` and `reports`.
public struct StatsService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    /// The version of an answer, computed without touching the aggregates: the stats version
    /// (bumped by triggers whenever data a stats answer reads changes, in any process), the
    /// caller's scope, the normalized query, the format, and for completeness the day count its
    /// `days_late` depends on. With it, the key the answer is cached under in
    /// `pilar.statsAnswers` (nil when the stats version cannot be read: then nothing is cached).
    ///
    /// Call it BEFORE reading: the stats version is read in a snapshot taken before the
    /// answer's, so a read that races a write can only carry an older tag than its data (the
    /// next poll refetches), never newer.
    public func tag(canonical: String, caller: Caller, csv: Bool, clockSensitive: Bool = false) -> (version: VersionTag, cacheKey: String?) {
        // Unreadable version: a tag no client holds, so no 304 is given for unknown data.
        guard let version = pilar.statsVersion() else { return (VersionTag("x-\(UInt64.random(in: 0...UInt64.max))"), nil) }
        let key = cacheKey(version: version, canonical: canonical, caller: caller, csv: csv, clockSensitive: clockSensitive)
        return (Self.versionTag(version, key), key)
    }

    /// The same tag from the in-memory copy of the stats version, without touching the
    /// database (for answers given on the event loop); nil when anything may have been
    /// committed since the copy was read (then a worker answers, reading the version afresh).
    public func tagFromMemory(canonical: String, caller: Caller, csv: Bool, clockSensitive: Bool = false) -> VersionTag? {
        guard let version = pilar.statsVersionCache.recent(pilar.commitWatch) else { return nil }
        return Self.versionTag(version, cacheKey(version: version, canonical: canonical, caller: caller, csv: csv, clockSensitive: clockSensitive))
    }

    static func versionTag(_ version: Int64, _ key: String) -> VersionTag {
        VersionTag("\(version)-\(Digest.sha256Hex(Array(key.utf8)).prefix(16))")
    }

    func cacheKey(version: Int64, canonical: String, caller: Caller, csv: Bool, clockSensitive: Bool) -> String {
        var key = "\(version)|\(caller.role.rawValue)|\(caller.region?.dotted ?? "*")|\(canonical)|\(csv ? "csv" : "json")"
        if clockSensitive {
            // days_late of an overdue report ticks once a day, at the due time of day.
            let policy = pilar.config.dueDates
            let anchor = policy.dueAt(ReportPeriod(year: 2000, month: 1))
            key += "|\(Int((pilar.clock.now().timeIntervalSince(anchor) / 86_400).rounded(.down)))"
        }
        return key
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
    /// Runs a grouped count query in one snapshot: its groups ordered by region, month and
    /// `lastKey` (whichever are asked for), each named region with its name, plus the name of
    /// the region asked about.
    func readGroups(_ sql: String, _ args: [SQLBindable?], region: RegionCode?, byRegion: Bool, byPeriod: Bool,
                    lastKey: String?) throws -> (name: String, rows: [Row]) {
        var order: [String] = []
        if byRegion { order.append("region") }
        if byPeriod { order.append("period") }
        if let lastKey { order.append(lastKey) }
        let names = byRegion ? ", (SELECT name FROM regions WHERE code = g.region) AS region_name" : ""
        let full = "SELECT g.*\(names) FROM (\(sql)) AS g" + (order.isEmpty ? "" : " ORDER BY " + order.joined(separator: ", "))
        return try pilar.db.read { c in (try Self.regionName(region, c), try c.query(full, args)) }
    }

    static func regionName(_ region: RegionCode?, _ c: Connection) throws -> String {
        guard let region else { return "Indonesia" }
        guard let row = try c.queryOne("SELECT name FROM regions WHERE code = ?", region.dotted) else {
            throw RegionService.notFound(region)
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

    /// A JSON string, copied in one piece when nothing in it needs escaping (the usual case:
    /// codes, names, timestamps); JSON.writeString appends byte by byte.
    static func writeJSONString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            if bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                JSON.writeString(String(decoding: bytes, as: UTF8.self), to: &out)
            } else {
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: bytes)
                out.append(UInt8(ascii: "\""))
            }
        }
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

    static let categoryNames: [String: String] = Dictionary(uniqueKeysWithValues: PMKSCategory.all.map { ($0.code, $0.name) })
    static let typeNames: [String: String] = Dictionary(uniqueKeysWithValues: PSKSType.all.map { ($0.code, $0.name) })

    /// An SQL expression giving `column`'s position in a catalogue, so SQLite returns rows in
    /// the order people know (ABT, AT, ... not alphabetical); unknown codes last.
    static func catalogueOrder(_ column: String, _ codes: [String]) -> String {
        "CASE \(column) " + codes.enumerated().map { "WHEN '\($1)' THEN \($0)" }.joined(separator: " ") + " ELSE 9999 END"
    }
    static let categoryOrderSQL = catalogueOrder("category", PMKSCategory.all.map(\.code))
    static let typeOrderSQL = catalogueOrder("type", PSKSType.all.map(\.code))
    static let unitOrderSQL = catalogueOrder("unit", ["person", "household", "community"])

}
