import Foundation
import XCTest
@testable import Spreadsheet

final class XLSXReaderTests: XCTestCase {
    func rows(_ url: URL, sheet: Int = 0) throws -> [SheetRow] {
        let reader = try XLSXReader(url: url)
        let rows = try reader.rows(sheet: sheet)
        var out: [SheetRow] = []
        while let r = try rows.next() { out.append(r) }
        return out
    }

    /// A register written by openpyxl: shared strings, rich text, numbers, dates, booleans,
    /// a formula, a skipped row, spaces at the edges and non-ASCII text.
    func testReadsWorkbookWrittenByOpenpyxl() throws {
        let url = tempURL("openpyxl.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try openpyxl("openpyxl_write.py", [url.path])
        let reader = try XLSXReader(url: url)
        XCTAssertEqual(reader.sheetNames, ["Data PSKS", "Keterangan"])
        let r = try rows(url)
        XCTAssertEqual(r.map(\.number), [1, 2, 3, 5, 6])
        XCTAssertEqual(r[0].cells.map(\.text), ["nama", "nik", "tanggal_lahir", "no_hp", "jumlah", "aktif", "catatan"])
        XCTAssertEqual(r[1].cells, [.text("Siti Aminah"), .text("3274015705900001"), .date(SheetDate(year: 1990, month: 5, day: 17)),
                                    .number(85224561234), .number(3), .bool(true), .text("Desa <Sukamaju> & \"RW 02\"")])
        XCTAssertEqual(r[1].cells[3].text, "85224561234", "a phone typed as a number comes back without exponent")
        XCTAssertEqual(r[2].cells[2], .date(SheetDate(year: 1985, month: 3, day: 12, secondsOfDay: 8 * 3600 + 30 * 60)))
        XCTAssertEqual(r[2].cells[4], .number(2.5))
        XCTAssertEqual(r[2].cells[5], .bool(false))
        XCTAssertEqual(r[2].cells[6], .text("tebal biasa"), "rich text runs are joined")
        XCTAssertEqual(r[3].cells[0], .empty)
        XCTAssertEqual(r[3].cells[2], .date(SheetDate(year: 2001, month: 5, day: 21)))
        XCTAssertEqual(r[4].cells[0], .text("  spasi di tepi  "))
        XCTAssertEqual(r[4].cells[1], .text("Ñandú – ümlaut 日本"))
        let second = try rows(url, sheet: 1)
        XCTAssertEqual(second.map { $0.cells.map(\.text) }, [["kolom", "arti"], ["nik", "16 angka"]])
    }

    /// The same register after LibreOffice opened and saved it (its own styles, shared strings
    /// and date formats). Fixtures/libreoffice.xlsx was made by:
    ///   python3 openpyxl_write.py src.xlsx && libreoffice --headless --convert-to xlsx --outdir lo src.xlsx
    /// (LibreOffice 7.4, Debian 12), copied from lo/src.xlsx.
    func testReadsWorkbookWrittenByLibreOffice() throws {
        let r = try rows(fixtures.appendingPathComponent("libreoffice.xlsx"))
        XCTAssertEqual(r[0].cells.map(\.text), ["nama", "nik", "tanggal_lahir", "no_hp", "jumlah", "aktif", "catatan"])
        XCTAssertEqual(r[1].cells[0], .text("Siti Aminah"))
        XCTAssertEqual(r[1].cells[1], .text("3274015705900001"))
        XCTAssertEqual(r[1].cells[2], .date(SheetDate(year: 1990, month: 5, day: 17)))
        XCTAssertEqual(r[1].cells[3].text, "85224561234")
        XCTAssertEqual(r[1].cells[5], .bool(true))
        XCTAssertEqual(r[1].cells[6], .text("Desa <Sukamaju> & \"RW 02\""))
        let c5 = try XCTUnwrap(r.first { $0.number == 5 })
        XCTAssertEqual(c5.cells[2], .date(SheetDate(year: 2001, month: 5, day: 21)))
        XCTAssertEqual(c5.cells[4], .number(5.5), "a formula is read by its cached value")
    }

    /// LibreOffice on this machine converts a Pilar workbook and a CSV the way an office
    /// would, and the reader takes both. Runs where `libreoffice` is installed.
    func testLiveLibreOfficeConversion() throws {
        guard which("libreoffice") else { throw XCTSkip("libreoffice is not installed") }
        let dir = tempURL("lo")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("register.csv")
        try "nama,nik,jumlah\nSiti,\"3274015705900001\",3\n".write(to: csv, atomically: true, encoding: .utf8)
        let r = try rows(try libreOfficeConvert(csv, to: "xlsx", in: dir))
        XCTAssertEqual(r[0].cells.map(\.text), ["nama", "nik", "jumlah"])
        XCTAssertEqual(r[1].cells[0], .text("Siti"))
        XCTAssertEqual(r[1].cells[2], .number(3), "a General number is no date")
        // LibreOffice reads an unmarked 16-digit NIK in a CSV as a number and loses its last
        // digit: what an import must refuse, and why templates mark the column as text.
        XCTAssertEqual(r[1].cells[1], .number(3274015705900000))
    }

    func testRefusesWhatIsNoWorkbook() throws {
        let csv = tempURL("x.xlsx")
        try Data("nama,nik\n".utf8).write(to: csv)
        XCTAssertThrowsError(try XLSXReader(url: csv)) { XCTAssertEqual($0 as? SpreadsheetError, .notAWorkbook) }
        let ole = tempURL("y.xlsx")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).write(to: ole)
        XCTAssertThrowsError(try XLSXReader(url: ole)) { XCTAssertEqual($0 as? SpreadsheetError, .legacyOrEncrypted) }
        try? FileManager.default.removeItem(at: csv)
        try? FileManager.default.removeItem(at: ole)
    }

    /// A small file that inflates to more than the limit stops at the limit (a zip bomb).
    func testSheetLargerThanLimitIsRefused() throws {
        let url = tempURL("big.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let w = XLSXWriter()
        try w.beginSheet(name: "Data", columns: [.init("a")])
        for _ in 0..<5_000 { try w.writeRow([.text(String(repeating: "a", count: 100))]) }
        try w.finish(to: url)
        var limits = XLSXReader.Limits()
        limits.sheetBytes = 100_000
        let reader = try XLSXReader(url: url, limits: limits)
        XCTAssertThrowsError(try reader.rows()) {
            guard case .tooLarge? = $0 as? SpreadsheetError else { return XCTFail("\($0)") }
        }
    }

    func testExcelSerialDates() {
        XCTAssertEqual(SheetDate(serial: 1), SheetDate(year: 1900, month: 1, day: 1))
        XCTAssertEqual(SheetDate(serial: 59), SheetDate(year: 1900, month: 2, day: 28))
        XCTAssertNil(SheetDate(serial: 60), "Excel's 29 February 1900 is no day")
        XCTAssertEqual(SheetDate(serial: 61), SheetDate(year: 1900, month: 3, day: 1))
        XCTAssertEqual(SheetDate(serial: 37032), SheetDate(year: 2001, month: 5, day: 21))
        XCTAssertEqual(SheetDate(serial: 45000.5), SheetDate(year: 2023, month: 3, day: 15, secondsOfDay: 43_200))
        XCTAssertEqual(SheetDate(serial: 0, date1904: true), nil)
        XCTAssertEqual(SheetDate(serial: 35570, date1904: true), SheetDate(year: 2001, month: 5, day: 21))
        XCTAssertEqual(SheetDate(year: 2001, month: 5, day: 21).serial, 37032)
        XCTAssertNil(SheetDate(year: 1900, month: 2, day: 28).serial)
        XCTAssertEqual(ColumnName.letters(0), "A")
        XCTAssertEqual(ColumnName.letters(27), "AB")
        XCTAssertEqual(ColumnName.index(ofReference: "AB12"), 27)
    }

    /// The scanner gives the same events whatever the chunking: here one byte at a time.
    func testScannerAcrossChunkBoundaries() throws {
        let xml = Array("""
        <?xml version="1.0"?><!-- note --><x:row r="3" a='1>2'><x:c r="B3" t="inlineStr"><is><t>a &amp; b &#233;&#x4E2D;</t></is></x:c><v><![CDATA[<raw>&]]></v><e/></x:row>
        """.utf8)
        var i = 0
        var s = XMLScanner(part: "t") { () -> [UInt8]? in
            guard i < xml.count else { return nil }
            i += 1
            return [xml[i - 1]]
        }
        var seen: [String] = []
        while let e = try s.next() {
            switch e {
            case .start(let n, let a, let sc): seen.append("<\(String(decoding: n, as: UTF8.self))\(a.map { " \(String(decoding: $0.name, as: UTF8.self))=\($0.value)" }.joined())\(sc ? "/" : "")>")
            case .end(let n): seen.append("</\(String(decoding: n, as: UTF8.self))>")
            case .text(let t): seen.append(XMLScanner.decode(t))
            }
        }
        XCTAssertEqual(seen, ["<row r=3 a=1>2>", "<c r=B3 t=inlineStr>", "<is>", "<t>", "a & b é中", "</t>", "</is>", "</c>",
                              "<v>", "<raw>&", "</v>", "<e/>", "</row>"])
    }

    func testScannerRefusesDoctype() {
        var s = XMLScanner(part: "t", bytes: Array("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>".utf8))
        XCTAssertThrowsError(try s.next())
    }
}
