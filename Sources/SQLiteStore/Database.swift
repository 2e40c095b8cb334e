import CSQLite
import Foundation

/// A SQLite database file in WAL mode: one writer connection on its own thread (group commit)
/// and a pool of read-only reader connections, so reads never wait for writes.
public final class Database {
    public let path: String
    public let checkpoints: CheckpointPolicy
    private let writer: WriterQueue
    private let readers: ReaderPool

    /// Opens (or creates) the file. `readers` read-only connections are opened after the writer
    /// has created the file and switched it to WAL, plus `reservedReaders` more that only
    /// `readPriority` uses.
    /// `busyTimeoutMilliseconds` is how long a connection waits for a lock held by another
    /// process (the `pilar` CLI, Litestream's brief write lock while it checkpoints).
    public init(path: String, readers: Int = 4, reservedReaders: Int = 1, busyTimeoutMilliseconds: Int = 5_000,
                checkpoints: CheckpointPolicy = .sqlite) throws {
        precondition(readers >= 1, "Database needs at least one reader connection")
        self.path = path
        self.checkpoints = checkpoints
        let writerConnection = try Connection(
            path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
            busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        let mode = try writerConnection.queryOne("PRAGMA journal_mode=WAL")?.string(0)
        guard mode == "wal" else {
            throw SQLiteError(code: SQLITE_ERROR, message:
                "\(path) cannot use WAL (journal_mode is \(mode ?? "unknown")); in-memory databases are not supported")
        }
        // Switching a new file to WAL writes its first page, so read-only readers can open it.
        try Database.configure(writerConnection)
        // Only the writer commits, so only its setting decides when SQLite checkpoints.
        try writerConnection.execute("PRAGMA wal_autocheckpoint = \(checkpoints.autoCheckpointPages)")

        var pool: [Connection] = []
        for _ in 0..<(readers + max(reservedReaders, 0)) {
            let reader = try Connection(path: path, flags: SQLITE_OPEN_READONLY,
                                        busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            try Database.configure(reader)
            pool.append(reader)
        }
        self.writer = WriterQueue(connection: writerConnection, path: path)
        self.readers = ReaderPool(Array(pool.prefix(readers)), reserved: Array(pool.dropFirst(readers)), path: path)
    }

    deinit { close() }

    private static func configure(_ connection: Connection) throws {
        try connection.execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL")
        guard try connection.queryOne("PRAGMA foreign_keys")?.int(0) == 1 else {
            throw SQLiteError(code: SQLITE_ERROR, message: "this SQLite cannot enforce foreign keys")
        }
    }

    // MARK: reading and writing

    /// A reader from the pool (blocks while all are busy), inside a read transaction
    /// (BEGIN/COMMIT) so the body sees one consistent snapshot. Writes fail with SQLITE_READONLY.
    /// A `read` nested in a `read` on the same thread reuses the outer connection and snapshot.
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try readers.read(body)
    }

    /// A `read` that may also use the reserved readers, for short reads the whole service
    /// depends on (a token check on a cache miss, the health check): they go on while long
    /// reads hold every ordinary reader. Keep these bodies to a few indexed rows.
    public func readPriority<T>(_ body: (Connection) throws -> T) throws -> T {
        try readers.read(priority: true, body)
    }

    /// Runs `body` on the writer inside a transaction (group commit), returns after COMMIT.
    /// If body throws, its changes are rolled back and the error is rethrown to the caller;
    /// other writes in the same batch are not affected.
    ///
    /// The body runs on the writer thread, inside its own SAVEPOINT of a shared transaction:
    /// BEGIN/COMMIT/ROLLBACK in it are refused (SQLITE_AUTH), a `read` in it does not see its
    /// uncommitted changes, and a `write` in it stops the process (it would wait for itself).
    @discardableResult
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try submit(exclusive: false, budget: writeWaitBudget, body)
    }

    /// As `write`, with its own wait budget (nil: wait for the writer however long it takes,
    /// for work that already holds its caller's place, like the later batches of an import).
    @discardableResult
    public func write<T>(waitingAtMost budget: Double?, _ body: (Connection) throws -> T) throws -> T {
        try submit(exclusive: false, budget: budget, body)
    }

    /// How long `write` waits for the writer to start it before throwing `WriterBusy` (seconds;
    /// nil: no limit, the default for tools). A server sets it so a handler thread is never held
    /// behind a long transaction: its caller gets "busy, retry" instead.
    public var writeWaitBudget: Double? {
        get { budgetLock.lock(); defer { budgetLock.unlock() }; return budget }
        set { budgetLock.lock(); budget = newValue; budgetLock.unlock() }
    }
    private let budgetLock = NSLock()
    private var budget: Double?

    /// Runs `body` alone on the writer thread with no transaction open (for work that needs
    /// its own transactions, like migrations). Any transaction left open is rolled back.
    func writeExclusive<T>(_ body: (Connection) throws -> T) throws -> T {
        try submit(exclusive: true, budget: nil, body)
    }

    private func submit<T>(exclusive: Bool, budget: Double?, _ body: (Connection) throws -> T) throws -> T {
        // fatalError, not precondition: its message is printed in release builds too.
        if writer.isCurrentThread {
            fatalError("""
                Database.write called from inside a write body on \(path): the writer thread would wait \
                for itself forever. Use the Connection the body was given (and conn.savepoint { } for a \
                nested unit of work).
                """)
        }
        return try withoutActuallyEscaping(body) { body in
            var result: T?
            try writer.submitAndWait(WriteJob(exclusive: exclusive) { connection in
                result = try body(connection)
            }, budget: budget)
            return result!
        }
    }

    /// Write jobs submitted and not yet acknowledged (for /metrics). 0 when idle.
    public var pendingWrites: Int { writer.depth }

    /// Batches committed so far. Fewer than the writes when group commit shares transactions.
    public var commitCount: Int { writer.commitCount }

    /// Finishes queued writes and running reads, then closes every connection (the writer last,
    /// so the WAL is checkpointed into the main file). Later reads and writes throw SQLITE_MISUSE.
    public func close() {
        if writer.isCurrentThread || readers.isHeldByCurrentThread {
            fatalError("Database.close called from inside a read or write body on \(path): it would wait for itself")
        }
        writer.stop()             // drains queued writes (which may still read)
        readers.close()
        writer.closeConnection()  // last: SQLite then checkpoints and removes the WAL
    }

    // MARK: backup

    /// Copies the database to a new file with SQLite's online backup API, from a reader
    /// connection in one step: the copy is one committed state, and writes go on meanwhile.
    /// Refuses to overwrite an existing file.
    public func backup(to destination: String) throws {
        // O_EXCL claims the name atomically, so an existing file is never touched.
        let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL, 0o600)  // it holds every NIK
        guard fd >= 0 else {
            let reason = errno == EEXIST ? "it already exists; refusing to overwrite" : String(cString: strerror(errno))
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "cannot back up to \(destination): \(reason)")
        }
        Foundation.close(fd)
        var finished = false
        defer { if !finished { unlink(destination) } }

        try readers.withConnection { source, _ in
            let target = try Connection(path: destination, flags: SQLITE_OPEN_READWRITE, busyTimeoutMilliseconds: 5_000)
            defer { target.close() }
            guard let backup = sqlite3_backup_init(target.handle, "main", source.handle, "main") else {
                let error = SQLiteError(connection: target.handle, resultCode: sqlite3_errcode(target.handle), sql: nil)
                throw SQLiteError(code: error.code, extendedCode: error.extendedCode,
                                  message: "backup to \(destination): \(error.message)")
            }
            // -1: all pages in one step, under one read lock: one snapshot, never restarted.
            let step = sqlite3_backup_step(backup, -1)
            let end = sqlite3_backup_finish(backup)
            guard step == SQLITE_DONE, end == SQLITE_OK else {
                let code = step == SQLITE_DONE ? end : step
                throw SQLiteError(code: code, message: "backup to \(destination) failed: \(String(cString: sqlite3_errstr(code)))")
            }
        }
        finished = true
    }
}

// Every entry point is safe to call from any thread (the writer queue and the reader pool lock).
extension Database: @unchecked Sendable {}
