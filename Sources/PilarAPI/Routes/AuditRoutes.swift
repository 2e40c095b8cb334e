import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    func registerAuditRoutes() {
        route("GET", "/v1/audit") { ctx in
            try ctx.allowOnly(["entity", "id", "since", "limit", "cursor"])
            var q = AuditLog.Query()
            q.entity = try ctx.queryChoice("entity", AuditLog.entities)
            q.key = ctx.query("id")
            if let since = ctx.query("since") {
                guard let d = Clock.parseTimestamp(since) ?? CalendarDate(since).flatMap({ Clock.parseTimestamp("\($0)T00:00:00Z") }) else {
                    throw PilarError(.badRequest, code: "query_not_a_date_or_time", ["name": "since", "value": .text(since)])
                }
                q.since = Clock.timestamp(d)
            }
            q.limit = try ctx.limit + 1
            if let cursor = ctx.query("cursor") {
                guard let id = try Cursor.decode(cursor, arity: 1)[0].intValue else {
                    throw PilarError(.badRequest, code: "cursor_invalid")
                }
                q.afterID = id
            }
            var entries = try AuditLog.list(ctx.pilar, q, by: ctx.caller)
            var next: String?
            if entries.count == q.limit {
                entries.removeLast()
                next = entries.last.map { Cursor.encode([.int($0.id)]) }
            }
            return Reply.list(entries.map { e in
                var o = JSONObject()
                o["id"] = .int(e.id)
                o["at"] = .string(e.at)
                o["token_id"] = .from(e.tokenID)
                o["actor"] = .string(e.actor)
                o["entity"] = .string(e.entity)
                o["entity_id"] = .string(e.key)
                o["action"] = .string(e.action)
                o["region"] = .from(e.region)
                o["before"] = e.before ?? .null
                o["after"] = e.after ?? .null
                return .object(o)
            }, nextCursor: next, request: ctx.request)
        }
    }
}
