import Foundation

/// The "(check)" criteria of CATALOG.md for each PSKS type, plus NIK agreement.
///
/// Decisions where the documents are silent:
/// - Ages and training dates are judged on `registeredOn`. A birth date or training date after
///   it is an error.
/// - When the record has no birth date or sex, the NIK's are used for the checks (a NIK
///   carries both); with neither, a type with an age or sex criterion reports the field as
///   required.
/// - LKS "clear name, structure and address": name, address and a named head (the structure's
///   top) must be present.
/// - TKSK "lives in the kecamatan assigned": the record's region is a kecamatan or a
///   desa/kelurahan inside the assigned kecamatan (the region's own kecamatan when none is
///   given). One active TKSK per kecamatan needs the database: the registry checks it.
/// - A NIK on an institution, family or network, and a subtype on a type without subtypes,
///   are errors (`not_applicable`) rather than silently stored.
public enum PSKSEligibility {
    public static func violations(_ c: PSKSCandidate) -> [FieldError] {
        guard let type = PSKSType.named(c.type) else {
            let known = PSKSType.all.map(\.code).joined(separator: ", ")
            return [FieldError(field: "type", code: "unknown",
                               message: "unknown PSKS type \"\(c.type)\"; known types: \(known)")]
        }
        var check = Checker(type: type, candidate: c)
        check.general()
        switch type.code {
        case "PEKSOS":
            check.present(c.certificateNumber, field: "certificate_number", what: "certificate number",
                          criterion: "certified")
        case "PSM":
            check.age(min: 18, max: nil, criterion: "min_age")
            // "completed PSM training" is evidence, not a condition of registering (issue 7): a PSM
            // without a training date is stored, shown not eligible with the criterion pending
            // (RecordEligibility), and met by the date or by a completed PELATIHAN_DASAR_PSM event.
            check.basedInDesa(criterion: "desa_based")
        case "TAGANA":
            check.age(min: 18, max: 40, criterion: "age")
        case "LKS":
            check.present(c.address, field: "address", what: "address", criterion: "identity")
            check.present(c.head, field: "head", what: "head", criterion: "identity")
        case "KARTAR":
            check.basedInDesa(criterion: "desa_based")
        case "WPKS":
            check.woman(criterion: "woman")
            check.age(min: 18, max: 59, criterion: "age")
            check.education(atLeast: .SLTP, criterion: "education")
        case "PENYULUH":
            switch check.subtype {
            case "fungsional":
                check.education(atLeast: .S1, criterion: "degree")
                check.rank(atLeast: .penataMuda, criterion: "rank")
                check.experience(atLeast: 2, criterion: "experience")
                check.age(min: nil, max: 50, criterion: "max_age")
            case "masyarakat":
                check.education(atLeast: .SLTP, criterion: "education")
                check.age(min: 25, max: 60, criterion: "age")
            default:
                break  // the subtype error is already reported
            }
        case "TKSK":
            check.domicile(criterion: "domicile")
            check.education(atLeast: .SLTA, criterion: "education")
            check.age(min: 25, max: 50, criterion: "age")
            check.present(c.skNumber, field: "sk_number", what: "SK number", criterion: "sk")
        default:
            break  // LK3, KELPIONER, WKSBM, DUNIAUSAHA: attestations only
        }
        return check.errors
    }

    /// Things to look at that do not stop the record: a NIK issued in a kecamatan the region
    /// table does not know (the table may be older than the NIK, or the code retired).
    public static func warnings(_ c: PSKSCandidate, kecamatanExists: (RegionCode) -> Bool) -> [FieldError] {
        guard let text = c.nik, !isBlank(text),
              let nik = try? NIK(parsing: text, referenceDate: c.registeredOn),
              !kecamatanExists(nik.kecamatan) else { return [] }
        return [FieldError(field: "nik", code: "unknown_kecamatan",
                           message: "NIK \(nik.masked) was issued in \(nik.kecamatan), which is not a known kecamatan")]
    }

    static func isBlank(_ s: String?) -> Bool { s?.trimmedWhitespaceAndNewlines.isEmpty ?? true }
}

/// Collects the errors for one candidate, with messages that start with the type (and subtype).
private struct Checker {
    let type: PSKSType
    let c: PSKSCandidate
    var errors: [FieldError] = []
    /// The NIK when it parses; its birth date and sex stand in for missing record fields.
    var nik: NIK?
    /// The lowercased subtype when the type has subtypes and it is one of them.
    var subtype: String?

    init(type: PSKSType, candidate: PSKSCandidate) {
        self.type = type
        self.c = candidate
    }

    private var label: String { subtype.map { "\(type.code) \($0)" } ?? type.code }
    private var birthDate: CalendarDate? { c.birthDate ?? nik?.birthDate }
    private var sex: Sex? { c.sex ?? nik?.sex }

    private mutating func add(_ field: String, _ code: String, _ message: String) {
        errors.append(FieldError(field: field, code: code, message: "\(label): \(message)"))
    }

    private func text(_ criterion: String) -> String { type.criterion(criterion)?.text ?? criterion }

    /// Rules for every type: a name, a region level that fits the code, the subtype, the NIK,
    /// dates not after registration.
    mutating func general() {
        if let level = c.regionLevel, level.depth != c.regionCode.depth {
            add("region", "region_level", "region \(c.regionCode) is not a \(level.rawValue) code")
        }
        let given = c.subtype?.trimmedWhitespace.lowercased()
        if type.subtypes.isEmpty {
            if !PSKSEligibility.isBlank(given) { add("subtype", "not_applicable", "has no subtypes; leave subtype out") }
        } else if PSKSEligibility.isBlank(given) {
            add("subtype", "required", "subtype is required: \(type.subtypes.joined(separator: " or "))")
        } else if let given = given, type.subtypes.contains(given) {
            subtype = given
        } else {
            add("subtype", "invalid", "subtype \"\(c.subtype ?? "")\" is not one of \(type.subtypes.joined(separator: ", "))")
        }
        if PSKSEligibility.isBlank(c.name) { add("name", "required", "name is required") }
        checkNIK()
        if let birth = c.birthDate, birth > c.registeredOn {
            add("birth_date", "after_registration", "birth date \(birth) is after the registration date \(c.registeredOn)")
        }
        if let trained = c.trainingCompletedOn, trained > c.registeredOn {
            add("training_completed_on", "after_registration",
                "training completion date \(trained) is after the registration date \(c.registeredOn)")
        }
    }

    private mutating func checkNIK() {
        guard let text = c.nik, !PSKSEligibility.isBlank(text) else { return }
        guard type.kind == .person else {
            return add("nik", "not_applicable", "a \(type.kind.rawValue) has no NIK; leave nik out")
        }
        do {
            let parsed = try NIK(parsing: text, referenceDate: c.registeredOn)
            nik = parsed
            if let sex = c.sex, sex != parsed.sex {
                add("nik", "nik_sex_mismatch", "NIK \(parsed.masked) is a \(parsed.sex == .female ? "woman" : "man")'s "
                    + "(women's birth day has 40 added), the record says \(sex.rawValue)")
            }
            if let birth = c.birthDate, birth != parsed.birthDate {
                add("nik", "nik_birth_date_mismatch",
                    "NIK \(parsed.masked) gives birth date \(parsed.birthDate), the record says \(birth)")
            }
        } catch let error as NIKError {
            add("nik", "nik_invalid", error.message)
        } catch {
            add("nik", "nik_invalid", "\(error)")
        }
    }

    mutating func present(_ value: String?, field: String, what: String, criterion: String) {
        if PSKSEligibility.isBlank(value) { add(field, "required", "\(what) is required (\(text(criterion)))") }
    }

    mutating func age(min: Int?, max: Int?, criterion: String) {
        guard let birth = birthDate else {
            return add("birth_date", "required", "birth date (or NIK) is required to check \(text(criterion))")
        }
        guard birth <= c.registeredOn else { return }  // reported by general()
        let age = birth.age(on: c.registeredOn)
        if let min = min, age < min {
            add("birth_date", "too_young", "age \(age) is under the minimum of \(min)")
        }
        if let max = max, age > max {
            add("birth_date", "too_old", "age \(age) is over the limit of \(max)")
        }
    }

    mutating func education(atLeast minimum: EducationLevel, criterion: String) {
        guard let level = c.education else {
            return add("education", "required", "education is required (\(text(criterion)))")
        }
        if level < minimum {
            add("education", "education_too_low", "education \(level.rawValue) is below what is required (\(text(criterion)))")
        }
    }

    mutating func woman(criterion: String) {
        guard let sex = sex else { return add("sex", "required", "sex (or NIK) is required (\(text(criterion)))") }
        if sex != .female { add("sex", "wrong_sex", "must be a woman (\(text(criterion)))") }
    }

    mutating func rank(atLeast minimum: PNSRank, criterion: String) {
        guard let given = c.rank, !PSKSEligibility.isBlank(given) else {
            return add("rank", "required", "rank is required (\(text(criterion)))")
        }
        guard let rank = PNSRank(given) else {
            return add("rank", "invalid", "rank \"\(given)\" is not a PNS rank like III/a")
        }
        if rank < minimum { add("rank", "rank_too_low", "rank \(rank) is below the minimum of Penata Muda \(minimum)") }
    }

    mutating func experience(atLeast years: Int, criterion: String) {
        guard let given = c.extensionExperienceYears else {
            return add("extension_experience_years", "required", "extension experience in years is required (\(text(criterion)))")
        }
        if given < 0 {
            add("extension_experience_years", "invalid", "extension experience cannot be negative (\(given))")
        } else if given < years {
            add("extension_experience_years", "experience_too_short",
                "\(given) year\(given == 1 ? "" : "s") of extension experience is under the minimum of \(years)")
        }
    }

    mutating func basedInDesa(criterion: String) {
        if c.regionCode.depth != 4 {
            add("region", "region_level", "region \(c.regionCode) is not a desa/kelurahan (\(text(criterion)))")
        }
    }

    mutating func domicile(criterion: String) {
        guard let home = c.regionCode.kecamatan else {
            return add("region", "region_level",
                       "region \(c.regionCode) is not a kecamatan or desa/kelurahan (\(text(criterion)))")
        }
        guard let assigned = c.assignedKecamatan else { return }
        guard assigned.depth == 3 else {
            return add("assigned_kecamatan", "region_level", "assigned kecamatan \(assigned) is not a kecamatan code")
        }
        if !assigned.contains(home) {
            add("region", "outside_assigned_kecamatan",
                "region \(c.regionCode) is outside the assigned kecamatan \(assigned) (\(text(criterion)))")
        }
    }
}
