import Foundation

/// The name of one version of what a reader was shown: it changes whenever that changes
/// (content, status, masking). Opaque to callers; PilarAPI sends it as a strong entity-tag.
public struct VersionTag: Hashable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { value }
}

/// What a writer expects of the record it changes, checked inside the write's transaction so
/// two writers holding the same version cannot both win (a lost update is refused instead).
public enum ExpectedVersion: Equatable {
    /// No expectation: the write applies to whatever is current.
    case anything
    /// Some version must exist (the writer does not care which).
    case existing
    /// No version may exist yet: create only.
    case absent
    /// The current version must be one of these (none of them: the write is always refused).
    case oneOf([VersionTag])

    /// Whether the write may go ahead when `current` is the record's version (nil: no record).
    public func admits(_ current: VersionTag?) -> Bool {
        switch self {
        case .anything: return true
        case .existing: return current != nil
        case .absent: return current == nil
        case .oneOf(let tags): return current.map(tags.contains) ?? false
        }
    }

    /// The refusal when `admits` is false: the record moved on (or does not exist, or does).
    /// `current` goes with it, so the client can fetch that version and reapply its change.
    /// `what` names the kind of record (a `thing.*` term of PilarAPI's catalogue: report,
    /// psks_record, training, ipsm), `id` which one.
    public func refusal(current: VersionTag?, what: String, id: String, extra: JSONObject = JSONObject()) -> PilarError {
        let values: MessageValues = ["what": .term("thing." + what), "id": .text(id)]
        var e: PilarError
        switch (self, current) {
        case (.absent, .some): e = PilarError(.preconditionFailed, code: "version_exists", values, extra: extra)
        case (_, .none): e = PilarError(.preconditionFailed, code: "version_missing", values, extra: extra)
        default: e = PilarError(.preconditionFailed, code: "version_changed", values, extra: extra)
        }
        e.currentVersion = current
        return e
    }

    /// Throws `refusal` unless `admits(current)`.
    public func check(_ current: VersionTag?, what: String, id: String, extra: JSONObject = JSONObject()) throws {
        if !admits(current) { throw refusal(current: current, what: what, id: id, extra: extra) }
    }
}
