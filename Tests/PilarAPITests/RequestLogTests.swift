import Foundation
import HTTPServer
import PilarAPI
import PilarCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The request log as an operator reads it: one complete JSON line per answered request, in a
/// pipe like the one a process supervisor gives; and a counter when the sink cannot keep up.
final class RequestLogTests: XCTestCase {
    private var directory = ""
    private var pilar: Pilar!
    private var server: HTTPServer?
    private var pipeEnds: [Int32] = [-1, -1]
    private var sink: LogSink?

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "pilar-log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        pilar = try Pilar.open(path: directory + "/pilar.db")
        XCTAssertEqual(pipe(&pipeEnds), 0)
    }

    override func tearDown() {
        server?.shutdown(gracePeriod: 2)
        // Let a writer blocked on a full pipe finish before the pipe goes away.
        setNonBlocking(pipeEnds[0])
        while !drain().isEmpty {}
        sink?.close()
        pilar.db.close()
        close(pipeEnds[0])
        close(pipeEnds[1])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func start(_ sink: LogSink) throws -> Int {
        self.sink = sink
        let app = PilarApp(pilar: pilar, logRequests: true, log: sink)
        let s = app.makeServer(host: "127.0.0.1", port: 0)
        try s.start()
        server = s
        return s.port
    }

    private func setNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// What the pipe holds now (its read end must be non-blocking).
    private func drain() -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(pipeEnds[0], &buf, buf.count)
            if n <= 0 { return out }
            out += buf[0..<n]
        }
    }

    func testEveryRequestGetsOneCompleteLine() throws {
        let port = try start(LogSink(fd: pipeEnds[1]))
        let client = TestClient(port: port, token: nil)
        var ids: [String] = []
        for i in 0..<120 {
            let r = client.get(i % 2 == 0 ? "/healthz" : "/v1/nowhere?secret=x",
                               headers: [("X-Request-Id", "log-test-\(i)")])
            XCTAssertEqual(r.status, i % 2 == 0 ? 200 : 404)
            ids.append("log-test-\(i)")
        }
        XCTAssertTrue(sink!.flush(timeout: 30))
        setNonBlocking(pipeEnds[0])
        let text = String(decoding: drain(), as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 120, "one line per request, none lost or split")
        for (i, line) in lines.enumerated() {
            let json = try JSON.parse(Array(line.utf8))
            XCTAssertEqual(json["msg"]?.stringValue, "request")
            XCTAssertEqual(json["request_id"]?.stringValue, ids[i])
            XCTAssertEqual(json["method"]?.stringValue, "GET")
            XCTAssertEqual(json["path"]?.stringValue, i % 2 == 0 ? "/healthz" : "/v1/nowhere", "never the query string")
            XCTAssertEqual(json["status"]?.intValue, i % 2 == 0 ? 200 : 404)
            XCTAssertEqual(json["route"], i % 2 == 0 ? .string("/healthz") : .null)
            XCTAssertEqual(json["remote"]?.stringValue?.hasPrefix("127.0.0.1"), true)
            XCTAssertGreaterThan(json["bytes"]?.intValue ?? 0, 0)
            XCTAssertNotNil(json["duration_ms"])
            // Same shape as every other timestamp Pilar writes, and today's date.
            let ts = json["ts"]?.stringValue ?? ""
            XCTAssertNotNil(Clock.parseTimestamp(ts), ts)
            XCTAssertTrue(ts.hasPrefix(String(Clock.timestamp(Date()).prefix(10))), ts)
        }
    }

    func testMessagesAreEscapedJSON() throws {
        let sink = LogSink(fd: pipeEnds[1])
        self.sink = sink
        sink.message("error", "a \"quoted\" path\\ with\nnew line\u{1} and ünïcode")
        XCTAssertTrue(sink.flush(timeout: 30))
        setNonBlocking(pipeEnds[0])
        let line = drain()
        XCTAssertEqual(line.last, 0x0A)
        // Foundation's parser, which takes every escape JSON allows (\u0001 included).
        let json = try JSONSerialization.jsonObject(with: Data(line.dropLast())) as? [String: Any]
        XCTAssertEqual(json?["level"] as? String, "error")
        XCTAssertEqual(json?["msg"] as? String, "a \"quoted\" path\\ with\nnew line\u{1} and ünïcode")
    }

    /// A sink nobody reads: requests are still answered at once, the lines that do not fit are
    /// counted in /metrics, and what was queued comes out whole once the reader catches up.
    func testDroppedLinesAreCountedWhenTheSinkCannotKeepUp() throws {
        // Fill the pipe so the log writer blocks on its first write.
        setNonBlocking(pipeEnds[1])
        let filler = [UInt8](repeating: 0x2E, count: 4096)
        while write(pipeEnds[1], filler, filler.count) > 0 {}
        _ = fcntl(pipeEnds[1], F_SETFL, fcntl(pipeEnds[1], F_GETFL) & ~O_NONBLOCK)

        let port = try start(LogSink(fd: pipeEnds[1], maxLines: 8))
        let client = TestClient(port: port, token: nil)
        for _ in 0..<60 { XCTAssertEqual(client.get("/healthz").status, 200) }
        // /metrics needs a metrics or admin token (issue 13).
        let scraper = try pilar.tokens.create(role: .metrics, region: nil, name: "prometheus", by: .cli).1
        let metrics = TestClient(port: port, token: scraper).get("/metrics").text
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("pilar_log_lines_dropped_total ") }
        let dropped = Int(line?.split(separator: " ").last ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(dropped, 60 - 2 * 8, "at most the queue and one taken batch are kept")
        XCTAssertLessThanOrEqual(dropped, sink!.droppedLines)

        // The reader catches up: every line that was kept is whole.
        setNonBlocking(pipeEnds[0])
        var bytes: [UInt8] = []
        let deadline = Date(timeIntervalSinceNow: 30)
        while !sink!.flush(timeout: 0.05) && Date() < deadline { bytes += drain() }
        bytes += drain()
        let text = String(decoding: bytes.drop(while: { $0 == 0x2E }), as: UTF8.self)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 60 + 1 - sink!.droppedLines, "kept lines plus dropped ones are all the requests")
        for l in lines { XCTAssertNoThrow(try JSON.parse(Array(l.utf8)), String(l)) }
    }
}
