import Foundation
import PilarCore
import XCTest

/// Attack 5 of issue 12, as functions: content caps with their codes, drafts saved again in
/// one sitting collapsing into one version, the version cap, and history pages.
final class ReportBoundsTests: XCTestCase {
    var s: TestServer!
    let clock = ReportClock("2026-11-05T03:00:00Z")
    let path = "/v1/reports/32.74.01/2026-10"
    override func setUpWithError() throws { s = try reportServer(clock) }
    override func tearDown() { s.stop() }

    /// A valid body with `n` activities of `description`.
    static func body(lut: Int64 = 12, activities n: Int = 1, description: String = "Pendampingan lansia") -> JSON {
        guard case .object(var o) = reportBody(lut: lut) else { return .null }
        o["activities"] = .array((0..<n).map { _ in
            ["kind": "pendampingan", "date": "2026-10-14", "description": .string(description), "participants": 3]
        })
        return .object(o)
    }

    func minutes(_ m: Int) { clock.set(Clock.timestamp(Clock.parseTimestamp("2026-11-05T03:00:00Z")!.addingTimeInterval(Double(m) * 60))) }

    func testContentCapsAre422NamingTheLimit() throws {
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"), language: "en")  // the English words are asserted
        let many = tksk.put(path, Self.body(activities: ReportLimits.maxActivities + 1))
        assertClientProblem(many, "101 activities", expect: [422])
        XCTAssertEqual(many.errorCodes, ["too_many_activities"])
        XCTAssertEqual(many.errorFields, ["activities"])
        XCTAssertTrue(many["detail"]?.stringValue?.contains("at most 100 activities") ?? false, many.text)
        XCTAssertTrue(s.client(token: try s.token(.tksk, "32.74.01")).put(path, Self.body(activities: ReportLimits.maxActivities + 1))["detail"]?
            .stringValue?.contains("paling banyak 100 kegiatan") ?? false, "Indonesian without Accept-Language")

        // 100 activities of 2,000 two-byte characters: every field in range, the whole too large.
        let large = tksk.put(path, Self.body(activities: 100, description: String(repeating: "é", count: 2000)))
        assertClientProblem(large, "400 KB of content", expect: [422])
        XCTAssertEqual(large.errorCodes, ["content_too_large"])
        XCTAssertTrue(large["detail"]?.stringValue?.contains("256 KiB") ?? false, large.text)
        XCTAssertEqual(tksk.get(path).status, 404, "nothing was stored")

        // At the limits it is stored.
        let full = tksk.put(path, Self.body(activities: 100, description: String(repeating: "a", count: 2000)))
        XCTAssertEqual(full.status, 201, full.text)
    }

    func testDraftSavesInOneSittingAreOneVersion() throws {
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let first = tksk.put(path, Self.body(lut: 1))
        XCTAssertEqual(first.status, 201)
        minutes(5)
        let second = tksk.put(path, Self.body(lut: 2))
        XCTAssertEqual(second.status, 200, second.text)
        XCTAssertEqual(second["version"], 1, "saved again in the same sitting")
        XCTAssertNotEqual(second.header("ETag"), first.header("ETag"), "the ETag still moves")
        XCTAssertEqual(tksk.put(path, Self.body(lut: 3), headers: [("If-Match", first.header("ETag")!)]).status, 412)
        minutes(14)  // 9 minutes after the last save: the window runs from the latest save
        XCTAssertEqual(tksk.put(path, Self.body(lut: 3))["version"], 1)
        var h = tksk.get(path + "/history")
        XCTAssertEqual(h["items"]?.arrayValue?.count, 1)
        XCTAssertEqual(h["items"]?.arrayValue?[0]["created_at"], "2026-11-05T03:14:00.000Z")
        XCTAssertEqual(tksk.get(path)["pmks"]?.arrayValue?[0]["male"], 3, "the latest save is what is stored")

        minutes(25)  // a later sitting
        XCTAssertEqual(tksk.put(path, Self.body(lut: 4))["version"], 2)
        XCTAssertEqual(dinas.put(path, Self.body(lut: 5))["version"], 3, "another person's save is its own version")
        XCTAssertEqual(tksk.put(path, Self.body(lut: 6))["version"], 4, "and so is the next one after it")

        // Submit and return: the correction is a new version, then collapses again.
        XCTAssertEqual(tksk.post(path + "/submit", [:]).status, 200)
        XCTAssertEqual(dinas.post(path + "/return", ["reason": "cek LUT"]).status, 200)
        XCTAssertEqual(tksk.put(path, Self.body(lut: 7))["version"], 5)
        XCTAssertEqual(tksk.put(path, Self.body(lut: 8))["version"], 5)
        h = tksk.get(path + "/history")
        XCTAssertEqual(h["items"]?.arrayValue?.map { $0["version"]?.intValue ?? 0 }, [1, 2, 3, 4, 5])
        XCTAssertEqual(h["items"]?.arrayValue?[4]["changes"]?.arrayValue?.first?["before"], 6)
        XCTAssertEqual(h["items"]?.arrayValue?[4]["changes"]?.arrayValue?.first?["after"], 8)
    }

    func testVersionsAreCapped() throws {
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        for v in 1...ReportLimits.maxVersions {
            minutes(v * 11)
            let r = tksk.put(path, Self.body(lut: Int64(v)))
            XCTAssertEqual(r["version"]?.intValue, Int64(v), r.text)
        }
        let same = tksk.put(path, Self.body(lut: 999))
        XCTAssertEqual(same.status, 200, "a save in the same sitting still goes")
        minutes((ReportLimits.maxVersions + 1) * 11)
        let refused = tksk.put(path, Self.body(lut: 1000))
        assertClientProblem(refused, "version 101", expect: [409])
        XCTAssertEqual(refused["code"], "version_limit")
        XCTAssertEqual(refused["limit"], 100)
        XCTAssertEqual(tksk.get(path)["pmks"]?.arrayValue?[0]["male"], 999)
    }

    func testHistoryIsPaged() throws {
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        for v in 1...25 {
            minutes(v * 11)
            XCTAssertEqual(tksk.put(path, Self.body(lut: Int64(v)))["version"]?.intValue, Int64(v))
        }
        var seen: [Int64] = []
        var next: String? = path + "/history"
        var pages = 0
        while let url = next {
            let page = tksk.get(url)
            XCTAssertEqual(page.status, 200, page.text)
            XCTAssertEqual(page["version"], 25)
            XCTAssertEqual(page["kecamatan"], "32.74.01")
            let items = page["items"]?.arrayValue ?? []
            XCTAssertLessThanOrEqual(items.count, ReportService.historyDefault)
            for item in items {
                let v = item["version"]?.intValue ?? 0
                seen.append(v)
                if v > 1 {  // each version's change is against the one before, across pages too
                    XCTAssertEqual(item["changes"]?.arrayValue?.first?["before"]?.intValue, v - 1, "version \(v)")
                    XCTAssertEqual(item["changes"]?.arrayValue?.first?["after"]?.intValue, v)
                }
            }
            pages += 1
            next = page["next_cursor"]?.stringValue.map { path + "/history?cursor=\($0)" }
            if next != nil { XCTAssertTrue(page.header("Link")?.contains("rel=\"next\"") ?? false) }
        }
        XCTAssertEqual(seen, Array(1...25))
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(tksk.get(path + "/history?limit=20")["items"]?.arrayValue?.count, 20)
        assertClientProblem(tksk.get(path + "/history?limit=21"), "limit over the maximum", expect: [400])
        assertClientProblem(tksk.get(path + "/history?cursor=bm9wZQ"), "a made-up cursor", expect: [400])
    }
}

/// Attack 5 beside the normal client: TKSK tokens saving the largest report again and again
/// and reading its history, over a report that already has 20 versions whose every activity
/// changed each time (the largest diffs there can be).
final class HostileReportTests: XCTestCase {
    var s: TestServer!
    let clock = ReportClock("2026-11-05T03:00:00Z")
    override func setUpWithError() throws { s = try reportServer(clock) }
    override func tearDown() { s.stop() }

    func testLargestReportsSavedAndReadInLoops() throws {
        let s = self.s!
        let path = "/v1/reports/32.74.01/2026-10"
        let writer = s.client(token: try s.token(.tksk, "32.74.01"))
        for v in 1...20 {
            clock.set(Clock.timestamp(Clock.parseTimestamp("2026-11-05T03:00:00Z")!.addingTimeInterval(Double(v) * 660)))
            let letter = v % 2 == 0 ? "a" : "b"
            let r = writer.put(path, ReportBoundsTests.body(lut: Int64(v), activities: 100, description: String(repeating: letter, count: 1000)))
            XCTAssertEqual(r["version"]?.intValue, Int64(v), r.text.prefix(200).description)
        }
        // A page of the largest versions ends early (1 MiB of stored content), with a cursor on.
        let big = writer.get(path + "/history?limit=20")
        XCTAssertLessThan(big["items"]?.arrayValue?.count ?? 20, 20, "a page of large versions ends before the limit")
        XCTAssertNotNil(big["next_cursor"]?.stringValue, "and says where to go on")
        let tokens = try (0..<Hostile.scaled(8)).map { _ in try s.token(.tksk, "32.74.01") }
        let saves = HostileCounter(), pages = HostileCounter(), refused = HostileCounter()
        var largestPage = 0
        let lock = NSLock()
        // The server runs in a process of its own for this attack, so the memory bounds are the
        // server's alone (in the test process the attackers' 100 KB bodies and history pages
        // would count too): the 200 MB at the peak.
        var bounds = HostileBounds()
        bounds.ownProcess = true
        bounds.rssPeak = 200 << 20
        Hostile.attack(s, "largest reports in loops", seconds: Hostile.seconds(4), bounds: bounds) { stop in
            DispatchQueue.concurrentPerform(iterations: tokens.count) { i in
                let c = s.client(token: tokens[i])
                var n = 0
                while !stop.isSet {
                    n += 1
                    switch n % 3 {
                    case 1:  // one activity too many: refused before it is validated or stored
                        let r = c.put(path, ReportBoundsTests.body(activities: 101, description: String(repeating: "x", count: 1000)))
                        if r.status == 422 { refused.add(1) }
                    case 2:
                        let r = c.put(path, ReportBoundsTests.body(lut: Int64(n), activities: 100,
                                                                   description: String(repeating: "c", count: 1000)))
                        if r.status == 200 { saves.add(1) }
                    default:
                        let r = c.get(path + "/history?limit=20")
                        if r.status == 200 { pages.add(1) }
                        lock.locked { largestPage = max(largestPage, r.body.count) }
                    }
                }
            }
        }
        XCTAssertGreaterThan(saves.value, 0)
        XCTAssertGreaterThan(pages.value, 0)
        XCTAssertGreaterThan(refused.value, 0)
        // A token's saves collapse only while its own is the latest version, so interleaved
        // attackers make new versions until the cap: the cap is the bound.
        let version = writer.get(path)["version"]?.intValue ?? 0
        XCTAssertLessThanOrEqual(version, Int64(ReportLimits.maxVersions), "versions after the attack")
        XCTAssertLessThan(largestPage, 20 << 20, "one history page of the largest versions")
    }
}
