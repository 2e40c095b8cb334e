import Foundation
import Glibc

/// One accepted socket and the parser holding its unread bytes. At any moment it is owned by
/// exactly one thread: its event loop while a head or body is awaited and while an answer is
/// written, a worker while the responder runs (the worker never touches the socket). Ownership
/// moves through the loop's locked queue or the worker pool's queue.
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
        /// The loop writes `outgoing`; no request bytes are read meanwhile, so a pipelining peer
        /// that does not read its answers gets no further request admitted.
        case writing
    }

    let fd: Int32
    let remoteAddress: String
    /// The peer's address without the port: what the per-address connection cap counts.
    let clientAddress: String
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
    /// The most body the admission allowed for the request being gathered.
    var bodyLimit = Int.max
    /// The admission's `onEnd`, run once when the request is over.
    var admissionEnd: (() -> Void)?
    /// The answer the loop is writing (phase `.writing`).
    var outgoing: Outgoing?
    /// What the loop's epoll watches this socket for (0: not registered).
    var interest: UInt32 = 0
    /// A body arriving or an answer leaving may finish in the shutdown grace period.
    var finishesDuringShutdown: Bool { phase == .readingBody || phase == .writing }
    /// When the connection last went idle (the oldest idle ones go first when the table fills).
    var idleSince: Double = 0
    private let closeLock = NSLock()
    private var closed = false
    private let onClose: () -> Void

    init(fd: Int32, remoteAddress: String, clientAddress: String, loop: EventLoop, parser: HTTPParser,
         onClose: @escaping () -> Void) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.clientAddress = clientAddress
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
        if wasOpen {
            endAdmission()
            onClose()
        }
    }

    /// Runs the admission's `onEnd` if it has not run yet.
    func endAdmission() {
        let end = admissionEnd
        admissionEnd = nil
        end?()
    }

    /// Closes with a reset (SO_LINGER 0), so the peer sees a truncated answer, not a clean end.
    func abort() {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// Ends the connection for good once the shutdown grace period is over.
    func forceShutdown() {
        closeLock.locked {
            if !closed { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }
}
