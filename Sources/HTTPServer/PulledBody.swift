import Foundation

/// The body of a `.pull` answer on its way out. The handler's producer is called on a worker
/// for one piece at a time, and only once the piece before has left: at most one piece per
/// connection waits in memory, nothing is spooled, the first bytes leave as soon as the first
/// piece is made, and a reader that stops costs its own connection and nothing more (no worker
/// waits for it, and a producer reading the database holds no transaction between pieces).
final class PulledBody {
    enum Take {
        case piece([UInt8])
        case end
        case failed
        /// Nothing is ready: run `produce` on a worker, then flush again.
        case produce
        /// A worker is making the next piece.
        case wait
    }

    private enum State { case idle, producing, ready([UInt8]), ended, failed }
    private let lock = NSLock()
    private var state = State.idle
    private var producer: (() throws -> [UInt8]?)?
    let chunked: Bool

    init(chunked: Bool, producer: @escaping () throws -> [UInt8]?) {
        self.chunked = chunked
        self.producer = producer
    }

    /// What the loop can send now.
    func take() -> Take {
        lock.locked {
            switch state {
            case .idle:
                state = .producing
                return .produce
            case .producing: return .wait
            case .ready(let piece):
                state = .idle
                return .piece(piece)
            case .ended: return .end
            case .failed: return .failed
            }
        }
    }

    /// On a worker: makes the next piece (empty ones are skipped). A producer that ended or
    /// threw is let go at once, with whatever it holds.
    func produce() {
        guard let produce = lock.locked({ producer }) else { return }
        var result: State
        do {
            var piece: [UInt8]? = []
            while let p = piece, p.isEmpty { piece = try produce() }
            result = piece.map(State.ready) ?? .ended
        } catch {
            result = .failed
        }
        lock.locked {
            guard case .producing = state else { return }  // cancelled meanwhile
            state = result
            if case .ready = result { return }
            producer = nil
        }
    }

    /// The answer was abandoned (reset, timed out, shut down): no more pieces.
    func cancel() {
        lock.locked {
            state = .failed
            producer = nil
        }
    }
}
