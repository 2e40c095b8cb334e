import Foundation

/// The languages Pilar speaks: Indonesian first (what a Dinas Sosial operator or a TKSK reads),
/// English on request. Codes, statuses, `type` URIs and extension members never change with it.
public enum Language: String, CaseIterable, Sendable {
    case id, en

    /// The command line's language: English when LANGUAGE, LC_ALL or LANG starts with `en`
    /// (`en_US.UTF-8`), else Indonesian.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for name in ["LANGUAGE", "LC_ALL", "LANG"] {
            if let v = env[name], !v.isEmpty { return v.lowercased().hasPrefix("en") ? .en : .id }
        }
        return .id
    }

    /// The command line's language for this run.
    nonisolated(unsafe) public static var cli: Language = fromEnvironment()

    /// The `Content-Language` value.
    public var tag: String { rawValue }

    /// The language for an `Accept-Language` header (RFC 9110 §12.5.4): each range with its
    /// q-value, `*` for any language not named otherwise, `q=0` for "not this one". A range
    /// chooses by its primary subtag, so `en-GB` is English and `id-ID` Indonesian; `in`
    /// (the code Indonesian had before 1989) is Indonesian. The supported language with the
    /// highest q wins, the earlier range on a tie; when none is acceptable, or the header is
    /// absent or unreadable, Indonesian.
    public static func negotiate(_ header: String?) -> Language {
        guard let header, !header.isEmpty else { return .id }
        var best: (language: Language, q: Int, position: Int)?
        var wildcard: (q: Int, position: Int)?
        var named: [Language: Int] = [:]  // the q a language's own range gave it
        // A header longer than any real one is read only so far: a bounded amount of work.
        for (position, item) in header.utf8.prefix(1024).split(separator: UInt8(ascii: ",")).prefix(64).enumerated() {
            guard let (range, q) = parseRange(Substring(decoding: item, as: UTF8.self)) else { continue }
            if range == "*" {
                if wildcard == nil { wildcard = (q, position) }
                continue
            }
            let primary = range.split(separator: "-", maxSplits: 1).first.map(String.init) ?? range
            let language: Language? = switch primary {
            case "id", "in": .id
            case "en": .en
            default: nil
            }
            guard let language else { continue }
            // The most specific range decides (RFC 4647 §3.3.1 in spirit); among ranges of the
            // same language the first one counts.
            if named[language] != nil { continue }
            named[language] = q
            if q > 0, best == nil || q > best!.q { best = (language, q, position) }
        }
        if let wildcard, wildcard.q > 0 {
            for language in [Language.id, .en] where named[language] == nil {
                if best == nil || wildcard.q > best!.q || (wildcard.q == best!.q && wildcard.position < best!.position) {
                    best = (language, wildcard.q, wildcard.position)
                }
            }
        }
        return best?.language ?? .id
    }

    /// `range [; q=value]`, the range lowercased; q in thousandths (RFC 9110 §12.4.2).
    static func parseRange(_ item: Substring) -> (String, Int)? {
        let parts = item.split(separator: ";", omittingEmptySubsequences: false)
        let range = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
        guard !range.isEmpty, range.count <= 35,
              range.allSatisfy({ $0 == "*" || $0 == "-" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else { return nil }
        var q = 1000
        for p in parts.dropFirst() {
            let kv = p.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard kv.count == 2, kv[0] == "q" else { continue }
            guard let value = qvalue(kv[1]) else { return nil }
            q = value
        }
        return (range, q)
    }

    /// `0[.ddd]` or `1[.000]` in thousandths, or nil.
    static func qvalue(_ s: String) -> Int? {
        let b = Array(s.utf8)
        guard let first = b.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1"), b.count <= 5 else { return nil }
        if b.count == 1 { return first == UInt8(ascii: "1") ? 1000 : 0 }
        guard b[1] == UInt8(ascii: "."), b.count > 2 else { return b.count == 2 && b[1] == UInt8(ascii: ".") ? Int(first - 48) * 1000 : nil }
        let digits = b[2...]
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var frac = 0
        for (i, d) in digits.enumerated() { frac += Int(d - 48) * [100, 10, 1][i] }
        let value = Int(first - 48) * 1000 + frac
        return value <= 1000 ? value : nil
    }
}
