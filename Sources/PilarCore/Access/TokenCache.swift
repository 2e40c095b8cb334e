import Foundation
import SQLiteStore

/// Recently verified tokens by id: dashboards poll many times a second, and a database read
/// per request would cost more than the answer. The secret is still checked against the
/// stored hash on every request.
///
/// A revocation anywhere (this server, or the `pilar` CLI in another process) moves
/// `tokens_version` (Migrations/0008) in the same commit. Every commit rewrites the WAL-index
/// header, so the cache is trusted only while that header is what it was when the version
/// was last read; after any commit the next request reads the one-row version first, and a
/// new version empties the cache. A revoked token therefore fails on the very next request,
/// whichever process revoked it. `lifetime` is a backstop should the header ever not move.
final class TokenCache {
    struct Entry {
        let hash: [UInt8]
        let caller: Caller
        /// Monotonic nanoseconds after which the entry is read again.
        let until: UInt64
        /// When the token stops working (nil: never).
        let expiresAt: Date?
    }

    static let lifetime: UInt64 = 60_000_000_000
    static let maxEntries = 10_000

    private let lock = NSLock()
    private var entries: [Int64: Entry] = [:]
    private var version: Int64 = -1
    private var fingerprint: [UInt8]?
    /// Bumped whenever entries are dropped; a lookup that started before it is not cached.
    private(set) var generation = 0

    private static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Makes the cache agree with the database: unchanged WAL-index header, or else the
    /// version read again (and the cache emptied if it moved). Call before using entries.
    func revalidate(_ watch: CommitWatch, readVersion: () throws -> Int64) throws {
        let seen = watch.fingerprint()
        lock.lock()
        let trusted = seen != nil && seen == fingerprint
        lock.unlock()
        if trusted { return }
        let v = try readVersion()
        lock.lock()
        if v > version {
            entries.removeAll()
            generation += 1
            version = v
            fingerprint = seen
        } else if v == version {
            fingerprint = seen
        }
        lock.unlock()
    }

    /// The entry when it is still good and nothing was committed since the cache was checked
    /// (for answers given on the event loop, which must not read the database).
    func trustedEntry(_ id: Int64, _ watch: CommitWatch, at date: Date) -> Entry? {
        guard let seen = watch.fingerprint() else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard seen == fingerprint else { return nil }
        return usable(entries[id], at: date)
    }

    func entry(_ id: Int64, at date: Date) -> (Entry?, Int) {
        lock.lock()
        defer { lock.unlock() }
        return (usable(entries[id], at: date), generation)
    }

    private func usable(_ e: Entry?, at date: Date) -> Entry? {
        guard let e, e.until > Self.now, e.expiresAt.map({ $0 > date }) ?? true else { return nil }
        return e
    }

    func store(_ id: Int64, hash: [UInt8], caller: Caller, expiresAt: Date?, ifGeneration g: Int) {
        lock.lock()
        if entries.count >= Self.maxEntries { entries.removeAll() }  // bound memory against many ids
        if g == generation {
            entries[id] = Entry(hash: hash, caller: caller, until: Self.now &+ Self.lifetime, expiresAt: expiresAt)
        }
        lock.unlock()
    }

    /// After a revocation by this process commits: no lookup can cache the old state again.
    func forget(_ ids: [Int64]) {
        lock.lock()
        for id in ids { entries[id] = nil }
        generation += 1
        lock.unlock()
    }
}

/// When each token was last used, to the minute, kept off the request path: a use is noted in
/// memory (at most once per `interval` per token) and all noted uses are written together in
/// one small transaction at most once per `interval`. One write a minute, not one per request:
/// every commit also makes the answers given from memory on the event loop (token cache, stats
/// 304s) check the database again.
final class TokenUseRecorder {
    static let interval: UInt64 = 60_000_000_000
    private let lock = NSLock()
    private var recorded: [Int64: UInt64] = [:]
    private var pending: [Int64: String] = [:]
    private var scheduled = false
    private let queue = DispatchQueue(label: "pilar.token-use")

    func used(_ id: Int64, at date: Date, db: Database) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        defer { lock.unlock() }
        if let last = recorded[id], now &- last < Self.interval { return }
        if recorded.count >= TokenCache.maxEntries { recorded.removeAll() }  // bounded
        recorded[id] = now
        pending[id] = Clock.timestamp(date)
        if !scheduled {
            scheduled = true
            queue.asyncAfter(deadline: .now() + .nanoseconds(Int(Self.interval))) { [weak self] in self?.write(db) }
        }
    }

    private func write(_ db: Database) {
        lock.lock()
        let batch = pending
        pending.removeAll()
        scheduled = false
        lock.unlock()
        guard !batch.isEmpty else { return }
        // Not pilar.write: bookkeeping of the tokens, not a change of Pilar's data.
        _ = try? db.write { c in
            for (id, at) in batch { try TokenStore.used(c, id, at: at) }
        }
    }

    /// Writes the noted uses now (tests, and the server as it stops).
    func flush(_ db: Database) { queue.sync { write(db) } }
}
