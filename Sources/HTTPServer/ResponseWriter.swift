/// Turns an HTTPResponse into bytes on a connection: the server's own framing headers, the head
/// and a small body in one send, streamed bodies as chunks.
struct ResponseWriter {
    enum Failure: Error {
        /// The socket failed or the stream threw after the head was sent: the peer must see a
        /// truncated answer, so the connection is reset.
        case abort
    }

    struct Sent {
        var status: Int
        var bytes: Int
    }

    let connection: Connection
    let version: HTTPVersion
    let timeout: Double

    /// Headers the server owns; a handler's values for them are replaced.
    static let serverOwned = ["Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Date", "X-Request-Id"]

    /// Writes `response`; `keepAlive` may be turned off (a 1.0 stream, a failed stream).
    func send(_ response: HTTPResponse, requestID: String, isHead: Bool, keepAlive: inout Bool) throws -> Sent {
        guard response.status >= 200 && response.status <= 999 else {
            // 1xx are the server's business (100 Continue); anything else is not a status.
            let invalid = HTTPResponse.problem(status: 500, detail: "The handler answered with status \(response.status).")
            return try send(invalid, requestID: requestID, isHead: isHead, keepAlive: &keepAlive)
        }
        let status = response.status
        let bodyAllowed = status != 204 && status != 304

        switch response.body {
        case .bytes:
            let parts = Self.serialize(response, requestID: requestID, isHead: isHead, keepAlive: keepAlive,
                                       version: version) ?? []
            do { try connection.write(parts, timeout: timeout) } catch { throw Failure.abort }
            return Sent(status: status, bytes: parts.reduce(0) { $0 + $1.count })

        case .stream(let produce):
            var headers = Self.headers(of: response, requestID: requestID)
            let chunked = version.minor >= 1
            if !bodyAllowed || isHead {
                // What a GET would have said, without running the producer.
                if bodyAllowed && chunked { headers.add("Transfer-Encoding", "chunked") }
                Self.addConnection(&headers, keepAlive: keepAlive, version: version)
                let head = Self.serializeHead(status: status, headers: headers)
                do { try connection.write([head], timeout: timeout) } catch { throw Failure.abort }
                return Sent(status: status, bytes: head.count)
            }
            if chunked {
                headers.add("Transfer-Encoding", "chunked")
            } else {
                keepAlive = false  // HTTP/1.0: the end of the body is the end of the connection
            }
            Self.addConnection(&headers, keepAlive: keepAlive, version: version)
            let writer = StreamWriter(connection: connection, chunked: chunked, timeout: timeout,
                                      head: Self.serializeHead(status: status, headers: headers))
            do {
                try produce(writer)
                try writer.finish()
            } catch {
                guard writer.headPending else { throw Failure.abort }
                // Nothing went out yet: the client can still get a proper error.
                keepAlive = false
                let failure = HTTPResponse.problem(status: 500, detail: "The response could not be produced (request id \(requestID)).")
                return try send(failure, requestID: requestID, isHead: false, keepAlive: &keepAlive)
            }
            return Sent(status: status, bytes: writer.bytesSent)
        }
    }

    /// The handler's headers without the server-owned ones, plus Date and X-Request-Id.
    static func headers(of response: HTTPResponse, requestID: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for field in response.headers where !Self.serverOwned.contains(where: { asciiCaseInsensitiveEqual($0, field.name) }) {
            headers.add(field.name, field.value)
        }
        headers.add("Date", HTTPDate.now())
        headers.add("X-Request-Id", requestID)
        return headers
    }

    /// Head and body of a response with a fixed body, ready for one send; nil for a stream or a
    /// status a handler may not give.
    static func serialize(_ response: HTTPResponse, requestID: String, isHead: Bool, keepAlive: Bool,
                          version: HTTPVersion) -> [[UInt8]]? {
        guard case .bytes(let body) = response.body, response.status >= 200 && response.status <= 999 else { return nil }
        var headers = Self.headers(of: response, requestID: requestID)
        let bodyAllowed = response.status != 204 && response.status != 304
        if bodyAllowed { headers.add("Content-Length", String(body.count)) }
        Self.addConnection(&headers, keepAlive: keepAlive, version: version)
        let head = Self.serializeHead(status: response.status, headers: headers)
        return [head, isHead || !bodyAllowed ? [] : body]
    }

    static func addConnection(_ headers: inout HTTPHeaders, keepAlive: Bool, version: HTTPVersion) {
        if !keepAlive {
            headers.add("Connection", "close")
        } else if version.minor == 0 {
            headers.add("Connection", "keep-alive")
        }
    }

    static func serializeHead(status: Int, headers: HTTPHeaders) -> [UInt8] {
        // Every answer, the server's own refusals included: browsers must take Content-Type as sent.
        var text = "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(status))\r\nX-Content-Type-Options: nosniff\r\n"
        for field in headers where !asciiCaseInsensitiveEqual(field.name, "X-Content-Type-Options") {
            // A handler must not be able to split the response with CR/LF in a value.
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(ByteClass.isToken) else { continue }
            text += field.name
            text += ": "
            if field.value.utf8.contains(where: { $0 == ByteClass.cr || $0 == ByteClass.lf || $0 == 0 }) {
                var clean = String.UnicodeScalarView()
                for scalar in field.value.unicodeScalars {
                    clean.append(scalar == "\r" || scalar == "\n" || scalar == "\0" ? " " : scalar)
                }
                text += String(clean)
            } else {
                text += field.value
            }
            text += "\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// A complete problem+json answer that closes the connection, for refusals made before a
    /// request exists (malformed heads, timeouts, too many connections).
    static func errorResponse(status: Int, detail: String, requestID: String = HTTPRequest.makeRequestID()) -> [UInt8] {
        let problem = HTTPResponse.problem(status: status, detail: detail)
        var headers = problem.headers
        headers.add("Date", HTTPDate.now())
        headers.add("X-Request-Id", requestID)
        guard case .bytes(let body) = problem.body else { return [] }
        headers.add("Content-Length", String(body.count))
        headers.add("Connection", "close")
        return serializeHead(status: status, headers: headers) + body
    }
}

/// The BodyWriter handed to `.stream` producers. Small writes are gathered up to 16 KB, so a
/// producer writing row by row does not cost a syscall (and a chunk header) per row; each flush
/// is one chunk on HTTP/1.1, raw bytes on HTTP/1.0. The head leaves with the first flush, so a
/// small streamed answer still goes out in one write, and a producer that fails before anything
/// left can still be answered with a 500.
final class StreamWriter: BodyWriter {
    static let flushThreshold = 16 * 1024
    private let connection: Connection
    private let chunked: Bool
    private let timeout: Double
    private var head: [UInt8]?
    private var buffer: [UInt8] = []
    private(set) var bytesSent = 0
    private var finished = false

    init(connection: Connection, chunked: Bool, timeout: Double, head: [UInt8]) {
        self.connection = connection
        self.chunked = chunked
        self.timeout = timeout
        self.head = head
    }

    var headPending: Bool { head != nil }

    func write(_ bytes: [UInt8]) throws {
        precondition(!finished, "write after the stream ended")
        if buffer.isEmpty && bytes.count >= Self.flushThreshold {
            return try send(framed(bytes))
        }
        buffer += bytes
        if buffer.count >= Self.flushThreshold {
            let pending = buffer
            buffer = []
            try send(framed(pending))
        }
    }

    func finish() throws {
        finished = true
        var parts = buffer.isEmpty ? [] : framed(buffer)
        buffer = []
        if chunked { parts.append(Array("0\r\n\r\n".utf8)) }
        try send(parts)
    }

    private func framed(_ bytes: [UInt8]) -> [[UInt8]] {
        guard chunked else { return [bytes] }
        return [Array((String(bytes.count, radix: 16) + "\r\n").utf8), bytes, [13, 10]]
    }

    private func send(_ parts: [[UInt8]]) throws {
        let all = (head.map { [$0] } ?? []) + parts
        head = nil  // from here on a failure truncates the answer
        try connection.write(all, timeout: timeout)
        bytesSent += all.reduce(0) { $0 + $1.count }
    }
}
