import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    func registerReportRoutes() {
        route("GET", "/v1/catalog/pmks-categories") { ctx in
            Reply.list(try ctx.pilar.reports.categories(), nextCursor: nil, request: ctx.request)
        }

        route("GET", "/v1/reports") { ctx in
            var q = ReportService.ListQuery()
            q.region = try ctx.queryRegion("region")
            q.period = try ctx.query("period").map(ReportService.period)
            q.status = try ctx.queryChoice("status", ReportStatus.allCases.map(\.rawValue)).flatMap(ReportStatus.init)
            if ctx.query("late") != nil { q.late = try ctx.queryBool("late") }
            q.limit = try ctx.limit
            q.cursor = ctx.query("cursor")
            let page = try ctx.pilar.reports.list(q, by: ctx.caller)
            return Reply.list(page.items, nextCursor: page.nextCursor, request: ctx.request)
        }

        route("POST", "/v1/reports/import") { [unowned self] ctx in
            try ctx.caller.requireRole([.admin, .kabkota], to: "import_report_history")
            let format = try ctx.importFormat()
            let options = try ctx.importOptions()
            return try self.importRoute(ctx, kind: "laporan", format: format) { spool in
                let (summary, rows) = try ctx.pilar.reports.importReports(spool, format: format, options: options, by: ctx.caller)
                return (summary, ["rows": .int(Int64(rows)), "counts": "reports"])
            }
        }

        route("GET", "/v1/reports/{kecamatan}/{period}") { ctx in
            let (k, p) = try ctx.reportKey()
            return Self.reply(try ctx.pilar.reports.get(k, p, by: ctx.caller), ctx.language)
        }

        route("PUT", "/v1/reports/{kecamatan}/{period}") { ctx in
            let (k, p) = try ctx.reportKey()
            let expected = try ctx.expectedVersion
            // A sheet (the wide recap or the long form, .xlsx or CSV) becomes the draft's PMKS counts.
            if let type = ctx.mediaType, type != "application/json", type != "application/merge-patch+json" {
                let format = try ctx.importFormat()
                return Self.reply(try ctx.pilar.reports.putSheet(k, p, try ctx.spool(), format: format, expected: expected, by: ctx.caller),
                                  ctx.language)
            }
            let body = try ctx.jsonObject()
            return Self.reply(try ctx.pilar.reports.put(k, p, body: body, expected: expected, by: ctx.caller), ctx.language)
        }

        route("GET", "/v1/reports/{kecamatan}/{period}/history") { ctx in
            let (k, p) = try ctx.reportKey()
            let limit = try ctx.queryInt("limit", default: ReportService.historyDefault, range: 1...ReportService.historyMaximum)
            let page = try ctx.pilar.reports.history(k, p, limit: limit, cursor: ctx.query("cursor"), by: ctx.caller)
            return Reply.list(page.items, nextCursor: page.nextCursor, request: ctx.request, extra: page.header)
        }

        for action in [ReportAction.submit, .verify, .return] {
            route("POST", "/v1/reports/{kecamatan}/{period}/\(action.rawValue)") { ctx in
                let (k, p) = try ctx.reportKey()
                let (bytes, body) = try ctx.optionalJSONObject()
                var idempotency: IdempotencyRequest?
                if let key = ctx.request.headers["Idempotency-Key"]?.trimmingCharacters(in: .whitespaces) {
                    guard !key.isEmpty, key.utf8.count <= 255 else {
                        throw PilarError(.badRequest, code: "idempotency_key_length", ["max": 255])
                    }
                    idempotency = IdempotencyRequest(key: key, method: "POST", path: "/v1/reports/\(k.dotted)/\(p)/\(action.rawValue)", body: bytes)
                }
                return Self.reply(try ctx.pilar.reports.act(action, k, p, body: body, expected: try ctx.expectedVersion,
                                                             idempotency: idempotency, by: ctx.caller), ctx.language)
            }
        }
    }

    /// The one place a report answer becomes HTTP: 201 for a created report, else 200, with
    /// its ETag (one per language: the body holds words); a replayed Idempotency-Key answer
    /// says so (and gets the first one's status).
    static func reply(_ a: ReportAnswer, _ language: Language) -> HTTPResponse {
        var h = HTTPHeaders()
        if let version = a.version { h.set("ETag", LanguageTag.etag(version, language)) }
        h.set("Cache-Control", "no-store")
        if a.replayed { h.set("Idempotent-Replayed", "true") }
        let status: Int
        switch a.outcome {
        case .created: status = 201
        case .replaced, .unchanged, .updated: status = 200
        }
        return Reply.json(Reply.spoken(a.body, language), status: status, headers: h)
    }
}

extension RequestContext {
    /// The kecamatan and period of a report path; scope is checked by the service first thing.
    func reportKey() throws -> (RegionCode, ReportPeriod) {
        (try pathRegion("kecamatan"), try ReportService.period(pathParam("period")))
    }

    /// The raw body and its JSON object; an empty body is `{}` (curl -X POST with no data).
    func optionalJSONObject(limit: Int = 64 * 1024) throws -> ([UInt8], JSONObject) {
        let type = mediaType
        let bytes = try request.body.collect(upTo: limit)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return (bytes, JSONObject()) }
        guard type == nil || type == "application/json" else {
            throw PilarError(.unsupportedMediaType, code: "body_not_json", ["media_type": .text(type!)])
        }
        return (bytes, try Self.jsonObject(bytes))
    }
}
