import Foundation
import PilarCore

/// How many CSV exports may stream at once: a few per token and a few in all. An export is
/// paced by its client (a slow reader keeps it open for minutes), so without a limit one token
/// could keep every handler busy with downloads; and exports that stream fast read batch after
/// batch, so fewer may run than there are database readers (4), leaving one for lists and
/// reports. Beyond the limit the caller gets 429 (its own
/// exports) or 503 (everyone's), both with Retry-After, before any database work.
final class ExportSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var places: Places
    var perToken: Int { places.perToken }
    var total: Int { places.total }

    init(perToken: Int = 2, total: Int = 3) {
        places = Places(perToken: perToken, total: total)
    }

    /// A slot for `caller`, held until the ticket is released or dropped (a response that is
    /// never sent, like the answer to HEAD, frees its slot when it is freed).
    func claim(for caller: Caller) throws -> Ticket {
        let key = caller.tokenID ?? 0
        lock.lock()
        defer { lock.unlock() }
        switch places.claim(key) {
        case .perToken?:
            throw PilarError.busy(.tooManyRequests, code: "too_many_exports", retryAfter: 10, ["limit": .int(perToken)])
        case .total?:
            throw PilarError.busy(.unavailable, code: "exports_busy", retryAfter: 10, ["running": .int(total)])
        case nil:
            return Ticket(slots: self, key: key)
        }
    }

    fileprivate func release(_ key: Int64) {
        lock.lock()
        places.release(key)
        lock.unlock()
    }

    /// Exports streaming now (for tests and /metrics).
    var inFlight: Int { lock.lock(); defer { lock.unlock() }; return places.all }

    final class Ticket: @unchecked Sendable {
        private let slots: ExportSlots
        private let key: Int64
        private let lock = NSLock()
        private var held = true

        fileprivate init(slots: ExportSlots, key: Int64) {
            self.slots = slots
            self.key = key
        }

        func release() {
            lock.lock()
            let was = held
            held = false
            lock.unlock()
            if was { slots.release(key) }
        }

        deinit { release() }
    }
}
