import Foundation

// COMPATIBILITY PATH (issue 15): errors still built from English sentences.
//
// Feature folders are converted to coded errors one at a time; until a folder is converted
// its errors use these initializers, and PilarAPI shows the English sentence as the detail in
// every language (with the generic code of its kind, or the `code` in `extra`). The folders
// not converted yet are listed in Tests/PilarAPITests/MessageCatalogTests.swift
// (`unconvertedFolders`); whoever converts the last one deletes this file and that list.

extension PilarError {
    public init(_ kind: Kind, _ detail: String, errors: [FieldError] = [], extra: JSONObject = JSONObject()) {
        self.init(kind, code: extra["code"]?.stringValue ?? Self.genericCode(kind), errors: errors, extra: extra)
        self.legacyDetail = detail
    }

    /// The code of a legacy error that names none: its kind in snake_case.
    static func genericCode(_ kind: Kind) -> String {
        switch kind {
        case .badRequest: return "bad_request"
        case .unauthorized: return "unauthorized"
        case .forbidden: return "forbidden"
        case .notFound: return "not_found"
        case .methodNotAllowed: return "method_not_allowed"
        case .conflict: return "conflict"
        case .preconditionFailed: return "precondition_failed"
        case .payloadTooLarge: return "payload_too_large"
        case .unsupportedMediaType: return "unsupported_media_type"
        case .unprocessable: return "unprocessable"
        case .tooManyRequests: return "too_many_requests"
        case .unavailable: return "unavailable"
        case .internalError: return "internal_error"
        }
    }

    /// The English sentence (legacy) or the code (converted): for logs and the CLI.
    public var detail: String { legacyDetail ?? (errors.count == 1 ? errors[0].legacyMessage : nil) ?? code }

    public static func badRequest(_ d: String, errors: [FieldError] = []) -> PilarError { .init(.badRequest, d, errors: errors) }
    public static func notFound(_ d: String) -> PilarError { .init(.notFound, d) }
    public static func forbidden(_ d: String) -> PilarError { .init(.forbidden, d) }
    public static func conflict(_ d: String, extra: JSONObject = JSONObject()) -> PilarError { .init(.conflict, d, extra: extra) }
    public static func invalid(_ errors: [FieldError], _ d: String) -> PilarError { .init(.unprocessable, d, errors: errors) }
    public static func busy(_ kind: Kind, code: String, retryAfter: Int, _ d: String) -> PilarError {
        var e = PilarError(kind, d, extra: ["code": .string(code)])
        e.retryAfter = retryAfter
        return e
    }
    public static func field(_ field: String, _ code: String, _ message: String) -> PilarError {
        invalid([FieldError(field: field, code: code, message: message)])
    }
}

extension FieldError {
    public init(field: String, code: String, message: String) {
        self.init(field: field, code: code, values: [:], legacyMessage: message)
    }

    /// The English words (legacy) or the code (converted).
    public var message: String { legacyMessage ?? code }
}
