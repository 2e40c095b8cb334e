import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The harness every attack test runs under: while an attack runs, a normal client keeps calling
/// `/healthz` and `/v1/me` (from 127.0.0.1; attackers connect from 127.0.0.2, so a per-address
/// cap on them is not a cap on it), the server's memory is sampled, and afterwards `/metrics` is
/// fetched. The server is the test's own (in the test process, whose memory then also holds the
/// attackers') unless the bounds ask for the server in a process of its own
/// (`HostileBounds.ownProcess`, and always in the long form): then the same database is served by
/// `pilar-test-server` for the attack and the memory measured is the server's alone. The test fails when the normal client saw a timeout, an
/// answer that was not 200, or a p99 above 1 s, or when memory or `/metrics` grew past the bounds.
///
/// Short form by default (CI). The long form (`scripts/hostile.sh`) sets PILAR_HOSTILE_SECONDS
/// (how long each attack runs) and PILAR_HOSTILE_SCALE (a multiplier for connection counts);
/// each run prints one `HOSTILE` line with its figures.
///
///     let s = try TestServer()
///     Hostile.attack(s, "pipelined slow readers", seconds: 3) { stop in
///         let peers = (0..<Hostile.scaled(8)).map { _ in HostilePeer(port: s.port, from: Hostile.attacker) }
///         ...                        // keep attacking until stop.isSet (or return early)
///     }
enum HostileRun {}

struct HostileBounds {
    /// Normal-client p99 must stay under this (seconds).
    var p99: Double = 1.0
    /// Growth of the process's peak resident memory over the run.
    var rssGrowth = 100 << 20
    /// Size of the `/metrics` answer after the run.
    var metricsBytes = 64 * 1024
    /// Absolute peak resident memory; set by the long form (PILAR_HOSTILE_MAX_RSS_MB).
    var rssPeak: Int? = ProcessInfo.processInfo.environment["PILAR_HOSTILE_MAX_RSS_MB"].flatMap(Int.init).map { $0 << 20 }
    /// Serve the attack from `pilar-test-server` in a process of its own, so the memory bounds
    /// are the server's alone. The long form always does.
    var ownProcess = ProcessInfo.processInfo.environment["PILAR_HOSTILE_SECONDS"] != nil
    init() {}
}

/// What the normal client saw and what memory did, during one attack.
struct HostileReport {
    let name: String
    let latencies: [Double]
    let timeouts: Int
    /// Answers that were not 200 (status 0: the connection failed without an answer).
    let failures: [Int]
    let rssBefore: Int
    let rssPeak: Int
    let metricsBytes: Int
    /// Whether the memory figures are the server's alone (its own process) or the test process's.
    let ownProcess: Bool

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return .infinity }
        let sorted = latencies.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    var line: String {
        String(format: "HOSTILE attack=\"%@\" requests=%d timeouts=%d failures=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f rss_before_mb=%d rss_peak_mb=%d metrics_bytes=%d memory_of=%@",
               name, latencies.count, timeouts, failures.count, percentile(0.5) * 1000, percentile(0.99) * 1000,
               (latencies.max() ?? 0) * 1000, rssBefore >> 20, rssPeak >> 20, metricsBytes,
               ownProcess ? "server" : "test-process")
    }
}

extension Hostile {
    /// Where attackers connect from (any 127/8 address reaches a server on 127.0.0.1).
    static let attacker = "127.0.0.2"

    /// Seconds an attack runs: `short` in CI, PILAR_HOSTILE_SECONDS in the long form.
    static func seconds(_ short: Double) -> Double {
        ProcessInfo.processInfo.environment["PILAR_HOSTILE_SECONDS"].flatMap(Double.init) ?? short
    }

    /// A connection count, times PILAR_HOSTILE_SCALE in the long form.
    static func scaled(_ count: Int) -> Int {
        count * (ProcessInfo.processInfo.environment["PILAR_HOSTILE_SCALE"].flatMap(Int.init) ?? 1)
    }

    /// Runs `attack` on its own thread for `seconds` (it should return once `stop` is set; it is
    /// waited for at most 10 s more), with the normal client and the memory sampler running
    /// alongside, then asserts the bounds. Returns the report for further assertions.
    @discardableResult
    static func attack(_ s: TestServer, _ name: String, seconds: Double, bounds: HostileBounds = HostileBounds(),
                       file: StaticString = #filePath, line: UInt = #line,
                       _ attack: @escaping (HostileFlag) -> Void) -> HostileReport {
        let stop = HostileFlag()
        let attackDone = DispatchSemaphore(value: 0)
        var own: OwnProcessServer?
        if bounds.ownProcess {
            guard let binary = OwnProcessServer.binary else {
                XCTFail("\(name): pilar-test-server is not built beside the tests (swift build)", file: file, line: line)
                return HostileReport(name: name, latencies: [], timeouts: 0, failures: [], rssBefore: 0, rssPeak: 0, metricsBytes: 0, ownProcess: true)
            }
            do { own = try OwnProcessServer(s, binary: binary) } catch {
                XCTFail("\(name): \(error)", file: file, line: line)
                return HostileReport(name: name, latencies: [], timeouts: 0, failures: [], rssBefore: 0, rssPeak: 0, metricsBytes: 0, ownProcess: true)
            }
            s.ownProcess = own
        }
        defer { own?.stop(); s.ownProcess = nil }
        let before = residentBytes(pid: own?.pid)
        let sampler = MemorySampler(pid: own?.pid)
        let normal = NormalClient(port: s.port, token: s.adminToken)
        sampler.start()
        Thread { attack(stop); attackDone.signal() }.start()
        usleep(200_000)  // the attack gets going before the first normal request
        normal.start()
        let end = Date().addingTimeInterval(seconds)
        while Date() < end && !normal.stopped.isSet { usleep(50_000) }
        let (latencies, timeouts, failures) = normal.finish()
        stop.set()
        let ended = attackDone.wait(timeout: .now() + 10) == .success
        // A process of its own keeps its exact peak (VmHWM); the test process's is sampled, since
        // its peak before the attack (earlier tests) is not this attack's.
        let peak = max(sampler.finish(), own?.residentBytes("VmHWM") ?? 0)
        let metrics = s.client().get("/metrics")
        let report = HostileReport(name: name, latencies: latencies, timeouts: timeouts, failures: failures,
                                   rssBefore: before, rssPeak: peak, metricsBytes: metrics.body.count, ownProcess: own != nil)
        print(report.line)
        XCTAssertTrue(ended, "\(name): the attack did not stop within 10 s of being told to", file: file, line: line)
        XCTAssertGreaterThan(latencies.count, 0, "\(name): the normal client got no answer at all", file: file, line: line)
        XCTAssertEqual(timeouts, 0, "\(name): the normal client timed out \(timeouts) times", file: file, line: line)
        XCTAssertEqual(failures, [], "\(name): the normal client got other answers than 200", file: file, line: line)
        XCTAssertLessThan(report.percentile(0.99), bounds.p99, "\(name): normal-client p99 \(report.line)", file: file, line: line)
        XCTAssertLessThan(peak - before, bounds.rssGrowth, "\(name): memory grew by \((peak - before) >> 20) MB", file: file, line: line)
        if let limit = bounds.rssPeak {
            XCTAssertLessThan(peak, limit, "\(name): peak memory \(peak >> 20) MB", file: file, line: line)
        }
        XCTAssertEqual(metrics.status, 200, "\(name): /metrics", file: file, line: line)
        XCTAssertLessThan(metrics.body.count, bounds.metricsBytes, "\(name): /metrics grew to \(metrics.body.count) bytes",
                          file: file, line: line)
        return report
    }
}

/// Calls `/healthz` and `/v1/me` in turn, one fresh connection each (as a browser behind a
/// proxy would), with a 5 s timeout per request; records each latency.
final class NormalClient: @unchecked Sendable {
    static let timeout = 5.0
    let stopped = HostileFlag()
    private let port: Int
    private let token: String
    private let lock = NSLock()
    private var latencies: [Double] = []
    private var timeouts = 0
    private var failures: [Int] = []
    private let done = DispatchSemaphore(value: 0)

    init(port: Int, token: String) {
        self.port = port
        self.token = token
    }

    func start() {
        Thread { [self] in
            var i = 0
            while !stopped.isSet {
                let path = i % 2 == 0 ? "/healthz" : "/v1/me"
                i += 1
                let started = Date()
                let status = call(path)
                let took = Date().timeIntervalSince(started)
                lock.locked {
                    if status == nil { timeouts += 1 } else { latencies.append(took) }
                    if let status, status != 200 { failures.append(status) }
                }
                usleep(20_000)
            }
            done.signal()
        }.start()
    }

    func finish() -> (latencies: [Double], timeouts: Int, failures: [Int]) {
        stopped.set()
        _ = done.wait(timeout: .now() + Self.timeout * 2 + 1)
        return lock.locked { (latencies, timeouts, failures) }
    }

    /// The status, 0 when the connection failed, nil on a timeout.
    private func call(_ path: String) -> Int? {
        let peer = HostilePeer(port: port, timeout: Self.timeout, from: "127.0.0.1", mustConnect: false)
        guard peer.fd >= 0 else {
            return errno == EINPROGRESS || errno == EAGAIN || errno == ETIMEDOUT ? nil : 0
        }
        guard peer.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n") else {
            print("normal client: send failed: \(String(cString: strerror(errno)))")
            return 0
        }
        let (raw, closed) = peer.readToEnd()
        if !closed { return nil }
        let status = TestResponse.parse(raw).status
        if status != 200 { print("normal client: \(path) answered \(raw.count) bytes: \(String(decoding: raw.prefix(300), as: UTF8.self))") }
        return status
    }
}

/// Samples VmRSS (of the test process, or of `pid`) every 20 ms on its own thread and keeps the peak.
final class MemorySampler: @unchecked Sendable {
    private let pid: Int32?
    init(pid: Int32? = nil) { self.pid = pid }
    private let stopped = HostileFlag()
    private let lock = NSLock()
    private var peak = 0
    private let done = DispatchSemaphore(value: 0)

    func start() {
        Thread { [self] in
            while !stopped.isSet {
                let now = Hostile.residentBytes(pid: pid)
                lock.locked { peak = max(peak, now) }
                usleep(20_000)
            }
            done.signal()
        }.start()
    }

    func finish() -> Int {
        stopped.set()
        _ = done.wait(timeout: .now() + 1)
        return lock.locked { max(peak, Hostile.residentBytes(pid: pid)) }
    }
}

extension NSLock {
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
