import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    /// The dashboards. Every role may read them within its subtree (viewer tokens exist for
    /// exactly this). Each answer carries a strong ETag derived from the data version, the
    /// caller's scope and the normalized query, so `If-None-Match` is answered with a 304
    /// before any database work. `Accept: text/csv` or the `.csv` path gives the same table as CSV.
    func registerStatsRoutes() {
        let stats = pilar.stats
        for suffix in ["", ".csv"] {
            route("GET", "/v1/stats/pmks" + suffix) { ctx in
                let q = try stats.parsePMKS(ctx.request.query, by: ctx.caller)
                return try Self.statsReply(ctx, canonical: q.canonical, name: "pmks") { try stats.pmks(q) }
            }
            route("GET", "/v1/stats/psks" + suffix) { ctx in
                let q = try stats.parsePSKS(ctx.request.query, by: ctx.caller)
                return try Self.statsReply(ctx, canonical: q.canonical, name: "psks") { try stats.psks(q) }
            }
            route("GET", "/v1/stats/completeness" + suffix) { ctx in
                let q = try stats.parseCompleteness(ctx.request.query, by: ctx.caller)
                return try Self.statsReply(ctx, canonical: q.canonical, name: "completeness", clockSensitive: true) {
                    try stats.completeness(q)
                }
            }
            // Capacity building (issue 7). The query carries today's date, so the tag turns at midnight.
            route("GET", "/v1/stats/capacity" + suffix) { ctx in
                let q = try stats.parseCapacity(ctx.request.query, by: ctx.caller)
                return try Self.statsReply(ctx, canonical: q.canonical, name: "capacity") { try stats.capacity(q) }
            }
        }
    }

    /// A 304 given from memory, for `respondInline` (no database, no worker hand-off): a GET of
    /// a stats path whose query parses, whose `If-None-Match` holds the tag the worker would
    /// compute, with a stats version nobody has committed past (StatsVersionCache). nil in
    /// every other case (the request then goes to a worker as usual). `caller` must come from
    /// memory too (the token cache).
    static func statsNotModifiedFromMemory(_ request: HTTPRequest, caller: Caller, pilar: Pilar) -> HTTPResponse? {
        guard request.method == "GET", let header = request.headers["If-None-Match"],
              request.path.hasPrefix("/v1/stats/") else { return nil }
        let stats = pilar.stats
        var path = Substring(request.path)
        let csvSuffix = path.hasSuffix(".csv")
        if csvSuffix { path = path.dropLast(4) }
        let canonical: String, clockSensitive: Bool
        do {
            switch path {
            case "/v1/stats/pmks": canonical = try stats.parsePMKS(request.query, by: caller).canonical; clockSensitive = false
            case "/v1/stats/psks": canonical = try stats.parsePSKS(request.query, by: caller).canonical; clockSensitive = false
            case "/v1/stats/completeness":
                canonical = try stats.parseCompleteness(request.query, by: caller).canonical; clockSensitive = true
            case "/v1/stats/capacity": canonical = try stats.parseCapacity(request.query, by: caller).canonical; clockSensitive = false
            default: return nil
            }
        } catch {
            return nil  // a worker gives the problem answer
        }
        let csv = csvSuffix || (request.headers["Accept"]?.lowercased().contains("text/csv") ?? false)
        guard let etag = stats.etagFromMemory(canonical: canonical, caller: caller, csv: csv, clockSensitive: clockSensitive),
              ifNoneMatch(header, etag) else { return nil }
        return HTTPResponse(status: 304, headers: cachingHeaders(etag))
    }

    /// The caching headers of every stats answer, 304s included.
    static func cachingHeaders(_ etag: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.set("ETag", etag)
        headers.set("Cache-Control", "private, max-age=5")
        headers.set("Vary", "Accept, Authorization")
        return headers
    }

    /// 304 when the client's copy is current, else the answer as JSON or CSV, with the caching headers.
    static func statsReply(_ ctx: RequestContext, canonical: String, name: String, clockSensitive: Bool = false,
                           _ compute: () throws -> StatsAnswer) throws -> HTTPResponse {
        let csv = ctx.wantsCSV
        let etag = ctx.pilar.stats.etag(canonical: canonical, caller: ctx.caller, csv: csv, clockSensitive: clockSensitive)
        var headers = cachingHeaders(etag)
        if ifNoneMatch(ctx.request.headers["If-None-Match"], etag) {
            return HTTPResponse(status: 304, headers: headers)
        }
        let answer = try compute()
        if csv {
            return Reply.csv(header: answer.csvHeader, rows: answer.csvRows, filename: "\(name).csv", headers: headers)
        }
        headers.set("Content-Type", Reply.jsonType)
        return HTTPResponse(status: 200, headers: headers, body: .bytes(answer.jsonBytes()))
    }

    /// RFC 9110 If-None-Match: `*` or a list of tags, compared weakly (a `W/` prefix is ignored).
    static func ifNoneMatch(_ header: String?, _ etag: String) -> Bool {
        guard let header else { return false }
        for part in header.split(separator: ",") {
            var tag = Substring(part.drop { $0 == " " || $0 == "\t" })
            while let last = tag.last, last == " " || last == "\t" { tag.removeLast() }
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}
