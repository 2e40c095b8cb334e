import ArgumentParser
import Foundation
import HTTPServer
import PilarAPI
import PilarCore

/// The command line's words (PilarAPI's catalogue, `cli.*`) in its language: Indonesian, or
/// English when LANGUAGE, LC_ALL or LANG starts with en, or with `--lang en`.
func say(_ key: String, _ values: MessageValues = [:]) -> String {
    MessageCatalog.render("cli." + key, values, in: Language.cli) ?? key
}

/// `PILAR_<NAME>` from the environment, for flags not given on the command line.
func env(_ name: String) -> String? { ProcessInfo.processInfo.environment["PILAR_\(name)"] }

/// A whole number from `PILAR_<NAME>`, or `fallback` when it is unset; a value that is not a
/// number is an error, not a silent default.
func envInt(_ name: String, _ fallback: Int) throws -> Int {
    guard let text = env(name) else { return fallback }
    guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
        throw Failure(say("env_not_integer", ["name": .text(name), "value": .text(text)]))
    }
    return n
}

func envSeconds(_ name: String, _ fallback: Double) throws -> Double {
    guard let text = env(name) else { return fallback }
    guard let n = Double(text.trimmingCharacters(in: .whitespaces)), n.isFinite else {
        throw Failure(say("env_not_seconds", ["name": .text(name), "value": .text(text)]))
    }
    return n
}

/// A failure of the command's work (not of the command line): one line on standard error and
/// exit status 1, without the usage text.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env PILAR_DB).")
    var db: String = env("DB") ?? "./pilar.db"
    @Flag(help: "Leave WAL checkpoints to Litestream (env PILAR_LITESTREAM=1; on by itself under `litestream replicate -exec`).")
    var litestream = false

    /// `migrate` and `token create` (the first steps of a new deployment) create a missing
    /// database and say so on standard error.
    func openOrCreate() throws -> Pilar {
        let isNew = !FileManager.default.fileExists(atPath: db)
        let pilar = try open(create: true)
        if isNew { FileHandle.standardError.write((say("db_created", ["path": .text(db)]) + "\n").data(using: .utf8)!) }
        return pilar
    }

    /// Only `serve`, `migrate` and `token create` create a database; the other commands work on
    /// one that exists, so a mistyped path is an error rather than a new empty database.
    func open(create: Bool = false) throws -> Pilar {
        guard create || FileManager.default.fileExists(atPath: db) else {
            throw Failure(say("no_database", ["path": .text(db)]))
        }
        do {
            return try Pilar.open(path: db, checkpoints: Replication.checkpoints(flag: litestream))
        } catch {
            throw Failure(say("cannot_open", ["path": .text(db), "reason": .text("\(error)")]))
        }
    }
}

@main
struct PilarCommand: ParsableCommand {
    /// Before any command opens a file: owner-only modes, stale import files gone.
    static func main() {
        FileModes.prepareProcess()
        Self.main(Self.takeLanguage(Array(CommandLine.arguments.dropFirst())))
    }

    /// `--lang id|en` (or `--lang=en`) anywhere on the line sets the language of the messages
    /// and is taken out before the subcommand's own options are read.
    static func takeLanguage(_ args: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            var value: String?
            if args[i] == "--lang", i + 1 < args.count { value = args[i + 1]; i += 1 }
            else if args[i].hasPrefix("--lang=") { value = String(args[i].dropFirst("--lang=".count)) }
            else { out.append(args[i]) }
            if let value { Language.cli = value.lowercased().hasPrefix("en") ? .en : .id }
            i += 1
        }
        return out
    }

    static let configuration = CommandConfiguration(
        commandName: "pilar",
        abstract: "Records and reports of Indonesia's social welfare pillars (PSKS, PMKS, TKSK reports).",
        discussion: "Messages are in Indonesian; in English when LANGUAGE, LC_ALL or LANG starts with en, or with --lang en "
            + "(--lang id for Indonesian), given anywhere on the line. Pesan dalam bahasa Indonesia; bahasa Inggris bila "
            + "LANGUAGE, LC_ALL atau LANG diawali en, atau dengan --lang en.",
        version: "pilar \(Pilar.version)",
        subcommands: [Serve.self, Migrate.self, TokenCommand.self, Backup.self, RestoreCheckCommand.self, PrivacyCommand.self],
        defaultSubcommand: Serve.self)
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP API (migrations are applied on start).")
    @Option(help: "Address to listen on (env PILAR_HOST).") var host: String = env("HOST") ?? "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one (env PILAR_PORT, default 8080).") var port: Int?
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Add the Kota Cirebon example data and print a new admin token.") var demo = false
    @Option(help: "Day of the next month a report is due (env PILAR_DUE_DAY, default 10).") var dueDay: Int?
    // 4 per core: measured on 2 cores, 64 threads spent more time switching than answering
    // (19.7k vs 26.1k req/s, BENCHMARKS.md). Raise it when many clients upload slowly.
    @Option(help: "Handler threads; default 4 per core (env PILAR_WORKERS).")
    var workers: Int?
    @Flag(help: "Do not log one line per request.") var quiet = false
    // A write that cannot get the database writer within this budget answers 503 with
    // Retry-After instead of holding a handler thread behind a long import.
    @Option(help: "Seconds a write waits for the database writer before 503 (env PILAR_WRITE_WAIT).")
    var writeWait: Double?

    func run() throws {
        MallocTuning.forServer(cores: ProcessInfo.processInfo.activeProcessorCount)
        let port = try self.port ?? envInt("PORT", 8080)
        guard (0...65_535).contains(port) else { throw Failure(say("port_range", ["port": .int(port)])) }
        let dueDay = try self.dueDay ?? envInt("DUE_DAY", 10)
        let workers = try self.workers ?? envInt("WORKERS", max(8, 4 * ProcessInfo.processInfo.activeProcessorCount))
        let pilar = try database.open(create: true)
        guard (1...28).contains(dueDay) else { throw ValidationError(say("due_day_range")) }
        pilar.config.dueDates.dayOfNextMonth = dueDay
        var demoToken: String?
        if demo {
            try Demo.seed(pilar)
            let (_, token) = try pilar.tokens.create(role: .admin, region: nil, name: "demo admin", by: .cli)
            demoToken = token
            print(say("demo_loaded"))
            print(say("admin_token", ["token": .text(token)]))
            fflush(stdout)  // the token must reach a pipe or a log file now, not when the server stops
        }
        let writeWait = try self.writeWait ?? envSeconds("WRITE_WAIT", 2)
        guard writeWait > 0 && writeWait <= 600 else { throw ValidationError(say("write_wait_range")) }
        pilar.db.writeWaitBudget = writeWait
        // Import jobs of a process that is gone cannot finish: say so to whoever asks.
        try pilar.importJobs.failInterrupted()
        let app = PilarApp(pilar: pilar, logRequests: !quiet)
        var limits = Limits()
        guard (1...1024).contains(workers) else { throw ValidationError(say("workers_range")) }
        limits.workerThreads = workers
        let server = app.makeServer(host: host, port: port, limits: limits)
        try server.start()
        if let demoToken {
            print(say("try_curl", ["token": .text(demoToken), "address": .text("\(host):\(server.port)")]))
            fflush(stdout)
        }
        Log.info("pilar listening on http://\(host):\(server.port) with database \(database.db)"
                 + (pilar.db.checkpoints == .litestream ? " (WAL checkpoints left to Litestream)" : ""))
        server.runUntilSignal()
        pilar.tokens.flushUseTimes()
        pilar.accessLog.flush()
        pilar.db.close()
        Log.info("pilar stopped")
        Log.standardError.close()  // the last lines reach the sink before the process exits
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the missing migrations and list what is applied (creates the database if there is none, and says so).")
    @OptionGroup var database: DatabaseOption
    func run() throws {
        let pilar = try database.openOrCreate()
        for m in try pilar.db.appliedMigrations() {
            print(String(format: "%04d  %@  %@  %@", m.version, m.name, m.checksum, m.appliedAt))
        }
    }
}

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print its secret once.")
        @Option(help: "admin, provinsi, kabkota, tksk or viewer.") var role: String
        @Option(help: "Region code the token covers (not for admin).") var region: String?
        @Option(help: "Who or what the token is for.") var name: String = "cli token"
        @Option(help: "Print a sign-in link to the web app at this address instead of the bare token.") var link: String?
        @Option(help: ArgumentHelp("When the token stops working: a day (YYYY-MM-DD, the token works to the end of that day, WIB) or a timestamp (2027-06-30T17:00:00Z). Without it the deployment's default for the role applies (pilar privacy settings).", valueName: "when"))
        var expiresAt: String?
        @OptionGroup var database: DatabaseOption
        func run() throws {
            if let link { _ = try TokenCommand.validLink(link, token: "") }
            let expiry = try expiresAt.map { text -> Date in
                guard let d = TokenCommand.expiry(text) else {
                    throw ValidationError(say("expires_at_invalid", ["value": .text(text)]))
                }
                return d
            }
            guard let r = Role(rawValue: role) else { throw ValidationError(say("role_invalid")) }
            var code: RegionCode?
            if let region {
                guard let c = RegionCode(region) else { throw ValidationError(say("region_invalid", ["value": .text(region)])) }
                code = c
            }
            let pilar = try database.openOrCreate()
            do {
                let (info, secret) = try pilar.tokens.create(role: r, region: code, name: name, expiresAt: expiry, by: .cli)
                let role = info.role.rawValue + (info.region.map { " " + $0.dotted } ?? "")
                FileHandle.standardError.write((say("token_created", ["id": .number(info.id), "role": .text(role), "name": .text(info.name)]) + "\n")
                    .data(using: .utf8)!)
                print(try link.map { try TokenCommand.validLink($0, token: secret) } ?? secret)
            } catch let e as PilarError {
                throw Failure(Reply.detail(e, .cli))
            }
        }
    }

    /// A day means "to the end of that day" where the offices are (WIB, UTC+7); a timestamp is
    /// taken as written.
    static func expiry(_ text: String) -> Date? {
        if let day = CalendarDate(text) {
            var c = DateComponents(); c.year = day.year; c.month = day.month; c.day = day.day
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
            return calendar.date(from: c)?.addingTimeInterval(86_400)
        }
        return Clock.parseTimestamp(text)
    }

    static func validLink(_ base: String, token: String) throws -> String {
        do { return try WebApp.signInLink(base: base, token: token) } catch let e as PilarError {
            throw ValidationError("--link: \(Reply.detail(e, .cli))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tokens (never their secrets), one per line, tab-separated.",
            discussion: "Columns: id, role, region, name, created_at, state (active, expired or revoked), expires_at, last_used_at (\"-\" when none).")
        @OptionGroup var database: DatabaseOption
        func run() throws {
            let pilar = try database.open()
            let now = Date()
            for t in try pilar.tokens.list(by: .cli) {
                let expired = t.expiresAt.flatMap(Clock.parseTimestamp).map { $0 <= now } ?? false
                let state = t.revokedAt.map { "revoked " + $0 } ?? (expired ? "expired" : "active")
                print([String(t.id), t.role.rawValue, t.region?.dotted ?? "-", t.name, t.createdAt, state,
                       t.expiresAt ?? "-", t.lastUsedAt ?? "-"].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token; it stops working on its next request.")
        @Argument(help: "The token id.") var id: Int64
        @OptionGroup var database: DatabaseOption
        func run() throws {
            let pilar = try database.open()
            do {
                let t = try pilar.tokens.revoke(id: id, by: .cli)
                print(say("token_revoked", ["id": .number(t.id), "name": .text(t.name)]))
            } catch let e as PilarError {
                throw Failure(Reply.detail(e, .cli))
            }
        }
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a consistent copy of the database while it serves.")
    @Option(help: "The file to write (must not exist).") var to: String
    @OptionGroup var database: DatabaseOption
    func run() throws {
        guard !FileManager.default.fileExists(atPath: to) else {
            throw Failure(say("backup_exists", ["path": .text(to)]))
        }
        let pilar = try database.open()
        try pilar.db.backup(to: to)
        print(say("backup_written", ["path": .text(to)]))
    }
}

struct RestoreCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore-check",
        abstract: "Restore a replica or backup to a temporary file, check it, and say what a restore would lose.",
        discussion: "Exits non-zero on any problem: a failed restore, damage, a schema this pilar cannot run, "
            + "or missing writes older than --max-loss. docs/OPERATIONS.md has the runbook.")
    @Option(help: "A Litestream replica URL (file:///..., s3://bucket/path), a replica folder, or a `pilar backup` file.")
    var from: String
    @Option(help: "The live database to compare with (env PILAR_DB); skipped when it does not exist.")
    var db: String = env("DB") ?? "./pilar.db"
    @Option(help: "Restore to this moment (RFC 3339, e.g. 2026-01-31T23:59:00Z; replicas only).") var timestamp: String?
    @Option(help: "Seconds: writes older than this missing from the restore are a problem.") var maxLoss: Double = 60
    @Option(help: "The litestream program (env PILAR_LITESTREAM_BIN).") var litestreamBin: String = env("LITESTREAM_BIN") ?? "litestream"
    @Option(help: "Folder for the temporary restore (removed afterwards).") var workDir: String = NSTemporaryDirectory()
    @Flag(help: "Keep the restored file and print its path.") var keep = false

    func run() throws {
        var check = RestoreCheck(source: RestoreSource(from), livePath: db)
        check.timestamp = timestamp
        check.maxLoss = maxLoss
        check.litestream = litestreamBin
        check.workDirectory = workDir
        check.keep = keep
        let verdict = check.run()
        verdict.lines.forEach { print($0) }
        print(verdict.ok ? "restore-check: ok" : "restore-check: \(verdict.problems.count) problem(s)")
        if !verdict.ok { throw ExitCode(1) }
    }
}

struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy", abstract: "Personal data: retention.", subcommands: [Purge.self])

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the personal fields of person records ended longer ago than a period; dashboard counts stay.")
        @Option(help: "How long ended records keep their personal data: 5y, 18m or 400d.") var olderThan: String
        @Flag(help: "Count what would be purged; change nothing.") var dryRun = false
        @OptionGroup var database: DatabaseOption

        func run() throws {
            guard let period = RetentionPeriod(olderThan) else {
                throw ValidationError(say("older_than_invalid"))
            }
            let pilar = try database.open()
            let today = CalendarDate(pilar.clock.now(), timeZone: pilar.config.dueDates.timeZone)
            let s = try pilar.purgePersonalData(endedBefore: period.before(today), dryRun: dryRun, by: .cli)
            let values: MessageValues = ["count": .int(s.records), "before": .text(s.endedBefore.description)]
            print(say(dryRun ? "would_purge_records" : "purged_records", values))
            print(say(dryRun ? "would_purge_access_log" : "purged_access_log", ["count": .int(s.accessLogEntries)]))
            pilar.db.close()
        }
    }
}
