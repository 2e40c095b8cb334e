import Foundation
import HTTPServer
import PilarCore
import SQLiteStore

/// The HTTP face of Pilar: routes every request, authenticates it, calls one service and
/// turns whatever went wrong into problem+json. No SQL and no rules live here.
public final class PilarApp: HTTPResponder {
    public let pilar: Pilar
    public let router = Router()
    public let metrics = Metrics()
    /// CSV exports streaming now, per token and in all (a client paces each one).
    let exports = ExportSlots()
    /// Exports streaming now (tests watch their slots come back).
    public var exportsRunning: Int { exports.inFlight }
    /// Request bodies in flight per token (see BodyAdmission.swift).
    let uploads = UploadsInFlight()
    /// Rejected-rows files of recent imports, each for the token that imported.
    let rejected = RejectedDownloads()
    /// Imports running as jobs (`Prefer: respond-async`).
    let jobs = ImportJobs()
    /// Set once the server exists, so /metrics can report open connections.
    public weak var server: HTTPServer?
    public var logRequests: Bool
    /// Where request lines go (standard error unless a test gives its own).
    public let log: LogSink

    public init(pilar: Pilar, logRequests: Bool = true, log: LogSink = Log.standardError) {
        self.pilar = pilar
        self.logRequests = logRequests
        self.log = log
        registerServiceRoutes()
        registerRegionRoutes()
        registerTokenRoutes()
        registerAuditRoutes()
        registerCatalogRoutes()
        registerPSKSRoutes()
        registerReportRoutes()
        registerStatsRoutes()
        registerCapacityRoutes()
        registerWebRoutes()
        registerTemplateRoutes()
        registerPrivacyRoutes()
        registerRejectedRoutes()
        registerImportJobRoutes()
    }

    public enum Access { case public_, token }

    /// Adds a route whose handler runs with an authenticated caller.
    public func route(_ method: String, _ pattern: String, _ handler: @escaping (RequestContext) throws -> HTTPResponse) {
        router.add(method, pattern) { [unowned self] request, params in
            let caller = try self.authenticate(request)
            return try handler(RequestContext(request: request, params: params, caller: caller, pilar: self.pilar))
        }
    }

    /// Adds a route anyone may call (health, metrics, the API description).
    public func publicRoute(_ method: String, _ pattern: String, _ handler: @escaping (HTTPRequest) throws -> HTTPResponse) {
        publicPatterns.insert(pattern)
        router.add(method, pattern) { request, _ in try handler(request) }
    }

    private var publicPatterns: Set<String> = []
    /// Each stats path's normalized query and clock sensitivity (the parts of its ETag), filled
    /// while the routes are registered and only read afterwards.
    var statsTags: [String: ([(name: String, value: String)], Caller) throws -> (String, Bool)] = [:]

    func isPublic(_ pattern: String) -> Bool { publicPatterns.contains(pattern) }

    func authenticate(_ request: HTTPRequest) throws -> Caller {
        guard let header = request.headers["Authorization"] else {
            throw PilarError(.unauthorized, code: "token_missing")
        }
        guard let text = Self.bearerToken(header) else {
            throw PilarError(.unauthorized, code: "authorization_malformed")
        }
        guard let caller = try pilar.tokens.authenticate(text) else {
            throw PilarError(.unauthorized, code: "token_invalid")
        }
        return caller
    }

    /// The token of `Bearer <token>`, or nil when the header has another shape. Plain byte
    /// work: this runs on every request, and Foundation's trimming showed in profiles.
    static func bearerToken(_ header: String) -> String? {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count,
              zip(bytes.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 || ($0 == $1) }) else { return nil }
        let token = bytes.dropFirst(scheme.count).drop(while: { $0 == 0x20 || $0 == 0x09 })
        let end = token.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) ?? token.startIndex
        return token.isEmpty ? "" : String(decoding: token[token.startIndex...end], as: UTF8.self)
    }

    /// Every answer says its language (Content-Language, Vary: Accept-Language).
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        answer(request).spoken(request.language)
    }

    private func answer(_ request: HTTPRequest) -> HTTPResponse {
        switch router.match(method: request.method, path: request.path) {
        case .notFound:
            return Reply.problem(PilarError(.notFound, code: "no_route", ["path": .text(request.path)]), request.language)
        case .methodNotAllowed(let allow):
            if request.method == "OPTIONS" {
                var h = HTTPHeaders()
                h.set("Allow", allow.joined(separator: ", "))
                return HTTPResponse(status: 204, headers: h)
            }
            var r = Reply.problem(PilarError(.methodNotAllowed, code: "method_not_allowed",
                                             ["method": .text(request.method), "path": .text(request.path), "allowed": .list(allow)]),
                                  request.language)
            r.headers.set("Allow", allow.joined(separator: ", "))
            return r
        case .found(let handler, let params, let pattern):
            request.routePattern = pattern
            do {
                return try handler(request, params)
            } catch {
                return Self.response(for: error, request: request)
            }
        }
    }

    /// The one place errors become HTTP answers.
    static func response(for error: Error, request: HTTPRequest) -> HTTPResponse {
        let language = request.language
        switch error {
        case let e as PilarError:
            return Reply.problem(e, language)
        case let e as IdempotencyKeyReused:
            return Reply.problem(PilarError(.unprocessable, code: "idempotency_key_reused", ["key": .text(e.key)],
                                            errors: [FieldError(field: "Idempotency-Key", code: "key_reused")]), language)
        case let e as HTTPBodyError:
            switch e {
            case .tooLarge(let limit):
                var r = Reply.problem(PilarError(.payloadTooLarge, code: "body_too_large", extra: ["max_bytes": .int(Int64(limit))]), language)
                r.headers.set("Connection", "close")
                return r
            case .timedOut, .connectionClosed, .malformed:
                var r = Reply.problem(PilarError(.badRequest, code: "body_unreadable", ["reason": .text("\(e)")]), language)
                r.headers.set("Connection", "close")
                return r
            }
        case let e as WriterBusy:
            return writerBusy(e, language)
        case let e as SQLiteError where e.code == 5 || e.code == 6:  // BUSY, LOCKED
            return Reply.problem(.busy(.unavailable, code: "database_busy", retryAfter: 1), language)
        default:
            Log.error("unhandled error on \(request.method) \(request.path): \(error)")
            return Reply.problem(PilarError(.internalError, code: "internal_error",
                                            ["request_id": .text(request.headers["X-Request-Id"] ?? "-")]), language)
        }
    }

    /// Called by the server after each response: metrics and one log line.
    public func didRespond(_ e: AccessLogEntry) {
        metrics.record(e)
        if logRequests { log.request(e) }
    }

    /// A server for this app with its hooks connected.
    public func makeServer(host: String, port: Int, limits: Limits = Limits()) -> HTTPServer {
        let s = HTTPServer(host: host, port: port, limits: limits, responder: self) { [weak self] e in self?.didRespond(e) }
        server = s
        return s
    }
}

/// One JSON line per event on standard error; never bodies, tokens or query strings. Lines
/// are written off the caller's thread by `LogSink` (see there).
public enum Log {
    public static let standardError = LogSink(fd: 2)

    public static func info(_ message: String) { standardError.message("info", message) }

    public static func error(_ message: String) { standardError.message("error", message) }
}
