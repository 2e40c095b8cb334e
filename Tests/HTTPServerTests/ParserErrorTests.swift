import HTTPServer
import XCTest

final class ParserErrorTests: XCTestCase {
    static let small: HTTPParser.Configuration = {
        var c = HTTPParser.Configuration()
        c.maxRequestLineBytes = 64
        c.maxHeaderBytes = 128
        c.maxHeaderCount = 4
        c.maxBodyBytes = 100
        return c
    }()

    static let host = "Host: a\r\n"
    static let chunkedHead = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

    /// Hostile or broken input, each with the error (and so the status) it must produce,
    /// whole and split at every byte boundary.
    let table: [(name: String, raw: String, error: HTTPParserError)] = [
        ("missing version", "GET /\r\n\r\n", .badRequestLine("expected 'method target version'")),
        ("double space", "GET  / HTTP/1.1\r\n\r\n", .badRequestLine("invalid request target")),
        ("trailing garbage after version", "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", .badRequestLine("invalid HTTP version")),
        ("lowercase version", "GET / http/1.1\r\nHost: a\r\n\r\n", .badRequestLine("invalid HTTP version")),
        ("version without dot", "GET / HTTP/11\r\nHost: a\r\n\r\n", .badRequestLine("invalid HTTP version")),
        ("version letters", "GET / HTTP/1.x\r\nHost: a\r\n\r\n", .badRequestLine("invalid HTTP version")),
        ("HTTP/2 on HTTP/1", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", .versionNotSupported),
        ("invalid method char", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequestLine("invalid method")),
        ("TLS hello", "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}", .badRequestLine("invalid method")),
        ("relative target", "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", .badRequestLine("invalid request target")),
        ("asterisk not for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", .badRequestLine("'*' is only for OPTIONS")),
        ("non-ASCII target", "GET /caf\u{e9} HTTP/1.1\r\nHost: a\r\n\r\n", .badRequestLine("invalid request target")),
        ("bare CR in request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", .badRequestLine("invalid request target")),
        ("bare CR in field value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", .badHeader("bare CR")),
        ("bare CR as line end", "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", .badHeader("bare CR")),
        ("NUL in field value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", .badHeader("invalid character in field value")),
        ("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n  folded\r\n\r\n", .badHeader("obsolete line folding")),
        ("whitespace before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", .badHeader("whitespace before colon")),
        ("missing colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", .badHeader("missing colon")),
        ("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", .badHeader("empty field name")),
        ("bad field name", "GET / HTTP/1.1\r\nHost: a\r\nX(y): v\r\n\r\n", .badHeader("invalid field name")),
        ("missing Host on 1.1", "GET / HTTP/1.1\r\nX: y\r\n\r\n", .missingHost),
        ("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .multipleHost),
        ("two Host fields on 1.0", "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", .multipleHost),
        ("malformed Host", "GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n", .badHost),
        ("Host port not digits", "GET / HTTP/1.1\r\nHost: a:abc\r\n\r\n", .badHost),
        ("Host port too big", "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", .badHost),
        ("Host port too long", "GET / HTTP/1.1\r\nHost: a:000080\r\n\r\n", .badHost),
        ("Host two ports", "GET / HTTP/1.1\r\nHost: a:80:81\r\n\r\n", .badHost),
        ("Host open bracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", .badHost),
        ("Host empty brackets", "GET / HTTP/1.1\r\nHost: []\r\n\r\n", .badHost),
        ("Host bracket in name", "GET / HTTP/1.1\r\nHost: a[b]\r\n\r\n", .badHost),
        ("Host junk after literal", "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", .badHost),
        ("Host bad percent", "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", .badHost),
        ("Host userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", .badHost),
        ("CL with TE", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .conflictingFraming),
        ("TE with CL", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", .conflictingFraming),
        ("CL not a number", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", .badContentLength("'abc' is not a decimal length")),
        ("CL negative", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .badContentLength("'-1' is not a decimal length")),
        ("CL plus sign", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", .badContentLength("'+1' is not a decimal length")),
        ("CL empty", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", .badContentLength("'' is not a decimal length")),
        ("CL huge", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
         .badContentLength("'99999999999999999999' is not a decimal length")),
        ("CL list conflicting", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\nab", .badContentLength("conflicting values")),
        ("CL fields conflicting", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
         .badContentLength("conflicting values")),
        ("unknown coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferCoding("gzip")),
        ("gzip then chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
         .unsupportedTransferCoding("gzip, chunked")),
        ("chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
         .unsupportedTransferCoding("chunked, chunked")),
        ("TE on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
         .unsupportedTransferCoding("Transfer-Encoding on HTTP/1.0")),
        ("chunk size not hex", chunkedHead + "xyz\r\nabc\r\n0\r\n\r\n", .badChunk("invalid chunk size")),
        ("chunk size junk after", chunkedHead + "3 x\r\nabc\r\n0\r\n\r\n", .badChunk("invalid chunk size")),
        ("chunk size negative", chunkedHead + "-3\r\nabc\r\n0\r\n\r\n", .badChunk("invalid chunk size")),
        ("chunk size overflow", chunkedHead + "10000000000000000\r\n", .badChunk("chunk size too large")),
        ("chunk data too long", chunkedHead + "3\r\nabcd\r\n0\r\n\r\n", .badChunk("chunk data longer than its size")),
        ("chunk data bare CR", chunkedHead + "3\r\nabc\rX0\r\n\r\n", .badChunk("bare CR after chunk data")),
        ("chunk size line too long", chunkedHead + "1;" + String(repeating: "x", count: 5000) + "\r\n",
         .badChunk("chunk size line too long")),
        ("bad trailer", chunkedHead + "0\r\nBad Trailer: x\r\n\r\n", .badHeader("whitespace before colon")),
        ("unknown expectation", "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx",
         .unsupportedExpectation("200-ok")),
    ]

    /// Limits, checked with a small configuration.
    let limitTable: [(name: String, raw: String, error: HTTPParserError)] = [
        ("request line too long", "GET /" + String(repeating: "a", count: 80) + " HTTP/1.1\r\n" + host + "\r\n",
         .requestLineTooLong),
        ("request line too long, never ending", "GET /" + String(repeating: "a", count: 80), .requestLineTooLong),
        ("headers too large", "GET / HTTP/1.1\r\n" + host + "X: " + String(repeating: "b", count: 130) + "\r\n\r\n",
         .headersTooLarge),
        ("headers too large, never ending", "GET / HTTP/1.1\r\n" + host + "X: " + String(repeating: "b", count: 130),
         .headersTooLarge),
        ("too many headers", "GET / HTTP/1.1\r\n" + host + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", .tooManyHeaders),
        ("declared body over limit", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", .bodyTooLarge(limit: 100)),
        ("declared body over limit with 100-continue",
         "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n", .bodyTooLarge(limit: 100)),
        ("chunked body grows over limit", chunkedHead + "32\r\n" + String(repeating: "c", count: 50) + "\r\n33\r\n",
         .bodyTooLarge(limit: 100)),
    ]

    func testInvalidRequestsAtEverySplit() {
        for (name, raw, error) in table {
            let outcome = assertSplitInvariant(bytes(raw), name)
            XCTAssertEqual(outcome.error, error, name)
            let status = error == .versionNotSupported ? 505 : name == "unknown expectation" ? 417 : 400
            XCTAssertEqual(error.status, status, name)
        }
    }

    func testLimitsAtEverySplit() {
        for (name, raw, error) in limitTable {
            let outcome = assertSplitInvariant(bytes(raw), configuration: Self.small, name)
            XCTAssertEqual(outcome.error, error, name)
        }
        XCTAssertEqual(HTTPParserError.requestLineTooLong.status, 414)
        XCTAssertEqual(HTTPParserError.headersTooLarge.status, 431)
        XCTAssertEqual(HTTPParserError.tooManyHeaders.status, 431)
        XCTAssertEqual(HTTPParserError.bodyTooLarge(limit: 1).status, 413)
        XCTAssertEqual(HTTPParserError.unsupportedExpectation("x").status, 417)
        XCTAssertEqual(HTTPParserError.versionNotSupported.status, 505)
    }

    func testLimitsAreInclusive() {
        // Exactly at each limit is still accepted.
        let line = "GET /" + String(repeating: "a", count: 64 - 14) + " HTTP/1.1"
        XCTAssertEqual(line.utf8.count, 64)
        let atLimit = parse(bytes(line + "\r\nHost: a\r\n\r\n"), configuration: Self.small)
        XCTAssertNil(atLimit.error)
        let body = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + String(repeating: "z", count: 100)
        XCTAssertEqual(parse(bytes(body), configuration: Self.small).messages.first?.body.count, 100)
    }

    func testParserStaysFailed() {
        var parser = HTTPParser()
        parser.append(contentsOf: bytes("GET / HTTP/1.1\r\nHost : a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        XCTAssertThrowsError(try parser.next())
        XCTAssertTrue(parser.hasFailed)
        XCTAssertThrowsError(try parser.next())
    }
}

/// Host values RFC 9112 §3.2 allows are read as they are.
final class ParserHostTests: XCTestCase {
    func testValidHosts() {
        for host in ["example.org", "127.0.0.1:8080", "[::1]", "[::1]:8080", "[v1.fe]", "a%20b", "xn--bcher-kva.example",
                     "a:", "a:65535", "", "sub_delims!$&'()*+,;="] {
            let outcome = parse(bytes("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n"))
            XCTAssertNil(outcome.error, host)
            XCTAssertEqual(outcome.messages.count, 1, host)
        }
    }
}
