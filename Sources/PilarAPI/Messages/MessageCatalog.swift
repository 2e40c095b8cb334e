import Foundation
import PilarCore

/// One message in both languages. Placeholders are `{name}`: a value of the error, `field`
/// (the field of a field error) or an extension member of the problem. Both templates name
/// the same placeholders (MessageCatalogTests checks it).
public struct Message: Sendable {
    public let id: String
    public let en: String
    public init(id: String, en: String) {
        self.id = id
        self.en = en
    }
    public func template(_ language: Language) -> String { language == .en ? en : id }
}

/// The one message catalogue: every stable code with its Indonesian and English words, the
/// problem titles (`title.<kind>`) and the translated terms (`status.*`, `action.*`, ...).
/// Each feature keeps its part in its own file (Catalog+<Feature>.swift); `all` joins them.
/// How to add a message: docs/ARCHITECTURE.md ("Messages and languages").
public enum MessageCatalog {
    /// The parts, one per feature. A code appears in one part only (tests check).
    public static let parts: [(name: String, messages: [String: Message])] = [
        ("api", api), ("titles", titles), ("terms", terms), ("reports", reports), ("report_rules", reportRules),
        ("access", access), ("cli", cli), ("registry", registry), ("regions", regions), ("capacity", capacity), ("stats", stats),
        ("imports", imports),
    ]

    public static let all: [String: Message] = {
        var all: [String: Message] = [:]
        for part in parts { all.merge(part.messages) { a, _ in a } }
        return all
    }()

    /// The words of `code` with its values, or nil when the catalogue lacks the code.
    /// Every mismatch (a placeholder nothing fills, a value no template uses, an unknown code)
    /// is remembered in `mismatches`, which the tests check after each server they ran.
    public static func render(_ code: String, _ values: MessageValues, field: String? = nil,
                              extra: JSONObject = JSONObject(), in language: Language) -> String? {
        guard let message = all[code] else {
            MessageMismatches.note("\(code): no message")
            return nil
        }
        let template = message.template(language)
        var used: Set<String> = []
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            used.insert(name)
            if let v = values[name] {
                out += format(v, in: language)
            } else if name == "field", let field {
                out += field
            } else if let x = extra[name], let text = format(x) {
                out += text
            } else {
                MessageMismatches.note("\(code): {\(name)} not filled")
                out += "{\(name)}"
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        for name in values.keys where !used.contains(name) {
            MessageMismatches.note("\(code): value \(name) unused by the \(language.rawValue) template")
        }
        return out
    }

    /// A term's words (`status.verified` → `diverifikasi`); the term itself when unknown.
    public static func term(_ name: String, in language: Language) -> String {
        guard let m = terms[name] else {
            MessageMismatches.note("\(name): no term")
            return name
        }
        return m.template(language)
    }

    static func format(_ v: MessageValue, in language: Language) -> String {
        switch v {
        case .text(let s): return s
        case .number(let n): return String(n)
        case .list(let a): return a.joined(separator: ", ")
        case .term(let t): return term(t, in: language)
        case .terms(let a): return a.isEmpty ? term("none", in: language) : a.map { term($0, in: language) }.joined(separator: ", ")
        case .time(let d): return PeopleTime.format(d, in: language)
        }
    }

    /// An extension member as words: strings, numbers and lists of them.
    static func format(_ j: JSON) -> String? {
        switch j {
        case .string(let s): return s
        case .int(let n): return String(n)
        case .array(let a): return a.compactMap { format($0) }.joined(separator: ", ")
        default: return nil
        }
    }

    /// The `{name}`s of a template.
    public static func placeholders(_ template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}

/// Catalogue mismatches met while rendering (bounded): tests assert there are none.
public enum MessageMismatches {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var seen: Set<String> = []

    static func note(_ s: String) {
        lock.lock()
        if seen.count < 100 { seen.insert(s) }
        lock.unlock()
    }

    /// Everything noted so far, and forgets it.
    public static func take() -> [String] {
        lock.lock()
        defer { seen = []; lock.unlock() }
        return seen.sorted()
    }
}

/// Moments for people: in WIB (UTC+7, the time of the offices), `10 Desember 2026 23.59 WIB`.
public enum PeopleTime {
    static let months: [Language: [String]] = [
        .id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
        .en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    ]

    public static func format(_ date: Date, in language: Language) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let month = months[language]![c.month! - 1]
        let hh = c.hour! < 10 ? "0\(c.hour!)" : "\(c.hour!)", mm = c.minute! < 10 ? "0\(c.minute!)" : "\(c.minute!)"
        return language == .en ? "\(c.day!) \(month) \(c.year!) \(hh):\(mm) WIB" : "\(c.day!) \(month) \(c.year!) \(hh).\(mm) WIB"
    }
}
