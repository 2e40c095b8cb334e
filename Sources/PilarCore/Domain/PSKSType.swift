import Foundation

/// What a PSKS record is: a person, an institution, a family or a network of groups.
public enum PSKSKind: String, CaseIterable, Codable, Sendable {
    case person, institution, family, network

    /// The fields every type of this kind takes (JSON names, PRODUCT.md). Families and
    /// networks are recorded like institutions: a name, an address, a head.
    public var commonFields: [String] {
        switch self {
        case .person:
            return ["name", "nik", "sex", "birth_date", "education", "region", "phone", "status", "registered_on", "notes"]
        case .institution, .family, .network:
            return ["name", "address", "region", "legal_entity", "registration_number", "head", "phone", "status",
                    "registered_on", "notes"]
        }
    }
}

/// One criterion of a PSKS type. `checked` ones are enforced by `PSKSEligibility` (or, for
/// "one active TKSK per kecamatan", by the registry, which sees the database); the rest are
/// attestations, stored as given.
public struct PSKSCriterion: Equatable, Sendable {
    public let code: String
    public let text: String
    public let checked: Bool
    /// The subtype the criterion applies to (Penyuluh `fungsional` / `masyarakat`); nil: all.
    public let subtype: String?

    public init(code: String, text: String, checked: Bool, subtype: String? = nil) {
        self.code = code
        self.text = text
        self.checked = checked
        self.subtype = subtype
    }
}

/// A PSKS type of Permensos No. 8 Tahun 2012. The table is `PSKSType.all` (PSKSCatalog.swift).
public struct PSKSType: Equatable, Sendable {
    public let code: String
    public let name: String
    public let kind: PSKSKind
    /// The fields this type takes beyond its kind's `commonFields`.
    public let fields: [String]
    /// Allowed values of `subtype`; empty when the type has no subtypes.
    public let subtypes: [String]
    public let criteria: [PSKSCriterion]

    public init(code: String, name: String, kind: PSKSKind, fields: [String] = [], subtypes: [String] = [],
                criteria: [PSKSCriterion]) {
        self.code = code
        self.name = name
        self.kind = kind
        self.fields = fields
        self.subtypes = subtypes
        self.criteria = criteria
    }

    /// Every field the type takes: its kind's common fields, then its own.
    public var allFields: [String] {
        kind.commonFields + fields.filter { !kind.commonFields.contains($0) }
    }

    /// Case-insensitive; surrounding whitespace ignored.
    public static func named(_ code: String) -> PSKSType? {
        let key = code.trimmedWhitespace.uppercased()
        return byCode[key]
    }

    public func criterion(_ code: String) -> PSKSCriterion? { criteria.first { $0.code == code } }

    private static let byCode: [String: PSKSType] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
}
