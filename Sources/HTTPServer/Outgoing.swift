import Glibc

/// An answer on its way out. The event loop owning the connection writes it with non-blocking
/// sends whenever the socket has room: first `parts` (head and a fixed body), then a streamed
/// body from its spool, or a pulled body piece by piece as a worker makes each, so a slow
/// reader costs its own connection's buffer and nothing else.
final class Outgoing {
    enum Progress {
        case finished, blocked, failed
        /// The socket has room but the next pulled piece is not made yet: `pulled.produce()`
        /// must run on a worker (`startPiece`) or is running (`waitingForPiece`).
        case startPiece, waitingForPiece
    }

    private var parts: [[UInt8]]
    private var offset = 0  // into parts[0]
    private let spool: BodySpool?
    /// A `.pull` body; nil once its end went out.
    private(set) var pulled: PulledBody?
    let keepAlive: Bool
    /// When the worker handed the answer over (the write budget counts from here).
    let started: Double
    /// Runs once the answer is over, with the bytes written and whether all of them went out.
    let completion: (Int, Bool) -> Void
    private(set) var sent = 0
    /// When the peer last took a byte.
    private(set) var lastProgress: Double

    init(parts: [[UInt8]], spool: BodySpool? = nil, pulled: PulledBody? = nil, keepAlive: Bool, started: Double,
         completion: @escaping (Int, Bool) -> Void) {
        self.parts = parts.filter { !$0.isEmpty }
        self.spool = spool
        self.pulled = pulled
        self.keepAlive = keepAlive
        self.started = started
        self.lastProgress = started
        self.completion = completion
    }

    /// Sends until done, until the socket is full, or until it fails.
    func write(to fd: Int32) -> Progress {
        while true {
            if parts.isEmpty, let pulled {
                switch pulled.take() {
                case .piece(let bytes):
                    parts = pulled.chunked ? [Array((String(bytes.count, radix: 16) + "\r\n").utf8), bytes, [13, 10]] : [bytes]
                case .end:
                    self.pulled = nil
                    if pulled.chunked { parts = [Array("0\r\n\r\n".utf8)] }
                case .failed: return .failed
                case .produce: return .startPiece
                case .wait: return .waitingForPiece
                }
                continue
            }
            if parts.isEmpty {
                let piece: [UInt8]?
                do { piece = try spool?.next() } catch { return .failed }
                guard let piece else { return .finished }
                if !piece.isEmpty { parts = [piece] }
                continue
            }
            let n = Self.send(fd, parts, firstOffset: offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno == EAGAIN || errno == EWOULDBLOCK ? .blocked : .failed
            }
            sent += n
            if n > 0 { lastProgress = Sys.now() }
            var remaining = n
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

    /// The answer will not be finished: a pulled body makes no more pieces.
    func cancel() { pulled?.cancel() }

    /// One gathering sendmsg of up to 64 parts.
    private static func send(_ fd: Int32, _ parts: [[UInt8]], firstOffset: Int) -> Int {
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
}
