import Dispatch
import Foundation
import Glibc

public enum HTTPServerError: Error {
    case bind(String)
    case listen(String)
}

/// An HTTP/1.1 server.
///
/// - One epoll `EventLoop` per processor accepts (all wait on the listening socket with
///   EPOLLEXCLUSIVE), reads request heads, gathers bodies and writes answers, all with
///   non-blocking calls. No thread per connection; no timer per request: each loop sweeps its
///   connections' deadlines every 250 ms (header, idle, body, write and linger budgets).
/// - A head with a body is admitted first (`HTTPResponder.admitInline` on the loop, else
///   `admit` on a worker): refused at once, or gathered whole by the loop up to the route's
///   limit. Then the complete request goes to the `WorkerPool` (`Limits.workerThreads`), where
///   an `Exchange` runs the responder and prepares the answer (a streamed body is produced into
///   a spool); the connection goes back to its loop, which writes the answer and only then
///   takes the next pipelined request. A worker never waits on a client.
/// - Connections are capped in total and per client address; when the table fills, idle
///   connections are closed sooner and the oldest makes room for a new one.
/// - The `HTTPParser` underneath is pure: bytes in, events out.
public final class HTTPServer {
    public let host: String
    public let limits: Limits
    let responder: HTTPResponder
    let onResponse: ((AccessLogEntry) -> Void)?
    let parserConfiguration: HTTPParser.Configuration

    private enum State { case idle, running, stopping, stopped }
    private let lock = NSLock()
    private var state = State.idle
    private var stopping = false
    private var openCount = 0
    private var perAddress: [String: Int] = [:]
    private var serving: [ObjectIdentifier: Connection] = [:]
    private var listenFd: Int32 = -1
    private var boundPort: Int
    private var loops: [EventLoop] = []
    private var pool: WorkerPool?

    public init(host: String, port: Int, limits: Limits = Limits(), responder: HTTPResponder,
                onResponse: ((AccessLogEntry) -> Void)? = nil) {
        self.host = host
        self.boundPort = port
        self.limits = limits
        self.responder = responder
        self.onResponse = onResponse
        self.parserConfiguration = limits.parserConfiguration
    }

    /// The bound port (after `start`; port 0 asks the system for a free one).
    public var port: Int { lock.locked { boundPort } }

    public var openConnections: Int { lock.locked { openCount } }

    var isStopping: Bool { lock.locked { stopping } }

    /// Binds, listens and starts the loops and workers; returns at once.
    public func start() throws {
        try lock.locked {
            guard state == .idle else { throw HTTPServerError.listen("the server was already started") }
            // A peer that resets mid-write must not kill the process; sends also use MSG_NOSIGNAL.
            signal(SIGPIPE, SIG_IGN)
            listenFd = try Self.listen(host: host, port: boundPort)
            boundPort = Self.localPort(listenFd)
            pool = WorkerPool(threads: limits.workerThreads)
            let count = limits.eventLoops > 0 ? limits.eventLoops : min(16, max(1, ProcessInfo.processInfo.activeProcessorCount))
            loops = (0..<count).map { EventLoop(index: $0, server: self, listenFd: listenFd) }
            state = .running
        }
        for loop in loops { loop.start() }
    }

    /// Stops accepting, closes idle connections, lets requests in flight finish for up to
    /// `gracePeriod` seconds, then cuts off the rest. Blocks until done.
    public func shutdown(gracePeriod: Double = 10) {
        let proceed = lock.locked { () -> Bool in
            guard state == .running else { return false }
            state = .stopping
            stopping = true
            return true
        }
        guard proceed else { return }
        for loop in loops { loop.stopAccepting() }
        for loop in loops { _ = loop.stoppedAccepting.wait(timeout: .now() + 2) }
        Glibc.close(listenFd)

        let deadline = Sys.now() + gracePeriod
        func busy() -> Bool { lock.locked { !serving.isEmpty } || loops.contains { $0.requestsGathering > 0 } }
        while busy() && Sys.now() < deadline { usleep(5_000) }
        // Past the grace period: connections still with a worker are cut off.
        for connection in lock.locked({ Array(serving.values) }) { connection.forceShutdown() }
        let cutOff = Sys.now() + 1
        while lock.locked({ !serving.isEmpty }) && Sys.now() < cutOff { usleep(5_000) }

        for loop in loops { loop.terminate() }
        for loop in loops { _ = loop.finished.wait(timeout: .now() + 2) }
        pool?.stop(timeout: 1)
        lock.locked {
            state = .stopped
            loops = []  // they held the server alive while running
        }
    }

    /// Blocks; on SIGTERM or SIGINT shuts down gracefully and returns.
    public func runUntilSignal() {
        _ = SignalWaiter.wait()
        shutdown(gracePeriod: 10)
    }

    // MARK: Used by loops and workers

    enum Reservation { case reserved, full, tooManyFromAddress }

    /// Counts a new connection from `client` (an address without port) against both caps.
    func reserveConnection(_ client: String, evenIfFull: Bool = false) -> Reservation {
        lock.locked {
            guard openCount < limits.maxConnections || evenIfFull else { return .full }
            let fromClient = perAddress[client, default: 0]
            guard fromClient < limits.maxConnectionsPerAddress else { return .tooManyFromAddress }
            openCount += 1
            perAddress[client] = fromClient + 1
            return .reserved
        }
    }

    func releaseConnection(_ client: String) {
        lock.locked {
            openCount -= 1
            let left = perAddress[client, default: 1] - 1
            perAddress[client] = left > 0 ? left : nil  // the table holds only addresses with open connections
        }
    }

    /// A loop found a complete request (or a head to admit): a worker takes the connection.
    func dispatch(_ connection: Connection, head: HTTPRequestHead, admitting: Bool) {
        lock.locked { serving[ObjectIdentifier(connection)] = connection }
        pool?.submit { [self] in Exchange(server: self, connection: connection).serve(head, admitting: admitting) }
    }

    /// Has a worker make the next piece of a pulled answer, then gives the connection back to
    /// its loop to send it. The worker does not wait for the client: one piece, then it is free.
    func producePiece(_ pulled: PulledBody, for connection: Connection) {
        pool?.submit { pulled.produce(); connection.loop.resumeWriting(connection) }
    }

    func finishedServing(_ connection: Connection) {
        lock.locked { serving[ObjectIdentifier(connection)] = nil }
    }

    /// Logs an answer the server gave on its own (before or instead of the responder).
    func logRefusal(status: Int, bytesSent: Int, requestID: String, remoteAddress: String,
                    head: HTTPRequestHead? = nil) {
        guard let onResponse else { return }
        let path = head.map { String(HTTPRequest.split(target: $0.target).path) } ?? "-"
        onResponse(AccessLogEntry(method: head?.method ?? "-", path: path, routePattern: nil, status: status,
                                  bytesSent: bytesSent, duration: 0, requestID: requestID, remoteAddress: remoteAddress))
    }

    // MARK: Sockets

    private static func listen(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw HTTPServerError.bind("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(result) }
        var lastError = "no address for \(host)"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            Sys.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                lastError = "\(host):\(port): \(String(cString: strerror(errno)))"
                Glibc.close(fd)
                continue
            }
            guard Glibc.listen(fd, 4096) == 0 else {
                let message = String(cString: strerror(errno))
                Glibc.close(fd)
                throw HTTPServerError.listen(message)
            }
            Sys.setNonBlocking(fd)
            Sys.setCloseOnExec(fd)
            return fd
        }
        throw HTTPServerError.bind(lastError)
    }

    private static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let address = Sys.describe(&storage)
        return Int(address.split(separator: ":").last ?? "") ?? 0
    }
}
