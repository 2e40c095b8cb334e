import Foundation
import HTTPServer
import XCTest

/// The router and the request's target parsing, without sockets.
final class RouterTests: XCTestCase {
    func makeRouter() -> Router {
        let router = Router()
        router.add("GET", "/v1/regions/{code}") { _, p in TestRoutes.text("region \(p["code"]!)") }
        router.add("GET", "/v1/regions/search") { _, _ in TestRoutes.text("search") }
        router.add("POST", "/v1/reports/{kecamatan}/{period}/submit") { _, p in
            TestRoutes.text("\(p["kecamatan"]!) \(p["period"]!)")
        }
        router.add("GET", "/") { _, _ in TestRoutes.text("root") }
        router.add("DELETE", "/v1/regions/{code}") { _, _ in HTTPResponse(status: 204) }
        router.add("GET", "/fail") { _, _ in throw ClientError(description: "boom") }
        return router
    }

    func pattern(_ match: Router.Match) -> String? {
        if case .found(_, _, let pattern) = match { return pattern }
        return nil
    }

    func testLiteralSegmentsWinOverParameters() {
        let router = makeRouter()
        XCTAssertEqual(pattern(router.match(method: "GET", path: "/v1/regions/search")), "/v1/regions/search")
        XCTAssertEqual(pattern(router.match(method: "GET", path: "/v1/regions/32.74")), "/v1/regions/{code}")
        // The literal owns its path: it has no DELETE, so DELETE is a 405 with the literal's methods
        // (the parameter route's DELETE does not answer for the code "search").
        guard case .methodNotAllowed(let allow) = router.match(method: "DELETE", path: "/v1/regions/search") else {
            return XCTFail("DELETE on the literal path should be 405")
        }
        XCTAssertEqual(allow, ["GET", "HEAD", "OPTIONS"])
        XCTAssertEqual(pattern(router.match(method: "GET", path: "/")), "/")
    }

    func testParametersArePercentDecoded() throws {
        let router = makeRouter()
        guard case .found(let handler, let params, _) = router.match(method: "POST", path: "/v1/reports/Coblong%20Kulon/2026-10/submit") else {
            return XCTFail("no match")
        }
        XCTAssertEqual(params["kecamatan"], "Coblong Kulon")
        XCTAssertEqual(params["period"], "2026-10")
        XCTAssertNil(params["missing"])
        let response = try handler(HTTPRequest(method: "POST", target: "/"), params)
        XCTAssertEqual(response.status, 200)
    }

    func testNotFoundAndEmptySegments() {
        let router = makeRouter()
        for path in ["/v1/regions", "/v1/regions/", "/v1/regions//x", "/v2", "/v1/reports/a//submit", "/v1/regions/32/extra"] {
            guard case .notFound = router.match(method: "GET", path: path) else { return XCTFail(path) }
        }
    }

    func testMethodNotAllowedListsAllowAndHeadFallsBackToGet() {
        let router = makeRouter()
        guard case .methodNotAllowed(let allow) = router.match(method: "PUT", path: "/v1/regions/32") else {
            return XCTFail("expected 405")
        }
        XCTAssertEqual(allow, ["GET", "HEAD", "DELETE", "OPTIONS"])
        XCTAssertEqual(pattern(router.match(method: "HEAD", path: "/v1/regions/32")), "/v1/regions/{code}")
        guard case .methodNotAllowed(let postOnly) = router.match(method: "GET", path: "/v1/reports/a/b/submit") else {
            return XCTFail("expected 405")
        }
        XCTAssertEqual(postOnly, ["POST", "OPTIONS"])
        guard case .methodNotAllowed(let literal) = router.match(method: "PUT", path: "/v1/regions/search") else {
            return XCTFail("expected 405")
        }
        XCTAssertEqual(literal, ["GET", "HEAD", "OPTIONS"], "the literal owns the path; the parameter route's DELETE is not offered")
    }

    func testRouterAsResponder() {
        let router = makeRouter()
        let request = HTTPRequest(method: "GET", target: "/v1/regions/32?x=1")
        let response = router.respond(to: request)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(request.routePattern, "/v1/regions/{code}")
        XCTAssertEqual(router.respond(to: HTTPRequest(method: "GET", target: "/fail")).status, 500)
        XCTAssertEqual(router.respond(to: HTTPRequest(method: "GET", target: "/nope")).status, 404)
        let options = router.respond(to: HTTPRequest(method: "OPTIONS", target: "/v1/regions/32"))
        XCTAssertEqual(options.status, 204)
        XCTAssertEqual(options.headers["Allow"], "GET, HEAD, DELETE, OPTIONS")
        let server = router.respond(to: HTTPRequest(method: "OPTIONS", target: "*"))
        XCTAssertEqual(server.status, 204)
        XCTAssertEqual(server.headers["Allow"], "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
        let notAllowed = router.respond(to: HTTPRequest(method: "PATCH", target: "/v1/regions/32"))
        XCTAssertEqual(notAllowed.status, 405)
        XCTAssertEqual(notAllowed.headers["Content-Type"], "application/problem+json")
    }

    func testRequestTargetQueryAndID() {
        let request = HTTPRequest(method: "GET", target: "/v1/psks?q=a%20b&empty=&flag&q=second&plus=1+1&bad=%zz",
                                  headers: HTTPHeaders([("X-Request-Id", "client-id")]))
        XCTAssertEqual(request.path, "/v1/psks")
        XCTAssertEqual(request.queryValue("q"), "a b")
        XCTAssertEqual(request.query.filter { $0.name == "q" }.map { $0.value }, ["a b", "second"])
        XCTAssertEqual(request.queryValue("empty"), "")
        XCTAssertEqual(request.queryValue("flag"), "")
        XCTAssertEqual(request.queryValue("plus"), "1 1")
        XCTAssertEqual(request.queryValue("bad"), "%zz")
        XCTAssertNil(request.queryValue("missing"))
        XCTAssertEqual(request.requestID, "client-id")

        let absolute = HTTPRequest(method: "GET", target: "http://example.org:8080/x/y?z=1")
        XCTAssertEqual(absolute.path, "/x/y")
        XCTAssertEqual(absolute.queryValue("z"), "1")
        XCTAssertEqual(HTTPRequest(method: "GET", target: "http://example.org").path, "/")

        let generated = HTTPRequest(method: "GET", target: "/", headers: HTTPHeaders([("X-Request-Id", String(repeating: "x", count: 129))]))
        XCTAssertEqual(generated.requestID.count, 32)
        XCTAssertEqual(generated.headers["X-Request-Id"], generated.requestID)
    }

    func testBodyCollectRespectsLimit() throws {
        XCTAssertEqual(try HTTPRequestBody(bytes: Array("abc".utf8)).collect(upTo: 3), Array("abc".utf8))
        XCTAssertThrowsError(try HTTPRequestBody(bytes: Array("abcd".utf8)).collect(upTo: 3)) { error in
            XCTAssertEqual(error as? HTTPBodyError, .tooLarge(limit: 3))
        }
        let empty = HTTPRequestBody(bytes: [])
        XCTAssertFalse(empty.hasBody)
        XCTAssertNil(try empty.read())
    }

    func testProblemBodyIsRFC9457JSON() throws {
        let response = HTTPResponse.problem(status: 422, detail: "bad \"quote\"\n")
        guard case .bytes(let body) = response.body else { return XCTFail("bytes expected") }
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        XCTAssertEqual(object["type"] as? String, "about:blank")
        XCTAssertEqual(object["title"] as? String, "Unprocessable Content")
        XCTAssertEqual(object["status"] as? Int, 422)
        XCTAssertEqual(object["detail"] as? String, "bad \"quote\"\n")
        XCTAssertEqual(response.headers["Content-Type"], "application/problem+json")
    }
}
