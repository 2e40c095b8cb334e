import HTTPServer
import XCTest

final class ParserValidTests: XCTestCase {
    struct Expected {
        var method: String
        var target: String
        var minor = 1
        var framing: HTTPBodyFraming = .none
        var keepAlive = true
        var expectsContinue = false
        var body = ""
        var headers: [(String, String)]? = nil
    }

    /// Valid requests: each is also parsed split at every byte boundary and byte by byte.
    let table: [(name: String, raw: String, expected: [Expected])] = [
        ("simple GET", "GET /v1/psks?q=a%20b HTTP/1.1\r\nHost: example.org\r\n\r\n",
         [Expected(method: "GET", target: "/v1/psks?q=a%20b", headers: [("Host", "example.org")])]),
        ("empty lines before request line", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
         [Expected(method: "GET", target: "/")]),
        ("POST with Content-Length", "POST /submit HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
         [Expected(method: "POST", target: "/submit", framing: .length(11), body: "hello world")]),
        ("Content-Length zero", "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
         [Expected(method: "PUT", target: "/x", framing: .length(0))]),
        ("repeated identical Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
         [Expected(method: "POST", target: "/", framing: .length(3), body: "abc")]),
        ("chunked with extensions and trailers",
         "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\nA ; x\r\n, chunked!\r\n0\r\nChecksum: abc\r\nX-More: 1\r\n\r\n",
         [Expected(method: "POST", target: "/up", framing: .chunked, body: "hello, chunked!")]),
        ("chunked, case-insensitive coding, hex upper", "POST / HTTP/1.1\r\nhost: a\r\ntransfer-encoding: Chunked\r\n\r\n"
            + "1F\r\n0123456789abcdef0123456789abcde\r\n0\r\n\r\n",
         [Expected(method: "POST", target: "/", framing: .chunked, body: "0123456789abcdef0123456789abcde")]),
        ("pipelined GET, POST, GET",
         "GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.1\r\nHost: a\r\n\r\n",
         [Expected(method: "GET", target: "/a"),
          Expected(method: "POST", target: "/b", framing: .length(2), body: "hi"),
          Expected(method: "GET", target: "/c")]),
        ("pipelined chunked then GET",
         "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nGET /c HTTP/1.1\r\nHost: a\r\n\r\n",
         [Expected(method: "POST", target: "/b", framing: .chunked, body: "hi"),
          Expected(method: "GET", target: "/c")]),
        ("HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n",
         [Expected(method: "GET", target: "/", minor: 0, keepAlive: false, headers: [])]),
        ("HTTP/1.0 keep-alive asked", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
         [Expected(method: "GET", target: "/", minor: 0, keepAlive: true)]),
        ("HTTP/1.0 ignores Expect", "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
         [Expected(method: "POST", target: "/", minor: 0, framing: .length(1), keepAlive: false, body: "x")]),
        ("Connection: close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n",
         [Expected(method: "GET", target: "/", keepAlive: false)]),
        ("Expect: 100-continue", "PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\ndata",
         [Expected(method: "PUT", target: "/f", framing: .length(4), expectsContinue: true, body: "data")]),
        ("bare LF line ends", "GET / HTTP/1.1\nHost: a\n\n",
         [Expected(method: "GET", target: "/", headers: [("Host", "a")])]),
        ("OWS trimmed, empty value, original case kept",
         "GET / HTTP/1.1\r\nHost:a\r\nX-Empty:\r\nX-Pad: \t padded value \t\r\nX-Utf8: caf\u{e9}\r\n\r\n",
         [Expected(method: "GET", target: "/", headers: [("Host", "a"), ("X-Empty", ""), ("X-Pad", "padded value"),
                                                          ("X-Utf8", "caf\u{e9}")])]),
        ("absolute-form target", "GET http://example.org/x?y=1 HTTP/1.1\r\nHost: example.org\r\n\r\n",
         [Expected(method: "GET", target: "http://example.org/x?y=1")]),
        ("asterisk-form for OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
         [Expected(method: "OPTIONS", target: "*")]),
        ("unknown method is a valid token", "BREW /pot HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
         [Expected(method: "BREW", target: "/pot")]),
        ("HTTP/1.2 is treated as 1.x", "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
         [Expected(method: "GET", target: "/", minor: 2)]),
    ]

    func testValidRequestsAtEverySplit() {
        for (name, raw, expected) in table {
            let outcome = assertSplitInvariant(bytes(raw), name)
            XCTAssertNil(outcome.error, name)
            XCTAssertEqual(outcome.messages.count, expected.count, name)
            for (message, want) in zip(outcome.messages, expected) {
                XCTAssertEqual(message.head.method, want.method, name)
                XCTAssertEqual(message.head.target, want.target, name)
                XCTAssertEqual(message.head.version, HTTPVersion(major: 1, minor: want.minor), name)
                XCTAssertEqual(message.head.framing, want.framing, name)
                XCTAssertEqual(message.head.keepAlive, want.keepAlive, name)
                XCTAssertEqual(message.head.expectsContinue, want.expectsContinue, name)
                XCTAssertEqual(String(decoding: message.body, as: UTF8.self), want.body, name)
                XCTAssertTrue(message.ended, name)
                if let headers = want.headers {
                    XCTAssertEqual(message.head.headers, HTTPHeaders(headers), name)
                }
            }
        }
    }

    func testBodyPiecesAreBounded() {
        var configuration = HTTPParser.Configuration()
        configuration.maxBodyPiece = 1000
        let body = [UInt8](repeating: 0x61, count: 10_000)
        let raw = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10000\r\n\r\n") + body
        let outcome = parse(raw, configuration: configuration)
        XCTAssertEqual(outcome.messages.first?.body, body)
        XCTAssertEqual(outcome.largestPiece, 1000)
    }

    func testIdleAndBoundaryState() throws {
        var parser = HTTPParser()
        XCTAssertTrue(parser.isIdle)
        parser.append(contentsOf: bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab"))
        guard case .head = try parser.next() else { return XCTFail("expected head") }
        XCTAssertFalse(parser.isAtMessageBoundary)
        XCTAssertEqual(try parser.next(), .body(bytes("ab")))
        XCTAssertEqual(parser.remainingBodyBytes, 2)
        XCTAssertNil(try parser.next())
        parser.append(contentsOf: bytes("cdGET"))
        XCTAssertEqual(try parser.next(), .body(bytes("cd")))
        XCTAssertEqual(try parser.next(), .end)
        XCTAssertTrue(parser.isAtMessageBoundary)
        XCTAssertFalse(parser.isIdle, "the start of the next request is buffered")
        XCTAssertNil(try parser.next())
        XCTAssertEqual(parser.bufferedBytes, 3)
    }

    func testHeadersLookupIgnoresCase() {
        var headers = HTTPHeaders([("Content-Type", "text/plain"), ("X-A", "1"), ("x-a", "2")])
        XCTAssertEqual(headers["content-type"], "text/plain")
        XCTAssertEqual(headers.values("X-a"), ["1", "2"])
        headers.set("X-A", "3")
        XCTAssertEqual(headers.values("x-A"), ["3"])
        headers.add("Set-Cookie", "a=1")
        headers.remove("CONTENT-TYPE")
        XCTAssertNil(headers["Content-Type"])
        XCTAssertEqual(headers.map { $0.name }, ["X-A", "Set-Cookie"])
    }
}
