import Foundation

/// Where the money for work equipment came from (the state budget, a province's or a
/// district's, a company's CSR, or anything else).
public enum EquipmentSource: String, CaseIterable, Sendable {
    case apbn, apbd_provinsi, apbd_kabkota, csr, other
}

/// The board of an IPSM and its ordinary members. One of each board role per association.
public enum IPSMRole: String, CaseIterable, Sendable {
    case ketua, wakil_ketua, sekretaris, bendahara, anggota

    public var isBoard: Bool { self != .anggota }
}

public enum AwardRules {
    /// The years an award can be recorded for: the republic's first to next year (an award
    /// announced in December for the coming year).
    public static func yearErrors(_ year: Int64, today: CalendarDate) -> [FieldError] {
        guard year >= 1945, year <= Int64(today.year + 1) else {
            return [FieldError(field: "year", code: "out_of_range", ["min": 1945, "max": .int(today.year + 1), "value": .number(year)])]
        }
        return []
    }

    /// An IPSM sits at a province or a kabupaten/kota; its members are PSM of that region.
    public static func ipsmRegionErrors(_ region: RegionCode) -> [FieldError] {
        region.depth <= 2 ? [] : [FieldError(field: "region", code: "region_level", ["region": .text(region.dotted)], wording: "region_level.ipsm")]
    }
}
