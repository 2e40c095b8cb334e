import Foundation

/// Answers that are expensive to compute and the same for everyone who asks the same question
/// of the same data (the dashboards): each is computed once per key, kept while there is room,
/// and requests for a key that is being computed wait for that computation instead of starting
/// their own. The key must name everything the answer depends on (the stats version among it),
/// so an entry never needs invalidating: a write makes a new key and the old entry ages out.
///
/// Bounded: at most `maxEntries` entries and `maxBytes` bytes in all, the least recently used
/// dropped first; an answer larger than `maxEntryBytes` is handed to its waiters but not kept.
public final class SingleFlightCache: @unchecked Sendable {
    public let maxEntries: Int
    public let maxBytes: Int
    public let maxEntryBytes: Int

    private final class Flight {
        var done = false
        var value: [UInt8]?
        var error: Error?
    }

    private let condition = NSCondition()
    private var entries: [String: (value: [UInt8], used: UInt64)] = [:]
    private var flights: [String: Flight] = [:]
    private var bytes = 0
    private var clock: UInt64 = 0
    private var computed = 0

    public init(maxEntries: Int = 256, maxBytes: Int = 64 << 20, maxEntryBytes: Int = 16 << 20) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        self.maxEntryBytes = maxEntryBytes
    }

    /// The answer for `key`: kept, being computed by another thread (waited for), or computed
    /// here. A computation that fails fails for its waiters too; the next request tries again.
    public func value(_ key: String, compute: () throws -> [UInt8]) throws -> [UInt8] {
        condition.lock()
        clock += 1
        if let hit = entries[key] {
            entries[key] = (hit.value, clock)
            condition.unlock()
            return hit.value
        }
        if let flight = flights[key] {
            while !flight.done { condition.wait() }
            condition.unlock()
            if let value = flight.value { return value }
            throw flight.error ?? CancellationError()
        }
        let flight = Flight()
        flights[key] = flight
        computed += 1
        condition.unlock()

        let result = Result { try compute() }
        condition.lock()
        flight.done = true
        flights[key] = nil
        switch result {
        case .success(let value):
            flight.value = value
            if value.count <= maxEntryBytes { store(key, value) }
        case .failure(let error):
            flight.error = error
        }
        condition.broadcast()
        condition.unlock()
        return try result.get()
    }

    /// Under the lock: keeps `value`, dropping the least recently used entries to make room.
    private func store(_ key: String, _ value: [UInt8]) {
        if let old = entries[key] { bytes -= old.value.count }
        entries[key] = (value, clock)
        bytes += value.count
        while entries.count > maxEntries || bytes > maxBytes,
              let oldest = entries.min(by: { $0.value.used < $1.value.used }) {
            bytes -= oldest.value.value.count
            entries[oldest.key] = nil
        }
    }

    /// How many computations have started (tests and /metrics: hits are requests minus these).
    public var computations: Int { condition.lock(); defer { condition.unlock() }; return computed }

    /// Entries and bytes kept now.
    public var size: (entries: Int, bytes: Int) { condition.lock(); defer { condition.unlock() }; return (entries.count, bytes) }
}
