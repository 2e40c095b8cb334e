import Foundation
import XCTest
@testable import PilarAPI
import PilarCore
#if canImport(Glibc)
import Glibc
#endif

/// Big imports as jobs (`Prefer: respond-async`), over HTTP: 202 with a status URL that shows
/// rows done and rows per second, then the answer the import gives at once (with its
/// rejected-rows link); small imports stay synchronous; only the starting token (and admin)
/// sees a job; a job that a restart interrupted is marked failed.
final class ImportJobAPITests: XCTestCase {
    var s: TestServer!
    override func tearDown() { s?.stop() }

    /// `n` desa under Kejaksan (32.74.01), and one row that is not a region at the end.
    static func regionsCSV(_ n: Int, bad: Bool = true) -> [UInt8] {
        var text = "code,name,level,parent_code\n"
        for i in 0..<n { text += "32.74.01.\(2000 + i % 7000),Desa Uji \(i),desa,32.74.01\n" }
        if bad { text += "32.74.01.99999,Salah,desa,32.74.01\n" }
        return Array(text.utf8)
    }

    /// Polls the status URL until the job is no longer running (bounded against a hang).
    func waitForJob(_ c: TestClient, _ url: String, sawRunning: inout Bool) -> TestResponse {
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            let r = c.get(url)
            guard r.status == 200, r["state"] == "running" else { return r }
            sawRunning = true
            XCTAssertNotNil(r["rows_done"]?.intValue)
            XCTAssertNotNil(r["rows_per_second"])
            usleep(50_000)
        }
        XCTFail("the job did not finish")
        return c.get(url)
    }

    func testBigImportRunsAsAJobAndReportsItsAnswer() throws {
        s = try TestServer()
        let owner = try s.token(.admin, nil, name: "pemilik impor")
        let c = s.client(token: owner)
        let r = c.request("POST", "/v1/regions/import?dry_run=true", body: Self.regionsCSV(5000), contentType: "text/csv",
                          headers: [("Prefer", "respond-async")])
        XCTAssertEqual(r.status, 202, r.text)
        XCTAssertEqual(r.header("Preference-Applied"), "respond-async")
        guard let url = r.header("Location") else { return XCTFail("no Location") }
        XCTAssertEqual(r["status_url"]?.stringValue, url)

        // Another admin may look; a Dinas token may not (the same 404 as no job at all).
        XCTAssertEqual(s.client(token: try s.token(.kabkota, "32.74")).get(url).status, 404)
        var running = false
        let done = waitForJob(c, url, sawRunning: &running)
        XCTAssertEqual(done["state"], "done", done.text)
        XCTAssertEqual(done["result_status"], 200)
        XCTAssertEqual(done["rows_done"], 5001)
        XCTAssertEqual(done["fraction_read"], 1, "a finished job has read its whole file")
        XCTAssertEqual(done["result"]?["created"], 5000)
        XCTAssertEqual(done["result"]?["rejected"], 1)
        XCTAssertEqual(s.client().get(url)["state"], "done", "admin sees every job")
        // The rejected row is a file for the owner, as from a synchronous import.
        guard let href = done["result"]?["rejected_rows"]?["href"]?.stringValue else { return XCTFail(done.text) }
        let file = c.get(href)
        XCTAssertEqual(file.status, 200)
        XCTAssertTrue(file.text.contains("32.74.01.99999"), file.text)
    }

    func testSmallImportStaysSynchronous() throws {
        s = try TestServer()
        let r = s.client().request("POST", "/v1/regions/import?dry_run=true", body: Self.regionsCSV(10), contentType: "text/csv",
                                   headers: [("Prefer", "respond-async, wait=10")])
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertNil(r.header("Preference-Applied"))
        XCTAssertEqual(r["created"], 10)
        XCTAssertEqual(s.app.jobs.claimedCount, 0, "the place claimed for a job is given back")
    }

    func testJobPlacesAreBoundedPerTokenAndInAll() throws {
        let jobs = ImportJobs(perToken: 1, total: 2)
        let a = Caller(tokenID: 1, name: "a", role: .kabkota, region: RegionCode("32.74"))
        let b = Caller(tokenID: 2, name: "b", role: .kabkota, region: RegionCode("32.74"))
        let d = Caller(tokenID: 3, name: "d", role: .kabkota, region: RegionCode("32.74"))
        try jobs.claim(for: a)
        XCTAssertThrowsError(try jobs.claim(for: a)) { XCTAssertEqual(($0 as? PilarError)?.kind, .tooManyRequests) }
        try jobs.claim(for: b)
        XCTAssertThrowsError(try jobs.claim(for: d)) { XCTAssertEqual(($0 as? PilarError)?.kind, .unavailable) }
        jobs.release(for: a)
        XCTAssertNoThrow(try jobs.claim(for: d))
    }

    func testPreferHeaderParsing() {
        XCTAssertTrue(PilarApp.prefersAsync("respond-async"))
        XCTAssertTrue(PilarApp.prefersAsync("return=minimal, Respond-Async; wait=5"))
        XCTAssertFalse(PilarApp.prefersAsync("return=representation"))
        XCTAssertFalse(PilarApp.prefersAsync("respond-asynchronously"))
    }

    /// The real binary, killed with -9 while a job runs, then started again on the same file.
    func testJobInterruptedByAKillIsMarkedFailedAfterRestart() throws {
        let dir = NSTemporaryDirectory() + "pilar-jobs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/p.db"
        let setup = try Pilar.open(path: db)
        try Demo.seed(setup)
        let token = try setup.tokens.create(role: .admin, region: nil, name: "restart", by: .cli).1
        setup.db.close()
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("pilar").path

        func serve() throws -> (Process, Int) {
            let port = Int(try runPython("import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])", [])
                .trimmingCharacters(in: .whitespacesAndNewlines))!
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["serve", "--db", db, "--port", String(port), "--quiet"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && !Self.listening(port) { usleep(50_000) }
            return (p, port)
        }
        var (process, port) = try serve()
        // All or nothing, 200,000 rows: far longer than the moment before the kill.
        let r = TestClient(port: port, token: token).request("POST", "/v1/regions/import", body: Self.regionsCSV(200_000, bad: false),
                                                             contentType: "text/csv", headers: [("Prefer", "respond-async")])
        XCTAssertEqual(r.status, 202, r.text)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        guard let url = r.header("Location") else { return XCTFail("no Location") }

        (process, port) = try serve()
        defer { process.terminate(); process.waitUntilExit() }
        let job = TestClient(port: port, token: token).get(url)
        XCTAssertEqual(job.status, 200, job.text)
        XCTAssertEqual(job["state"], "failed", job.text)
        XCTAssertEqual(job["result_status"], 503)
        XCTAssertEqual(job["result"]?["code"], "import_job_interrupted", job.text)
        XCTAssertTrue(job["result"]?["detail"]?.stringValue?.contains("Kirim file yang sama lagi") == true, "Indonesian by default: \(job.text)")
        let regions = TestClient(port: port, token: token).get("/v1/regions/32.74.01.2000")
        XCTAssertEqual(regions.status, 404, "the all-or-nothing import saved nothing")
    }

    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
