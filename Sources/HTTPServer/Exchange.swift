import Glibc

/// A worker's turn with a connection: decide on a body's admission from the head, or run the
/// responder for a request whose body the loop has gathered whole, and hand the answer back to
/// the loop to write. The socket is never read or written here, so no client can hold a worker.
final class Exchange: BodySource {
    // The methods HTTP defines (RFC 9110, PATCH, and QUERY from the httpbis draft) go to the
    // router, which answers 405 + Allow where a path does not take one. Any other method is one
    // this server does not know: 501 (RFC 9110 section 9.1).
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "QUERY"]
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private let server: HTTPServer
    private let connection: Connection
    private var limits: Limits { server.limits }
    /// Body the loop gathered for the current request, and whether it is all of it.
    private var spool: BodySpool?
    private var gatheredEnd = false

    init(server: HTTPServer, connection: Connection) {
        self.server = server
        self.connection = connection
    }

    /// Answers one request; when `admitting`, its body has not been gathered and the responder
    /// decides on the head alone whether to refuse it or have the loop gather it.
    func serve(_ head: HTTPRequestHead, admitting: Bool) {
        let started = Sys.now()
        spool = connection.spool
        gatheredEnd = connection.gatheredEnd
        connection.spool = nil
        connection.gatheredEnd = false
        connection.admitted = false
        let request = Self.request(head, connection: connection, source: self)
        var response: HTTPResponse?
        if !Self.knownMethods.contains(head.method) {
            response = .problem(status: 501, detail: "The method \(head.method) is not implemented.")
        } else if admitting {
            switch server.responder.admit(request) {
            case .answer(let refusal):
                response = refusal
            case .gather(let maxBytes, let onEnd):
                connection.admissionEnd = onEnd
                connection.bodyLimit = maxBytes
                connection.pendingHead = head
                connection.admitted = true
                connection.phase = .readingBody
                server.finishedServing(connection)
                connection.loop.adopt(connection)
                return
            }
        }
        let answer = response ?? (request.body.hasBody ? nil : server.responder.respondInline(to: request))
            ?? server.responder.respond(to: request)
        connection.endAdmission()
        finish(request, head: head, answer: answer, started: started)
    }

    /// The request handlers see; its body reads what the loop gathered.
    static func request(_ head: HTTPRequestHead, connection: Connection, source: BodySource?) -> HTTPRequest {
        var declaredLength: Int?
        if case .length(let n) = head.framing { declaredLength = n }
        let body = HTTPRequestBody(declaredLength: declaredLength, isChunked: head.framing == .chunked, source: source)
        return HTTPRequest(method: head.method, target: head.target, version: head.version,
                           headers: head.headers, body: body, remoteAddress: connection.remoteAddress)
    }

    /// Prepares the answer and gives the connection back to its loop to write it.
    private func finish(_ request: HTTPRequest, head: HTTPRequestHead, answer: HTTPResponse, started: Double) {
        let body = request.body
        var keepAlive = head.keepAlive && !server.isStopping
            && !answer.headers.tokens("Connection").contains("close")
        if body.failure != nil {
            keepAlive = false  // the framing can no longer be trusted
        } else if !body.isComplete && !drain(body) {
            keepAlive = false  // an unread body that has not arrived is not waited for
        }
        let writer = ResponseWriter(version: head.version, limits: limits)
        let prepared = writer.prepare(answer, requestID: request.requestID, isHead: head.method == "HEAD", keepAlive: &keepAlive)
        let remoteAddress = connection.remoteAddress
        let log = server.onResponse
        let onSent = answer.onSent
        connection.outgoing = Outgoing(parts: prepared.parts, spool: prepared.spool, pulled: prepared.pulled,
                                       keepAlive: keepAlive, started: Sys.now()) { sent, _ in
            onSent?()
            log?(AccessLogEntry(method: request.method, path: request.path, routePattern: request.routePattern,
                                status: prepared.status, bytesSent: sent, duration: Sys.now() - started,
                                requestID: request.requestID, remoteAddress: remoteAddress))
        }
        connection.phase = .writing
        server.finishedServing(connection)
        connection.loop.adopt(connection)
    }

    /// Discards what the handler left of the body if it has already arrived (up to the drain
    /// limit); false (close) when more would have to be waited for.
    private func drain(_ body: HTTPRequestBody) -> Bool {
        var discarded = 0
        while !body.isComplete {
            guard body.failure == nil, let piece = try? body.read() else { return body.isComplete && body.failure == nil }
            discarded += piece.count
            if discarded > limits.maxDrainBytes { return false }
        }
        return true
    }

    // MARK: BodySource

    /// The gathered body, then what the parser already holds; never the socket.
    func nextBodyPiece() throws -> [UInt8]? {
        do {
            if let piece = try spool?.next() { return piece }
        } catch {
            throw HTTPBodyError.malformed("\(error)")
        }
        if gatheredEnd { return nil }
        let event: HTTPParserEvent?
        do {
            event = try connection.parser.next()
        } catch HTTPParserError.bodyTooLarge(let limit) {
            throw HTTPBodyError.tooLarge(limit: limit)
        } catch let error as HTTPParserError {
            throw HTTPBodyError.malformed(error.detail)
        }
        switch event {
        case .body(let piece): return piece
        case .end: return nil
        case .head: throw HTTPBodyError.malformed("unexpected head inside a body")
        case nil: throw HTTPBodyError.connectionClosed  // not arrived; not waited for
        }
    }
}
