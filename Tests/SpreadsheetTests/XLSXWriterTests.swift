import Foundation
import XCTest
@testable import Spreadsheet

final class XLSXWriterTests: XCTestCase {
    func writeRegister(to url: URL, rows extra: Int = 0) throws {
        let w = XLSXWriter()
        try w.beginSheet(name: "Data PSKS", columns: [
            .init("nama"), .init("nik"), .init("no_hp"), .init("tanggal_lahir", .date), .init("jumlah", .number), .init("aktif", .bool),
        ])
        try w.writeRow([.text("Siti Aminah"), .text("3274015705900001"), .text("085224561234"),
                        .date(SheetDate(year: 1990, month: 5, day: 17)), .number(3), .bool(true)])
        try w.writeRow([.text("  <Budi> & \"Ani\"\u{1} "), .text("9171015705900001"), .empty, .date(SheetDate(year: 1899, month: 12, day: 1)), .number(2.5), .bool(false)])
        for i in 0..<extra {
            try w.writeRow([.text("Orang \(i)"), .text(String(3_274_015_705_900_000 + i)), .text("0812\(i)"), .date(SheetDate(year: 2000, month: 1, day: 1 + i % 28)), .number(Double(i)), .bool(i % 2 == 0)])
        }
        try w.beginSheet(name: "Keterangan: kolom/arti", columns: [.init("kolom"), .init("arti", .note, width: 80)])
        try w.writeRow([.text("nik"), .text("16 angka, ditulis sebagai teks")])
        try w.finish(to: url)
    }

    /// What a person relies on when opening Pilar's file: NIK and phone as text (never
    /// 3.27E+15, the 0 kept), dates as dates, a frozen bold header, the explanations sheet.
    func testOpenpyxlReadsWhatPilarWrites() throws {
        let url = tempURL("pilar.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try writeRegister(to: url)
        let json = try openpyxl("openpyxl_read.py", [url.path])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let sheets = parsed["sheets"] as! [[String: Any]]
        XCTAssertEqual(sheets.map { $0["title"] as! String }, ["Data PSKS", "Keterangan kolomarti"])
        XCTAssertEqual(sheets[0]["freeze"] as? String, "A2")
        var cells: [String: [String: Any]] = [:]
        for c in sheets[0]["cells"] as! [[String: Any]] { cells[c["ref"] as! String] = c }
        XCTAssertEqual(cells["A1"]?["bold"] as? Bool, true)
        XCTAssertEqual(cells["B2"]?["value"] as? String, "3274015705900001")
        XCTAssertEqual(cells["B2"]?["type"] as? String, "s")
        XCTAssertEqual(cells["B2"]?["format"] as? String, "@")
        XCTAssertEqual(cells["B3"]?["value"] as? String, "9171015705900001", "a NIK beyond 2^53 is intact")
        XCTAssertEqual(cells["C2"]?["value"] as? String, "085224561234")
        XCTAssertEqual(cells["D2"]?["value"] as? String, "1990-05-17")
        XCTAssertEqual(cells["D2"]?["type"] as? String, "d")
        XCTAssertEqual(cells["D2"]?["format"] as? String, "dd/mm/yyyy")
        XCTAssertEqual(cells["D3"]?["value"] as? String, "1899-12-01", "a day Excel cannot hold is written as text")
        XCTAssertEqual((cells["E3"]?["value"] as? NSNumber)?.doubleValue, 2.5)
        XCTAssertEqual(cells["F2"]?["value"] as? Bool, true)
        XCTAssertEqual(cells["A3"]?["value"] as? String, "  <Budi> & \"Ani\" ", "escaped, spaces kept, control character dropped")
        XCTAssertNil(cells["C3"], "an empty value writes no cell")
        XCTAssertEqual((sheets[1]["cells"] as! [[String: Any]]).count, 4)
    }

    /// LibreOffice opens Pilar's workbook and saves it as CSV with the same values (it would
    /// refuse a broken file). Runs where `libreoffice` is installed.
    func testLibreOfficeOpensWhatPilarWrites() throws {
        guard which("libreoffice") else { throw XCTSkip("libreoffice is not installed") }
        let dir = tempURL("lo")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("pilar.xlsx")
        try writeRegister(to: url)
        let csv = try String(contentsOf: try libreOfficeConvert(url, to: "csv", in: dir), encoding: .utf8)
        let lines = csv.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "nama,nik,no_hp,tanggal_lahir,jumlah,aktif")
        let fields = lines[1].split(separator: ",").map(String.init)
        XCTAssertEqual(fields[0...2], ["Siti Aminah", "3274015705900001", "085224561234"])
        // The CSV filter writes the date in its own locale's order; the day is what counts.
        XCTAssertTrue(fields[3].contains("17") && fields[3].contains("05") && fields[3].contains("1990"), fields[3])
        XCTAssertEqual(fields[4...5], ["3", "TRUE"])
    }

    /// Pilar reads its own output back, rows streamed both ways.
    func testRoundTripThroughOwnReader() throws {
        let url = tempURL("rt.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try writeRegister(to: url, rows: 3_000)
        let reader = try XLSXReader(url: url)
        let rows = try reader.rows()
        var n = 0
        var last: SheetRow?
        while let r = try rows.next() { n += 1; last = r }
        XCTAssertEqual(n, 3_003)
        XCTAssertEqual(last?.cells, [.text("Orang 2999"), .text("3274015705902999"), .text("08122999"),
                                     .date(SheetDate(year: 2000, month: 1, day: 1 + 2999 % 28)), .number(2999), .bool(false)])
    }

    func testSheetNamesExcelAccepts() {
        XCTAssertEqual(XLSXWriter.sheetName("a/b:c", taken: []), "abc")
        XCTAssertEqual(XLSXWriter.sheetName(String(repeating: "x", count: 40), taken: []).count, 31)
        XCTAssertEqual(XLSXWriter.sheetName("Data", taken: ["data"]), "Data 2")
    }
}
