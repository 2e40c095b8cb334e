import Foundation
import XCTest
import PilarCore
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, items 5 and 6, end to end with the `pilar` binary: files only the owner can read,
/// no import file left by name, and a revocation by the CLI (another process) that the running
/// server honours on the next request.
final class PrivacyCLITests: XCTestCase {
    var directory = ""
    var tmp = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "pilar-cli-\(UUID().uuidString)"
        tmp = directory + "/tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func testFilesAreOwnerOnlyAndACLIRevocationStopsTheServersToken() throws {
        let db = directory + "/pilar.db"
        let stale = tmp + "/pilar-import-1a2b3c.tmp"
        XCTAssertTrue(FileManager.default.createFile(atPath: stale, contents: Data("3274011705900001".utf8)))

        let admin = try PilarCLI.run(["token", "create", "--role", "admin", "--name", "test admin", "--db", db], tmp: tmp)
        XCTAssertEqual(admin.status, 0, admin.stderr)
        let adminToken = admin.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(mode(db), 0o600, "the database")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "a stale import file is removed when pilar starts")

        let server = try PilarCLI.Server(db: db, tmp: tmp)
        defer { server.stop() }
        let client = TestClient(port: server.port, token: adminToken)
        XCTAssertEqual(client.get("/v1/me").status, 200)
        XCTAssertEqual(mode(db + "-wal"), 0o600, "the WAL")
        XCTAssertEqual(mode(db + "-shm"), 0o600, "the shared-memory index")
        let imported = client.csv("/v1/psks/import?type=LKS", "name,region,address,head\nLKS Melati,32.74.01,Jl. Melati 1,Ani\n")
        XCTAssertEqual(imported["created"]?.intValue, 1, imported.text)
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp).filter { $0.hasPrefix("pilar-import-") }
        XCTAssertEqual(left, [], "no import file by name")

        let backup = try PilarCLI.run(["backup", "--to", directory + "/copy.db", "--db", db], tmp: tmp)
        XCTAssertEqual(backup.status, 0, backup.stderr)
        XCTAssertEqual(mode(directory + "/copy.db"), 0o600, "the backup")

        let made = try PilarCLI.run(["token", "create", "--role", "kabkota", "--region", "32.74", "--db", db], tmp: tmp)
        XCTAssertEqual(made.status, 0, made.stderr)
        let kabkota = TestClient(port: server.port, token: made.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        for _ in 0..<3 { XCTAssertEqual(kabkota.get("/v1/me").status, 200) }  // the server has it cached
        let id = made.stderr.split(separator: " ").dropFirst(2).first.map(String.init) ?? ""
        let revoked = try PilarCLI.run(["token", "revoke", id, "--db", db], tmp: tmp)
        XCTAssertEqual(revoked.status, 0, revoked.stderr)
        XCTAssertEqual(kabkota.get("/v1/me").status, 401, "the next request after a CLI revocation fails")
    }

    /// The spool of an upload (full NIKs) has no name from the moment it exists, so a
    /// `kill -9` cannot leave it behind.
    func testAnImportSpoolIsUnlinkedAtOnce() throws {
        var given = false
        let spool = try ImportSpool { given ? nil : { given = true; return Array("nik\n3274011705900001\n".utf8) }() }
        XCTAssertFalse(FileManager.default.fileExists(atPath: spool.path), spool.path)
        let next = try spool.chunks()
        XCTAssertEqual(String(decoding: try next() ?? [], as: UTF8.self), "nik\n3274011705900001\n")
    }

    private func mode(_ path: String) -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { return -1 }
        return Int(st.st_mode & 0o777)
    }
}

/// The built `pilar` binary beside the test bundle (`swift build` makes it).
enum PilarCLI {
    static var binary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("pilar").path
    }

    static func process(_ args: [String], tmp: String) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("no pilar binary at \(binary); run `swift build` first")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["TMPDIR"] = tmp + "/"
        env["LANGUAGE"] = "en"  // the English messages are asserted
        p.environment = env
        return p
    }

    static func run(_ args: [String], tmp: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = try process(args, tmp: tmp)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// `pilar serve --port 0`, its port read from the "listening on" log line.
    final class Server {
        let process: Process
        private(set) var port = 0

        init(db: String, tmp: String) throws {
            process = try PilarCLI.process(["serve", "--db", db, "--port", "0", "--quiet"], tmp: tmp)
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(60)
            while port == 0 && Date() < deadline {
                let d = err.fileHandleForReading.availableData
                if d.isEmpty { break }
                text += String(decoding: d, as: UTF8.self)
                if let r = text.range(of: "listening on http://127.0.0.1:") {
                    port = Int(text[r.upperBound...].prefix { $0.isNumber }) ?? 0
                }
            }
            guard port > 0 else {
                process.terminate()
                throw NSError(domain: "pilar serve did not start: \(text)", code: 1)
            }
        }

        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }
    }
}
