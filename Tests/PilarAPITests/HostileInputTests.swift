import Foundation
import PilarCore
import XCTest

/// Malformed values end to end: invalid UTF-8 and NUL bytes in paths, queries, headers and JSON;
/// JSON nested 10,000 deep; numbers out of range. Always a 4xx problem+json, never a 5xx.
final class HostileInputTests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    /// Bytes that are not UTF-8 (lone continuation, truncated sequence, overlong "/", surrogate, > U+10FFFF) and NUL.
    static let badBytes: [(String, [UInt8])] = [
        ("0xFF", [0xFF, 0xFE]), ("lone continuation", [0x80]), ("truncated", [0xE2, 0x82]),
        ("overlong slash", [0xC0, 0xAF]), ("surrogate", [0xED, 0xA0, 0x80]), ("beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ("NUL", [0x00]),
    ]

    private func send(_ bytes: [UInt8]) -> HostileOutcome { Hostile.exchange(s, bytes) }

    func testBadBytesInPathsAndQueries() throws {
        let paths = ["/v1/regions/32.74", "/v1/psks/1", "/v1/reports/32.74.01/2026-10", "/v1/tokens/1"]
        let queries = ["/v1/psks?q=", "/v1/psks?region=", "/v1/regions?parent=", "/v1/audit?since=", "/v1/audit?entity=",
                       "/v1/stats/pmks?region=", "/v1/stats/psks?type=", "/v1/stats/completeness?period=", "/v1/reports?period=",
                       "/v1/psks/export?type=", "/v1/psks?limit=", "/v1/psks?cursor="]
        for (name, bad) in Self.badBytes {
            for path in paths {
                for method in ["GET", "DELETE"] {
                    // Raw in the target: the parser refuses; percent-encoded: the route does.
                    let raw = send(Hostile.head(s, method, Array(path.utf8) + bad))
                    assertClientProblem(raw.response, "\(method) \(path) + raw \(name)")
                    let encoded = send(Hostile.head(s, method, Array((path + Hostile.percent(bad)).utf8)))
                    assertClientProblem(encoded.response, "\(method) \(path) + %-encoded \(name)")
                }
            }
            for q in queries {
                let raw = send(Hostile.head(s, "GET", Array(q.utf8) + Array("ab".utf8) + bad))
                XCTAssertTrue((200..<500).contains(raw.status), "\(q) raw \(name): \(raw.status)")
                let encoded = send(Hostile.head(s, "GET", Array((q + "ab" + Hostile.percent(bad)).utf8)))
                XCTAssertTrue((200..<500).contains(encoded.status), "\(q) %-encoded \(name): \(encoded.status) \(encoded.response.text.prefix(200))")
                if encoded.status >= 400 { assertClientProblem(encoded.response, "\(q) %-encoded \(name)") }
            }
        }
        XCTAssertEqual(s.client().get("/healthz").status, 200)
    }

    func testBadBytesInHeaders() throws {
        for (name, bad) in Self.badBytes {
            let value = Array("x".utf8) + bad + Array("y".utf8)
            func with(_ header: String, _ method: String = "GET", _ target: String = "/v1/me", body: [UInt8] = []) -> HostileOutcome {
                var h = Array("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".utf8)
                if header != "Authorization" { h += Array("Authorization: Bearer \(s.adminToken)\r\n".utf8) }
                h += Array("\(header): ".utf8) + value + Array("\r\n".utf8)
                if !body.isEmpty { h += Array("Content-Length: \(body.count)\r\n".utf8) }
                return send(h + Array("\r\n".utf8) + body)
            }
            // Headers whose value matters: refused.
            assertClientProblem(with("Authorization").response, "Authorization with \(name)", expect: [400, 401])
            let body = Array(PSKSRecordAPITests.tagana(serial: 979).encoded())
            assertClientProblem(with("Content-Type", "POST", "/v1/psks", body: body).response, "Content-Type with \(name)", expect: [400, 415])
            assertClientProblem(with("If-Match", "PATCH", "/v1/psks/1", body: Array("{\"notes\":\"x\"}".utf8)).response,
                                "If-Match with \(name)", expect: [400, 412])
            assertClientProblem(with("Idempotency-Key", "POST", "/v1/reports/32.74.01/2026-10/submit").response,
                                "Idempotency-Key with \(name)", expect: [400, 409, 422])
            // Headers a route only consults: no server error, whatever the bytes.
            for (header, target) in [("X-Request-Id", "/v1/me"), ("Accept", "/v1/stats/pmks"), ("If-None-Match", "/v1/psks/1"),
                                     ("If-None-Match", "/v1/stats/completeness"), ("X-Forwarded-For", "/healthz")] {
                let r = with(header, "GET", target).response
                XCTAssertTrue((200..<500).contains(r.status), "\(header) with \(name) on \(target): \(r.status)")
                if name == "NUL" { assertClientProblem(r, "NUL in \(header)", expect: [400]) }
            }
        }
    }

    /// Invalid UTF-8 inside JSON strings is a 400 (the parser's); NUL escapes are refused or kept verbatim.
    func testBadBytesInJSONStrings() throws {
        let targets: [(String, String, (String) -> [UInt8])] = [
            ("POST", "/v1/psks", { v in Array("{\"type\":\"TAGANA\",\"name\":\"\(v)\",\"region\":\"32.74.03.1001\"}".utf8) }),
            ("PUT", "/v1/reports/32.74.01/2026-06", { v in Array("{\"notes\":{\"kendala\":\"\(v)\"}}".utf8) }),
            ("POST", "/v1/tokens", { v in Array("{\"role\":\"viewer\",\"region\":\"32.74\",\"name\":\"\(v)\"}".utf8) }),
            ("POST", "/v1/reports/32.74.01/2026-10/return", { v in Array("{\"reason\":\"\(v)\"}".utf8) }),
            ("PATCH", "/v1/psks/1", { v in Array("{\"notes\":\"\(v)\"}".utf8) }),
            ("DELETE", "/v1/psks/1", { v in Array("{\"reason\":\"\(v)\"}".utf8) }),
        ]
        for (method, target, body) in targets {
            for (name, bad) in Self.badBytes {
                // Raw bytes inside the string: never valid JSON text (NUL is an unescaped control character).
                var bytes = body("MARK")
                let mark = TestResponse.find(bytes, Array("MARK".utf8))!
                bytes.replaceSubrange(mark..<mark + 4, with: Array("a".utf8) + bad + Array("b".utf8))
                let raw = send(Hostile.request(s, method, target, body: bytes))
                assertClientProblem(raw.response, "\(method) \(target) raw \(name) in a string", expect: [400])
            }
            // Escapes that decode to something hostile: lone surrogates are invalid JSON; NUL is data.
            for escape in ["\\ud800", "\\udc00x", "\\ud800\\u0041"] {
                let r = send(Hostile.request(s, method, target, body: body(escape)))
                assertClientProblem(r.response, "\(method) \(target) \(escape)", expect: [400])
            }
            let nul = send(Hostile.request(s, method, target, body: body("a\\u0000b"))).response
            assertNoServerError(nul, "\(method) \(target) NUL escape")
        }
        // Where a NUL is stored, it round-trips verbatim (no C-string truncation).
        let made = s.client().post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": "dash\u{0}board"])
        assertNoServerError(made, "token name with NUL")
        if made.status == 201 {
            XCTAssertEqual(made["name"], "dash\u{0}board")
            let listed = s.client().get("/v1/tokens")["items"]?.arrayValue ?? []
            XCTAssertTrue(listed.contains { $0["name"] == "dash\u{0}board" }, "stored verbatim")
        }
    }

    /// A NUL (or any control character other than tab and line breaks), sent raw or as a JSON
    /// escape, is refused before it can reach a name, a note or a CSV export.
    func testControlCharactersInTextFieldsAreRefused() throws {
        let c = s.client()
        for bad in ["a\u{0}b", "a\u{1B}[31mb", "a\u{7}b"] {
            assertClientProblem(c.post("/v1/psks", ["type": "LKS", "name": .string("Yayasan \(bad)"), "address": "Jl", "head": "K",
                                                    "region": "32.74.01", "legal_entity": false]), "PSKS name \(bad.debugDescription)")
            assertClientProblem(c.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": .string(bad)]), "token name")
            assertClientProblem(c.put("/v1/reports/32.74.01/2026-06", ["notes": ["kendala": .string(bad)]]), "report notes")
            // An import answers with its summary (422, nothing written) rather than a problem.
            let imported = c.csv("/v1/regions/import", "code,name,level,parent_code\n32.74.30,Kec \(bad),kecamatan,32.74\n")
            XCTAssertEqual(imported.status, 422, "region name in CSV \(bad.debugDescription)")
            XCTAssertEqual(imported["rejected"]?.intValue, 1)
            XCTAssertEqual(c.get("/v1/regions/32.74.30").status, 404, "nothing written")
        }
    }

    func testJSONNestedTenThousandDeep() throws {
        let deepArray = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let deepObject = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let unclosed = String(repeating: "[", count: 60_000)  // under the smallest body limit (64 KiB)
        let targets = [("POST", "/v1/psks"), ("PATCH", "/v1/psks/1"), ("PUT", "/v1/reports/32.74.01/2026-06"),
                       ("POST", "/v1/tokens"), ("POST", "/v1/reports/32.74.01/2026-10/submit"), ("DELETE", "/v1/psks/1")]
        for (method, target) in targets {
            for (what, body) in [("array", "{\"notes\":\(deepArray)}"), ("object", "{\"notes\":\(deepObject)}"),
                                 ("bare", deepArray), ("unclosed", unclosed)] {
                let r = send(Hostile.request(s, method, target, body: Array(body.utf8))).response
                // DELETE takes 16 KiB at most, so 10,000 levels are refused as too large first.
                assertClientProblem(r, "\(method) \(target) deep \(what)", expect: method == "DELETE" ? [400, 413] : [400])
            }
        }
        // The imports read NDJSON lines with the same parser.
        for target in ["/v1/psks/import", "/v1/regions/import", "/v1/reports/import"] {
            let r = send(Hostile.request(s, "POST", target, body: Array((deepArray + "\n").utf8), contentType: "application/x-ndjson")).response
            assertNoServerError(r, "\(target) deep NDJSON")
            XCTAssertNotEqual(r.status, 200, "\(target): a 10,000-deep line is not a row")
        }
        XCTAssertEqual(s.client().get("/healthz").status, 200)
    }

    func testNumbersOutOfRange() throws {
        let c = s.client()
        let numbers = ["1e400", "-1e400", "99999999999999999999", "-99999999999999999999", "-1", "1.5", "1e2", "-0", "0.0000001", "\"12\"", "true"]
        for n in numbers {
            // Report counts are whole numbers from 0.
            let report = "{\"pmks\":[{\"category\":\"LUT\",\"male\":\(n),\"female\":1}]}"
            let r = send(Hostile.request(s, "PUT", "/v1/reports/32.74.01/2026-06", body: Array(report.utf8))).response
            if n == "1e2" || n == "-0" {
                assertNoServerError(r, "report male \(n)")  // arguably whole; either reading is fine
            } else {
                assertClientProblem(r, "report male \(n)", expect: [400, 422])
            }
            let psks = "{\"psks\":[{\"type\":\"PSM\",\"count\":\(n)}]}"
            let p = send(Hostile.request(s, "PUT", "/v1/reports/32.74.02/2026-06", body: Array(psks.utf8))).response
            if n != "1e2" && n != "-0" { assertClientProblem(p, "report psks count \(n)", expect: [400, 422]) }
            let activity = "{\"activities\":[{\"kind\":\"pendampingan\",\"date\":\"2026-06-14\",\"description\":\"x\",\"participants\":\(n)}]}"
            let a = send(Hostile.request(s, "PUT", "/v1/reports/32.74.03/2026-06", body: Array(activity.utf8))).response
            if n != "1e2" && n != "-0" { assertClientProblem(a, "participants \(n)", expect: [400, 422]) }
            // A PSKS field that takes a whole number of years.
            let penyuluh = "{\"type\":\"PENYULUH\",\"subtype\":\"fungsional\",\"name\":\"Budi\",\"region\":\"32.74.01\",\"extension_experience_years\":\(n)}"
            assertNoServerError(send(Hostile.request(s, "POST", "/v1/psks", body: Array(penyuluh.utf8))).response, "years \(n)")
            // A PSKS field that takes a boolean.
            let lks = "{\"type\":\"LKS\",\"name\":\"Yayasan \(n)\",\"region\":\"32.74.01\",\"legal_entity\":\(n)}"
            let l = send(Hostile.request(s, "POST", "/v1/psks", body: Array(lks.utf8))).response
            if n != "true" { assertClientProblem(l, "legal_entity \(n)", expect: [400, 422]) }
        }
        // In paths and queries.
        for n in ["1e400", "99999999999999999999", "9223372036854775808", "-1", "1.5", "0", "0x10", "1e3", "01%20", "%201"] {
            assertClientProblem(c.get("/v1/psks/\(n)"), "psks id \(n)", expect: [400, 404])
            assertClientProblem(c.request("DELETE", "/v1/tokens/\(n)"), "token id \(n)", expect: [400, 404])
            assertClientProblem(c.get("/v1/psks?limit=\(n)"), "limit \(n)", expect: [400])
            assertClientProblem(c.get("/v1/audit?limit=\(n)"), "audit limit \(n)", expect: [400])
            assertClientProblem(c.get("/v1/reports?limit=\(n)"), "reports limit \(n)", expect: [400])
            assertClientProblem(c.get("/v1/reports/32.74.01/\(n)"), "period \(n)", expect: [400, 404])
            if !n.contains("%20") {  // the dashboards trim spaces around values, by design
                assertClientProblem(c.get("/v1/stats/completeness?period=2026-\(n)"), "stats period 2026-\(n)", expect: [400])
            }
        }
        for period in ["99999-01", "2026-13", "2026-00", "0000-01", "-2026-01", "2026-1", "2026-10-01", "2026-1e1"] {
            assertClientProblem(c.get("/v1/reports/32.74.01/\(period)"), "period \(period)", expect: [400, 404])
            assertClientProblem(c.get("/v1/stats/pmks?period=\(period)"), "stats period \(period)", expect: [400])
        }
        XCTAssertEqual(c.get("/healthz").status, 200)
    }
}
