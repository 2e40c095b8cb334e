import Foundation
import HTTPServer
import PilarCore
import XCTest

/// Dashboard revalidations answered on the event loop (PilarApp.respondInline): a 304 from
/// memory only while nothing has been committed since the stats version was read, by this
/// server or by another process on the same file; declined (nil, a worker answers) otherwise.
final class StatsInlineTests: XCTestCase {
    var s: TestServer!

    override func setUpWithError() throws {
        s = try TestServer(clock: Clock(now: { Clock.parseTimestamp("2026-11-25T05:00:00Z")! }))
    }

    override func tearDown() { s.stop() }

    let path = "/v1/stats/pmks?region=32.74&period=2025-06&by=category"

    func inline(_ path: String, _ etag: String, token: String? = nil) -> HTTPResponse? {
        let request = HTTPRequest(method: "GET", target: path, headers: HTTPHeaders([
            ("Host", "x"), ("Authorization", "Bearer \(token ?? s.adminToken)"), ("If-None-Match", etag)]))
        return s.app.respondInline(to: request)
    }

    func etag(_ path: String, token: String? = nil) throws -> String {
        let r = s.client(token: token).get(path)
        XCTAssertEqual(r.status, 200, r.text)
        return try XCTUnwrap(r.header("ETag"))
    }

    func testA304FromMemoryUntilAnyoneCommits() throws {
        let tag = try etag(path)
        let answer = try XCTUnwrap(inline(path, tag), "a warm token and version must be answered inline")
        XCTAssertEqual(answer.status, 304)
        XCTAssertEqual(answer.headers["ETag"], tag)
        XCTAssertEqual(answer.headers["Cache-Control"], "private, max-age=5")
        XCTAssertNil(inline(path, "\"other\""), "a tag that does not match goes to a worker (a 200)")
        XCTAssertNil(inline(path + "&by=nonsense", tag), "a bad query goes to a worker (a 400)")
        XCTAssertNil(inline("/v1/stats/pmks.csv?region=32.74&period=2025-06&by=category", tag), "CSV has its own tag")

        // Another process commits a verified report: the very next revalidation must not be a 304.
        let other = try Pilar.open(path: s.dbPath)
        let k = RegionCode("32.74.01")!, p = ReportPeriod("2025-06")!
        guard case .object(let body) = StatsFreshnessTests.body(abt: 40) else { return XCTFail() }
        _ = try other.reports.put(k, p, body: body, by: .cli)
        _ = try other.reports.act(.submit, k, p, body: [:], by: .cli)
        _ = try other.reports.act(.verify, k, p, body: [:], by: .cli)
        other.db.close()
        XCTAssertNil(inline(path, tag), "another process's commit must send the request to a worker")
        let fresh = s.client().get(path, headers: [("If-None-Match", tag)])
        XCTAssertEqual(fresh.status, 200)
        let newTag = try XCTUnwrap(fresh.header("ETag"))
        XCTAssertEqual(inline(path, newTag)?.status, 304, "the worker's read makes memory current again")

        // A write of this server that the stats do not read (a draft saved again) keeps the tag
        // but still declines once; the worker's 304 then makes memory current again.
        XCTAssertEqual(s.client().put("/v1/reports/32.74.02/2025-06", StatsFreshnessTests.body(abt: 1)).status, 201)
        let drafted = try etag(path)
        XCTAssertEqual(inline(path, drafted)?.status, 304)
        XCTAssertEqual(s.client().put("/v1/reports/32.74.02/2025-06", StatsFreshnessTests.body(abt: 2)).status, 200)
        XCTAssertNil(inline(path, drafted))
        XCTAssertEqual(s.client().get(path, headers: [("If-None-Match", drafted)]).status, 304)
        XCTAssertEqual(inline(path, drafted)?.status, 304)
    }

    func testScopeAndRevokedTokens() throws {
        let viewer = try s.token(.viewer, "32.74")
        let tag = try etag(path, token: viewer)
        XCTAssertEqual(inline(path, tag, token: viewer)?.status, 304)
        XCTAssertNil(inline(path, tag), "the admin's tag differs from the viewer's (the scope is in the tag)")
        XCTAssertNil(inline("/v1/stats/pmks?region=32.73&period=2025-06&by=category", tag, token: viewer),
                     "out of scope: a worker answers 403/404")
        XCTAssertNil(inline(path, tag, token: viewer + "x"), "a token that is not the cached one")
        let id = viewer.split(separator: "_")[1]
        XCTAssertEqual(s.client().delete("/v1/tokens/\(id)").status, 200)
        XCTAssertNil(inline(path, tag, token: viewer), "a revoked token is never answered from memory")
        XCTAssertEqual(s.client(token: viewer).get(path, headers: [("If-None-Match", tag)]).status, 401)
    }

    /// Over the socket, with keep-alive and pipelining, the inline 304s keep HTTP's framing.
    func testPipelinedRevalidationsOverOneConnection() throws {
        let tag = try etag(path)
        let one = "GET \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(s.adminToken)\r\nIf-None-Match: \(tag)\r\n\r\n"
        let last = one.replacingOccurrences(of: "\r\n\r\n", with: "\r\nConnection: close\r\n\r\n")
        let raw = RawSocket.exchange(port: s.port, bytes: Array((one + one + last).utf8))
        let text = String(decoding: raw, as: UTF8.self)
        XCTAssertEqual(text.components(separatedBy: "HTTP/1.1 304 Not Modified\r\n").count - 1, 3, text)
        XCTAssertFalse(text.contains("Content-Length: 1"), "a 304 has no body")
    }
}
