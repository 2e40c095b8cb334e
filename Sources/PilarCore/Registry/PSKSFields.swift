import Foundation

/// Which fields each PSKS type takes, and how a field's value is read from JSON or CSV.
public enum PSKSFields {
    /// Fields the registry adds to a type's catalogue fields. TKSK: the kecamatan of assignment
    /// (CATALOG.md "lives in the kecamatan assigned" needs it; the region's kecamatan when absent).
    static let registryExtras: [String: [String]] = ["TKSK": ["assigned_kecamatan"]]

    /// The fields a type takes, in catalogue order (what `psks_types.fields` holds).
    public static func fields(of type: String) -> [String] {
        guard let t = PSKSFields.type(type) else { return [] }
        return fieldsByType[t.code] ?? []
    }

    private static let fieldsByType: [String: [String]] = Dictionary(uniqueKeysWithValues: PSKSType.all.map {
        ($0.code, $0.allFields + (registryExtras[$0.code] ?? []))
    })
    private static let typeByCode: [String: PSKSType] = Dictionary(uniqueKeysWithValues: PSKSType.all.map { ($0.code, $0) })

    /// `PSKSType.named` with a fast path for the exact code (an import asks once per row and rule).
    static func type(_ code: String) -> PSKSType? { typeByCode[code] ?? PSKSType.named(code) }

    /// Trims ASCII spaces, tabs and line breaks (and non-breaking spaces that spreadsheets leave)
    /// without Foundation's CharacterSet, which costs more than the rest of a row's parsing.
    static func trim(_ s: String) -> String {
        if let first = s.utf8.first, let last = s.utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return s }
        let scalars = s.unicodeScalars
        func isSpace(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\t" || u == "\n" || u == "\r" || u == "\u{A0}" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return s }
        return String(scalars[first...last])
    }

    /// Set by DELETE (or an import row with status inactive); cleared on reactivation.
    public static let endFields = ["ended_on", "end_reason"]
    /// Shown, never taken.
    public static let readOnly = ["id", "version", "created_at", "updated_at", "masked", "warnings", "eligibility"]

    /// Every field of every type, in the order of a CSV export over all types.
    public static let csvColumns: [String] = {
        var out = ["type"]
        for t in PSKSType.all {
            for f in fields(of: t.code) where !out.contains(f) { out.append(f) }
        }
        // Keep the record's life at the end, as the JSON does.
        out.removeAll { ["status", "registered_on", "notes"].contains($0) }
        return out + ["status", "registered_on"] + endFields + ["notes"]
    }()

    /// The CSV columns of an export of one type.
    public static func csvColumns(of type: String) -> [String] {
        let own = Set(fields(of: type))
        return csvColumns.filter { $0 == "type" || own.contains($0) || endFields.contains($0) }
    }

    static let maxText = 2_000
}

/// Turns the fields of a JSON body or a CSV row into a `PSKSRecord`, collecting every problem.
/// JSON is strict about types (a date is a "YYYY-MM-DD" string, a flag a boolean); CSV text
/// is read leniently (yes/no, L/P, SMA for SLTA) because spreadsheets write it that way.
struct PSKSDecoder {
    let lenient: Bool
    let today: CalendarDate
    var errors: [FieldError] = []

    init(lenient: Bool, today: CalendarDate) {
        self.lenient = lenient
        self.today = today
    }

    private mutating func fail(_ field: String, _ code: String, _ values: MessageValues = [:], wording: String? = nil) {
        errors.append(FieldError(field: field, code: code, values, wording: wording))
    }

    /// COMPATIBILITY (issue 15): a sheet's cell problem, still in words until Sheets is converted.
    private mutating func fail(_ field: String, _ code: String, legacy message: String) {
        errors.append(FieldError(field: field, code: code, message: message))
    }

    /// `expected`: a `json.*` term (string, integer, boolean).
    private mutating func wrongType(_ field: String, _ expected: String, _ got: JSON) {
        errors.append(.wrongType(field, expected: expected, got))
    }

    /// A trimmed string, nil when absent, null or blank.
    mutating func string(_ o: [String: JSON], _ field: String, max: Int = PSKSFields.maxText) -> String? {
        guard let v = o[field], !v.isNull else { return nil }
        var text: String
        switch v {
        case .string(let s): text = s
        case .int(let i) where lenient: text = String(i)
        default: wrongType(field, "string", v); return nil
        }
        text = PSKSFields.trim(text)
        if text.isEmpty { return nil }
        if text.count > max {
            fail(field, "too_long", ["length": .int(text.count), "max": .int(max)])
            return nil
        }
        return text
    }

    mutating func date(_ o: [String: JSON], _ field: String) -> CalendarDate? {
        guard let text = string(o, field) else { return nil }
        if lenient {
            // Sheets: DD/MM/YYYY, D-M-YYYY and ISO; ambiguous forms refused with how to write them.
            switch SheetDates.parse(text) {
            case .success(let d): return d
            case .failure(let p): fail(field, p.code, legacy: "\(field): \(p.message.id)"); return nil
            }
        }
        guard let d = CalendarDate(text) else {
            fail(field, "invalid_date", ["value": .text(text)], wording: "invalid_date.iso")
            return nil
        }
        return d
    }

    /// A phone number. From a sheet it is validated and stored in one national form (a lost
    /// leading 0 put back, `+62` written as 0), so a re-import of the same number is unchanged.
    mutating func phone(_ o: [String: JSON]) -> String? {
        guard let text = string(o, "phone", max: 40) else { return nil }
        guard lenient else { return text }
        if MaskedValue.isMasked(text) { fail("phone", "masked_value", legacy: MaskedValue.problem(column: "phone", text).message.id); return nil }
        switch PhoneNumber.parse(text) {
        case .success(let p)?: return p.national
        case .failure(let p)?: fail("phone", p.code, legacy: "phone: \(p.message.id)"); return nil
        case nil: return nil
        }
    }

    /// A NIK as given; from a sheet, a masked one ("3274********0001", from an export that
    /// masks personal data) is refused: importing it would overwrite the real NIK with stars.
    mutating func nik(_ o: [String: JSON]) -> String? {
        guard let text = string(o, "nik") else { return nil }
        if lenient && MaskedValue.isMasked(text) {
            fail("nik", "masked_value", legacy: MaskedValue.problem(column: "nik", text).message.id)
            return nil
        }
        return text
    }

    mutating func int(_ o: [String: JSON], _ field: String) -> Int? {
        guard let v = o[field], !v.isNull else { return nil }
        switch v {
        case .int(let i) where i >= -1_000 && i <= 1_000: return Int(i)
        case .int(let i): fail(field, "out_of_range", ["min": 0, "max": 1000, "value": .number(i)])
        case .string(let s) where lenient:
            let t = PSKSFields.trim(s)
            if t.isEmpty { return nil }
            guard let i = Int(t), abs(i) <= 1_000 else {
                fail(field, "invalid_number", ["value": .text(t)]); return nil
            }
            return i
        default: wrongType(field, "integer", v)
        }
        return nil
    }

    mutating func bool(_ o: [String: JSON], _ field: String) -> Bool? {
        guard let v = o[field], !v.isNull else { return nil }
        switch v {
        case .bool(let b): return b
        case .string(let s) where lenient:
            switch PSKSFields.trim(s).lowercased() {
            case "": return nil
            case "true", "yes", "ya", "y", "1": return true
            case "false", "no", "tidak", "t", "n", "0": return false
            default: fail(field, "invalid_boolean", ["value": .text(s)])
            }
        default: wrongType(field, "boolean", v)
        }
        return nil
    }

    mutating func sex(_ o: [String: JSON]) -> Sex? {
        guard let text = string(o, "sex") else { return nil }
        if let s = Sex(rawValue: text) { return s }
        if lenient {
            switch text.lowercased() {
            case "male", "l", "m", "laki-laki", "pria": return .male
            case "female", "p", "f", "perempuan", "wanita": return .female
            default: break
            }
        }
        fail("sex", "invalid", ["value": .text(text), "allowed": ["male", "female"]])
        return nil
    }

    mutating func education(_ o: [String: JSON]) -> EducationLevel? {
        guard let text = string(o, "education") else { return nil }
        if let e = lenient ? EducationLevel(parsing: text) : EducationLevel(rawValue: text) { return e }
        fail("education", "invalid", ["value": .text(text), "allowed": .list(EducationLevel.allCases.map(\.rawValue))])
        return nil
    }

    mutating func region(_ o: [String: JSON], _ field: String) -> RegionCode? {
        guard let text = string(o, field) else { return nil }
        guard let code = RegionCode(text) else {
            fail(field, "malformed_code", ["value": .text(text)])
            return nil
        }
        return code
    }

    /// The whole record. `o` holds every field (a merge patch is applied before); fields the
    /// type does not take must be absent or null.
    mutating func record(_ o: [String: JSON]) -> PSKSRecord? {
        let known = Set(PSKSFields.csvColumns)
        for key in o.keys.sorted() where !known.contains(key) {
            fail(key, "unknown_field", ["allowed": .list(PSKSFields.csvColumns)])
        }
        guard let typeText = string(o, "type") else {
            if errors.isEmpty { fail("type", "required", ["allowed": .list(PSKSType.all.map(\.code))], wording: "required.one_of") }
            return nil
        }
        guard let type = PSKSFields.type(typeText) else {
            fail("type", "unknown", ["value": .text(typeText), "allowed": .list(PSKSType.all.map(\.code))], wording: "unknown_psks_type")
            return nil
        }
        let takes = Set(PSKSFields.fields(of: type.code) + PSKSFields.endFields + ["type"])
        for key in o.keys.sorted() where known.contains(key) && !takes.contains(key) {
            if let v = o[key], !v.isNull, v != .string("") {
                fail(key, "not_applicable", ["type": .text(type.code)])
            }
        }
        let name = string(o, "name", max: 200)
        if name == nil { fail("name", "required") }
        let region = region(o, "region")
        if region == nil && o["region"].map({ $0.isNull || $0 == .string("") }) ?? true {
            fail("region", "required", wording: "required.region")
        }
        var registeredOn = date(o, "registered_on")
        if registeredOn == nil && (o["registered_on"]?.isNull ?? true) { registeredOn = today }
        var r = PSKSRecord(type: type.code, name: name ?? "", region: region ?? RegionCode("32")!,
                           registeredOn: registeredOn ?? today)
        r.subtype = string(o, "subtype")?.lowercased()
        r.nik = nik(o)
        r.sex = sex(o)
        r.birthDate = date(o, "birth_date")
        r.education = education(o)
        r.assignedKecamatan = self.region(o, "assigned_kecamatan")
        if r.assignedKecamatan == r.region.kecamatan { r.assignedKecamatan = nil }
        r.phone = phone(o)
        r.address = string(o, "address")
        r.legalEntity = bool(o, "legal_entity")
        r.registrationNumber = string(o, "registration_number", max: 100)
        r.head = string(o, "head", max: 200)
        r.certificateNumber = string(o, "certificate_number", max: 100)
        r.trainingCompletedOn = date(o, "training_completed_on")
        r.rank = string(o, "rank", max: 40)
        r.extensionExperienceYears = int(o, "extension_experience_years")
        r.skNumber = string(o, "sk_number", max: 100)
        r.notes = string(o, "notes")
        r.endedOn = date(o, "ended_on")
        r.endReason = string(o, "end_reason", max: 500)
        if let s = string(o, "status") {
            if let st = PSKSStatus(rawValue: lenient ? s.lowercased() : s) { r.status = st } else {
                fail("status", "invalid", ["value": .text(s), "allowed": ["active", "inactive"]])
            }
        }
        if r.registeredOn > today {
            fail("registered_on", "in_future", ["value": .text(r.registeredOn.description), "today": .text(today.description)])
        }
        switch r.status {
        case .active:
            if r.endedOn != nil || r.endReason != nil {
                fail(r.endedOn != nil ? "ended_on" : "end_reason", "not_applicable", wording: "not_applicable.active")
            }
        case .inactive:
            if r.endReason == nil { fail("end_reason", "required", wording: "required.end_reason") }
            if r.endedOn == nil { r.endedOn = today }
            if let e = r.endedOn, e < r.registeredOn {
                fail("ended_on", "before_registration", ["value": .text(e.description), "registered_on": .text(r.registeredOn.description)])
            }
            if let e = r.endedOn, e > today { fail("ended_on", "in_future", ["value": .text(e.description), "today": .text(today.description)]) }
        }
        return r
    }
}

extension PSKSRecord {
    /// The editable fields as typed JSON: the base a merge patch or an import row applies to.
    func inputObject() -> [String: JSON] {
        guard case .object(let o) = json(masked: false) else { return [:] }
        var out: [String: JSON] = [:]
        for (k, v) in o where !PSKSFields.readOnly.contains(k) && !v.isNull { out[k] = v }
        if assignedKecamatan == nil { out["assigned_kecamatan"] = nil }
        return out
    }

    /// RFC 7396 on the flat record: null removes, anything else replaces. Reactivating
    /// (status active over an inactive record) clears the end of service unless the patch sets it.
    static func merge(_ base: [String: JSON], _ patch: [String: JSON]) -> [String: JSON] {
        var out = base
        for (k, v) in patch { out[k] = v.isNull ? nil : v }
        if case .string(let s)? = patch["status"], s.lowercased() == "active", base["status"] == .string("inactive") {
            for f in PSKSFields.endFields where patch[f] == nil { out[f] = nil }
        }
        return out
    }
}
