import Foundation
import XCTest
import PilarCore

/// Pieces shared by the capacity API tests: a second kota (Kota Bandung, 32.73) to test scope
/// against, new PSM records, and events.
extension TestServer {
    /// Kota Bandung with one kecamatan and one kelurahan, through the regions import.
    func addKotaBandung() throws {
        let csv = """
            code,name,level,parent_code
            32.73,Kota Bandung,kota,32
            32.73.01,Sukasari,kecamatan,32.73
            32.73.01.1001,Sarijadi,kelurahan,32.73.01
            """
        let r = client().csv("/v1/regions/import", csv)
        XCTAssertEqual(r.status, 200, r.text)
    }

    /// A new PSM (no training date unless given) in `region`; returns its id.
    @discardableResult
    func newPSM(_ c: TestClient, region: String = "32.74.01.1001", serial: Int, trained: String? = nil,
                file: StaticString = #filePath, line: UInt = #line) -> Int64 {
        let kec = String(region.prefix(8)).replacingOccurrences(of: ".", with: "")
        var o: JSONObject = ["type": "PSM", "name": .string("Peserta \(serial)"), "sex": "female", "birth_date": "1991-02-03",
                             "nik": .string(PSKSRecordAPITests.nik(kec, born: "1991-02-03", female: true, serial: serial)),
                             "region": .string(region)]
        if let trained { o["training_completed_on"] = .string(trained) }
        let r = c.post("/v1/psks", .object(o))
        XCTAssertEqual(r.status, 201, r.text, file: file, line: line)
        return r["id"]?.intValue ?? 0
    }

    /// A training event; returns its id.
    @discardableResult
    func newTraining(_ c: TestClient, programme: String = "PELATIHAN_DASAR_PSM", region: String? = "32.74",
                     level: String = "kabkota", starts: String = "2026-10-05", ends: String = "2026-10-09",
                     file: StaticString = #filePath, line: UInt = #line) -> Int64 {
        let r = c.post("/v1/trainings", ["programme": .string(programme), "title": .string("Pelatihan \(programme) \(region ?? "nasional")"),
                                         "level": .string(level), "region": .from(region), "starts_on": .string(starts),
                                         "ends_on": .string(ends), "place": "Aula Dinas Sosial"])
        XCTAssertEqual(r.status, 201, r.text, file: file, line: line)
        return r["id"]?.intValue ?? 0
    }
}

extension TestResponse {
    /// "field:code" of each field error.
    var fieldErrors: [String] {
        (self["errors"]?.arrayValue ?? []).compactMap { e in
            guard let code = e["code"]?.stringValue else { return nil }
            return "\(e["field"]?.stringValue ?? e["row"].map { "\($0.intValue ?? 0)" } ?? ""):\(code)"
        }
    }
}
