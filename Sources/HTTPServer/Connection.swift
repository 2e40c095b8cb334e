import Foundation
import Glibc

enum SocketError: Error {
    case timedOut
    case closed
}

/// One accepted socket and the parser holding its unread bytes. At any moment it is owned by
/// exactly one thread: its event loop while a head is awaited, a worker while a request is
/// served. Ownership moves through the loop's locked queue or the worker pool's queue.
final class Connection {
    enum Phase {
        /// Accepted, no byte yet: the header timeout runs from accept.
        case fresh
        /// Between requests on a kept-alive connection: the idle timeout runs.
        case idle
        /// Part of a head has arrived: the header timeout runs from its first byte.
        case readingHead
        /// A head has arrived and its body is gathered here: the first bytes of any body (a peer
        /// that sends a small body slowly holds no worker), and all of an admitted spooled one.
        case readingBody
        /// Refused or finished with "close": our side is shut, the peer's bytes are discarded
        /// until it closes, so our last answer is not destroyed by a reset.
        case lingering
        /// Handed to a worker.
        case serving
    }

    let fd: Int32
    let remoteAddress: String
    let loop: EventLoop
    var parser: HTTPParser
    var phase: Phase = .fresh
    var deadline: Double = 0
    /// The head whose body the loop is gathering, and what it gathered (handed to the worker).
    var pendingHead: HTTPRequestHead?
    var spool: BodySpool?
    var gatheredEnd = false
    var continueSent = false
    /// The responder chose `Admission.spool`: the loop gathers the whole body, then dispatches.
    var admitted = false
    /// When the head whose body is being gathered arrived (the body deadline counts from it).
    var bodyStarted: Double = 0
    private let closeLock = NSLock()
    private var closed = false
    private let onClose: () -> Void

    init(fd: Int32, remoteAddress: String, loop: EventLoop, parser: HTTPParser, onClose: @escaping () -> Void) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.parser = parser
        self.onClose = onClose
    }

    deinit { close() }

    func close() {
        let wasOpen = closeLock.locked { () -> Bool in
            guard !closed else { return false }
            closed = true
            Glibc.close(fd)
            return true
        }
        if wasOpen { onClose() }
    }

    /// Closes with a reset (SO_LINGER 0), so the peer sees a truncated answer, not a clean end.
    func abort() {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// Wakes a worker blocked on this socket (used when the shutdown grace period is over).
    func forceShutdown() {
        closeLock.locked {
            if !closed { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    // MARK: Blocking I/O for workers (the socket itself stays non-blocking)

    /// Reads what is available, waiting up to `timeout` seconds for something to arrive, and
    /// appends it to the parser. Throws `.closed` at end of stream.
    func receive(into scratch: UnsafeMutableRawBufferPointer, timeout: Double) throws {
        let deadline = Sys.now() + timeout
        while true {
            let n = recv(fd, scratch.baseAddress, scratch.count, 0)
            if n > 0 {
                parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                return
            }
            if n == 0 { throw SocketError.closed }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { throw SocketError.closed }
            try waitFor(Int16(POLLIN), until: deadline)
        }
    }

    /// Writes all parts with one gathering send where the socket allows. Fails when the peer
    /// takes nothing for `timeout` seconds (a stall, not a slow but moving download).
    func write(_ parts: [[UInt8]], timeout: Double) throws {
        var deadline = Sys.now() + timeout
        var parts = parts.filter { !$0.isEmpty }
        var offset = 0  // into parts[0]
        while !parts.isEmpty {
            let sent = send(parts, firstOffset: offset)
            if sent < 0 {
                guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { throw SocketError.closed }
                try waitFor(Int16(POLLOUT), until: deadline)
                continue
            }
            deadline = Sys.now() + timeout
            var remaining = sent
            while remaining > 0 {
                let left = parts[0].count - offset
                if remaining >= left {
                    remaining -= left
                    parts.removeFirst()
                    offset = 0
                } else {
                    offset += remaining
                    remaining = 0
                }
            }
        }
    }

    private func send(_ parts: [[UInt8]], firstOffset: Int) -> Int {
        // Pin every part's storage for the duration of one sendmsg.
        func withIovecs(_ index: Int, _ iovecs: inout [iovec], _ body: (inout [iovec]) -> Int) -> Int {
            if index == parts.count || index == 64 { return body(&iovecs) }
            return parts[index].withUnsafeBytes { buffer in
                let skip = index == 0 ? firstOffset : 0
                iovecs.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: buffer.baseAddress! + skip),
                                    iov_len: buffer.count - skip))
                return withIovecs(index + 1, &iovecs, body)
            }
        }
        var iovecs: [iovec] = []
        iovecs.reserveCapacity(min(parts.count, 64))
        return withIovecs(0, &iovecs) { iovecs in
            iovecs.withUnsafeMutableBufferPointer { vectors in
                var message = msghdr()
                message.msg_iov = vectors.baseAddress
                message.msg_iovlen = vectors.count
                return sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            }
        }
    }

    private func waitFor(_ events: Int16, until deadline: Double) throws {
        let left = deadline - Sys.now()
        guard left > 0 else { throw SocketError.timedOut }
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        let result = poll(&pfd, 1, Int32(min(left * 1000, 1_000_000)) + 1)
        if result < 0 && errno != EINTR { throw SocketError.closed }
        if result == 0 && Sys.now() >= deadline { throw SocketError.timedOut }
        // POLLHUP / POLLERR: the next recv or send reports what happened.
    }
}
