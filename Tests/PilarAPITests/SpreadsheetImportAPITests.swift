import Foundation
import XCTest
import PilarCore

/// Spreadsheets as a Dinas has them, over HTTP: .xlsx written by openpyxl (and LibreOffice
/// where installed) with Indonesian columns, `;` CSV with a BOM, every error named by row and
/// the sheet's own column, and exports that come back as all `unchanged`.
final class SpreadsheetImportAPITests: XCTestCase {
    var s: TestServer!
    override func tearDown() { s?.stop() }
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    func python(_ code: String, _ args: [String]) throws -> String { try runPython(code, args) }

    func temp(_ name: String) -> String { s.directory + "/" + name }

    func upload(_ c: TestClient, _ path: String, file: String) -> TestResponse {
        c.request("POST", path, body: [UInt8](FileManager.default.contents(atPath: file) ?? Data()), contentType: Self.xlsxType)
    }

    static let pythonRegister = """
    import sys, datetime, openpyxl
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Data PSM"
    ws.append(["Nama", "NIK", "Jenis Kelamin", "Tanggal Lahir", "Desa", "No. HP", "Pendidikan"])
    for row in [
        ["Siti Aminah", "3274015705900001", "P", datetime.date(1990, 5, 17), "32.74.01.1001", 85224561234, "SMA"],
        ["Budi Santoso", "3274011203850002", "Laki-laki", "12/03/1985", "32.74.01.1002", "+62 812-3456-7890", "S1"],
    ]:
        ws.append(row)
    for c in ws["B"]: c.number_format = "@"
    wb.save(sys.argv[1])
    """

    func testXLSXFromOpenpyxlWithIndonesianColumns() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let file = temp("psm.xlsx")
        _ = try python(Self.pythonRegister, [file])
        let r = upload(c, "/v1/psks/import?type=PSM", file: file)
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r["created"], 2)
        let siti = c.get("/v1/psks?type=PSM&q=Siti%20Aminah")["items"]?.arrayValue?.first
        XCTAssertEqual(siti?["phone"], "085224561234", "the leading 0 Excel dropped is put back")
        XCTAssertEqual(siti?["birth_date"], "1990-05-17")
        XCTAssertEqual(siti?["sex"], "female")
        XCTAssertEqual(siti?["education"], "SLTA")
        let budi = c.get("/v1/psks?type=PSM&q=Budi%20Santoso")["items"]?.arrayValue?.first
        XCTAssertEqual(budi?["birth_date"], "1985-03-12", "DD/MM/YYYY text")
        XCTAssertEqual(budi?["phone"], "081234567890")
        // The same file again changes nothing.
        XCTAssertEqual(upload(c, "/v1/psks/import?type=PSM", file: file)["unchanged"], 2)
    }

    func testErrorsNameRowAndTheSheetsColumn() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let file = temp("bad.xlsx")
        _ = try python("""
        import sys, openpyxl
        wb = openpyxl.Workbook(); ws = wb.active
        ws.append(["Nama", "NIK", "Tanggal Lahir", "Desa", "No HP"])
        ws.append(["A", 3274015705900001, "17/05/1990", "32.74.01.1001", "0812-1111-2222"])
        ws.append(["B", "3274015705900002", "05/21/1990", "32.74.01.1001", "tidak ada"])
        ws.append(["C", "3274********0003", "17/05/1990", "32.74.01.1001", ""])
        ws.append(["D", "3274015705900004", "17/05/1990", "32.74.01.1001", ""])
        ws.append(["E", "3274015705900004", "17/05/1990", "32.74.01.1002", ""])
        wb.save(sys.argv[1])
        """, [file])
        let r = upload(c, "/v1/psks/import?type=PSM", file: file)
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(r["applied"], false)
        let errors = r["errors"]?.arrayValue ?? []
        func find(_ code: String) -> JSON? { errors.first { $0["code"]?.stringValue == code } }
        XCTAssertEqual(find("nik_as_number")?["row"], 2)
        XCTAssertEqual(find("nik_as_number")?["column"], "NIK")
        XCTAssertEqual(find("nik_as_number")?["cell"], "B2")
        XCTAssertEqual(find("ambiguous_date")?["column"], "Tanggal Lahir")
        XCTAssertEqual(find("ambiguous_date")?["cell"], "C3")
        XCTAssertEqual(find("invalid_phone")?["column"], "No HP")
        XCTAssertTrue(find("invalid_phone")?["message"]?.stringValue?.contains("kosongkan jika tidak ada") == true)
        XCTAssertEqual(find("masked_value")?["row"], 4)
        XCTAssertTrue(find("masked_value")?["message"]?.stringValue?.contains("samar") == true)
        let twice = try XCTUnwrap(find("duplicate_in_file"))
        XCTAssertEqual(twice["row"], 6)
        XCTAssertTrue(twice["message"]?.stringValue?.contains("baris 5 dan baris 6") == true, twice["message"]?.stringValue ?? "")
    }

    func testSemicolonCSVWithBOMFromIndonesianExcel() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let text = "\u{FEFF}Nama;NIK;Jenis Kelamin;Tanggal Lahir;Desa\r\n"
            + "\"Siti Aminah; S.Pd\";3274015705900001;P;17/05/1990;32.74.01.1001\r\n"
            + "Bambang, S.Sos;3274011203850002;L;12-3-1985;32.74.01.1002\r\n"
        let r = c.csv("/v1/psks/import?type=PSM", text)
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r["created"], 2)
        let siti = c.get("/v1/psks?type=PSM&q=Siti%20Aminah")["items"]?.arrayValue?.first
        XCTAssertEqual(siti?["name"], "Siti Aminah; S.Pd", "a quoted ; is text")
        let budi = c.get("/v1/psks?type=PSM&q=Bambang")["items"]?.arrayValue?.first
        XCTAssertEqual(budi?["name"], "Bambang, S.Sos", "a , is text in a ; file")
        XCTAssertEqual(budi?["birth_date"], "1985-03-12")
    }

    func testFileNotInUTF8GetsAClearAnswer() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let latin1: [UInt8] = Array("nama,desa\nJos".utf8) + [0xE9] + Array(",32.74.01.1001\n".utf8)
        let r = c.request("POST", "/v1/psks/import?type=LKS", body: latin1, contentType: "text/csv")
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(r.header("Content-Type"), "application/problem+json")
        XCTAssertEqual(r["errors"]?.arrayValue?.first?["code"], "not_utf8")
        XCTAssertTrue(r["detail"]?.stringValue?.contains("UTF-8") == true, r.text)
        let xls = c.request("POST", "/v1/psks/import?type=LKS", body: [0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0], contentType: Self.xlsxType)
        XCTAssertEqual(xls.status, 422, xls.text)
        XCTAssertTrue(xls["detail"]?.stringValue?.contains(".xls") == true, xls.text)
    }

    /// The demo register exported as .xlsx: openpyxl reads every NIK as text, intact, and
    /// dates as dates; the file imports back as all unchanged.
    func testExportXLSXReadByOpenpyxlAndReimportedUnchanged() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let r = c.get("/v1/psks/export.xlsx?type=PSM")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.header("Content-Type"), Self.xlsxType)
        XCTAssertEqual(r.header("Content-Disposition"), "attachment; filename=\"psks-psm-3274.xlsx\"")
        let viaAccept = c.get("/v1/psks/export?type=PSM", headers: [("Accept", Self.xlsxType)])
        XCTAssertEqual(viaAccept.header("Content-Type"), Self.xlsxType)
        let file = temp("export.xlsx")
        FileManager.default.createFile(atPath: file, contents: Data(r.body))
        let csvCount = c.get("/v1/psks/export?type=PSM").text.split(separator: "\n").count - 1
        let out = try python("""
        import sys, json, datetime, openpyxl
        ws = openpyxl.load_workbook(sys.argv[1]).active
        rows = list(ws.iter_rows(values_only=True))
        h = rows[0]; nik = h.index("nik"); bd = h.index("birth_date")
        print(json.dumps({"n": len(rows) - 1, "freeze": ws.freeze_panes,
            "nik_text": all(isinstance(r[nik], str) and len(r[nik]) == 16 for r in rows[1:] if r[nik]),
            "dates": all(isinstance(r[bd], datetime.datetime) for r in rows[1:] if r[bd]),
            "first_nik": rows[1][nik]}))
        """, [file])
        let o = try JSON.parse(Array(out.utf8))
        XCTAssertEqual(o["n"]?.intValue, Int64(csvCount))
        XCTAssertEqual(o["freeze"], "A2")
        XCTAssertEqual(o["nik_text"], true)
        XCTAssertEqual(o["dates"], true)
        let back = upload(c, "/v1/psks/import", file: file)
        XCTAssertEqual(back.status, 200, back.text)
        XCTAssertEqual(back["unchanged"]?.intValue, Int64(csvCount))
        XCTAssertEqual(back["created"], 0)
        XCTAssertEqual(back["updated"], 0)
    }

    /// An openpyxl register opened and saved by LibreOffice imports the same way.
    func testXLSXSavedByLibreOffice() throws {
        guard (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains(where: {
            FileManager.default.isExecutableFile(atPath: "\($0)/libreoffice") }) else { throw XCTSkip("libreoffice is not installed") }
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let src = temp("src.xlsx")
        _ = try python(Self.pythonRegister, [src])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["libreoffice", "-env:UserInstallation=file://\(s.directory)/lo", "--headless", "--convert-to", "xlsx",
                       "--outdir", s.directory + "/lo-out", src]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let r = upload(c, "/v1/psks/import?type=PSM", file: s.directory + "/lo-out/src.xlsx")
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r["created"], 2)
        XCTAssertEqual(c.get("/v1/psks?type=PSM&q=Siti%20Aminah")["items"]?.arrayValue?.first?["birth_date"], "1990-05-17")
    }

    func testTemplates() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let book = c.get("/v1/templates/psks/PSM.xlsx")
        XCTAssertEqual(book.status, 200, book.text)
        XCTAssertEqual(book.header("Content-Disposition"), "attachment; filename=\"template-psks-psm.xlsx\"")
        let file = temp("t.xlsx")
        FileManager.default.createFile(atPath: file, contents: Data(book.body))
        let out = try python("""
        import sys, json, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        print(json.dumps({"sheets": wb.sheetnames, "header": [c.value for c in wb.worksheets[0][1]],
            "nik_format": wb.worksheets[0].column_dimensions["C"].number_format if False else None,
            "notes": [r[0] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)]}))
        """, [file])
        let o = try JSON.parse(Array(out.utf8))
        XCTAssertEqual(o["sheets"], .array([.string("PSKS PSM"), .string("Keterangan")]))
        let header = o["header"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertTrue(header.starts(with: ["jenis_psks", "nama", "nik", "jenis_kelamin", "tanggal_lahir"]), "\(header)")
        XCTAssertTrue(o["notes"]?.arrayValue?.contains(.string("nik")) == true)
        // Filled in with openpyxl and sent back, it imports.
        _ = try python("""
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.worksheets[0]
        h = [c.value for c in ws[1]]
        row = [None] * len(h)
        for k, v in {"jenis_psks": "PSM", "nama": "Rina", "nik": "3274015705900009", "jenis_kelamin": "P",
                     "tanggal_lahir": "17/05/1990", "kode_wilayah": "32.74.01.1001", "pendidikan": "SMA"}.items():
            row[h.index(k)] = v
        ws.append(row); wb.save(sys.argv[1])
        """, [file])
        let filled = upload(c, "/v1/psks/import", file: file)
        XCTAssertEqual(filled.status, 200, filled.text)
        XCTAssertEqual(filled["created"], 1)

        let csv = c.get("/v1/templates/psks/LKS", headers: [("Accept", "text/csv")])
        XCTAssertEqual(csv.header("Content-Type"), "text/csv; charset=utf-8")
        XCTAssertTrue(csv.text.hasPrefix("\u{FEFF}jenis_psks,nama,"), csv.text)
        XCTAssertEqual(c.get("/v1/templates/psks/NOPE.xlsx").status, 404)
        XCTAssertEqual(c.get("/v1/templates/attendance.csv").text, "\u{FEFF}id_psks,nama,hadir,lulus,nomor_sertifikat\n")

        let report = c.get("/v1/templates/reports/32.74.01/2026-10.csv")
        XCTAssertEqual(report.status, 200, report.text)
        let lines = report.text.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("\u{FEFF}desa,nama_desa,ABT_L,ABT_P,"), String(lines[0]))
        let desa = c.get("/v1/regions?parent=32.74.01")["items"]?.arrayValue ?? []
        XCTAssertEqual(lines.count - 1, desa.count)
        XCTAssertGreaterThan(desa.count, 0)
        XCTAssertEqual(c.get("/v1/templates/reports/32.74/2026-10.xlsx").status, 400)
        let tksk = s.client(token: try s.token(.tksk, "32.74.02"))
        XCTAssertEqual(tksk.get("/v1/templates/reports/32.74.01/2026-10.xlsx").status, 403)
    }
}
