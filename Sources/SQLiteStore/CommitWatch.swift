import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells, without a connection and without blocking, whether any process may have committed
/// to the database since a moment: it reads the WAL-index header at the start of the `-shm`
/// file (sqlite.org/walformat.html, "the WAL-index header"), which every commit rewrites
/// (its change counter, frame count and checksums). Used by answers given on an event loop,
/// which must not touch the database.
public final class CommitWatch {
    private let shmPath: String
    private let lock = NSLock()
    private var fd: Int32 = -1

    public init(databasePath: String) { shmPath = databasePath + "-shm" }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// The two copies of the header as they are now; nil when the file cannot be read (then
    /// nothing can be known and callers must ask the database). Read it *before* reading
    /// from the database: a fingerprint equal to a later one then means no commit between.
    public func fingerprint() -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        if fd < 0 {
            // The server keeps connections open, so SQLite never removes or recreates the file
            // while this descriptor lives.
            fd = open(shmPath, O_RDONLY | O_CLOEXEC)
            if fd < 0 { return nil }
        }
        var bytes = [UInt8](repeating: 0, count: 96)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 96, 0) }
        return n == 96 ? bytes : nil
    }
}
