import Foundation
import PilarCore
import SQLiteStore
import XCTest

/// The normal client of the application-layer attack tests: while an attack runs, it calls
/// `/healthz` (no token) and `/v1/me` (its own token) in turn on fresh connections, each with
/// a 5 s deadline, and keeps every latency. The tests fail on any timeout or error, or a p99
/// above 1 s: a generous bound for a hang, not a speed measurement.
final class WatchedClient: @unchecked Sendable {
    private let port: Int
    private let token: String
    private let lock = NSLock()
    private var latencies: [Double] = []
    private var slowest: [(Double, String)] = []
    private let began = Date()
    private var failures: [String] = []
    private let stopFlag = HostileFlag()
    private let done = DispatchSemaphore(value: 0)

    init(port: Int, token: String) {
        self.port = port
        self.token = token
    }

    func start() {
        Thread.detachNewThread { [self] in
            var i = 0
            while !stopFlag.isSet {
                let path = i % 2 == 0 ? "/healthz" : "/v1/me"
                i += 1
                let started = Date()
                let peer = HostilePeer(port: port, timeout: 5)
                peer.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n")
                let (raw, closed) = peer.readToEnd()
                peer.close()
                let took = Date().timeIntervalSince(started)
                let status = TestResponse.parse(raw).status
                lock.lock()
                latencies.append(took)
                if took > 0.5 { slowest.append((took, "\(path) at \(Int(started.timeIntervalSince(began) * 1000)) ms")) }
                if !closed { failures.append("\(path): no complete answer within 5 s") } else if status != 200 {
                    failures.append("\(path): status \(status)")
                }
                lock.unlock()
                usleep(20_000)
            }
            done.signal()
        }
    }

    /// Stops the loop and checks what the normal client saw.
    func stopAndCheck(_ what: String, file: StaticString = #filePath, line: UInt = #line) {
        stopFlag.set()
        _ = done.wait(timeout: .now() + 10)
        lock.lock()
        defer { lock.unlock() }
        XCTAssertGreaterThan(latencies.count, 10, "\(what): the normal client made too few calls", file: file, line: line)
        XCTAssertEqual(failures, [], "\(what): the normal client was not answered", file: file, line: line)
        XCTAssertLessThan(p99, 1.0, "\(what): normal client p99 \(p99) s over \(latencies.count) calls; slow: \(slowest.prefix(8))",
                          file: file, line: line)
    }

    var p99: Double {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return .infinity }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
    }
}

enum AppAttack {
    /// `count` PSKS records (LKS, with a long address so each CSV line is ~300 bytes) in one
    /// kelurahan of Kota Cirebon, inserted in one statement: the registry an export attack needs.
    static func seedRecords(_ s: TestServer, count: Int, region: String = "32.74.01.1001") throws {
        let address = String(repeating: "Jalan Pemuda Gang Melati ", count: 8)
        try s.pilar.write { c in
            _ = try c.run("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO psks (type, name, name_folded, region, address, status, registered_on, created_at, updated_at)
                SELECT 'LKS', 'Lembaga ' || printf('%06d', i), 'lembaga ' || printf('%06d', i), ?, ?, 'active',
                       '2024-07-01', '2024-07-01T00:00:00Z', '2024-07-01T00:00:00Z' FROM n
                """, count, region, address)
        }
    }

    /// Another process on the same file: the sqlite3 shell, as an operator would run it.
    /// Returns its standard output, trimmed.
    static func sqlite3(_ path: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = ["-cmd", ".timeout 3000", path, sql]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "sqlite3 \(sql)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A GET whose answer the client reads only a little of (4 KiB receive buffer): the server
    /// is left holding the rest of the answer for as long as the peer lives.
    static func slowReader(_ s: TestServer, _ path: String, token: String) -> (peer: HostilePeer, head: TestResponse) {
        let peer = HostilePeer(port: s.port, timeout: 10, receiveBuffer: 4096)
        peer.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n")
        return (peer, TestResponse.parse(peer.read(atMost: 2048)))
    }
}
