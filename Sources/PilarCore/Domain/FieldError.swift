import Foundation

/// One broken rule about one field. `field` is the JSON path of the input ("birth_date",
/// "pmks[2].male"); `code` is a stable machine word ("required", "too_old", ...); `values`
/// are what the rule and the value were (PilarAPI's catalogue says it in words).
/// Used for errors (422) and for warnings alike.
public struct FieldError: Error, Equatable, Hashable, CustomStringConvertible, Sendable {
    public let field: String
    public let code: String
    public let values: MessageValues
    /// The catalogue entry that says it when the code alone is too general for the words
    /// (`out_of_range.length` for a text's length under the code clients know as `out_of_range`);
    /// nil: the entry of `code`.
    public let wording: String?
    /// COMPATIBILITY (issue 15, see PilarError+Legacy.swift): the English words of a field
    /// error not converted yet; nil for every converted one.
    public let legacyMessage: String?

    public init(field: String, code: String, _ values: MessageValues = [:], wording: String? = nil) {
        self.field = field
        self.code = code
        self.values = values
        self.wording = wording
        self.legacyMessage = nil
    }

    init(field: String, code: String, values: MessageValues, wording: String? = nil, legacyMessage: String?) {
        self.field = field
        self.code = code
        self.values = values
        self.wording = wording
        self.legacyMessage = legacyMessage
    }

    /// The same rule about the field inside `prefix` (`participants[2].` + `attended`).
    public func prefixed(_ prefix: String) -> FieldError {
        FieldError(field: prefix + field, code: code, values: values, wording: wording, legacyMessage: legacyMessage)
    }

    /// The catalogue entry of its words.
    public var messageKey: String { wording ?? code }

    public var description: String {
        let v = values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: " ")
        return "\(field): \(code)" + (v.isEmpty ? "" : " " + v) + (legacyMessage.map { " (\($0))" } ?? "")
    }
}

extension FieldError {
    /// `field` has the wrong JSON type: `expected` names the type wanted (a `json.*` term:
    /// string, integer, number, boolean, array, object, nonempty_string), the value says what came.
    public static func wrongType(_ field: String, expected: String, _ found: JSON) -> FieldError {
        var kind = found.typeName
        if case .double = found, expected == "integer" { kind = "fraction" }
        return FieldError(field: field, code: "wrong_type", ["expected": .term("json." + expected), "found": .term("json." + kind)])
    }
}

extension MessageValue {
    /// As stored (warnings kept with a report): a string, a number, an array of strings, or
    /// `{"term": ...}`, `{"terms": [...]}`, `{"time": ...}`.
    public var json: JSON {
        switch self {
        case .text(let s): return .string(s)
        case .number(let n): return .int(n)
        case .list(let a): return .array(a.map { .string($0) })
        case .term(let t): return ["term": .string(t)]
        case .terms(let a): return ["terms": .array(a.map { .string($0) })]
        case .time(let d): return ["time": .string(Clock.timestamp(d))]
        }
    }

    public init?(json: JSON) {
        switch json {
        case .string(let s): self = .text(s)
        case .int(let n): self = .number(n)
        case .array(let a): self = .list(a.compactMap(\.stringValue))
        case .object(let o):
            if let t = o["term"]?.stringValue { self = .term(t) }
            else if let a = o["terms"]?.arrayValue { self = .terms(a.compactMap(\.stringValue)) }
            else if let t = o["time"]?.stringValue, let d = Clock.parseTimestamp(t) { self = .time(d) }
            else { return nil }
        default: return nil
        }
    }
}

extension FieldError {
    /// The words to come, in a JSON body or a stored warning: `{"field", "code", "_words": {"key",
    /// "values"}}`. PilarAPI (`Reply.spoken`) puts the `message` in their place in the caller's
    /// language before the body is sent; a legacy error keeps its `message`.
    public var json: JSON {
        var o: JSONObject = ["field": .string(field), "code": .string(code)]
        if let legacyMessage {
            o["message"] = .string(legacyMessage)
        } else {
            var v = JSONObject()
            for k in values.keys.sorted() { v[k] = values[k]!.json }
            o[Words.member] = ["key": .string(messageKey), "values": .object(v), "into": "message"]
        }
        return .object(o)
    }

    /// A field error from `json` (a warning stored with a report).
    public init?(json j: JSON) {
        guard let f = j["field"]?.stringValue, let c = j["code"]?.stringValue else { return nil }
        if let w = j[Words.member]?.objectValue {
            var values: MessageValues = [:]
            for (k, v) in w["values"]?.objectValue ?? [:] { values[k] = MessageValue(json: v) }
            let key = w["key"]?.stringValue ?? c
            self.init(field: f, code: c, values, wording: key == c ? nil : key)
        } else {
            self.init(field: f, code: c, values: [:], legacyMessage: j["message"]?.stringValue ?? "")
        }
    }
}

/// Words still to be said in a JSON body built here: an object member `_words` holding the
/// catalogue `key`, the `values` and the member to write the words `into`. PilarAPI replaces
/// it in the caller's language before the body leaves (`Reply.spoken`).
public enum Words {
    public static let member = "_words"

    /// `{"_words": ...}` for the member `into` of an object.
    public static func pending(_ key: String, _ values: MessageValues = [:], into: String) -> JSON {
        var v = JSONObject()
        for k in values.keys.sorted() { v[k] = values[k]!.json }
        return ["key": .string(key), "values": .object(v), "into": .string(into)]
    }
}

extension FieldError {
    /// One case of a general code (`required` of a category counted in persons): its words are
    /// the catalogue entry `code.variant` (`wording`); clients still see `code`.
    public init(field: String, code: String, _ values: MessageValues = [:], variant: String) {
        self.init(field: field, code: code, values, wording: code + "." + variant)
    }

    /// The case of `code` its wording names, if any.
    public var variant: String? {
        guard let w = wording, w.hasPrefix(code + ".") else { return nil }
        return String(w.dropFirst(code.count + 1))
    }
}
