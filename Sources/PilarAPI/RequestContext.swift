import Foundation
import HTTPServer
import PilarCore

/// What a handler gets: the request, its path parameters and the authenticated caller,
/// with helpers that turn every malformed input into a 4xx naming what to fix.
public struct RequestContext {
    public let request: HTTPRequest
    public let params: RouteParameters
    public let caller: Caller
    public let pilar: Pilar

    public func pathParam(_ name: String) -> String { params[name] ?? "" }

    /// The language of the answer (Accept-Language; see Language.negotiate).
    public var language: Language { request.language }

    /// A region code from the path or query; dotted or not (`3274` = `32.74`).
    public func regionCode(_ text: String, field: String) throws -> RegionCode {
        guard let code = RegionCode(text) else {
            throw PilarError(.badRequest, code: "region_code_malformed", ["value": .text(text)],
                             errors: [FieldError(field: field, code: "malformed_code", ["value": .text(text)])])
        }
        return code
    }

    public func pathRegion(_ name: String) throws -> RegionCode { try regionCode(pathParam(name), field: name) }

    /// A positive whole-number id from the path: digits only (no sign, no spaces), or a 400.
    public func pathID(_ name: String = "id") throws -> Int64 {
        let text = pathParam(name)
        guard !text.isEmpty, text.count <= 19, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let id = Int64(text), id > 0 else {
            throw PilarError(.badRequest, code: "id_malformed", ["name": .text(name), "value": .text(text)])
        }
        return id
    }

    public func query(_ name: String) -> String? {
        guard let v = request.queryValue(name), !v.isEmpty else { return nil }
        return v
    }

    /// Refuses a query parameter the route does not take (`_`, added by cache-busting
    /// scripts, aside): a misspelt filter is a 400, not an unfiltered answer.
    public func allowOnly(_ names: [String]) throws {
        for p in request.query where p.name != "_" && !names.contains(p.name) {
            throw PilarError(.badRequest, code: "unknown_parameter_in_query", ["name": .text(p.name), "allowed": .list(names)],
                             errors: [FieldError(field: p.name, code: "unknown_parameter")])
        }
    }

    public func queryRegion(_ name: String = "region") throws -> RegionCode? {
        try query(name).map { try regionCode($0, field: name) }
    }

    public func queryInt(_ name: String, default def: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = query(name) else { return def }
        guard let v = Int(text), range.contains(v) else {
            let values: MessageValues = ["min": .int(range.lowerBound), "max": .int(range.upperBound), "value": .text(text)]
            throw PilarError(.badRequest, code: "query_number_out_of_range", values.merging(["name": .text(name)]) { a, _ in a },
                             errors: [FieldError(field: name, code: "out_of_range", values)])
        }
        return v
    }

    public func queryBool(_ name: String) throws -> Bool {
        guard let text = query(name)?.lowercased() else { return false }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw PilarError(.badRequest, code: "query_not_boolean", ["name": .text(name), "value": .text(text)])
        }
    }

    /// One of the allowed values, or a 400 listing them.
    public func queryChoice(_ name: String, _ allowed: [String]) throws -> String? {
        guard let v = query(name) else { return nil }
        guard allowed.contains(v) else {
            throw PilarError(.badRequest, code: "query_not_a_choice", ["name": .text(name), "allowed": .list(allowed), "value": .text(v)])
        }
        return v
    }

    public var limit: Int {
        get throws { try queryInt("limit", default: PageSize.default, range: 1...PageSize.maximum) }
    }

    /// The request body as a JSON object (1 MiB at most).
    public func jsonObject(limit: Int = 1 << 20) throws -> JSONObject {
        let type = mediaType
        guard type == nil || type == "application/json" || type == "application/merge-patch+json" else {
            throw PilarError(.unsupportedMediaType, code: "body_not_json", ["media_type": .text(type!)])
        }
        let bytes = try request.body.collect(upTo: limit)
        guard !bytes.isEmpty else { throw PilarError(.badRequest, code: "body_required") }
        return try Self.jsonObject(bytes)
    }

    /// The bytes as a JSON object, or a 400 saying where the JSON broke or what it was instead.
    static func jsonObject(_ bytes: [UInt8]) throws -> JSONObject {
        let value: JSON
        do {
            value = try JSON.parse(bytes)
        } catch let e as JSONParseError {
            throw PilarError(.badRequest, code: "body_invalid_json", ["reason": .term("json_error." + e.reason), "offset": .int(e.offset)])
        }
        guard case .object(let o) = value else {
            throw PilarError(.badRequest, code: "body_not_object", ["found": .term("json." + value.typeName)])
        }
        return o
    }

    /// The Content-Type without parameters, lowercased.
    public var mediaType: String? {
        request.headers["Content-Type"].map {
            $0.split(separator: ";", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces).lowercased()
        }
    }

    /// The format of an import body: CSV (`text/csv`) or NDJSON (`application/x-ndjson`).
    /// `.xlsx` comes as its own media type, or as application/octet-stream with a file name
    /// (`?filename=` or Content-Disposition) that ends in .xlsx or .csv.
    public func importFormat() throws -> ImportFormat {
        switch mediaType {
        case "text/csv", "application/csv": return .csv
        case "application/x-ndjson", "application/ndjson", "application/jsonl": return .ndjson
        case Reply.xlsxMediaType: return .xlsx
        case "application/octet-stream" where uploadFilename?.lowercased().hasSuffix(".xlsx") == true: return .xlsx
        case "application/octet-stream" where uploadFilename?.lowercased().hasSuffix(".csv") == true: return .csv
        default:
            throw PilarError(.unsupportedMediaType, code: "import_media_type", ["xlsx_type": .text(Reply.xlsxMediaType)])
        }
    }

    /// The uploaded file's name, if the client gave one.
    var uploadFilename: String? {
        if let q = query("filename") { return q }
        guard let cd = request.headers["Content-Disposition"], let r = cd.range(of: "filename=") else { return nil }
        return cd[r.upperBound...].split(separator: ";")[0].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
    }

    /// The table format the client asked for: `.xlsx`/`.csv` on the path, else Accept.
    public var wantedTable: TableFormat {
        if request.path.hasSuffix(".xlsx") { return .xlsx }
        if request.path.hasSuffix(".csv") { return .csv }
        let accept = request.headers["Accept"]?.lowercased() ?? ""
        if accept.contains(Reply.xlsxMediaType) { return .xlsx }
        if accept.contains("text/csv") { return .csv }
        return .json
    }

    public func importOptions() throws -> ImportOptions {
        let onError = try queryChoice("on_error", ["abort", "skip"]) ?? "abort"
        return ImportOptions(dryRun: try queryBool("dry_run"), skipInvalid: onError == "skip")
    }

    /// Streams the body to a temporary file.
    public func spool() throws -> ImportSpool {
        try ImportSpool(limits: pilar.config.imports) { try request.body.read() }
    }

    /// Whether the client asked for CSV (`Accept: text/csv` or a `.csv` suffix on the path).
    public var wantsCSV: Bool {
        request.path.hasSuffix(".csv") || (request.headers["Accept"]?.lowercased().contains("text/csv") ?? false)
    }
}

/// The representation of a table answer.
public enum TableFormat { case json, csv, xlsx }
