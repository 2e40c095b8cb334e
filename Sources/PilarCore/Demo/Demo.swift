import Foundation
import SQLiteStore

/// The Kota Cirebon example of our source documents (CATALOG.md), for `pilar serve --demo`.
/// Seeding is idempotent: running it on a database that has it changes nothing.
public enum Demo {
    /// The 22 kelurahan of the five kecamatan (Kepmendagri 2025 codes).
    static let kelurahan: [(String, String)] = [
        ("32.74.01.1001", "Kejaksan"), ("32.74.01.1002", "Sukapura"), ("32.74.01.1003", "Kesenden"),
        ("32.74.01.1004", "Kebonbaru"),
        ("32.74.02.1001", "Pegambiran"), ("32.74.02.1002", "Lemahwungkuk"), ("32.74.02.1003", "Kesepuhan"),
        ("32.74.02.1004", "Panjunan"),
        ("32.74.03.1001", "Kalijaga"), ("32.74.03.1002", "Harjamukti"), ("32.74.03.1003", "Kecapi"),
        ("32.74.03.1004", "Larangan"), ("32.74.03.1005", "Argasunya"),
        ("32.74.04.1001", "Jagasatru"), ("32.74.04.1002", "Pekalipan"), ("32.74.04.1003", "Pulasaren"),
        ("32.74.04.1004", "Pekalangan"),
        ("32.74.05.1001", "Pekiringan"), ("32.74.05.1002", "Sunyaragi"), ("32.74.05.1003", "Kesambi"),
        ("32.74.05.1004", "Drajat"), ("32.74.05.1005", "Karyamulya"),
    ]

    public static func seed(_ pilar: Pilar) throws {
        try pilar.write { c in
            for (code, name) in kelurahan {
                try c.run("""
                    INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, 'kelurahan', ?)
                    ON CONFLICT (code) DO NOTHING
                    """, code, name, String(code.prefix(8)))
            }
        }
        try seedRegistry(pilar)
        try seedReports(pilar)
        try seedCapacity(pilar)
    }
}
