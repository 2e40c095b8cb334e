import Foundation
import HTTPServer
import XCTest

/// Hostile input over real sockets: refused with problem+json and `Connection: close`, then closed.
final class ServerRefusalTests: XCTestCase {
    var server: TestServer!

    override func setUpWithError() throws {
        var limits = TestServer.defaultLimits
        limits.maxRequestLineBytes = 1024
        limits.maxHeaderBytes = 2048
        limits.maxHeaderCount = 20
        limits.maxBodyBytes = 10_000
        server = try TestServer(limits: limits)
    }

    override func tearDown() { server.stop() }

    let cases: [(name: String, raw: String, status: Int)] = [
        ("malformed request line", "GET /\r\n\r\n", 400),
        ("bad version", "GET / HTTP/1.x\r\nHost: t\r\n\r\n", 400),
        ("HTTP/2 version", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
        ("bare CR", "GET / HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n", 400),
        ("obs-fold", "GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n", 400),
        ("whitespace before colon", "GET / HTTP/1.1\r\nHost : t\r\n\r\n", 400),
        ("missing Host", "GET / HTTP/1.1\r\n\r\n", 400),
        ("two Host", "GET / HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n", 400),
        ("CL and TE", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("conflicting CL", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
        ("bad CL", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5x\r\n\r\nhello", 400),
        ("unknown coding", "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: br\r\n\r\n", 400),
        ("request line too long", "GET /" + String(repeating: "a", count: 2000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
        ("headers too large", "GET / HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "b", count: 3000) + "\r\n\r\n", 431),
        ("too many headers", "GET / HTTP/1.1\r\nHost: t\r\n" + String(repeating: "X-A: 1\r\n", count: 25) + "\r\n", 431),
        ("declared body too large", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10001\r\n\r\n", 413),
        ("TLS on the plain port", "\u{16}\u{3}\u{1}\u{0}\u{a5}\u{1}\u{0}", 400),
    ]

    func testRefusalsAreProblemsThatClose() throws {
        for (name, raw, status) in cases {
            let client = try server.client()
            try client.send(raw)
            let response = try client.readResponse()
            assertProblem(response, status: status)
            XCTAssertEqual(response.headers["Connection"], "close", name)
            XCTAssertNotNil(response.headers["Date"], name)
            XCTAssertTrue(client.closes(within: 3), "\(name): the connection must be closed")
        }
        XCTAssertTrue(server.eventually { self.server.server.openConnections == 0 })
    }

    func testRefusalAfterAnsweredPipelinedRequest() throws {
        let client = try server.client()
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost : t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")
        assertProblem(try client.readResponse(), status: 400)
        XCTAssertTrue(client.closes(within: 3))
    }

    func testRefusalReachesAClientStillSendingItsBody() throws {
        // The 413 must not be destroyed by a reset while the peer is still uploading.
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n\r\n")
        try client.send([UInt8](repeating: 0x42, count: 200_000))
        let response = try client.readResponse()
        assertProblem(response, status: 413)
    }

    func testTooManyConnectionsAreRefusedWith503() throws {
        var limits = TestServer.defaultLimits
        limits.maxConnections = 3
        let small = try TestServer(limits: limits)
        defer { small.stop() }
        let held = try (0..<3).map { _ in try small.client() }
        for client in held {
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertEqual(try client.readResponse().status, 200)
        }
        let extra = try small.client()
        assertProblem(try extra.readResponse(), status: 503)
        XCTAssertEqual(small.server.openConnections, 3)
    }
}
