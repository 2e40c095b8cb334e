import Foundation
import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// Where log lines go: callers only append to a bounded in-memory queue (a lock, an array
/// append, no formatting, no system call), and one dedicated thread formats the pending
/// lines into one buffer and writes it with a single write(2). A request therefore never waits
/// for the terminal, a pipe or a disk. When the sink cannot keep up and the queue is full,
/// lines are dropped and counted (`pilar_log_lines_dropped_total` in /metrics), never silently.
public final class LogSink {
    enum Pending {
        case request(AccessLogEntry, at: Double)
        case message(level: StaticString, text: String, at: Double)
    }

    private let fd: Int32
    /// Bounds the queue: lines waiting to be written, and their bytes (paths may be long).
    private let maxLines: Int
    private let maxBytes: Int
    private let condition = NSCondition()
    private var pending: [Pending] = []
    private var pendingBytes = 0
    private var writing = false      // the writer holds lines it has taken but not yet written
    private var idle = false         // the writer sleeps until a line comes
    private var hurry = false        // flush() or close() waits: write without gathering
    /// The writer lets a batch gather this long (or up to `wakeAt` lines) before it writes, so a
    /// busy server wakes it about 50 times a second instead of once per request.
    static let gather = 0.02
    static let wakeAt = 256
    private var dropped = 0
    private var closing = false
    private let stopped = DispatchSemaphore(value: 0)

    /// `fd` stays owned by the caller (standard error by default) and is never closed here.
    public init(fd: Int32 = 2, maxLines: Int = 65_536, maxBytes: Int = 16 << 20) {
        self.fd = fd
        self.maxLines = maxLines
        self.maxBytes = maxBytes
        let thread = Thread { [self] in
            writeLoop()
            stopped.signal()
        }
        thread.name = "pilar log writer"
        thread.start()
    }

    /// One line for an answered request. Cheap: called on the event loop and on handler threads.
    public func request(_ e: AccessLogEntry) {
        let size = 160 + e.path.utf8.count + e.method.utf8.count + (e.routePattern?.utf8.count ?? 0)
            + e.requestID.utf8.count + e.remoteAddress.utf8.count
        enqueue(.request(e, at: Self.wallClock()), size: size)
    }

    public func message(_ level: StaticString, _ text: String) {
        enqueue(.message(level: level, text: text, at: Self.wallClock()), size: 64 + text.utf8.count)
    }

    /// Lines dropped because the queue was full (the sink did not keep up).
    public var droppedLines: Int {
        condition.lock()
        defer { condition.unlock() }
        return dropped
    }

    /// The drop counter in Prometheus text format, for /metrics.
    public var metricsText: String {
        "# HELP pilar_log_lines_dropped_total Log lines dropped because the log sink could not keep up.\n"
            + "# TYPE pilar_log_lines_dropped_total counter\npilar_log_lines_dropped_total \(droppedLines)\n"
    }

    /// Waits until every line queued so far was written, at most `timeout` seconds (a sink
    /// that never drains, like a pipe nobody reads, must not hold up shutdown for ever).
    @discardableResult
    public func flush(timeout: Double = 2) -> Bool {
        let limit = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        hurry = true
        defer { hurry = false }
        condition.broadcast()
        while !pending.isEmpty || writing {
            if !condition.wait(until: limit) { return false }
        }
        return true
    }

    /// Writes what is queued (within `flush`'s bound) and stops the writer thread.
    public func close() {
        flush()
        condition.lock()
        let was = closing
        closing = true
        condition.broadcast()
        condition.unlock()
        if !was { stopped.wait() }
    }

    private func enqueue(_ item: Pending, size: Int) {
        condition.lock()
        if closing || pending.count >= maxLines || pendingBytes + size > maxBytes {
            dropped += 1
        } else {
            pending.append(item)
            pendingBytes += size
            // Only a sleeping writer needs waking; one that is gathering wakes on its own.
            if (idle && pending.count == 1) || pending.count == Self.wakeAt { condition.broadcast() }
        }
        condition.unlock()
    }

    private func writeLoop() {
        var taken: [Pending] = []
        var out: [UInt8] = []
        var format = LogLineFormat()
        while true {
            condition.lock()
            while pending.isEmpty && !closing {
                idle = true
                condition.wait()
                idle = false
            }
            if pending.isEmpty && closing {
                condition.unlock()
                return
            }
            let until = Date(timeIntervalSinceNow: Self.gather)
            while pending.count < Self.wakeAt && !hurry && !closing && condition.wait(until: until) {}
            swap(&taken, &pending)
            pendingBytes = 0
            writing = true
            condition.unlock()

            out.removeAll(keepingCapacity: true)
            for item in taken { format.append(item, to: &out) }
            taken.removeAll(keepingCapacity: true)
            writeAll(out)

            condition.lock()
            writing = false
            condition.broadcast()   // flush() waiters
            condition.unlock()
            if out.capacity > 4 << 20 { out = [] }   // a burst's buffer is not kept for ever
        }
    }

    /// A write error (a closed pipe, a full disk) loses these lines: nothing else can be done
    /// with a log that cannot be written, and the server must go on.
    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    static func wallClock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
