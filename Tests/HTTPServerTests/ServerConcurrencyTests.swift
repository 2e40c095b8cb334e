import Foundation
import HTTPServer
import XCTest

/// Many connections at once, served by a few loops and a bounded pool, not a thread each.
final class ServerConcurrencyTests: XCTestCase {
    static func threadCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    func testTwoThousandConcurrentConnectionsWithoutAThreadEach() throws {
        let server = try TestServer()
        defer { server.stop() }
        let threadsBefore = Self.threadCount()
        let clients = try (0..<2000).map { _ in try server.client(timeout: 10) }
        for (i, client) in clients.enumerated() {
            try client.send("GET /items/\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        for (i, client) in clients.enumerated() {
            XCTAssertEqual(try client.readResponse().text, "item \(i)")
        }
        XCTAssertEqual(server.server.openConnections, 2000)
        // The second round on the same connections: all kept alive.
        for client in clients { try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n") }
        for client in clients { XCTAssertEqual(try client.readResponse().status, 200) }
        XCTAssertLessThan(Self.threadCount() - threadsBefore, 50, "no thread per connection")
    }

    func testParallelClientsGetTheirOwnAnswers() throws {
        let server = try TestServer()
        defer { server.stop() }
        final class Failures {
            private let lock = NSLock()
            private var list: [String] = []
            func add(_ text: String) { lock.lock(); list.append(text); lock.unlock() }
            var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
        }
        let failures = Failures()
        let group = DispatchGroup()
        for t in 0..<8 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let client = try server.client()
                    for i in 0..<100 {
                        let body = "t\(t)-r\(i)"
                        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                        let text = try client.readResponse().text
                        if text != body { failures.add("\(body) got \(text)") }
                    }
                } catch {
                    failures.add("\(error)")
                }
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(failures.all, [])
    }
}
