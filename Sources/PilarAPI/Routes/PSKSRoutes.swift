import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    func registerPSKSRoutes() {
        route("POST", "/v1/psks") { ctx in
            let answer = try ctx.pilar.registry.create(try ctx.jsonObject(limit: 64 * 1024), by: ctx.caller)
            var h = Conditional.headers(answer.versionTag)
            h.set("Location", "/v1/psks/\(answer.record.id)")
            return Reply.json(answer.json { Reply.message($0, ctx.language) }, status: 201, headers: h)
        }
        route("GET", "/v1/psks") { ctx in
            var q = try ctx.psksQuery()
            q.limit = try ctx.limit
            q.cursor = ctx.query("cursor")
            let (items, next) = try ctx.pilar.registry.search(q, by: ctx.caller)
            return Reply.list(items, nextCursor: next, request: ctx.request)
        }
        route("GET", "/v1/psks/export.xlsx") { [unowned self] ctx in
            let export = try ctx.pilar.registry.export(try ctx.psksQuery(), by: ctx.caller)
            return try self.workbookExport(export, ctx)
        }
        route("GET", "/v1/psks/export") { [unowned self] ctx in
            let export = try ctx.pilar.registry.export(try ctx.psksQuery(), by: ctx.caller)
            if ctx.wantedTable == .xlsx { return try self.workbookExport(export, ctx) }
            let ticket = try self.exports.claim(for: ctx.caller)
            var h = HTTPHeaders()
            h.set("Content-Type", Reply.csvType)
            h.set("Content-Disposition", "attachment; filename=\"\(export.filename)\"")
            h.set("Cache-Control", "no-store")
            // Sent as it is made: one batch (its own short read) at a time, the next only once
            // the client took the one before, so the first bytes leave at once and nothing is
            // spooled. The slot is held until the answer has left, so a slow reader's export counts.
            var answer = HTTPResponse(status: 200, headers: h, body: .pull(export.pieces()))
            answer.onSent = { ticket.release() }
            return answer
        }
        route("POST", "/v1/psks/import") { [unowned self] ctx in
            let format = try ctx.importFormat()
            let options = try ctx.importOptions()
            let type = ctx.query("type")
            return try self.importRoute(ctx, kind: "psks", format: format) { spool in
                (try ctx.pilar.registry.importRecords(spool, format: format, type: type, options: options, by: ctx.caller), [:])
            }
        }
        route("GET", "/v1/psks/{id}") { ctx in
            let answer = try ctx.pilar.registry.get(try ctx.psksID(), by: ctx.caller)
            return ctx.versionedRead(answer.shown, version: answer.versionTag)
        }
        route("PATCH", "/v1/psks/{id}") { ctx in
            let id = try ctx.psksID()
            let answer = try ctx.pilar.registry.update(id, patch: try ctx.jsonObject(limit: 64 * 1024),
                                                       expected: ctx.expectedVersion, by: ctx.caller)
            return Reply.json(answer.json { Reply.message($0, ctx.language) }, headers: Conditional.headers(answer.versionTag))
        }
        route("DELETE", "/v1/psks/{id}") { ctx in
            let id = try ctx.psksID()
            // The reason comes in a JSON body {"reason": ..., "ended_on": ...} or as ?reason=.
            var reason = ctx.query("reason")
            var endedOn = ctx.query("ended_on")
            // The query is text as much as a JSON body is: no control characters (tab, LF, CR aside).
            for (key, value) in [("reason", reason), ("ended_on", endedOn)] {
                if let value, value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") || $0.value == 0x7F }) {
                    throw PilarError(.badRequest, code: "query_control_character", ["name": .text(key)],
                                     errors: [FieldError(field: key, code: "control_character")])
                }
            }
            if ctx.request.body.hasBody {
                let body = try ctx.jsonObject(limit: 16 * 1024)
                for key in body.keys where key != "reason" && key != "ended_on" {
                    throw PilarError.field(key, code: "unknown_field", ["allowed": ["reason", "ended_on"]])
                }
                for key in ["reason", "ended_on"] {
                    if let v = body[key], !v.isNull, v.stringValue == nil {
                        throw PilarError.field(key, code: "wrong_type", ["expected": .term("json.string"), "found": .term("json." + v.typeName)])
                    }
                }
                reason = body["reason"]?.stringValue ?? reason
                endedOn = body["ended_on"]?.stringValue ?? endedOn
            }
            let answer = try ctx.pilar.registry.end(id, reason: reason, endedOn: endedOn, expected: ctx.expectedVersion, by: ctx.caller)
            return Reply.json(answer.json { Reply.message($0, ctx.language) }, headers: Conditional.headers(answer.versionTag))
        }
    }
}

extension RequestContext {
    func psksID() throws -> Int64 { try pathID() }

    /// type, region, status, q, education (shared by the list and the export).
    func psksQuery() throws -> PSKSQuery {
        var q = PSKSQuery()
        q.type = query("type")
        q.region = try queryRegion("region")
        q.status = try queryChoice("status", PSKSStatus.allCases.map(\.rawValue)).flatMap(PSKSStatus.init(rawValue:))
        q.q = query("q")
        if let e = query("education") {
            guard let level = EducationLevel(parsing: e) else {
                throw PilarError(.badRequest, code: "query_not_a_choice",
                                 ["name": "education", "allowed": .list(EducationLevel.allCases.map(\.rawValue)), "value": .text(e)])
            }
            q.education = level
        }
        if let text = q.q, text.count > 200 { throw PilarError(.badRequest, code: "query_too_long", ["name": "q", "max": 200]) }
        return q
    }
}

extension PilarApp {
    /// The export as .xlsx, counted against the same export limits as CSV while it is built
    /// (batch by batch into a temporary file) and sent.
    func workbookExport(_ export: PSKSExport, _ ctx: RequestContext) throws -> HTTPResponse {
        let ticket = try exports.claim(for: ctx.caller)
        let book: SheetFile
        do { book = try export.workbook() } catch { ticket.release(); throw error }
        var reply = Reply.workbook(book, filename: export.filename)
        if case .stream(let send) = reply.body {
            reply.body = .stream { writer in
                defer { ticket.release() }
                try send(writer)
            }
        }
        return reply
    }
}
