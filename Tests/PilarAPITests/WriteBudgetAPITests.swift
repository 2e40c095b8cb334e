import Foundation
import XCTest
import PilarCore

/// What a client sees when writes cannot get the database writer in time, and at the import
/// caps: problem+json with a stable code, nothing stored, and how to go on.
final class WriteBudgetAPITests: XCTestCase {
    var s: TestServer!
    override func tearDown() { s.stop() }

    func testAWriteBehindAHeldWriterGets503WithRetryAfterAndSavesNothing() throws {
        s = try TestServer()
        s.pilar.db.writeWaitBudget = 0.3
        let admin = s.client()
        let tokensBefore = try s.pilar.db.read { c in try c.queryOne("SELECT count(*) FROM tokens")?.int(0) }

        // A long write (an import, say) holds the writer until released.
        let held = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        Thread { [s] in
            try? s!.pilar.db.write(waitingAtMost: nil) { _ in held.signal(); release.wait() }
            finished.signal()
        }.start()
        held.wait()
        let busy = admin.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": "made while busy"])
        release.signal()
        XCTAssertEqual(finished.wait(timeout: .now() + 60), .success)

        XCTAssertEqual(busy.status, 503, busy.text)
        XCTAssertEqual(busy.header("Content-Type"), "application/problem+json")
        XCTAssertEqual(busy["code"]?.stringValue, "writer_busy")
        XCTAssertNotNil(Int(busy.header("Retry-After") ?? ""), "Retry-After in seconds")
        XCTAssertEqual(try s.pilar.db.read { c in try c.queryOne("SELECT count(*) FROM tokens")?.int(0) }, tokensBefore,
                       "nothing of the refused write was saved")

        let again = admin.post("/v1/tokens", ["role": "viewer", "region": "32.74", "name": "made while busy"])
        XCTAssertEqual(again.status, 201, "the same request goes through once the writer is free")
    }

    private func lksCSV(_ n: Int, extraLineFeedsInOneCell: Bool = false) -> String {
        var text = "name,address,head,region,legal_entity\n"
        for i in 1...n {
            let address = extraLineFeedsInOneCell && i == 1 ? "\"Jl. Mawar\n1\n2\n3\"" : "Jl. Mawar \(i)"
            text += "LKS Cap \(i),\(address),Ibu Ani,32.74.01.1001,ya\n"
        }
        return text
    }

    func testImportCapsOnRowsAndBytesAnswer413WithTheirCodes() throws {
        var config = PilarConfig()
        config.imports.maxRows = 5
        config.imports.maxBytes = 1_000
        s = try TestServer(config: config)
        let c = s.client(token: try s.token(.kabkota, "32.74"))

        let rows = c.csv("/v1/psks/import?type=LKS&on_error=skip", lksCSV(6))
        XCTAssertEqual(rows.status, 413, rows.text)
        XCTAssertEqual(rows.header("Content-Type"), "application/problem+json")
        XCTAssertEqual(rows["code"]?.stringValue, "import_too_many_rows")
        XCTAssertEqual(rows["max_rows"], 5)
        XCTAssertEqual(rows["errors"]?.arrayValue?.first?["code"]?.stringValue, "import_too_many_rows")
        XCTAssertEqual(c.get("/v1/psks?q=lks%20cap")["items"]?.arrayValue?.count, 0, "no row of a refused file is stored")

        // Line feeds inside a quoted cell are not rows: five rows pass.
        let five = c.csv("/v1/psks/import?type=LKS", lksCSV(5, extraLineFeedsInOneCell: true))
        XCTAssertEqual(five.status, 200, five.text)
        XCTAssertEqual(five["created"], 5)

        let big = "name,address,head,region,legal_entity\n" + "LKS Big,\(String(repeating: "x", count: 1_100)),Ibu Ani,32.74.01.1001,ya\n"
        let bytes = c.csv("/v1/psks/import?type=LKS", big)
        XCTAssertEqual(bytes.status, 413, bytes.text)
        XCTAssertEqual(bytes["code"]?.stringValue, "import_too_large")
        XCTAssertEqual(bytes["max_bytes"], 1_000)
        XCTAssertEqual(c.get("/v1/psks?q=lks%20big")["items"]?.arrayValue?.count, 0)
    }

    func testSkipModeInBatchesStoresWholeRecordsWithAuditAndCounts() throws {
        var config = PilarConfig()
        config.imports.batchRows = 2
        s = try TestServer(config: config)
        let c = s.client(token: try s.token(.kabkota, "32.74"))
        var text = "name,address,head,region,legal_entity\n"
        for i in 1...7 { text += "LKS Batch \(i),\(i == 4 ? "" : "Jl. Batch \(i)"),Ibu Ani,32.74.01.1001,ya\n" }
        let auditBefore = try s.pilar.db.read { c in try c.queryOne("SELECT count(*) FROM audit_log WHERE action = 'import_create'")?.int(0) ?? 0 }

        let r = c.csv("/v1/psks/import?type=LKS&on_error=skip", text)
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r["created"], 6)
        XCTAssertEqual(r["rejected"], 1)
        XCTAssertEqual(r["errors"]?.arrayValue?.first?["row"], 5)
        let stored = c.get("/v1/psks?q=lks%20batch&limit=50")["items"]?.arrayValue ?? []
        XCTAssertEqual(Set(stored.compactMap { $0["name"]?.stringValue }),
                       Set([1, 2, 3, 5, 6, 7].map { "LKS Batch \($0)" }))
        for record in stored { XCTAssertEqual(record["address"]?.stringValue?.hasPrefix("Jl. Batch"), true) }
        let auditAfter = try s.pilar.db.read { c in try c.queryOne("SELECT count(*) FROM audit_log WHERE action = 'import_create'")?.int(0) ?? 0 }
        XCTAssertEqual(auditAfter - auditBefore, 6, "one audit entry per stored record")

        // The same file again: idempotent across batches.
        let again = c.csv("/v1/psks/import?type=LKS&on_error=skip", text)
        XCTAssertEqual(again["unchanged"], 6)
        XCTAssertEqual(again["created"], 0)
    }
}
