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
