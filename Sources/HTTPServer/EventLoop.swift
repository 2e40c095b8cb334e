import Foundation
import Glibc

/// One epoll thread. It accepts (every loop waits on the listening socket with EPOLLEXCLUSIVE,
/// so the kernel wakes one of them), reads request heads, gathers admitted bodies, hands
/// complete requests to the worker pool and writes their answers (EventLoop+Body, +Write).
/// Deadlines are not timers: every 250 ms the loop sweeps its own connections.
final class EventLoop {
    let index: Int
    /// Strong on purpose: a running server lives until `shutdown` ends its loops.
    let server: HTTPServer
    let epfd: Int32
    private let wakeFd: Int32
    private var listenFd: Int32
    private var acceptPausedUntil: Double?
    var connections: [Int32: Connection] = [:]  // loop thread only
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private let sweepInterval = 0.25

    // Shared with other threads, under `lock`.
    private let lock = NSLock()
    private var incoming: [Connection] = []
    /// Connections whose next pulled piece a worker has made.
    private var resumed: [Connection] = []
    private var stopRequested = false
    private var terminateRequested = false
    private var terminated = false
    private var gathering = Int.max  // unknown until the stop is handled

    var stopHandled = false
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

    /// A worker made the next piece of a connection's pulled answer: send it (if the connection
    /// is still this loop's and still writing).
    func resumeWriting(_ connection: Connection) {
        let accepted = lock.locked { () -> Bool in
            guard !terminated else { return false }
            resumed.append(connection)
            return true
        }
        if accepted { Sys.wake(wakeFd) }
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
        let (arrivals, writable, stop, terminate) = lock.locked { () -> ([Connection], [Connection], Bool, Bool) in
            defer { incoming.removeAll(); resumed.removeAll() }
            if terminateRequested { terminated = true }
            return (incoming, resumed, stopRequested, terminateRequested)
        }
        for connection in writable where connections[connection.fd] === connection && connection.phase == .writing {
            watch(connection, Epoll.OUT)
            flush(connection)
        }
        if stop && !stopHandled {
            stopHandled = true
            if listenFd >= 0 { Epoll.control(epfd, Epoll.ctlDel, listenFd, 0) }
            listenFd = -1
            // Idle and half-sent heads go; a request whose body is arriving, or whose answer is
            // leaving, may still finish in the grace period.
            for connection in connections.values where !connection.finishesDuringShutdown { drop(connection) }
            stoppedAccepting.signal()
        }
        let now = Sys.now()
        for connection in arrivals {
            if stopHandled && connection.finishesDuringShutdown && !terminate {
                register(connection, now: now)
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
        connections[connection.fd] = connection
        switch connection.phase {
        case .lingering:
            connection.deadline = now + server.limits.lingerTimeout
            watch(connection, Epoll.IN | Epoll.RDHUP)
        case .readingBody:
            // Admitted: gather the body here; bytes already buffered count at once.
            watch(connection, Epoll.IN | Epoll.RDHUP)
            beginBody(connection)
        case .writing:
            startWriting(connection)
        default:
            resumeReading(connection, now: now)
        }
    }

    /// Reads requests again (after an answer): buffered pipelined bytes are taken at once.
    func resumeReading(_ connection: Connection, now: Double) {
        if connection.parser.isIdle {
            connection.phase = .idle
            connection.idleSince = now
            connection.deadline = now + server.limits.idleTimeout
        } else {
            connection.phase = .readingHead
            connection.deadline = now + server.limits.headerTimeout
        }
        watch(connection, Epoll.IN | Epoll.RDHUP)
        if connection.parser.bufferedBytes > 0 { process(connection) }
    }

    /// Registers the connection for `events`, or changes what it is registered for.
    func watch(_ connection: Connection, _ events: UInt32) {
        guard connection.interest != events else { return }
        Epoll.control(epfd, connection.interest == 0 ? Epoll.ctlAdd : Epoll.ctlMod, connection.fd, events)
        connection.interest = events
    }

    /// Takes the connection off this loop (to a worker, or closed).
    func unwatch(_ connection: Connection) {
        connections[connection.fd] = nil
        if connection.interest != 0 { Epoll.control(epfd, Epoll.ctlDel, connection.fd, 0) }
        connection.interest = 0
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
            let remote = Sys.peerAddress(fd)
            let client = Sys.host(of: remote)
            var reserved = server.reserveConnection(client)
            // Room made by closing an idle connection is this newcomer's, whatever other loops
            // accept meanwhile (so the table may overshoot by one per loop for a moment).
            if reserved == .full && evictOldestIdle() { reserved = server.reserveConnection(client, evenIfFull: true) }
            guard reserved == .reserved else {
                let detail = reserved == .tooManyFromAddress
                    ? "Too many open connections from your address; close idle ones and retry."
                    : "Too many open connections."
                Sys.sendNow(fd, ResponseWriter.errorResponse(status: 503, detail: detail))
                Glibc.close(fd)
                continue
            }
            let connection = Connection(fd: fd, remoteAddress: remote, clientAddress: client, loop: self,
                                        parser: HTTPParser(configuration: server.parserConfiguration),
                                        onClose: { [server] in server.releaseConnection(client) })
            let now = Sys.now()
            connection.phase = .fresh
            connection.idleSince = now
            connection.deadline = now + server.limits.headerTimeout
            connections[fd] = connection
            watch(connection, Epoll.IN | Epoll.RDHUP)
        }
    }

    /// The table is full: the connection of this loop idle the longest makes room.
    private func evictOldestIdle() -> Bool {
        let idle = connections.values.filter { $0.phase == .idle || $0.phase == .fresh }
        guard let oldest = idle.min(by: { $0.idleSince < $1.idleSince }) else { return false }
        drop(oldest)
        return true
    }

    private func handleEvent(_ connection: Connection, _ flags: UInt32) {
        if connection.phase == .writing {
            // While a piece is being made only errors and hang-ups are reported.
            if flags & (Epoll.ERR | Epoll.HUP) != 0 && flags & Epoll.OUT == 0 { return abandonWrite(connection) }
            return flush(connection)
        }
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

    func process(_ connection: Connection) {
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

    /// Takes events from the parser: a head; a body-less request is answered inline or goes to
    /// a worker; a body is first admitted on the head (here from memory, or by a worker that
    /// never touches the socket), then gathered whole (EventLoop+Body) and only then dispatched.
    private func advance(_ connection: Connection) throws {
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
            guard Exchange.knownMethods.contains(head.method), !server.isStopping,
                  case .gather(let maxBytes, let onEnd)? = server.responder.admitInline(
                    Exchange.request(head, connection: connection, source: nil)) else {
                return handOver(connection, nil, admitting: true)
            }
            connection.bodyLimit = maxBytes
            connection.admissionEnd = onEnd
            connection.admitted = true
            connection.phase = .readingBody
            return beginBody(connection)
        }
        try gather(connection)
    }

    private enum InlineOutcome { case declined, answered, finished }

    /// Lets the responder answer a body-less request from memory on this thread (no worker
    /// hand-off); the answer leaves in one non-blocking send, or a worker writes what is left.
    private func answerInline(_ connection: Connection, _ head: HTTPRequestHead) -> InlineOutcome {
        guard !server.isStopping else { return .declined }
        let started = Sys.now()
        let request = HTTPRequest(method: head.method, target: head.target, version: head.version,
                                  headers: head.headers, remoteAddress: connection.remoteAddress)
        // A method this server does not know is answered here: it never costs a worker.
        let unknown = Exchange.knownMethods.contains(head.method) ? nil
            : HTTPResponse.problem(status: 501, detail: "The method is not implemented.")
        guard let response = unknown ?? server.responder.respondInline(to: request) else { return .declined }
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
            // The peer's window is full: the rest leaves as the socket takes it.
            connection.outgoing = Outgoing(parts: [Array(bytes[sent...])], keepAlive: keepAlive, started: started) { _, _ in }
            startWriting(connection)
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

    func handOver(_ connection: Connection, _ head: HTTPRequestHead?, admitting: Bool) {
        guard let head = head ?? connection.pendingHead else { return drop(connection) }
        connection.pendingHead = nil
        unwatch(connection)
        connection.phase = .serving
        server.dispatch(connection, head: head, admitting: admitting)
    }

    /// Answers with an error and `Connection: close`, then lingers until the peer has gone.
    func refuse(_ connection: Connection, status: Int, detail: String) {
        let requestID = HTTPRequest.makeRequestID()
        let response = ResponseWriter.errorResponse(status: status, detail: detail, requestID: requestID)
        Sys.sendNow(connection.fd, response)
        server.logRefusal(status: status, bytesSent: response.count, requestID: requestID,
                          remoteAddress: connection.remoteAddress, head: connection.pendingHead)
        connection.pendingHead = nil
        connection.spool = nil
        connection.endAdmission()
        connection.shutdownWrite()
        connection.phase = .lingering
        connection.deadline = Sys.now() + server.limits.lingerTimeout
    }

    func drop(_ connection: Connection) {
        unwatch(connection)
        connection.close()
    }

    /// Closes every connection past its deadline; a half-sent head gets a 408 first.
    private func sweep(_ now: Double) {
        if let until = acceptPausedUntil, now >= until, listenFd >= 0 {
            acceptPausedUntil = nil
            Epoll.control(epfd, Epoll.ctlAdd, listenFd, Epoll.IN | Epoll.EXCLUSIVE)
        }
        // A full table closes idle connections sooner (the oldest also make room on accept).
        let crowded = server.openConnections * 4 >= server.limits.maxConnections * 3
        for connection in connections.values {
            let idle = connection.phase == .idle || connection.phase == .fresh
            if crowded && idle && now - connection.idleSince >= server.limits.crowdedIdleTimeout { drop(connection); continue }
            guard now >= connection.deadline else { continue }
            switch connection.phase {
            case .readingHead, .readingBody:
                let what = connection.phase == .readingHead ? "head" : "body"
                let requestID = HTTPRequest.makeRequestID()
                let response = ResponseWriter.errorResponse(status: 408, detail: "The request \(what) did not arrive in time.",
                                                            requestID: requestID)
                Sys.sendNow(connection.fd, response)
                server.logRefusal(status: 408, bytesSent: response.count, requestID: requestID,
                                  remoteAddress: connection.remoteAddress, head: connection.pendingHead)
                drop(connection)
            case .writing:
                abandonWrite(connection)
            default:
                drop(connection)
            }
        }
    }
}
