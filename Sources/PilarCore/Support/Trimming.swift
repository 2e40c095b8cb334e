import Foundation

/// Foundation's `trimmingCharacters(in:)` goes through NSString and costs thousands of
/// instructions even when there is nothing to trim, which is almost always: the registry
/// import spent a tenth of its time in it (issue 16). When the first and last bytes are
/// printable ASCII other than space, nothing can be trimmed and the string comes back as it
/// is; anything else still goes through Foundation, so the answer never differs.
extension String {
    var trimmedWhitespace: String {
        hasPlainEnds ? self : trimmingCharacters(in: .whitespaces)
    }

    var trimmedWhitespaceAndNewlines: String {
        hasPlainEnds ? self : trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private var hasPlainEnds: Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        return first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F
    }
}
