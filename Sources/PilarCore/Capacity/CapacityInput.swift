import Foundation

/// Reads the members of a capacity JSON body (or an import row) with one error per bad field,
/// so a 422 lists everything to fix at once. `prefix` names items of a list: "participants[2].".
struct CapacityInput {
    let body: [String: JSON]
    let prefix: String
    /// CSV text: "ya"/"tidak" for booleans, digits for numbers.
    let lenient: Bool
    var errors: [FieldError] = []

    init(_ body: JSONObject, prefix: String = "", allowed: [String], lenient: Bool = false) {
        var b: [String: JSON] = [:]
        for (k, v) in body { b[k] = v }
        self.init(b, prefix: prefix, allowed: allowed, lenient: lenient)
    }

    init(_ body: [String: JSON], prefix: String = "", allowed: [String], lenient: Bool = false) {
        self.body = body
        self.prefix = prefix
        self.lenient = lenient
        for k in body.keys.sorted() where !allowed.contains(k) {
            fail(k, "unknown_field", ["allowed": .list(allowed)])
        }
    }

    mutating func fail(_ field: String, _ code: String, _ values: MessageValues = [:], wording: String? = nil) {
        errors.append(FieldError(field: prefix + field, code: code, values, wording: wording))
    }

    func has(_ field: String) -> Bool { body[field] != nil }

    /// A trimmed string without control characters; nil when absent, null or blank.
    mutating func string(_ field: String, max: Int = 2_000, required: Bool = false) -> String? {
        guard let v = body[field], !v.isNull else {
            if required { fail(field, "required") }
            return nil
        }
        var text: String
        switch v {
        case .string(let s): text = s
        case .int(let i) where lenient: text = String(i)
        default:
            errors.append(.wrongType(prefix + field, expected: "string", v))
            return nil
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if required { fail(field, "required") }
            return nil
        }
        if text.count > max {
            fail(field, "too_long", ["length": .int(text.count), "max": .int(max)])
            return nil
        }
        return text
    }

    mutating func date(_ field: String, required: Bool = false) -> CalendarDate? {
        guard let text = string(field, max: 10, required: required) else { return nil }
        guard let d = CalendarDate(text) else {
            fail(field, "invalid_date", ["value": .text(text)], wording: "invalid_date.iso")
            return nil
        }
        return d
    }

    mutating func int(_ field: String, range: ClosedRange<Int64>, required: Bool = false) -> Int64? {
        guard let v = body[field], !v.isNull else {
            if required { fail(field, "required") }
            return nil
        }
        var n: Int64?
        switch v {
        case .int(let i): n = i
        case .string(let s) where lenient:
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty {
                if required { fail(field, "required") }
                return nil
            }
            guard let i = Int64(t) else {
                fail(field, "invalid_number", ["value": .text(t)])
                return nil
            }
            n = i
        default:
            errors.append(.wrongType(prefix + field, expected: "integer", v))
            return nil
        }
        guard let value = n, range.contains(value) else {
            fail(field, "out_of_range", ["min": .number(range.lowerBound), "max": .number(range.upperBound), "value": n.map { .number($0) } ?? "-"])
            return nil
        }
        return value
    }

    mutating func bool(_ field: String) -> Bool? {
        guard let v = body[field], !v.isNull else { return nil }
        switch v {
        case .bool(let b): return b
        case .string(let s) where lenient:
            switch s.trimmingCharacters(in: .whitespaces).lowercased() {
            case "": return nil
            case "true", "yes", "ya", "y", "1": return true
            case "false", "no", "tidak", "t", "n", "0": return false
            default: fail(field, "invalid_boolean", ["value": .text(s)])
            }
        default: errors.append(.wrongType(prefix + field, expected: "boolean", v))
        }
        return nil
    }

    /// One of a closed list of words.
    mutating func choice(_ field: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let text = string(field, max: 100, required: required) else { return nil }
        guard allowed.contains(text) else {
            fail(field, "invalid", ["value": .text(text), "allowed": .list(allowed)])
            return nil
        }
        return text
    }

    mutating func region(_ field: String, required: Bool = false) -> RegionCode? {
        guard let text = string(field, max: 20, required: required) else { return nil }
        guard let code = RegionCode(text) else {
            fail(field, "malformed_code", ["value": .text(text)])
            return nil
        }
        return code
    }

    /// Throws the 422 when anything was wrong.
    func check() throws {
        if !errors.isEmpty { throw PilarError.invalid(errors) }
    }
}
