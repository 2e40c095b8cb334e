import Foundation

/// A fixed set of read-only connections. `read` blocks while all are busy. A read nested in a
/// read on the same thread gets the same connection (same snapshot) instead of a second one,
/// which could deadlock once the pool is exhausted.
///
/// Some connections are reserved for priority reads (token checks, the health check): ordinary
/// reads never take them, so a burst of exports or dashboards that holds every ordinary reader
/// cannot stop the service from recognising its callers. A priority read takes a reserved
/// connection first and an ordinary one when the reserved are busy.
final class ReaderPool {
    private let condition = NSCondition()
    private var idle: [Connection]
    private var reservedIdle: [Connection]
    private let all: [Connection]
    private var borrowed: [UInt: Connection] = [:]   // thread -> connection it holds
    private var closed = false
    private let path: String

    init(_ connections: [Connection], reserved: [Connection] = [], path: String) {
        idle = connections
        reservedIdle = reserved
        all = connections + reserved
        self.path = path
    }

    /// Runs `body` inside BEGIN ... COMMIT so every query in it sees one snapshot.
    func read<T>(priority: Bool = false, _ body: (Connection) throws -> T) throws -> T {
        try withConnection(priority: priority) { connection, nested in
            if nested { return try body(connection) }
            try connection.run("BEGIN")
            do {
                let result = try body(connection)
                try connection.run("COMMIT")
                return result
            } catch {
                if connection.isInTransaction { _ = try? connection.run("ROLLBACK") }
                throw error
            }
        }
    }

    /// A connection with no transaction opened for the caller (backup opens its own).
    func withConnection<T>(priority: Bool = false, _ body: (Connection, _ nested: Bool) throws -> T) throws -> T {
        let thread = currentThreadKey()
        condition.lock()
        if let mine = borrowed[thread] {
            condition.unlock()
            return try body(mine, true)
        }
        while idle.isEmpty && (!priority || reservedIdle.isEmpty) && !closed { condition.wait() }
        guard !closed else {
            condition.unlock()
            throw SQLiteError.misuse("database \(path) is closed")
        }
        let reserved = priority && !reservedIdle.isEmpty
        let connection = reserved ? reservedIdle.removeLast() : idle.removeLast()
        borrowed[thread] = connection
        condition.unlock()
        defer {
            condition.lock()
            borrowed[thread] = nil
            if reserved { reservedIdle.append(connection) } else { idle.append(connection) }
            condition.broadcast()
            condition.unlock()
        }
        return try body(connection, false)
    }

    var isHeldByCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return borrowed[currentThreadKey()] != nil
    }

    /// Refuses new reads, waits for the running ones, then closes every connection.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        while idle.count + reservedIdle.count < all.count { condition.wait() }
        condition.unlock()
        all.forEach { $0.close() }
    }
}
