import Foundation

/// Every failure a caller can act on. PilarAPI turns each into problem+json with the status
/// that `kind` names; nothing here knows HTTP.
public struct PilarError: Error, CustomStringConvertible {
    public enum Kind: String {
        case badRequest          // 400: the request cannot be read (bad JSON, bad parameter)
        case unauthorized        // 401
        case forbidden           // 403: role or region outside the token's reach
        case notFound            // 404
        case conflict            // 409: state or uniqueness
        case preconditionFailed  // 412: the writer's expected version is not the current one
        case payloadTooLarge     // 413
        case unsupportedMediaType // 415
        case unprocessable       // 422: well-formed but breaks a rule
        case tooManyRequests     // 429: this caller has too many of something running; retry later
        case unavailable         // 503: the service as a whole is at a limit; retry later
    }
    public let kind: Kind
    public let detail: String
    public var errors: [FieldError]
    /// Extra members for the problem body (e.g. `current_status`, `allowed_actions`, `existing_id`).
    public var extra: JSONObject
    /// Seconds after which a retry may succeed (429, 503).
    public var retryAfter: Int?
    /// For a refused precondition: the version that is current (nil: none exists).
    public var currentVersion: VersionTag?

    public init(_ kind: Kind, _ detail: String, errors: [FieldError] = [], extra: JSONObject = JSONObject()) {
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.extra = extra
    }

    public var description: String { "\(kind.rawValue): \(detail)" }

    public static func badRequest(_ d: String, errors: [FieldError] = []) -> PilarError { .init(.badRequest, d, errors: errors) }
    public static func notFound(_ d: String) -> PilarError { .init(.notFound, d) }
    public static func forbidden(_ d: String) -> PilarError { .init(.forbidden, d) }
    public static func conflict(_ d: String, extra: JSONObject = JSONObject()) -> PilarError { .init(.conflict, d, extra: extra) }
    public static func invalid(_ errors: [FieldError], _ d: String? = nil) -> PilarError {
        .init(.unprocessable, d ?? (errors.count == 1 ? errors[0].message : "\(errors.count) fields break the rules"), errors: errors)
    }
    /// A limit reached for now: `code` is the stable name clients branch on.
    public static func busy(_ kind: Kind, code: String, retryAfter: Int, _ d: String) -> PilarError {
        var e = PilarError(kind, d, extra: ["code": .string(code)])
        e.retryAfter = retryAfter
        return e
    }
    public static func field(_ field: String, _ code: String, _ message: String) -> PilarError {
        invalid([FieldError(field: field, code: code, message: message)])
    }
}
