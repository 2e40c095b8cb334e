import Foundation
import HTTPServer
import PilarCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Bad clients at the socket level, end to end through Pilar: slowloris, peers that vanish
/// mid-request or mid-response, smuggling attempts and oversized parts. The server must answer
/// the right 4xx (or close cleanly) and keep serving everyone else.
final class HostileConnectionTests: XCTestCase {
    var s: TestServer!

    override func setUpWithError() throws {
        var limits = Limits()
        limits.headerTimeout = 3  // so the test sees slowloris peers cut off without waiting 10 s
        s = try TestServer(limits: limits)
    }

    override func tearDown() { s.stop() }

    private func assertHealthy(_ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(s.client().get("/healthz").status, 200, "after \(what)", file: file, line: line)
        XCTAssertEqual(s.client().get("/v1/me").status, 200, "after \(what)", file: file, line: line)
    }

    // MARK: slowloris

    func testSlowlorisOnHundredsOfConnectionsDoesNotStarveANormalClient() throws {
        let head = Array("GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n".utf8)
        let peers = (0..<300).map { _ in HostilePeer(port: s.port, timeout: 10) }
        // One byte per peer every 200 ms, from another thread, while the normal client works.
        let stopped = HostileFlag()
        let trickler = Thread {
            var i = 0
            while i < head.count {
                if stopped.isSet { return }
                for p in peers { p.send([head[i]]) }
                i += 1
                usleep(200_000)
            }
        }
        trickler.start()
        defer { stopped.set() }

        let c = s.client()
        var slowest = 0.0
        for _ in 0..<10 {
            let start = Date()
            let r = c.get("/v1/me")
            slowest = max(slowest, Date().timeIntervalSince(start))
            XCTAssertEqual(r.status, 200, r.text)
            usleep(100_000)
        }
        // Generous: a starved server would take the whole header timeout (3 s) or hang.
        XCTAssertLessThan(slowest, 2.5, "a normal request waited \(slowest) s behind 300 slowloris peers")

        // The server cuts every slow peer off at the header timeout: 408 or a plain close.
        var cut = 0
        for p in peers {
            let (bytes, closed) = p.readToEnd()
            if closed { cut += 1 }
            if !bytes.isEmpty { XCTAssertEqual(TestResponse.parse(bytes).status, 408) }
        }
        XCTAssertEqual(cut, peers.count, "every slowloris peer is closed by the server")
        XCTAssertTrue(Hostile.eventually { self.s.server.openConnections == 0 }, "open: \(s.server.openConnections)")
        assertHealthy("slowloris")
    }

    /// Slow bodies (R.U.D.Y.): more uploaders than worker threads, each with a valid token, a
    /// complete head and a large body whose first 20 KB come at once (past what the event loop
    /// gathers before asking the app) and the rest a byte at a time. The app admits them and the
    /// loops spool their bodies, so no worker waits on them and others are still served.
    func testSlowBodiesOnMoreConnectionsThanWorkersDoNotStarveANormalClient() throws {
        let peers = (0..<80).map { i -> HostilePeer in
            let p = HostilePeer(port: s.port, timeout: 10)
            p.send(Hostile.head(s, "PUT", Array("/v1/reports/32.74.01/2026-0\(1 + i % 6)".utf8),
                                headers: ["Content-Type: application/json", "Content-Length: 200000"], close: false)
                   + Array("{".utf8) + [UInt8](repeating: 0x20, count: 20_000))
            return p
        }
        let stopped = HostileFlag()
        let trickler = Thread {
            while !stopped.isSet {
                for p in peers { p.send(Array(" ".utf8)) }
                usleep(500_000)
            }
        }
        trickler.start()
        defer { stopped.set() }
        usleep(300_000)
        let c = s.client()
        var slowest = 0.0
        for _ in 0..<5 {
            let start = Date()
            XCTAssertEqual(c.get("/v1/me").status, 200)
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        XCTAssertLessThan(slowest, 2.5, "a normal request waited \(slowest) s behind 80 slow uploads")
        stopped.set()
        peers.forEach { $0.reset() }
        XCTAssertTrue(Hostile.eventually(within: 10) { self.s.server.openConnections == 0 }, "open: \(s.server.openConnections)")
        assertHealthy("slow bodies")
    }

    /// Without a token: the 401 comes at once, but the rest of the body (under the 1 MiB drain
    /// limit) used to be drained by the worker at the peer's pace, so 80 such peers held every
    /// worker for as long as they kept trickling. The answer's connection must close instead.
    func testUnauthenticatedSlowBodiesDoNotHoldWorkers() throws {
        let peers = (0..<80).map { i -> HostilePeer in
            let p = HostilePeer(port: s.port, timeout: 10)
            p.send(Array("PUT /v1/reports/32.74.01/2026-0\(1 + i % 6) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 900000\r\n\r\n{".utf8)
                   + [UInt8](repeating: 0x20, count: 20_000))
            return p
        }
        let stopped = HostileFlag()
        let trickler = Thread {
            while !stopped.isSet {
                for p in peers { p.send(Array(" ".utf8)) }
                usleep(500_000)
            }
        }
        trickler.start()
        defer { stopped.set() }
        usleep(300_000)
        var slowest = 0.0
        for _ in 0..<5 {
            let start = Date()
            XCTAssertEqual(s.client().get("/v1/me").status, 200)
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        XCTAssertLessThan(slowest, 2.5, "a normal request waited \(slowest) s behind 80 unauthenticated slow uploads")
        for p in peers.prefix(5) {
            let (bytes, _) = p.readToEnd()
            XCTAssertEqual(TestResponse.parse(bytes).status, 401)
        }
        stopped.set()
        peers.forEach { $0.reset() }
        XCTAssertTrue(Hostile.eventually(within: 10) { self.s.server.openConnections == 0 }, "open: \(s.server.openConnections)")
    }

    // MARK: peers that vanish

    func testPeersVanishingMidRequest() throws {
        let body = Array(reportBody(period: "2026-06").encoded())
        let put = Hostile.request(s, "PUT", "/v1/reports/32.74.01/2026-06", body: body)
        let psks = Hostile.request(s, "POST", "/v1/psks", body: Array(PSKSRecordAPITests.tagana(serial: 977).encoded()))
        let csv = Array("code,name,level,parent_code\n32.74.09,Hilang,kecamatan,32.74\n".utf8)
        let importCSV = Hostile.request(s, "POST", "/v1/regions/import", body: csv, contentType: "text/csv")
        let chunked = Hostile.head(s, "PUT", Array("/v1/reports/32.74.01/2026-06".utf8),
                                   headers: ["Content-Type: application/json", "Transfer-Encoding: chunked"])
            + Array("10\r\n{\"pmks\": [1,2,3".utf8)
        let cuts: [(String, [UInt8])] = [
            ("half a request line", Array("GET /v1/psks?q=ab".utf8)),
            ("half a head", Array(put.prefix((put.count - body.count) / 2))),
            ("head, half a report body", Array(put[..<(put.count - body.count / 2)])),
            ("head, half a PSKS body", Array(psks[..<(psks.count - 40)])),
            ("head, half a CSV import", Array(importCSV[..<(importCSV.count - 20)])),
            ("half a chunk", chunked),
        ]
        for (what, bytes) in cuts {
            for rude in [false, true] {
                for _ in 0..<10 {
                    let p = HostilePeer(port: s.port)
                    p.send(bytes)
                    usleep(2_000)
                    if rude { p.reset() } else { p.close() }
                }
                assertHealthy("\(what) (\(rude ? "reset" : "close"))")
            }
        }
        // Nothing half-written: the report and the kecamatan never arrived whole.
        XCTAssertEqual(s.client().get("/v1/reports/32.74.01/2026-06").status, 404)
        XCTAssertEqual(s.client().get("/v1/regions/32.74.09").status, 404)
        XCTAssertTrue(Hostile.eventually(within: 10) { self.s.server.openConnections == 0 }, "open: \(s.server.openConnections)")
    }

    func testPeersVanishingMidResponse() throws {
        // A register large enough that its export outgrows the socket buffers.
        var csv = "type,name,address,region,head,legal_entity\n"
        for i in 0..<3000 {
            csv += "LKS,Yayasan Panjang \(i),Jalan Kenari No. \(i) RT 01 RW 02,32.74.0\(1 + i % 5),Ketua \(i),false\n"
        }
        let imported = s.client().csv("/v1/psks/import", csv)
        XCTAssertEqual(imported.status, 200, imported.text)
        let whole = s.client().get("/v1/psks/export")
        XCTAssertEqual(whole.status, 200)
        XCTAssertGreaterThan(whole.body.count, 300_000)

        let targets = ["/v1/psks/export", "/v1/psks?limit=500", "/v1/audit?limit=500", "/v1/stats/pmks.csv?period=2026-01&period_to=2026-10&by=kecamatan",
                       "/openapi.yaml"]
        for target in targets {
            for rude in [false, true] {
                for _ in 0..<5 {
                    let p = HostilePeer(port: s.port, receiveBuffer: 4096)
                    p.send(Hostile.head(s, "GET", Array(target.utf8), close: false))
                    XCTAssertFalse(p.read(atMost: 200).isEmpty, target)
                    if rude { p.reset() } else { p.close() }
                }
                assertHealthy("vanishing during \(target)")
            }
        }
        // A peer that stops reading but stays: the write timeout frees the worker eventually;
        // meanwhile the others are served.
        let stalled = (0..<8).map { _ -> HostilePeer in
            let p = HostilePeer(port: s.port, receiveBuffer: 4096)
            p.send(Hostile.head(s, "GET", Array("/v1/psks/export".utf8), close: false))
            return p
        }
        assertHealthy("8 stalled export readers")
        // Stalled answers hold their export slots until they leave or time out; once the
        // readers are gone the slots come back.
        stalled.forEach { $0.reset() }
        XCTAssertTrue(Hostile.eventually(within: 10) { self.s.app.exportsRunning == 0 }, "export slots: \(s.app.exportsRunning)")
        XCTAssertEqual(s.client().get("/v1/psks/export").body.count, whole.body.count, "the export is whole for a reader who reads")
        XCTAssertTrue(Hostile.eventually(within: 10) { self.s.server.openConnections == 0 }, "open: \(s.server.openConnections)")
    }

    // MARK: smuggling

    /// Each attempt carries a second request behind the first; the server must refuse the first
    /// with 400 and close, never answering the smuggled one.
    func testSmugglingAttemptsAreRefusedAndClosed() throws {
        let smuggled = "GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(s.adminToken)\r\n\r\n"
        let psks = PSKSRecordAPITests.tagana(serial: 978).encoded()
        let json = String(decoding: psks, as: UTF8.self)
        let chunk = String(psks.count, radix: 16) + "\r\n" + json + "\r\n0\r\n\r\n"
        let cases: [(String, [String], String, Set<Int>)] = [
            ("CL then TE", ["Content-Length: \(chunk.utf8.count)", "Transfer-Encoding: chunked"], chunk, [400]),
            ("TE then CL", ["Transfer-Encoding: chunked", "Content-Length: 4"], chunk, [400]),
            ("CL with TE identity", ["Content-Length: 5", "Transfer-Encoding: identity"], "hello", [400]),
            ("two different CL", ["Content-Length: \(json.utf8.count)", "Content-Length: 4"], json, [400]),
            ("CL list", ["Content-Length: \(json.utf8.count), 4"], json, [400]),
            ("negative CL", ["Content-Length: -1"], json, [400]),
            ("signed CL", ["Content-Length: +\(json.utf8.count)"], json, [400]),
            ("hex CL", ["Content-Length: 0x20"], json, [400]),
            ("CL with a space inside", ["Content-Length: 1 0"], json, [400]),
            ("empty CL", ["Content-Length:"], json, [400]),
            ("CL overflowing Int", ["Content-Length: 99999999999999999999999"], json, [400, 413]),
            ("TE gzip then chunked", ["Transfer-Encoding: gzip, chunked"], chunk, [400, 501]),
            ("TE chunked then identity", ["Transfer-Encoding: chunked, identity"], chunk, [400, 501]),
            ("TE xchunked", ["Transfer-Encoding: xchunked"], chunk, [400, 501]),
            ("TE with space before colon", ["Transfer-Encoding : chunked"], chunk, [400]),
            ("TE folded", ["Transfer-Encoding:", " chunked"], chunk, [400]),
            ("chunk size not hex", ["Transfer-Encoding: chunked"], "zz\r\n" + json + "\r\n0\r\n\r\n", [400]),
            ("negative chunk size", ["Transfer-Encoding: chunked"], "-1\r\n" + json + "\r\n0\r\n\r\n", [400]),
            ("chunk size overflowing", ["Transfer-Encoding: chunked"], "fffffffffffffffffffffff\r\n" + json + "\r\n0\r\n\r\n", [400, 413]),
            ("chunk size 0x prefix", ["Transfer-Encoding: chunked"], "0x10\r\n" + json + "\r\n0\r\n\r\n", [400]),
            ("empty chunk size line", ["Transfer-Encoding: chunked"], "\r\n" + json + "\r\n0\r\n\r\n", [400]),
            ("chunk longer than its size", ["Transfer-Encoding: chunked"], "2\r\n" + json + "\r\n0\r\n\r\n", [400]),
            ("chunk data without CRLF", ["Transfer-Encoding: chunked"],
             String(psks.count, radix: 16) + "\r\n" + json + "XX0\r\n\r\n", [400]),
        ]
        for (what, headers, body, statuses) in cases {
            let bytes = Hostile.head(s, "POST", Array("/v1/psks".utf8), headers: ["Content-Type: application/json"] + headers, close: false)
                + Array(body.utf8) + Array(smuggled.utf8)
            let out = Hostile.exchange(s, bytes)
            assertClientProblem(out.response, what, expect: statuses)
            XCTAssertEqual(out.response.header("Connection")?.lowercased(), "close", what)
            XCTAssertTrue(out.closed, "\(what): the connection must be closed")
            XCTAssertEqual(out.responseCount, 1, "\(what): the smuggled request must not be answered: \(String(decoding: out.raw, as: UTF8.self).prefix(600))")
        }
        // A bare LF ending a chunk-size line is a line end (RFC 9112 §2.2 allows it): read once,
        // the same way, and the request behind it is the next request, not part of the body.
        let lf = Hostile.head(s, "POST", Array("/v1/psks".utf8), headers: ["Content-Type: application/json", "Transfer-Encoding: chunked"], close: false)
            + Array((String(psks.count, radix: 16) + "\n" + json + "\r\n0\r\n\r\n").utf8)
            + Array("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
        let lenient = Hostile.exchange(s, lf)
        XCTAssertTrue(lenient.status == 400 || lenient.status == 201, "bare LF: \(lenient.status)")
        XCTAssertEqual(lenient.responseCount, lenient.status == 400 ? 1 : 2)
        XCTAssertTrue(lenient.closed)
        if lenient.status == 201 {
            let location = lenient.response.header("Location") ?? "/v1/psks/0"
            XCTAssertEqual(s.client().request("DELETE", location + "?reason=uji").status, 200)
        }
        // None of them left the Tagana volunteer registered.
        let found = s.client().get("/v1/psks?type=TAGANA&q=Rahmat")
        XCTAssertEqual(found["items"]?.arrayValue?.filter { $0["status"] == "active" }.count, 0, found.text)
        assertHealthy("smuggling")
    }

    // MARK: oversized parts

    func testOversizedLineHeadersAndBodies() throws {
        let token = "Authorization: Bearer \(s.adminToken)"
        let line = Hostile.exchange(s, "GET /v1/psks?q=" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        assertClientProblem(line.response, "request line", expect: [414])
        XCTAssertTrue(line.closed)
        let big = Hostile.exchange(s, "GET /v1/me HTTP/1.1\r\nHost: x\r\n\(token)\r\nX-Big: " + String(repeating: "b", count: 40_000) + "\r\n\r\n")
        assertClientProblem(big.response, "one huge header", expect: [431])
        let many = Hostile.exchange(s, "GET /v1/me HTTP/1.1\r\nHost: x\r\n\(token)\r\n" + String(repeating: "X-A: 1\r\n", count: 150) + "\r\n")
        assertClientProblem(many.response, "150 headers", expect: [431])

        // Bodies: the server's own limit (declared), then each route's (declared and chunked).
        let declared = Hostile.exchange(s, Hostile.head(s, "POST", Array("/v1/psks/import".utf8),
                                                        headers: ["Content-Type: text/csv", "Content-Length: \(600 << 20)"], close: false))
        assertClientProblem(declared.response, "600 MiB declared", expect: [413])
        XCTAssertTrue(declared.closed)
        let bigJSON = "{\"notes\": {\"kendala\": \"" + String(repeating: "x", count: 1_100_000) + "\"}}"
        let report = Hostile.exchange(s, Hostile.request(s, "PUT", "/v1/reports/32.74.01/2026-06", body: Array(bigJSON.utf8)))
        assertClientProblem(report.response, "1.1 MB report", expect: [413])
        let psks = Hostile.exchange(s, Hostile.request(s, "POST", "/v1/psks", body: Array(bigJSON.utf8.prefix(70_000)) + Array("\"}}".utf8)))
        assertClientProblem(psks.response, "70 KB PSKS record", expect: [413])
        var chunked = Hostile.head(s, "PUT", Array("/v1/reports/32.74.01/2026-06".utf8),
                                   headers: ["Content-Type: application/json", "Transfer-Encoding: chunked"], close: false)
        for _ in 0..<40 { chunked += Array("8000\r\n".utf8) + [UInt8](repeating: 0x20, count: 0x8000) + Array("\r\n".utf8) }
        let streamed = Hostile.exchange(s, chunked + Array("0\r\n\r\n".utf8))
        assertClientProblem(streamed.response, "1.3 MB chunked report", expect: [413])
        XCTAssertTrue(streamed.closed)
        XCTAssertEqual(s.client().get("/v1/reports/32.74.01/2026-06").status, 404)
        assertHealthy("oversized requests")
    }
}
