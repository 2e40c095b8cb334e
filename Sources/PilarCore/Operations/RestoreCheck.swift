import Foundation
import SQLiteStore

/// `pilar restore-check`: restores a replica or a backup file to a private temporary folder and
/// says whether Pilar could run on it and what it would lose against the live database.
public struct RestoreCheck {
    public var source: RestoreSource
    /// The database now in service; nil or missing when the server is gone (then nothing is compared).
    public var livePath: String?
    /// `-timestamp` for `litestream restore`: check a point-in-time restore instead of the newest.
    public var timestamp: String?
    /// Writes older than this that the restore lacks are a problem; newer ones are in flight.
    public var maxLoss: TimeInterval = 60
    public var litestream = "litestream"
    public var workDirectory = NSTemporaryDirectory()
    /// Leave the restored file in place (its path is printed) instead of removing it.
    public var keep = false

    public init(source: RestoreSource, livePath: String?) {
        self.source = source
        self.livePath = livePath
    }

    /// Restores, inspects and compares; never throws: every failure is a problem in the verdict.
    public func run(now: () -> Date = Date.init) -> RestoreVerdict {
        var verdict = RestoreVerdict()
        let folder = (workDirectory as NSString).appendingPathComponent("pilar-restore-check-\(UUID().uuidString)")
        // The copy holds personal data (NIKs): only this user may read it, and it goes away after.
        guard mkdir(folder, 0o700) == 0 else {
            verdict.problem("cannot make the folder \(folder) to restore into: \(String(cString: strerror(errno)))")
            return verdict
        }
        defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
        let restored = folder + "/pilar.db"
        let started = Date()
        do {
            try source.restore(to: restored, litestream: litestream, timestamp: timestamp)
        } catch {
            verdict.problem("the restore failed: \(error)")
            return verdict
        }
        verdict.say("restored \(source) to \(restored) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        if keep { verdict.say("the restored file stays at \(restored)") }

        let copy: DatabaseSummary
        let moment = now()
        do {
            copy = try DatabaseSummary.read(path: restored, now: moment)
        } catch {
            verdict.problem("the restored file cannot be read as a database: \(error)")
            return verdict
        }
        var live: DatabaseSummary?
        if let livePath, FileManager.default.fileExists(atPath: livePath) {
            do {
                live = try DatabaseSummary.read(path: livePath, now: moment, changedAfter: copy.newestWrite ?? "")
            } catch {
                verdict.problem("the live database \(livePath) cannot be read: \(error)")
            }
        } else {
            verdict.say("no live database\(livePath.map { " at \($0)" } ?? ""): nothing to compare with")
        }
        let known = ((try? Pilar.migrations()) ?? []).reduce(into: [Int: String]()) { $0[$1.version] = $1.checksum }
        verdict.judge(restored: copy, live: live, known: known, now: moment, maxLoss: maxLoss)
        return verdict
    }
}

/// Where a restore comes from.
public enum RestoreSource: CustomStringConvertible {
    /// A file written by `pilar backup` (or any copy of the database file).
    case backupFile(String)
    /// A Litestream replica URL: file:///path, s3://bucket/path, gs://..., abs://..., sftp://...
    case replica(String)

    /// A URL is a replica; a folder is a file replica (Litestream's own layout); a file is a backup.
    public init(_ from: String) {
        if from.contains("://") {
            self = .replica(from)
            return
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: from, isDirectory: &isFolder), isFolder.boolValue {
            let absolute = from.hasPrefix("/") ? from : FileManager.default.currentDirectoryPath + "/" + from
            self = .replica("file://" + absolute)
        } else {
            self = .backupFile(from)
        }
    }

    public var description: String {
        switch self {
        case .backupFile(let path): return "backup file \(path)"
        case .replica(let url): return "replica \(url)"
        }
    }

    func restore(to path: String, litestream: String, timestamp: String?) throws {
        switch self {
        case .backupFile(let file):
            guard timestamp == nil else { throw RestoreFailure("--timestamp needs a replica, not a backup file") }
            guard FileManager.default.fileExists(atPath: file) else { throw RestoreFailure("\(file) does not exist") }
            try FileManager.default.copyItem(atPath: file, toPath: path)
        case .replica(let url):
            var arguments = ["restore", "-o", path]
            if let timestamp { arguments += ["-timestamp", timestamp] }
            try Self.runLitestream(litestream, arguments + [url])
        }
    }

    /// Runs Litestream and waits; its output goes into the error when it fails.
    static func runLitestream(_ program: String, _ arguments: [String]) throws {
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw RestoreFailure("cannot run \(program): \(error)") }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = text.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw RestoreFailure("\(program) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(said)")
        }
    }
}

struct RestoreFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
