import Foundation

/// How far an import has read its file: rows read and the share of the file behind them.
/// The import's thread writes it every few rows; a status request reads it from another thread.
public final class ImportProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var rows = 0
    private var fraction = 0.0

    public init() {}

    /// Called by the reader for each row it hands out; the lock is taken every 64 rows only.
    func advance(_ rowsRead: Int, fraction read: @autoclosure () -> Double) {
        guard rowsRead % 64 == 0 else { return }
        let f = read()
        lock.lock()
        rows = rowsRead
        fraction = f
        lock.unlock()
    }

    /// Marks the whole file read.
    func finish(_ rowsRead: Int) {
        lock.lock()
        rows = rowsRead
        fraction = 1
        lock.unlock()
    }

    public var snapshot: (rows: Int, fraction: Double) {
        lock.lock()
        defer { lock.unlock() }
        return (rows, fraction)
    }
}
