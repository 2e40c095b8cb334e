import Foundation
import PilarCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP peer that behaves badly on purpose: sends partial requests, stops reading, vanishes.
/// Every read has a timeout, so a server that hangs fails the test instead of hanging it.
final class HostilePeer {
    private(set) var fd: Int32

    /// `from` binds the local end to that loopback address first (attackers use
    /// `Hostile.attacker`, so per-address limits meet them and not the normal client). With
    /// `mustConnect` false a failed connect leaves `fd` at -1 (errno tells why) instead of trapping.
    init(port: Int, timeout: Double = 5, receiveBuffer: Int32? = nil, from: String? = nil, mustConnect: Bool = true) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {  // must be set before connect to shrink the TCP window
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        setTimeout(timeout)  // SO_SNDTIMEO bounds connect too
        if let from {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(from)
            _ = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if r != 0 && !mustConnect {
            let why = errno
            close()
            errno = why
            return
        }
        precondition(r == 0, "cannot connect to port \(port): \(String(cString: strerror(errno)))")
    }

    deinit { close() }

    func setTimeout(_ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// False when the server has stopped taking bytes (closed or reset): that is allowed for a refusal.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads up to `count` bytes (fewer at EOF or timeout).
    func read(atMost count: Int) -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: count)
        let n = recv(fd, &buf, count, 0)
        return n > 0 ? Array(buf[0..<n]) : []
    }

    /// Everything until the server closes; `closed` is false when the timeout came first.
    func readToEnd() -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 { out += buf[0..<n]; continue }
            if n == 0 || errno == ECONNRESET { return (out, true) }
            return (out, false)  // EAGAIN: the receive timeout
        }
    }

    /// What has arrived already, without waiting.
    func readNow() -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, Int32(MSG_DONTWAIT))
        return n > 0 ? Array(buf[0..<n]) : []
    }

    /// Reads until `responses` status lines arrived, the server closed, or the timeout.
    func readToEndOr(responses: Int) -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while HostileOutcome(raw: out, closed: false).responseCount < responses {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 { out += buf[0..<n]; continue }
            return (out, n == 0 || errno == ECONNRESET)
        }
        return (out, false)
    }

    func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    /// Closes with a TCP reset instead of a FIN (SO_LINGER 0): the rudest way to vanish.
    func reset() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close()
    }
}

/// What a hostile exchange produced: the first response, how many responses came, whether the server closed.
struct HostileOutcome {
    let raw: [UInt8]
    let closed: Bool
    var response: TestResponse { TestResponse.parse(raw) }
    var status: Int { response.status }
    /// Status lines in the stream: a smuggled second request would show up as a second one.
    var responseCount: Int {
        // Anywhere in the stream: a response may follow the previous body without a line break.
        let text = String(decoding: raw, as: UTF8.self)
        return text.components(separatedBy: "HTTP/1.1 ").dropFirst().filter { $0.prefix(3).allSatisfy(\.isNumber) }.count
    }
}

enum Hostile {
    /// Sends raw bytes, then reads until the server closes (or `timeout`).
    static func exchange(_ s: TestServer, _ bytes: [UInt8], timeout: Double = 5) -> HostileOutcome {
        let peer = HostilePeer(port: s.port, timeout: timeout)
        peer.send(bytes)
        let (raw, closed) = peer.readToEnd()
        return HostileOutcome(raw: raw, closed: closed)
    }

    static func exchange(_ s: TestServer, _ text: String, timeout: Double = 5) -> HostileOutcome {
        exchange(s, Array(text.utf8), timeout: timeout)
    }

    /// A request head with Host and the admin token, as raw bytes (so tests can put any byte anywhere).
    static func head(_ s: TestServer, _ method: String, _ target: [UInt8], headers: [String] = [],
                     close: Bool = true) -> [UInt8] {
        var h = "HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(s.adminToken)\r\n"
        if close { h += "Connection: close\r\n" }
        for line in headers { h += line + "\r\n" }
        return Array("\(method) ".utf8) + target + Array(" ".utf8) + Array(h.utf8) + Array("\r\n".utf8)
    }

    /// A complete request with a body and Content-Length.
    static func request(_ s: TestServer, _ method: String, _ target: String, body: [UInt8],
                        contentType: String = "application/json", headers: [String] = []) -> [UInt8] {
        head(s, method, Array(target.utf8),
             headers: ["Content-Type: \(contentType)", "Content-Length: \(body.count)"] + headers) + body
    }

    /// The test process's resident set (the server runs in it), from /proc/self/status.
    static func residentBytes(_ field: String = "VmRSS", pid: Int32? = nil) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kb * 1024
        }
        return 0
    }

    /// Percent-encodes every byte outside unreserved ASCII (for putting payloads into targets).
    static func percent(_ text: String) -> String { percent(Array(text.utf8)) }

    static func percent(_ bytes: [UInt8]) -> String {
        var out = ""
        for b in bytes {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(b)))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    /// Polls until `condition` holds or `seconds` pass (for things the server does on its own time).
    static func eventually(within seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}

/// A 4xx answered as problem+json whose `status` member agrees with the status line.
func assertClientProblem(_ r: TestResponse, _ what: String, expect: Set<Int>? = nil,
                         file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue((400..<500).contains(r.status), "\(what): got \(r.status) \(r.text.prefix(300))", file: file, line: line)
    if let expect { XCTAssertTrue(expect.contains(r.status), "\(what): got \(r.status), want one of \(expect.sorted())", file: file, line: line) }
    XCTAssertEqual(r.header("Content-Type")?.hasPrefix("application/problem+json"), true,
                   "\(what): Content-Type \(r.header("Content-Type") ?? "none")", file: file, line: line)
    XCTAssertEqual(r["status"]?.intValue, Int64(r.status), "\(what): problem status member", file: file, line: line)
}

/// Never a server error, never a dropped connection without an answer.
func assertNoServerError(_ r: TestResponse, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(r.status >= 200 && r.status < 500, "\(what): got \(r.status) \(r.text.prefix(300))", file: file, line: line)
}

/// A flag one thread sets and another polls.
final class HostileFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}
