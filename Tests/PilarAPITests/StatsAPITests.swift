import Foundation
import PilarCore
import SQLiteStore
import XCTest

/// The dashboards over HTTP: scope, caching (ETag, 304 across writes), CSV, validation, and
/// counts driven through the real report API compared with sums over the raw lines.
final class StatsAPITests: XCTestCase {
    var s: TestServer!

    override func setUpWithError() throws {
        // A pinned clock: the demo seeds the four months before "now"; these tests use earlier months.
        s = try TestServer(clock: Clock(now: { Clock.parseTimestamp("2026-11-25T05:00:00Z")! }))
        try s.pilar.write { c in
            for (code, name, level, parent) in [("32.73", "Kota Bandung", "kota", "32"), ("32.73.01", "Sukasari", "kecamatan", "32.73"),
                                                ("32.73.02", "Coblong", "kecamatan", "32.73")] {
                try c.run("INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                          code, name, level, parent)
            }
        }
    }

    override func tearDown() { s.stop() }

    var admin: TestClient { s.client() }

    /// PUT a report, then submit and verify it, as a district office would.
    func report(_ kecamatan: String, _ period: String, abt: (Int, Int), fm: Int, verify: Bool = true) {
        let body: JSON = ["pmks": [["category": "ABT", "male": .int(Int64(abt.0)), "female": .int(Int64(abt.1))],
                                   ["category": "FM", "count": .int(Int64(fm))]],
                          "psks": [["type": "PSM", "count": 2]]]
        let put = admin.put("/v1/reports/\(kecamatan)/\(period)", body)
        XCTAssertTrue([200, 201].contains(put.status), "PUT \(kecamatan) \(period): \(put.status) \(put.text)")
        XCTAssertEqual(admin.post("/v1/reports/\(kecamatan)/\(period)/submit", [:]).status, 200)
        if verify { XCTAssertEqual(admin.post("/v1/reports/\(kecamatan)/\(period)/verify", [:]).status, 200) }
    }

    func testViewerSeesOnlyItsRegion() throws {
        report("32.74.01", "2026-03", abt: (3, 4), fm: 5)
        report("32.73.01", "2026-03", abt: (100, 100), fm: 100)
        let viewer = s.client(token: try s.token(.viewer, "32.74"))
        let own = viewer.get("/v1/stats/pmks?period=2026-03&by=region")
        XCTAssertEqual(own.status, 200, own.text)
        XCTAssertEqual(own["region"], "32.74")
        let regions = Set((own["items"]?.arrayValue ?? []).compactMap { $0["region"]?.stringValue })
        XCTAssertEqual(regions, ["32.74.01"])
        XCTAssertEqual(own["items"]?.arrayValue?.first { $0["unit"] == "person" }?["total"], 7)

        for path in ["/v1/stats/pmks?region=32.73&period=2026-03", "/v1/stats/pmks?region=32&period=2026-03",
                     "/v1/stats/pmks?region=32.73.01&period=2026-03", "/v1/stats/psks?region=32.73",
                     "/v1/stats/completeness?region=32.73&period=2026-03", "/v1/stats/pmks.csv?region=32.73&period=2026-03"] {
            let r = viewer.get(path)
            XCTAssertEqual(r.status, 403, path)
            XCTAssertFalse(r.text.contains("Bandung"), "a 403 tells nothing of the other region: \(r.text)")
        }
        let completeness = viewer.get("/v1/stats/completeness?period=2026-03")
        XCTAssertEqual(completeness.status, 200)
        XCTAssertEqual(completeness["expected"], 5)
        XCTAssertEqual(completeness["received"], 1)
        XCTAssertTrue((completeness["kecamatan"]?.arrayValue ?? []).allSatisfy { $0["code"]?.stringValue?.hasPrefix("32.74.") == true })
        // Viewer tokens read dashboards only.
        XCTAssertEqual(viewer.get("/v1/reports/32.74.01/2026-03").status, 403)
        // Admin sees the nation, by province.
        let national = admin.get("/v1/stats/pmks?period=2026-03&by=region")
        XCTAssertEqual(national["region"], .null)
        XCTAssertEqual(national["items"]?.arrayValue?.first { $0["unit"] == "person" }?["total"], 207)
        XCTAssertEqual(national["items"]?.arrayValue?.first?["region_name"], "Jawa Barat")
    }

    func testETagAnd304AcrossWrites() throws {
        report("32.74.01", "2026-02", abt: (1, 2), fm: 3)
        let path = "/v1/stats/pmks?region=32.74&period=2026-02&by=category"
        let first = admin.get(path)
        XCTAssertEqual(first.status, 200)
        let etag = try XCTUnwrap(first.header("ETag"))
        XCTAssertTrue(etag.hasPrefix("\"") && !etag.hasPrefix("W/"), "strong ETag: \(etag)")
        XCTAssertEqual(first.header("Cache-Control"), "private, max-age=5")

        let again = admin.get(path, headers: [("If-None-Match", etag)])
        XCTAssertEqual(again.status, 304)
        XCTAssertEqual(again.body.count, 0)
        XCTAssertEqual(again.header("ETag"), etag)
        XCTAssertEqual(admin.get(path, headers: [("If-None-Match", "\"other\", W/\(etag)")]).status, 304)
        XCTAssertEqual(admin.get(path, headers: [("If-None-Match", "\"other\"")]).status, 200)

        // Another representation or another scope is another tag.
        let csv = admin.get(path, headers: [("Accept", "text/csv")])
        XCTAssertNotEqual(csv.header("ETag"), etag)
        XCTAssertEqual(admin.get(path, headers: [("Accept", "text/csv"), ("If-None-Match", etag)]).status, 200)
        let kabkota = s.client(token: try s.token(.kabkota, "32.74"))
        XCTAssertEqual(kabkota.get(path, headers: [("If-None-Match", etag)]).status, 200)

        // A write anywhere changes the tag, and the very next read counts it.
        report("32.74.02", "2026-02", abt: (10, 10), fm: 0)
        let after = admin.get(path, headers: [("If-None-Match", etag)])
        XCTAssertEqual(after.status, 200)
        XCTAssertNotEqual(after.header("ETag"), etag)
        XCTAssertEqual(after["items"]?.arrayValue?.first { $0["category"] == "ABT" }?["total"], 23)
        XCTAssertEqual(admin.get(path, headers: [("If-None-Match", after.header("ETag")!)]).status, 304)

        // A status change alone (return) is a write too: the submitted view drops the report.
        let submitted = admin.get(path + "&status=submitted")
        report("32.74.03", "2026-02", abt: (5, 0), fm: 0, verify: false)
        let withSubmitted = admin.get(path + "&status=submitted", headers: [("If-None-Match", submitted.header("ETag")!)])
        XCTAssertEqual(withSubmitted.status, 200)
        XCTAssertEqual(withSubmitted["items"]?.arrayValue?.first { $0["category"] == "ABT" }?["total"], 28)
        XCTAssertEqual(admin.post("/v1/reports/32.74.03/2026-02/return", ["reason": "angka ABT tidak lengkap"]).status, 200)
        let returned = admin.get(path + "&status=submitted")
        XCTAssertEqual(returned["items"]?.arrayValue?.first { $0["category"] == "ABT" }?["total"], 23)
    }

    func testCSVIsTheSameTable() throws {
        report("32.74.01", "2026-01", abt: (3, 4), fm: 5)
        report("32.74.05", "2026-01", abt: (1, 1), fm: 2)
        let json = admin.get("/v1/stats/pmks?region=32.74&period=2026-01&by=region,category")
        let byAccept = admin.get("/v1/stats/pmks?region=32.74&period=2026-01&by=region,category", headers: [("Accept", "text/csv")])
        let bySuffix = admin.get("/v1/stats/pmks.csv?region=32.74&period=2026-01&by=region,category")
        XCTAssertEqual(byAccept.status, 200)
        XCTAssertTrue(byAccept.header("Content-Type")?.hasPrefix("text/csv") == true)
        XCTAssertEqual(byAccept.body, bySuffix.body)
        let lines = String(decoding: byAccept.body.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }, as: UTF8.self)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(lines.first, "region,region_name,category,category_name,unit,total")
        XCTAssertEqual(lines.count - 1, json["items"]?.arrayValue?.count)
        XCTAssertTrue(lines.contains("32.74.01,Kejaksan,ABT,Anak Balita Terlantar,person,7"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("32.74.05,Kesambi,FM,Fakir Miskin,household,2"))

        let completeness = admin.get("/v1/stats/completeness.csv?region=32.74&period=2026-01&table=kecamatan")
        XCTAssertEqual(completeness.status, 200)
        XCTAssertTrue(completeness.text.contains("code,name,period,status,due_at,submitted_at,days_late"))
        // Due 2026-02-10 23:59:59 WIB; "now" is 2026-11-25 12:00 WIB: 287.5 days, 288 started days.
        XCTAssertTrue(completeness.text.contains("32.74.02,Lemahwungkuk,2026-01,missing,2026-02-10T16:59:59.000Z,,288"), completeness.text)
        XCTAssertTrue(completeness.text.contains("32.74.01,Kejaksan,2026-01,verified,2026-02-10T16:59:59.000Z,2026-11-25T05:00:00.000Z,288"))
        let summary = admin.get("/v1/stats/completeness.csv?region=32.74&period=2026-01")
        XCTAssertTrue(summary.text.contains("32.74,Kota Cirebon,5,2,0,2,2,0,0.4,0,0.4,0.4"), summary.text)
        XCTAssertEqual(admin.get("/v1/stats/psks.csv?region=32.74&source=reports&period=2026-01").status, 200)
    }

    /// The registry counts follow the real registry API: create, end, and the next read counts it.
    func testRegistryCountsFollowTheRegistryAPI() throws {
        let before = admin.get("/v1/stats/psks?region=32.74&by=region,type&type=LKS")
        XCTAssertEqual(before.status, 200, before.text)
        let old = before["items"]?.arrayValue?.first { $0["region"] == "32.74.02" }?["total"]?.intValue ?? 0
        // A refused write changes nothing, so the copy stays current.
        XCTAssertEqual(admin.post("/v1/psks", ["type": "LKS", "name": "Tanpa alamat", "region": "32.74.02"]).status, 422)
        XCTAssertEqual(admin.get("/v1/stats/psks?region=32.74&by=region,type&type=LKS", headers: [("If-None-Match", before.header("ETag")!)]).status, 304)
        let created = admin.post("/v1/psks", ["type": "LKS", "name": "LKS Harapan Bunda", "address": "Jl. Kesunean 12", "head": "Ibu Siti",
                                              "region": "32.74.02", "registered_on": "2026-03-01"])
        XCTAssertEqual(created.status, 201, created.text)
        let after = admin.get("/v1/stats/psks?region=32.74&by=region,type&type=LKS", headers: [("If-None-Match", before.header("ETag")!)])
        XCTAssertEqual(after.status, 200)
        XCTAssertEqual(after["items"]?.arrayValue?.first { $0["region"] == "32.74.02" }?["total"]?.intValue, old + 1)
        let id = try XCTUnwrap(created["id"]?.intValue)
        let ended = admin.delete("/v1/psks/\(id)", ["reason": "bubar", "ended_on": "2026-04-01"])
        XCTAssertTrue((200...204).contains(ended.status), ended.text)
        let gone = admin.get("/v1/stats/psks?region=32.74&by=region,type&type=LKS")
        XCTAssertEqual(gone["items"]?.arrayValue?.first { $0["region"] == "32.74.02" }?["total"]?.intValue ?? 0, old)
    }

    func testBadParametersAre400WithWhatIsAllowed() {
        let admin = s.client(language: "en")  // the English words are asserted
        let cases: [(String, String)] = [
            ("by=category,colour", "by takes"),
            ("period=2026-05&period_to=2026-01", "before period"),
            ("period=2016-01&period_to=2026-12", "at most 120 months"),
            ("category=XYZ", "not a PMKS category"),
            ("category=AN", "retired; its counts are reported as ABH"),
            ("by=sex&category=FM", "no sex"),
            ("level=kecamatan", "add region to by"),
            ("by=region&level=desa", "provinsi, kabkota or kecamatan"),
            ("region=32.74&by=region&level=provinsi", "not below region"),
            ("status=draft", "verified (the default) or submitted"),
            ("peroid=2026-01", "unknown parameter"),
            ("period=2026-13", "YYYY-MM"),
            ("region=abc", "not a region code"),
            ("region=32.74.01.1001", "kecamatan"),
            ("region=32.74.01&by=region", "lowest level"),
            ("period=2026-01&period=2026-02", "once"),
        ]
        for (query, words) in cases {
            let r = admin.get("/v1/stats/pmks?" + query)
            XCTAssertEqual(r.status, 400, query)
            XCTAssertTrue(r["detail"]?.stringValue?.contains(words) == true, "\(query): \(r.text)")
        }
        XCTAssertEqual(admin.get("/v1/stats/psks?period=2026-01").status, 400)
        XCTAssertEqual(admin.get("/v1/stats/psks?source=reports&period=2026-01&period_to=2026-03").status, 400)
        XCTAssertEqual(admin.get("/v1/stats/psks?type=NOPE").status, 400)
        XCTAssertEqual(admin.get("/v1/stats/completeness?list=some").status, 400)
        XCTAssertEqual(admin.get("/v1/stats/pmks?region=35").status, 404)
        XCTAssertEqual(s.client(token: "pilar_1_nope").get("/v1/stats/pmks").status, 401)
    }

    /// Random reports through the real API (create, edit, submit, return, resubmit, verify,
    /// revise), then every count of a set of queries against the raw lines.
    func testCountsThroughTheReportAPIMatchTheRawLines() throws {
        var rng = SystemRandomNumberGenerator()
        let kecamatan = ["32.74.01", "32.74.02", "32.74.03", "32.73.01", "32.73.02"]
        let periods = ["2026-03", "2026-04", "2026-05"]
        var state: [String: String] = [:]
        for _ in 0..<70 {
            let k = kecamatan.randomElement(using: &rng)!, p = periods.randomElement(using: &rng)!
            let key = "\(k)/\(p)"
            let body: JSON = ["pmks": [["category": "AT", "male": .int(Int64.random(in: 0...30, using: &rng)), "female": .int(Int64.random(in: 0...30, using: &rng))],
                                       ["category": "KAT", "count": .int(Int64.random(in: 0...3, using: &rng))]],
                              "psks": [["type": "LKS", "count": .int(Int64.random(in: 0...4, using: &rng))]],
                              "reason": "koreksi"]
            let r: TestResponse
            switch (state[key], Int.random(in: 0..<2, using: &rng)) {
            case (nil, _), ("draft", 0), ("returned", 0), ("verified", 0):
                r = admin.put("/v1/reports/\(key)", body)
                if state[key] == nil { state[key] = "draft" }
            case ("draft", _), ("returned", _):
                r = admin.post("/v1/reports/\(key)/submit", [:]); state[key] = "submitted"
            case ("submitted", 0):
                r = admin.post("/v1/reports/\(key)/return", ["reason": "periksa lagi"]); state[key] = "returned"
            case ("submitted", _):
                r = admin.post("/v1/reports/\(key)/verify", [:]); state[key] = "verified"
            default:
                continue
            }
            XCTAssertTrue((200...201).contains(r.status), "\(key): \(r.status) \(r.text)")
        }
        let lines = try s.pilar.db.read { c in try c.query("SELECT * FROM report_pmks_lines WHERE in_total = 1") }
        for region in ["", "32", "32.74", "32.73"] {
            for by in ["", "region", "period", "category", "region,period,category", "sex", "region,sex"] {
                for status in ["verified", "submitted"] {
                    var q = "period=2026-03&period_to=2026-05&status=\(status)&by=\(by)"
                    if !region.isEmpty { q += "&region=\(region)" }
                    if by.contains("sex") { q += "&category=AT" }
                    let got = admin.get("/v1/stats/pmks?" + q)
                    XCTAssertEqual(got.status, 200, q)
                    var want: [String: Int64] = [:]
                    for l in lines {
                        let st = l.string("status"), kec = l.string("kecamatan")
                        guard st == "verified" || (status == "submitted" && st == "submitted") else { continue }
                        guard region.isEmpty || kec.hasPrefix(region + "."), periods.contains(l.string("period")) else { continue }
                        let cat = l.string("category")
                        if by.contains("sex") && cat != "AT" { continue }
                        let child = region.isEmpty ? String(kec.prefix(2)) : String(kec.prefix(region.count + 3))
                        let unit = PMKSCategory.named(cat)!.unit.rawValue
                        let keyBase = [by.contains("region") ? child : "", by.contains("period") ? l.string("period") : "",
                                       by.contains("category") ? cat : "", unit]
                        if by.contains("sex") {
                            want[(keyBase + ["male"]).joined(separator: "|"), default: 0] += Int64(l.optionalInt("male") ?? 0)
                            want[(keyBase + ["female"]).joined(separator: "|"), default: 0] += Int64(l.optionalInt("female") ?? 0)
                        } else {
                            want[(keyBase + [""]).joined(separator: "|"), default: 0] += Int64((l.optionalInt("male") ?? 0) + (l.optionalInt("female") ?? 0) + (l.optionalInt("count") ?? 0))
                        }
                    }
                    var have: [String: Int64] = [:]
                    for item in got["items"]?.arrayValue ?? [] {
                        let k = ["region", "period", "category", "unit", "sex"].map { item[$0]?.stringValue ?? "" }.joined(separator: "|")
                        have[k] = item["total"]?.intValue
                    }
                    XCTAssertEqual(have, want.filter { $0.value != 0 }, q)
                }
            }
        }
    }
}
