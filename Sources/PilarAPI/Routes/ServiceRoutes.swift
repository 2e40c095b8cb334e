import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    func registerServiceRoutes() {
        publicRoute("GET", "/healthz") { [unowned self] _ in
            do {
                // A reserved reader, so the check answers while long reads hold the ordinary ones.
                _ = try pilar.db.readPriority { c in try c.queryOne("SELECT 1 AS ok") }
                return Reply.json(["status": "ok", "database": "ok"])
            } catch {
                // The reason goes to the log, not to whoever asks: it can name files and paths.
                Log.error("health check: the database cannot be read: \(error)")
                return Reply.json(["status": "unavailable", "database": "unavailable"], status: 503)
            }
        }
        // Per-route counts (exports, revocations) say what people do: a metrics or admin token.
        route("GET", "/metrics") { [unowned self] ctx in
            try ctx.caller.requireRole([.metrics, .admin], to: "read_metrics")
            let text = metrics.render(openConnections: server?.openConnections ?? 0,
                                      writeQueueDepth: pilar.db.pendingWrites,
                                      committedWrites: pilar.committedWrites.current) + log.metricsText
            var h = HTTPHeaders()
            h.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return HTTPResponse(status: 200, headers: h, body: .bytes(Array(text.utf8)))
        }
        publicRoute("GET", "/openapi.yaml") { _ in
            var h = HTTPHeaders()
            h.set("Content-Type", "application/yaml; charset=utf-8")
            return HTTPResponse(status: 200, headers: h, body: .bytes(Array(embeddedOpenAPI.utf8)))
        }
        route("GET", "/v1/me") { ctx in
            var o = JSONObject()
            o["token_id"] = .from(ctx.caller.tokenID)
            o["name"] = .string(ctx.caller.name)
            o["role"] = .string(ctx.caller.role.rawValue)
            o["region"] = .from(ctx.caller.region?.dotted)
            if let r = ctx.caller.region, let (region, _) = try? ctx.pilar.regions.get(r, by: ctx.caller) {
                o["region_name"] = .string(region.name)
            } else {
                o["region_name"] = .null
            }
            o["reach"] = .string(ctx.caller.region.map { MessageCatalog.render("reach.region", ["region": .text($0.dotted)], in: ctx.language) ?? $0.dotted }
                                 ?? MessageCatalog.term("reach.national", in: ctx.language))
            // A TKSK's months due and reports returned; absent for other roles.
            if let tasks = try ctx.pilar.reports.tasks(by: ctx.caller) { o["tasks"] = tasks }
            return Reply.json(.object(o))
        }
    }
}
