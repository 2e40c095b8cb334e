import Foundation
import PilarCore
import XCTest

/// Attack 4 of issue 12: a kabkota token sends large dry-run imports in a loop while TKSK
/// tokens save reports. A dry run goes in rolled-back batches, so it never holds the one writer
/// for long: report saves keep getting through (or get 503 writer_busy within the budget, never
/// a hang), nothing of the dry run is stored, and the normal client stays answered.
final class HostileWriterTests: XCTestCase {
    var s: TestServer!
    let clock = ReportClock("2026-11-05T03:00:00Z")
    override func setUpWithError() throws { s = try reportServer(clock) }
    override func tearDown() { s.stop() }

    /// 80,000 rows in the long form (the figure), fewer in CI.
    static var rows: Int { ProcessInfo.processInfo.environment["PILAR_HOSTILE_SECONDS"] == nil ? 4_000 : 80_000 }

    static func lksCSV(_ n: Int) -> String {
        var text = "name,address,head,region,legal_entity\n"
        text.reserveCapacity(n * 60)
        for i in 1...n { text += "LKS Uji Kering \(i),Jl. Melati \(i),Ibu Ani,32.74.01.1001,ya\n" }
        return text
    }

    func testDryRunImportsDoNotHoldTheWriterFromReportSaves() throws {
        let s = self.s!
        let csv = Self.lksCSV(Self.rows)
        let dinas = s.client(token: try s.token(.kabkota, "32.74"))
        // One TKSK's token on many connections (tabs, retries): its saves in one sitting stay one
        // version, so the version cap (409 version_limit) is not what this test meets.
        let tksk = s.client(token: try s.token(.tksk, "32.74.01"))
        let writers = Array(repeating: tksk, count: Hostile.scaled(8))
        let dryRuns = HostileCounter(), saved = HostileCounter(), busy = HostileCounter()
        let lock = NSLock()
        var other: [Int] = []
        var dryRunStatuses: [Int] = []
        Hostile.attack(s, "dry-run imports beside report saves", seconds: Hostile.seconds(6)) { stop in
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                while !stop.isSet {
                    let r = dinas.csv("/v1/psks/import?type=LKS&dry_run=true", csv)
                    if r.status == 0 && stop.isSet { break }  // cut off by the end of the test
                    lock.locked { dryRunStatuses.append(r.status) }
                    if r.status == 200 { dryRuns.add(1) }
                }
            }
            for (i, c) in writers.enumerated() {
                DispatchQueue.global().async(group: group) {
                    var n: Int64 = 0
                    while !stop.isSet {
                        n += 1
                        let r = c.put("/v1/reports/32.74.01/2026-10", reportBody(lut: Int64(i) * 1000 + n))
                        switch r.status {
                        case 200, 201: saved.add(1)
                        case 503 where r["code"]?.stringValue == "writer_busy": busy.add(1)
                        default: lock.locked { other.append(r.status) }
                        }
                    }
                }
            }
            group.wait()
        }
        if Self.rows < 10_000 {  // a long-form dry run of 80,000 rows may outlast the attack
            XCTAssertGreaterThan(dryRuns.value, 0, "at least one whole dry run answered during the attack")
        }
        XCTAssertEqual(Set(dryRunStatuses).subtracting([200, 503]), [], "dry runs answer 200 (or 503 writer_busy)")
        XCTAssertGreaterThan(saved.value, writers.count, "report saves got the writer between the dry run's batches")
        XCTAssertEqual(other, [], "every save answered 200/201 or 503 writer_busy (saved \(saved.value), busy \(busy.value))")
        let stored = dinas.get("/v1/psks?q=lks%20uji%20kering&limit=5")
        XCTAssertEqual(stored.status, 200)
        XCTAssertEqual(stored["items"]?.arrayValue?.count, 0, "nothing of a dry run is stored")
        print("HOSTILE-WRITER dry_runs=\(dryRuns.value) rows=\(Self.rows) saves=\(saved.value) busy=\(busy.value)")
    }
}
