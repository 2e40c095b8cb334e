import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    func registerCatalogRoutes() {
        // Any valid token: the catalogue holds no personal data.
        route("GET", "/v1/catalog/psks-types") { ctx in
            Reply.list(try ctx.pilar.registry.catalog(), nextCursor: nil, request: ctx.request)
        }
    }
}
