import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    func registerRegionRoutes() {
        route("GET", "/v1/regions") { ctx in
            try ctx.allowOnly(["parent", "q", "limit"])
            let parent = try ctx.queryRegion("parent")
            let limit = try ctx.limit  // checked even when it does not apply (children come whole)
            if let q = ctx.query("q") {
                let found = try ctx.pilar.regions.search(q, in: parent, limit: limit, by: ctx.caller)
                return Reply.list(found.map(\.json), nextCursor: nil, request: ctx.request)
            }
            let children = try ctx.pilar.regions.children(of: parent, by: ctx.caller)
            return Reply.list(children.map(\.json), nextCursor: nil, request: ctx.request)
        }
        route("GET", "/v1/regions/{code}") { ctx in
            let (region, ancestors) = try ctx.pilar.regions.get(try ctx.pathRegion("code"), by: ctx.caller)
            guard case .object(var o) = region.json else { return Reply.json(region.json) }
            o["ancestors"] = .array(ancestors.map(\.json))
            return Reply.json(.object(o))
        }
        route("POST", "/v1/regions/import") { [unowned self] ctx in
            try ctx.caller.requireRole([.admin], to: "import_regions")
            let format = try ctx.importFormat()
            let options = try ctx.importOptions()
            return try self.importRoute(ctx, kind: "wilayah", format: format) { spool in
                (try ctx.pilar.regions.importCSV(spool, format: format, options: options, by: ctx.caller), [:])
            }
        }
    }
}
