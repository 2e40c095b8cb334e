import XCTest
@testable import SQLiteStore

final class ValueTests: TempDirectoryTestCase {
    func testEverySQLValueRoundTripsExactly() throws {
        let db = try openDatabase()
        let big = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let values: [SQLValue] = [
            .null, .integer(0), .integer(Int64.min), .integer(Int64.max), .real(3.25), .real(-1e300),
            .text(""), .text("Kecamatan Cipütat — 日本 🇮🇩 e\u{301}"), .text("nul\u{0}inside"),
            .blob([]), .blob([0, 1, 2, 255, 0]), .blob(big),
        ]
        try db.write { conn in
            // No declared type: SQLite keeps each value's own storage class.
            try conn.execute("CREATE TABLE v (id INTEGER PRIMARY KEY, value)")
            for (id, value) in values.enumerated() { try conn.run("INSERT INTO v VALUES (?, ?)", id, value) }
        }
        let back = try db.read { conn in try conn.query("SELECT value FROM v ORDER BY id").map { $0[0] } }
        XCTAssertEqual(back, values)
        // Swift's String == ignores normalization; the bytes must survive too.
        XCTAssertEqual(back[7].textBytes, Array("Kecamatan Cipütat — 日本 🇮🇩 e\u{301}".utf8))
        XCTAssertEqual(back[8].textBytes, [110, 117, 108, 0, 105, 110, 115, 105, 100, 101])
        XCTAssertNotEqual(back[6], .null, "empty string must not turn into NULL")
        XCTAssertNotEqual(back[9], .null, "empty blob must not turn into NULL")
    }

    func testSwiftTypesBindAsExpected() throws {
        let db = try openDatabase()
        let cases: [(SQLBindable?, SQLValue)] = [
            (42, .integer(42)), (Int64(-7), .integer(-7)), (Int32(7), .integer(7)), (2.5, .real(2.5)),
            (true, .integer(1)), (false, .integer(0)), ("héllo", .text("héllo")), ([UInt8]([9, 8]), .blob([9, 8])),
            (SQLValue.real(1.5), .real(1.5)), (nil, .null), (Optional<String>.none, .null),
            (Optional<Int>.some(5), .integer(5)), (Optional<[UInt8]>.none, .null),
        ]
        try db.read { conn in
            for (input, expected) in cases {
                XCTAssertEqual(try conn.queryOne("SELECT ? AS v", [input])?["v"], expected, "binding \(String(describing: input))")
            }
            // Variadic form, mixing types and nil.
            let row = try XCTUnwrap(conn.queryOne("SELECT ? AS a, ? AS b, ? AS c", 1, nil, "x"))
            XCTAssertEqual([row[0], row[1], row[2]], [.integer(1), .null, .text("x")])
        }
    }

    func testRowAccessorsByNameAndIndex() throws {
        let db = try openDatabase()
        let row = try XCTUnwrap(db.read { conn in
            try conn.queryOne("SELECT 7 AS n, NULL AS missing, 'abc' AS s, 2.75 AS d, x'0102' AS b, 1 AS flag, '12' AS numeric")
        })
        XCTAssertEqual(row.columnCount, 7)
        XCTAssertEqual(row.columnName(2), "s")
        XCTAssertEqual(row.int("n"), 7)
        XCTAssertEqual(row.int64("n"), 7)
        XCTAssertEqual(row.optionalInt("n"), 7)
        XCTAssertEqual(row.int("missing"), 0)
        XCTAssertNil(row.optionalInt("missing"))
        XCTAssertEqual(row.string("missing"), "")
        XCTAssertNil(row.optionalString("missing"))
        XCTAssertEqual(row.optionalString("s"), "abc")
        XCTAssertEqual(row.double("d"), 2.75)
        XCTAssertEqual(row.double("n"), 7.0)
        XCTAssertEqual(row.blob("b"), [1, 2])
        XCTAssertTrue(row.bool("flag"))
        XCTAssertFalse(row.bool("missing"))
        XCTAssertEqual(row.int("numeric"), 12)
        XCTAssertEqual(row["no_such_column"], .null)
        XCTAssertEqual(row["N"], .integer(7), "column names are case-insensitive, as in SQL")
        XCTAssertEqual(row.int(0), 7)
        XCTAssertEqual(row.string(2), "abc")
        XCTAssertNil(row.optionalString(1))
        XCTAssertEqual(row[4], .blob([1, 2]))
    }
}

private extension SQLValue {
    var textBytes: [UInt8]? {
        if case .text(let s) = self { return Array(s.utf8) }
        return nil
    }
}
