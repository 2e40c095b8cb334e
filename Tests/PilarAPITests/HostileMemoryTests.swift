import Foundation
import PilarCore
import XCTest

/// After a burst of 1,000 bad requests of every kind the server is healthy, holds no connection
/// and its memory (the test process's: the server runs in it) has not grown without bound.
final class HostileMemoryTests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    /// One of each family of bad request, as raw bytes; some are cut short and vanish.
    private func badRequests() -> [(bytes: [UInt8], vanish: Bool)] {
        let deep = Array((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8)
        let big = Array(("{\"notes\":\"" + String(repeating: "x", count: 200_000) + "\"}").utf8)
        return [
            (Array("GET /v1/psks?q=\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8), false),
            (Array("GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 40_000))\r\n\r\n".utf8), false),
            (Hostile.head(s, "POST", Array("/v1/psks".utf8), headers: ["Content-Length: 5", "Transfer-Encoding: chunked"]) + Array("0\r\n\r\n".utf8), false),
            (Hostile.head(s, "POST", Array("/v1/psks".utf8), headers: ["Transfer-Encoding: chunked"]) + Array("zz\r\nabc\r\n".utf8), false),
            (Hostile.request(s, "PUT", "/v1/reports/32.74.01/2026-06", body: deep), false),
            (Hostile.request(s, "POST", "/v1/psks", body: big), false),
            (Hostile.request(s, "POST", "/v1/psks", body: Array("{\"name\":\"a\u{FF}".utf8) + [0xFF, 0x00] + Array("\"}".utf8)), false),
            (Hostile.head(s, "GET", Array("/v1/regions/".utf8) + [0xC0, 0xAF, 0x00]), false),
            (Hostile.head(s, "GET", Array("/v1/psks?q=%27%20OR%201%3D1%20--&limit=1e400".utf8)), false),
            (Array("GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pilar_1_nope\r\nConnection: close\r\n\r\n".utf8), false),
            (Hostile.request(s, "PUT", "/v1/reports/32.74.01/2026-06", body: Array("{\"pmks\":[{\"category\":\"LUT\",\"male\":1e400}]}".utf8)), false),
            (Array("PUT /v1/reports/32.74.01/2026-06 HTTP/1.1\r\nHost: x\r\nContent-Length: 9000\r\n\r\n{\"notes\"".utf8), true),
            (Array("GET /v1/psks/exp".utf8), true),
            (Array("\u{16}\u{3}\u{1}\u{0}\u{a5}\u{1}\u{0}".utf8), false),
        ]
    }

    private func burst(_ count: Int, threads: Int = 4) -> Int {
        let requests = badRequests()
        let lock = NSLock()
        var serverErrors = 0
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in stride(from: t, to: count, by: threads) {
                let (bytes, vanish) = requests[i % requests.count]
                let peer = HostilePeer(port: s.port)
                peer.send(bytes)
                if vanish { peer.reset(); continue }
                let (raw, _) = peer.readToEnd()
                let status = TestResponse.parse(raw).status
                if status >= 500 && status != 505 || status == 0 && !raw.isEmpty {
                    lock.lock(); serverErrors += 1; lock.unlock()
                }
            }
        }
        return serverErrors
    }

    func testMemoryStaysBoundedAfterAThousandBadRequests() throws {
        XCTAssertEqual(burst(200), 0, "warm-up")  // caches, thread stacks and allocator arenas settle first
        let before = Hostile.residentBytes()
        XCTAssertGreaterThan(before, 0, "VmRSS readable")
        XCTAssertEqual(burst(1000), 0, "no 5xx in the burst")
        XCTAssertTrue(Hostile.eventually(within: 10) { self.s.server.openConnections == 0 }, "open: \(s.server.openConnections)")
        let after = Hostile.residentBytes()
        let growth = after - before
        print("hostile burst: VmRSS \(before >> 20) MB -> \(after >> 20) MB (peak VmHWM \(Hostile.residentBytes("VmHWM") >> 20) MB)")
        XCTAssertLessThan(growth, 100 << 20, "VmRSS grew by \(growth >> 20) MB over 1,000 bad requests")
        XCTAssertEqual(s.client().get("/healthz").status, 200)
        XCTAssertEqual(s.client().get("/v1/psks?limit=1").status, 200)
    }
}
