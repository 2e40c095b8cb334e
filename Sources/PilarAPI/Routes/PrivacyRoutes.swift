import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    /// The data protection officer's routes (dpo or admin tokens).
    func registerPrivacyRoutes() {
        // The NIK comes in the body, never in the path or query: those reach the request log.
        route("POST", "/v1/privacy/subject-report") { ctx in
            let body = try ctx.jsonObject(limit: 4 * 1024)
            for key in body.keys where key != "nik" {
                throw PilarError.field(key, code: "unknown_field", ["allowed": ["nik"]])
            }
            guard let nik = body["nik"]?.stringValue else {
                throw PilarError.field("nik", code: "required")
            }
            var h = HTTPHeaders()
            h.set("Cache-Control", "no-store")
            return Reply.json(try ctx.pilar.dataProtection.subjectReport(nik: nik, by: ctx.caller), headers: h)
        }
        route("GET", "/v1/privacy/breach-scope") { ctx in
            guard let text = ctx.query("token_id"), let tokenID = Int64(text), tokenID > 0 else {
                throw PilarError(.badRequest, code: "token_id_required", errors: [FieldError(field: "token_id", code: "required")])
            }
            func time(_ name: String) throws -> Date {
                guard let t = ctx.query(name), let d = Clock.parseTimestamp(t) else {
                    throw PilarError(.badRequest, code: "query_not_a_time", ["name": .text(name)],
                                     errors: [FieldError(field: name, code: "invalid_timestamp")])
                }
                return d
            }
            let from = try time("from"), until = try time("until")
            let rows = try ctx.pilar.dataProtection.breachScope(tokenID: tokenID, from: from, until: until, by: ctx.caller)
            var h = HTTPHeaders()
            h.set("Cache-Control", "no-store")
            return Reply.csv(header: DataProtectionService.breachColumns, rows: rows,
                             filename: "breach-scope-token-\(tokenID).csv", headers: h)
        }
    }
}
