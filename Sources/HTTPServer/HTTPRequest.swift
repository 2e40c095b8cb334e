/// A request as handlers see it. The body is a stream that the handler pulls from.
public final class HTTPRequest {
    public let method: String
    /// The raw request-target, e.g. "/v1/psks?q=a%20b".
    public let target: String
    /// The path part of the target, not decoded, e.g. "/v1/psks".
    public let path: String
    /// Query parameters, percent-decoded with '+' as space, in order.
    public let query: [(name: String, value: String)]
    public let version: HTTPVersion
    /// The request's fields. `X-Request-Id` always holds the id of this request (the client's
    /// when it sent a sane one, a generated one otherwise).
    public let headers: HTTPHeaders
    public let body: HTTPRequestBody
    public let remoteAddress: String
    public let requestID: String
    /// Set by `Router` on a match, e.g. "/v1/regions/{code}"; used for metrics.
    public var routePattern: String?

    public init(method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
                body: HTTPRequestBody = HTTPRequestBody(bytes: []), remoteAddress: String = "",
                requestID: String? = nil) {
        self.method = method
        self.target = target
        self.version = version
        self.body = body
        self.remoteAddress = remoteAddress
        let (path, rawQuery) = Self.split(target: target)
        self.path = path
        self.query = rawQuery.map(Self.parseQuery) ?? []
        var headers = headers
        let id = requestID ?? Self.acceptableRequestID(headers["X-Request-Id"]) ?? Self.makeRequestID()
        headers.set("X-Request-Id", id)
        self.headers = headers
        self.requestID = id
    }

    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Path and query of an origin-form or absolute-form target ("*" stays "*").
    static func split(target: String) -> (path: String, query: Substring?) {
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let scheme = rest.range(of: "://") {
            // absolute-form: the path starts after the authority.
            rest = rest[scheme.upperBound...]
            if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                rest = rest[slash...]
            } else {
                rest = ""
            }
            if !rest.hasPrefix("/") { rest = "/" + rest }
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        guard let mark = rest.firstIndex(of: "?") else { return (String(rest), nil) }
        return (String(rest[..<mark]), rest[rest.index(after: mark)...])
    }

    static func parseQuery(_ raw: Substring) -> [(name: String, value: String)] {
        raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (percentDecode(pair[..<equals], plusAsSpace: true),
                        percentDecode(pair[pair.index(after: equals)...], plusAsSpace: true))
            }
            return (percentDecode(pair, plusAsSpace: true), "")
        }
    }

    /// Decodes %XX escapes (invalid ones stay as they are); bytes that are not UTF-8 become U+FFFD.
    static func percentDecode(_ text: Substring, plusAsSpace: Bool) -> String {
        let utf8 = Array(text.utf8)
        guard utf8.contains(UInt8(ascii: "%")) || (plusAsSpace && utf8.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            if b == UInt8(ascii: "%"), i + 2 < utf8.count, let hi = hex(utf8[i + 1]), let lo = hex(utf8[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            }
            out.append(plusAsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A client's id is kept when it is 1...128 visible ASCII characters (safe to log and echo).
    static func acceptableRequestID(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128,
              value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return value
    }

    static func makeRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        let a = generator.next() as UInt64, b = generator.next() as UInt64
        return hex16(a) + hex16(b)
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

public enum HTTPBodyError: Error, Equatable {
    case tooLarge(limit: Int)
    case timedOut
    case connectionClosed
    case malformed(String)
}

/// Where body pieces come from: the connection (socket + parser), or fixed bytes in tests.
protocol BodySource: AnyObject {
    /// The next de-framed piece, nil at the end of the body.
    func nextBodyPiece() throws -> [UInt8]?
}

/// The request body as a stream: `read()` hands out pieces as they arrive from the socket, so a
/// large upload never sits in memory whole, and the socket is not read while nobody asks.
public final class HTTPRequestBody {
    public let declaredLength: Int?
    public let isChunked: Bool
    public var hasBody: Bool { isChunked || (declaredLength ?? 0) > 0 }

    private let source: BodySource?
    private var pending: [UInt8]?
    private(set) var isComplete: Bool
    private(set) var failure: HTTPBodyError?
    private(set) var bytesRead = 0

    init(declaredLength: Int?, isChunked: Bool, source: BodySource?) {
        self.declaredLength = declaredLength
        self.isChunked = isChunked
        self.source = source
        isComplete = !(isChunked || (declaredLength ?? 0) > 0)
    }

    /// A body with fixed content (for tests and for handlers that call other handlers).
    public convenience init(bytes: [UInt8]) {
        self.init(declaredLength: bytes.count, isChunked: false, source: nil)
        pending = bytes.isEmpty ? nil : bytes
    }

    /// Next piece of the body, nil at the end. Blocks the handler thread. Throws on timeout,
    /// peer gone, malformed chunking, or a total over the server's body limit.
    public func read() throws -> [UInt8]? {
        if let failure { throw failure }
        if let piece = pending {
            pending = nil
            bytesRead += piece.count
            if source == nil { isComplete = true }
            return piece
        }
        guard !isComplete, let source else {
            isComplete = true
            return nil
        }
        do {
            guard let piece = try source.nextBodyPiece() else {
                isComplete = true
                return nil
            }
            bytesRead += piece.count
            return piece
        } catch let error as HTTPBodyError {
            failure = error
            throw error
        }
    }

    /// The whole body; throws `tooLarge(limit:)` if it exceeds `limit` bytes (without reading
    /// it when the declared length already says so).
    public func collect(upTo limit: Int) throws -> [UInt8] {
        if let declaredLength, declaredLength > limit { throw HTTPBodyError.tooLarge(limit: limit) }
        var bytes: [UInt8] = []
        if let declaredLength { bytes.reserveCapacity(declaredLength) }
        while let piece = try read() {
            if bytes.count + piece.count > limit { throw HTTPBodyError.tooLarge(limit: limit) }
            bytes += piece
        }
        return bytes
    }
}
