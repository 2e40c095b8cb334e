import Foundation
import XCTest
import PilarCore

/// A TKSK's filled monthly sheet becomes this month's draft: the wide template filled with
/// openpyxl, or the long form as `;`-CSV, through PUT with the same rules, If-Match and versions.
final class ReportSheetAPITests: XCTestCase {
    var s: TestServer!
    override func tearDown() { s?.stop() }
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    var period: String {
        let d = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Jakarta")!, from: Date())
        return String(format: "%04d-%02d", d.year!, d.month!)
    }

    func python(_ code: String, _ args: [String]) throws { _ = try runPython(code, args) }

    func testWideTemplateFilledInBecomesTheDraft() throws {
        s = try TestServer()
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        let path = "/v1/reports/32.74.01/\(period)"
        let template = tksk.get("/v1/templates/reports/32.74.01/\(period).xlsx")
        XCTAssertEqual(template.status, 200, template.text)
        let file = s.directory + "/laporan.xlsx"
        FileManager.default.createFile(atPath: file, contents: Data(template.body))
        // The first desa: 2 + 1 persons in the first person category, 4 in the first household one.
        try python("""
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.worksheets[0]
        h = [c.value for c in ws[1]]
        person = next(i for i, v in enumerate(h) if v.endswith("_L"))
        other = next(i for i, v in enumerate(h) if i > 1 and not v.endswith("_L") and not v.endswith("_P"))
        ws.cell(row=2, column=person + 1, value=2); ws.cell(row=2, column=person + 2, value=1)
        ws.cell(row=2, column=other + 1, value=4)
        open(sys.argv[2], "w").write(h[person][:-2] + "," + h[other] + "," + ws.cell(row=2, column=1).value)
        wb.save(sys.argv[1])
        """, [file, file + ".codes"])
        let codes = try String(contentsOfFile: file + ".codes", encoding: .utf8).split(separator: ",").map(String.init)
        let before = tksk.get(path)
        var headers: [(String, String)] = []
        if let etag = before.header("ETag") { headers.append(("If-Match", etag)) }
        let put = tksk.request("PUT", path, body: [UInt8](FileManager.default.contents(atPath: file)!), contentType: Self.xlsxType, headers: headers)
        XCTAssertTrue([200, 201].contains(put.status), put.text)
        XCTAssertEqual(put["status"], "draft")
        let lines = put["pmks"]?.arrayValue ?? []
        let person = lines.first { $0["category"]?.stringValue == codes[0] && $0["desa"]?.stringValue == codes[2] }
        XCTAssertEqual(person?["male"], 2)
        XCTAssertEqual(person?["female"], 1)
        let other = lines.first { $0["category"]?.stringValue == codes[1] && $0["desa"]?.stringValue == codes[2] }
        XCTAssertEqual(other?["count"], 4)
        // A stale If-Match is refused as for a JSON PUT.
        let stale = tksk.request("PUT", path, body: [UInt8](FileManager.default.contents(atPath: file)!), contentType: Self.xlsxType,
                                 headers: [("If-Match", "\"stale\"")])
        XCTAssertEqual(stale.status, 412, stale.text)
        // The long form as ;-CSV replaces the counts; a bad cell names its row and column.
        let long = "\u{FEFF}kategori;desa;laki_laki;perempuan;jumlah\r\n\(codes[0]);\(codes[2]);5;6;\r\n"
        let second = tksk.request("PUT", path, body: Array(long.utf8), contentType: "text/csv")
        XCTAssertEqual(second.status, 200, second.text)
        XCTAssertEqual(second["pmks"]?.arrayValue?.count, 1)
        XCTAssertEqual(second["pmks"]?.arrayValue?.first?["male"], 5)
        let bad = tksk.request("PUT", path, body: Array("kategori,desa,laki_laki,perempuan\n\(codes[0]),\(codes[2]),dua,1\n".utf8), contentType: "text/csv")
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertTrue(bad["detail"]?.stringValue?.contains("baris 2, kolom laki_laki") == true, bad.text)
        let unknown = tksk.request("PUT", path, body: Array("kategori,desa,jumlah\nNOPE,\(codes[2]),1\n".utf8), contentType: "text/csv")
        XCTAssertEqual(unknown.status, 422, unknown.text)
        XCTAssertTrue(unknown["errors"]?.arrayValue?.contains { $0["message"]?.stringValue?.hasPrefix("baris 2:") == true } == true, unknown.text)
        // A sheet that cannot be read is the report's content breaking a rule: 422 with its code,
        // as for a JSON body (the contract test sends such bodies and allows no 400 here).
        let unreadable = tksk.request("PUT", path, body: Array("kat\u{1D}egori,desa\n".utf8), contentType: "text/csv")
        XCTAssertEqual(unreadable.status, 422, unreadable.text)
        XCTAssertEqual(unreadable["errors"]?.arrayValue?.first?["code"], "unreadable_sheet", unreadable.text)
        // Another kecamatan's TKSK may not.
        let other2 = s.client(token: try s.token(.tksk, "32.74.02"))
        XCTAssertEqual(other2.request("PUT", path, body: Array(long.utf8), contentType: "text/csv").status, 403)
    }
}
