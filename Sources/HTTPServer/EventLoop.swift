import Foundation
import Glibc

/// One epoll thread. It accepts (every loop waits on the listening socket with EPOLLEXCLUSIVE,
/// so the kernel wakes one of them), reads request heads, and hands complete heads to the
/// worker pool. Deadlines are not timers: every 250 ms the loop sweeps its own connections.
final class EventLoop {
    let index: Int
    /// Strong on purpose: a running server lives until `shutdown` ends its loops.
    private let server: HTTPServer
    private let epfd: Int32
    private let wakeFd: Int32
    private var listenFd: Int32
    private var acceptPausedUntil: Double?
    private var connections: [Int32: Connection] = [:]  // loop thread only
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private let sweepInterval = 0.25

    // Shared with other threads, under `lock`.
    private let lock = NSLock()
    private var incoming: [Connection] = []
    private var stopRequested = false
    private var terminateRequested = false
    private var terminated = false
    private var gathering = Int.max  // unknown until the stop is handled

    private var stopHandled = false
    let stoppedAccepting = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)

    init(index: Int, server: HTTPServer, listenFd: Int32) {
        self.index = index
        self.server = server
        self.listenFd = listenFd
        epfd = Epoll.create()
        wakeFd = Epoll.makeEventfd()
        Epoll.control(epfd, Epoll.ctlAdd, wakeFd, Epoll.IN)
        Epoll.control(epfd, Epoll.ctlAdd, listenFd, Epoll.IN | Epoll.EXCLUSIVE)
    }

    deinit { scratch.deallocate() }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "http-loop-\(index)"
        thread.start()
    }

    // MARK: Called from other threads

    /// Takes back a connection after a worker answered on it (keep-alive or lingering close).
    func adopt(_ connection: Connection) {
        let accepted = lock.locked { () -> Bool in
            guard !terminated else { return false }
            incoming.append(connection)
            return true
        }
        if accepted { Sys.wake(wakeFd) } else { connection.close() }
    }

    /// Stop accepting and close every connection this loop holds; later arrivals are closed.
    func stopAccepting() {
        lock.locked { stopRequested = true }
        Sys.wake(wakeFd)
    }

    func terminate() {
        lock.locked { terminateRequested = true }
        Sys.wake(wakeFd)
    }

    // MARK: The loop

    private func run() {
        let events = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * Epoll.eventSize, alignment: 16)
        defer { events.deallocate() }
        var lastSweep = Sys.now()
        while true {
            for (fd, flags) in Epoll.wait(epfd, events, timeoutMs: 250) {
                if fd == wakeFd {
                    Sys.drainEventfd(wakeFd)
                } else if fd == listenFd {
                    acceptAll()
                } else if let connection = connections[fd] {
                    handleEvent(connection, flags)
                }
            }
            if handleCommands() { break }
            let now = Sys.now()
            if now - lastSweep >= sweepInterval {
                sweep(now)
                lastSweep = now
            }
        }
        for connection in connections.values { connection.close() }
        connections.removeAll()
        Glibc.close(epfd)
        Glibc.close(wakeFd)
        finished.signal()
    }

    /// Returns true when the loop must end.
    private func handleCommands() -> Bool {
        let (arrivals, stop, terminate) = lock.locked { () -> ([Connection], Bool, Bool) in
            defer { incoming.removeAll() }
            if terminateRequested { terminated = true }
            return (incoming, stopRequested, terminateRequested)
        }
        if stop && !stopHandled {
            stopHandled = true
            if listenFd >= 0 { Epoll.control(epfd, Epoll.ctlDel, listenFd, 0) }
            listenFd = -1
            // Idle and half-sent heads go; a request whose body is arriving may still finish.
            for connection in connections.values where connection.phase != .readingBody { drop(connection) }
            stoppedAccepting.signal()
        }
        let now = Sys.now()
        for connection in arrivals {
            if stopHandled && connection.phase == .readingBody && !terminate {
                register(connection, now: now)  // an admitted upload may still finish in the grace period
            } else if stopHandled || terminate {
                connection.close()
            } else {
                register(connection, now: now)
            }
        }
        if stopHandled {
            let count = connections.count
            lock.locked { gathering = count }
        }
        return terminate
    }

    /// Requests this loop is still gathering a body for, once stopping (shutdown waits for them).
    var requestsGathering: Int { lock.locked { gathering } }

    private func register(_ connection: Connection, now: Double) {
        switch connection.phase {
        case .lingering:
            connection.deadline = now + server.limits.lingerTimeout
        case .readingBody:
            // Admitted for spooling: gather the rest here; bytes already buffered count at once.
            connections[connection.fd] = connection
            Epoll.control(epfd, Epoll.ctlAdd, connection.fd, Epoll.IN | Epoll.RDHUP)
            process(connection)
            return
        default:
            if connection.parser.isIdle {
                connection.phase = .idle
                connection.deadline = now + server.limits.idleTimeout
            } else {
                connection.phase = .readingHead
                connection.deadline = now + server.limits.headerTimeout
            }
        }
        connections[connection.fd] = connection
        Epoll.control(epfd, Epoll.ctlAdd, connection.fd, Epoll.IN | Epoll.RDHUP)
    }

    private func acceptAll() {
        for _ in 0..<64 {
            let fd = accept(listenFd, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                    // Out of descriptors: stop listening for a moment instead of spinning.
                    Epoll.control(epfd, Epoll.ctlDel, listenFd, 0)
                    acceptPausedUntil = Sys.now() + 0.1
                }
                return
            }
            Sys.setNonBlocking(fd)
            Sys.setCloseOnExec(fd)
            Sys.setNoDelay(fd)
            guard server.reserveConnection() else {
                let refusal = ResponseWriter.errorResponse(status: 503, detail: "Too many open connections.")
                Sys.sendNow(fd, refusal)
                Glibc.close(fd)
                continue
            }
            let connection = Connection(fd: fd, remoteAddress: Sys.peerAddress(fd), loop: self,
                                        parser: HTTPParser(configuration: server.parserConfiguration),
                                        onClose: { [server] in server.releaseConnection() })
            connection.phase = .fresh
            connection.deadline = Sys.now() + server.limits.headerTimeout
            connections[fd] = connection
            Epoll.control(epfd, Epoll.ctlAdd, fd, Epoll.IN | Epoll.RDHUP)
        }
    }

    private func handleEvent(_ connection: Connection, _ flags: UInt32) {
        let n = recv(connection.fd, scratch.baseAddress, scratch.count, 0)
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                if flags & (Epoll.ERR | Epoll.HUP) != 0 { drop(connection) }
                return
            }
            return drop(connection)
        }
        if n == 0 { return drop(connection) }
        if connection.phase == .lingering { return }  // discarded until the peer closes or time is up
        if connection.phase == .idle {
            connection.phase = .readingHead
            connection.deadline = Sys.now() + server.limits.headerTimeout
        } else if connection.phase == .fresh {
            connection.phase = .readingHead
        }
        connection.parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
        process(connection)
    }

    private func process(_ connection: Connection) {
        do {
            try advance(connection)
        } catch let error as HTTPParserError {
            refuse(connection, status: error.status, detail: error.detail)
        } catch let error as BodySpoolError {
            refuse(connection, status: 503, detail: "The server cannot take the request body now (\(error)).")
        } catch {
            drop(connection)
        }
    }

    /// Takes events from the parser: a head, then up to `loopBodyBytes` of its body. A complete
    /// body goes to a worker with its head; a larger one, or one the client waits for leave to
    /// send (`Expect: 100-continue`), first goes to a worker for admission (the responder may
    /// answer at once, stream it, or have this loop spool all of it and dispatch it complete).
    private func advance(_ connection: Connection) throws {
        let limits = server.limits
        while connection.pendingHead == nil {
            guard let event = try connection.parser.next() else { return }
            if case .end = event { continue }  // of a body-less request answered inline
            guard case .head(let head) = event else { return drop(connection) }
            guard head.framing == .chunked || (head.framing != .none && head.framing != .length(0)) else {
                switch answerInline(connection, head) {
                case .declined: return handOver(connection, head, admitting: false)
                case .answered: continue  // a pipelined request may follow
                case .finished: return
                }
            }
            connection.pendingHead = head
            connection.phase = .readingBody
            connection.bodyStarted = Sys.now()
            connection.deadline = connection.bodyStarted + limits.bodyTimeout
            connection.spool = BodySpool(memoryLimit: limits.loopBodyBytes, directory: limits.spoolDirectory)
            if head.expectsContinue { return handOver(connection, nil, admitting: true) }
        }
        guard let spool = connection.spool else { return drop(connection) }
        while let event = try connection.parser.next() {
            switch event {
            case .body(let piece):
                try spool.append(piece)
                if !connection.admitted && spool.count >= limits.loopBodyBytes {
                    return handOver(connection, nil, admitting: true)
                }
            case .end:
                connection.gatheredEnd = true
                return handOver(connection, nil, admitting: false)
            case .head:
                return drop(connection)
            }
        }
        // A total, not per read, so trickling bytes cannot keep a slot for ever; it grows with
        // what arrived, so a large upload at any reasonable speed is not cut off.
        connection.deadline = connection.bodyStarted + limits.bodyTimeout
            + Double(spool.count) / limits.minBodyBytesPerSecond
    }

    private enum InlineOutcome { case declined, answered, finished }

    /// Lets the responder answer a body-less request from memory on this thread (no worker
    /// hand-off); the answer leaves in one non-blocking send, or a worker writes what is left.
    private func answerInline(_ connection: Connection, _ head: HTTPRequestHead) -> InlineOutcome {
        guard Exchange.knownMethods.contains(head.method), !server.isStopping else { return .declined }
        let started = Sys.now()
        let request = HTTPRequest(method: head.method, target: head.target, version: head.version,
                                  headers: head.headers, remoteAddress: connection.remoteAddress)
        guard let response = server.responder.respondInline(to: request) else { return .declined }
        let keepAlive = head.keepAlive && !response.headers.tokens("Connection").contains("close")
        guard let parts = ResponseWriter.serialize(response, requestID: request.requestID, isHead: head.method == "HEAD",
                                                   keepAlive: keepAlive, version: head.version) else { return .declined }
        let bytes = parts[0] + parts[1]
        let sent = Sys.sendNow(connection.fd, bytes)
        server.onResponse?(AccessLogEntry(
            method: request.method, path: request.path, routePattern: request.routePattern, status: response.status,
            bytesSent: bytes.count, duration: Sys.now() - started, requestID: request.requestID,
            remoteAddress: connection.remoteAddress))
        if sent < bytes.count {
            connections[connection.fd] = nil
            Epoll.control(epfd, Epoll.ctlDel, connection.fd, 0)
            connection.phase = .serving
            server.dispatchRemainder(connection, Array(bytes[sent...]), keepAlive: keepAlive)
            return .finished
        }
        if !keepAlive {
            connection.shutdownWrite()
            connection.phase = .lingering
            connection.deadline = Sys.now() + server.limits.lingerTimeout
            return .finished
        }
        connection.phase = .idle
        connection.deadline = Sys.now() + server.limits.idleTimeout
        return .answered
    }

    private func handOver(_ connection: Connection, _ head: HTTPRequestHead?, admitting: Bool) {
        guard let head = head ?? connection.pendingHead else { return drop(connection) }
        connection.pendingHead = nil
        connections[connection.fd] = nil
        Epoll.control(epfd, Epoll.ctlDel, connection.fd, 0)
        connection.phase = .serving
        server.dispatch(connection, head: head, admitting: admitting)
    }

    /// Answers with an error and `Connection: close`, then lingers until the peer has gone.
    private func refuse(_ connection: Connection, status: Int, detail: String) {
        let requestID = HTTPRequest.makeRequestID()
        let response = ResponseWriter.errorResponse(status: status, detail: detail, requestID: requestID)
        Sys.sendNow(connection.fd, response)
        server.logRefusal(status: status, bytesSent: response.count, requestID: requestID,
                          remoteAddress: connection.remoteAddress, head: connection.pendingHead)
        connection.pendingHead = nil
        connection.shutdownWrite()
        connection.phase = .lingering
        connection.deadline = Sys.now() + server.limits.lingerTimeout
    }

    private func drop(_ connection: Connection) {
        connections[connection.fd] = nil
        Epoll.control(epfd, Epoll.ctlDel, connection.fd, 0)
        connection.close()
    }

    /// Closes every connection past its deadline; a half-sent head gets a 408 first.
    private func sweep(_ now: Double) {
        if let until = acceptPausedUntil, now >= until, listenFd >= 0 {
            acceptPausedUntil = nil
            Epoll.control(epfd, Epoll.ctlAdd, listenFd, Epoll.IN | Epoll.EXCLUSIVE)
        }
        for connection in connections.values where now >= connection.deadline {
            if connection.phase == .readingHead || connection.phase == .readingBody {
                let what = connection.phase == .readingHead ? "head" : "body"
                let requestID = HTTPRequest.makeRequestID()
                let response = ResponseWriter.errorResponse(status: 408, detail: "The request \(what) did not arrive in time.",
                                                            requestID: requestID)
                Sys.sendNow(connection.fd, response)
                server.logRefusal(status: 408, bytesSent: response.count, requestID: requestID,
                                  remoteAddress: connection.remoteAddress, head: connection.pendingHead)
            }
            drop(connection)
        }
    }
}
