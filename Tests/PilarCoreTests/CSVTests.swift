import XCTest
@testable import PilarCore

final class CSVTests: XCTestCase {
    func records(_ text: String, pieceSize: Int = 1) throws -> [(Int, [String])] {
        let bytes = Array(text.utf8)
        var offset = 0
        var reader = CSVReader {
            guard offset < bytes.count else { return nil }
            let end = min(offset + pieceSize, bytes.count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
        var out: [(Int, [String])] = []
        while let r = try reader.nextRecord() { out.append((r.line, r.fields)) }
        return out
    }

    func testQuotedFieldsCRLFAndLineNumbersAtEveryChunkSize() throws {
        let text = "\u{FEFF}code,name\r\n11,\"Aceh, Selatan\"\r\n12,\"two\nlines\"\n\n13,\"say \"\"hi\"\"\"\n14,"
        for size in [1, 2, 3, 7, 64, 4096] {
            let r = try records(text, pieceSize: size)
            XCTAssertEqual(r.map(\.0), [1, 2, 3, 6, 7], "chunk size \(size)")
            XCTAssertEqual(r[0].1, ["code", "name"])
            XCTAssertEqual(r[1].1, ["11", "Aceh, Selatan"])
            XCTAssertEqual(r[2].1, ["12", "two\nlines"])
            XCTAssertEqual(r[3].1, ["13", "say \"hi\""])
            XCTAssertEqual(r[4].1, ["14", ""])
        }
    }

    func testErrorsNameTheLine() {
        XCTAssertThrowsError(try records("a,b\n1,\"open\n2,3\n")) { e in
            XCTAssertEqual((e as? CSVError)?.line, 2)
        }
        XCTAssertThrowsError(try records("a\nx\"y\n")) { e in XCTAssertEqual((e as? CSVError)?.line, 2) }
        XCTAssertThrowsError(try records("a\n\"x\"y\n"))
        var invalid = CSVReader(bytes: [0x61, 0x0A, 0xC3, 0x28, 0x0A])
        XCTAssertThrowsError(try invalid.allRecords()) { e in
            XCTAssertEqual((e as? CSVError)?.reason, "not_utf8")  // PilarAPI says it: csv_syntax.not_utf8
        }
    }

    func testRecordLengthIsBounded() {
        let long = "a\n" + String(repeating: "x", count: 100_000) + "\n"
        XCTAssertThrowsError(try records(long, pieceSize: 4096))
    }

    func testWriterOutputReadsBackUnchanged() throws {
        let rows = [["32.74", "Kota, Cirebon", "say \"x\"", "two\nlines", " padded ", "plain"]]
        var bytes: [UInt8] = []
        for r in rows { bytes += CSVWriter.line(r) }
        var reader = CSVReader(bytes: bytes)
        XCTAssertEqual(try reader.nextRecord()?.fields, rows[0])
    }

    func testSpoolRowsCheckHeaderAndColumnCounts() throws {
        let text = "code,name,level,parent_code\n32,Jawa Barat,provinsi,\n32.74,Kota Cirebon\n"
        var given = false
        let spool = try ImportSpool { given ? nil : { given = true; return Array(text.utf8) }() }
        let rows = Array(try spool.rows(format: .csv, required: ["code"], known: ["code", "name", "level", "parent_code"]))
        XCTAssertEqual(rows.count, 2)
        guard case .success(let first) = rows[0], case .failure(let second) = rows[1] else { return XCTFail() }
        XCTAssertEqual(first.line, 2)
        XCTAssertEqual(first["code"], "32")
        XCTAssertNil(first["parent_code"], "empty values read as absent")
        XCTAssertEqual(second.row, 3)
        XCTAssertEqual(second.code, "column_count")
        XCTAssertThrowsError(try spool.rows(format: .csv, required: ["code"], known: ["code"])) { e in
            XCTAssertEqual((e as? PilarError)?.kind, .unprocessable)
        }
    }

    func testNDJSONRows() throws {
        let text = "{\"code\":\"32\",\"n\":1}\n\nnot json\n{\"code\":32}\n"
        var given = false
        let spool = try ImportSpool { given ? nil : { given = true; return Array(text.utf8) }() }
        let rows = Array(try spool.rows(format: .ndjson, required: [], known: ["code", "n"]))
        XCTAssertEqual(rows.count, 3)
        if case .success(let r) = rows[0] { XCTAssertEqual(r.line, 1); XCTAssertEqual(r["n"], "1") } else { XCTFail() }
        if case .failure(let e) = rows[1] { XCTAssertEqual(e.row, 3) } else { XCTFail() }
        if case .success(let r) = rows[2] { XCTAssertEqual(r["code"], "32") } else { XCTFail() }
    }
}

extension CSVReader {
    mutating func allRecords() throws -> [[String]] {
        var out: [[String]] = []
        while let r = try nextRecord() { out.append(r.fields) }
        return out
    }
}
