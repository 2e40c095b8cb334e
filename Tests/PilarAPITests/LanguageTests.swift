import Foundation
import PilarAPI
import PilarCore
import XCTest

/// Accept-Language negotiation (RFC 9110 §12.5.4) and the same bad request in four languages
/// over the real server: same status and code, Indonesian or English words.
final class LanguageTests: XCTestCase {
    func testNegotiation() {
        let cases: [(String?, Language)] = [
            (nil, .id), ("", .id), ("id", .id), ("in", .id), ("id-ID", .id), ("en", .en), ("en-US", .en), ("EN-gb", .en),
            ("fr", .id), ("fr, en;q=0.5", .en), ("en;q=0", .id), ("en;q=0.8, id", .id), ("id;q=0.3, en;q=0.9", .en),
            ("*", .id), ("id;q=0, *", .en), ("en, id", .en), ("id, en", .id), ("*;q=0.5, en", .en),
            ("de-CH, fr;q=0.9, en;q=0.8, *;q=0.5", .en), ("en;q=1.5", .id), ("en;q=abc", .id), ("en;q=0.001", .en),
            ("ja;q=1, en;q=0", .id), (String(repeating: "x-y, ", count: 5000) + "en", .id),
        ]
        for (header, want) in cases { XCTAssertEqual(Language.negotiate(header), want, header ?? "(absent)") }
    }

    func testTheSameBadRequestInFourLanguages() throws {
        let s = try TestServer()
        defer { s.stop() }
        let tksk = try s.token(.tksk, "32.74.01")
        // (method, path, body, token, status, code, an Indonesian word in the detail)
        let requests: [(String, String, JSON?, String?, Int, String, String)] = [
            ("GET", "/v1/reports/32.74.01/2026-13", nil, nil, 400, "period_malformed", "bukan bulan"),
            ("GET", "/v1/no-such-thing", nil, nil, 404, "no_route", "Tidak ada"),
            ("GET", "/v1/reports?limit=9999", nil, nil, 400, "query_number_out_of_range", "bilangan bulat"),
            ("POST", "/v1/tokens", ["role": "tksk", "region": "32.74", "name": "x"], nil, 422, "invalid_fields", "harus"),
            ("GET", "/v1/me", nil, "", 401, "token_missing", "Kirim token"),
            ("POST", "/v1/reports/32.74.01/2020-01/submit", nil, tksk, 404, "report_not_found", "Belum ada laporan"),
            ("GET", "/v1/reports/32.74.02/2026-10", nil, tksk, 403, "outside_reach", "jangkauan"),
            ("PUT", "/v1/reports/32.74.01/2026-10", ["pmks": [["category": 5]]], tksk, 422, "invalid_fields", "harus berupa teks"),
            // The registry, regions, capacity, dashboards, imports (converted after the reports).
            ("GET", "/v1/psks/999999", nil, nil, 404, "psks_record_not_found", "Tidak ada data PSKS"),
            ("POST", "/v1/psks", ["type": "NOPE", "name": "Uji", "region": "32.74.01.1001"], nil, 422, "invalid_fields", "tidak dikenal"),
            ("GET", "/v1/regions/35", nil, nil, 404, "region_not_found", "Tidak ada wilayah"),
            ("GET", "/v1/trainings/999999", nil, nil, 404, "training_not_found", "Tidak ada pelatihan"),
            ("GET", "/v1/stats/pmks?peroid=2026-01", nil, nil, 400, "unknown_parameter", "tidak dikenal"),
            ("POST", "/v1/psks", ["type": "PSM", "name": "Uji", "region": "32.74.01.1001", "nik": "3274015708880002",
                                  "birth_date": "1988-8-17"], nil, 422, "invalid_fields", "bukan tanggal"),
        ]
        for (method, path, body, token, status, code, word) in requests {
            var answers: [String: TestResponse] = [:]
            for language in ["id", "in", "en", "fr"] {
                var c = s.client(token: token, language: language)
                if token == "" { c.token = nil }
                let r = c.request(method, path, json: body)
                XCTAssertEqual(r.status, status, "\(method) \(path) \(language): \(r.text)")
                XCTAssertEqual(r["code"]?.stringValue, code, "\(method) \(path) \(language)")
                XCTAssertEqual(r.header("Content-Language"), language == "en" ? "en" : "id", path)
                XCTAssert(r.header("Vary")?.contains("Accept-Language") == true, path)
                answers[language] = r
            }
            let id = answers["id"]!, en = answers["en"]!
            XCTAssert(id["detail"]?.stringValue?.contains(word) == true, "\(path): \(id["detail"] ?? .null)")
            for same in ["in", "fr"] {
                XCTAssertEqual(answers[same]!["detail"], id["detail"], "\(path) \(same) is Indonesian")
                XCTAssertEqual(answers[same]!["title"], id["title"], path)
            }
            XCTAssertNotEqual(en["detail"], id["detail"], "\(path): English differs")
            XCTAssertNotEqual(en["title"], id["title"], path)
            XCTAssertFalse(en["detail"]?.stringValue?.contains(word) ?? true, "\(path): \(en["detail"] ?? .null)")
            // Everything but the words is the same.
            var a = id.json.objectValue ?? [:], b = en.json.objectValue ?? [:]
            for k in ["title", "detail"] { a[k] = nil; b[k] = nil }
            let strip: (JSON?) -> JSON? = { $0?.arrayValue.map { .array($0.map { e in var o = e.objectValue ?? [:]; o["message"] = nil; return .object(o) }) } }
            a["errors"] = strip(a["errors"]); b["errors"] = strip(b["errors"])
            XCTAssertEqual(JSON.object(a), JSON.object(b), path)
        }
    }

    func testReportETagsDifferPerLanguageAndEitherMatches() throws {
        let s = try TestServer()
        defer { s.stop() }
        let tksk = try s.token(.tksk, "32.74.01")
        let id = s.client(token: tksk), en = s.client(token: tksk, language: "en-US")
        let body: JSON = ["pmks": [["category": "LUT", "male": 2, "female": 3]]]
        let path = "/v1/reports/32.74.01/" + ReportPeriod.containing(Date(), timeZone: TimeZone(secondsFromGMT: 7 * 3600)!).description
        let created = id.put(path, body)
        XCTAssert(created.status == 201 || created.status == 200, created.text)
        let tagID = id.get(path).header("ETag") ?? ""
        let tagEN = en.get(path).header("ETag") ?? ""
        XCTAssertFalse(tagID.isEmpty)
        XCTAssertNotEqual(tagID, tagEN, "the English representation has its own tag")
        let changed: JSON = ["pmks": [["category": "LUT", "male": 3, "female": 3]]]
        let put = en.put(path, changed, headers: [("If-Match", tagEN)])
        XCTAssertEqual(put.status, 200, put.text)
        let stale = en.put(path, body, headers: [("If-Match", tagEN)])
        XCTAssertEqual(stale.status, 412)
        XCTAssertEqual(stale["code"], "version_changed")
    }

    /// Quality warnings are kept with the report as codes and values and said in the reader's language.
    func testReportWarningsInBothLanguages() throws {
        let s = try TestServer()
        defer { s.stop() }
        let tksk = try s.token(.tksk, "32.74.01")
        let path = "/v1/reports/32.74.01/" + ReportPeriod.containing(Date(), timeZone: TimeZone(secondsFromGMT: 7 * 3600)!).description
        let id = s.client(token: tksk), en = s.client(token: tksk, language: "en")
        XCTAssert([200, 201].contains(id.put(path, [:]).status))
        let submitted = id.post(path + "/submit", [:])
        XCTAssertEqual(submitted.status, 200, submitted.text)
        for (client, word) in [(id, "Laporan kosong"), (en, "The report is empty")] {
            let r = client.get(path)
            let warning = r["warnings"]?.arrayValue?.first
            XCTAssertEqual(warning?["code"], "empty_report", r.text)
            XCTAssert(warning?["message"]?.stringValue?.hasPrefix(word) == true, r.text)
            XCTAssertFalse(r.text.contains(Words.member), "no pending words leave the server")
        }
        XCTAssertFalse(submitted.text.contains(Words.member))
    }
}
