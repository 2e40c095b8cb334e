import Foundation

/// Who organised a training event, or chose an award: the Dinas Sosial of a kabupaten/kota,
/// of a province, or the Ministry. The region of a kabkota event is a kabupaten/kota, of a
/// provinsi event a province; a nasional event has none.
public enum OrganiserLevel: String, CaseIterable, Sendable {
    case kabkota, provinsi, nasional

    /// The depth of the event's region (nil: no region).
    public var regionDepth: Int? {
        switch self {
        case .kabkota: return 2
        case .provinsi: return 1
        case .nasional: return nil
        }
    }

    /// The roles that may organise an event of this level (inside their own region).
    public var organisers: Set<Role> {
        switch self {
        case .kabkota: return [.admin, .provinsi, .kabkota]
        case .provinsi: return [.admin, .provinsi]
        case .nasional: return [.admin]
        }
    }
}

/// A registry criterion that a completed training can satisfy, and the record field a Dinas
/// Sosial may attest it with instead (the date written on a certificate seen at registration).
public struct EvidenceCriterion: Equatable, Sendable {
    public let type: String
    public let code: String
    /// Only records of this subtype have the criterion (Penyuluh fungsional).
    public let subtype: String?
    public let attestedBy: String

    /// The three criteria of CATALOG.md about training. A programme may only point at one of
    /// these: they are the ones the registry can show evidence for.
    public static let all: [EvidenceCriterion] = [
        EvidenceCriterion(type: "PSM", code: "training", subtype: nil, attestedBy: "training_completed_on"),
        EvidenceCriterion(type: "WPKS", code: "training", subtype: nil, attestedBy: "training_completed_on"),
        EvidenceCriterion(type: "PENYULUH", code: "functional_training", subtype: "fungsional",
                          attestedBy: "training_completed_on"),
    ]

    public static func named(type: String, code: String) -> EvidenceCriterion? {
        all.first { $0.type == type && $0.code == code }
    }

    /// The evidence criteria a record of this type and subtype must meet.
    public static func applying(to type: String, subtype: String?) -> [EvidenceCriterion] {
        all.filter { $0.type == type && ($0.subtype == nil || $0.subtype == subtype?.lowercased()) }
    }
}

/// Where a criterion's evidence comes from.
public enum Evidence: Equatable, Sendable {
    /// The record's own field (e.g. training_completed_on), written by the Dinas Sosial.
    case attested(field: String, on: CalendarDate)
    /// A completed participation in a non-cancelled training event.
    case training(id: Int64, endedOn: CalendarDate)
}

/// One evidence criterion of one record: met or pending, and by what.
public struct CriterionStatus: Equatable, Sendable {
    public let criterion: EvidenceCriterion
    public let text: String
    public let evidence: Evidence?
    public var met: Bool { evidence != nil }

    /// A completed training is preferred over the attested field: it can be checked (event,
    /// certificate number), while the field is a date someone typed.
    public static func select(_ criterion: EvidenceCriterion, text: String, attested: CalendarDate?,
                              trainings: [(id: Int64, endedOn: CalendarDate)]) -> CriterionStatus {
        if let latest = trainings.max(by: { ($0.endedOn, $0.id) < ($1.endedOn, $1.id) }) {
            return CriterionStatus(criterion: criterion, text: text, evidence: .training(id: latest.id, endedOn: latest.endedOn))
        }
        if let attested {
            return CriterionStatus(criterion: criterion, text: text, evidence: .attested(field: criterion.attestedBy, on: attested))
        }
        return CriterionStatus(criterion: criterion, text: text, evidence: nil)
    }
}

/// Pure rules of training events and their participants.
public enum TrainingRules {
    /// Programme codes are what spreadsheets and scripts type: PELATIHAN_DASAR_PSM.
    public static func isProgrammeCode(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 40 && s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
            && s.utf8.first.map { $0 >= 0x41 && $0 <= 0x5A } == true
    }

    /// The level and region of an event agree: kabkota -> a kabupaten/kota code, provinsi -> a
    /// province code, nasional -> no region.
    public static func regionErrors(level: OrganiserLevel, region: RegionCode?) -> [FieldError] {
        switch (level.regionDepth, region) {
        case (nil, nil): return []
        case (nil, .some):
            return [FieldError(field: "region", code: "not_applicable", wording: "not_applicable.nasional")]
        case (.some, nil):
            return [FieldError(field: "region", code: "required", wording: level == .kabkota ? "required.kabkota_event" : "required.provinsi_event")]
        case (.some(let depth), .some(let r)):
            if r.depth != depth {
                return [FieldError(field: "region", code: "region_level", ["region": .text(r.dotted)],
                                   wording: depth == 2 ? "region_level.kabkota_event" : "region_level.provinsi_event")]
            }
            return []
        }
    }

    /// Dates of an event: ends on or after it starts.
    public static func dateErrors(startsOn: CalendarDate, endsOn: CalendarDate) -> [FieldError] {
        endsOn < startsOn ? [FieldError(field: "ends_on", code: "before_start",
                                        ["value": .text(endsOn.description), "starts_on": .text(startsOn.description)])] : []
    }

    /// Completion is recorded after the event: it needs an event that has ended and was held.
    public static func completionErrors(cancelled: Bool, endsOn: CalendarDate, today: CalendarDate) -> [FieldError] {
        if cancelled {
            return [FieldError(field: "completed", code: "event_cancelled")]
        }
        if endsOn > today {
            return [FieldError(field: "completed", code: "event_not_ended",
                               ["ends_on": .text(endsOn.description), "today": .text(today.description)])]
        }
        return []
    }
}
