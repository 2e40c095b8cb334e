import Glibc

/// Waits for SIGTERM or SIGINT with the self-pipe trick: the handler only writes one byte to a
/// pipe, which is async-signal-safe and works whichever thread the kernel picks.
///
/// Why not DispatchSource signal sources: on Linux libdispatch reads signals from a signalfd, which
/// only sees a signal if every thread has it blocked; the server's loop and worker threads exist
/// before the source is made, so a SIGTERM is often delivered to one of them and lost.
enum SignalWaiter {
    /// Write end of the pipe, read by the handler (set before the handler is installed).
    nonisolated(unsafe) static var writeFd: Int32 = -1

    /// Blocks until one of `signals` arrives; ignores them from then on (see below).
    static func wait(for signals: [Int32] = [SIGTERM, SIGINT]) -> Int32 {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return 0 }
        writeFd = fds[1]
        for number in signals {
            signal(number) { received in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: received)
                _ = Glibc.write(SignalWaiter.writeFd, &byte, 1)
                errno = saved
            }
        }
        var byte: UInt8 = 0
        while Glibc.read(fds[0], &byte, 1) < 0 && errno == EINTR {}
        // Ignored from now on, not back to the default: a supervisor often repeats the signal
        // (`litestream -exec` forwards it after the process group got it too), and the default
        // action would end the graceful shutdown, which is bounded by its own grace period,
        // before the log lines and the database are closed. SIGKILL still stops it at once.
        for number in signals { signal(number, SIG_IGN) }
        writeFd = -1
        Glibc.close(fds[0])
        Glibc.close(fds[1])
        return Int32(byte)
    }
}
