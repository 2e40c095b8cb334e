import Foundation
import HTTPServer
import PilarCore
import SQLiteStore

/// The ways Pilar answers: JSON, lists, CSV, problems.
public enum Reply {
    public static let jsonType = "application/json; charset=utf-8"
    public static let problemType = "application/problem+json"
    public static let csvType = "text/csv; charset=utf-8"
    public static let xlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// An .xlsx workbook, streamed from its temporary file (removed once sent). `filename`
    /// takes the .xlsx suffix in place of any other.
    public static func workbook(_ file: SheetFile, filename: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var h = headers
        h.set("Content-Type", xlsxMediaType)
        var name = filename
        if let dot = name.lastIndex(of: "."), name[dot...].count <= 5 { name = String(name[..<dot]) }
        h.set("Content-Disposition", "attachment; filename=\"\(name).xlsx\"")
        h.set("Cache-Control", "no-store")
        return HTTPResponse(status: 200, headers: h, body: .stream { writer in
            try file.stream { bytes in try writer.write(bytes) }
        })
    }

    public static func json(_ value: JSON, status: Int = 200, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var h = headers
        h.set("Content-Type", jsonType)
        return HTTPResponse(status: status, headers: h, body: .bytes(value.encoded()))
    }

    /// `{"items": [...], "next_cursor": ...}`, with a `Link: rel="next"` header when there is more.
    public static func list(_ items: [JSON], nextCursor: String?, request: HTTPRequest, extra: JSONObject = JSONObject()) -> HTTPResponse {
        var o = JSONObject()
        o["items"] = .array(items)
        o["next_cursor"] = .from(nextCursor)
        for (k, v) in extra { o[k] = v }
        var h = HTTPHeaders()
        if let nextCursor {
            var parts = request.query.filter { $0.name != "cursor" }.map { "\(percentEncode($0.name))=\(percentEncode($0.value))" }
            parts.append("cursor=\(percentEncode(nextCursor))")
            h.set("Link", "<\(request.path)?\(parts.joined(separator: "&"))>; rel=\"next\"")
        }
        return json(.object(o), headers: h)
    }

    /// A CSV table: a header row then the rows, UTF-8 with a byte-order mark so spreadsheets
    /// read the accents right (the importers skip it).
    public static func csv(header: [String], rows: [[String]], filename: String? = nil, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let body = csvBytes(header: header, rows: rows)
        var h = headers
        h.set("Content-Type", csvType)
        if let filename { h.set("Content-Disposition", "attachment; filename=\"\(filename)\"") }
        return HTTPResponse(status: 200, headers: h, body: .bytes(body))
    }

    /// The bytes of `csv`'s body.
    public static func csvBytes(header: [String], rows: [[String]]) -> [UInt8] {
        var body: [UInt8] = [0xEF, 0xBB, 0xBF]
        body += CSVWriter.line(header)
        for r in rows { body += CSVWriter.line(r) }
        return body
    }

    /// problem+json for `e` in `language`: `type`, `status`, `code` and the extension members
    /// are the same in every language; `title`, `detail` and each `errors[].message` come from
    /// the message catalogue.
    /// `type` replaces the kind's URI for the few problems that have their own.
    public static func problem(_ e: PilarError, _ language: Language, type: String? = nil) -> HTTPResponse {
        var o = JSONObject()
        let status = Reply.status(e.kind)
        o["type"] = .string(type ?? "urn:pilar:problem:\(e.kind.rawValue)")
        o["title"] = .string(title(e.kind, language))
        o["status"] = .int(Int64(status))
        o["code"] = .string(e.code)
        o["detail"] = .string(printable(detail(e, language)))
        if !e.errors.isEmpty {
            o["errors"] = .array(e.errors.map { fe in
                ["field": .string(printable(fe.field)), "code": .string(fe.code), "message": .string(printable(message(fe, language)))]
            })
        }
        if let tag = Conditional.currentETag(e) { o["current_etag"] = tag }
        for (k, v) in e.extra { o[k] = v }
        var h = HTTPHeaders()
        h.set("Content-Type", problemType)
        h.set("Content-Language", language.tag)
        if e.kind == .unauthorized { h.set("WWW-Authenticate", "Bearer realm=\"pilar\"") }
        if let seconds = e.retryAfter { h.set("Retry-After", String(seconds)) }
        return HTTPResponse(status: status, headers: h, body: .bytes(JSON.object(o).encoded()))
    }

    /// The problem's title: the words of its kind (`title.not_found`, ...).
    static func title(_ kind: PilarError.Kind, _ language: Language) -> String {
        MessageCatalog.render("title." + kind.rawValue, [:], in: language) ?? HTTPResponse.reasonPhrase(status(kind))
    }

    /// The detail: the message of the code; for broken field rules with one field, that
    /// field's message (which names the field).
    public static func detail(_ e: PilarError, _ language: Language) -> String {
        if let legacy = e.legacyDetail { return legacy }  // COMPATIBILITY (PilarError+Legacy.swift)
        // A problem that is its one field error (`invalid_fields`, or a conflict coded like its
        // field) says it as the field does.
        if e.errors.count == 1, e.code == "invalid_fields" || e.code == e.errors[0].code {
            return message(e.errors[0], language)
        }
        return MessageCatalog.render(e.code, e.values, extra: e.extra, in: language) ?? e.code
    }

    /// A field error's message.
    public static func message(_ fe: FieldError, _ language: Language) -> String {
        if let legacy = fe.legacyMessage { return legacy }  // COMPATIBILITY (PilarError+Legacy.swift)
        return MessageCatalog.render(fe.messageKey, fe.values, field: fe.field, in: language) ?? fe.code
    }

    public static func status(_ kind: PilarError.Kind) -> Int {
        switch kind {
        case .badRequest: return 400
        case .unauthorized: return 401
        case .forbidden: return 403
        case .notFound: return 404
        case .methodNotAllowed: return 405
        case .conflict: return 409
        case .preconditionFailed: return 412
        case .payloadTooLarge: return 413
        case .unsupportedMediaType: return 415
        case .unprocessable: return 422
        case .tooManyRequests: return 429
        case .unavailable: return 503
        case .internalError: return 500
        }
    }

    /// Messages may quote what the client sent; control characters in it are shown as U+FFFD so
    /// a problem body never carries a NUL or a terminal escape back.
    static func printable(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\u{FFFD}" : $0 }))
    }

    static func percentEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension ImportSummary {
    /// 200 with the summary when the import ran (or a dry run). An all-or-nothing import with
    /// rejected rows saved nothing: a 422 problem (`code` import_refused) whose detail says so and
    /// how to go on, with what would have happened (`would_create`, ...) and the row errors as
    /// extension members. `extra` adds members to either answer.
    public func response(_ language: Language, extra: JSONObject = JSONObject()) throws -> HTTPResponse {
        let json = self.json { Reply.message($0.fieldError, language) }
        guard case .object(var o) = json else { return Reply.json(json) }
        for (k, v) in extra { o[k] = v }
        guard refused else { return Reply.json(.object(o)) }
        var p = PilarError(.unprocessable, code: "import_refused", ["accepted": .int(created + updated + unchanged)])
        p.extra = o
        for k in ["created", "updated", "unchanged", "errors"] { p.extra[k] = nil }
        p.extra["would_create"] = .int(Int64(created))
        p.extra["would_update"] = .int(Int64(updated))
        p.extra["would_leave_unchanged"] = .int(Int64(unchanged))
        p.extra["errors"] = o["errors"]
        throw p
    }
}

extension PilarApp {
    /// 503 for a write that waited its budget for the database writer (a long import, a deep
    /// queue): nothing was saved, the same request may be sent again after Retry-After.
    static func writerBusy(_ e: WriterBusy, _ language: Language) -> HTTPResponse {
        Reply.problem(.busy(.unavailable, code: "writer_busy", retryAfter: max(1, Int(e.waited.rounded(.up))),
                            ["writes_ahead": .int(e.writesAhead)]),
                      language, type: "urn:pilar:problem:writer_busy")
    }
}
