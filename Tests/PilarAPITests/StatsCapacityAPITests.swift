import Foundation
import PilarCore
import SQLiteStore
import XCTest

/// GET /v1/stats/capacity over real sockets: caching across writes, CSV, scope, bad parameters.
final class StatsCapacityAPITests: XCTestCase {
    var s: TestServer!
    static let stamp = "2026-01-01T00:00:00Z"

    override func setUpWithError() throws {
        // "Today" is 2026-11-25 in Jakarta. The demo has Kota Cirebon with a PSM in every kelurahan;
        // a new kelurahan without one, and Kota Bandung next door (scope).
        s = try TestServer(clock: Clock(now: { Clock.parseTimestamp("2026-11-25T05:00:00Z")! }))
        try s.pilar.write { c in
            for (code, name, level, parent) in [("32.73", "Kota Bandung", "kota", "32"), ("32.73.01", "Sukasari", "kecamatan", "32.73"),
                                                ("32.73.01.1001", "Sarijadi", "kelurahan", "32.73.01"),
                                                ("32.74.01.1099", "Kelurahan Baru", "kelurahan", "32.74.01")] {
                try c.run("INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                          code, name, level, parent)
            }
        }
    }

    override func tearDown() { s.stop() }

    var admin: TestClient { s.client() }

    /// A PSM of Kejaksan in a training of Kota Cirebon that ended in October; returns (training, record).
    func trainingWithParticipant() throws -> (Int64, Int64) {
        try s.pilar.write { c in
            // One with no completed training yet (the demo may have trained some).
            let record = try c.queryOne("""
                SELECT id FROM psks WHERE type = 'PSM' AND status = 'active' AND region LIKE '32.74.01.%'
                AND id NOT IN (SELECT psks_id FROM training_participants WHERE completed = 1) ORDER BY id
                """)!
            try c.run("UPDATE psks SET training_completed_on = NULL WHERE id = ?", record.int64("id"))
            try c.run("""
                INSERT INTO trainings (programme, title, level, region, starts_on, ends_on, status, created_at, updated_at)
                VALUES ('PELATIHAN_DASAR_PSM', 'Pelatihan Dasar PSM Kota Cirebon', 'kabkota', '32.74', '2026-10-05', '2026-10-09', 'scheduled', ?, ?)
                """, Self.stamp, Self.stamp)
            let training = c.lastInsertRowID
            try c.run("""
                INSERT INTO training_participants (training_id, psks_id, attended, completed, created_at, updated_at)
                VALUES (?, ?, 1, 0, ?, ?)
                """, training, record.int64("id"), Self.stamp, Self.stamp)
            return (training, record.int64("id"))
        }
    }

    func testETagAnd304AcrossWrites() throws {
        let path = "/v1/stats/capacity?region=32.74&year=2026"
        let base = admin.get(path)
        func n(_ r: TestResponse, _ name: String) -> Int64 { r["total"]?[name]?.intValue ?? -1 }
        let (training, record) = try trainingWithParticipant()
        let first = admin.get(path)
        XCTAssertEqual(first.status, 200, first.text)
        let etag = try XCTUnwrap(first.header("ETag"))
        XCTAssertTrue(etag.hasPrefix("\"") && !etag.hasPrefix("W/"), "strong ETag: \(etag)")
        XCTAssertNotEqual(etag, base.header("ETag"))
        XCTAssertEqual(first.header("Cache-Control"), "private, max-age=5")
        XCTAssertEqual(n(first, "trainings"), n(base, "trainings") + 1)
        XCTAssertEqual(n(first, "participants"), n(base, "participants") + 1)
        XCTAssertEqual(n(first, "completions"), n(base, "completions"))
        let trainedBefore = try XCTUnwrap(first["total"]?["trained_ever"]?.intValue)
        XCTAssertEqual(first["desa_without_psm"], [["code": "32.74.01.1099", "name": "Kelurahan Baru"]])
        XCTAssertEqual(first["items"]?.arrayValue?.map { $0["region"]?.stringValue ?? "" },
                       ["32.74.01", "32.74.02", "32.74.03", "32.74.04", "32.74.05"])

        let again = admin.get(path, headers: [("If-None-Match", etag)])
        XCTAssertEqual(again.status, 304)
        XCTAssertEqual(again.body.count, 0)
        XCTAssertEqual(again.header("ETag"), etag)
        // Another query, representation or scope is another tag.
        XCTAssertEqual(admin.get(path + "&list=none", headers: [("If-None-Match", etag)]).status, 200)
        XCTAssertEqual(admin.get(path, headers: [("Accept", "text/csv"), ("If-None-Match", etag)]).status, 200)
        XCTAssertEqual(s.client(token: try s.token(.viewer, "32.74")).get(path, headers: [("If-None-Match", etag)]).status, 200)

        // Completing the participation (as the capacity service does, through pilar.write) changes the tag and the count.
        try s.pilar.write { c in
            _ = try c.run("UPDATE training_participants SET completed = 1, updated_at = ? WHERE training_id = ? AND psks_id = ?",
                          Self.stamp, training, record)
        }
        let after = admin.get(path, headers: [("If-None-Match", etag)])
        XCTAssertEqual(after.status, 200)
        XCTAssertNotEqual(after.header("ETag"), etag)
        XCTAssertEqual(n(after, "completions"), n(base, "completions") + 1)
        XCTAssertEqual(after["total"]?["trained_ever"]?.intValue, trainedBefore + 1)
        XCTAssertEqual(after["items"]?.arrayValue?.first?["trained_3y"]?.intValue,
                       (first["items"]?.arrayValue?.first?["trained_3y"]?.intValue ?? -9) + 1)
        XCTAssertEqual(admin.get(path, headers: [("If-None-Match", after.header("ETag")!)]).status, 304)

        // A PSM in the new kelurahan covers it.
        let tag = after.header("ETag")!
        try s.pilar.write { c in
            _ = try c.run("""
                INSERT INTO psks (type, name, name_folded, region, status, registered_on, created_at, updated_at)
                VALUES ('PSM', 'Siti', 'siti', '32.74.01.1099', 'active', '2026-11-01', ?, ?)
                """, Self.stamp, Self.stamp)
        }
        let covered = admin.get(path, headers: [("If-None-Match", tag)])
        XCTAssertEqual(covered.status, 200)
        XCTAssertEqual(covered["desa_without_psm"], [])
        XCTAssertEqual(covered["total"]?["psm_coverage"], 1)
        XCTAssertEqual(covered["total"]?["desa"], covered["total"]?["desa_with_psm"])
    }

    func testCSVIsTheSameTable() throws {
        let path = "/v1/stats/capacity?region=32.74&year=2026"
        let json = admin.get(path)
        let byAccept = admin.get(path, headers: [("Accept", "text/csv")])
        let bySuffix = admin.get("/v1/stats/capacity.csv?region=32.74&year=2026")
        XCTAssertEqual(byAccept.status, 200)
        XCTAssertTrue(byAccept.header("Content-Type")?.hasPrefix("text/csv") == true)
        XCTAssertEqual(byAccept.body, bySuffix.body)
        let lines = Self.lines(byAccept)
        XCTAssertTrue(lines[0].hasPrefix("region,region_name,active,trained_ever,trained_3y,trainings,participants,completions,awards,"), lines[0])
        XCTAssertTrue(lines[0].hasSuffix(",active_DUNIAUSAHA"), lines[0])
        // The region's own row, then one per kecamatan, each with the JSON's numbers.
        XCTAssertEqual(lines.count, 1 + 1 + 5)
        let total = json["total"]!
        XCTAssertTrue(lines[1].hasPrefix("32.74,Kota Cirebon,\(total["active"]!.intValue!),\(total["trained_ever"]!.intValue!),"), lines[1])
        let kejaksan = json["items"]!.arrayValue![0]
        XCTAssertTrue(lines[2].hasPrefix("32.74.01,Kejaksan,\(kejaksan["active"]!.intValue!),"), lines[2])
        // By type; and the uncovered kelurahan as their own table.
        let types = Self.lines(admin.get("/v1/stats/capacity.csv?region=32.74&by=type"))
        XCTAssertEqual(types.count, 1 + PSKSType.all.count)
        XCTAssertTrue(types[0].hasPrefix("type,type_name,active,trained_ever"))
        let uncovered = admin.get("/v1/stats/capacity.csv?region=32.74&table=uncovered&list=none")
        XCTAssertEqual(Self.lines(uncovered),
                       ["code,name", "32.74.01.1099,Kelurahan Baru"])
    }

    /// The CSV's lines without the byte order mark (there for spreadsheets) and line ends.
    static func lines(_ r: TestResponse) -> [String] {
        r.text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    func testScope() throws {
        let viewer = s.client(token: try s.token(.viewer, "32.74"))
        let own = viewer.get("/v1/stats/capacity")
        XCTAssertEqual(own.status, 200, own.text)
        XCTAssertEqual(own["region"], "32.74")
        XCTAssertEqual(own["year"], 2026)
        for path in ["/v1/stats/capacity?region=32.73", "/v1/stats/capacity?region=32", "/v1/stats/capacity?region=32.73.01",
                     "/v1/stats/capacity.csv?region=32.73", "/v1/stats/capacity?region=32.73&table=uncovered"] {
            let r = viewer.get(path)
            XCTAssertEqual(r.status, 403, path)
            XCTAssertTrue(r.header("Content-Type")?.hasPrefix("application/problem+json") == true, path)
            XCTAssertFalse(r.text.contains("Bandung") || r.text.contains("Sarijadi"), "a 403 tells nothing of the other region: \(r.text)")
        }
        // A viewer of one kecamatan sees it by type (no lower level is counted).
        let kec = s.client(token: try s.token(.viewer, "32.74.01")).get("/v1/stats/capacity")
        XCTAssertEqual(kec.status, 200, kec.text)
        XCTAssertEqual(kec["by"], "type")
        XCTAssertEqual(kec["desa_without_psm"], [["code": "32.74.01.1099", "name": "Kelurahan Baru"]])
        // tksk tokens work a kecamatan's reports, not this dashboard; kabkota and provinsi read theirs.
        XCTAssertEqual(s.client(token: try s.token(.tksk, "32.74.01")).get("/v1/stats/capacity").status, 403)
        XCTAssertEqual(s.client(token: try s.token(.kabkota, "32.74")).get("/v1/stats/capacity").status, 200)
        XCTAssertEqual(s.client(token: try s.token(.kabkota, "32.74")).get("/v1/stats/capacity?region=32.73").status, 403)
        let national = admin.get("/v1/stats/capacity?by=region")
        XCTAssertEqual(national["region"], .null)
        XCTAssertEqual(national["items"]?.arrayValue?.first?["region_name"], "Jawa Barat")
        XCTAssertEqual(s.client(token: "pilar_1_nope").get("/v1/stats/capacity").status, 401)
    }

    func testBadParametersAre400() {
        let admin = s.client(language: "en")  // the English words are asserted
        let cases: [(String, String, String)] = [
            ("year=26", "year", "1945 to 2100"),
            ("year=abcd", "year", "1945 to 2100"),
            ("year=2200", "year", "1945 to 2100"),
            ("by=kecamatan", "by", "region, type"),
            ("by=region,type", "by", "region, type"),
            ("list=some", "list", "uncovered, none"),
            ("table=desa", "table", "regions, uncovered"),
            ("level=desa", "level", "provinsi, kabkota or kecamatan"),
            ("region=32.74&level=provinsi", "level", "not below region"),
            ("by=type&level=kecamatan", "level", "add region to by"),
            ("region=32.74.01&by=region", "by", "lowest level"),
            ("region=32.74.01.1001", "region", "kecamatan"),
            ("region=abc", "region", "not a region code"),
            ("yaer=2026", "yaer", "unknown parameter"),
            ("year=2025&year=2026", "year", "once"),
        ]
        for (query, field, words) in cases {
            let r = admin.get("/v1/stats/capacity?" + query)
            XCTAssertEqual(r.status, 400, query)
            XCTAssertTrue(r.header("Content-Type")?.hasPrefix("application/problem+json") == true, query)
            XCTAssertTrue(r["detail"]?.stringValue?.contains(words) == true, "\(query): \(r.text)")
            XCTAssertEqual(r["errors"]?.arrayValue?.first?["field"]?.stringValue, field, "\(query): \(r.text)")
        }
        XCTAssertEqual(admin.get("/v1/stats/capacity?region=35").status, 404)
    }
}
