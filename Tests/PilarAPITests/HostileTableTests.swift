import Foundation
import HTTPServer
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Attacks on the connection table and the deadlines (issue 12, attacks 7 and 10).
final class HostileTableTests: XCTestCase {
    /// Attack 7: thousands of idle keep-alive connections from one address. Past the
    /// per-address cap they get 503 at once; the normal client (another address) is served.
    func testIdleConnectionsFromOneAddressAreCapped() throws {
        var limits = Hostile.attackLimits()
        limits.idleTimeout = 60  // idle for the whole attack: only the cap protects
        limits.headerTimeout = 60
        limits.maxConnections = 4000
        limits.maxConnectionsPerAddress = 500
        let s = try TestServer(limits: limits)
        defer { s.stop() }
        let refused = HostileCounter()
        let peers = HostilePeers()
        Hostile.attack(s, "7 idle connections from one address", seconds: Hostile.seconds(3)) { stop in
            for _ in 0..<Hostile.scaled(1500) where !stop.isSet {
                let p = HostilePeer(port: s.port, timeout: 0.05, from: Hostile.attacker, mustConnect: false)
                guard p.fd >= 0 else { continue }
                peers.add(p)
            }
            usleep(300_000)
            peers.each { if TestResponse.parse($0.readNow()).status == 503 { refused.add(1) } }
            while !stop.isSet { usleep(50_000) }
        }
        XCTAssertEqual(refused.value, peers.count - 500, "every connection past the cap of 500 is refused at once")
        peers.resetAll()
    }

    /// Attack 7 from many addresses: the table fills with idle connections; the oldest idle one
    /// makes room for each newcomer, and past three quarters full idle ones go after 2 s.
    func testFullTableMakesRoomForNewClients() throws {
        var limits = Hostile.attackLimits()
        limits.idleTimeout = 60
        limits.headerTimeout = 60
        limits.maxConnections = 400
        let s = try TestServer(limits: limits)
        defer { s.stop() }
        let peers = HostilePeers()
        Hostile.attack(s, "7 table filled by idle connections", seconds: Hostile.seconds(4)) { stop in
            var i = 0
            while !stop.isSet {  // fill the table from four addresses, and top it up every second
                for _ in 0..<150 {
                    let p = HostilePeer(port: s.port, timeout: 0.05, from: "127.0.0.\(2 + i % 4)", mustConnect: false)
                    if p.fd >= 0 { peers.add(p) }
                    i += 1
                }
                usleep(1_000_000)
            }
        }
        XCTAssertLessThanOrEqual(s.server.openConnections, 400)
        peers.resetAll()
    }

    /// Attack 10: a body sent at 1 byte/s gets 408 within the body deadline (2 s here, 30 s by
    /// default, plus a second per KiB that arrived); an idle keep-alive connection is closed
    /// at the idle timeout.
    func testTrickledBodyGets408AndIdleConnectionsClose() throws {
        let s = try TestServer(limits: Hostile.attackLimits())
        defer { s.stop() }
        let limits = s.server.limits
        var outcomes: [(status: Int, seconds: Double)] = []
        var idleClosedAfter: [Double] = []
        Hostile.attack(s, "10 body at 1 byte/s, idle keep-alive", seconds: Hostile.seconds(3) + limits.bodyTimeout) { stop in
            let p = HostilePeer(port: s.port, timeout: 1.5, from: Hostile.attacker)
            let started = Date()
            p.send(Hostile.head(s, "PUT", Array("/v1/reports/32.74.01/2026-05".utf8),
                                headers: ["Content-Type: application/json", "Content-Length: 5000"], close: false))
            var raw: [UInt8] = []
            while raw.isEmpty && !stop.isSet {
                p.send("{")
                raw = p.read(atMost: 4096)  // waits up to 1 s between bytes
            }
            outcomes.append((TestResponse.parse(raw).status, Date().timeIntervalSince(started)))
            let idle = HostilePeer(port: s.port, timeout: limits.idleTimeout + 3, from: Hostile.attacker)
            idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let quiet = Date()
            let (answer, closed) = idle.readToEnd()
            if closed && TestResponse.parse(answer).status == 200 { idleClosedAfter.append(Date().timeIntervalSince(quiet)) }
            while !stop.isSet { usleep(50_000) }
        }
        XCTAssertEqual(outcomes.first?.status, 408, "\(outcomes)")
        XCTAssertLessThan(outcomes.first?.seconds ?? .infinity, limits.bodyTimeout + 3, "408 within the body deadline")
        XCTAssertEqual(idleClosedAfter.count, 1, "the idle connection was closed")
        XCTAssertLessThan(idleClosedAfter.first ?? .infinity, limits.idleTimeout + 1.5, "closed at the idle timeout")
    }
}
