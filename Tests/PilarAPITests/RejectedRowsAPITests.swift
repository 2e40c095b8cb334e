import Foundation
import XCTest
import PilarCore

/// The rejected rows of an import as a file to fix and send again, over HTTP: the same format
/// the person sent, their own columns, a `Kesalahan` column with every problem of the row, for
/// the importing token only; the fixed file goes back as it is.
final class RejectedRowsAPITests: XCTestCase {
    var s: TestServer!
    override func tearDown() { s?.stop() }
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    func temp(_ name: String) -> String { s.directory + "/" + name }

    func send(_ c: TestClient, _ path: String, file: String, type: String = xlsxType) -> TestResponse {
        c.request("POST", path, body: [UInt8](FileManager.default.contents(atPath: file) ?? Data()), contentType: type)
    }

    func save(_ r: TestResponse, _ file: String) {
        FileManager.default.createFile(atPath: file, contents: Data(r.body))
    }

    func testXLSXRejectedRowsFromOpenpyxlComeBackFixed() throws {
        s = try TestServer()
        let kabkota = try s.token(.kabkota, "32.74")
        let c = s.client(token: kabkota)
        let file = temp("psm.xlsx")
        _ = try runPython("""
        import sys, datetime, openpyxl
        wb = openpyxl.Workbook(); ws = wb.active
        ws.append(["Nama", "NIK", "Tanggal Lahir", "Desa", "No HP"])
        ws.append(["Ani", "3274015705900011", datetime.date(1990, 5, 17), "32.74.01.1001", "0812-1111-2222"])
        ws.append(["Bayu", "3274015705900012", "05/21/1990", "32.74.01.1001", "tidak ada"])
        ws.append(["Cici", "3274015705900013", "17/05/1990", "32.74.01.1001", ""])
        ws.append(["Dodi", "3274015705900014", "17/05/1990", "32.74.01.1002", "12"])
        for c in ws["B"]: c.number_format = "@"
        wb.save(sys.argv[1])
        """, [file])
        let r = send(c, "/v1/psks/import?type=PSM", file: file)
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(r["rejected"], 2)
        let link = r["rejected_rows"]
        XCTAssertEqual(link?["rows"], 2)
        XCTAssertEqual(link?["format"], "xlsx")
        guard let href = link?["href"]?.stringValue else { return XCTFail("no rejected_rows link: \(r.text)") }

        // Another token of the same office does not get it; the importing token does.
        let other = s.client(token: try s.token(.kabkota, "32.74"))
        XCTAssertEqual(other.get(href).status, 404)
        XCTAssertEqual(s.client().get(href).status, 404, "not even admin: the file is the importer's")
        let got = c.get(href)
        XCTAssertEqual(got.status, 200, got.text)
        XCTAssertEqual(got.header("Content-Type"), Self.xlsxType)
        let rejected = temp("ditolak.xlsx")
        save(got, rejected)

        // openpyxl reads it: the sheet's own columns, the NIKs as text, every problem of each row.
        let seen = try runPython("""
        import sys, json, openpyxl
        ws = openpyxl.load_workbook(sys.argv[1]).active
        print(json.dumps([[c if isinstance(c, str) or c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]))
        """, [rejected])
        let rows = (try JSON.parse(Array(seen.utf8))).arrayValue ?? []
        XCTAssertEqual(rows.count, 3, seen)
        XCTAssertEqual(rows.first, ["Nama", "NIK", "Tanggal Lahir", "Desa", "No HP", "Kesalahan"])
        XCTAssertEqual(rows[1][0], "Bayu")
        XCTAssertEqual(rows[1][1], "3274015705900012", "the NIK stays text")
        let bayu = rows[1][5]?.stringValue ?? ""
        XCTAssertTrue(bayu.contains("Tanggal Lahir") && bayu.contains("No HP"), "both problems of the row: \(bayu)")
        XCTAssertEqual(rows[2][0], "Dodi")

        // Fixed in the same file (error column left in place) and sent again: accepted.
        _ = try runPython("""
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active
        ws["C2"] = "17/05/1990"; ws["E2"] = None; ws["E3"] = "0812 3333 4444"
        wb.save(sys.argv[1])
        """, [rejected])
        let again = send(c, "/v1/psks/import?type=PSM", file: rejected)
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(again["created"], 2)
        XCTAssertNil(again["rejected_rows"], "nothing refused, no file")
    }

    func testSemicolonCSVWithSkipGivesCSVWithItsDelimiter() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let csv = "\u{FEFF}nama;nik;tanggal_lahir;desa;no_hp\n"
            + "Eka;3274015705900021;17/05/1990;32.74.01.1001;085224561234\n"
            + "Fajar;3274015705900022;31/02/1990;32.74.01.1001;085224561235\n"
        let r = c.request("POST", "/v1/psks/import?type=PSM&on_error=skip", body: Array(csv.utf8), contentType: "text/csv")
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r["created"], 1)
        XCTAssertEqual(r["rejected_rows"]?["format"], "csv")
        guard let href = r["rejected_rows"]?["href"]?.stringValue else { return XCTFail(r.text) }
        let got = c.get(href)
        XCTAssertEqual(got.status, 200)
        let text = got.text
        XCTAssertTrue(text.hasPrefix("\u{FEFF}nama;nik;tanggal_lahir;desa;no_hp;Kesalahan\n"), text)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, text)
        XCTAssertTrue(lines[1].hasPrefix("Fajar;3274015705900022;31/02/1990;"), text)
        XCTAssertTrue(lines[1].contains("tidak ada di kalender"), text)
        // Fixed and sent back with its error column: created.
        let fixed = text.replacingOccurrences(of: "31/02/1990", with: "17/05/1990")
        let again = c.request("POST", "/v1/psks/import?type=PSM", body: Array(fixed.utf8), contentType: "text/csv")
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(again["created"], 1)
    }

    func testDryRunLinkAndPerTokenBound() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let csv = "nama,nik,desa\nGita,12,32.74.01.1001\n"
        var hrefs: [String] = []
        for _ in 0..<6 {
            let r = c.request("POST", "/v1/psks/import?type=PSM&dry_run=true", body: Array(csv.utf8), contentType: "text/csv")
            XCTAssertEqual(r.status, 200, r.text)
            hrefs.append(r["rejected_rows"]?["href"]?.stringValue ?? "")
        }
        XCTAssertEqual(Set(hrefs).count, 6, "each import its own id")
        XCTAssertEqual(c.get(hrefs[0]).status, 404, "a token keeps its 5 newest files; the oldest went")
        XCTAssertEqual(c.get(hrefs[5]).status, 200)
        XCTAssertEqual(c.get("/v1/imports/rejected/0123456789abcdef").status, 404)
    }

    func testBackfillRejectedFileKeepsTheWholeReport() throws {
        s = try TestServer()
        let c = s.client()
        let csv = "kecamatan,period,category,desa,male,female\n"
            + "32.74.01,2024-03,AT,32.74.01.1001,2,3\n"
            + "32.74.01,2024-03,AT,32.74.01.1002,x,1\n"
            + "32.74.02,2024-03,AT,,1,1\n"
        let r = c.request("POST", "/v1/reports/import?dry_run=true", body: Array(csv.utf8), contentType: "text/csv")
        XCTAssertEqual(r.status, 200, r.text)
        guard let href = r["rejected_rows"]?["href"]?.stringValue else { return XCTFail(r.text) }
        let lines = c.get(href).text.split(separator: "\n")
        // The bad row and the good row of the same report: sent back alone, the fixed row
        // would replace the report's lines with itself.
        XCTAssertEqual(lines.count, 3, lines.joined(separator: "\n"))
        XCTAssertTrue(lines[1].contains("32.74.01.1001") && lines[1].contains("ditolak karena baris lain"), String(lines[1]))
        XCTAssertTrue(lines[2].contains("32.74.01.1002") && lines[2].contains("male"), String(lines[2]))
    }
}
