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
        try AppAttack.seedRecords(s, count: Self.records)
        let watcher = WatchedClient(port: s.port, token: try s.token(.viewer, "32"))
        watcher.start()
        var stalled: [HostilePeer] = []
        var refused: [TestResponse] = []
        for _ in 0..<4 {
            let token = try tksk()
            for _ in 0..<2 {
                let (peer, head) = AppAttack.slowReader(s, "/v1/psks/export", token: token)
                if head.status == 200 { stalled.append(peer) } else { refused.append(head); peer.close() }
            }
        }
        XCTAssertEqual(stalled.count, 3, "3 exports run at once (2 per token)")
        XCTAssertEqual(refused.map(\.status).sorted(), [503, 503, 503, 503, 503], "the rest are refused while 3 run")
        XCTAssertEqual(refused.first?.header("Retry-After"), "10")
        sleep(2)
        XCTAssertEqual(s.app.exportsRunning, 3, "the exports are still streaming, stalled by their clients")

        // Lists and token checks on a cache miss go on (a new token is never cached).
        let fresh = s.client(token: try tksk())
        XCTAssertEqual(fresh.get("/v1/psks?limit=5").status, 200)
        XCTAssertEqual(fresh.get("/v1/reports?limit=5").status, 200)

        // A write, then another process checkpoints: no reader is left on an old snapshot.
        XCTAssertEqual(s.client().post("/v1/psks", Self.lks("Lembaga Baru")).status, 201)
        // FULL waits for every reader to be on the newest snapshot (an export in one long read
        // transaction would keep it busy) and then copies every frame.
        let result = try AppAttack.sqlite3(s.dbPath, "PRAGMA wal_checkpoint(FULL);").split(separator: "|")
        XCTAssertEqual(result.count, 3)
        XCTAssertEqual(result.first, "0", "checkpoint busy|log|checkpointed: \(result)")
        XCTAssertEqual(result.dropFirst().first, result.last, "every frame checkpointed: \(result)")

        watcher.stopAndCheck("3 stalled exports, 5 refused")

        // The stalled exports were only paused: one goes on when its client reads again.
        let first = stalled[0]
        var more = 0
        for _ in 0..<50 { more += first.read(atMost: 65536).count }
        XCTAssertGreaterThan(more, 64 * 1024, "the export resumes")
        stalled.forEach { $0.close() }
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
