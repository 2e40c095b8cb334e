import Foundation

/// Every failure a caller can act on: a stable `code` (clients branch on it) and the typed
/// values that explain it (the field, the limit, the current state, the allowed actions, the
/// record it collides with), never a sentence. PilarAPI turns each into problem+json with the
/// status that `kind` names and the words its message catalogue holds for `code`, in the
/// caller's language; nothing here knows HTTP or words.
public struct PilarError: Error, CustomStringConvertible {
    public enum Kind: String {
        case badRequest          // 400: the request cannot be read (bad JSON, bad parameter)
        case unauthorized        // 401
        case forbidden           // 403: role or region outside the token's reach
        case notFound            // 404
        case methodNotAllowed    // 405
        case conflict            // 409: state or uniqueness
        case preconditionFailed  // 412: the writer's expected version is not the current one
        case payloadTooLarge     // 413
        case unsupportedMediaType // 415
        case unprocessable       // 422: well-formed but breaks a rule
        case tooManyRequests     // 429: this caller has too many of something running; retry later
        case unavailable         // 503: the service as a whole is at a limit; retry later
        case internalError       // 500: a fault of the service, not of the request
    }
    public let kind: Kind
    /// The stable name of what went wrong (snake_case), the key of its message.
    public let code: String
    /// What fills the message's placeholders.
    public var values: MessageValues
    public var errors: [FieldError]
    /// Extra members for the problem body (e.g. `current_status`, `allowed_actions`, `existing_id`):
    /// the same in every language. Templates may name them too.
    public var extra: JSONObject
    /// Seconds after which a retry may succeed (429, 503).
    public var retryAfter: Int?
    /// For a refused precondition: the version that is current (nil: none exists).
    public var currentVersion: VersionTag?
    /// COMPATIBILITY (issue 15, see PilarError+Legacy.swift): the English sentence of an error
    /// not converted to a code yet; nil for every converted one.
    public internal(set) var legacyDetail: String?

    public init(_ kind: Kind, code: String, _ values: MessageValues = [:], errors: [FieldError] = [],
                extra: JSONObject = JSONObject()) {
        self.kind = kind
        self.code = code
        self.values = values
        self.errors = errors
        self.extra = extra
    }

    public var description: String {
        let v = values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: " ")
        return "\(kind.rawValue) \(code)" + (v.isEmpty ? "" : " " + v) + (legacyDetail.map { ": " + $0 } ?? "")
    }

    /// 422 for broken field rules; the detail names the one field or counts them.
    public static func invalid(_ errors: [FieldError]) -> PilarError {
        .init(.unprocessable, code: "invalid_fields", ["count": .int(errors.count)], errors: errors)
    }
    /// 422 for one broken rule about one field.
    public static func field(_ field: String, code: String, _ values: MessageValues = [:]) -> PilarError {
        invalid([FieldError(field: field, code: code, values)])
    }
    /// A limit reached for now (429, 503): retry after `retryAfter` seconds.
    public static func busy(_ kind: Kind, code: String, retryAfter: Int, _ values: MessageValues = [:]) -> PilarError {
        var e = PilarError(kind, code: code, values)
        e.retryAfter = retryAfter
        return e
    }
}
