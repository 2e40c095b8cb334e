import Foundation
import SQLiteStore
import XCTest
@testable import PilarCore

/// PilarCore speaks the domain: typed preconditions and outcomes, and no HTTP vocabulary in
/// its code; idempotent replays survive a restart and the upgrade to stored outcomes.
final class DomainAnswerTests: XCTestCase {
    let admin = Caller(tokenID: 7, name: "test", role: .admin, region: nil)
    static let now = Clock.parseTimestamp("2026-11-05T03:00:00Z")!
    let k = RegionCode("32.74.01")!, p = ReportPeriod("2026-10")!
    let body: JSONObject = ["pmks": [["category": "FM", "count": 7]]]

    func testExpectedVersionAdmitsOnlyWhatTheWriterRead() {
        let v1 = VersionTag("r1.1"), v2 = VersionTag("r1.2")
        XCTAssertTrue(ExpectedVersion.anything.admits(nil))
        XCTAssertTrue(ExpectedVersion.anything.admits(v1))
        XCTAssertTrue(ExpectedVersion.existing.admits(v1))
        XCTAssertFalse(ExpectedVersion.existing.admits(nil))
        XCTAssertTrue(ExpectedVersion.absent.admits(nil))
        XCTAssertFalse(ExpectedVersion.absent.admits(v1))
        XCTAssertTrue(ExpectedVersion.oneOf([v2, v1]).admits(v1))
        XCTAssertFalse(ExpectedVersion.oneOf([v2]).admits(v1))
        XCTAssertFalse(ExpectedVersion.oneOf([v1]).admits(nil))
        XCTAssertFalse(ExpectedVersion.oneOf([]).admits(v1))
    }

    func testReportWritesSayWhatHappenedAndRefuseAStaleVersion() throws {
        let t = try TempPilar(clock: Clock { Self.now })
        let reports = t.pilar.reports
        let created = try reports.put(k, p, body: body, expected: .absent, by: admin)
        XCTAssertEqual(created.outcome, .created)
        let v1 = try XCTUnwrap(created.version)
        XCTAssertEqual(try reports.put(k, p, body: body, expected: .oneOf([v1]), by: admin).outcome, .unchanged)
        XCTAssertThrowsError(try reports.put(k, p, body: body, expected: .absent, by: admin)) { e in
            XCTAssertEqual((e as? PilarError)?.kind, .preconditionFailed)
            XCTAssertEqual((e as? PilarError)?.currentVersion, v1)
        }
        var other = body
        other["pmks"] = [["category": "FM", "count": 8]]
        let replaced = try reports.put(k, p, body: other, expected: .oneOf([v1]), by: admin)
        XCTAssertEqual(replaced.outcome, .replaced)
        XCTAssertNotEqual(replaced.version, v1)
        XCTAssertThrowsError(try reports.act(.submit, k, p, body: JSONObject(), expected: .oneOf([v1]), by: admin)) { e in
            XCTAssertEqual((e as? PilarError)?.currentVersion, replaced.version)
            XCTAssertEqual((e as? PilarError)?.extra["current_version"], replaced.body["version"])
        }
        XCTAssertEqual(try reports.act(.submit, k, p, body: JSONObject(), expected: .existing, by: admin).outcome, .updated)
    }

    /// A replay gets the first answer, after a restart as before it; a row stored before
    /// Migrations/0012 (a status and HTTP headers) is replayed with its outcome and version.
    func testIdempotentReplaysSurviveARestartAndTheUpgrade() throws {
        let dir = NSTemporaryDirectory() + "pilar-core-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/pilar.db"
        // The database as the release before 0012 left it, with one stored first answer.
        let old = try Database(path: path)
        _ = try old.migrate(try Pilar.migrations().filter { $0.version < 12 })
        let oldKey = IdempotencyRequest(key: "k-old", method: "POST", path: "/v1/reports/32.74.01/2026-10/submit", body: [])
        try old.write { c in
            _ = try c.run("""
                INSERT INTO idempotency_keys (token_id, key, method, path, body_hash, status, headers, body, created_at)
                VALUES (7, 'k-old', 'POST', ?, ?, 200, '{"ETag":"\\"r1.3\\""}', CAST('{"status":"submitted"}' AS BLOB), '2026-11-01T00:00:00Z')
                """, oldKey.path, oldKey.bodyHash)
        }
        old.close()

        var pilar = try Pilar.open(path: path, clock: Clock { Self.now })
        _ = try pilar.reports.put(k, p, body: body, by: admin)
        let replayedOld = try pilar.reports.act(.submit, k, p, body: JSONObject(), idempotency: oldKey, by: admin)
        XCTAssertTrue(replayedOld.replayed)
        XCTAssertEqual(replayedOld.outcome, .updated)
        XCTAssertEqual(replayedOld.version, VersionTag("r1.3"))
        XCTAssertEqual(replayedOld.body["status"], "submitted")

        let key = IdempotencyRequest(key: "k-new", method: "POST", path: "/v1/reports/32.74.01/2026-10/submit", body: Array("{}".utf8))
        let first = try pilar.reports.act(.submit, k, p, body: JSONObject(), idempotency: key, by: admin)
        XCTAssertFalse(first.replayed)
        pilar.db.close()
        pilar = try Pilar.open(path: path, clock: Clock { Self.now })
        defer { pilar.db.close() }
        let again = try pilar.reports.act(.submit, k, p, body: JSONObject(), idempotency: key, by: admin)
        XCTAssertTrue(again.replayed)
        XCTAssertEqual(again.outcome, first.outcome)
        XCTAssertEqual(again.version, first.version)
        XCTAssertEqual(again.body, first.body)
        let reused = IdempotencyRequest(key: "k-new", method: key.method, path: key.path, body: Array("{\"reason\":\"x\"}".utf8))
        XCTAssertThrowsError(try pilar.reports.act(.submit, k, p, body: ["reason": "x"], idempotency: reused, by: admin)) { e in
            XCTAssertEqual((e as? IdempotencyKeyReused)?.key, "k-new")
        }
    }

    /// The build check for "PilarCore speaks the domain": no HTTP header names, status codes
    /// or HTTP target import in its code (comments may explain what PilarAPI makes of it).
    func testPilarCoreHasNoHTTPVocabulary() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/PilarCore").standardized
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        XCTAssertGreaterThan(files.count, 40, "the PilarCore sources are where this test expects them")
        let headers = ["If-Match", "If-None-Match", "ETag", "Content-Type", "Content-Disposition", "Content-Language",
                       "Accept-Language", "Cache-Control", "Retry-After", "Idempotency-Key", "Idempotent-Replayed",
                       "Location", "WWW-Authenticate", "Vary"]
        // Messages that name a header for the user, until the message catalogue (PilarAPI) has them.
        let pendingMessages = ["Sheets/CSVDialect.swift", "Sheets/ImportTable.swift"]
        // Known and open: import jobs (migration 0010) keep the HTTP status of a finished job's
        // answer in PilarCore's store; it should keep the import's outcome and let PilarAPI map it,
        // as report replays do (migration 0012). Listed here so nothing else slips in meanwhile.
        let knownStatusExceptions = ["Imports/ImportJobStore.swift"]
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("//") { continue }
                let code = line.range(of: " //").map { String(line[..<$0.lowerBound]) } ?? line
                if code.range(of: #"^import\s+(HTTPServer|PilarAPI)\b"#, options: .regularExpression) != nil {
                    found.append("\(file):\(n + 1) imports HTTP")
                }
                if !knownStatusExceptions.contains(file),
                   code.range(of: #"status\s*:\s*[1-5][0-9][0-9]\b|status\s*:\s*Int\b|\bstatus\s*==\s*[1-5][0-9][0-9]\b"#, options: .regularExpression) != nil {
                    found.append("\(file):\(n + 1) status code: \(code)")
                }
                if pendingMessages.contains(file) { continue }
                for h in headers where code.range(of: #"(^|[^A-Za-z-])\#(h)([^A-Za-z-]|$)"#, options: .regularExpression) != nil {
                    found.append("\(file):\(n + 1) \(h): \(code)")
                }
            }
        }
        XCTAssertEqual(found, [], "PilarCore names HTTP; PilarAPI maps domain answers to HTTP")
    }

    /// The house rule "each feature's SQL in one store file", for the features moved so far:
    /// no SQL statement in their other files (the demo seeds included).
    func testEachMovedFeatureKeepsItsSQLInItsStore() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/PilarCore").standardized
        // Feature folder -> the files that may hold its SQL. ReportImport's staging table is
        // the backfill's own (a temporary table no other code reads).
        let stores = ["Reports": ["ReportStore.swift", "ReportImport.swift"],
                      "Access": ["TokenStore.swift", "PrivacySettings.swift"]]
        let seeds = ["Demo/DemoReports.swift"]
        let sql = #"\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b"#
        var found: [String] = []
        for (folder, allowed) in stores {
            let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            XCTAssertFalse(files.isEmpty)
            for file in files where !allowed.contains(file) {
                let text = try String(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(file), encoding: .utf8)
                if text.range(of: sql, options: .regularExpression) != nil { found.append("\(folder)/\(file)") }
            }
        }
        for file in seeds {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            if text.range(of: sql, options: .regularExpression) != nil { found.append(file) }
        }
        XCTAssertEqual(found, [], "SQL outside its feature's store file")
    }
}
