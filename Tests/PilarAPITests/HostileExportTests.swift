import Foundation
import PilarCore
import XCTest

/// Attack 3 of issue 12: slow readers of GET /v1/psks/export. An export is read in keyset
/// batches, each in its own short read transaction, so a client that stops reading holds no
/// database reader and blocks no WAL checkpoint; exports are limited per token and in all.
final class HostileExportTests: XCTestCase {
    var s: TestServer!
    static let records = 12_000  // ~3.6 MB of CSV: more than the socket buffers take

    override func setUpWithError() throws {
        s = try TestServer()
    }

    override func tearDown() { s.stop() }

    func tksk() throws -> String { try s.token(.tksk, "32.74.01") }

    /// Twice the readers' number of exports that stop reading after the first bytes: the
    /// normal client keeps its answers, another process checkpoints the WAL completely, and
    /// the exports beyond the limits get 429 / 503 with Retry-After.
    func testExportsThatStopReadingHoldNoReader() throws {
        // Three exports at once in a debug build take a while: a longer attack, a patient head read.
        try AppAttack.seedRecords(s, count: Self.records)
        let s = self.s!
        let tokens = try (0..<Hostile.scaled(4)).map { _ in try tksk() }
        var checkpoint: [Substring] = []
        var stillStreaming = 0
        var refused: [TestResponse] = []
        var resumed = 0
        let uncached = try tksk()
        var uncachedStatus = 0
        Hostile.attack(s, "exports that stop reading", seconds: Hostile.seconds(12)) { stop in
            // Twice the readers' number of exports, each read for its first bytes only.
            // All at once, so one client waiting for its head does not delay the next one's request.
            var stalled: [HostilePeer] = []
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: tokens.count * 2) { i in
                let (peer, head) = AppAttack.slowReader(s, "/v1/psks/export", token: tokens[i / 2], timeout: 30)
                lock.lock()
                if head.status == 200 { stalled.append(peer) } else { refused.append(head); peer.close() }
                lock.unlock()
            }
            usleep(1_500_000)
            stillStreaming = s.app.exportsRunning
            // A write, then another process checkpoints: FULL waits for every reader to be on the
            // newest snapshot (an export in one long read transaction would keep it busy), then
            // copies every frame.
            _ = s.client().post("/v1/psks", Self.lks("Lembaga Baru"))
            checkpoint = (try? AppAttack.sqlite3(s.dbPath, "PRAGMA wal_checkpoint(FULL);"))?.split(separator: "|") ?? []
            // A token never used before (its check reads the database) and a list answer.
            uncachedStatus = s.client(token: uncached).get("/v1/psks?limit=5").status
            while !stop.isSet { usleep(50_000) }
            // The stalled exports were only paused: one goes on when its client reads again.
            if let first = stalled.first {
                first.setTimeout(1)
                for _ in 0..<50 {
                    let n = first.read(atMost: 65536).count
                    if n == 0 { break }  // all of it read (the connection stays open)
                    resumed += n
                }
            }
            stalled.forEach { $0.close() }
        }
        XCTAssertEqual(stillStreaming, 3, "3 exports run at once (2 per token, 3 in all), stalled by their clients")
        XCTAssertEqual(refused.count, tokens.count * 2 - 3, "the rest are refused while 3 run")
        XCTAssertEqual(Set(refused.map(\.status)), [503])
        XCTAssertEqual(refused.first?.header("Retry-After"), "10")
        XCTAssertEqual(refused.first?["code"], "exports_busy")
        XCTAssertEqual(checkpoint.count, 3)
        XCTAssertEqual(checkpoint.first, "0", "checkpoint busy|log|checkpointed: \(checkpoint)")
        XCTAssertEqual(checkpoint.dropFirst().first, checkpoint.last, "every frame checkpointed: \(checkpoint)")
        XCTAssertGreaterThan(resumed, 64 * 1024, "the export resumes")
        XCTAssertEqual(uncachedStatus, 200, "a token check on a cache miss and a list during the attack")
    }

    func testExportsPerTokenAreLimitedAndSlotsComeBack() throws {
        try AppAttack.seedRecords(s, count: Self.records)
        let token = try tksk()
        let a = AppAttack.slowReader(s, "/v1/psks/export", token: token)
        let b = AppAttack.slowReader(s, "/v1/psks/export?type=LKS", token: token)
        XCTAssertEqual([a.head.status, b.head.status], [200, 200])

        let third = s.client(token: token).get("/v1/psks/export")
        assertClientProblem(third, "a third export of one token", expect: [429])
        XCTAssertEqual(third["code"], "too_many_exports")
        XCTAssertEqual(third.header("Retry-After"), "10")
        XCTAssertTrue(third["detail"]?.stringValue?.contains("2") ?? false, third.text)

        // Another token is not affected; a HEAD (whose stream never runs) frees its slot.
        let other = s.client(token: try tksk())
        XCTAssertEqual(other.request("HEAD", "/v1/psks/export").status, 200)
        XCTAssertEqual(other.request("HEAD", "/v1/psks/export").status, 200)
        XCTAssertEqual(other.request("HEAD", "/v1/psks/export").status, 200)

        // A client that hangs up gives its slot back.
        a.peer.reset()
        b.peer.reset()
        XCTAssertTrue(Hostile.eventually(within: 35) { s.app.exportsRunning == 0 }, "slots freed after the clients left")
        let again = s.client(token: token).get("/v1/psks/export")
        XCTAssertEqual(again.status, 200)
        XCTAssertEqual(Self.names(in: again.body).filter { $0.hasPrefix("Lembaga 0") }.count, Self.records)
    }

    /// An export goes out as it is made, batch by batch as the client reads: its first bytes
    /// arrive before the rest is read from the database, so a record added while the client is
    /// still reading is in the file (an export made whole before its first byte could not hold it).
    func testExportIsSentAsItIsMade() throws {
        try AppAttack.seedRecords(s, count: Self.records)
        let peer = HostilePeer(port: s.port, timeout: 10, receiveBuffer: 4096, from: Hostile.attacker)
        defer { peer.close() }
        peer.send("GET /v1/psks/export HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(try tksk())\r\n\r\n")
        var raw = peer.read(atMost: 2048)
        XCTAssertEqual(TestResponse.parse(raw).status, 200, "the head and the first bytes")
        XCTAssertEqual(s.client().post("/v1/psks", Self.lks("Zulu Lembaga Akhir")).status, 201)
        while !raw.suffix(7).elementsEqual("\r\n0\r\n\r\n".utf8) {
            let piece = peer.read(atMost: 65536)
            if piece.isEmpty { break }
            raw += piece
        }
        let r = TestResponse.parse(raw)
        XCTAssertEqual(r.header("Transfer-Encoding"), "chunked")
        XCTAssertTrue(String(decoding: r.body, as: UTF8.self).contains("Zulu Lembaga Akhir"),
                      "the record added after the first bytes left is in the export")
        XCTAssertEqual(Self.names(in: r.body).filter { $0.hasPrefix("Lembaga 0") }.count, Self.records, "and every seeded one")
    }

    /// Batches meet without a gap or a repeat, in both orders (by region and by name).
    func testExportAcrossBatchesHasEveryRecordOnce() throws {
        let seeded = PSKSExport.batchSize * 2 + 500  // two batch boundaries
        try AppAttack.seedRecords(s, count: seeded)
        let admin = s.client()
        for path in ["/v1/psks/export?type=LKS", "/v1/psks/export?q=lembaga%200"] {
            let r = admin.get(path)
            XCTAssertEqual(r.status, 200)
            let names = Self.names(in: r.body)
            XCTAssertEqual(names.count, Set(names).count, "\(path): no record twice")
            // Every seeded name starts "Lembaga 0" (000001 ... 002500), plus the demo's own LKS.
            XCTAssertEqual(names.filter { $0.hasPrefix("Lembaga 0") }.count, seeded, path)
        }
        let byName = Self.names(in: admin.get("/v1/psks/export?q=lembaga%200").body)
        XCTAssertEqual(byName, byName.sorted(), "the name order holds across batches")
    }

    static func names(in body: [UInt8]) -> [String] {
        String(decoding: body, as: UTF8.self).split(separator: "\n").compactMap { line in
            line.split(separator: ",", omittingEmptySubsequences: false).first { $0.hasPrefix("Lembaga") }.map(String.init)
        }
    }

    static func lks(_ name: String) -> JSON {
        ["type": "LKS", "name": .string(name), "region": "32.74.01.1001", "registered_on": "2024-07-01",
         "address": "Jalan Kartini 1", "legal_entity": true, "head": "Ibu Ratna"]
    }
}
