import Foundation
import XCTest
@testable import PilarCore

/// Shared pieces of the registry tests: a pinned clock (2026-11-25 in WIB), the Kota Cirebon
/// kelurahan, valid records of every type, and NIKs built from a birth date and sex.
enum RegistryFixtures {
    static let now = Clock.parseTimestamp("2026-11-25T03:00:00Z")!
    static let clock = Clock(now: { now })

    /// A Pilar with the Cirebon regions and, when asked, the demo records.
    static func pilar(demoRecords: Bool = false) throws -> TempPilar {
        let t = try TempPilar(clock: clock)
        if demoRecords {
            try Demo.seed(t.pilar)
        } else {
            try t.pilar.write { c in
                for (code, name) in Demo.kelurahan {
                    try c.run("INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, 'kelurahan', ?)",
                              code, name, String(code.prefix(8)))
                }
            }
        }
        return t
    }

    /// 16 digits: kecamatan, DDMMYY (day + 40 for women), serial.
    static func nik(_ kecamatan: String = "327401", born: String, female: Bool, serial: Int = 1) -> String {
        let d = CalendarDate(born)!
        func p(_ n: Int, _ w: Int = 2) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return kecamatan + p(d.day + (female ? 40 : 0)) + p(d.month) + p(d.year % 100) + p(serial, 4)
    }

    static func person(_ type: String, born: String, female: Bool = false, region: String = "32.74.01.1001",
                       serial: Int = 1, name: String = "Budi Santoso") -> JSONObject {
        var o = JSONObject()
        o["type"] = .string(type)
        o["name"] = .string(name)
        o["nik"] = .string(nik(String(region.prefix(8)).replacingOccurrences(of: ".", with: ""), born: born, female: female, serial: serial))
        o["sex"] = .string(female ? "female" : "male")
        o["birth_date"] = .string(born)
        o["region"] = .string(region)
        return o
    }

    /// A record of `type` that passes every rule on 2026-11-25.
    static func valid(_ type: String, serial: Int = 1) -> JSONObject {
        switch type {
        case "PEKSOS":
            var o = person(type, born: "1985-04-12", serial: serial)
            o["certificate_number"] = "PEKSOS/2021/001"
            return o
        case "PSM":
            var o = person(type, born: "1990-05-17", female: true, serial: serial, name: "Siti Nurhaliza")
            o["training_completed_on"] = "2020-03-01"
            return o
        case "TAGANA":
            return person(type, born: "2000-01-01", serial: serial)
        case "WPKS":
            var o = person(type, born: "1980-08-08", female: true, serial: serial, name: "Dewi Lestari")
            o["education"] = "SLTA"
            return o
        case "PENYULUH":
            var o = person(type, born: "1985-02-02", serial: serial)
            o["subtype"] = "fungsional"
            o["education"] = "S1"
            o["rank"] = "III/a"
            o["extension_experience_years"] = 3
            return o
        case "TKSK":
            var o = person(type, born: "1990-06-06", serial: serial)
            o["education"] = "SLTA"
            o["sk_number"] = "123/HUK/2024"
            return o
        default:
            var o = JSONObject()
            o["type"] = .string(type)
            o["name"] = .string("\(type) Harapan \(serial)")
            o["region"] = "32.74.01.1001"
            o["address"] = "Jl. Kartini No. 1"
            o["head"] = "Agus Salim"
            return o
        }
    }

    static func with(_ o: JSONObject, _ changes: KeyValuePairs<String, JSON>) -> JSONObject {
        var out = o
        for (k, v) in changes { out[k] = v.isNull ? nil : v }
        return out
    }

    /// The error a create throws, or a failure.
    static func createError(_ pilar: Pilar, _ body: JSONObject, file: StaticString = #filePath, line: UInt = #line) -> PilarError? {
        do {
            _ = try pilar.registry.create(body, by: .cli)
            XCTFail("expected an error for \(body.keys)", file: file, line: line)
            return nil
        } catch let e as PilarError {
            return e
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
            return nil
        }
    }
}
