import Foundation

/// One PMKS count line of a monthly report: `male` and `female` for a person-unit category,
/// `count` for a household or community one. `desa` nil is a line for the whole kecamatan.
public struct PMKSLine: Equatable, Sendable {
    public var category: String
    public var desa: String?
    public var male: Int?
    public var female: Int?
    public var count: Int?

    public init(category: String, desa: String? = nil, male: Int? = nil, female: Int? = nil, count: Int? = nil) {
        self.category = category
        self.desa = desa
        self.male = male
        self.female = female
        self.count = count
    }

    /// male + female, or count: what the line counts, when it is complete.
    public var total: Int? {
        if let male = male, let female = female { return male + female }
        return count
    }
}

public struct PSKSCount: Equatable, Sendable {
    public var type: String
    public var count: Int

    public init(type: String, count: Int) {
        self.type = type
        self.count = count
    }
}

/// The TKSK's activities of the month (PRODUCT.md): pendampingan, koordinasi/jejaring,
/// meetings with Karang Taruna and PSM, bimbingan/penyuluhan sosial, monitoring and evaluation,
/// and `lainnya` for work that fits none of them (its description says what it was).
public enum ActivityKind: String, CaseIterable, Codable, Sendable {
    case pendampingan, koordinasi, pertemuan_kartar_psm, penyuluhan, monev, lainnya
    // Their names, in both languages, are PilarAPI's catalogue terms `activity_kind.<kind>`.
}

public struct ReportActivity: Equatable, Sendable {
    /// An `ActivityKind` raw value.
    public var kind: String
    /// ISO date "2026-10-14".
    public var date: String
    public var description: String
    public var participants: Int?

    public init(kind: String, date: String, description: String, participants: Int? = nil) {
        self.kind = kind
        self.date = date
        self.description = description
        self.participants = participants
    }
}

public struct ReportNotes: Equatable, Sendable {
    public var kendala: String?
    /// JSON `tindak_lanjut`.
    public var tindakLanjut: String?

    public init(kendala: String? = nil, tindakLanjut: String? = nil) {
        self.kendala = kendala
        self.tindakLanjut = tindakLanjut
    }
}

/// What a TKSK submits for one kecamatan and one month.
public struct ReportContent: Equatable, Sendable {
    public var pmks: [PMKSLine]
    public var psks: [PSKSCount]
    public var activities: [ReportActivity]
    public var notes: ReportNotes

    public init(pmks: [PMKSLine] = [], psks: [PSKSCount] = [], activities: [ReportActivity] = [],
                notes: ReportNotes = ReportNotes()) {
        self.pmks = pmks
        self.psks = psks
        self.activities = activities
        self.notes = notes
    }

    /// The canonical form to store: codes trimmed and upper-cased (categories, PSKS types),
    /// activity kinds lower-cased, desa codes dotted, blank desa and notes nil, texts trimmed.
    /// Values that do not parse are kept as given, so validation can name them.
    /// `ReportValidation` accepts either form; store the normalized one.
    public func normalized() -> ReportContent {
        func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
        func blankToNil(_ s: String?) -> String? {
            guard let t = s.map(trim), !t.isEmpty else { return nil }
            return t
        }
        var copy = self
        copy.pmks = pmks.map { line in
            var l = line
            l.category = trim(line.category).uppercased()
            l.desa = blankToNil(line.desa).map { RegionCode($0)?.dotted ?? $0 }
            return l
        }
        copy.psks = psks.map { PSKSCount(type: trim($0.type).uppercased(), count: $0.count) }
        copy.activities = activities.map {
            ReportActivity(kind: trim($0.kind).lowercased(), date: trim($0.date), description: trim($0.description),
                           participants: $0.participants)
        }
        copy.notes = ReportNotes(kendala: blankToNil(notes.kendala), tindakLanjut: blankToNil(notes.tindakLanjut))
        return copy
    }
}
