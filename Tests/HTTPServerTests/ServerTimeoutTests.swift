import Foundation
import HTTPServer
import XCTest

/// Deadlines over real sockets: slow heads, idle keep-alive, stalled writes, many slow peers.
final class ServerTimeoutTests: XCTestCase {
    var server: TestServer!

    override func setUpWithError() throws {
        var limits = TestServer.defaultLimits
        limits.headerTimeout = 0.5
        limits.idleTimeout = 0.5
        limits.writeTimeout = 0.5
        server = try TestServer(limits: limits)
    }

    override func tearDown() { server.stop() }

    func testSlowHeadIsCutOffAfterTheHeaderTimeout() throws {
        let client = try server.client()
        let started = Date()
        // A byte every 100 ms keeps the socket busy, but the head never completes in time.
        var cutOff = false
        for byte in "GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: " + String(repeating: "s", count: 100) {
            do { try client.send(String(byte)) } catch { cutOff = true; break }
            usleep(100_000)
            if Date().timeIntervalSince(started) > 4 { break }
        }
        if !cutOff { XCTAssertTrue(client.closes(within: 3)) }
        XCTAssertLessThan(Date().timeIntervalSince(started), 4, "cut off within a generous bound")
        XCTAssertTrue(server.eventually { self.server.server.openConnections == 0 })
    }

    func testSilentNewConnectionIsClosed() throws {
        let client = try server.client()
        XCTAssertTrue(client.closes(within: 3))
    }

    func testPartialHeadGets408() throws {
        let client = try server.client()
        try client.send("GET /hello HTTP/1.1\r\nHo")
        let response = try client.readResponse()
        assertProblem(response, status: 408)
        XCTAssertTrue(client.closes(within: 3))
    }

    func testIdleKeepAliveConnectionIsClosed() throws {
        let client = try server.client()
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")
        let started = Date()
        XCTAssertTrue(client.closes(within: 3))
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.2, "not closed right after the answer")
    }

    func testStalledResponseWriteIsCutOff() throws {
        let client = try server.client()
        try client.send("GET /big-stream HTTP/1.1\r\nHost: t\r\n\r\n")
        // Never read: the server's writes stall once the socket buffers are full.
        XCTAssertTrue(server.eventually(within: 8) { self.server.server.openConnections == 0 },
                      "the connection must be dropped after the write timeout")
        XCTAssertTrue(server.eventually { self.server.log.contains { $0.path == "/big-stream" } })
    }

    func testManySlowPeersDoNotStopOthers() throws {
        let slow = try (0..<200).map { _ in try server.client() }
        for (i, client) in slow.enumerated() {
            try client.send("GET /hello HTTP/1.1\r\nX-Slow-\(i): ")
        }
        XCTAssertTrue(server.eventually { self.server.server.openConnections >= 200 })
        let started = Date()
        let normal = try server.client()
        for _ in 0..<5 {
            try normal.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertEqual(try normal.readResponse().text, "hello")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        // And the slow ones are all cut off by the sweeper.
        XCTAssertTrue(slow.allSatisfy { $0.closes(within: 3) })
    }
}
