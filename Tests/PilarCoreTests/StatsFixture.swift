import Foundation
import SQLiteStore
@testable import PilarCore

/// Deterministic random numbers (SplitMix64), so a failing seed can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Regions beyond the demo's Kota Cirebon, and reports written to the tables exactly as
/// docs/ARCHITECTURE.md ("Where SQL lives") says ReportStore writes them (current lines with the current
/// status; new content = delete the lines and insert the new ones).
enum StatsFixture {
    /// Kota Bandung next to Kota Cirebon (scope tests), a second province, a kecamatan that
    /// starts in 2026-04 and one that ends after 2026-02 (completeness).
    static func addRegions(_ pilar: Pilar) throws {
        try pilar.write { c in
            let rows: [(String, String, String, String?, String?, String?)] = [
                ("32.73", "Kota Bandung", "kota", "32", nil, nil),
                ("32.73.01", "Sukasari", "kecamatan", "32.73", nil, nil),
                ("32.73.02", "Coblong", "kecamatan", "32.73", nil, nil),
                ("32.73.03", "Andir", "kecamatan", "32.73", nil, "2026-02"),
                ("32.73.01.1001", "Sarijadi", "kelurahan", "32.73.01", nil, nil),
                ("32.73.01.1002", "Sukarasa", "kelurahan", "32.73.01", nil, nil),
                ("32.74.06", "Kecamatan Baru", "kecamatan", "32.74", "2026-04", nil),
                ("33", "Jawa Tengah", "provinsi", nil, nil, nil),
                ("33.01", "Kabupaten Cilacap", "kabupaten", "33", nil, nil),
                ("33.01.01", "Dayeuhluhur", "kecamatan", "33.01", nil, nil),
                ("33.01.02", "Wanareja", "kecamatan", "33.01", nil, nil),
            ]
            for (code, name, level, parent, from, until) in rows {
                try c.run("""
                    INSERT INTO regions (code, name, level, parent_code, valid_from, valid_until) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (code) DO NOTHING
                    """, code, name, level, parent, from, until)
            }
        }
    }

    static let kecamatan = ["32.73.01", "32.73.02", "32.73.03", "32.74.01", "32.74.02", "32.74.03", "32.74.04",
                            "32.74.05", "32.74.06", "33.01.01", "33.01.02"]
    static let desa: [String: [String]] = [
        "32.74.01": ["32.74.01.1001", "32.74.01.1002", "32.74.01.1003"],
        "32.73.01": ["32.73.01.1001", "32.73.01.1002"],
    ]
    static let periods = ReportPeriod.range(from: ReportPeriod("2026-01")!, to: ReportPeriod("2026-06")!)
    static let categories = PMKSCategory.allActive
    static let psksTypes = ["PSM", "TAGANA", "LKS", "KARTAR", "TKSK"]

    struct PMKSLine { var category: String; var desa: String?; var male: Int?; var female: Int?; var count: Int?; var inTotal: Bool }

    /// Random content for one report: some categories, some split per desa (with or without a
    /// kecamatan line on top, per the in_total rule).
    static func randomLines(_ kecamatan: String, _ rng: inout SeededRandom) -> [PMKSLine] {
        var lines: [PMKSLine] = []
        for cat in categories.shuffled(using: &rng).prefix(Int.random(in: 1...8, using: &rng)) {
            func line(_ desa: String?, _ inTotal: Bool) -> PMKSLine {
                if cat.unit == .person {
                    return PMKSLine(category: cat.code, desa: desa, male: cat.womenOnly ? 0 : Int.random(in: 0...40, using: &rng),
                                    female: Int.random(in: 0...40, using: &rng), count: nil, inTotal: inTotal)
                }
                return PMKSLine(category: cat.code, desa: desa, male: nil, female: nil, count: Int.random(in: 0...90, using: &rng), inTotal: inTotal)
            }
            let desas = desa[kecamatan] ?? []
            switch desas.isEmpty ? 0 : Int.random(in: 0...2, using: &rng) {
            case 0: lines.append(line(nil, true))
            case 1: lines += desas.map { line($0, true) }
            default:
                lines.append(line(nil, true))
                lines += desas.prefix(2).map { line($0, false) }
            }
        }
        return lines
    }

    /// Creates or replaces a report's row and its current lines (status copied into each line).
    @discardableResult
    static func putReport(_ pilar: Pilar, _ kecamatan: String, _ period: ReportPeriod, status: String,
                          lines: [PMKSLine], psks: [(String, Int)], submittedAt: Date?, late: Bool) throws -> Int64 {
        let due = Clock.timestamp(pilar.config.dueDates.dueAt(period))
        return try pilar.write { c in
            let now = Clock.timestamp(Date())
            let sub = submittedAt.map(Clock.timestamp)
            let id: Int64
            if let row = try c.queryOne("SELECT id FROM reports WHERE kecamatan = ? AND period = ?", kecamatan, period.description) {
                id = row.int64("id")
                try c.run("UPDATE reports SET status = ?, version = version + 1, submitted_at = ?, late = ? WHERE id = ?",
                          status, sub, late ? 1 : 0, id)
                try c.run("DELETE FROM report_pmks_lines WHERE report_id = ?", id)
                try c.run("DELETE FROM report_psks_counts WHERE report_id = ?", id)
            } else {
                try c.run("""
                    INSERT INTO reports (kecamatan, period, status, version, due_at, submitted_at, late,
                                         created_at, created_by, updated_at, updated_by)
                    VALUES (?, ?, ?, 1, ?, ?, ?, ?, 'test', ?, 'test')
                    """, kecamatan, period.description, status, due, sub, late ? 1 : 0, now, now)
                id = c.lastInsertRowID
            }
            for l in lines {
                try c.run("""
                    INSERT INTO report_pmks_lines (report_id, kecamatan, period, status, category, desa, male, female, count, in_total)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, id, kecamatan, period.description, status, l.category, l.desa, l.male, l.female, l.count, l.inTotal ? 1 : 0)
            }
            for (type, n) in psks {
                try c.run("INSERT INTO report_psks_counts (report_id, kecamatan, period, status, type, count) VALUES (?, ?, ?, ?, ?, ?)",
                          id, kecamatan, period.description, status, type, n)
            }
            return id
        }
    }

    /// A status change as the workflow makes it: the report row and a copy in every line.
    static func setStatus(_ pilar: Pilar, _ id: Int64, _ status: String, submittedAt: Date? = nil, late: Bool? = nil) throws {
        try pilar.write { c in
            try c.run("UPDATE reports SET status = ?, submitted_at = coalesce(?, submitted_at), late = coalesce(?, late) WHERE id = ?",
                      status, submittedAt.map(Clock.timestamp), late.map { $0 ? 1 : 0 }, id)
            try c.run("UPDATE report_pmks_lines SET status = ? WHERE report_id = ?", status, id)
            try c.run("UPDATE report_psks_counts SET status = ? WHERE report_id = ?", status, id)
        }
    }

    /// A registry record with only what the psks table requires.
    @discardableResult
    static func addPSKS(_ pilar: Pilar, type: String, region: String, active: Bool) throws -> Int64 {
        try pilar.write { c in
            try c.run("""
                INSERT INTO psks (type, name, name_folded, region, status, registered_on, ended_on, created_at, updated_at)
                VALUES (?, 'Test', 'test', ?, ?, '2026-01-01', ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
                """, type, region, active ? "active" : "inactive", active ? nil : "2026-02-01")
            return c.lastInsertRowID
        }
    }

    static func setPSKS(_ pilar: Pilar, _ id: Int64, active: Bool? = nil, region: String? = nil, type: String? = nil) throws {
        try pilar.write { c in
            if let active {
                try c.run("UPDATE psks SET status = ?, ended_on = ? WHERE id = ?", active ? "active" : "inactive",
                          active ? nil : "2026-03-01", id)
            }
            if let region { try c.run("UPDATE psks SET region = ? WHERE id = ?", region, id) }
            if let type { try c.run("UPDATE psks SET type = ? WHERE id = ?", type, id) }
        }
    }
}
