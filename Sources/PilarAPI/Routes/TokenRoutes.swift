import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    func registerTokenRoutes() {
        route("POST", "/v1/tokens") { ctx in
            let body = try ctx.jsonObject()
            let roleText = body["role"]?.stringValue ?? ""
            guard let role = Role(rawValue: roleText) else {
                throw PilarError.field("role", code: "unknown_role", ["allowed": .list(Role.allCases.map(\.rawValue))])
            }
            var region: RegionCode?
            if let r = body["region"], !r.isNull {
                guard let text = r.stringValue, let code = RegionCode(text) else {
                    throw PilarError.field("region", code: "malformed_code", ["value": .text(r.stringValue ?? r.typeName)])
                }
                region = code
            }
            guard let name = body["name"]?.stringValue else {
                throw PilarError.field("name", code: "required")
            }
            var expiresAt: Date?
            if let e = body["expires_at"], !e.isNull {
                guard let text = e.stringValue, let date = Clock.parseTimestamp(text) else {
                    throw PilarError.field("expires_at", code: "invalid_timestamp")
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
            let id = try ctx.pathID()
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
