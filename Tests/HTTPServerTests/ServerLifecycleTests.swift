import Foundation
import HTTPServer
import XCTest

/// Streamed answers and graceful shutdown over real sockets.
final class ServerLifecycleTests: XCTestCase {
    func testStreamedResponseIsChunkedOnHTTP11() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.headers["Transfer-Encoding"], "chunked")
        XCTAssertNil(response.headers["Content-Length"])
        XCTAssertNotNil(response.headers["Date"])
        XCTAssertEqual(response.text, "one,two,three")
        XCTAssertEqual(response.chunks, 1, "small writes are gathered into one chunk")
        try client.send("GET /stream-large HTTP/1.1\r\nHost: t\r\n\r\n")
        let large = try client.readResponse()
        XCTAssertEqual(large.chunks, 3)
        XCTAssertEqual(large.body.count, 60_000)
        // The connection stays usable after the terminating chunk.
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")
    }

    func testStreamedResponseIsCloseDelimitedOnHTTP10() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertNil(response.headers["Transfer-Encoding"])
        XCTAssertEqual(response.headers["Connection"], "close")
        XCTAssertEqual(response.text, "one,two,three")
    }

    func testStreamFailingMidwayBecomes500() throws {
        // A streamed answer is produced in full before any byte leaves, so even a producer that
        // fails after writing gives a proper error, never a truncated 200.
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /stream-fail HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.readResponse()
        assertProblem(response, status: 500)
        XCTAssertEqual(response.headers["Connection"], "close")
    }

    func testStreamFailingBeforeAnyByteBecomes500() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /stream-fail-early HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.readResponse()
        assertProblem(response, status: 500)
        XCTAssertEqual(response.headers["Connection"], "close")
    }

    func testGracefulShutdownFinishesTheRequestInFlight() throws {
        let server = try TestServer()
        let busy = try server.client()
        let idle = try server.client()
        try idle.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try idle.readResponse().text, "hello")

        try busy.send("GET /slow?ms=700 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertTrue(server.eventually { server.probe.events.contains("slow started") })
        let done = DispatchSemaphore(value: 0)
        Thread { server.server.shutdown(gracePeriod: 5); done.signal() }.start()

        let response = try busy.readResponse()
        XCTAssertEqual(response.text, "slept 700")
        XCTAssertEqual(response.headers["Connection"], "close", "no more requests once shutting down")
        XCTAssertTrue(idle.closes(within: 3), "idle connections are closed")
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success, "shutdown returns")
        XCTAssertEqual(server.probe.events, ["slow started", "slow finished"])
        XCTAssertThrowsError(try server.client(), "no longer accepting")
        XCTAssertEqual(server.server.openConnections, 0)
    }

    func testGracefulShutdownFinishesARequestWhoseBodyIsArriving() throws {
        let server = try TestServer()
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nfirst")
        usleep(100_000)
        let done = DispatchSemaphore(value: 0)
        Thread { server.server.shutdown(gracePeriod: 5); done.signal() }.start()
        usleep(300_000)
        XCTAssertEqual(done.wait(timeout: .now()), .timedOut, "shutdown waits for the body")
        try client.send("+rest")
        let response = try client.readResponse()
        XCTAssertEqual(response.text, "first+rest")
        XCTAssertEqual(response.headers["Connection"], "close")
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
    }

    func testShutdownCutsOffRequestsPastTheGracePeriod() throws {
        var limits = TestServer.defaultLimits
        limits.loopBodyBytes = 5  // part of the body is in the spool file already
        let server = try TestServer(limits: limits)
        let client = try server.client()
        try client.send("POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\nnot all of it")
        usleep(200_000)
        let started = Date()
        server.server.shutdown(gracePeriod: 0.3)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        XCTAssertTrue(client.closes(within: 3))
    }

    func testRunUntilSignalShutsDownOnSIGTERM() throws {
        func sigtermHandlerInstalled() -> Bool {
            var current = sigaction()
            sigaction(SIGTERM, nil, &current)
            return current.__sigaction_handler.sa_handler != nil
        }
        try XCTSkipIf(sigtermHandlerInstalled(), "SIGTERM already has a handler in this process")
        let server = try TestServer()
        let client = try server.client()
        let returned = DispatchSemaphore(value: 0)
        Thread { server.server.runUntilSignal(); returned.signal() }.start()
        // Only signal once the handler is in place; otherwise SIGTERM would end the test run.
        XCTAssertTrue(server.eventually { sigtermHandlerInstalled() })
        kill(getpid(), SIGTERM)
        XCTAssertEqual(returned.wait(timeout: .now() + 5), .success, "runUntilSignal returns after SIGTERM")
        XCTAssertTrue(client.closes(within: 3))
        XCTAssertThrowsError(try server.client())
        // A repeated SIGTERM during the shutdown is ignored (a supervisor often sends two); the
        // test process gets its default action back.
        let previous = signal(SIGTERM, SIG_DFL)
        XCTAssertEqual(unsafeBitCast(previous, to: Int.self), unsafeBitCast(SIG_IGN, to: Int.self), "ignored after the first")
        signal(SIGINT, SIG_DFL)
    }
}
