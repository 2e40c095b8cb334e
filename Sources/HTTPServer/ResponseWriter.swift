/// Turns an HTTPResponse into an `Outgoing`: the server's own framing headers, the head and a
/// fixed body as parts, a streamed body produced in full into a spool (memory, then an unlinked
/// file) first. Nothing here touches the socket: the event loop writes the result, so a worker
/// never waits on a slow reader, and a producer (an export holding a read transaction) runs at
/// disk speed, not at the client's.
struct ResponseWriter {
    let version: HTTPVersion
    let limits: Limits

    /// Headers the server owns; a handler's values for them are replaced.
    static let serverOwned = ["Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Date", "X-Request-Id"]

    /// The answer, ready for the loop; `keepAlive` may be turned off (a 1.0 stream).
    func prepare(_ response: HTTPResponse, requestID: String, isHead: Bool, keepAlive: inout Bool)
        -> (status: Int, parts: [[UInt8]], spool: BodySpool?, pulled: PulledBody?) {
        guard response.status >= 200 && response.status <= 999 else {
            // 1xx are the server's business (100 Continue); anything else is not a status.
            let invalid = HTTPResponse.problem(status: 500, detail: "The handler answered with status \(response.status).")
            return prepare(invalid, requestID: requestID, isHead: isHead, keepAlive: &keepAlive)
        }
        let status = response.status
        let bodyAllowed = status != 204 && status != 304

        switch response.body {
        case .bytes:
            let parts = Self.serialize(response, requestID: requestID, isHead: isHead, keepAlive: keepAlive,
                                       version: version) ?? []
            return (status, parts, nil, nil)

        case .pull(let producer):
            var headers = Self.headers(of: response, requestID: requestID)
            let chunked = streamFraming(&headers, bodyAllowed: bodyAllowed, isHead: isHead, keepAlive: &keepAlive)
            let head = [Self.serializeHead(status: status, headers: headers)]
            guard bodyAllowed && !isHead else { return (status, head, nil, nil) }
            return (status, head, nil, PulledBody(chunked: chunked, producer: producer))

        case .stream(let produce):
            var headers = Self.headers(of: response, requestID: requestID)
            let chunked = streamFraming(&headers, bodyAllowed: bodyAllowed, isHead: isHead, keepAlive: &keepAlive)
            guard bodyAllowed && !isHead else {
                return (status, [Self.serializeHead(status: status, headers: headers)], nil, nil)
            }
            let spool = BodySpool(memoryLimit: limits.responseMemoryBytes, directory: limits.spoolDirectory)
            let writer = StreamWriter(spool: spool, chunked: chunked, limit: limits.maxStreamedResponseBytes)
            do {
                try produce(writer)
                try writer.finish()
            } catch {
                // Nothing has left yet: the client still gets a proper error.
                keepAlive = false
                let failure = HTTPResponse.problem(status: 500, detail: "The response could not be produced (request id \(requestID)).")
                return prepare(failure, requestID: requestID, isHead: false, keepAlive: &keepAlive)
            }
            return (status, [Self.serializeHead(status: status, headers: headers)], spool, nil)
        }
    }

    /// Framing of a body whose length is not known at the head: chunked on HTTP/1.1, the end
    /// of the connection on 1.0. A HEAD or a bodiless status says what a GET would have, without
    /// running the producer. Returns whether the body is chunked.
    private func streamFraming(_ headers: inout HTTPHeaders, bodyAllowed: Bool, isHead: Bool, keepAlive: inout Bool) -> Bool {
        let chunked = version.minor >= 1
        if bodyAllowed && chunked {
            headers.add("Transfer-Encoding", "chunked")
        } else if bodyAllowed && !isHead {
            keepAlive = false  // HTTP/1.0: the end of the body is the end of the connection
        }
        Self.addConnection(&headers, keepAlive: keepAlive, version: version)
        return chunked
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

/// The BodyWriter handed to `.stream` producers: it appends to a spool the loop sends later.
/// Small writes are gathered up to 16 KB, so a producer writing row by row does not cost a
/// chunk header per row; each flush is one chunk on HTTP/1.1, raw bytes on HTTP/1.0.
final class StreamWriter: BodyWriter {
    static let flushThreshold = 16 * 1024
    private let spool: BodySpool
    private let chunked: Bool
    private let limit: Int
    private var buffer: [UInt8] = []
    private var finished = false

    init(spool: BodySpool, chunked: Bool, limit: Int) {
        self.spool = spool
        self.chunked = chunked
        self.limit = limit
    }

    func write(_ bytes: [UInt8]) throws {
        precondition(!finished, "write after the stream ended")
        if buffer.isEmpty && bytes.count >= Self.flushThreshold {
            return try append(framed(bytes))
        }
        buffer += bytes
        if buffer.count >= Self.flushThreshold {
            let pending = buffer
            buffer = []
            try append(framed(pending))
        }
    }

    func finish() throws {
        finished = true
        var parts = buffer.isEmpty ? [] : framed(buffer)
        buffer = []
        if chunked { parts.append(Array("0\r\n\r\n".utf8)) }
        try append(parts)
    }

    private func framed(_ bytes: [UInt8]) -> [[UInt8]] {
        guard chunked else { return [bytes] }
        return [Array((String(bytes.count, radix: 16) + "\r\n").utf8), bytes, [13, 10]]
    }

    private func append(_ parts: [[UInt8]]) throws {
        for part in parts { try spool.append(part) }
        if spool.count > limit { throw BodySpoolError.write("the answer is larger than \(limit) bytes") }
    }
}
