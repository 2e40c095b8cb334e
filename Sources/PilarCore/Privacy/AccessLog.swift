import Foundation
import SQLiteStore

/// The personal-data access log (Migrations/0009): who saw which records' NIK, birth date or
/// phone unmasked, when, and through what. Reads must stay cheap, so an answer only notes its
/// entry in memory; the entries are written together in one transaction shortly after (within
/// `flushDelay`), or at once by the caller when many are waiting (the queue is bounded). The
/// data protection routes and the server's shutdown flush first. A `kill -9` can lose the
/// entries of the last `flushDelay`; a read is not a write, and its answer is not held for a commit.
public final class AccessLog {
    struct Entry {
        let at: String
        let tokenID: Int64?
        let actor: String
        let what: String
        let fields: [String]
        let records: [Int64]
    }

    /// The personal fields an access is logged for, in the order they are listed.
    public static let personalFields = ["nik", "birth_date", "phone"]
    static let flushDelay: DispatchTimeInterval = .milliseconds(200)
    /// Record ids waiting before the caller writes them itself.
    static let maxPendingRecords = 50_000

    private let db: Database
    private let clock: Clock
    private let lock = NSLock()
    private var pending: [Entry] = []
    private var pendingRecords = 0
    private var scheduled = false
    private let queue = DispatchQueue(label: "pilar.access-log")
    /// One writer of batches at a time, so entries are written in the order they were noted.
    private let writing = NSLock()

    init(db: Database, clock: Clock) {
        self.db = db
        self.clock = clock
    }

    /// Notes that `caller` was shown these records; only the records with an unmasked personal
    /// field count. `what` says what was asked, in the service's words ("record", "export").
    func shown(_ records: [PSKSRecord], masked: (PSKSRecord) -> Bool, to caller: Caller, what: String) {
        var fields = Set<String>()
        var ids: [Int64] = []
        for r in records where !masked(r) {
            let has = Self.personalFields.filter { r.text($0) != nil }
            if has.isEmpty { continue }
            fields.formUnion(has)
            ids.append(r.id)
        }
        guard !ids.isEmpty else { return }
        let entry = Entry(at: Clock.timestamp(clock.now()), tokenID: caller.tokenID, actor: caller.name, what: what,
                          fields: Self.personalFields.filter(fields.contains), records: ids)
        lock.lock()
        pending.append(entry)
        pendingRecords += ids.count
        let full = pendingRecords >= Self.maxPendingRecords
        let schedule = !scheduled && !full
        if schedule { scheduled = true }
        lock.unlock()
        if full {
            flush()
        } else if schedule {
            queue.asyncAfter(deadline: .now() + Self.flushDelay) { [weak self] in self?.flush() }
        }
    }

    /// Writes every noted entry now.
    public func flush() {
        writing.lock()
        defer { writing.unlock() }
        lock.lock()
        let batch = pending
        pending.removeAll()
        pendingRecords = 0
        scheduled = false
        lock.unlock()
        guard !batch.isEmpty else { return }
        do {
            try db.write { c in
                for e in batch {
                    try c.run("""
                        INSERT INTO personal_data_reads (at, token_id, actor, what, fields, record_count) VALUES (?, ?, ?, ?, ?, ?)
                        """, e.at, e.tokenID, e.actor, e.what, e.fields.joined(separator: ","), e.records.count)
                    let read = c.lastInsertRowID
                    for id in Set(e.records) {
                        try c.run("INSERT INTO personal_data_read_records (psks_id, read_id) VALUES (?, ?)", id, read)
                    }
                }
            }
        } catch {
            // Kept for the next flush rather than lost (the database may be briefly busy).
            lock.lock()
            if pendingRecords < 4 * Self.maxPendingRecords {  // bounded, should the database stay unwritable
                pending = batch + pending
                pendingRecords += batch.reduce(0) { $0 + $1.records.count }
            }
            lock.unlock()
        }
    }
}
