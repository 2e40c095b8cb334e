/// How the body of a request is delimited (RFC 9112 §6.3).
public enum HTTPBodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// A request head as the parser found it, with its framing and connection semantics resolved.
public struct HTTPRequestHead: Equatable {
    public var method: String
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var framing: HTTPBodyFraming
    /// The client wants the connection kept open after this exchange.
    public var keepAlive: Bool
    /// `Expect: 100-continue` on an HTTP/1.1 request.
    public var expectsContinue: Bool
}

public enum HTTPParserEvent: Equatable {
    case head(HTTPRequestHead)
    /// A piece of the body (already de-chunked); never empty.
    case body([UInt8])
    /// The message is complete; the next bytes belong to the next request.
    case end
}

/// Why a request was refused. Every case has the status the server answers with.
public enum HTTPParserError: Error, Equatable {
    case badRequestLine(String)
    case requestLineTooLong
    case versionNotSupported
    case badHeader(String)
    case headersTooLarge
    case tooManyHeaders
    case missingHost
    case multipleHost
    case badHost
    case badContentLength(String)
    case conflictingFraming
    case unsupportedTransferCoding(String)
    case badChunk(String)
    case bodyTooLarge(limit: Int)
    case unsupportedExpectation(String)

    public var status: Int {
        switch self {
        case .requestLineTooLong: return 414
        case .versionNotSupported: return 505
        case .headersTooLarge, .tooManyHeaders: return 431
        case .bodyTooLarge: return 413
        case .unsupportedExpectation: return 417
        default: return 400
        }
    }

    public var detail: String {
        switch self {
        case .badRequestLine(let why): return "Malformed request line: \(why)."
        case .requestLineTooLong: return "The request line is too long."
        case .versionNotSupported: return "Only HTTP/1.x is supported."
        case .badHeader(let why): return "Malformed header field: \(why)."
        case .headersTooLarge: return "The header section is too large."
        case .tooManyHeaders: return "Too many header fields."
        case .missingHost: return "An HTTP/1.1 request needs exactly one Host header field."
        case .multipleHost: return "More than one Host header field."
        case .badHost: return "The Host header field is malformed."
        case .badContentLength(let why): return "Invalid Content-Length: \(why)."
        case .conflictingFraming: return "Content-Length and Transfer-Encoding must not be sent together."
        case .unsupportedTransferCoding(let coding): return "Unsupported transfer coding '\(coding)'; only chunked is accepted."
        case .badChunk(let why): return "Malformed chunked body: \(why)."
        case .bodyTooLarge(let limit): return "The request body exceeds the limit of \(limit) bytes."
        case .unsupportedExpectation(let value): return "Unsupported expectation '\(value)'; only 100-continue is understood."
        }
    }
}

/// The byte classes of RFC 9110 §5.6.2 and §5.5.
enum ByteClass {
    static let tchar: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(b)] = true }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(b)] = true }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(b)] = true }
        for c in "!#$%&'*+-.^_`|~".utf8 { table[Int(c)] = true }
        return table
    }()

    @inline(__always) static func isToken(_ b: UInt8) -> Bool { tchar[Int(b)] }
    /// Allowed inside a field value: HTAB, SP, VCHAR, obs-text. Not CR, LF, NUL or other controls.
    @inline(__always) static func isFieldValue(_ b: UInt8) -> Bool {
        b == 0x09 || (b >= 0x20 && b != 0x7F)
    }
    /// Visible ASCII, the bytes a request-target may hold.
    @inline(__always) static func isVisibleASCII(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }
    static let cr: UInt8 = 13, lf: UInt8 = 10, sp: UInt8 = 32, htab: UInt8 = 9
}
