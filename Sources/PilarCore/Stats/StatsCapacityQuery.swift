import Foundation

/// `GET /v1/stats/capacity`, validated: the capacity-building dashboard of one region for one year.
public struct CapacityStatsQuery: Equatable, CanonicalStatsQuery {
    /// Rows per child region (the next level down, or `level=`), or per PSKS type over the whole region.
    public enum Grouping: String, CaseIterable { case region, type }
    /// Whether the JSON lists the desa/kelurahan without an active PSM.
    public enum Listing: String, CaseIterable { case uncovered, none }
    /// For CSV: the region table or the list of desa/kelurahan without an active PSM.
    public enum Table: String, CaseIterable { case regions, uncovered }

    public var region: RegionCode?
    public var year: Int
    public var by: Grouping
    /// Depth of the rows when by=region (1 provinsi, 2 kabupaten/kota, 3 kecamatan).
    public var level: Int?
    public var listing: Listing
    public var table: Table
    /// The day the answer is for (the server's time zone): a training counts once it has ended,
    /// so the answer changes at midnight even without a write. Part of the ETag's key.
    public var today: CalendarDate

    public static let parameters = ["region", "year", "by", "level", "list", "table"]
    /// Award years are 1945...2100 in the database (four digits, so the dates below compare as text).
    public static let years = 1945...2100

    /// The "last 3 years" window for `trained_3y`: 1 January of year-2 to 31 December of year,
    /// cut at today (an event that ends later has not been completed yet).
    public var windowFrom: String { "\(year - 2)-01-01" }
    public var windowTo: String { min("\(year)-12-31", today.description) }
    /// Trainings and awards "in the year".
    public var yearFrom: String { "\(year)-01-01" }
    public var yearTo: String { "\(year)-12-31" }
    /// The month whose desa/kelurahan exist (regions.valid_from/valid_until are months).
    public var month: String { String(today.description.prefix(7)) }

    public var canonical: String {
        "capacity|\(region?.dotted ?? "*")|\(year)|\(by.rawValue)|\(level ?? 0)|\(listing.rawValue)|\(table.rawValue)|\(today)"
    }
}

extension CapacityStatsQuery {
    /// tksk tokens work one kecamatan's reports; the capacity dashboard is for offices and viewers.
    static let roles: Set<Role> = [.admin, .provinsi, .kabkota, .viewer]

    public static func parse(_ pairs: [(name: String, value: String)], caller: Caller, now: Date,
                             timeZone: TimeZone) throws -> CapacityStatsQuery {
        try caller.requireRole(roles, to: "read_capacity_dashboard")
        let p = try StatsParams(pairs, allowed: parameters)
        let region = try p.region(for: caller)
        let today = CalendarDate.today(in: timeZone, now: now)
        var year = today.year
        if let text = p["year"] {
            guard text.utf8.count == 4, let y = Int(text), years.contains(y) else {
                throw StatsParams.bad("year", "malformed_year", ["value": .text(text), "min": 1945, "max": 2100])
            }
            year = y
        }
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ def: T) throws -> T where T.RawValue == String {
            guard let text = p[name] else { return def }
            guard let v = T(rawValue: text) else {
                throw StatsParams.bad(name, "unknown_value", ["allowed": .list(T.allCases.map(\.rawValue)), "value": .text(text)])
            }
            return v
        }
        // A kecamatan has no lower level counted here: its default is the table by type.
        let by = try choice("by", (region?.depth ?? 0) >= 3 ? Grouping.type : .region)
        let level = try p.level(below: region, grouping: by == .region)
        return CapacityStatsQuery(region: region, year: year, by: by, level: level,
                                  listing: try choice("list", Listing.uncovered), table: try choice("table", Table.regions),
                                  today: today)
    }
}
