import Foundation
import XCTest
import PilarCore

/// Every stats table as .xlsx (`.xlsx` on the path or Accept), read back by openpyxl: the same
/// table as the CSV, counts as numbers, codes as text, the header row frozen; its own ETag.
final class StatsXLSXAPITests: XCTestCase {
    var s: TestServer!
    override func tearDown() { s?.stop() }
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    func testEveryStatsTableAsAWorkbook() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        var tables = 0
        for path in ["/v1/stats/psks?region=32.74", "/v1/stats/pmks?region=32.74", "/v1/stats/completeness?region=32.74",
                     "/v1/stats/capacity?region=32.74"] {
            let q = path.firstIndex(of: "?")!
            let book = c.get(path[..<q] + ".xlsx" + path[q...])
            XCTAssertEqual(book.status, 200, "\(path): \(book.text)")
            XCTAssertEqual(book.header("Content-Type"), Self.xlsxType)
            XCTAssertTrue(book.header("Content-Disposition")?.contains(".xlsx\"") == true, book.header("Content-Disposition") ?? "")
            let csv = c.get(path[..<q] + ".csv" + path[q...])
            let file = s.directory + "/stats.xlsx"
            FileManager.default.createFile(atPath: file, contents: Data(book.body))
            let seen = try runPython("""
            import sys, json, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            kinds = sorted({type(v).__name__ for r in rows[1:] for v in r if v is not None})
            print(json.dumps({"frozen": ws.freeze_panes, "header": rows[0], "n": len(rows) - 1, "kinds": kinds,
                              "text": [[("" if v is None else (str(v) if not isinstance(v, float) or not v.is_integer() else str(int(v)))) for v in r] for r in rows]}))
            """, [file])
            let o = try JSON.parse(Array(seen.utf8))
            XCTAssertEqual(o["frozen"], "A2", "\(path): the header row is frozen")
            let empty = o["n"] == 0
            XCTAssertTrue(empty || o["kinds"]?.arrayValue?.contains("int") == true,
                          "\(path): counts are numbers: \(seen)")
            // The same table as the CSV, cell for cell.
            let csvRows = csv.text.dropFirst().split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let bookRows = (o["text"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).map { $0.stringValue ?? "" } }
            XCTAssertEqual(bookRows.count, csvRows.count, path)
            XCTAssertEqual(bookRows.first, csvRows.first, path)
            tables += empty ? 0 : 1
        }
        XCTAssertGreaterThanOrEqual(tables, 3, "the demo fills most tables")
    }

    func testAcceptChoosesTheWorkbookWithItsOwnTag() throws {
        s = try TestServer()
        let c = s.client()
        let json = c.get("/v1/stats/psks?region=32.74")
        let book = c.get("/v1/stats/psks?region=32.74", headers: [("Accept", Self.xlsxType)])
        XCTAssertEqual(book.status, 200)
        XCTAssertEqual(book.header("Content-Type"), Self.xlsxType)
        XCTAssertEqual(Array(book.body.prefix(2)), [0x50, 0x4B], "a zip")
        let tag = try XCTUnwrap(book.header("ETag"))
        XCTAssertNotEqual(tag, json.header("ETag"), "a workbook is not the JSON answer")
        XCTAssertEqual(c.get("/v1/stats/psks?region=32.74", headers: [("Accept", Self.xlsxType), ("If-None-Match", tag)]).status, 304)
        XCTAssertEqual(c.get("/v1/stats/psks?region=32.74", headers: [("Accept", Self.xlsxType),
                                                                      ("If-None-Match", json.header("ETag")!)]).status, 200)
    }
}
