import Foundation

/// A value that explains an error or a warning: typed, never a sentence. PilarAPI's message
/// catalogue puts the values into the words of the caller's language (Indonesian or English),
/// so PilarCore says *what* went wrong and PilarAPI says it.
public enum MessageValue: Hashable, Sendable {
    /// A name, a code or what the client sent: shown as it is, in every language.
    case text(String)
    case number(Int64)
    /// Names or codes shown as they are, joined.
    case list([String])
    /// A word the catalogue translates (`status.verified`, `action.submit`, `permission.read_reports`).
    case term(String)
    /// Several catalogue words, joined.
    case terms([String])
    /// A moment, shown to people in WIB (`10 Desember 2026 23.59 WIB`).
    case time(Date)
}

extension MessageValue: ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(stringInterpolation: DefaultStringInterpolation) { self = .text(String(stringInterpolation: stringInterpolation)) }
    public init(integerLiteral value: Int64) { self = .number(value) }
    public init(arrayLiteral elements: String...) { self = .list(elements) }
    public static func int(_ n: Int) -> MessageValue { .number(Int64(n)) }
}

/// The values of one error, by the placeholder names of its message templates.
public typealias MessageValues = [String: MessageValue]
