import Foundation
import Glibc
import HTTPServer
import XCTest

/// A response as read off the wire by the test client.
struct RawResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    /// Number of data chunks when the body was chunked.
    var chunks = 0
    var text: String { String(decoding: body, as: UTF8.self) }
}

struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// A blocking TCP client speaking raw bytes, with a receive timeout so a broken server makes a
/// test fail instead of hang.
final class RawClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw ClientError(description: "connect failed: \(String(cString: strerror(errno)))")
        }
        setTimeout(timeout)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { Glibc.close(fd) }

    func setTimeout(_ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError(description: "send failed: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// Reads more bytes into the buffer; false at end of stream or on reset.
    @discardableResult
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer += chunk[0..<n]
            return true
        }
        if n == 0 || errno == ECONNRESET { return false }
        throw ClientError(description: "recv failed: \(String(cString: strerror(errno)))")
    }

    private func readLine() throws -> String {
        while true {
            if let lf = buffer.firstIndex(of: 10) {
                var line = Array(buffer[..<lf])
                if line.last == 13 { line.removeLast() }
                buffer.removeSubrange(...lf)
                return String(decoding: line, as: UTF8.self)
            }
            guard try fill() else { throw ClientError(description: "connection closed mid-line") }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw ClientError(description: "connection closed mid-body") }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeSubrange(..<count)
        return bytes
    }

    /// Status line and headers only.
    func readHead() throws -> (status: Int, headers: HTTPHeaders) {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw ClientError(description: "bad status line '\(statusLine)'")
        }
        var headers = HTTPHeaders()
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw ClientError(description: "bad header '\(line)'") }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return (status, headers)
    }

    /// One whole response; `forHead` means the request was HEAD, so no body follows.
    func readResponse(forHead: Bool = false) throws -> RawResponse {
        let (status, headers) = try readHead()
        var response = RawResponse(status: status, headers: headers, body: [])
        if forHead || status == 204 || status == 304 || status < 200 { return response }
        if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
                    throw ClientError(description: "bad chunk size '\(sizeLine)'")
                }
                if size == 0 {
                    while try !readLine().isEmpty {}
                    break
                }
                response.body += try readExactly(size)
                response.chunks += 1
                guard try readLine().isEmpty else { throw ClientError(description: "missing CRLF after chunk") }
            }
        } else if let length = headers["Content-Length"].flatMap({ Int($0) }) {
            response.body = try readExactly(length)
        } else {
            while try fill() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// True when the server closes (EOF or reset) within `seconds`, discarding anything sent.
    func closes(within seconds: Double) -> Bool {
        setTimeout(seconds)
        defer { setTimeout(5) }
        buffer = []
        while true {
            do {
                guard try fill() else { return true }
            } catch {
                return false
            }
        }
    }
}

/// A server on 127.0.0.1, port 0, with the test routes, recording its access log.
final class TestServer {
    final class AccessLog {
        private let lock = NSLock()
        private var entries: [AccessLogEntry] = []
        func append(_ entry: AccessLogEntry) { lock.lock(); entries.append(entry); lock.unlock() }
        var all: [AccessLogEntry] { lock.lock(); defer { lock.unlock() }; return entries }
    }

    let server: HTTPServer
    let router: Router
    private let responder: AdmittingResponder
    private let accessLog = AccessLog()

    let probe = Probe()

    init(limits: Limits = TestServer.defaultLimits, extraRoutes: (Router) -> Void = { _ in }) throws {
        router = Router()
        TestRoutes.install(router, probe: probe)
        extraRoutes(router)
        let accessLog = self.accessLog
        responder = AdmittingResponder(router: router)
        server = HTTPServer(host: "127.0.0.1", port: 0, limits: limits, responder: responder) { accessLog.append($0) }
        try server.start()
    }

    static var defaultLimits: Limits {
        var limits = Limits()
        limits.workerThreads = 16
        return limits
    }

    var port: Int { server.port }
    var log: [AccessLogEntry] { accessLog.all }

    func client(timeout: Double = 5) throws -> RawClient { try RawClient(port: port, timeout: timeout) }

    func stop() { server.shutdown(gracePeriod: 2) }

    /// Waits (bounded) until `condition` holds; for state the server reaches asynchronously.
    func eventually(within seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}

func assertProblem(_ response: RawResponse, status: Int, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(response.status, status, file: file, line: line)
    XCTAssertEqual(response.headers["Content-Type"], "application/problem+json", file: file, line: line)
    let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    XCTAssertEqual(object?["type"] as? String, "about:blank", file: file, line: line)
    XCTAssertEqual(object?["status"] as? Int, status, file: file, line: line)
    XCTAssertEqual(object?["title"] as? String, HTTPResponse.reasonPhrase(status), file: file, line: line)
    XCTAssertNotNil(object?["detail"] as? String, file: file, line: line)
}
