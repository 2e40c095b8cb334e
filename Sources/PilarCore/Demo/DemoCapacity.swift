import Foundation
import SQLiteStore

extension Demo {
    /// Capacity building in Kota Cirebon: a basic PSM training held in 2025 (six PSM completed
    /// it), a Tagana training planned for December 2026, two awards and some equipment for the
    /// first PSM, and the IPSM of Kota Cirebon with its board. Idempotent: each part is added
    /// only when its natural key (the event's title, the IPSM's region) is not there yet.
    static func seedCapacity(_ pilar: Pilar) throws {
        let now = Clock.timestamp(pilar.clock.now())
        try pilar.write { c in
            let psm = try c.query("SELECT id FROM psks WHERE type = 'PSM' AND region >= '32.74' AND region < '32.74/' ORDER BY id LIMIT 8")
                .map { $0.int64("id") }
            let tagana = try c.query("SELECT id FROM psks WHERE type = 'TAGANA' AND region >= '32.74' AND region < '32.74/' ORDER BY id LIMIT 4")
                .map { $0.int64("id") }
            guard psm.count == 8, tagana.count == 4 else { return }  // the registry demo is not there

            let basic = "Pelatihan Dasar PSM Kota Cirebon Angkatan I 2025"
            if try c.queryOne("SELECT id FROM trainings WHERE title = ?", basic) == nil {
                let id = try event(c, "PELATIHAN_DASAR_PSM", basic, "2025-05-12", "2025-05-16", "Aula Dinas Sosial Kota Cirebon", now)
                for (i, p) in psm.prefix(6).enumerated() {
                    try c.run("""
                        INSERT INTO training_participants (training_id, psks_id, attended, completed, certificate_number, created_at, updated_at)
                        VALUES (?, ?, 1, 1, ?, ?, ?)
                        """, id, p, "PSM/3274/2025/\(DomainPad.year(i + 1).suffix(3))", now, now)
                }
                // Registered, did not come.
                try c.run("""
                    INSERT INTO training_participants (training_id, psks_id, attended, completed, created_at, updated_at)
                    VALUES (?, ?, 0, 0, ?, ?)
                    """, id, psm[6], now, now)
                try c.run("UPDATE psks SET version = version + 1 WHERE id IN (\(psm.prefix(6).map(String.init).joined(separator: ",")))")
            }
            let tagTitle = "Pelatihan Dasar Tagana Kota Cirebon 2026"
            if try c.queryOne("SELECT id FROM trainings WHERE title = ?", tagTitle) == nil {
                let id = try event(c, "TAGANA_DASAR", tagTitle, "2026-12-07", "2026-12-09", "Markas Tagana Kota Cirebon", now)
                for t in tagana {
                    try c.run("""
                        INSERT INTO training_participants (training_id, psks_id, attended, completed, created_at, updated_at)
                        VALUES (?, ?, 0, 0, ?, ?)
                        """, id, t, now, now)
                }
            }
            try c.run("""
                INSERT INTO psks_awards (psks_id, award, level, year, rank, notes, created_at) VALUES
                    (?, 'PSM_BERPRESTASI', 'kabkota', 2025, 1, 'PSM Berprestasi Kota Cirebon 2025', ?),
                    (?, 'PSM_BERPRESTASI', 'provinsi', 2025, 3, 'Juara III tingkat Jawa Barat', ?)
                ON CONFLICT DO NOTHING
                """, psm[0], now, psm[0], now)
            if try c.queryOne("SELECT id FROM psks_equipment WHERE psks_id = ?", psm[0]) == nil {
                for p in psm.prefix(3) {
                    try c.run("""
                        INSERT INTO psks_equipment (psks_id, item, quantity, given_on, source, notes, created_at)
                        VALUES (?, 'Rompi dan tas siaga PSM', 1, '2025-08-17', 'apbd_kabkota', NULL, ?)
                        """, p, now)
                }
                try c.run("""
                    INSERT INTO psks_equipment (psks_id, item, quantity, given_on, source, notes, created_at)
                    VALUES (?, 'Sepeda motor operasional', 1, '2025-11-10', 'csr', 'Bantuan CSR Bank BJB', ?)
                    """, psm[0], now)
            }
            if try c.queryOne("SELECT id FROM ipsm WHERE region = '32.74'") == nil {
                try c.run("""
                    INSERT INTO ipsm (region, name, address, registration_number, established_on, notes, version, created_at, updated_at)
                    VALUES ('32.74', 'Ikatan Pekerja Sosial Masyarakat Kota Cirebon', 'Jl. Brigjen Dharsono No. 1, Kota Cirebon',
                            '460/IPSM/3274/2019', '2019-04-15', NULL, 1, ?, ?)
                    """, now, now)
                let ipsm = c.lastInsertRowID
                let roles = ["ketua", "wakil_ketua", "sekretaris", "bendahara", "anggota", "anggota", "anggota", "anggota"]
                for (p, role) in zip(psm, roles) {
                    try c.run("INSERT INTO ipsm_members (ipsm_id, psks_id, role, since, created_at) VALUES (?, ?, ?, '2024-07-01', ?)",
                              ipsm, p, role, now)
                }
            }
        }
    }

    private static func event(_ c: Connection, _ programme: String, _ title: String, _ starts: String, _ ends: String,
                              _ place: String, _ now: String) throws -> Int64 {
        try c.run("""
            INSERT INTO trainings (programme, title, level, region, starts_on, ends_on, place, status, version, created_at, updated_at)
            VALUES (?, ?, 'kabkota', '32.74', ?, ?, ?, 'scheduled', 1, ?, ?)
            """, programme, title, starts, ends, place, now, now)
        return c.lastInsertRowID
    }
}
