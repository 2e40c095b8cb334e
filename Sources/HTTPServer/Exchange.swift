import Glibc

/// A worker's turn with a connection: answer the request whose head the loop found, then any
/// requests already buffered behind it (pipelining, answered in order), then give the
/// connection back to its loop, or close it.
final class Exchange: BodySource {
    // The methods HTTP defines (RFC 9110, PATCH, and QUERY from the httpbis draft) go to the
    // router, which answers 405 + Allow where a path does not take one. Any other method is one
    // this server does not know: 501 (RFC 9110 section 9.1).
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "QUERY"]
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private let server: HTTPServer
    private let connection: Connection
    private var limits: Limits { server.limits }
    private var scratch: UnsafeMutableRawBufferPointer?
    /// Body the loop gathered for the current request, and whether it is all of it.
    private var spool: BodySpool?
    private var gatheredEnd = false
    /// Set while draining an unread body: only bytes already received are read, never the socket,
    /// so a peer trickling the rest of a refused body cannot hold this worker (the loop lingers instead).
    private var bufferedOnly = false

    init(server: HTTPServer, connection: Connection) {
        self.server = server
        self.connection = connection
    }

    deinit { scratch?.deallocate() }

    private enum Outcome { case keepAlive, close, abort, spooling }

    func serve(_ first: HTTPRequestHead, admitting: Bool = false) {
        var head = first
        var admitting = admitting
        while true {
            let outcome = answer(head, admitting: admitting)
            admitting = false
            guard let next = proceed(after: outcome, head: head) else { return }
            head = next
        }
    }

    /// The rest of an answer the loop gave inline but could not send at once (the peer's
    /// window was full); then on as after any answer.
    func finishInline(_ remaining: [UInt8], keepAlive: Bool) {
        let written = (try? connection.write([remaining], timeout: limits.writeTimeout)) != nil
        guard let next = proceed(after: !written ? .abort : keepAlive ? .keepAlive : .close, head: nil) else { return }
        serve(next)
    }

    /// What follows an answer: the next pipelined head to answer, or nil when the connection
    /// went back to its loop or was closed.
    private func proceed(after outcome: Outcome, head: HTTPRequestHead?) -> HTTPRequestHead? {
        switch outcome {
        case .spooling:
            // The loop gathers the rest of the body and dispatches the request again.
            connection.pendingHead = head
            connection.admitted = true
            connection.phase = .readingBody
            server.finishedServing(connection)
            connection.loop.adopt(connection)
        case .abort:
            connection.abort()
            server.finishedServing(connection)
        case .close:
            closeGracefully()
        case .keepAlive:
            do {
                if let next = try nextHead() { return next }
            } catch let error as HTTPParserError {
                // The next pipelined head is bad: refuse it, in order, and close.
                let requestID = HTTPRequest.makeRequestID()
                let refusal = ResponseWriter.errorResponse(status: error.status, detail: error.detail, requestID: requestID)
                try? connection.write([refusal], timeout: limits.writeTimeout)
                server.logRefusal(status: error.status, bytesSent: refusal.count, requestID: requestID,
                                  remoteAddress: connection.remoteAddress)
                closeGracefully()
                return nil
            } catch {
                closeGracefully()
                return nil
            }
            if server.isStopping {
                closeGracefully()
                return nil
            }
            connection.phase = .idle
            connection.parser.releaseIdleMemory()
            server.finishedServing(connection)
            connection.loop.adopt(connection)
        }
        return nil
    }

    /// The next buffered head, past the end of the message just answered (a body-less message
    /// still has its `.end` event pending).
    private func nextHead() throws -> HTTPRequestHead? {
        while let event = try connection.parser.next() {
            switch event {
            case .head(let head): return head
            case .end: continue
            case .body: throw HTTPParserError.badChunk("body left after the answer")
            }
        }
        return nil
    }

    /// Shuts our side and lets the loop discard what the peer still sends, so the answer is
    /// not lost to a reset; during shutdown the socket is simply closed.
    private func closeGracefully() {
        server.finishedServing(connection)
        if server.isStopping {
            connection.close()
        } else {
            connection.shutdownWrite()
            connection.phase = .lingering
            connection.loop.adopt(connection)
        }
    }

    /// Answers one request; when `admitting`, its body is still arriving and the responder
    /// decides first whether to answer, stream or have the loop spool it.
    private func answer(_ head: HTTPRequestHead, admitting: Bool) -> Outcome {
        let started = Sys.now()
        spool = connection.spool
        gatheredEnd = connection.gatheredEnd
        var continueSent = connection.continueSent
        connection.spool = nil
        connection.gatheredEnd = false
        connection.continueSent = false
        connection.admitted = false
        var declaredLength: Int?
        if case .length(let n) = head.framing { declaredLength = n }
        let body = HTTPRequestBody(declaredLength: declaredLength, isChunked: head.framing == .chunked, source: self)
        let request = HTTPRequest(method: head.method, target: head.target, version: head.version,
                                  headers: head.headers, body: body, remoteAddress: connection.remoteAddress)
        func sendContinue() -> Bool {
            guard head.expectsContinue && body.hasBody && !continueSent else { return true }
            continueSent = true
            return (try? connection.write([Self.continueResponse], timeout: limits.writeTimeout)) != nil
        }
        var response: HTTPResponse?
        if !Self.knownMethods.contains(head.method) {
            response = .problem(status: 501, detail: "The method \(head.method) is not implemented.")
        } else if admitting {
            bufferedOnly = true
            let admission = server.responder.admit(request)
            bufferedOnly = false
            switch admission {
            case .answer(let refusal):
                response = refusal
            case .stream:
                break
            case .spool:
                guard sendContinue() else { return .abort }
                connection.spool = spool
                connection.continueSent = continueSent
                return .spooling
            }
        }
        if response == nil {
            guard sendContinue() else { return .abort }
        }
        // A pipelined request a loop would have answered inline gets the same answer here.
        let answer = response ?? (body.hasBody ? nil : server.responder.respondInline(to: request))
            ?? server.responder.respond(to: request)

        var keepAlive = head.keepAlive && !server.isStopping
            && !answer.headers.tokens("Connection").contains("close")
        if body.failure != nil {
            keepAlive = false  // the framing can no longer be trusted
        } else if !body.isComplete, let remaining = connection.parser.remainingBodyBytes,
                  remaining - connection.parser.bufferedBytes > limits.maxDrainBytes {
            keepAlive = false  // too much unread body to be worth draining
        }

        let writer = ResponseWriter(connection: connection, version: head.version, timeout: limits.writeTimeout)
        var outcome = Outcome.close
        var sent = ResponseWriter.Sent(status: answer.status, bytes: 0)
        do {
            sent = try writer.send(answer, requestID: request.requestID, isHead: head.method == "HEAD",
                                   keepAlive: &keepAlive)
            outcome = keepAlive && drain(body) ? .keepAlive : .close
        } catch {
            outcome = .abort
        }
        server.onResponse?(AccessLogEntry(
            method: request.method, path: request.path, routePattern: request.routePattern, status: sent.status,
            bytesSent: sent.bytes, duration: Sys.now() - started, requestID: request.requestID,
            remoteAddress: connection.remoteAddress))
        return outcome
    }

    /// Discards what the handler left of the body if it has already arrived (up to the drain
    /// limit); false (close) when more would have to be waited for.
    private func drain(_ body: HTTPRequestBody) -> Bool {
        bufferedOnly = true
        defer { bufferedOnly = false }
        var discarded = 0
        while !body.isComplete {
            guard body.failure == nil, let piece = try? body.read() else { return body.isComplete && body.failure == nil }
            discarded += piece.count
            if discarded > limits.maxDrainBytes { return false }
        }
        return true
    }

    // MARK: BodySource

    func nextBodyPiece() throws -> [UInt8]? {
        do {
            if let piece = try spool?.next() { return piece }
        } catch {
            throw HTTPBodyError.malformed("\(error)")
        }
        if gatheredEnd { return nil }
        while true {
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
            case nil:
                if bufferedOnly { throw HTTPBodyError.connectionClosed }
                // Backpressure: the socket is read only when the handler asks for more.
                if scratch == nil {
                    scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
                }
                do {
                    try connection.receive(into: scratch!, timeout: limits.bodyTimeout)
                } catch SocketError.timedOut {
                    throw HTTPBodyError.timedOut
                } catch {
                    throw HTTPBodyError.connectionClosed
                }
            }
        }
    }
}
