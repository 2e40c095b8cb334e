import Foundation
import HTTPServer
import XCTest

/// Answers a responder gives from memory on the event loop (`respondInline`): the same HTTP as
/// any other answer, in order with pipelined requests, and the rest written by a worker when
/// the socket does not take it all at once.
final class ServerInlineTests: XCTestCase {
    var server: TestServer!

    override func setUpWithError() throws { server = try TestServer() }
    override func tearDown() { server.stop() }

    func testInlineAnswerHasTheUsualFraming() throws {
        let client = try server.client()
        try client.send("GET /inline?n=1 HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "inline 1")
        XCTAssertEqual(response.headers["Content-Length"], "8")
        XCTAssertNotNil(response.headers["Date"])
        XCTAssertNotNil(response.headers["X-Request-Id"])
        try client.send("HEAD /inline HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try client.readResponse(forHead: true)
        XCTAssertEqual(head.body, [])
        XCTAssertEqual(head.headers["Content-Length"], "7")
        XCTAssertTrue(server.eventually { self.server.log.contains { $0.path == "/inline" && $0.status == 200 } })
    }

    func testPipelinedInlineAndWorkerAnswersStayInOrder() throws {
        let client = try server.client()
        try client.send("GET /inline?n=1 HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                        + "GET /inline?n=2 HTTP/1.1\r\nHost: t\r\n\r\nGET /inline?n=3 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "inline 1")
        XCTAssertEqual(try client.readResponse().text, "hello")
        XCTAssertEqual(try client.readResponse().text, "inline 2")
        XCTAssertEqual(try client.readResponse().text, "inline 3")
    }

    func testConnectionCloseIsHonoured() throws {
        let client = try server.client()
        try client.send("GET /inline HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.headers["Connection"], "close")
        XCTAssertTrue(client.closes(within: 3))
        let old = try server.client()
        try old.send("GET /inline HTTP/1.0\r\n\r\n")
        XCTAssertEqual(try old.readResponse().text, "inline ")
        XCTAssertTrue(old.closes(within: 3), "HTTP/1.0 without keep-alive closes")
    }

    func testAnswerLargerThanTheSocketTakesIsFinishedByAWorker() throws {
        let client = try server.client(timeout: 20)
        try client.send("GET /inline-large HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(300_000)  // let the socket buffers fill before reading
        let response = try client.readResponse()
        XCTAssertEqual(response.body.count, 8 << 20)
        XCTAssertTrue(response.body.allSatisfy { $0 == 0x69 })
        try client.send("GET /inline?n=after HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "inline after", "the connection stays usable")
    }
}
