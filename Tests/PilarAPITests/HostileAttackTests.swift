import Foundation
import HTTPServer
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The attacks of issue 12 against the real server on loopback, each under `Hostile.attack`
/// (a normal client keeps calling /healthz and /v1/me; memory and /metrics are bounded).
final class HostileAttackTests: XCTestCase {
    var s: TestServer!

    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    /// Attack 6: made-up method names, each up to 8 KiB, pipelined without a token. Every one is
    /// answered 501 and counted in the one `OTHER` series, so /metrics stays small.
    func testMadeUpMethodsDoNotGrowMetrics() throws {
        let s = self.s!
        let sent = HostileCounter()
        Hostile.attack(s, "made-up methods", seconds: Hostile.seconds(3)) { stop in
            DispatchQueue.concurrentPerform(iterations: 4) { t in
                var n = 0
                while !stop.isSet {
                    let peer = HostilePeer(port: s.port, timeout: 10, from: Hostile.attacker)
                    var batch: [UInt8] = []
                    for _ in 0..<50 {
                        n += 1
                        let method = "X\(t)M\(n)" + String(repeating: "Q", count: n % 3 == 0 ? 8000 : 10)
                        batch += Array("\(method) / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
                    }
                    peer.send(batch)
                    let (raw, _) = peer.readToEndOr(responses: 50)
                    sent.add(HostileOutcome(raw: raw, closed: true).responseCount)
                }
            }
        }
        XCTAssertGreaterThan(sent.value, 500, "the attack made enough requests to matter")
        let metrics = s.client().get("/metrics").text
        XCTAssertTrue(metrics.contains("method=\"OTHER\",route=\"unmatched\",status=\"501\""), metrics)
        XCTAssertFalse(metrics.contains("X0M"), "no series per made-up method")
    }
}

/// A count several attacker threads add to.
final class HostileCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.locked { count } }
    func add(_ n: Int) { lock.locked { count += n } }
}
