import Foundation
import PilarCore
import XCTest

/// A clock tests move by hand (lateness across month and year ends).
final class ReportClock {
    private let lock = NSLock()
    private var value: Date
    init(_ iso: String) { value = Clock.parseTimestamp(iso)! }
    func set(_ iso: String) { lock.lock(); value = Clock.parseTimestamp(iso)!; lock.unlock() }
    var clock: Clock { Clock { [self] in lock.lock(); defer { lock.unlock() }; return value } }
}

/// A server without the demo reports (so periods are free), with a few kelurahan of Kota
/// Cirebon imported through the API for the desa rules.
func reportServer(_ clock: ReportClock, config: PilarConfig = PilarConfig()) throws -> TestServer {
    let s = try TestServer(clock: clock.clock, config: config, demo: false)
    let r = s.client().csv("/v1/regions/import", """
        code,name,level,parent_code
        33,Jawa Tengah,provinsi,
        32.73,Kota Bandung,kota,32
        32.73.01,Sukasari,kecamatan,32.73
        32.74.01.1001,Kejaksan,kelurahan,32.74.01
        32.74.01.1002,Sukapura,kelurahan,32.74.01
        32.74.02.1001,Pegambiran,kelurahan,32.74.02
        """)
    XCTAssertEqual(r.status, 200, r.text)
    return s
}

/// A valid report body: person, household and per-desa lines, PSKS, an activity, notes.
func reportBody(lut: Int64 = 12, fm: Int64 = 40, period: String = "2026-10") -> JSON {
    [
        "pmks": [
            ["category": "LUT", "male": .int(lut), "female": 15],
            ["category": "FM", "count": .int(fm)],
            ["category": "PGM", "desa": "32.74.01.1001", "male": 2, "female": 1],
            ["category": "PGM", "desa": "3274011002", "male": 1, "female": 0],
        ],
        "psks": [["type": "PSM", "count": 20], ["type": "TKSK", "count": 1]],
        "activities": [["kind": "pendampingan", "date": .string("\(period)-14"), "description": "Pendampingan lansia",
                        "participants": 12]],
        "notes": ["kendala": "Data kelurahan terlambat", "tindak_lanjut": "Verifikasi lapangan"],
    ]
}

extension TestResponse {
    var errorFields: [String] { (self["errors"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue } }
    var errorCodes: [String] { (self["errors"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue } }
    var allowedActions: [String] { (self["allowed_actions"]?.arrayValue ?? []).compactMap(\.stringValue) }
}
