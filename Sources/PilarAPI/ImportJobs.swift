import Foundation
import HTTPServer
import PilarCore

/// Big imports as jobs. `Prefer: respond-async` on an import of more than a few thousand rows
/// answers 202 with `Location: /v1/imports/jobs/{id}`; the import runs on its own thread and the
/// status shows rows read, rows per second and, once finished, the answer the import would have
/// given (summary, rejected-rows link). Smaller files are answered at once as without the
/// preference. Bounded: one job running per token (429), two in all (503), each claimed before
/// the upload is stored. Seen only by the token that started it and by admin (404 otherwise).
/// A job lives in this process: a restart marks it failed (ImportJobStore.failInterrupted).
final class ImportJobs: @unchecked Sendable {
    struct Live {
        let owner: Int64?
        let kind: String
        let started: Date
        let progress: ImportProgress
    }

    private let lock = NSLock()
    private var live: [String: Live] = [:]
    private var places: Places
    var perToken: Int { places.perToken }
    var total: Int { places.total }

    init(perToken: Int = 1, total: Int = 2) {
        places = Places(perToken: perToken, total: total)
    }

    /// A place for one more job of `caller`, or the 429/503 that says why not.
    func claim(for caller: Caller) throws {
        let key = caller.tokenID ?? -1
        lock.lock()
        defer { lock.unlock() }
        switch places.claim(key) {
        case .perToken?:
            throw PilarError.busy(.tooManyRequests, code: "too_many_import_jobs", retryAfter: 30, ["limit": .int(perToken)])
        case .total?:
            throw PilarError.busy(.unavailable, code: "import_jobs_busy", retryAfter: 30, ["running": .int(total)])
        case nil:
            return
        }
    }

    func release(for caller: Caller) {
        let key = caller.tokenID ?? -1
        lock.lock()
        places.release(key)
        lock.unlock()
    }

    func begin(_ id: String, _ job: Live) { lock.lock(); live[id] = job; lock.unlock() }
    func end(_ id: String) { lock.lock(); live[id] = nil; lock.unlock() }
    func running(_ id: String) -> Live? { lock.lock(); defer { lock.unlock() }; return live[id] }
    /// Places claimed now (tests check that they come back).
    var claimedCount: Int { lock.lock(); defer { lock.unlock() }; return places.all }
}

extension PilarApp {
    /// Runs an import now, or as a job when the client prefers and the file is big enough.
    /// `body` imports the spool and gives its summary and the members the answer adds.
    func importRoute(_ ctx: RequestContext, kind: String, format: ImportFormat,
                     _ body: @escaping (ImportSpool) throws -> (ImportSummary, JSONObject)) throws -> HTTPResponse {
        let prefersAsync = ctx.request.headers["Prefer"].map(Self.prefersAsync) ?? false
        if prefersAsync { try jobs.claim(for: ctx.caller) }
        let spool: ImportSpool
        do { spool = try ctx.spool() } catch { if prefersAsync { jobs.release(for: ctx.caller) }; throw error }
        let limits = ctx.pilar.config.imports
        let big = format == .xlsx ? spool.size >= limits.asyncFromXLSXBytes : spool.lineFeeds >= limits.asyncFromLines
        guard prefersAsync, big else {
            if prefersAsync { jobs.release(for: ctx.caller) }
            let (summary, extra) = try body(spool)
            return try importReply(summary, spool: spool, format: format, kind: kind, caller: ctx.caller, language: ctx.language, extra: extra)
        }
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let caller = ctx.caller
        do {
            try ctx.pilar.importJobs.start(id: id, tokenID: caller.tokenID, kind: kind)
        } catch { jobs.release(for: caller); throw error }
        jobs.begin(id, ImportJobs.Live(owner: caller.tokenID, kind: kind, started: Date(), progress: spool.progress))
        let request = ctx.request
        let thread = Thread { [self] in
            defer { jobs.release(for: caller) }
            let answer: HTTPResponse
            do {
                let (summary, extra) = try body(spool)
                answer = try importReply(summary, spool: spool, format: format, kind: kind, caller: caller, language: request.language, extra: extra)
            } catch {
                answer = Self.response(for: error, request: request)
            }
            var text = ""
            if case .bytes(let b) = answer.body { text = String(decoding: b, as: UTF8.self) }
            do {
                try pilar.importJobs.finish(id: id, failed: answer.status >= 400 && answer.status != 422,
                                            rowsDone: spool.progress.snapshot.rows, status: answer.status, answer: text)
            } catch {
                Log.error("import job \(id) finished but its answer was not stored: \(error)")
            }
            jobs.end(id)
        }
        thread.name = "pilar-import-job"
        thread.start()
        var h = HTTPHeaders()
        h.set("Location", "/v1/imports/jobs/\(id)")
        h.set("Preference-Applied", "respond-async")
        var o = JSONObject()
        o["id"] = .string(id)
        o["state"] = "running"
        o["status_url"] = .string("/v1/imports/jobs/\(id)")
        return Reply.json(.object(o), status: 202, headers: h)
    }

    /// RFC 7240: `respond-async` among the preferences (any case, with or without parameters).
    static func prefersAsync(_ header: String) -> Bool {
        header.split(separator: ",").contains { part in
            part.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() == "respond-async"
        }
    }

    func registerImportJobRoutes() {
        route("GET", "/v1/imports/jobs/{id}") { [unowned self] ctx in
            let id = ctx.pathParam("id")
            let notFound = PilarError(.notFound, code: "import_job_not_found", ["id": .text(id)])
            let mayRead = { (owner: Int64?) in ctx.caller.role == .admin || (owner != nil && owner == ctx.caller.tokenID) }
            var o = JSONObject()
            o["id"] = .string(id)
            if let job = self.jobs.running(id) {
                guard mayRead(job.owner) else { throw notFound }
                let (rows, fraction) = job.progress.snapshot
                let seconds = max(0.001, Date().timeIntervalSince(job.started))
                o["kind"] = .string(job.kind)
                o["state"] = "running"
                o["started_at"] = .string(Clock.timestamp(job.started))
                o["rows_done"] = .int(Int64(rows))
                o["fraction_read"] = .double((fraction * 1000).rounded() / 1000)
                o["rows_per_second"] = .double((Double(rows) / seconds).rounded())
                var h = HTTPHeaders()
                h.set("Retry-After", "1")
                h.set("Cache-Control", "no-store")
                return Reply.json(.object(o), headers: h)
            }
            guard let job = try ctx.pilar.importJobs.get(id), mayRead(job.tokenID) else { throw notFound }
            o["kind"] = .string(job.kind)
            o["state"] = .string(job.state)
            o["started_at"] = .string(job.startedAt)
            o["finished_at"] = .from(job.finishedAt)
            o["rows_done"] = .int(Int64(job.rowsDone))
            o["fraction_read"] = .double(job.state == "done" ? 1 : 0)
            if let start = Clock.parseTimestamp(job.startedAt), let end = job.finishedAt.flatMap(Clock.parseTimestamp) {
                o["rows_per_second"] = .double((Double(job.rowsDone) / max(0.001, end.timeIntervalSince(start))).rounded())
            }
            o["result_status"] = .from(job.status.map { Int64($0) })
            // The answer as the import gives it synchronously (a JSON body); none when a restart
            // interrupted the job: the problem that says so, in the caller's language.
            if let text = job.answer {
                o["result"] = (try? JSON.parse(Array(text.utf8))) ?? .string(text)
            } else if job.state == "failed", case .bytes(let b) = Reply.problem(PilarError(.unavailable, code: ImportJobStore.interrupted), ctx.language).body {
                o["result"] = (try? JSON.parse(b)) ?? .null
            }
            var h = HTTPHeaders()
            h.set("Cache-Control", "no-store")
            return Reply.json(.object(o), headers: h)
        }
    }
}
