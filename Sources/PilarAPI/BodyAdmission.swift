import Foundation
import HTTPServer
import PilarCore

/// Which routes take a body, how large, from whom: decided on the head, before any body byte is
/// stored, so an unauthorised or oversized upload costs the server nothing but its head.
struct BodyRule {
    /// The most bytes the route's real files need (a national registry export is ~25 MB).
    let maxBytes: Int
    /// Roles that may send it at all (nil: any token; the service checks the rest).
    let roles: Set<Role>?
    /// An upload that holds the writer and the disk for long: fewer of them in flight per token.
    let isImport: Bool

    static let json = BodyRule(maxBytes: 64 * 1024, roles: nil, isImport: false)
    static let smallJSON = BodyRule(maxBytes: 16 * 1024, roles: nil, isImport: false)

    /// "METHOD pattern" -> rule; a limit here is never below what the handler itself reads.
    /// POST, PUT, PATCH and DELETE routes not listed take up to `otherWrites` (the JSON
    /// default); GET, HEAD, OPTIONS and TRACE never take a body (413 on the head).
    static let byRoute: [String: BodyRule] = [
        "POST /v1/psks/import": BodyRule(maxBytes: 64 << 20, roles: RegistryService.writers, isImport: true),
        "POST /v1/regions/import": BodyRule(maxBytes: 32 << 20, roles: [.admin], isImport: true),
        "POST /v1/reports/import": BodyRule(maxBytes: 64 << 20, roles: [.admin, .kabkota], isImport: true),
        "POST /v1/trainings/{id}/participants": BodyRule(maxBytes: 16 << 20, roles: nil, isImport: true),
        "PUT /v1/reports/{kecamatan}/{period}": BodyRule(maxBytes: (1 << 20) + 64 * 1024, roles: nil, isImport: false),
        "POST /v1/psks": .json, "PATCH /v1/psks/{id}": .json, "DELETE /v1/psks/{id}": .smallJSON,
        "POST /v1/trainings": .json, "PATCH /v1/trainings/{id}": .json,
    ]
    static let otherWrites = BodyRule(maxBytes: 1 << 20, roles: nil, isImport: false)
    static let bodyless: Set<String> = ["GET", "HEAD", "OPTIONS", "TRACE", "CONNECT"]

    static func rule(method: String, pattern: String) -> BodyRule? {
        if let rule = byRoute["\(method) \(pattern)"] { return rule }
        return bodyless.contains(method) ? nil : otherWrites
    }

    /// Uploads one token may have in flight (gathering or being processed); more get 429.
    static let importsInFlight = 2
    static let uploadsInFlight = 16
}

/// Uploads in flight per (token, kind); entries exist only while a count is above zero.
final class UploadsInFlight {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    /// A release to run when the upload is over, or nil when the token has `limit` already.
    func reserve(_ key: String, limit: Int) -> (() -> Void)? {
        lock.lock()
        defer { lock.unlock() }
        let now = counts[key, default: 0]
        guard now < limit else { return nil }
        counts[key] = now + 1
        var released = false
        return { [weak self] in
            guard let self else { return }
            self.lock.lock()
            defer { self.lock.unlock() }
            guard !released else { return }
            released = true
            let left = self.counts[key, default: 1] - 1
            self.counts[key] = left > 0 ? left : nil
        }
    }
}

extension PilarApp {
    /// On a worker: the route, the token (from the database if need be), the role and the limits.
    public func admit(_ request: HTTPRequest) -> Admission {
        admission(request) { try self.authenticate(request) } ?? .spool
    }

    /// On the event loop: the same from the token cache, or nil (a worker decides).
    public func admitInline(_ request: HTTPRequest) -> Admission? {
        admission(request) {
            guard let header = request.headers["Authorization"], let token = Self.bearerToken(header),
                  let caller = self.pilar.tokens.cachedCaller(token) else { throw CacheMiss() }
            return caller
        }
    }

    private struct CacheMiss: Error {}

    /// nil only when `caller` threw CacheMiss.
    private func admission(_ request: HTTPRequest, caller: () throws -> Caller) -> Admission? {
        guard case .found(_, _, let pattern) = router.match(method: request.method, path: request.path) else {
            return .answer(respond(to: request))  // 404 / 405 before any body (already spoken)
        }
        request.routePattern = pattern
        guard let rule = BodyRule.rule(method: request.method, pattern: pattern) else {
            return .answer(Reply.problem(PilarError(.payloadTooLarge, code: "body_not_allowed", ["method": .text(request.method), "route": .text(pattern)],
                                                    extra: ["max_bytes": 0]), request.language).spoken(request.language))
        }
        if let declared = request.body.declaredLength, declared > rule.maxBytes {
            return .answer(Self.tooLarge(rule.isImport ? "import_too_large" : "body_too_large", request, limit: rule.maxBytes))
        }
        guard !isPublic(pattern) else { return .gather(maxBytes: rule.maxBytes, onEnd: nil) }
        let who: Caller
        do {
            who = try caller()
        } catch is CacheMiss {
            return nil
        } catch {
            return .answer(Self.response(for: error, request: request).spoken(request.language))
        }
        if let roles = rule.roles, !roles.contains(who.role) {
            let e = PilarError(.forbidden, code: "role_may_not_send", [
                "role": .text(who.role.rawValue), "method": .text(request.method), "route": .text(pattern),
                "roles": .list(Role.allCases.filter { roles.contains($0) }.map(\.rawValue))])
            return .answer(Self.response(for: e, request: request).spoken(request.language))
        }
        let key = "\(who.tokenID ?? -1)|\(rule.isImport ? "import" : "write")"
        let limit = rule.isImport ? BodyRule.importsInFlight : BodyRule.uploadsInFlight
        guard let release = uploads.reserve(key, limit: limit) else {
            return .answer(Self.tooManyUploads(limit, imports: rule.isImport, request.language))
        }
        return .gather(maxBytes: rule.maxBytes, onEnd: release)
    }

    /// 413 on the head, with a stable `code` and the route's limit in bytes (`max_bytes`, as the
    /// import caps say it).
    static func tooLarge(_ code: String, _ request: HTTPRequest, limit: Int) -> HTTPResponse {
        Reply.problem(PilarError(.payloadTooLarge, code: code, extra: ["max_bytes": .int(Int64(limit))]), request.language).spoken(request.language)
    }

    /// 429 with Retry-After: the token's uploads in flight are at their cap.
    static func tooManyUploads(_ limit: Int, imports: Bool, _ language: Language) -> HTTPResponse {
        Reply.problem(.busy(.tooManyRequests, code: "too_many_uploads", retryAfter: 5,
                             ["limit": .int(limit), "what": .term(imports ? "upload.imports" : "upload.bodies")]),
                      language, type: "urn:pilar:problem:too_many_uploads").spoken(language)
    }
}
