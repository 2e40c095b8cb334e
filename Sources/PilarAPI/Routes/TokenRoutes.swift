import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    func registerTokenRoutes() {
        route("POST", "/v1/tokens") { ctx in
            let body = try ctx.jsonObject()
            let roleText = body["role"]?.stringValue ?? ""
            guard let role = Role(rawValue: roleText) else {
                throw PilarError.field("role", "unknown_role", "role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var region: RegionCode?
            if let r = body["region"], !r.isNull {
                guard let text = r.stringValue, let code = RegionCode(text) else {
                    throw PilarError.field("region", "malformed_code", "region must be a region code such as \"32.74\"")
                }
                region = code
            }
            guard let name = body["name"]?.stringValue else {
                throw PilarError.field("name", "required", "name is required, e.g. \"TKSK Kejaksan\"")
            }
            var expiresAt: Date?
            if let e = body["expires_at"], !e.isNull {
                guard let text = e.stringValue, let date = Clock.parseTimestamp(text) else {
                    throw PilarError.field("expires_at", "invalid_timestamp", "expires_at must be an RFC 3339 time such as \"2027-01-31T00:00:00Z\"")
                }
                expiresAt = date
            }
            let (info, secret) = try ctx.pilar.tokens.create(role: role, region: region, name: name, expiresAt: expiresAt,
                                                             by: ctx.caller)
            guard case .object(var o) = TokenService.json(info) else { fatalError() }
            o["token"] = .string(secret)
            var h = HTTPHeaders()
            h.set("Location", "/v1/tokens/\(info.id)")
            h.set("Cache-Control", "no-store")
            return Reply.json(.object(o), status: 201, headers: h)
        }
        route("GET", "/v1/tokens") { ctx in
            let tokens = try ctx.pilar.tokens.list(by: ctx.caller)
            return Reply.list(tokens.map(TokenService.json), nextCursor: nil, request: ctx.request)
        }
        route("DELETE", "/v1/tokens/{id}") { ctx in
            let id = try ctx.pathID(what: "token")
            let info = try ctx.pilar.tokens.revoke(id: id, by: ctx.caller)
            return Reply.json(TokenService.json(info))
        }
        route("GET", "/v1/privacy/settings") { ctx in
            Reply.json(try ctx.pilar.privacySettings(by: ctx.caller).json)
        }
        route("PATCH", "/v1/privacy/settings") { ctx in
            Reply.json(try ctx.pilar.updatePrivacySettings(try ctx.jsonObject(), by: ctx.caller).json)
        }
    }
}
