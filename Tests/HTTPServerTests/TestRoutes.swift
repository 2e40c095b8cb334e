import Foundation
import HTTPServer

/// What handlers observed, for assertions the wire cannot show (body piece sizes, timing).
final class Probe {
    private let lock = NSLock()
    private var _pieces: [Int] = []
    private var _events: [String] = []
    var pieces: [Int] { lock.lock(); defer { lock.unlock() }; return _pieces }
    var events: [String] { lock.lock(); defer { lock.unlock() }; return _events }
    func piece(_ n: Int) { lock.lock(); _pieces.append(n); lock.unlock() }
    func event(_ text: String) { lock.lock(); _events.append(text); lock.unlock() }
}

/// The test router with an admission rule: `X-Admit: refuse` is answered 403 before the body is
/// read; `X-Admit-Limit: n` lets the loop gather at most n bytes (413 past them); anything else is
/// gathered whole by the event loop (the default) before the handler runs.
final class AdmittingResponder: HTTPResponder {
    let router: Router
    init(router: Router) { self.router = router }

    func respond(to request: HTTPRequest) -> HTTPResponse { router.respond(to: request) }

    func admit(_ request: HTTPRequest) -> Admission {
        if request.headers["X-Admit"] == "refuse" {
            return .answer(.problem(status: 403, detail: "Refused on the head alone."))
        }
        if let limit = request.headers["X-Admit-Limit"].flatMap(Int.init) { return .gather(maxBytes: limit, onEnd: nil) }
        return .spool
    }

    /// /inline answers on the event loop; /inline-large too, with more than a socket takes at once.
    func respondInline(to request: HTTPRequest) -> HTTPResponse? {
        switch request.path {
        case "/inline": return TestRoutes.text("inline \(request.queryValue("n") ?? "")")
        case "/inline-large": return HTTPResponse(status: 200, body: .bytes([UInt8](repeating: 0x69, count: 8 << 20)))
        default: return nil
        }
    }
}

/// The routes of the end-to-end tests.
enum TestRoutes {
    static func text(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: .bytes(Array(text.utf8)))
    }

    static func install(_ router: Router, probe: Probe) {
        router.add("GET", "/hello") { _, _ in text("hello") }
        router.add("GET", "/items/{id}") { _, params in text("item \(params["id"] ?? "?")") }
        router.add("PUT", "/items/{id}") { _, _ in text("put") }
        router.add("DELETE", "/items/{id}") { _, _ in HTTPResponse(status: 204) }
        router.add("GET", "/query") { request, _ in text("q=\(request.queryValue("q") ?? "-")") }
        router.add("GET", "/request-id") { request, _ in text(request.requestID) }
        router.add("POST", "/echo") { request, _ in
            HTTPResponse(status: 200, body: .bytes(try request.body.collect(upTo: 1 << 20)))
        }
        // Counts the body without keeping it, recording each piece's size.
        router.add("POST", "/count") { request, _ in
            var total = 0
            while let piece = try request.body.read() {
                probe.piece(piece.count)
                total += piece.count
            }
            return text("\(total)")
        }
        router.add("POST", "/ignore-body") { _, _ in text("ignored") }
        router.add("POST", "/spool/echo") { request, _ in
            HTTPResponse(status: 200, body: .bytes(try request.body.collect(upTo: 1 << 20)))
        }
        router.add("POST", "/spool/count") { request, _ in
            probe.event("spooled handler started")
            var total = 0
            while let piece = try request.body.read() {
                probe.piece(piece.count)
                total += piece.count
            }
            return text("\(total)")
        }
        router.add("GET", "/slow") { request, _ in
            probe.event("slow started")
            let ms = Int(request.queryValue("ms") ?? "") ?? 500
            usleep(UInt32(ms * 1000))
            probe.event("slow finished")
            return text("slept \(ms)")
        }
        router.add("GET", "/stream") { _, _ in
            HTTPResponse(status: 200, body: .stream { writer in
                for part in ["one,", "two,", "three"] { try writer.write(Array(part.utf8)) }
            })
        }
        // Pieces big enough to leave one by one (smaller writes are gathered).
        router.add("GET", "/stream-large") { _, _ in
            HTTPResponse(status: 200, body: .stream { writer in
                for letter in "abc".utf8 { try writer.write([UInt8](repeating: letter, count: 20_000)) }
            })
        }
        router.add("GET", "/stream-fail") { _, _ in
            HTTPResponse(status: 200, body: .stream { writer in
                try writer.write([UInt8](repeating: 0x70, count: 20_000))
                throw ClientError(description: "producer failed")
            })
        }
        router.add("GET", "/stream-fail-early") { _, _ in
            HTTPResponse(status: 200, body: .stream { _ in throw ClientError(description: "nothing produced") })
        }
        // Endless enough to fill any socket buffer of a client that does not read.
        router.add("GET", "/big-stream") { _, _ in
            HTTPResponse(status: 200, body: .stream { writer in
                let block = [UInt8](repeating: 0x78, count: 64 * 1024)
                for _ in 0..<2000 { try writer.write(block) }
            })
        }
        router.add("GET", "/status/{code}") { _, params in
            HTTPResponse(status: Int(params["code"] ?? "") ?? 0, body: .bytes(Array("body".utf8)))
        }
        router.add("GET", "/close") { _, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Connection", "close")]), body: .bytes(Array("bye".utf8)))
        }
        router.add("GET", "/sneaky") { _, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Length", "999"), ("X-Bad", "a\r\nInjected: yes")]),
                         body: .bytes(Array("ok".utf8)))
        }
    }
}
