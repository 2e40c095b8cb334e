import Foundation
import PilarCore
import XCTest

/// Attack 9 of issue 12 and the cache that answers it: every /v1/stats/* answer is computed
/// once per (canonical query, caller scope, stats version, format); identical requests at the
/// same time wait for that one computation; a write by another process makes a new key.
final class StatsCacheTests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws {
        s = try TestServer(clock: Clock(now: { Clock.parseTimestamp("2026-11-25T05:00:00Z")! }))
    }
    override func tearDown() { s.stop() }

    let capacity = "/v1/stats/capacity?region=32.74"
    let psks = "/v1/stats/psks?region=32.74&by=type"

    var computations: Int { s.pilar.statsAnswers.computations }

    /// `n` requests at once; their answers.
    func together(_ n: Int, _ path: String, token: String, headers: [(String, String)] = []) -> [TestResponse] {
        let lock = NSLock()
        var out: [TestResponse] = []
        DispatchQueue.concurrentPerform(iterations: n) { _ in
            let r = s.client(token: token).get(path, headers: headers)
            lock.lock(); out.append(r); lock.unlock()
        }
        return out
    }

    func testIdenticalRequestsAreComputedOnce() throws {
        let viewer = try s.token(.viewer, "32.74")
        let before = computations
        let answers = together(12, capacity, token: viewer)
        XCTAssertEqual(answers.map(\.status), Array(repeating: 200, count: 12))
        XCTAssertEqual(Set(answers.map { $0.body }).count, 1, "one answer for everyone")
        XCTAssertEqual(Set(answers.compactMap { $0.header("ETag") }).count, 1)
        XCTAssertEqual(computations - before, 1, "12 identical requests, one computation")
        XCTAssertEqual(answers[0]["total"]?["desa"]?.intValue ?? 0 > 0, true, answers[0].text.prefix(300).description)

        // The same question in CSV, from another scope, or another query is its own computation.
        let csv = s.client(token: viewer).get("/v1/stats/capacity.csv?region=32.74")
        XCTAssertEqual(csv.status, 200)
        XCTAssertEqual(csv.header("Content-Type"), "text/csv; charset=utf-8")
        XCTAssertEqual(csv.header("Content-Disposition")?.hasPrefix("attachment; filename=\"capacity"), true)
        XCTAssertEqual(Array(csv.body.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertEqual(computations - before, 2)
        XCTAssertEqual(s.client(token: viewer).get("/v1/stats/capacity.csv?region=32.74").body, csv.body)
        XCTAssertEqual(computations - before, 2, "the CSV is kept too")
        XCTAssertEqual(s.client().get(capacity).status, 200)
        XCTAssertEqual(computations - before, 3, "the admin's scope is another key")
        XCTAssertEqual(s.client(token: viewer).get(capacity + "&year=2025").status, 200)
        XCTAssertEqual(computations - before, 4)
        // A parameter order or spelling that means the same is the same key (canonical query).
        XCTAssertEqual(s.client(token: viewer).get("/v1/stats/capacity?year=2025&region=3274").status, 200)
        XCTAssertEqual(computations - before, 4)
        // A revalidation with the current tag is a 304 and computes nothing.
        XCTAssertEqual(s.client(token: viewer).get(capacity, headers: [("If-None-Match", answers[0].header("ETag")!)]).status, 304)
        XCTAssertEqual(computations - before, 4)
    }

    /// The sqlite3 shell adds a PSM to the file: the next answer is computed afresh and shows it.
    func testAWriteByAnotherProcessIsComputedAfresh() throws {
        let viewer = try s.token(.viewer, "32.74")
        let first = s.client(token: viewer).get(psks)
        XCTAssertEqual(first.status, 200, first.text)
        let psm = { (r: TestResponse) in r["items"]?.arrayValue?.first { $0["type"] == "PSM" }?["total"]?.intValue ?? -1 }
        let before = computations
        XCTAssertEqual(s.client(token: viewer).get(psks).body, first.body)
        XCTAssertEqual(computations, before, "kept")

        _ = try AppAttack.sqlite3(s.dbPath, """
            INSERT INTO psks (type, name, name_folded, region, status, registered_on, created_at, updated_at)
            VALUES ('PSM', 'Siti Baru', 'siti baru', '32.74.01.1001', 'active', '2026-11-01', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
            """)
        let after = s.client(token: viewer).get(psks)
        XCTAssertEqual(after.status, 200)
        XCTAssertEqual(computations - before, 1, "computed again after the other process's write")
        XCTAssertNotEqual(after.header("ETag"), first.header("ETag"))
        XCTAssertEqual(psm(after), psm(first) + 1, "the new PSM is counted")
        XCTAssertEqual(s.client(token: viewer).get(psks, headers: [("If-None-Match", first.header("ETag")!)]).status, 200,
                       "the old tag is not current")
    }

    /// Attack 9: loops of the most expensive dashboard, from viewer tokens, beside the normal client.
    func testLoopsOfExpensiveStatsCostOneComputation() throws {
        let s = self.s!
        let tokens = try (0..<Hostile.scaled(12)).map { _ in try s.token(.viewer, "32") }
        let before = computations
        let answered = HostileCounter()
        Hostile.attack(s, "stats loops", seconds: Hostile.seconds(4)) { stop in
            DispatchQueue.concurrentPerform(iterations: tokens.count) { i in
                while !stop.isSet {
                    let r = s.client(token: tokens[i]).get(i % 2 == 0 ? "/v1/stats/capacity?region=32" : "/v1/stats/capacity.csv?region=32")
                    if r.status == 200 { answered.add(1) }
                }
            }
        }
        XCTAssertGreaterThan(answered.value, 50, "the attack made enough requests to matter")
        XCTAssertLessThanOrEqual(computations - before, 2, "\(answered.value) answers from one computation per format")
    }
}
