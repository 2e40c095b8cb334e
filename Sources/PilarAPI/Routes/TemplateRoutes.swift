import Foundation
import HTTPServer
import PilarCore

/// `GET /v1/templates/...`: files to fill in, as .xlsx (the default) or CSV, chosen by the
/// path's suffix or Accept.
extension PilarApp {
    func registerTemplateRoutes() {
        route("GET", "/v1/templates/psks/{type}") { ctx in
            let (code, xlsx) = ctx.templateFormat(ctx.pathParam("type"))
            guard let type = PSKSType.named(code) else {
                throw PilarError(.notFound, code: "unknown_psks_type", ["value": .text(code), "allowed": .list(PSKSType.all.map(\.code))])
            }
            return Self.templateReply(try Templates.psks(type, xlsx: xlsx))
        }
        for path in ["/v1/templates/attendance", "/v1/templates/attendance.xlsx", "/v1/templates/attendance.csv"] {
            route("GET", path) { ctx in
                let (_, xlsx) = ctx.templateFormat(ctx.request.path)
                return Self.templateReply(try Templates.attendance(xlsx: xlsx))
            }
        }
        route("GET", "/v1/templates/reports/{kecamatan}/{period}") { ctx in
            let (periodText, xlsx) = ctx.templateFormat(ctx.pathParam("period"))
            let period = try ReportService.period(periodText)
            let code = try ctx.pathRegion("kecamatan")
            let (kecamatan, _) = try ctx.pilar.regions.get(code, by: ctx.caller)
            guard kecamatan.level == .kecamatan else {
                throw PilarError(.badRequest, code: "not_a_kecamatan", ["region": .text(code.dotted)])
            }
            let desa = try ctx.pilar.regions.children(of: code, by: ctx.caller)
            return Self.templateReply(try Templates.report(kecamatan: kecamatan, desa: desa, period: period, xlsx: xlsx))
        }
    }

    static func templateReply(_ t: TemplateFile) -> HTTPResponse {
        if let book = t.workbook { return Reply.workbook(book, filename: t.filename) }
        var h = HTTPHeaders()
        h.set("Content-Type", Reply.csvType)
        h.set("Content-Disposition", "attachment; filename=\"\(t.filename)\"")
        return HTTPResponse(status: 200, headers: h, body: .bytes(t.csv))
    }
}

extension RequestContext {
    /// A path segment without its .xlsx/.csv suffix, and whether the answer is a workbook
    /// (suffix first, then Accept; .xlsx when neither says).
    func templateFormat(_ segment: String) -> (String, Bool) {
        if segment.lowercased().hasSuffix(".xlsx") { return (String(segment.dropLast(5)).components(separatedBy: "/").last!, true) }
        if segment.lowercased().hasSuffix(".csv") { return (String(segment.dropLast(4)).components(separatedBy: "/").last!, false) }
        return (segment, wantedTable != .csv)
    }
}
