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
        statsRoute("/v1/stats/pmks", name: "pmks", parse: stats.parsePMKS, answer: stats.pmks)
        statsRoute("/v1/stats/psks", name: "psks", parse: stats.parsePSKS, answer: stats.psks)
        statsRoute("/v1/stats/completeness", name: "completeness", clockSensitive: true,
                   parse: stats.parseCompleteness, answer: stats.completeness)
        // Capacity building (issue 7). The query carries today's date, so the tag turns at midnight.
        statsRoute("/v1/stats/capacity", name: "capacity", parse: stats.parseCapacity, answer: stats.capacity)
    }

    /// One stats endpoint, with and without `.csv`; its tag is also known to the 304s answered
    /// from memory (Conditional/RevalidationFromMemory.swift), so both compute it the same way.
    private func statsRoute<Q>(_ path: String, name: String, clockSensitive: Bool = false,
                               parse: @escaping ([(name: String, value: String)], Caller) throws -> Q,
                               answer: @escaping (Q) throws -> StatsAnswer) where Q: CanonicalStatsQuery {
        statsTags[path] = { query, caller in (try parse(query, caller).canonical, clockSensitive) }
        for suffix in ["", ".csv", ".xlsx"] {
            route("GET", path + suffix) { ctx in
                let q = try parse(ctx.request.query, ctx.caller)
                return try Self.statsReply(ctx, canonical: q.canonical, name: name, clockSensitive: clockSensitive) {
                    try answer(q)
                }
            }
        }
    }

    /// The caching headers of every stats answer, 304s included.
    static func cachingHeaders(_ version: VersionTag) -> HTTPHeaders {
        var headers = Conditional.headers(version, cacheControl: "private, max-age=5")
        headers.set("Vary", "Accept, Authorization")
        return headers
    }

    /// 304 when the client's copy is current, else the answer as JSON or CSV, with the caching
    /// headers. The body is computed once per (query, scope, stats version, format) and kept in
    /// `pilar.statsAnswers`; identical requests meanwhile wait for that one computation, so a
    /// loop of expensive dashboard requests costs one computation per change of the data.
    static func statsReply(_ ctx: RequestContext, canonical: String, name: String, clockSensitive: Bool = false,
                           _ compute: @escaping () throws -> StatsAnswer) throws -> HTTPResponse {
        let format = ctx.wantedTable
        let csv = format == .csv
        // A workbook is a representation of its own: its own tag and cache entry.
        let (version, key) = ctx.pilar.stats.tag(canonical: format == .xlsx ? canonical + "|xlsx" : canonical, caller: ctx.caller,
                                                 csv: csv, clockSensitive: clockSensitive)
        var headers = cachingHeaders(version)
        if ctx.isNotModified(version) {
            return HTTPResponse(status: 304, headers: headers)
        }
        let render = { () throws -> [UInt8] in
            let answer = try compute()
            switch format {
            case .csv: return Reply.csvBytes(header: answer.csvHeader, rows: answer.csvRows)
            case .xlsx: return try statsWorkbook(answer, sheet: name)
            case .json: return answer.jsonBytes()
            }
        }
        let body = try key.map { try ctx.pilar.statsAnswers.value($0, compute: render) } ?? render()
        if csv {
            headers.set("Content-Type", Reply.csvType)
            headers.set("Content-Disposition", "attachment; filename=\"\(csvFilename(name, ctx))\"")
        } else if format == .xlsx {
            headers.set("Content-Type", Reply.xlsxMediaType)
            headers.set("Content-Disposition", "attachment; filename=\"\(csvFilename(name, ctx).dropLast(4)).xlsx\"")
        } else {
            headers.set("Content-Type", Reply.jsonType)
        }
        return HTTPResponse(status: 200, headers: headers, body: .bytes(body))
    }

    /// The table as a workbook: counts as numbers, codes and periods as text (SheetTable's
    /// column types), the header row frozen. Small (one row per region), so built whole.
    static func statsWorkbook(_ answer: StatsAnswer, sheet: String) throws -> [UInt8] {
        let book = try SheetFile(sheet: sheet, columns: answer.csvHeader) { row in
            for r in answer.csvRows { try row(r) }
        }
        var out: [UInt8] = []
        try book.stream { out += $0 }
        return out
    }

    /// A download's name says what it holds, so two saved tables never overwrite each other:
    /// `pmks-3274-2026-10.csv`, `completeness-32-2026-01-2026-06.csv`, `capacity-3274-2026.csv`.
    static func csvFilename(_ name: String, _ ctx: RequestContext) -> String {
        var parts = [name]
        parts.append(ctx.query("region").flatMap(RegionCode.init)?.undotted ?? "id")
        for p in ["period", "period_to", "year"] {
            if let v = ctx.query(p), !parts.contains(v) { parts.append(v) }
        }
        let text = parts.joined(separator: "-")
        return String(text.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }.prefix(120)) + ".csv"
    }
}
