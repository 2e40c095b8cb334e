import Foundation
import HTTPServer
import PilarAPI
import PilarCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A real Pilar server on 127.0.0.1, port 0, over a fresh database file in a temp folder.
final class TestServer {
    let directory: String
    let dbPath: String
    let pilar: Pilar
    let app: PilarApp
    let server: HTTPServer
    let limits: Limits
    /// The clock the test gave (nil: the system's), for a server started in its own process.
    let clock: Clock?
    /// Set while the same database is served by `pilar-test-server` in a process of its own
    /// (HostileHarness): clients made meanwhile go there.
    var ownProcess: OwnProcessServer?
    var port: Int { ownProcess?.port ?? server.port }
    /// A token for every role, made through the service as the CLI would.
    private(set) var adminToken = ""

    init(clock: Clock? = nil, config: PilarConfig = PilarConfig(), demo: Bool = true, limits: Limits = Limits()) throws {
        self.limits = limits
        self.clock = clock
        directory = NSTemporaryDirectory() + "pilar-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        dbPath = directory + "/pilar.db"
        pilar = try Pilar.open(path: dbPath, clock: clock ?? .system, config: config)
        if demo { try Demo.seed(pilar) }
        app = PilarApp(pilar: pilar, logRequests: false)
        server = app.makeServer(host: "127.0.0.1", port: 0, limits: limits)
        try server.start()
        adminToken = try token(.admin, nil)
    }

    /// Creates a token as the CLI would and returns its secret.
    func token(_ role: Role, _ region: String?, name: String? = nil) throws -> String {
        try pilar.tokens.create(role: role, region: region.flatMap(RegionCode.init),
                                name: name ?? "\(role.rawValue) \(region ?? "")", by: .cli).1
    }

    func client(token: String? = nil, language: String? = nil) -> TestClient {
        TestClient(port: port, token: token ?? adminToken, language: language)
    }

    /// Stops the server; fails the test when a message the server rendered did not fit the
    /// catalogue (a placeholder nothing filled, a value no template used, an unknown code).
    func stop(file: StaticString = #filePath, line: UInt = #line) {
        let mismatches = MessageMismatches.take()
        XCTAssert(mismatches.isEmpty, "message catalogue mismatches: \(mismatches)", file: file, line: line)
        ownProcess?.stop()
        server.shutdown(gracePeriod: 2)
        pilar.db.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct TestResponse {
    let status: Int
    let headers: [(String, String)]
    let body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSON { (try? JSON.parse(body)) ?? .null }
    subscript(_ key: String) -> JSON? { json[key] }
}

/// A small blocking HTTP/1.1 client over a real socket (one connection per request, so tests
/// do not depend on keep-alive; the HTTPServer tests cover that).
struct TestClient {
    let port: Int
    var token: String?
    /// Sent as Accept-Language when set (the answer's words; codes never change with it).
    var language: String?

    @discardableResult
    func request(_ method: String, _ path: String, json: JSON? = nil, body: [UInt8]? = nil,
                 contentType: String? = nil, headers: [(String, String)] = []) -> TestResponse {
        var payload = body ?? []
        var h = headers
        if let json {
            payload = json.encoded()
            h.append(("Content-Type", "application/json"))
        } else if let contentType {
            h.append(("Content-Type", contentType))
        }
        if let token, !h.contains(where: { $0.0 == "Authorization" }) { h.append(("Authorization", "Bearer \(token)")) }
        if let language, !h.contains(where: { $0.0 == "Accept-Language" }) { h.append(("Accept-Language", language)) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (k, v) in h { head += "\(k): \(v)\r\n" }
        if !payload.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(payload.count)\r\n" }
        head += "\r\n"
        let raw = RawSocket.exchange(port: port, bytes: Array(head.utf8) + payload)
        return TestResponse.parse(raw)
    }

    func get(_ path: String, headers: [(String, String)] = []) -> TestResponse { request("GET", path, headers: headers) }
    func post(_ path: String, _ json: JSON, headers: [(String, String)] = []) -> TestResponse { request("POST", path, json: json, headers: headers) }
    func put(_ path: String, _ json: JSON, headers: [(String, String)] = []) -> TestResponse { request("PUT", path, json: json, headers: headers) }
    func patch(_ path: String, _ json: JSON, headers: [(String, String)] = []) -> TestResponse { request("PATCH", path, json: json, headers: headers) }
    func delete(_ path: String, _ json: JSON? = nil) -> TestResponse { request("DELETE", path, json: json) }
    func csv(_ path: String, _ text: String) -> TestResponse {
        request("POST", path, body: Array(text.utf8), contentType: "text/csv")
    }
}

extension TestResponse {
    /// Parses a whole HTTP/1.1 response read until the server closed (Content-Length or chunked body).
    static func parse(_ raw: [UInt8]) -> TestResponse {
        guard let end = find(raw, [13, 10, 13, 10]) else { return TestResponse(status: 0, headers: [], body: raw) }
        let head = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var headers: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(raw[(end + 4)...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            body = dechunk(body)
        }
        return TestResponse(status: status, headers: headers, body: body)
    }

    static func find(_ hay: [UInt8], _ needle: [UInt8], from: Int = 0) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }

    static func dechunk(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while let lineEnd = find(b, [13, 10], from: i) {
            let sizeText = String(decoding: b[i..<lineEnd], as: UTF8.self).split(separator: ";")[0]
            guard let size = Int(sizeText, radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            guard start + size <= b.count else { break }
            out += b[start..<start + size]
            i = start + size + 2
        }
        return out
    }
}

/// Raw TCP to the test server.
enum RawSocket {
    static func connect(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(r == 0, "cannot connect to test server on port \(port)")
        return fd
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    static func exchange(port: Int, bytes: [UInt8]) -> [UInt8] {
        let fd = connect(port: port)
        defer { close(fd) }
        sendAll(fd, bytes)
        return readAll(fd)
    }
}
