import Foundation
import Hummingbird
import NIOPosix
import PeerSQLite

// GET /ping answers a small JSON body; POST /insert stores the request body as one row with
// one fsync'd commit (WAL, synchronous=FULL), as a plain Hummingbird service would: one
// connection behind a lock, the blocking SQLite call moved off the event loop to NIO's
// thread pool. GET /stats answers the bytes of a file read at start (Pilar's answer to the
// same dashboard query, which Pilar serves from its cache), after checking that a bearer
// token was sent. Usage: peer <port> <database file> [stats answer file]
let args = CommandLine.arguments
let port = args.count > 1 ? Int(args[1]) ?? 18090 : 18090
let path = args.count > 2 ? args[2] : "peer.db"
let statsAnswer = ByteBuffer(string: args.count > 3 ? (try? String(contentsOfFile: args[3], encoding: .utf8)) ?? "{}" : "{}")

final class Store: @unchecked Sendable {
    private var db: OpaquePointer?
    private var insert: OpaquePointer?
    private let lock = NSLock()

    init(path: String) {
        precondition(sqlite3_open(path, &db) == SQLITE_OK, "cannot open \(path)")
        for sql in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                    "CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at TEXT NOT NULL)"] {
            precondition(sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK, sql)
        }
        precondition(sqlite3_prepare_v2(db, "INSERT INTO item (body, at) VALUES (?, datetime('now'))", -1, &insert, nil) == SQLITE_OK)
    }

    /// One autocommit INSERT: SQLite fsyncs the WAL before it returns.
    func add(_ body: String) -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        sqlite3_reset(insert)
        sqlite3_bind_text(insert, 1, body, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        guard sqlite3_step(insert) == SQLITE_DONE else { return nil }
        return sqlite3_last_insert_rowid(db)
    }
}

let store = Store(path: path)
let router = Router()
router.get("/ping") { _, _ -> String in
    "{\"status\":\"ok\"}"
}
router.get("/stats") { request, _ -> Response in
    guard request.headers[.authorization]?.hasPrefix("Bearer ") == true else { return Response(status: .unauthorized) }
    return Response(status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: statsAnswer))
}
router.post("/insert") { request, _ -> Response in
    let buffer = try await request.body.collect(upTo: 1 << 20)
    let body = String(buffer: buffer)
    let id = try await NIOThreadPool.singleton.runIfActive { store.add(body) }
    guard let id else { return Response(status: .internalServerError) }
    return Response(status: .created, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: "{\"id\":\(id)}")))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
