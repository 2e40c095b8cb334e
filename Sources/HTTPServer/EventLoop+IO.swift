import Glibc

/// Gathering admitted bodies and writing answers: the two things a worker used to wait on a
/// client for, done here with non-blocking calls and a total budget each.
extension EventLoop {
    // MARK: Bodies

    /// An admitted body starts arriving: refused at once when its declared length is over the
    /// route's limit, `100 Continue` when the client waits for leave to send, then gathered.
    func beginBody(_ connection: Connection) {
        guard let head = connection.pendingHead else { return drop(connection) }
        let limits = server.limits
        if case .length(let declared) = head.framing, declared > connection.bodyLimit {
            return refuse(connection, status: 413, detail: Self.tooLarge(connection.bodyLimit))
        }
        connection.bodyStarted = Sys.now()
        connection.deadline = connection.bodyStarted + limits.bodyTimeout
        connection.spool = BodySpool(memoryLimit: limits.loopBodyBytes, directory: limits.spoolDirectory)
        if head.expectsContinue && !connection.continueSent {
            connection.continueSent = true
            Sys.sendNow(connection.fd, Exchange.continueResponse)  // 25 bytes on an otherwise quiet socket
        }
        process(connection)
    }

    /// Moves body bytes from the parser to the spool; the whole body goes to a worker.
    func gather(_ connection: Connection) throws {
        guard let spool = connection.spool else { return drop(connection) }
        while let event = try connection.parser.next() {
            switch event {
            case .body(let piece):
                try spool.append(piece)
                if spool.count > connection.bodyLimit {
                    return refuse(connection, status: 413, detail: Self.tooLarge(connection.bodyLimit))
                }
            case .end:
                connection.gatheredEnd = true
                connection.continueSent = false
                return handOver(connection, nil, admitting: false)
            case .head:
                return drop(connection)
            }
        }
        // A total, not per read, so trickling bytes cannot keep a slot for ever; it grows with
        // what arrived, so a large upload at any reasonable speed is not cut off.
        let limits = server.limits
        connection.deadline = connection.bodyStarted + limits.bodyTimeout + Double(spool.count) / limits.minBodyBytesPerSecond
    }

    static func tooLarge(_ limit: Int) -> String {
        "The request body exceeds the limit of \(limit) bytes for this route."
    }

    // MARK: Answers

    /// Writes `connection.outgoing` from here on; no request bytes are read meanwhile.
    func startWriting(_ connection: Connection) {
        guard let outgoing = connection.outgoing else { return drop(connection) }
        connections[connection.fd] = connection
        connection.phase = .writing
        connection.deadline = outgoing.started + server.limits.writeTimeout
        watch(connection, Epoll.OUT)
        flush(connection)
    }

    /// Sends what the socket takes; at the end, the next pipelined request (keep-alive) or a
    /// lingering close.
    func flush(_ connection: Connection) {
        guard let outgoing = connection.outgoing else { return drop(connection) }
        let limits = server.limits
        let progress = outgoing.write(to: connection.fd)
        switch progress {
        case .blocked:
            // A total budget that grows with what the peer took (a large download at any sane
            // speed goes on), and never longer than `writeTimeout` without progress (what the
            // socket buffers swallowed at first buys a reader that stopped nothing).
            connection.deadline = min(outgoing.lastProgress + limits.writeTimeout,
                                      outgoing.started + limits.writeTimeout + Double(outgoing.sent) / limits.minSendBytesPerSecond)
        case .startPiece, .waitingForPiece:
            // Nothing to send until a worker has made the next piece; not waiting on OUT (the
            // socket has room, which would wake the loop again at once), only on errors.
            watch(connection, Epoll.ERR)
            connection.deadline = Sys.now() + limits.writeTimeout
            if case .startPiece = progress, let pulled = outgoing.pulled { server.producePiece(pulled, for: connection) }
        case .failed:
            abandonWrite(connection)
        case .finished:
            connection.outgoing = nil
            outgoing.completion(outgoing.sent, true)
            let now = Sys.now()
            if outgoing.keepAlive && !stopHandled {
                resumeReading(connection, now: now)
            } else {
                connection.shutdownWrite()
                connection.phase = .lingering
                connection.deadline = now + limits.lingerTimeout
                watch(connection, Epoll.IN | Epoll.RDHUP)
            }
        }
    }

    /// The peer did not take the answer in time, or the socket failed: a reset, so the peer
    /// sees a truncated answer rather than a clean end.
    func abandonWrite(_ connection: Connection) {
        let outgoing = connection.outgoing
        connection.outgoing = nil
        outgoing?.cancel()
        outgoing?.completion(outgoing?.sent ?? 0, false)
        unwatch(connection)
        connection.abort()
    }
}
