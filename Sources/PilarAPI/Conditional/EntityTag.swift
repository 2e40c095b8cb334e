import Foundation
import PilarCore

/// An entity-tag (RFC 9110 §8.8.3): `"xyzzy"` or, weak, `W/"xyzzy"`. Pilar sends only strong
/// ones (each names one exact representation) but reads both, as clients may send either.
public struct EntityTag: Equatable, CustomStringConvertible {
    /// What is between the quotes.
    public let opaque: String
    public let isWeak: Bool

    public init(_ opaque: String, weak: Bool = false) {
        self.opaque = opaque
        self.isWeak = weak
    }

    /// The strong tag of a version the domain names.
    public init(_ version: VersionTag) { self.init(version.value) }

    /// As it is written in a header.
    public var description: String { (isWeak ? "W/\"" : "\"") + opaque + "\"" }

    /// Strong comparison (§8.8.3.2): both strong and the same characters. If-Match uses it.
    public func strongMatch(_ other: EntityTag) -> Bool { !isWeak && !other.isWeak && opaque == other.opaque }

    /// Weak comparison (§8.8.3.2): the same characters, weak or not. If-None-Match uses it.
    public func weakMatch(_ other: EntityTag) -> Bool { opaque == other.opaque }

    /// One entity-tag and nothing else (surrounding spaces allowed); nil when malformed.
    public static func parse(_ text: String) -> EntityTag? {
        guard case .tags(let tags)? = EntityTagList.parse(text), tags.count == 1 else { return nil }
        return tags[0]
    }
}

/// The value of If-Match or If-None-Match (RFC 9110 §13.1.1, §13.1.2): `*` or a list of
/// entity-tags.
public enum EntityTagList: Equatable {
    case any
    case tags([EntityTag])

    /// nil when the value is neither `*` alone nor a comma-separated list of at least one
    /// entity-tag. Empty list elements (`"a", , "b"`) are skipped as §5.6.1 asks; a list
    /// with anything else in it (junk beside a right tag, `*` beside tags) is malformed as a
    /// whole, so it can never match by accident.
    public static func parse(_ value: String) -> EntityTagList? {
        let b = Array(value.utf8)
        var i = 0
        func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 } }
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "*") {
            i += 1
            skipSpace()
            return i == b.count ? .any : nil
        }
        var tags: [EntityTag] = []
        while true {
            skipSpace()
            if i == b.count { return tags.isEmpty ? nil : .tags(tags) }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }  // an empty element
            var weak = false
            if i + 1 < b.count, b[i] == UInt8(ascii: "W"), b[i + 1] == UInt8(ascii: "/") { weak = true; i += 2 }
            guard i < b.count, b[i] == 0x22 else { return nil }
            i += 1
            let start = i
            // etagc = %x21 / %x23-7E / obs-text
            while i < b.count, b[i] == 0x21 || (b[i] >= 0x23 && b[i] <= 0x7E) || b[i] >= 0x80 { i += 1 }
            guard i < b.count, b[i] == 0x22 else { return nil }
            tags.append(EntityTag(String(decoding: b[start..<i], as: UTF8.self), weak: weak))
            i += 1
            skipSpace()
            if i == b.count { return .tags(tags) }
            guard b[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
    }

    /// If-Match's test (§13.1.1): `*` matches any current representation, a list when one of
    /// its tags matches `current` strongly. Nothing current: false.
    public func ifMatch(_ current: EntityTag?) -> Bool {
        guard let current else { return false }
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { $0.strongMatch(current) }
        }
    }

    /// Whether If-None-Match holds this value's condition false (§13.1.2): `*` when there is a
    /// current representation, a list when one of its tags matches `current` weakly. A read
    /// then answers 304, a write 412.
    public func noneMatchFails(_ current: EntityTag?) -> Bool {
        guard let current else { return false }
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { $0.weakMatch(current) }
        }
    }
}
