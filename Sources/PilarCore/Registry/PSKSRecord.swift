import Foundation
import SQLiteStore

public enum PSKSStatus: String, CaseIterable, Sendable {
    case active, inactive
}

/// One record of the PSKS register: a person, an institution, a family or a network.
/// Field names in JSON and CSV are the snake_case names of PRODUCT.md.
public struct PSKSRecord: Equatable {
    public var id: Int64 = 0
    public var type: String
    public var subtype: String?
    public var name: String
    public var nik: String?
    public var sex: Sex?
    public var birthDate: CalendarDate?
    public var education: EducationLevel?
    public var region: RegionCode
    /// TKSK only: the kecamatan of assignment (the region's kecamatan when not given).
    public var assignedKecamatan: RegionCode?
    public var phone: String?
    public var address: String?
    public var legalEntity: Bool?
    public var registrationNumber: String?
    public var head: String?
    public var certificateNumber: String?
    public var trainingCompletedOn: CalendarDate?
    public var rank: String?
    public var extensionExperienceYears: Int?
    public var skNumber: String?
    public var status: PSKSStatus = .active
    public var registeredOn: CalendarDate
    public var endedOn: CalendarDate?
    public var endReason: String?
    public var notes: String?
    // Kept by the service, never taken from input.
    public var version: Int = 0
    public var createdAt = ""
    public var updatedAt = ""

    public init(type: String, name: String, region: RegionCode, registeredOn: CalendarDate) {
        self.type = type
        self.name = name
        self.region = region
        self.registeredOn = registeredOn
    }

    public var psksType: PSKSType? { PSKSFields.type(type) }
    public var isPerson: Bool { psksType?.kind == .person }

    /// The kecamatan the one-active-TKSK rule counts: the assignment, else the region's.
    public var effectiveKecamatan: RegionCode? {
        type == "TKSK" ? (assignedKecamatan ?? region.kecamatan) : region.kecamatan
    }

    /// Same content, ignoring what the service keeps (id, version, timestamps).
    public func sameContent(as other: PSKSRecord) -> Bool {
        var a = self, b = other
        a.id = 0; b.id = 0
        a.version = 0; b.version = 0
        a.createdAt = ""; b.createdAt = ""
        a.updatedAt = ""; b.updatedAt = ""
        return a == b
    }

    /// What the eligibility rules look at.
    public func candidate(regionLevel: RegionLevel?) -> PSKSCandidate {
        var c = PSKSCandidate(type: type, name: name, regionCode: region, registeredOn: registeredOn)
        c.subtype = subtype
        c.nik = nik
        c.sex = sex
        c.birthDate = birthDate
        c.education = education
        c.regionLevel = regionLevel
        c.address = address
        c.head = head
        c.certificateNumber = certificateNumber
        c.trainingCompletedOn = trainingCompletedOn
        c.rank = rank
        c.extensionExperienceYears = extensionExperienceYears
        c.skNumber = skNumber
        c.assignedKecamatan = type == "TKSK" ? assignedKecamatan : nil
        return c
    }

    /// The record's fields as text, by field name (nil for empty): the one source for JSON,
    /// CSV export and the audit log. `masked` hides NIK (6 of 16 digits shown), the whole
    /// birth date (the year with sex and region narrows a NIK down) and the phone.
    public func text(_ field: String, masked: Bool = false) -> String? {
        switch field {
        case "type": return type
        case "subtype": return subtype
        case "name": return name
        case "nik": return masked ? nik.map(NIK.mask) : nik
        case "sex": return sex?.rawValue
        case "birth_date": return masked ? nil : birthDate?.description
        case "education": return education?.rawValue
        case "region": return region.dotted
        case "assigned_kecamatan": return type == "TKSK" ? effectiveKecamatan?.dotted : nil
        case "phone": return masked ? phone.map(PSKSRecord.maskPhone) : phone
        case "address": return address
        case "legal_entity": return legalEntity.map { $0 ? "true" : "false" }
        case "registration_number": return registrationNumber
        case "head": return head
        case "certificate_number": return certificateNumber
        case "training_completed_on": return trainingCompletedOn?.description
        case "rank": return rank
        case "extension_experience_years": return extensionExperienceYears.map(String.init)
        case "sk_number": return skNumber
        case "status": return status.rawValue
        case "registered_on": return registeredOn.description
        case "ended_on": return endedOn?.description
        case "end_reason": return endReason
        case "notes": return notes
        default: return nil
        }
    }

    /// Keeps the last 3 digits: "*********123".
    public static func maskPhone(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count > 3 else { return String(repeating: "*", count: chars.count) }
        return String(repeating: "*", count: chars.count - 3) + String(chars.suffix(3))
    }

    /// The JSON answer: id, type, then the type's fields in catalogue order, then the end of
    /// service when there is one. Absent values are null so scripts see every field.
    public func json(masked: Bool) -> JSON {
        var o = JSONObject()
        o["id"] = .int(id)
        o["type"] = .string(type)
        for field in PSKSFields.fields(of: type) {
            switch field {
            case "legal_entity": o[field] = .from(legalEntity)
            case "extension_experience_years": o[field] = .from(extensionExperienceYears)
            default: o[field] = .from(text(field, masked: masked))
            }
        }
        o["ended_on"] = .from(endedOn?.description)
        o["end_reason"] = .from(endReason)
        o["version"] = .int(Int64(version))
        o["created_at"] = .string(createdAt)
        o["updated_at"] = .string(updatedAt)
        if masked { o["masked"] = .bool(true) }
        return .object(o)
    }

    /// Strong validator of the representation: the version, and whether it is the masked one
    /// ("-m2": the mask of issue 13, so a copy cached under the older mask is not revalidated).
    public func versionTag(masked: Bool) -> VersionTag { VersionTag("psks-\(id)-v\(version)\(masked ? "-m2" : "")") }

    // MARK: database

    static let columns = ["type", "subtype", "name", "name_folded", "nik", "sex", "birth_date", "education", "region",
                          "kecamatan", "phone", "address", "legal_entity", "registration_number", "head",
                          "certificate_number", "training_completed_on", "rank", "extension_experience_years",
                          "sk_number", "status", "registered_on", "ended_on", "end_reason", "notes"]

    /// Values in the order of `columns`.
    var columnValues: [SQLBindable?] {
        [type, subtype, name, NameSearch.fold(name), nik, sex?.rawValue, birthDate?.description, education?.rawValue,
         region.dotted, effectiveKecamatan?.dotted, phone, address, legalEntity.map { $0 ? 1 : 0 }, registrationNumber,
         head, certificateNumber, trainingCompletedOn?.description, rank, extensionExperienceYears, skNumber,
         status.rawValue, registeredOn.description, endedOn?.description, endReason, notes]
    }

    static func from(_ r: Row) -> PSKSRecord {
        let region = RegionCode(r.string("region"))!
        var p = PSKSRecord(type: r.string("type"), name: r.string("name"), region: region,
                           registeredOn: CalendarDate(r.string("registered_on"))!)
        p.id = r.int64("id")
        p.subtype = r.optionalString("subtype")
        p.nik = r.optionalString("nik")
        p.sex = r.optionalString("sex").flatMap(Sex.init(rawValue:))
        p.birthDate = r.optionalString("birth_date").flatMap(CalendarDate.init)
        p.education = r.optionalString("education").flatMap(EducationLevel.init(rawValue:))
        if p.type == "TKSK", let k = r.optionalString("kecamatan").flatMap(RegionCode.init), k != region.kecamatan {
            p.assignedKecamatan = k
        }
        p.phone = r.optionalString("phone")
        p.address = r.optionalString("address")
        p.legalEntity = r.optionalInt("legal_entity").map { $0 != 0 }
        p.registrationNumber = r.optionalString("registration_number")
        p.head = r.optionalString("head")
        p.certificateNumber = r.optionalString("certificate_number")
        p.trainingCompletedOn = r.optionalString("training_completed_on").flatMap(CalendarDate.init)
        p.rank = r.optionalString("rank")
        p.extensionExperienceYears = r.optionalInt("extension_experience_years")
        p.skNumber = r.optionalString("sk_number")
        p.status = PSKSStatus(rawValue: r.string("status")) ?? .active
        p.endedOn = r.optionalString("ended_on").flatMap(CalendarDate.init)
        p.endReason = r.optionalString("end_reason")
        p.notes = r.optionalString("notes")
        p.version = r.int("version")
        p.createdAt = r.string("created_at")
        p.updatedAt = r.string("updated_at")
        return p
    }
}

enum DomainPad {
    static func year(_ y: Int) -> String { String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y) }
}
