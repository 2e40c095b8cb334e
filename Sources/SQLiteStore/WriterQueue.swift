import CSQLite
import Foundation

/// One unit of work for the writer thread. `work` is set to nil before the caller is woken:
/// `Database.write` lends it a non-escaping closure (withoutActuallyEscaping), which must
/// not outlive the call.
final class WriteJob {
    var work: ((Connection) throws -> Void)?
    /// Runs alone, outside any transaction (migrations manage their own).
    let exclusive: Bool
    var error: Error?
    let done = DispatchSemaphore(value: 0)

    init(exclusive: Bool, _ work: @escaping (Connection) throws -> Void) {
        self.exclusive = exclusive
        self.work = work
    }
}

/// A write that waited its whole budget for the writer without being started (the writer was
/// held by a long transaction or a deep queue). Nothing of it ran; it may be sent again.
public struct WriterBusy: Error, CustomStringConvertible {
    public let waited: Double
    /// Writes queued or running ahead of this one when it arrived.
    public let writesAhead: Int
    public var description: String {
        "the database writer did not start this write within \(waited) s (\(writesAhead) writes were ahead of it)"
    }
}

/// The single writer connection and the thread that owns it, with group commit: the thread
/// takes every pending job, runs them in one `BEGIN IMMEDIATE ... COMMIT`, each inside its own
/// SAVEPOINT, and wakes the callers only once COMMIT returned (synchronous=FULL: durable).
/// While one batch is being fsynced, the next one gathers.
final class WriterQueue {
    static let maxBatch = 1_000   // bounds how long the first job of a batch waits for its ack

    private let connection: Connection
    private let path: String
    private let condition = NSCondition()
    private var queue: [WriteJob] = []
    private var inFlight = 0        // taken by the writer, not yet acknowledged
    private var closing = false
    private var commits = 0
    private var threadKey: UInt = 0
    private let stopped = DispatchSemaphore(value: 0)
    /// Non-zero while a batch job runs. The authorizer then refuses BEGIN/COMMIT/ROLLBACK when
    /// they are prepared: a job ending the shared transaction would commit or discard its
    /// neighbours' work behind their backs. (So the writer's own transaction statements go
    /// through `execute`, never the statement cache.)
    private let insideJob = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    init(connection: Connection, path: String) {
        self.connection = connection
        self.path = path
        insideJob.initialize(to: 0)
        sqlite3_set_authorizer(connection.handle, { flag, action, _, _, _, _ in
            action == SQLITE_TRANSACTION && flag!.load(as: Int32.self) != 0 ? SQLITE_DENY : SQLITE_OK
        }, insideJob)
        let started = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            setThreadKey(currentThreadKey())
            started.signal()
            loop()
            setThreadKey(0)   // a later thread may get the same id; it is not the writer
            stopped.signal()
        }
        thread.name = "SQLiteStore writer"
        thread.start()
        started.wait()   // threadKey is set before anyone can ask isCurrentThread
    }

    deinit {
        connection.close()   // before the authorizer's flag goes away
        insideJob.deallocate()
    }

    var isCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return threadKey != 0 && threadKey == currentThreadKey()
    }

    private func setThreadKey(_ key: UInt) {
        condition.lock()
        threadKey = key
        condition.unlock()
    }

    /// Jobs submitted and not yet acknowledged.
    var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count + inFlight
    }

    /// Successful COMMITs of batches so far.
    var commitCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return commits
    }

    /// Enqueues `job` and blocks until it was committed (or failed). With a `budget` (seconds),
    /// a job the writer has not started within it is taken out of the queue again and
    /// `WriterBusy` is thrown: nothing of it ran. A job the writer has started is waited for.
    func submitAndWait(_ job: WriteJob, budget: Double? = nil) throws {
        defer { job.work = nil }   // also on the "closed" path, where the writer never saw it
        condition.lock()
        guard !closing else {
            condition.unlock()
            throw SQLiteError.misuse("database \(path) is closed")
        }
        queue.append(job)
        let waitingBefore = queue.count - 1 + inFlight
        condition.signal()
        condition.unlock()
        if let budget, job.done.wait(timeout: .now() + budget) == .timedOut {
            condition.lock()
            if let i = queue.firstIndex(where: { $0 === job }) {
                queue.remove(at: i)
                condition.unlock()
                throw WriterBusy(waited: budget, writesAhead: waitingBefore)
            }
            condition.unlock()
            job.done.wait()   // started meanwhile: its outcome is coming
        } else if budget == nil {
            job.done.wait()
        }
        if let error = job.error { throw error }
    }

    /// Runs the jobs already queued, then stops the thread. The connection stays open until
    /// `closeConnection`, so the database can close it last (the last close checkpoints the WAL).
    func stop() {
        condition.lock()
        let wasClosing = closing
        closing = true
        condition.signal()
        condition.unlock()
        guard !wasClosing else { return }
        stopped.wait()
    }

    func closeConnection() {
        stop()
        connection.close()
    }

    // MARK: writer thread

    private func loop() {
        while let batch = nextBatch() {
            if batch.count == 1 && batch[0].exclusive {
                run(exclusive: batch[0])
            } else {
                run(batch: batch)
            }
            finish(batch)
        }
    }

    /// Waits for work; takes everything pending up to the next exclusive job (which goes alone).
    private func nextBatch() -> [WriteJob]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !closing { condition.wait() }
        guard !queue.isEmpty else { return nil }
        var count = 1
        if !queue[0].exclusive {
            while count < queue.count && count < WriterQueue.maxBatch && !queue[count].exclusive { count += 1 }
        }
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        inFlight = count
        return batch
    }

    private func run(exclusive job: WriteJob) {
        do { try job.work?(connection) } catch { job.error = error }
        if connection.isInTransaction {   // the job forgot to end its transaction: do not leak it
            _ = try? connection.execute("ROLLBACK")
            if job.error == nil {
                job.error = SQLiteError.misuse("exclusive write left a transaction open; it was rolled back")
            }
        }
    }

    private func run(batch: [WriteJob]) {
        var next = 0
        while next < batch.count {
            do {
                try connection.execute("BEGIN IMMEDIATE")
            } catch {
                batch[next...].forEach { $0.error = error }
                return
            }
            var succeeded: [WriteJob] = []
            while next < batch.count {
                let job = batch[next]
                next += 1
                if runInSavepoint(job) { succeeded.append(job) }
                if !connection.isInTransaction {
                    // SQLite rolled back the whole transaction (I/O error, disk full,
                    // RAISE(ROLLBACK) in a trigger): the neighbours' work is gone too. Tell
                    // them; start afresh for the rest.
                    let lost = SQLiteError(code: 4 /* SQLITE_ABORT */, message:
                        "the transaction was rolled back by another write in the same batch; nothing was saved")
                    succeeded.forEach { $0.error = lost }
                    succeeded = []
                    break
                }
            }
            guard connection.isInTransaction else { continue }
            do {
                try connection.execute("COMMIT")
                condition.lock()
                commits += 1
                condition.unlock()
            } catch {
                if connection.isInTransaction { _ = try? connection.execute("ROLLBACK") }
                succeeded.forEach { $0.error = error }   // a failed job keeps its own error
            }
        }
    }

    /// Runs one job in its own savepoint; a throwing job is rolled back alone.
    private func runInSavepoint(_ job: WriteJob) -> Bool {
        guard let work = job.work else { return false }
        do {
            try connection.savepoint {
                insideJob.pointee = 1
                defer { insideJob.pointee = 0 }
                try work(connection)
                // A DEFERRABLE foreign key left dangling would only fail at COMMIT and take the
                // whole batch down; charge it to this job instead.
                if connection.deferredForeignKeyViolations > 0 {
                    throw SQLiteError(code: 19, extendedCode: SQLiteError.constraintForeignKey,
                                      message: "FOREIGN KEY constraint failed (deferred)")
                }
            }
            return true
        } catch let error as SQLiteError where error.code == SQLITE_AUTH {
            job.error = SQLiteError(code: error.code, extendedCode: error.extendedCode, message:
                "BEGIN, COMMIT and ROLLBACK are not allowed inside Database.write: the writer owns the "
                + "transaction (use conn.savepoint { } for a nested unit of work)", sql: error.sql)
            return false
        } catch {
            job.error = error
            return false
        }
    }

    /// Acknowledges the batch: depth drops before the callers wake, so `pendingWrites` is 0
    /// as soon as the last `write` returned.
    private func finish(_ batch: [WriteJob]) {
        batch.forEach { $0.work = nil }
        condition.lock()
        inFlight = 0
        condition.unlock()
        batch.forEach { $0.done.signal() }
    }
}
