import XCTest
@testable import PilarCore

/// Indonesian spreadsheet habits, as pure functions: column names, dates, phone numbers,
/// masked values, CSV delimiter and encoding.
final class SheetHabitsTests: XCTestCase {
    func date(_ s: String) -> String {
        switch SheetDates.parse(s) {
        case .success(let d): return d.description
        case .failure(let p): return p.code
        }
    }

    func testDatesAsOfficesWriteThem() {
        XCTAssertEqual(date("2001-05-21"), "2001-05-21")
        XCTAssertEqual(date("21/05/2001"), "2001-05-21")
        XCTAssertEqual(date("21-5-2001"), "2001-05-21")
        XCTAssertEqual(date("1/2/2001"), "2001-02-01", "day first")
        XCTAssertEqual(date("21.05.2001"), "2001-05-21")
        XCTAssertEqual(date(" 2001/05/21 "), "2001-05-21")
        XCTAssertEqual(date("2001-05-21T00:00:00"), "2001-05-21")
        XCTAssertEqual(date("29/02/2000"), "2000-02-29")
    }

    func testAmbiguousAndWrongDatesAreRefusedWithHowToWriteThem() throws {
        XCTAssertEqual(date("21/05/01"), "ambiguous_date")
        XCTAssertEqual(date("05/21/2001"), "ambiguous_date")
        XCTAssertEqual(date("37032"), "ambiguous_date")
        XCTAssertEqual(date("29/02/2001"), "invalid_date")
        XCTAssertEqual(date("21/05-2001"), "invalid_date")
        XCTAssertEqual(date("kemarin"), "invalid_date")
        guard case .failure(let p) = SheetDates.parse("21/05/01") else { return XCTFail() }
        XCTAssertTrue(p.message.id.contains("DD/MM/YYYY") && p.message.id.contains("tahun"), p.message.id)
        XCTAssertTrue(p.message.en.contains("four digits"), p.message.en)
    }

    func testExcelSerialsFromWorkbooks() throws {
        XCTAssertEqual(try SheetDates.date(serial: 37032).get().description, "2001-05-21")
        XCTAssertEqual(try SheetDates.date(serial: 61).get().description, "1900-03-01")
        XCTAssertThrowsError(try SheetDates.date(serial: 60).get())
        XCTAssertThrowsError(try SheetDates.date(serial: -3).get())
    }

    func phone(_ s: String) -> String {
        switch PhoneNumber.parse(s) {
        case nil: return "none"
        case .success(let p)?: return p.national + (p.restoredLeadingZero ? " restored" : "") + (p.kind == .mobile ? " mobile" : " fixed")
        case .failure(let e)?: return e.code
        }
    }

    func testPhoneNumbersNormalised() {
        XCTAssertEqual(phone("0852-2456-1234"), "085224561234 mobile")
        XCTAssertEqual(phone("+62 852 2456 1234"), "085224561234 mobile")
        XCTAssertEqual(phone("6285224561234"), "085224561234 mobile")
        XCTAssertEqual(phone("+62 0852 2456 1234"), "085224561234 mobile")
        XCTAssertEqual(phone("(022) 4201234"), "0224201234 fixed")
        XCTAssertEqual(phone("0231.234567"), "0231234567 fixed")
        XCTAssertEqual(phone("0967 534567"), "0967534567 fixed", "Papua area codes start with 09")
        XCTAssertEqual(phone("  "), "none")
    }

    func testLostLeadingZeroRecognised() {
        XCTAssertEqual(phone("85224561234"), "085224561234 restored mobile")
        XCTAssertEqual(phone("224201234"), "0224201234 restored fixed")
    }

    func testGarbagePhonesRefused() {
        for bad in ["12", "tidak ada", "-", "0812345", "+1 202 555 0100", "0812-3456-7890 / 0813-1111-2222", "0112345678", "00000000000000"] {
            XCTAssertEqual(phone(bad), "invalid_phone", bad)
        }
        guard case .failure(let p)? = PhoneNumber.parse("tidak ada") else { return XCTFail() }
        XCTAssertTrue(p.message.id.contains("kosongkan jika tidak ada"), p.message.id)
    }

    func testMaskedValuesRecognised() {
        XCTAssertTrue(MaskedValue.isMasked("3274********0001"))
        XCTAssertTrue(MaskedValue.isMasked("3274XXXXXXXX0001"))
        XCTAssertTrue(MaskedValue.isMasked("0812****7890"))
        XCTAssertFalse(MaskedValue.isMasked("3274015705900001"))
        XCTAssertFalse(MaskedValue.isMasked("Maxxi Rahman"))
        XCTAssertTrue(MaskedValue.problem(column: "nik", "3274********0001").message.id.contains("samar"))
    }

    func testColumnNamesInIndonesianAndEnglish() {
        let registry = PSKSFields.csvColumns
        XCTAssertEqual(ColumnNames.canonical("Nama", known: registry), "name")
        XCTAssertEqual(ColumnNames.canonical("Jenis Kelamin", known: registry), "sex")
        XCTAssertEqual(ColumnNames.canonical("TGL. LAHIR", known: registry), "birth_date")
        XCTAssertEqual(ColumnNames.canonical("tanggal_lahir (DD/MM/YYYY)", known: registry), "birth_date")
        XCTAssertEqual(ColumnNames.canonical("pendidikan", known: registry), "education")
        XCTAssertEqual(ColumnNames.canonical("desa", known: registry), "region")
        XCTAssertEqual(ColumnNames.canonical("No. HP", known: registry), "phone")
        XCTAssertEqual(ColumnNames.canonical("birth_date", known: registry), "birth_date")
        XCTAssertNil(ColumnNames.canonical("golongan darah", known: registry))
        // The same word means the report's own column where the import has one.
        XCTAssertEqual(ColumnNames.canonical("desa", known: ReportService.importColumns), "desa")
        XCTAssertEqual(ColumnNames.canonical("Laki-laki", known: ReportService.importColumns), "male")
        XCTAssertEqual(ColumnNames.canonical("kode", known: RegionService.importColumns), "code")
        XCTAssertEqual(ColumnNames.header("birth_date"), "tanggal_lahir")
    }

    func testCSVDelimiterFromHeader() {
        XCTAssertEqual(CSVDialect.delimiter(ofHeader: Array("nama;nik;desa\r\n".utf8)), UInt8(ascii: ";"))
        XCTAssertEqual(CSVDialect.delimiter(ofHeader: Array("\u{FEFF}nama;nik\n".utf8)), UInt8(ascii: ";"))
        XCTAssertEqual(CSVDialect.delimiter(ofHeader: Array("nama,nik,desa\n1;2;3;4;5\n".utf8)), UInt8(ascii: ","), "the header decides")
        XCTAssertEqual(CSVDialect.delimiter(ofHeader: Array("\"a;b\",c\n".utf8)), UInt8(ascii: ","), "quoted ; does not count")
        XCTAssertEqual(CSVDialect.delimiter(ofHeader: Array("nama\n".utf8)), UInt8(ascii: ","))
    }

    func testCSVReaderWithSemicolons() throws {
        var given = false
        var reader = CSVReader(delimiter: UInt8(ascii: ";")) { () -> [UInt8]? in
            if given { return nil }
            given = true
            return Array("\u{FEFF}nama;catatan\r\nSiti;\"a;b\"\r\n".utf8)
        }
        XCTAssertEqual(try reader.nextRecord()?.fields, ["nama", "catatan"])
        XCTAssertEqual(try reader.nextRecord()?.fields, ["Siti", "a;b"])
        XCTAssertNil(try reader.nextRecord())
    }

    func testEncodingProblems() {
        XCTAssertNil(CSVDialect.encodingProblem(Array("nama,desa\nSiti,Cibeureum\n".utf8)))
        XCTAssertNil(CSVDialect.encodingProblem(Array("\u{FEFF}nama\nÑandú".utf8)))
        XCTAssertNil(CSVDialect.encodingProblem(Array("nama\n日".utf8).dropLast()), "a character cut by the end of the head")
        XCTAssertEqual(CSVDialect.encodingProblem([0xFF, 0xFE, 0x6E, 0x00])?.code, "not_utf8")
        XCTAssertEqual(CSVDialect.encodingProblem([0x6E, 0x00, 0x61, 0x00, 0x6D, 0x00])?.code, "not_utf8", "UTF-16 without a BOM")
        XCTAssertNil(CSVDialect.encodingProblem(Array("code,name\n32.74.30,Kec a".utf8) + [0] + Array("b\n".utf8)), "a NUL in a row is that row's problem")
        XCTAssertEqual(CSVDialect.encodingProblem(Array("nama\nJos".utf8) + [0xE9, 0x0A])?.code, "not_utf8", "Windows-1252 é")
        XCTAssertEqual(CSVDialect.encodingProblem([0x50, 0x4B, 0x03, 0x04, 0x14])?.code, "not_csv")
        XCTAssertTrue(CSVDialect.encodingProblem([0xFF, 0xFE])!.message.id.contains("UTF-8"))
    }
}
