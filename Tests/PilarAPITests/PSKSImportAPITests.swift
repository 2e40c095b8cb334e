import Foundation
import XCTest
import PilarCore

/// Import and export over HTTP: the Kota Cirebon example, row errors (422 all-or-nothing,
/// 200 with on_error=skip), NDJSON, and the streamed export re-importing as all unchanged.
final class PSKSImportAPITests: XCTestCase {
    var s: TestServer!
    override func tearDown() { s.stop() }

    func testCirebonExampleImportOnAnEmptyRegister() throws {
        s = try TestServer(demo: false)
        let admin = s.client()
        // The 22 kelurahan first (the foundation migration has the five kecamatan).
        var regions = "code,name,level,parent_code\n"
        for r in Demo.registryRecords().map(\.region.dotted) where r.count == 13 && !regions.contains(r) {
            regions += "\(r),Kelurahan \(r.suffix(4)),kelurahan,\(r.prefix(8))\n"
        }
        for code in ["32.74.01.1001", "32.74.01.1002", "32.74.01.1003", "32.74.01.1004", "32.74.02.1001", "32.74.02.1002",
                     "32.74.02.1003", "32.74.02.1004", "32.74.03.1001", "32.74.03.1002", "32.74.03.1003", "32.74.03.1004",
                     "32.74.03.1005", "32.74.04.1001", "32.74.04.1002", "32.74.04.1003", "32.74.04.1004", "32.74.05.1001",
                     "32.74.05.1002", "32.74.05.1003", "32.74.05.1004", "32.74.05.1005"] where !regions.contains(code) {
            regions += "\(code),Kelurahan \(code.suffix(4)),kelurahan,\(code.prefix(8))\n"
        }
        XCTAssertEqual(admin.csv("/v1/regions/import", regions).status, 200)
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        let csv = Demo.registryCSV()
        let r = dinas.csv("/v1/psks/import", csv)
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r["created"], 211)
        XCTAssertEqual(r["rejected"], 0)
        for (type, n) in [("PEKSOS", 3), ("PSM", 100), ("TAGANA", 74), ("LKS", 27), ("PENYULUH", 2), ("TKSK", 5)] {
            let items = dinas.get("/v1/psks?type=\(type)&limit=500")["items"]?.arrayValue ?? []
            XCTAssertEqual(items.count, n, type)
        }
        for kec in ["01", "02", "03", "04", "05"] {
            XCTAssertEqual(dinas.get("/v1/psks?type=PSM&region=32.74.\(kec)&limit=500")["items"]?.arrayValue?.count, 20)
        }
        let again = dinas.csv("/v1/psks/import", csv)
        XCTAssertEqual(again["unchanged"], 211)
    }

    func testRowErrorsRefuseOrSkip() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let text = """
            name,address,head,region,legal_entity
            LKS Mawar,Jl. Mawar 1,Ibu Ani,32.74.01.1001,ya
            LKS Melati,,Ibu Ina,32.74.01.1002,tidak
            LKS Kenanga,Jl. Kenanga 3,Pak Budi,32.74.01.1003,maybe
            LKS Anggrek,Jl. Anggrek 4,Pak Joko,32.74.01.1004,
            """
        let refused = c.csv("/v1/psks/import?type=LKS", text)
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertEqual(refused["applied"], false)
        XCTAssertEqual(refused["rejected"], 2)
        let errors = refused["errors"]?.arrayValue ?? []
        XCTAssertEqual(errors.map { $0["row"]?.intValue ?? 0 }, [3, 4])
        XCTAssertEqual(errors.map { $0["field"]?.stringValue ?? "" }, ["address", "legal_entity"])
        XCTAssertEqual(errors.map { $0["code"]?.stringValue ?? "" }, ["required", "invalid_boolean"])
        XCTAssertEqual(c.get("/v1/psks?q=lks%20mawar")["items"]?.arrayValue?.count, 0)

        let kept = c.csv("/v1/psks/import?type=LKS&on_error=skip", text)
        XCTAssertEqual(kept.status, 200, kept.text)
        XCTAssertEqual(kept["created"], 2)
        XCTAssertEqual(c.get("/v1/psks?q=lks%20mawar")["items"]?.arrayValue?.first?["legal_entity"], true)

        // NDJSON, idempotent on type + region + name (case does not matter).
        let nd = #"{"name": "lks mawar", "address": "Jl. Mawar 1", "head": "Ibu Ani", "region": "32.74.01.1001", "legal_entity": true}"# + "\n"
        let r = c.request("POST", "/v1/psks/import?type=LKS", body: Array(nd.utf8), contentType: "application/x-ndjson")
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r["updated"], 1, "the new spelling of the name is an update, not a second LKS")
    }

    func testExportStreamsCSVThatReimportsUnchanged() throws {
        s = try TestServer()
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        let e = c.get("/v1/psks/export")
        XCTAssertEqual(e.status, 200)
        XCTAssertEqual(e.header("Content-Type"), "text/csv; charset=utf-8")
        XCTAssertTrue(e.header("Content-Disposition")?.contains("psks-all-3274.csv") ?? false)
        XCTAssertEqual(Array(e.body.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertEqual(e.text.split(separator: "\n").count, 212)
        let back = c.request("POST", "/v1/psks/import", body: e.body, contentType: "text/csv")
        XCTAssertEqual(back.status, 200, back.text)
        XCTAssertEqual(back["unchanged"], 211)
        XCTAssertEqual(back["created"], 0)
        XCTAssertEqual(back["updated"], 0)
        // One type, one kecamatan.
        let psm = c.get("/v1/psks/export?type=PSM&region=32.74.04")
        XCTAssertEqual(psm.text.split(separator: "\n").count, 21)
        XCTAssertEqual(c.request("POST", "/v1/psks/import?type=PSM", body: psm.body, contentType: "text/csv")["unchanged"], 20)
    }
}
