import Foundation

/// A PSKS registry record's data as the eligibility rules need it, whatever it came from
/// (JSON, a CSV row, the database). Field names in errors are the JSON names.
public struct PSKSCandidate: Equatable, Sendable {
    public var type: String
    /// Penyuluh: "fungsional" or "masyarakat".
    public var subtype: String?
    public var name: String
    /// As entered; parsed and checked by `PSKSEligibility`.
    public var nik: String?
    public var sex: Sex?
    public var birthDate: CalendarDate?
    public var education: EducationLevel?
    public var regionCode: RegionCode
    /// When known (from the region table); otherwise the code's depth is all the rules use.
    public var regionLevel: RegionLevel?
    public var address: String?
    public var head: String?
    public var certificateNumber: String?
    public var trainingCompletedOn: CalendarDate?
    /// As entered, "III/a"; parsed by `PNSRank`.
    public var rank: String?
    public var extensionExperienceYears: Int?
    public var skNumber: String?
    /// TKSK: the kecamatan of assignment; nil means the kecamatan of `regionCode`.
    public var assignedKecamatan: RegionCode?
    /// Ages are whole years on this date.
    public var registeredOn: CalendarDate

    public init(type: String, name: String, regionCode: RegionCode, registeredOn: CalendarDate) {
        self.type = type
        self.name = name
        self.regionCode = regionCode
        self.registeredOn = registeredOn
    }
}
