import Foundation

/// What a PMKS count counts: persons (jiwa, split by sex), households (KK) or communities.
public enum PMKSUnit: String, CaseIterable, Codable, Sendable {
    case person, household, community
}

/// A PMKS (PPKS) category. The table is `PMKSCategory.all` (PMKSCatalog.swift).
public struct PMKSCategory: Equatable, Sendable {
    public let code: String
    public let name: String
    public let group: String
    public let unit: PMKSUnit
    /// Retired categories stay in the catalogue so old files get a clear message.
    public let active: Bool
    /// The active category that took over a retired one; nil for active ones and for
    /// retired ones with no successor.
    public let replacedBy: String?
    /// Only women are counted: `male` must be 0.
    public let womenOnly: Bool

    public init(code: String, name: String, group: String, unit: PMKSUnit, active: Bool = true,
                replacedBy: String? = nil, womenOnly: Bool = false) {
        self.code = code
        self.name = name
        self.group = group
        self.unit = unit
        self.active = active
        self.replacedBy = replacedBy
        self.womenOnly = womenOnly
    }

    /// Case-insensitive; surrounding whitespace ignored. Finds retired codes too.
    public static func named(_ code: String) -> PMKSCategory? {
        byCode[code.trimmedWhitespace.uppercased()]
    }

    /// The active categories, in catalogue order.
    public static var allActive: [PMKSCategory] { all.filter(\.active) }

    private static let byCode: [String: PMKSCategory] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
}
