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

    override func setUpWithError() throws { s = try TestServer(limits: Hostile.attackLimits()) }
    override func tearDown() { s.stop() }

    /// Attack 1: no token; each connection pipelines 200 `GET /openapi.yaml` in one send with a
    /// 4 KiB receive buffer and never reads. Answers are written by the event loop and the next
    /// pipelined request is taken only once the previous answer left, so no worker waits.
    func testPipelinedRequestsFromReadersThatNeverRead() throws {
        let s = self.s!
        let peers = HostilePeers()
        Hostile.attack(s, "1 pipelined, never read", seconds: Hostile.seconds(3)) { stop in
            let burst = Array(String(repeating: "GET /openapi.yaml HTTP/1.1\r\nHost: x\r\n\r\n", count: 200).utf8)
            for _ in 0..<Hostile.scaled(8) {
                let p = HostilePeer(port: s.port, timeout: 10, receiveBuffer: 4096, from: Hostile.attacker)
                p.send(burst)
                peers.add(p)
            }
            while !stop.isSet { usleep(50_000) }
        }
        XCTAssertLessThan(s.server.openConnections, 4 + peers.count, "no connection beyond the attackers")
        peers.resetAll()
        XCTAssertTrue(Hostile.eventually(within: 10) { s.server.openConnections == 0 }, "open: \(s.server.openConnections)")
    }

    /// Attack 1 on a streamed answer: slow readers of the registry export (4 KiB window, a few
    /// bytes read every second). The export is produced into a spool at once, the loop sends it.
    func testSlowReadersOfAStreamedExport() throws {
        let s = self.s!
        var csv = "type,name,address,region,head,legal_entity\n"
        for i in 0..<1000 { csv += "LKS,Yayasan Lambat \(i),Jalan Kenari No. \(i),32.74.0\(1 + i % 5),Ketua \(i),false\n" }
        XCTAssertEqual(s.client().csv("/v1/psks/import", csv).status, 200)
        let peers = HostilePeers()
        Hostile.attack(s, "1b slow export readers", seconds: Hostile.seconds(3)) { stop in
            for _ in 0..<Hostile.scaled(2) {
                let p = HostilePeer(port: s.port, timeout: 1, receiveBuffer: 4096, from: Hostile.attacker)
                p.send(Hostile.head(s, "GET", Array("/v1/psks/export".utf8), close: false))
                peers.add(p)
            }
            while !stop.isSet {
                peers.each { _ = $0.read(atMost: 16) }
                usleep(1_000_000)
            }
        }
        peers.resetAll()
        XCTAssertTrue(Hostile.eventually(within: 10) { s.server.openConnections == 0 }, "open: \(s.server.openConnections)")
    }

    /// Attack 2: a viewer token; `GET /healthz`, then a pipelined import declaring 10 MB and
    /// trickling a byte now and then. The import is refused on its head (403, the role), and a
    /// kabkota token's trickled import gets 408 from the loop within the body deadline.
    func testPipelinedImportTrickledByAViewerAndAKabkota() throws {
        let s = self.s!
        let viewer = try s.token(.viewer, "32.74")
        let kabkota = try s.token(.kabkota, "32.74")
        let statuses = HostileStatuses()
        Hostile.attack(s, "2 pipelined trickled import", seconds: Hostile.seconds(4)) { stop in
            let peers = (0..<Hostile.scaled(8)).map { i -> HostilePeer in
                let token = i % 2 == 0 ? viewer : kabkota
                let p = HostilePeer(port: s.port, timeout: 10, from: Hostile.attacker)
                p.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nPOST /v1/psks/import HTTP/1.1\r\nHost: x\r\n"
                       + "Authorization: Bearer \(token)\r\nContent-Type: text/csv\r\nContent-Length: 10000000\r\n\r\ntype")
                return p
            }
            while !stop.isSet {
                for p in peers { p.send(",") }
                usleep(500_000)
            }
            for p in peers {
                p.setTimeout(ProcessInfo.processInfo.environment["PILAR_HOSTILE_SECONDS"] == nil ? 1 : 8)
                let (raw, _) = p.readToEnd()
                statuses.add(raw)
            }
        }
        let seen = statuses.all
        XCTAssertEqual(seen.filter { $0 == [200, 403] }.count, Hostile.scaled(4), "viewers: \(seen)")
        // The kabkota uploads: two in flight per token, the rest 429 on the head; the two get 408.
        XCTAssertEqual(seen.filter { $0 == [200, 429] }.count, Hostile.scaled(4) - 2, "kabkota: \(seen)")
        XCTAssertEqual(seen.filter { $0 == [200, 408] }.count, 2, "kabkota: \(seen)")
    }

    /// Attack 8: no token, `GET /healthz` with a 300 MB body; a viewer's 200 MB import. Both are
    /// refused on the head (413: the route takes no body; 403: the role) while the client is
    /// still sending, and nothing of the body is stored.
    func testLargeBodiesAreRefusedBeforeAnyByteIsStored() throws {
        let s = self.s!
        let viewer = try s.token(.viewer, "32.74")
        let statuses = HostileStatuses()
        Hostile.attack(s, "8 bodies before authorisation", seconds: Hostile.seconds(3)) { stop in
            let block = [UInt8](repeating: 0x61, count: 256 * 1024)
            DispatchQueue.concurrentPerform(iterations: Hostile.scaled(4)) { i in
                while !stop.isSet {
                    let p = HostilePeer(port: s.port, timeout: 5, from: Hostile.attacker)
                    if i % 2 == 0 {
                        p.send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\n\r\n")
                    } else {
                        p.send("POST /v1/psks/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(viewer)\r\n"
                               + "Content-Type: text/csv\r\nContent-Length: 200000000\r\n\r\n")
                    }
                    var sent = 0
                    p.setTimeout(0.2)
                    while sent < 8 << 20, p.send(block) { sent += block.count }  // stops once refused
                    p.setTimeout(5)
                    statuses.add(p.readToEnd().bytes)
                    p.reset()
                }
            }
        }
        let seen = statuses.all
        XCTAssertGreaterThan(seen.count, 4)
        XCTAssertTrue(seen.allSatisfy { $0 == [413] || $0 == [403] }, "\(seen)")
    }

    /// Attack 6: made-up method names, each up to 8 KiB, pipelined without a token. Every one is
    /// answered 501 and counted in the one `OTHER` series, so /metrics stays small.
    func testMadeUpMethodsDoNotGrowMetrics() throws {
        let s = self.s!
        let sent = HostileCounter()
        Hostile.attack(s, "made-up methods", seconds: Hostile.seconds(3)) { stop in
            DispatchQueue.concurrentPerform(iterations: 4) { t in
                var n = 0
                // At least two batches per thread whatever the machine's load (400 made-up
                // methods in all), so the count below depends on answers, not on speed.
                var batches = 0
                while !stop.isSet || batches < 2 {
                    batches += 1
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
        XCTAssertGreaterThan(sent.value, 200, "the attack made enough requests to matter")
        let metrics = s.client().get("/metrics").text
        XCTAssertTrue(metrics.contains("method=\"OTHER\",route=\"unmatched\",status=\"501\""), metrics)
        XCTAssertFalse(metrics.contains("X0M"), "no series per made-up method")
    }
}

extension Hostile {
    /// Pilar's default limits with the deadlines an attack test can wait out: 8 handler threads
    /// (the service's default on 2 cores), 2 s for heads and bodies, 1 s idle, 3 s to write.
    /// The long form (PILAR_HOSTILE_SECONDS set) keeps the real defaults but the 8 threads.
    static func attackLimits() -> Limits {
        var limits = Limits()
        limits.workerThreads = 8
        guard ProcessInfo.processInfo.environment["PILAR_HOSTILE_SECONDS"] == nil else { return limits }
        limits.headerTimeout = 2
        limits.bodyTimeout = 2
        limits.idleTimeout = 1
        limits.writeTimeout = 3
        return limits
    }
}

/// Peers an attack opened, kept for the test to inspect and reset afterwards.
final class HostilePeers: @unchecked Sendable {
    private let lock = NSLock()
    private var peers: [HostilePeer] = []
    var count: Int { lock.locked { peers.count } }
    func add(_ p: HostilePeer) { lock.locked { peers.append(p) } }
    func each(_ body: (HostilePeer) -> Void) { for p in lock.locked({ peers }) { body(p) } }
    func resetAll() { each { $0.reset() } }
}

/// The status lines each attacker connection received, in order.
final class HostileStatuses: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [[Int]] = []
    var all: [[Int]] { lock.locked { seen } }
    func add(_ raw: [UInt8]) {
        let text = String(decoding: raw, as: UTF8.self)
        let statuses = text.components(separatedBy: "HTTP/1.1 ").dropFirst().compactMap { Int($0.prefix(3)) }
        lock.locked { seen.append(statuses) }
    }
}

/// A count several attacker threads add to.
final class HostileCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.locked { count } }
    func add(_ n: Int) { lock.locked { count += n } }
}
