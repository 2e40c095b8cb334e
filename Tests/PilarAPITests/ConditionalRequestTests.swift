import XCTest
import PilarCore
@testable import PilarAPI

/// The conditional-request module (PilarAPI/Conditional) against RFC 9110's own examples, and
/// over HTTP: If-Match compares strongly, If-None-Match weakly, on every versioned resource;
/// a stale writer learns the current ETag.
final class ConditionalRequestTests: XCTestCase {
    // RFC 9110 §8.8.3: `ETag: "xyzzy"`, `ETag: W/"xyzzy"`, `ETag: ""`.
    func testEntityTagsOfTheRFCExamples() {
        XCTAssertEqual(EntityTag.parse("\"xyzzy\""), EntityTag("xyzzy"))
        XCTAssertEqual(EntityTag.parse("W/\"xyzzy\""), EntityTag("xyzzy", weak: true))
        XCTAssertEqual(EntityTag.parse("\"\""), EntityTag(""))
        XCTAssertEqual(EntityTag("xyzzy", weak: true).description, "W/\"xyzzy\"")
        XCTAssertEqual(EntityTag(VersionTag("r1.2")).description, "\"r1.2\"")
        for bad in ["xyzzy", "\"open", "w/\"x\"", "W/x", "\"a\"b", "\"a b\"", "\"a\" \"b\"", "", "\"a\",\"b\""] {
            XCTAssertNil(EntityTag.parse(bad), bad)
        }
    }

    // RFC 9110 §8.8.3.2, the comparison table.
    func testTheRFCComparisonTable() {
        let table: [(String, String, strong: Bool, weak: Bool)] = [
            ("W/\"1\"", "W/\"1\"", false, true),
            ("W/\"1\"", "W/\"2\"", false, false),
            ("W/\"1\"", "\"1\"", false, true),
            ("\"1\"", "\"1\"", true, true),
        ]
        for (a, b, strong, weak) in table {
            let x = EntityTag.parse(a)!, y = EntityTag.parse(b)!
            XCTAssertEqual(x.strongMatch(y), strong, "\(a) \(b) strong")
            XCTAssertEqual(y.strongMatch(x), strong, "\(b) \(a) strong")
            XCTAssertEqual(x.weakMatch(y), weak, "\(a) \(b) weak")
            XCTAssertEqual(y.weakMatch(x), weak, "\(b) \(a) weak")
        }
    }

    // RFC 9110 §13.1.1 and §13.1.2, the header examples.
    func testIfMatchAndIfNoneMatchOfTheRFCExamples() {
        let xyzzy = EntityTag("xyzzy"), other = EntityTag("other")
        let one = EntityTagList.parse("\"xyzzy\"")
        let three = EntityTagList.parse("\"xyzzy\", \"r2d2xxxx\", \"c3piozzzz\"")
        let weakThree = EntityTagList.parse("W/\"xyzzy\", W/\"r2d2xxxx\", W/\"c3piozzzz\"")
        XCTAssertEqual(three, .tags([EntityTag("xyzzy"), EntityTag("r2d2xxxx"), EntityTag("c3piozzzz")]))
        XCTAssertEqual(EntityTagList.parse("*"), .any)
        XCTAssertEqual(EntityTagList.parse(" * "), .any)
        XCTAssertEqual(EntityTagList.parse("\"a\", ,\"b\","), .tags([EntityTag("a"), EntityTag("b")]), "empty list elements")
        for bad in ["*, \"a\"", "\"a\", *", "", " , ", "\"a\" junk", "\"a\", junk", "W/", "0"] {
            XCTAssertNil(EntityTagList.parse(bad), bad)
        }
        // If-Match: strong comparison; `*` needs a current representation.
        XCTAssertTrue(one!.ifMatch(xyzzy))
        XCTAssertTrue(three!.ifMatch(xyzzy))
        XCTAssertFalse(three!.ifMatch(other))
        XCTAssertFalse(weakThree!.ifMatch(xyzzy), "a weak tag never matches strongly")
        XCTAssertFalse(one!.ifMatch(EntityTag("xyzzy", weak: true)))
        XCTAssertTrue(EntityTagList.any.ifMatch(other))
        XCTAssertFalse(EntityTagList.any.ifMatch(nil))
        // If-None-Match: weak comparison; `*` fails when anything is current.
        XCTAssertTrue(EntityTagList.parse("W/\"xyzzy\"")!.noneMatchFails(xyzzy))
        XCTAssertTrue(weakThree!.noneMatchFails(EntityTag("r2d2xxxx")))
        XCTAssertFalse(three!.noneMatchFails(other))
        XCTAssertTrue(EntityTagList.any.noneMatchFails(other))
        XCTAssertFalse(EntityTagList.any.noneMatchFails(nil))
        XCTAssertTrue(Conditional.notModified("\"a\", W/\"r1.2\"", VersionTag("r1.2")))
        XCTAssertFalse(Conditional.notModified("\"r1.2\" junk", VersionTag("r1.2")), "malformed: never a 304")
    }

    func testEveryVersionedResourceComparesTheSameWay() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let created = c.post("/v1/psks", PSKSRecordAPITests.tagana(serial: 977))
        XCTAssertEqual(created.status, 201, created.text)
        let path = "/v1/psks/\(created["id"]?.intValue ?? 0)"
        let etag = try XCTUnwrap(created.header("ETag"))
        // Reads: weak comparison, so W/ of the current tag is a 304 too; `*` as well.
        XCTAssertEqual(c.get(path, headers: [("If-None-Match", "W/" + etag)]).status, 304)
        XCTAssertEqual(c.get(path, headers: [("If-None-Match", "\"x\", " + etag)]).status, 304)
        XCTAssertEqual(c.get(path, headers: [("If-None-Match", "*")]).status, 304)
        XCTAssertEqual(c.get(path, headers: [("If-None-Match", "\"x\"")]).status, 200)
        // Writes: strong comparison, so W/ of the current tag is refused, and says what is current.
        let weak = c.patch(path, ["notes": "a"], headers: [("If-Match", "W/" + etag)])
        XCTAssertEqual(weak.status, 412, weak.text)
        XCTAssertEqual(weak["current_etag"]?.stringValue, etag)
        XCTAssertEqual(c.patch(path, ["notes": "a"], headers: [("If-None-Match", "\"x\"")]).status, 400)
        XCTAssertEqual(c.patch(path, ["notes": "a"], headers: [("If-None-Match", "*")]).status, 412, "it exists")
        let ok = c.patch(path, ["notes": "a"], headers: [("If-Match", "\"x\", " + etag)])
        XCTAssertEqual(ok.status, 200, ok.text)
        XCTAssertNotEqual(ok.header("ETag"), etag)
        XCTAssertEqual(c.patch(path, ["notes": "b"], headers: [("If-Match", "*")]).status, 200)
    }

    func testAReportAnswerMapsItsOutcome() throws {
        let clock = ReportClock("2026-11-05T03:00:00Z")
        let s = try reportServer(clock)
        defer { s.stop() }
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        let path = "/v1/reports/32.74.01/2026-10"
        let created = tksk.put(path, reportBody(), headers: [("If-None-Match", "*")])
        XCTAssertEqual(created.status, 201, created.text)
        let etag = try XCTUnwrap(created.header("ETag"))
        XCTAssertEqual(tksk.put(path, reportBody(), headers: [("If-Match", etag)]).status, 200, "unchanged")
        let weak = tksk.put(path, reportBody(lut: 1), headers: [("If-Match", "W/" + etag)])
        XCTAssertEqual(weak.status, 412)
        XCTAssertEqual(weak["current_etag"]?.stringValue, etag)
        XCTAssertEqual(weak["current_version"], 1)
        let key = [("Idempotency-Key", "abc-1"), ("If-Match", etag)]
        let submitted = tksk.request("POST", path + "/submit", headers: key)
        XCTAssertEqual(submitted.status, 200, submitted.text)
        let replay = tksk.request("POST", path + "/submit", headers: key)
        XCTAssertEqual(replay.status, 200)
        XCTAssertEqual(replay.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(replay.header("ETag"), submitted.header("ETag"))
        XCTAssertEqual(replay.text, submitted.text)
    }
}
