import Foundation
import SQLiteStore
@testable import PilarCore

/// Regions, random registry records, trainings, participations and awards written straight to
/// the tables of Migrations/0005 (as the capacity services write them), and the brute-force
/// counts the capacity dashboard is checked against.
enum CapacityFixture {
    static let stamp = "2026-01-01T00:00:00Z"

    /// (A new database has 32 and Kota Cirebon 32.74 with its kecamatan.) Two provinces, three kabupaten, two kecamatan each, a few desa/kelurahan each; one desa
    /// that ended in 2025-12 and one that starts in 2027-01 (neither exists in 2026-11).
    static func addRegions(_ pilar: Pilar) throws {
        var rows: [(String, String, String, String?, String?, String?)] = [
            ("32", "Jawa Barat", "provinsi", nil, nil, nil), ("33", "Jawa Tengah", "provinsi", nil, nil, nil),
            ("32.01", "Kabupaten Bogor", "kabupaten", "32", nil, nil), ("32.02", "Kabupaten Sukabumi", "kabupaten", "32", nil, nil),
            ("33.01", "Kabupaten Cilacap", "kabupaten", "33", nil, nil),
        ]
        for kab in ["32.01", "32.02", "33.01"] {
            for k in 1...2 {
                let kec = "\(kab).0\(k)"
                rows.append((kec, "Kecamatan \(kec)", "kecamatan", kab, nil, nil))
                for d in 1...(2 + k) {
                    rows.append(("\(kec).\(d == 3 ? 1 : 2)00\(d)", "Desa \(kec)-\(d)", d == 3 ? "kelurahan" : "desa", kec, nil, nil))
                }
            }
        }
        rows.append(("32.01.01.2009", "Desa Lama", "desa", "32.01.01", nil, "2025-12"))
        rows.append(("32.01.01.2008", "Desa Baru", "desa", "32.01.01", "2027-01", nil))
        try pilar.write { c in
            for (code, name, level, parent, from, until) in rows {
                try c.run("INSERT INTO regions (code, name, level, parent_code, valid_from, valid_until) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                          code, name, level, parent, from, until)
            }
        }
    }

    @discardableResult
    static func record(_ pilar: Pilar, type: String, region: String, active: Bool = true, trainedOn: String? = nil) throws -> Int64 {
        try pilar.write { c in
            try c.run("""
                INSERT INTO psks (type, name, name_folded, region, status, registered_on, ended_on, training_completed_on, created_at, updated_at)
                VALUES (?, 'Test', 'test', ?, ?, '2020-01-01', ?, ?, ?, ?)
                """, type, region, active ? "active" : "inactive", active ? nil : "2026-02-01", trainedOn, stamp, stamp)
            return c.lastInsertRowID
        }
    }

    static func training(_ pilar: Pilar, level: String, region: String?, starts: String, ends: String,
                         cancelled: Bool = false) throws -> Int64 {
        try pilar.write { c in
            try c.run("""
                INSERT INTO trainings (programme, title, level, region, starts_on, ends_on, status, created_at, updated_at)
                VALUES ('PELATIHAN_DASAR_PSM', 'Pelatihan', ?, ?, ?, ?, ?, ?, ?)
                """, level, region, starts, ends, cancelled ? "cancelled" : "scheduled", stamp, stamp)
            return c.lastInsertRowID
        }
    }

    static func participate(_ pilar: Pilar, _ training: Int64, _ record: Int64, attended: Bool = true, completed: Bool) throws {
        try pilar.write { c in
            try c.run("""
                INSERT INTO training_participants (training_id, psks_id, attended, completed, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, training, record, attended || completed ? 1 : 0, completed ? 1 : 0, stamp, stamp)
        }
    }

    static func date(_ rng: inout SeededRandom, years: ClosedRange<Int>) -> String {
        let m = Int.random(in: 1...12, using: &rng), d = Int.random(in: 1...28, using: &rng)
        return "\(Int.random(in: years, using: &rng))-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    /// Random records at every level, trainings at every organiser level (some cancelled, some
    /// not ended yet), participations, awards; then edits of each kind.
    static func generate(_ pilar: Pilar, seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let places = try pilar.db.read { c in try c.query("SELECT code FROM regions").map { $0.string("code") } }
        let desa = places.filter { $0.count == 13 }
        let types = ["PSM", "PSM", "PSM", "WPKS", "PENYULUH", "TAGANA", "LKS", "KARTAR", "TKSK"]
        var records: [Int64] = []
        for _ in 0..<260 {
            let type = types.randomElement(using: &rng)!
            let region = (type == "PSM" && Bool.random(using: &rng) ? desa : places).randomElement(using: &rng)!
            let trained = Int.random(in: 0..<3, using: &rng) == 0 ? date(&rng, years: 2019...2027) : nil
            records.append(try record(pilar, type: type, region: region, active: Int.random(in: 0..<5, using: &rng) > 0,
                                      trainedOn: trained))
        }
        var trainings: [Int64] = []
        let kab = ["32.01", "32.02", "33.01"]
        for _ in 0..<70 {
            let level = ["kabkota", "kabkota", "provinsi", "nasional"].randomElement(using: &rng)!
            let region = level == "kabkota" ? kab.randomElement(using: &rng)! : level == "provinsi" ? ["32", "33"].randomElement(using: &rng)! : nil
            let starts = date(&rng, years: 2021...2027)
            let ends = String(starts.prefix(8)) + String(format: "%02d", Int(starts.suffix(2))! + Int.random(in: 0...3, using: &rng))
            let id = try training(pilar, level: level, region: region, starts: starts, ends: ends,
                                  cancelled: Int.random(in: 0..<7, using: &rng) == 0)
            trainings.append(id)
            for r in records.shuffled(using: &rng).prefix(Int.random(in: 0...9, using: &rng)) {
                try participate(pilar, id, r, attended: Bool.random(using: &rng), completed: Int.random(in: 0..<3, using: &rng) > 0)
            }
        }
        // Today's edge: a training ending today is evidence, one ending tomorrow is not.
        for ends in ["2026-11-25", "2026-11-26"] {
            let id = try training(pilar, level: "kabkota", region: "32.01", starts: "2026-11-20", ends: ends)
            for r in records.prefix(3) { try participate(pilar, id, r, completed: true) }
        }
        try pilar.write { c in
            for _ in 0..<90 {
                try c.run("""
                    INSERT INTO psks_awards (psks_id, award, level, year, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """, records.randomElement(using: &rng)!, ["PSM_BERPRESTASI", "LKS_TERBAIK"].randomElement(using: &rng)!,
                          ["kabkota", "provinsi", "nasional"].randomElement(using: &rng)!, Int.random(in: 2023...2027, using: &rng), stamp)
            }
            // Edits after the fact: cancel, complete, end, move, retype.
            for _ in 0..<30 {
                let t = trainings.randomElement(using: &rng)!, r = records.randomElement(using: &rng)!
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: try c.run("UPDATE trainings SET status = 'cancelled' WHERE id = ?", t)
                case 1: try c.run("UPDATE training_participants SET attended = 1, completed = 1 WHERE training_id = ?", t)
                case 2: try c.run("UPDATE psks SET status = 'inactive', ended_on = '2026-05-01' WHERE id = ?", r)
                case 3: try c.run("UPDATE psks SET region = ? WHERE id = ?", desa.randomElement(using: &rng)!, r)
                default: try c.run("UPDATE psks SET type = 'PSM', training_completed_on = ? WHERE id = ?", date(&rng, years: 2022...2026), r)
                }
            }
        }
    }

    /// The numbers of one row, counted by hand.
    struct Tally {
        var active = 0, trainedEver = 0, trained3y = 0, trainings = 0, participants = 0, completions = 0
        var awards: [String: Int] = [:]
        var activeByType: [String: Int] = [:]
        var desa = 0, desaWithPSM = 0

        var awardCells: [(String, JSON)] {
            [("awards", .int(Int64(awards.values.reduce(0, +))))]
                + ["kabkota", "provinsi", "nasional"].map { ("awards_\($0)", .int(Int64(awards[$0] ?? 0))) }
        }

        var regionObject: JSONObject {
            var o = JSONObject()
            for (k, v) in [("active", active), ("trained_ever", trainedEver), ("trained_3y", trained3y), ("trainings", trainings),
                           ("participants", participants), ("completions", completions)] { o[k] = .int(Int64(v)) }
            for (k, v) in awardCells { o[k] = v }
            o["desa"] = .int(Int64(desa))
            o["desa_with_psm"] = .int(Int64(desaWithPSM))
            o["psm_coverage"] = desa == 0 ? .null : .double((Double(desaWithPSM) / Double(desa) * 10_000).rounded() / 10_000)
            for t in PSKSType.all { o["active_\(t.code)"] = .int(Int64(activeByType[t.code] ?? 0)) }
            return o
        }

        var typeObject: JSONObject {
            var o = JSONObject()
            for (k, v) in [("active", active), ("trained_ever", trainedEver), ("trained_3y", trained3y),
                           ("participants", participants), ("completions", completions)] { o[k] = .int(Int64(v)) }
            for (k, v) in awardCells { o[k] = v }
            return o
        }
    }

    /// The raw rows, read once.
    struct Raw {
        struct Record { var id: Int64; var type: String; var region: String; var active: Bool; var trainedOn: String? }
        struct Training { var id: Int64; var region: String?; var starts: String; var ends: String; var cancelled: Bool }
        struct Participant { var training: Int64; var record: Int64; var completed: Bool }
        var records: [Int64: Record] = [:]
        var trainings: [Int64: Training] = [:]
        var participants: [Participant] = []
        var awards: [(record: Int64, level: String, year: Int)] = []
        var regions: [(code: String, name: String, level: String, from: String?, until: String?)] = []

        init(_ pilar: Pilar) throws {
            try pilar.db.read { c in
                for r in try c.query("SELECT * FROM psks") {
                    records[r.int64("id")] = Record(id: r.int64("id"), type: r.string("type"), region: r.string("region"),
                                                    active: r.string("status") == "active", trainedOn: r.optionalString("training_completed_on"))
                }
                for r in try c.query("SELECT * FROM trainings") {
                    trainings[r.int64("id")] = Training(id: r.int64("id"), region: r.optionalString("region"), starts: r.string("starts_on"),
                                                        ends: r.string("ends_on"), cancelled: r.string("status") == "cancelled")
                }
                participants = try c.query("SELECT * FROM training_participants").map {
                    Participant(training: $0.int64("training_id"), record: $0.int64("psks_id"), completed: $0.int("completed") == 1)
                }
                awards = try c.query("SELECT * FROM psks_awards").map { ($0.int64("psks_id"), $0.string("level"), $0.int("year")) }
                regions = try c.query("SELECT * FROM regions").map {
                    ($0.string("code"), $0.string("name"), $0.string("level"), $0.optionalString("valid_from"), $0.optionalString("valid_until"))
                }
            }
        }

        static func inside(_ code: String?, _ region: String?) -> Bool {
            guard let region else { return true }
            guard let code else { return false }
            return code == region || code.hasPrefix(region + ".")
        }

        /// The regions at `depth` under `region`, in code order.
        func children(of region: String?, depth: Int) -> [(String, String)] {
            regions.filter { RegionCode($0.code)!.depth == depth && Self.inside($0.code, region) }
                .sorted { $0.code < $1.code }.map { ($0.code, $0.name) }
        }

        /// The counts for a region (nil: national) and a year, and per type, with the desa without a PSM.
        func expected(region: String?, year: Int, today: String) -> (total: Tally, byType: [String: Tally], uncovered: [(String, String)]) {
            var total = Tally(), byType: [String: Tally] = [:]
            let from = "\(year - 2)-01-01", to = min("\(year)-12-31", today)
            for r in records.values where r.active && Self.inside(r.region, region) {
                var dates: [String] = r.trainedOn.map { [$0] } ?? []
                for p in participants where p.record == r.id && p.completed {
                    let t = trainings[p.training]!
                    if !t.cancelled { dates.append(t.ends) }
                }
                let ever = dates.contains { $0 <= today }, recent = dates.contains { $0 >= from && $0 <= to }
                for i in 0..<2 {
                    func bump(_ t: inout Tally) {
                        t.active += 1; t.activeByType[r.type, default: 0] += 1
                        if ever { t.trainedEver += 1 }
                        if recent { t.trained3y += 1 }
                    }
                    if i == 0 { bump(&total) } else { bump(&byType[r.type, default: Tally()]) }
                }
            }
            for t in trainings.values where !t.cancelled && t.starts >= "\(year)-01-01" && t.starts <= "\(year)-12-31"
                && (region == nil || Self.inside(t.region, region)) {
                total.trainings += 1
                for p in participants where p.training == t.id {
                    let type = records[p.record]!.type
                    total.participants += 1
                    byType[type, default: Tally()].participants += 1
                    if p.completed { total.completions += 1; byType[type, default: Tally()].completions += 1 }
                }
            }
            for a in awards where a.year == year && Self.inside(records[a.record]!.region, region) {
                total.awards[a.level, default: 0] += 1
                byType[records[a.record]!.type, default: Tally()].awards[a.level, default: 0] += 1
            }
            var uncovered: [(String, String)] = []
            let month = String(today.prefix(7))
            for d in regions.sorted(by: { $0.code < $1.code }) where ["desa", "kelurahan"].contains(d.level) && Self.inside(d.code, region)
                && (d.from ?? month) <= month && (d.until ?? month) >= month {
                total.desa += 1
                if records.values.contains(where: { $0.type == "PSM" && $0.active && $0.region == d.code }) {
                    total.desaWithPSM += 1
                } else {
                    uncovered.append((d.code, d.name))
                }
            }
            return (total, byType, uncovered)
        }
    }
}
