import Foundation
import HTTPServer
import XCTest

/// Bodies a responder admits for spooling: the event loop gathers all of the body (memory,
/// then an unlinked temporary file) and a worker runs the handler only once it is complete.
final class ServerSpoolTests: XCTestCase {
    func testSpooledBodyReachesTheHandlerWholeAndInOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.client(timeout: 20)
        let total = 3_000_000
        try client.send("POST /spool/count HTTP/1.1\r\nHost: t\r\nContent-Length: \(total)\r\n\r\n")
        let block = [UInt8](repeating: 0x61, count: 100_000)
        for i in 0..<(total / block.count) {
            try client.send(block)
            if i == 10 {
                usleep(200_000)
                XCTAssertFalse(server.probe.events.contains("spooled handler started"),
                               "the handler must not run before the body is complete")
            }
        }
        let response = try client.readResponse()
        XCTAssertEqual(response.text, "\(total)")
        XCTAssertEqual(server.probe.pieces.reduce(0, +), total)
        XCTAssertLessThanOrEqual(server.probe.pieces.max() ?? 0, 64 * 1024, "read back in pieces, not whole")
        // The connection stays usable.
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")
    }

    func testSpooledChunkedBodyKeepsItsBytes() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.client()
        let text = (0..<3000).map { "line \($0)\n" }.joined()
        let bytes = Array(text.utf8)
        var request = Array("POST /spool/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for start in stride(from: 0, to: bytes.count, by: 7_000) {
            let piece = bytes[start..<min(start + 7_000, bytes.count)]
            request += Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + [13, 10]
        }
        request += Array("0\r\n\r\n".utf8)
        try client.send(request)
        XCTAssertEqual(try client.readResponse().text, text)
    }

    func testSlowSpooledUploadsHoldNoWorker() throws {
        var limits = TestServer.defaultLimits
        limits.workerThreads = 2
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let uploaders = try (0..<8).map { _ in try server.client() }
        for client in uploaders {
            try client.send("POST /spool/count HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n")
            try client.send([UInt8](repeating: 0x62, count: 40_000))  // past the loop's first gathering
        }
        usleep(200_000)
        for _ in 0..<3 {
            let normal = try server.client(timeout: 2)
            try normal.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertEqual(try normal.readResponse().text, "hello", "answered while 8 uploads trickle on 2 workers")
        }
        XCTAssertEqual(server.probe.pieces, [], "no handler ran for an unfinished upload")
    }

    func testTricklingUploadIsCutOffWith408() throws {
        var limits = TestServer.defaultLimits
        limits.bodyTimeout = 0.5
        limits.minBodyBytesPerSecond = 1_000_000  // 40 KB buys 0.04 s more
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST /spool/count HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n")
        try client.send([UInt8](repeating: 0x62, count: 40_000))
        for _ in 0..<3 {
            usleep(100_000)
            try? client.send("b")
        }
        assertProblem(try client.readResponse(), status: 408)
        XCTAssertTrue(client.closes(within: 3))
        XCTAssertEqual(server.probe.pieces, [])
    }

    func testRefusalOnTheHeadComesBeforeTheBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST /spool/count HTTP/1.1\r\nHost: t\r\nX-Admit: refuse\r\nContent-Length: 10000000\r\n\r\n")
        try client.send([UInt8](repeating: 0x63, count: 20_000))
        let response = try client.readResponse()
        assertProblem(response, status: 403)
        XCTAssertEqual(response.headers["Connection"], "close", "the unread body cannot be skipped")
        XCTAssertTrue(client.closes(within: 3))
        XCTAssertEqual(server.probe.pieces, [])
    }

    func testExpectContinueAsksTheResponderFirst() throws {
        let server = try TestServer()
        defer { server.stop() }
        let refused = try server.client()
        try refused.send("POST /spool/count HTTP/1.1\r\nHost: t\r\nX-Admit: refuse\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
        assertProblem(try refused.readResponse(), status: 403)  // a final status, no 100 first

        let admitted = try server.client()
        try admitted.send("POST /spool/count HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
        XCTAssertEqual(try admitted.readHead().status, 100)
        try admitted.send([UInt8](repeating: 0x64, count: 5000))
        XCTAssertEqual(try admitted.readResponse().text, "5000")
    }

    func testShutdownLetsAnAdmittedUploadFinish() throws {
        let server = try TestServer()
        let client = try server.client()
        try client.send("POST /spool/count HTTP/1.1\r\nHost: t\r\nContent-Length: 50000\r\n\r\n")
        try client.send([UInt8](repeating: 0x65, count: 30_000))
        usleep(200_000)
        let done = DispatchSemaphore(value: 0)
        Thread { server.server.shutdown(gracePeriod: 5); done.signal() }.start()
        usleep(300_000)
        XCTAssertEqual(done.wait(timeout: .now()), .timedOut, "shutdown waits for the upload")
        try client.send([UInt8](repeating: 0x65, count: 20_000))
        let response = try client.readResponse()
        XCTAssertEqual(response.text, "50000")
        XCTAssertEqual(response.headers["Connection"], "close")
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
    }
}
