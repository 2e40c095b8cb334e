import Foundation

/// The grouping keys a dashboard may ask for.
public enum StatsKey: String, CaseIterable, Sendable {
    // Declaration order is the canonical order of keys in rows, CSV columns and sorting.
    case region, period, category, type, sex
}

/// `verified` counts verified reports; `submitted` counts submitted and verified ones.
public enum StatsStatus: String, CaseIterable, Sendable {
    case verified, submitted
}

/// The query parameters of one stats request: each named at most once (`by` may repeat),
/// unknown names refused, so a typo such as `peroid=` is a 400 rather than a wrong dashboard.
struct StatsParams {
    private var values: [String: String] = [:]

    /// `_` is accepted and ignored: browsers and cache-busting scripts add it.
    init(_ pairs: [(name: String, value: String)], allowed: [String]) throws {
        for (name, value) in pairs where name != "_" {
            guard allowed.contains(name) else {
                throw StatsParams.bad(name, "unknown_parameter", ["allowed": .list(allowed)], wording: "unknown_parameter.stats")
            }
            if let old = values[name] {
                guard name == "by" else {
                    throw StatsParams.bad(name, "repeated")
                }
                values[name] = old + "," + value
            } else {
                values[name] = value
            }
        }
    }

    subscript(_ name: String) -> String? {
        guard let v = values[name].map(StatsParams.trim), !v.isEmpty else { return nil }
        return v
    }

    /// Spaces and tabs off both ends. (Foundation's trimming is slow on Linux, and this runs on
    /// every poll, 304s included.)
    static func trim<S: StringProtocol>(_ s: S) -> String {
        let u = Array(s.utf8)
        var lo = 0, hi = u.count
        while lo < hi && (u[lo] == 0x20 || u[lo] == 0x09) { lo += 1 }
        while hi > lo && (u[hi - 1] == 0x20 || u[hi - 1] == 0x09) { hi -= 1 }
        return String(decoding: u[lo..<hi], as: UTF8.self)
    }

    /// 400 for one parameter, coded like its field error (which says it).
    static func bad(_ field: String, _ code: String, _ values: MessageValues = [:], wording: String? = nil) -> PilarError {
        PilarError(.badRequest, code: code, errors: [FieldError(field: field, code: code, values, wording: wording)])
    }

    /// The region asked for, defaulting to the caller's own (national for admin), checked
    /// against the caller's subtree before anything is looked up.
    func region(for caller: Caller) throws -> RegionCode? {
        var region = caller.region
        if let text = self["region"] {
            guard let code = RegionCode(text) else {
                throw StatsParams.bad("region", "malformed_code", ["value": .text(text)], wording: "malformed_code.stats")
            }
            region = code
        }
        guard let region else {
            guard caller.role == .admin else { throw PilarError(.forbidden, code: "token_has_no_region") }
            return nil
        }
        try caller.requireCovers(region)
        guard region.depth <= 3 else {
            throw StatsParams.bad("region", "too_deep", ["region": .text(region.dotted), "kecamatan": .text(region.parent!.dotted)])
        }
        return region
    }

    static let maxMonths = 120

    /// `period` (default: last month, the latest one whose reports are being collected) to
    /// `period_to` (default: `period`), at most 120 months.
    func periods(now: Date, timeZone: TimeZone) throws -> (ReportPeriod, ReportPeriod) {
        func parse(_ name: String) throws -> ReportPeriod? {
            guard let text = self[name] else { return nil }
            guard let p = ReportPeriod(text) else {
                throw StatsParams.bad(name, "malformed_period")
            }
            return p
        }
        let from = try parse("period") ?? ReportPeriod.containing(now, timeZone: timeZone).previous
        let to = try parse("period_to") ?? from
        guard from <= to else {
            throw StatsParams.bad("period_to", "before_period", ["value": .text("\(to)"), "period": .text("\(from)")])
        }
        guard from.months(to: to) < Self.maxMonths else {
            throw StatsParams.bad("period_to", "range_too_long", ["max": .int(Self.maxMonths), "from": .text("\(from)"), "to": .text("\(to)"),
                                                                  "months": .int(from.months(to: to) + 1)])
        }
        return (from, to)
    }

    func status() throws -> StatsStatus {
        guard let text = self["status"] else { return .verified }
        guard let s = StatsStatus(rawValue: text) else {
            throw StatsParams.bad("status", "unknown_status", ["value": .text(text)])
        }
        return s
    }

    /// The grouping keys, deduplicated, in canonical order.
    func by(allowed: [StatsKey], default def: [StatsKey] = []) throws -> [StatsKey] {
        guard let text = self["by"] else { return def }
        var keys = Set<StatsKey>()
        for part in text.split(separator: ",") {
            let name = StatsParams.trim(part)
            guard let key = StatsKey(rawValue: name), allowed.contains(key) else {
                throw StatsParams.bad("by", "unknown_key", ["allowed": .list(allowed.map(\.rawValue)), "value": .text(name)])
            }
            keys.insert(key)
        }
        return StatsKey.allCases.filter(keys.contains)
    }

    /// The depth rows are grouped at when `by` has region: `level=` or the level below `region`.
    func level(below region: RegionCode?, grouping: Bool) throws -> Int? {
        let base = region?.depth ?? 0
        guard let text = self["level"] else {
            guard grouping else { return nil }
            guard base < 3 else {
                throw StatsParams.bad("by", "no_lower_level", ["region": .text(region!.dotted)])
            }
            return base + 1
        }
        let depths = ["provinsi": 1, "kabkota": 2, "kabupaten": 2, "kota": 2, "kecamatan": 3]
        guard let depth = depths[text] else {
            throw StatsParams.bad("level", "unknown_level", ["value": .text(text)], wording: "unknown_level.stats")
        }
        guard grouping else {
            throw StatsParams.bad("level", "needs_region_grouping")
        }
        guard depth > base else {
            throw StatsParams.bad("level", "not_below_region", ["value": .text(text), "region": region.map { .text($0.dotted) } ?? .term("reach.national")])
        }
        return depth
    }

    /// A comma-separated list of codes, each checked by `check` (which returns the words' entry
    /// and values of what is wrong with it, or nil).
    func codes(_ name: String, check: (String) -> (String, MessageValues)?) throws -> [String] {
        guard let text = self[name] else { return [] }
        var codes: [String] = []
        for part in text.split(separator: ",") {
            let code = StatsParams.trim(part).uppercased()
            if let (wording, values) = check(code) { throw StatsParams.bad(name, "unknown_code", values, wording: wording) }
            if !codes.contains(code) { codes.append(code) }
        }
        return codes.sorted()
    }
}

/// `GET /v1/stats/pmks`, validated.
/// A parsed stats query; `canonical` is the same text for the same question however it was
/// written, and goes into the answer's ETag.
public protocol CanonicalStatsQuery { var canonical: String { get } }

public struct PMKSStatsQuery: Equatable, CanonicalStatsQuery {
    public var region: RegionCode?
    public var from: ReportPeriod
    public var to: ReportPeriod
    public var by: [StatsKey]
    /// Depth of the rows when grouping by region (1 provinsi, 2 kabupaten/kota, 3 kecamatan).
    public var level: Int?
    public var categories: [String]
    public var status: StatsStatus

    public static let parameters = ["region", "period", "period_to", "by", "category", "status", "level"]

    public var canonical: String {
        "pmks|\(region?.dotted ?? "*")|\(from)|\(to)|\(by.map(\.rawValue).joined(separator: ","))|\(level ?? 0)|\(categories.joined(separator: ","))|\(status.rawValue)"
    }
}

/// `GET /v1/stats/psks`: the registry (active records now) or the counts TKSK reported.
public struct PSKSStatsQuery: Equatable, CanonicalStatsQuery {
    public enum Source: String { case registry, reports }
    public var source: Source
    public var region: RegionCode?
    public var by: [StatsKey]
    public var level: Int?
    public var types: [String]
    /// Only for source=reports.
    public var from: ReportPeriod?
    public var to: ReportPeriod?
    public var status: StatsStatus

    public static let parameters = ["region", "by", "type", "level", "source", "period", "period_to", "status"]

    public var canonical: String {
        "psks|\(source.rawValue)|\(region?.dotted ?? "*")|\(from?.description ?? "")|\(to?.description ?? "")|\(by.map(\.rawValue).joined(separator: ","))|\(level ?? 0)|\(types.joined(separator: ","))|\(status.rawValue)"
    }
}

/// `GET /v1/stats/completeness`.
public struct CompletenessQuery: Equatable, CanonicalStatsQuery {
    public enum Listing: String, CaseIterable { case all, problems, none }
    public enum Table: String, CaseIterable { case children, kecamatan }
    public var region: RegionCode?
    public var from: ReportPeriod
    public var to: ReportPeriod
    /// Which kecamatan the answer lists: all, only the missing/late/unverified ones, or none.
    public var listing: Listing
    /// For CSV: the region-and-children table or the per-kecamatan one.
    public var table: Table

    public static let parameters = ["region", "period", "period_to", "list", "table"]

    public var canonical: String {
        "completeness|\(region?.dotted ?? "*")|\(from)|\(to)|\(listing.rawValue)|\(table.rawValue)"
    }
}

extension PMKSStatsQuery {
    public static func parse(_ pairs: [(name: String, value: String)], caller: Caller, now: Date,
                             timeZone: TimeZone) throws -> PMKSStatsQuery {
        let p = try StatsParams(pairs, allowed: parameters)
        let region = try p.region(for: caller)
        let (from, to) = try p.periods(now: now, timeZone: timeZone)
        let by = try p.by(allowed: [.category, .region, .period, .sex])
        let level = try p.level(below: region, grouping: by.contains(.region))
        let categories = try p.codes("category") { code in
            guard let c = PMKSCategory.named(code) else {
                return ("unknown_code.pmks", ["value": .text(code)])
            }
            if !c.active {
                return c.replacedBy.map { ("unknown_code.replaced", ["value": .text(code), "replacement": .text($0)]) }
                    ?? ("unknown_code.retired", ["value": .text(code)])
            }
            if by.contains(.sex) && c.unit != .person {
                return ("unknown_code.no_sex", ["value": .text(code), "unit": .text(c.unit.rawValue)])
            }
            return nil
        }
        return PMKSStatsQuery(region: region, from: from, to: to, by: by, level: level, categories: categories,
                              status: try p.status())
    }
}

extension PSKSStatsQuery {
    public static func parse(_ pairs: [(name: String, value: String)], caller: Caller, now: Date,
                             timeZone: TimeZone) throws -> PSKSStatsQuery {
        let p = try StatsParams(pairs, allowed: parameters)
        let sourceText = p["source"] ?? "registry"
        guard let source = Source(rawValue: sourceText) else {
            throw StatsParams.bad("source", "unknown_source", ["value": .text(sourceText)])
        }
        let region = try p.region(for: caller)
        var from: ReportPeriod?, to: ReportPeriod?
        var by: [StatsKey]
        let status: StatsStatus
        if source == .reports {
            (from, to) = try p.periods(now: now, timeZone: timeZone)
            by = try p.by(allowed: [.type, .region, .period], default: [.type])
            // Reported PSKS are a head count at each month's end: adding months double-counts.
            if from != to && !by.contains(.period) {
                throw StatsParams.bad("by", "needs_period")
            }
            status = try p.status()
        } else {
            for name in ["period", "period_to", "status"] where p[name] != nil {
                throw StatsParams.bad(name, "needs_source_reports")
            }
            by = try p.by(allowed: [.type, .region], default: [.type])
            status = .verified
        }
        let level = try p.level(below: region, grouping: by.contains(.region))
        let types = try p.codes("type") { code in
            PSKSType.all.contains { $0.code == code } ? nil : ("unknown_code.psks", ["value": .text(code)])
        }
        return PSKSStatsQuery(source: source, region: region, by: by, level: level, types: types,
                              from: from, to: to, status: status)
    }
}

extension CompletenessQuery {
    public static func parse(_ pairs: [(name: String, value: String)], caller: Caller, now: Date,
                             timeZone: TimeZone) throws -> CompletenessQuery {
        let p = try StatsParams(pairs, allowed: parameters)
        let region = try p.region(for: caller)
        let (from, to) = try p.periods(now: now, timeZone: timeZone)
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ def: T) throws -> T where T.RawValue == String {
            guard let text = p[name] else { return def }
            guard let v = T(rawValue: text) else {
                throw StatsParams.bad(name, "unknown_value", ["allowed": .list(T.allCases.map(\.rawValue)), "value": .text(text)])
            }
            return v
        }
        return CompletenessQuery(region: region, from: from, to: to, listing: try choice("list", Listing.all),
                                 table: try choice("table", Table.children))
    }
}
