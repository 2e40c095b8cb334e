import Foundation
import XCTest
import PilarCore

/// The `pilar` executable as an operator meets it: a mistyped database path is an error (never
/// a new empty database), a bad environment value is refused, runtime errors are one plain line
/// without the usage text, and `--version` answers.
final class CLITests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "pilar-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// The binary `swift build` put beside this test bundle.
    var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("pilar").path
    }

    func run(_ args: [String], env: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        // English unless a test asks otherwise: the messages asserted here are the English ones.
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PILAR_") }
            .merging(["LANGUAGE": "en"]) { $1 }.merging(env) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testBinaryIsBuilt() {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary), "build the executable first (swift build): \(binary)")
    }

    func testVersion() throws {
        let r = try run(["--version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.out.trimmingCharacters(in: .whitespacesAndNewlines), "pilar \(Pilar.version)")
    }

    func testAMissingDatabaseIsAnErrorAndIsNotCreated() throws {
        let missing = dir + "/typo.db"
        for args in [["backup", "--db", missing, "--to", dir + "/b.db"], ["token", "list", "--db", missing],
                     ["token", "revoke", "1", "--db", missing]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 1, "\(args)")
            XCTAssertTrue(r.err.contains("no database at \(missing)"), r.err)
            XCTAssertFalse(r.err.contains("USAGE"), "a runtime error is not a usage error: \(r.err)")
            XCTAssertFalse(r.out.contains("backup written"))
            XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "\(args) created the database")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/b.db"))
        }
    }

    func testMigrateCreatesADatabaseAndSaysSo() throws {
        let path = dir + "/new.db"
        let first = try run(["migrate", "--db", path])
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertTrue(first.err.contains("created a new database at \(path)"), first.err)
        XCTAssertTrue(first.out.hasPrefix("0001"), first.out)
        let again = try run(["migrate", "--db", path])
        XCTAssertEqual(again.status, 0)
        XCTAssertFalse(again.err.contains("created"), again.err)
        // The first admin token of a new deployment makes its database too, and says so.
        let other = dir + "/first.db"
        let token = try run(["token", "create", "--role", "admin", "--name", "first", "--db", other])
        XCTAssertEqual(token.status, 0, token.err)
        XCTAssertTrue(token.err.contains("created a new database at \(other)"), token.err)
        XCTAssertTrue(token.out.hasPrefix("pilar_"), token.out)
    }

    func testBackupOntoAnExistingFileSaysSo() throws {
        let db = dir + "/p.db"
        try Pilar.open(path: db).db.close()
        let taken = dir + "/taken.db"
        FileManager.default.createFile(atPath: taken, contents: Data("keep".utf8))
        let r = try run(["backup", "--db", db, "--to", taken])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("already exists"), r.err)
        XCTAssertFalse(r.err.contains("SQLite error"), r.err)
        XCTAssertFalse(r.err.contains("USAGE"), r.err)
        XCTAssertEqual(try String(contentsOfFile: taken, encoding: .utf8), "keep")
        let ok = try run(["backup", "--db", db, "--to", dir + "/new.db"])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.out.contains("backup written"))
    }

    func testEnvironmentValuesThatAreNotNumbersAreRefused() throws {
        for (name, value) in [("PILAR_PORT", "abc"), ("PILAR_WORKERS", "many"), ("PILAR_DUE_DAY", "10th")] {
            let r = try run(["serve", "--db", dir + "/s.db"], env: [name: value])
            XCTAssertEqual(r.status, 1, name)
            XCTAssertTrue(r.err.contains("\(name)=\(value) is not a whole number"), r.err)
        }
        let wait = try run(["serve", "--db", dir + "/s.db"], env: ["PILAR_WRITE_WAIT": "soon"])
        XCTAssertEqual(wait.status, 1)
        XCTAssertTrue(wait.err.contains("PILAR_WRITE_WAIT=soon is not a number of seconds"), wait.err)
        let r = try run(["serve", "--db", dir + "/s.db", "--port", "70000"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("from 0 to 65535"), r.err)
    }

    func testTokensCarryTheirExpiryAndTheListShowsExpiryAndLastUse() throws {
        let db = dir + "/t.db"
        XCTAssertEqual(try run(["migrate", "--db", db]).status, 0)
        let made = try run(["token", "create", "--role", "admin", "--name", "until June", "--expires-at", "2099-06-30", "--db", db])
        XCTAssertEqual(made.status, 0, made.err)
        let endless = try run(["token", "create", "--role", "admin", "--name", "stamp", "--expires-at", "2099-01-01T00:00:00Z", "--db", db])
        XCTAssertEqual(endless.status, 0, endless.err)
        // The end of 30 June where the offices are (WIB, UTC+7) is 17:00 UTC.
        let lines = try run(["token", "list", "--db", db]).out.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0].count, 8, "\(lines[0])")
        XCTAssertEqual(Array(lines[0][3...]), ["until June", lines[0][4], "active", "2099-06-30T17:00:00.000Z", "-"])
        XCTAssertEqual(lines[1][6], "2099-01-01T00:00:00.000Z")
        for bad in ["2020-01-01", "tomorrow", "2099-13-01"] {
            let r = try run(["token", "create", "--role", "admin", "--expires-at", bad, "--db", db])
            XCTAssertEqual(r.status, bad == "2020-01-01" ? 1 : 64, "\(bad): \(r.err)")
            XCTAssertTrue(r.err.contains(bad == "2020-01-01" ? "expires_at" : "--expires-at \(bad)"), r.err)
        }
        XCTAssertEqual(try run(["token", "list", "--db", db]).out.split(separator: "\n").count, 2, "a refused token was made")
    }

    /// Under `litestream replicate -exec` (and in many containers) a stop sends SIGTERM twice:
    /// once to the process group and once forwarded by the supervisor. The second must not cut
    /// the graceful shutdown short (that lost the buffered log lines, "pilar stopped" among them).
    func testASecondSIGTERMDuringShutdownDoesNotCutItShort() throws {
        let log = dir + "/serve.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["serve", "--db", dir + "/s.db", "--port", "0", "--quiet"]
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PILAR_") }
        p.standardError = FileHandle(forWritingAtPath: log)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var port = 0
        let deadline = Date().addingTimeInterval(60)
        while port == 0 && Date() < deadline && p.isRunning {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let r = text.range(of: "listening on http://127.0.0.1:") { port = Int(text[r.upperBound...].prefix { $0.isNumber }) ?? 0 }
            usleep(20_000)
        }
        XCTAssertGreaterThan(port, 0, "pilar serve did not start")
        // Measured before the fix: a second SIGTERM 2 to 20 ms after the first killed it (exit 143).
        kill(p.processIdentifier, SIGTERM)
        usleep(5_000)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit, "killed by the second signal")
        XCTAssertEqual(p.terminationStatus, 0)
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        XCTAssertTrue(text.contains("pilar stopped"), text)
    }

    /// The command line speaks Indonesian unless the environment or --lang says English.
    func testMessagesFollowTheLanguage() throws {
        let missing = dir + "/nowhere.db"
        let id = try run(["backup", "--to", dir + "/b.db", "--db", missing], env: ["LANGUAGE": "", "LC_ALL": "", "LANG": "C.UTF-8"])
        XCTAssertEqual(id.status, 1)
        XCTAssertTrue(id.err.contains("tidak ada basis data di \(missing)"), id.err)
        let flag = try run(["--lang", "en", "backup", "--to", dir + "/b.db", "--db", missing], env: ["LANGUAGE": "", "LANG": "C.UTF-8"])
        XCTAssertTrue(flag.err.contains("no database at \(missing)"), flag.err)
        let lang = try run(["backup", "--to", dir + "/b.db", "--db", missing, "--lang=id"], env: ["LANGUAGE": "en"])
        XCTAssertTrue(lang.err.contains("tidak ada basis data"), lang.err)
        XCTAssertTrue(try run(["--help"]).out.contains("--lang en"), "--help says how to choose")
    }
}
