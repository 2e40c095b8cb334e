import Foundation
import HTTPServer
import PilarCore

/// Dashboard revalidations answered on the event loop, from memory: no database, no hand-off
/// to a worker. The parts, across the targets:
/// - HTTPServer asks its responder `respondInline` for every request without a body
///   (HTTPResponse.swift, `Responder`) before queueing it for a worker;
/// - here: the caller from the token cache (`TokenService.cachedCaller`), the stats path's
///   normalized query (`statsTags`, filled as StatsRoutes registers the routes), and the tag
///   from the stats version last read (`StatsService.tagFromMemory`);
/// - that version is trusted only while SQLite's WAL-index header is unchanged since it was
///   read (PilarCore/Stats/StatsVersion.swift with SQLiteStore's `CommitWatch`), so a commit
///   by any process is seen by the very next request.
/// Whenever any part cannot be sure, the answer is nil and a worker answers the usual way,
/// with the same tag (StatsRoutes.statsReply), so both paths agree on every 304.
extension PilarApp {
    public func respondInline(to request: HTTPRequest) -> HTTPResponse? {
        guard request.method == "GET", request.path.hasPrefix("/v1/stats/"),
              let ifNoneMatch = request.headers["If-None-Match"],
              let header = request.headers["Authorization"], let token = Self.bearerToken(header),
              let caller = pilar.tokens.cachedCaller(token) else { return nil }
        return statsNotModifiedFromMemory(request, ifNoneMatch: ifNoneMatch, caller: caller)
    }

    /// A 304 for a stats path whose query parses and whose `If-None-Match` holds the tag a
    /// worker would compute now; nil in every other case.
    func statsNotModifiedFromMemory(_ request: HTTPRequest, ifNoneMatch header: String, caller: Caller) -> HTTPResponse? {
        // A workbook's tag is its own (statsReply): a worker answers those.
        if request.headers["Accept"]?.lowercased().contains(Reply.xlsxMediaType) == true { return nil }
        var path = Substring(request.path)
        let csvSuffix = path.hasSuffix(".csv")
        if csvSuffix { path = path.dropLast(4) }
        guard let tag = statsTags[String(path)],
              let (canonical, clockSensitive) = try? tag(request.query, caller) else { return nil }  // a worker gives the problem answer
        let csv = csvSuffix || (request.headers["Accept"]?.lowercased().contains("text/csv") ?? false)
        guard let version = pilar.stats.tagFromMemory(canonical: canonical, caller: caller, csv: csv, clockSensitive: clockSensitive),
              Conditional.notModified(header, version) else { return nil }
        request.routePattern = request.path  // stats paths have no parameters
        return HTTPResponse(status: 304, headers: Self.cachingHeaders(version))
    }
}
