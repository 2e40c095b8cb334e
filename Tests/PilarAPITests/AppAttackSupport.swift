import Foundation
import PilarCore
import SQLiteStore
import XCTest

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
    static func slowReader(_ s: TestServer, _ path: String, token: String, timeout: Double = 10) -> (peer: HostilePeer, head: TestResponse) {
        let peer = HostilePeer(port: s.port, timeout: timeout, receiveBuffer: 4096, from: Hostile.attacker)
        peer.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n")
        return (peer, TestResponse.parse(peer.read(atMost: 2048)))
    }
}
