import Foundation
import HTTPServer
import PilarCore
#if canImport(Glibc)
import Glibc
#endif

/// The rejected-rows files of recent imports, each fetched at `/v1/imports/rejected/{id}` by
/// the token that ran the import and no other (another token gets the same 404 as an id that
/// never was). The files hold full NIKs, so they are kept briefly and bounded: `lifetime` each,
/// `perToken` per token and `total` in all (the oldest goes first), `maxBytes` together. They
/// live in the temporary directory under the import spool's prefix, so a restart's cleanup
/// (ImportSpool.removeStale) removes them: a link does not survive a restart (404).
final class RejectedDownloads: @unchecked Sendable {
    struct Entry {
        let id: String
        let owner: Int64
        let rows: RejectedRows
        let filename: String
        let expires: Date
    }

    let lifetime: TimeInterval
    let perToken: Int
    let total: Int
    let maxBytes: Int
    private let lock = NSLock()
    private var entries: [Entry] = []   // oldest first

    init(lifetime: TimeInterval = 30 * 60, perToken: Int = 5, total: Int = 50, maxBytes: Int = 1 << 30) {
        self.lifetime = lifetime
        self.perToken = perToken
        self.total = total
        self.maxBytes = maxBytes
    }

    /// A new unguessable id and the path its file goes to.
    func reserve() -> (id: String, path: String) {
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return (id, NSTemporaryDirectory() + "pilar-import-rejected-\(id)")
    }

    /// Keeps `rows` for `caller`, dropping what the bounds no longer allow.
    func keep(_ rows: RejectedRows, id: String, filename: String, for caller: Caller, now: Date) -> Entry {
        let e = Entry(id: id, owner: caller.tokenID ?? -1, rows: rows, filename: filename, expires: now.addingTimeInterval(lifetime))
        lock.lock()
        defer { lock.unlock() }
        entries.append(e)
        var gone = expire(now)
        while entries.filter({ $0.owner == e.owner }).count > perToken, let i = entries.firstIndex(where: { $0.owner == e.owner }) {
            gone.append(entries.remove(at: i))
        }
        while entries.count > total || (entries.count > 1 && entries.reduce(0, { $0 + $1.rows.bytes }) > maxBytes) {
            gone.append(entries.removeFirst())
        }
        gone.forEach { unlink($0.rows.path) }
        return e
    }

    /// The file for `caller`, opened (an expiry meanwhile cannot take it away mid-download), or nil.
    func open(_ id: String, for caller: Caller, now: Date) -> (Entry, FileHandle)? {
        lock.lock()
        defer { lock.unlock() }
        expire(now).forEach { unlink($0.rows.path) }
        guard let e = entries.first(where: { $0.id == id && $0.owner == (caller.tokenID ?? -1) }),
              let h = FileHandle(forReadingAtPath: e.rows.path) else { return nil }
        return (e, h)
    }

    /// Takes out the entries past their time (the lock is held).
    private func expire(_ now: Date) -> [Entry] {
        let gone = entries.filter { $0.expires <= now }
        entries.removeAll { $0.expires <= now }
        return gone
    }

    /// Files kept now (tests watch the bounds).
    var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }
}

extension PilarApp {
    /// The answer to an import: its summary, and when it refused rows that a file can carry,
    /// `rejected_rows` with the link to that file (see RejectedDownloads).
    func importReply(_ summary: ImportSummary, spool: ImportSpool, format: ImportFormat, kind: String,
                     caller: Caller, language: Language, extra: JSONObject = JSONObject()) throws -> HTTPResponse {
        var extra = extra
        if let link = try rejectedRowsLink(summary, spool: spool, format: format, kind: kind, caller: caller, language: language) {
            extra["rejected_rows"] = link
        }
        return try summary.response(language, extra: extra)
    }

    /// Writes the rejected rows (if any) and keeps them for `caller`: the member that links them.
    func rejectedRowsLink(_ summary: ImportSummary, spool: ImportSpool, format: ImportFormat, kind: String,
                          caller: Caller, language: Language) throws -> JSON? {
        let (id, path) = rejected.reserve()
        guard let rows = try RejectedRows.write(from: spool, format: format, summary: summary, to: path,
                                                message: { Reply.message($0.fieldError, language) },
                                                refusedWithOthers: MessageCatalog.render("refused_with_others", [:], in: language) ?? "")
        else { return nil }
        let ext = format == .xlsx ? "xlsx" : "csv"
        let e = rejected.keep(rows, id: id, filename: "\(kind)-ditolak.\(ext)", for: caller, now: pilar.clock.now())
        var o = JSONObject()
        o["href"] = .string("/v1/imports/rejected/\(id)")
        o["rows"] = .int(Int64(rows.rows))
        o["format"] = .string(ext)
        o["expires_at"] = .string(Clock.timestamp(e.expires))
        return .object(o)
    }

    func registerRejectedRoutes() {
        route("GET", "/v1/imports/rejected/{id}") { [unowned self] ctx in
            let id = ctx.pathParam("id")
            guard let (e, handle) = self.rejected.open(id, for: ctx.caller, now: ctx.pilar.clock.now()) else {
                throw PilarError(.notFound, code: "rejected_rows_not_found", ["id": .text(id), "minutes": .int(Int(self.rejected.lifetime / 60))])
            }
            var h = HTTPHeaders()
            h.set("Content-Type", e.rows.format == .xlsx ? Reply.xlsxMediaType : Reply.csvType)
            h.set("Content-Disposition", "attachment; filename=\"\(e.filename)\"")
            h.set("Cache-Control", "no-store")
            return HTTPResponse(status: 200, headers: h, body: .stream { writer in
                defer { try? handle.close() }
                while let d = try handle.read(upToCount: 64 * 1024), !d.isEmpty { try writer.write([UInt8](d)) }
            })
        }
    }
}
