import Foundation
import HTTPServer
import XCTest

/// Connection semantics over real sockets: keep-alive, pipelining, HTTP/1.0, methods, headers.
final class ServerBasicsTests: XCTestCase {
    var server: TestServer!

    override func setUpWithError() throws { server = try TestServer() }
    override func tearDown() { server.stop() }

    func testKeepAliveReusesTheConnection() throws {
        let client = try server.client()
        for i in 0..<3 {
            try client.send("GET /items/\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "item \(i)")
            XCTAssertNil(response.headers["Connection"])
        }
        XCTAssertEqual(server.server.openConnections, 1)
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        let client = try server.client()
        // The slow one first: a later, faster answer must not overtake it.
        try client.send("GET /slow?ms=200 HTTP/1.1\r\nHost: t\r\n\r\n"
            + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nfirst"
            + "GET /items/7 HTTP/1.1\r\nHost: t\r\n\r\n"
            + "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "slept 200")
        XCTAssertEqual(try client.readResponse().text, "first")
        XCTAssertEqual(try client.readResponse().text, "item 7")
        XCTAssertEqual(try client.readResponse().text, "second")
    }

    func testHTTP10ClosesUnlessKeepAliveIsAsked() throws {
        let client = try server.client()
        try client.send("GET /hello HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.text, "hello")
        XCTAssertEqual(response.headers["Connection"], "close")
        XCTAssertTrue(client.closes(within: 3))

        let keepAlive = try server.client()
        for _ in 0..<2 {
            try keepAlive.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try keepAlive.readResponse()
            XCTAssertEqual(response.text, "hello")
            XCTAssertEqual(response.headers["Connection"], "keep-alive")
        }
    }

    func testConnectionCloseFromClientAndFromHandler() throws {
        let client = try server.client()
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(try client.readResponse().headers["Connection"], "close")
        XCTAssertTrue(client.closes(within: 3))

        let other = try server.client()
        try other.send("GET /close HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try other.readResponse()
        XCTAssertEqual(response.text, "bye")
        XCTAssertEqual(response.headers.values("Connection"), ["close"])
        XCTAssertTrue(other.closes(within: 3))
    }

    func testHeadSendsHeadersWithoutBody() throws {
        let client = try server.client()
        try client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try client.readResponse(forHead: true)
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["Content-Length"], "5")
        // Had a body been sent, it would now be read as the next status line.
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")

        try client.send("HEAD /stream HTTP/1.1\r\nHost: t\r\n\r\n")
        let streamHead = try client.readResponse(forHead: true)
        XCTAssertEqual(streamHead.headers["Transfer-Encoding"], "chunked")
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")
    }

    func testOptionsNotFoundMethodNotAllowedNotImplemented() throws {
        let client = try server.client()
        try client.send("OPTIONS /items/3 HTTP/1.1\r\nHost: t\r\n\r\n")
        let options = try client.readResponse()
        XCTAssertEqual(options.status, 204)
        XCTAssertEqual(options.headers["Allow"], "GET, HEAD, PUT, DELETE, OPTIONS")
        XCTAssertNil(options.headers["Content-Length"])

        try client.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
        assertProblem(try client.readResponse(), status: 404)

        try client.send("POST /items/3 HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi")
        let notAllowed = try client.readResponse()
        assertProblem(notAllowed, status: 405)
        XCTAssertEqual(notAllowed.headers["Allow"], "GET, HEAD, PUT, DELETE, OPTIONS")

        // A method HTTP does not define is one we do not implement: 501.
        try client.send("BREW /items/3 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\npot")
        assertProblem(try client.readResponse(), status: 501)
        // QUERY is defined (httpbis draft) and routed like any other method.
        try client.send("QUERY /items/3 HTTP/1.1\r\nHost: t\r\n\r\n")
        let query = try client.readResponse()
        assertProblem(query, status: 405)
        XCTAssertEqual(query.headers["Allow"], "GET, HEAD, PUT, DELETE, OPTIONS")
        try client.send("QUERY /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
        assertProblem(try client.readResponse(), status: 404)

        // A method HTTP defines but this path does not take is refused with the path's methods.
        try client.send("TRACE /items/3 HTTP/1.1\r\nHost: t\r\n\r\n")
        let trace = try client.readResponse()
        assertProblem(trace, status: 405)
        XCTAssertEqual(trace.headers["Allow"], "GET, HEAD, PUT, DELETE, OPTIONS")

        // Still the same connection: every one of these kept it alive.
        try client.send("DELETE /items/3 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 204)
    }

    func testServerHeadersDateRequestIdAndFraming() throws {
        let client = try server.client()
        try client.send("GET /sneaky HTTP/1.1\r\nHost: t\r\nX-Request-Id: abc-123\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.headers["X-Request-Id"], "abc-123")
        XCTAssertEqual(response.headers.values("Content-Length"), ["2"], "the handler's value is replaced")
        XCTAssertEqual(response.text, "ok")
        XCTAssertNil(response.headers["Injected"], "CR/LF in a value must not split the head")
        let date = try XCTUnwrap(response.headers["Date"])
        XCTAssertNotNil(date.range(of: #"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$"#,
                                   options: .regularExpression), date)

        try client.send("GET /request-id HTTP/1.1\r\nHost: t\r\nX-Request-Id: bad id with spaces\r\n\r\n")
        let generated = try client.readResponse()
        XCTAssertEqual(generated.headers["X-Request-Id"], generated.text)
        XCTAssertEqual(generated.text.count, 32)
        XCTAssertNotNil(generated.headers["Date"])
    }

    func testStatusesWithoutBodyAndInvalidStatuses() throws {
        let client = try server.client()
        for code in [204, 304] {
            try client.send("GET /status/\(code) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try client.readResponse()
            XCTAssertEqual(response.status, code)
            XCTAssertNil(response.headers["Content-Length"], "\(code) has no body")
        }
        try client.send("GET /status/201 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "body", "a body-less answer left nothing behind")
        for code in [99, 101, 1000] {
            try client.send("GET /status/\(code) HTTP/1.1\r\nHost: t\r\n\r\n")
            assertProblem(try client.readResponse(), status: 500)
        }
    }

    func testQueryIsDecoded() throws {
        let client = try server.client()
        try client.send("GET /query?x=1&q=a%20b+c%2B HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "q=a b c+")
    }

    func testManySequentialKeepAliveRequestsAreFast() throws {
        // With Nagle and delayed ACKs in the way each exchange would take ~40 ms (8 s in total).
        let client = try server.client()
        let started = Date()
        for _ in 0..<200 {
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
            XCTAssertEqual(try client.readResponse().text, "hello")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testManySequentialStreamedAnswersAreFast() throws {
        // A streamed answer leaves in several small writes: exactly what Nagle holds back while
        // the client delays its ACK, so without TCP_NODELAY this takes 200 x 40 ms.
        let client = try server.client()
        let started = Date()
        for _ in 0..<200 {
            try client.send("GET /stream-large HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertEqual(try client.readResponse().chunks, 3)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testAccessLogSeesEveryAnswer() throws {
        let client = try server.client()
        try client.send("GET /items/9 HTTP/1.1\r\nHost: t\r\nX-Request-Id: log-1\r\n\r\n")
        _ = try client.readResponse()
        XCTAssertTrue(server.eventually { !self.server.log.isEmpty })
        let entry = try XCTUnwrap(server.log.last)
        XCTAssertEqual(entry.method, "GET")
        XCTAssertEqual(entry.path, "/items/9")
        XCTAssertEqual(entry.routePattern, "/items/{id}")
        XCTAssertEqual(entry.status, 200)
        XCTAssertEqual(entry.requestID, "log-1")
        XCTAssertGreaterThan(entry.bytesSent, 6)
        XCTAssertTrue(entry.remoteAddress.hasPrefix("127.0.0.1:"))
    }
}
