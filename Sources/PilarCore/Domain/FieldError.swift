import Foundation

/// One broken rule about one field, in words a person can act on. `field` is the JSON path
/// of the input ("birth_date", "pmks[2].male"); `code` is a stable machine word
/// ("required", "too_old", ...); `message` names the rule and the value.
/// Used for errors (422) and for warnings alike.
public struct FieldError: Error, Equatable, Hashable, CustomStringConvertible, Sendable {
    public let field: String
    public let code: String
    public let message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
