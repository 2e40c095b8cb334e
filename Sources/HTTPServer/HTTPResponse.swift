/// Where a streamed response body goes. Each `write` leaves as it is (one chunk on HTTP/1.1).
public protocol BodyWriter: AnyObject {
    func write(_ bytes: [UInt8]) throws
}

/// An answer. The server adds Date, framing (Content-Length or Transfer-Encoding), Connection
/// and X-Request-Id itself; handlers set only what is theirs.
public struct HTTPResponse {
    public enum Body {
        case bytes([UInt8])
        /// Written whole before the head leaves (into memory, then an unlinked file), so the
        /// producer runs at disk speed and a failure is still a proper 500.
        case stream((BodyWriter) throws -> Void)
        /// Produced piece by piece as the client takes it: the event loop has the next piece made
        /// (on a worker, one call at a time) only once the one before has left; nil ends the
        /// body. For large answers (exports): the first bytes leave at once, nothing is spooled,
        /// and a slow reader holds no worker. Throwing after the head went out truncates the
        /// answer (the connection is reset).
        case pull(() throws -> [UInt8]?)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body
    /// Runs once the answer has left, or failed to (the event loop writes it after the handler
    /// returned): what it captures is held until then, e.g. a slot a slow reader still counts
    /// against. The producer of a `.stream` is released as soon as it has run, a `.pull`'s once it
    /// ended.
    public var onSent: (() -> Void)?

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// RFC 9457 problem details: {"type":"about:blank","title":<reason phrase>,"status":..,"detail":..}.
    public static func problem(status: Int, detail: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/problem+json")
        let json = "{\"type\":\"about:blank\",\"title\":\(jsonString(reasonPhrase(status))),"
            + "\"status\":\(status),\"detail\":\(jsonString(detail))}"
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(json.utf8)))
    }

    public static func reasonPhrase(_ status: Int) -> String {
        reasonPhrases[status] ?? (status >= 200 && status < 600 ? "Status \(status)" : "Unknown")
    }

    static let reasonPhrases: [Int: String] = [
        100: "Continue", 101: "Switching Protocols",
        200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
        205: "Reset Content", 206: "Partial Content",
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
        408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
        413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
        417: "Expectation Failed", 421: "Misdirected Request", 422: "Unprocessable Content", 425: "Too Early",
        426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
        431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Timeout", 505: "HTTP Version Not Supported", 507: "Insufficient Storage",
    ]

    /// A JSON string literal with the escapes RFC 8259 requires.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// The HTTPResponder a server calls for every request, on a worker thread.
public protocol HTTPResponder: AnyObject {
    /// May block (never on the client: the body is complete before it is called, and the
    /// answer is written by the event loop). Must not throw: map errors to responses.
    func respond(to request: HTTPRequest) -> HTTPResponse

    /// Decides from the head alone what becomes of a request body, before any of it is stored:
    /// refuse it (no token, wrong role, a route that takes no body, too large) or let the event
    /// loop gather it, up to a limit. Called on a worker when `admitInline` gave no decision;
    /// may block on the database but must not read the body.
    func admit(_ request: HTTPRequest) -> Admission

    /// `admit` from memory on the event loop (a cached token, say); nil asks a worker.
    func admitInline(_ request: HTTPRequest) -> Admission?

    /// An answer given from memory at once, on the event loop, without the hand-off to a worker
    /// (a 304 for an unchanged ETag, say). Called only for requests without a body. Must not
    /// block (no database, no locks held for long, no I/O) and must be cheap; nil sends the
    /// request to a worker and `respond` as usual.
    func respondInline(to request: HTTPRequest) -> HTTPResponse?
}

/// What the server does with a request body, decided on its head.
public enum Admission {
    /// Answer now without storing the body (a refused token, an unknown path, a route that takes
    /// no body). The connection closes unless the whole body had already arrived.
    case answer(HTTPResponse)
    /// The event loop gathers the whole body (memory, then an unlinked temporary file), at most
    /// `maxBytes` (more is answered 413), and only then calls `respond`: a slow upload holds no
    /// worker thread. `onEnd` runs once when the request is over (answered, refused or its
    /// connection gone), e.g. to count uploads in flight.
    case gather(maxBytes: Int, onEnd: (() -> Void)?)

    /// Gathers up to the server's own body limit.
    public static var spool: Admission { .gather(maxBytes: .max, onEnd: nil) }
}

extension HTTPResponder {
    public func admit(_ request: HTTPRequest) -> Admission { .spool }
    public func admitInline(_ request: HTTPRequest) -> Admission? { nil }
    public func respondInline(to request: HTTPRequest) -> HTTPResponse? { nil }
}
