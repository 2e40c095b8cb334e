import Foundation
import PilarCore
import SQLiteStore
import XCTest

/// SQL metacharacters in every path parameter, query parameter and text field of every route:
/// no 5xx, stored verbatim where stored, LIKE wildcards are plain characters, tables intact.
final class HostileSQLTests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    static let payloads = ["' OR 1=1 --", "\"; DROP TABLE psks; --", "%", "_", "\\", "%' OR '1'='1",
                           "x'); DELETE FROM reports; --", "a_b%c\\d'e\"f;--", "1 UNION SELECT secret_hash FROM tokens"]

    /// Every operation (openapi.yaml plus the report routes) with its path and query parameters.
    static let routes: [(method: String, path: String, query: [String])] = [
        ("GET", "/healthz", []), ("GET", "/metrics", []), ("GET", "/openapi.yaml", []), ("GET", "/v1/me", []),
        // The web app's page and its assets (issue 17).
        ("GET", "/", []), ("GET", "/assets/{name}", []),
        ("GET", "/v1/regions", ["parent", "q", "limit"]), ("GET", "/v1/regions/{code}", []),
        ("POST", "/v1/regions/import", ["dry_run", "on_error"]),
        ("POST", "/v1/tokens", []), ("GET", "/v1/tokens", []), ("DELETE", "/v1/tokens/{id}", []),
        ("GET", "/v1/privacy/settings", []), ("PATCH", "/v1/privacy/settings", []),
        ("POST", "/v1/privacy/subject-report", []), ("GET", "/v1/privacy/breach-scope", ["token_id", "from", "until"]),
        ("GET", "/v1/audit", ["entity", "id", "since", "limit", "cursor"]),
        ("GET", "/v1/catalog/psks-types", []), ("GET", "/v1/catalog/pmks-categories", []),
        ("POST", "/v1/psks", []), ("GET", "/v1/psks", ["type", "region", "status", "q", "education", "limit", "cursor"]),
        ("GET", "/v1/psks/export", ["type", "region", "status", "q", "education"]),
        ("POST", "/v1/psks/import", ["type", "dry_run", "on_error"]),
        ("GET", "/v1/psks/{id}", []), ("PATCH", "/v1/psks/{id}", []), ("DELETE", "/v1/psks/{id}", ["reason", "ended_on"]),
        ("GET", "/v1/reports", ["region", "period", "status", "late", "limit", "cursor"]),
        ("POST", "/v1/reports/import", ["dry_run", "on_error"]),
        ("GET", "/v1/reports/{kecamatan}/{period}", []), ("PUT", "/v1/reports/{kecamatan}/{period}", []),
        ("GET", "/v1/reports/{kecamatan}/{period}/history", ["limit", "cursor"]),
        ("POST", "/v1/reports/{kecamatan}/{period}/submit", []), ("POST", "/v1/reports/{kecamatan}/{period}/verify", []),
        ("POST", "/v1/reports/{kecamatan}/{period}/return", []),
        // Capacity building (issue 7).
        ("GET", "/v1/training-programmes", []), ("POST", "/v1/training-programmes", []),
        ("PATCH", "/v1/training-programmes/{code}", []),
        ("POST", "/v1/trainings", []), ("GET", "/v1/trainings", ["programme", "level", "status", "region", "year", "limit", "cursor"]),
        ("GET", "/v1/trainings/{id}", []), ("PATCH", "/v1/trainings/{id}", []),
        ("POST", "/v1/trainings/{id}/participants", ["dry_run", "on_error"]), ("GET", "/v1/trainings/{id}/participants", ["limit", "cursor"]),
        ("PATCH", "/v1/trainings/{id}/participants/{psks_id}", []), ("GET", "/v1/psks/{id}/trainings", []),
        ("POST", "/v1/psks/{id}/awards", []), ("GET", "/v1/psks/{id}/awards", []),
        ("POST", "/v1/psks/{id}/equipment", []), ("GET", "/v1/psks/{id}/equipment", []),
        ("POST", "/v1/ipsm", []), ("GET", "/v1/ipsm", ["region", "limit", "cursor"]),
        ("GET", "/v1/ipsm/{id}", []), ("PATCH", "/v1/ipsm/{id}", []),
        ("PUT", "/v1/ipsm/{id}/members/{psks_id}", []), ("DELETE", "/v1/ipsm/{id}/members/{psks_id}", []),
        // Spreadsheets (issue 18).
        ("GET", "/v1/psks/export.xlsx", ["type", "region", "status", "q", "education"]),
        ("GET", "/v1/templates/psks/{type}", []), ("GET", "/v1/templates/attendance", []),
        ("GET", "/v1/templates/attendance.xlsx", []), ("GET", "/v1/templates/attendance.csv", []),
        ("GET", "/v1/templates/reports/{kecamatan}/{period}", []),
        ("GET", "/v1/imports/jobs/{id}", []), ("GET", "/v1/imports/rejected/{id}", []),
    ] + ["", ".csv", ".xlsx"].flatMap { suffix -> [(method: String, path: String, query: [String])] in [
        ("GET", "/v1/stats/pmks" + suffix, ["region", "period", "period_to", "by", "category", "status", "level"]),
        ("GET", "/v1/stats/psks" + suffix, ["region", "by", "type", "level", "source", "period", "period_to", "status"]),
        ("GET", "/v1/stats/completeness" + suffix, ["region", "period", "period_to", "level", "list", "table", "limit"]),
        ("GET", "/v1/stats/capacity" + suffix, ["region", "year", "by", "level", "list", "table"]),
    ] }

    /// Sane values for the parts a payload does not replace.
    static let sample = ["code": "32.74.01", "id": "1", "name": "core.js", "kecamatan": "32.74.01", "period": "2026-10", "psks_id": "1", "type": "PSM"]

    private func counts() throws -> [String: Int] {
        try s.pilar.db.read { c in
            var out: [String: Int] = [:]
            for t in ["regions", "tokens", "audit_log", "psks_types", "psks", "pmks_categories", "reports", "report_versions"] {
                out[t] = try c.queryOne("SELECT count(*) AS n FROM \(t)")?.int("n") ?? -1
            }
            out["integrity"] = try c.queryOne("PRAGMA integrity_check")?.string(0) == "ok" ? 1 : 0
            return out
        }
    }

    private func assertTablesIntact(since before: [String: Int], file: StaticString = #filePath, line: UInt = #line) throws {
        let after = try counts()
        XCTAssertEqual(after["integrity"], 1, "PRAGMA integrity_check", file: file, line: line)
        for (table, n) in before where table != "integrity" {
            XCTAssertGreaterThanOrEqual(after[table] ?? -1, n, "\(table) lost rows", file: file, line: line)
        }
        XCTAssertEqual(after["psks_types"], before["psks_types"], file: file, line: line)
        XCTAssertEqual(after["pmks_categories"], before["pmks_categories"], file: file, line: line)
    }

    /// Every payload in every path and query parameter of every route; bodies get an empty object.
    func testPayloadsInEveryPathAndQueryParameter() throws {
        let before = try counts()
        var requests = 0
        for route in Self.routes {
            let names = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            func target(_ replaced: String?, _ payload: String, query: String = "") -> String {
                var p = route.path
                for n in names { p = p.replacingOccurrences(of: "{\(n)}", with: n == replaced ? Hostile.percent(payload) : Self.sample[n]!) }
                return p + query
            }
            let body: JSON? = ["POST", "PUT", "PATCH"].contains(route.method) ? .object(JSONObject()) : nil
            for payload in Self.payloads {
                var targets = names.map { target($0, payload) }
                targets += route.query.map { target(nil, payload, query: "?\($0)=\(Hostile.percent(payload))") }
                if !route.query.isEmpty {
                    targets.append(target(nil, payload, query: "?" + route.query.map { "\($0)=\(Hostile.percent(payload))" }.joined(separator: "&")))
                }
                for t in targets {
                    let r = s.client().request(route.method, t, json: body)
                    requests += 1
                    assertNoServerError(r, "\(route.method) \(t)")
                    if r.status >= 400 { assertClientProblem(r, "\(route.method) \(t)") }
                }
            }
        }
        XCTAssertGreaterThan(requests, 500)
        try assertTablesIntact(since: before)
        // Read-only routes and refused writes changed nothing.
        XCTAssertEqual(try counts()["psks"], before["psks"])
        XCTAssertEqual(try counts()["reports"], before["reports"])
    }

    /// The route table above must list every operation and query parameter of openapi.yaml.
    func testRouteTableCoversTheOpenAPIDocument() throws {
        let spec = try String(contentsOfFile: #filePath.components(separatedBy: "/Tests/")[0] + "/openapi.yaml", encoding: .utf8)
        let documented = OpenAPIScan.operations(spec)
        XCTAssertGreaterThan(documented.count, 20)
        let table = Dictionary(Self.routes.map { ("\($0.method) \($0.path)", Set($0.query)) }, uniquingKeysWith: { $0.union($1) })
        for (op, query) in documented {
            guard let mine = table[op] else { XCTFail("\(op) is in openapi.yaml but not in the hostile route table"); continue }
            XCTAssertTrue(query.isSubset(of: mine), "\(op): query parameters \(query.subtracting(mine).sorted()) are not exercised")
        }
    }

    /// Text fields keep every payload exactly as sent, and searching for it finds only it.
    func testPayloadsInTextFieldsAreStoredVerbatim() throws {
        let before = try counts()
        let c = s.client()
        for (i, payload) in Self.payloads.enumerated() {
            // An institution: every free-text field of its kind.
            let lks: JSON = ["type": "LKS", "name": .string("Yayasan \(i) \(payload)"), "address": .string(payload),
                             "head": .string(payload), "registration_number": .string(payload), "notes": .string(payload),
                             "region": "32.74.01", "legal_entity": false]
            let made = c.post("/v1/psks", lks)
            XCTAssertEqual(made.status, 201, "LKS with \(payload): \(made.text)")
            let id = made["id"]?.intValue ?? 0
            let got = c.get("/v1/psks/\(id)")
            for f in ["address", "head", "registration_number", "notes"] { XCTAssertEqual(got[f], .string(payload), "\(f) of \(payload)") }
            XCTAssertEqual(got["name"], .string("Yayasan \(i) \(payload)"))
            // A phone may have rules of its own; either way no 5xx, and verbatim if taken.
            let phone = c.patch("/v1/psks/\(id)", ["phone": .string(payload)])
            assertNoServerError(phone, "phone \(payload)")
            if phone.status == 200 { XCTAssertEqual(c.get("/v1/psks/\(id)")["phone"], .string(payload)) }
            // Ending it with the payload as the reason, in the query string.
            let ended = c.request("DELETE", "/v1/psks/\(id)?reason=\(Hostile.percent(payload))")
            XCTAssertEqual(ended.status, 200, ended.text)
            XCTAssertEqual(c.get("/v1/psks/\(id)")["end_reason"], .string(payload))

            // A person, found again by a search for exactly its name.
            let tagana = PSKSRecordAPITests.tagana(serial: 300 + i, name: "Rahmat \(payload)")
            let person = c.post("/v1/psks", tagana)
            XCTAssertEqual(person.status, 201, "TAGANA named \(payload): \(person.text)")
            XCTAssertEqual(c.get("/v1/psks/\(person["id"]?.intValue ?? 0)")["name"], .string("Rahmat \(payload)"))
            let found = c.get("/v1/psks?q=\(Hostile.percent("Rahmat \(payload)"))")["items"]?.arrayValue ?? []
            XCTAssertEqual(found.compactMap { $0["name"]?.stringValue }, ["Rahmat \(payload)"], "search for \(payload)")

            // A token's name.
            let token = c.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": .string(payload)])
            XCTAssertEqual(token.status, 201, token.text)
            XCTAssertEqual(token["name"], .string(payload))

            // A report's free text: notes and an activity.
            let body: JSON = ["notes": ["kendala": .string(payload), "tindak_lanjut": .string(payload)],
                              "activities": [["kind": "pendampingan", "date": "2026-06-14", "description": .string(payload), "participants": 3]]]
            let put = c.put("/v1/reports/32.74.01/2026-06", body)
            XCTAssertTrue([200, 201].contains(put.status), "report with \(payload): \(put.text)")
            let report = c.get("/v1/reports/32.74.01/2026-06")
            XCTAssertEqual(report["notes"]?["kendala"], .string(payload), report.text)
            XCTAssertEqual(report["activities"]?.arrayValue?.first?["description"], .string(payload))

            // A region's name through the CSV import (quoted as CSV quotes).
            let quoted = "\"" + "Kec \(payload)".replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let imported = c.csv("/v1/regions/import", "code,name,level,parent_code\n32.74.\(20 + i),\(quoted),kecamatan,32.74\n")
            XCTAssertEqual(imported.status, 200, imported.text)
            XCTAssertEqual(c.get("/v1/regions/32.74.\(20 + i)")["name"], .string("Kec \(payload)"))
        }
        // Returning a submitted demo report with the payloads as the reason and a note.
        let all = Self.payloads.joined(separator: " ")
        let returned = c.post("/v1/reports/32.74.01/2026-10/return",
                              ["reason": .string(all), "notes": [["field": "pmks[0].male", "message": .string(all)]]])
        assertNoServerError(returned, "return with payloads")
        if returned.status == 200 {
            XCTAssertTrue(c.get("/v1/reports/32.74.01/2026-10/history").text.contains(String(decoding: JSON.string(all).encoded(), as: UTF8.self).dropFirst().dropLast()))
        }
        try assertTablesIntact(since: before)
        XCTAssertEqual(try counts()["psks"], (before["psks"] ?? 0) + 2 * Self.payloads.count)
    }

    /// `%`, `_` and `\` in q= and the audit filters are characters, not patterns.
    func testWildcardsMatchOnlyThemselves() throws {
        let c = s.client()
        let total = c.get("/v1/psks?limit=500")["items"]?.arrayValue?.count ?? 0
        XCTAssertGreaterThan(total, 3, "the demo register has records to match")
        for q in ["%", "_", "\\", "%%", "_%", "%a", "\\%", "*", "?", "[a-z]"] {
            let items = c.get("/v1/psks?limit=500&q=\(Hostile.percent(q))")["items"]?.arrayValue ?? []
            XCTAssertEqual(items.count, 0, "q=\(q) matched \(items.compactMap { $0["name"]?.stringValue }.prefix(5))")
            let export = c.get("/v1/psks/export?q=\(Hostile.percent(q))")
            XCTAssertEqual(export.status, 200)
            XCTAssertEqual(export.text.split(separator: "\n").count, 1, "export q=\(q) is only the header")
            let audit = c.get("/v1/audit?id=\(Hostile.percent(q))")
            XCTAssertEqual(audit.status, 200, audit.text)
            XCTAssertEqual(audit["items"]?.arrayValue?.count, 0, "audit id=\(q)")
            // entity takes only the names the log uses (openapi lists them).
            XCTAssertEqual(c.get("/v1/audit?entity=\(Hostile.percent(q))").status, 400, "audit entity=\(q)")
        }
        // Records whose names begin with the wildcard characters are found by them, and only they.
        for (i, name) in ["%Persen Sejahtera", "_Garis Bawah", "\\Miring"].enumerated() {
            let made = c.post("/v1/psks", ["type": "LKS", "name": .string(name), "address": "Jl. Kenari", "head": "Ketua",
                                           "region": .string("32.74.0\(i + 1)"), "legal_entity": false])
            XCTAssertEqual(made.status, 201, made.text)
        }
        for (q, want) in [("%", ["%Persen Sejahtera"]), ("_", ["_Garis Bawah"]), ("\\", ["\\Miring"]), ("%p", ["%Persen Sejahtera"])] {
            let items = c.get("/v1/psks?limit=500&q=\(Hostile.percent(q))")["items"]?.arrayValue ?? []
            XCTAssertEqual(items.compactMap { $0["name"]?.stringValue }, want, "q=\(q)")
        }
    }
}

/// A small reader of openapi.yaml's paths: operations and the query parameters each documents
/// (inline, or by `$ref` to components/parameters). Enough for this file's layout, not YAML at large.
enum OpenAPIScan {
    static func operations(_ spec: String) -> [String: Set<String>] {
        let lines = spec.components(separatedBy: "\n")
        // components/parameters: Name -> query parameter name.
        var refs: [String: String] = [:]
        var current: String?
        var inParameters = false
        for line in lines {
            if line.hasPrefix("  ") && !line.hasPrefix("   ") { inParameters = line == "  parameters:" }
            guard inParameters else { continue }
            if line.hasPrefix("    ") && !line.hasPrefix("     "), line.hasSuffix(":") {
                current = String(line.dropFirst(4).dropLast())
            } else if let c = current, let r = line.range(of: "name: ") {
                refs[c] = String(line[r.upperBound...]).trimmingCharacters(in: .whitespaces)
            } else if let c = current, line.contains("in:"), !line.contains("in: query") {
                refs[c] = nil
            }
        }
        var ops: [String: Set<String>] = [:]
        var path: String?
        var op: String?
        var inPaths = false
        for (i, line) in lines.enumerated() {
            if !line.hasPrefix(" ") && !line.hasPrefix("#") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
                op = nil
            } else if let p = path, let m = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                op = "\(m.uppercased()) \(p)"
                ops[op!] = ops[op!] ?? []
            } else if let o = op {
                if let r = line.range(of: "#/components/parameters/") {
                    let name = line[r.upperBound...].prefix { $0.isLetter || $0.isNumber }
                    if let q = refs[String(name)] { ops[o]!.insert(q) }
                } else if let r = line.range(of: "name: ") {
                    let name = String(line[r.upperBound...].prefix { $0 != "," && $0 != "}" && $0 != " " })
                    let sameLine = line.contains("in: query")
                    let nextLine = i + 1 < lines.count && lines[i + 1].contains("in: query")
                    if sameLine || (nextLine && line.trimmingCharacters(in: .whitespaces).hasPrefix("- name:")) { ops[o]!.insert(name) }
                }
            }
        }
        return ops
    }
}
