/// The column names of one result, shared by all of its rows (built once per query, never
/// mutated afterwards, so rows may cross threads).
final class ColumnNames {
    let names: [String]
    private let exact: [String: Int]
    private let folded: [String: Int]   // SQLite identifiers are case-insensitive

    init(_ names: [String]) {
        self.names = names
        var exact: [String: Int] = [:], folded: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if exact[name] == nil { exact[name] = index }        // first of duplicates wins
            let key = name.lowercased()
            if folded[key] == nil { folded[key] = index }
        }
        self.exact = exact
        self.folded = folded
    }

    func index(of name: String) -> Int? {
        exact[name] ?? folded[name.lowercased()]
    }
}

/// One result row. Values are copied out of SQLite when the row is read, so a `Row` stays valid
/// after the statement moved on (the `forEach` contract is stricter than needed, on purpose).
///
/// Accessors convert the way SQLite itself coerces (integer <-> real <-> text); NULL reads as
/// 0, "", false or [] unless an `optional...` accessor is used.
public struct Row {
    let columns: ColumnNames
    let values: [SQLValue]

    init(columns: ColumnNames, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public var columnCount: Int { values.count }

    public func columnName(_ index: Int) -> String { columns.names[index] }

    public subscript(_ index: Int) -> SQLValue {
        precondition(index >= 0 && index < values.count, "Row has \(values.count) columns, no index \(index)")
        return values[index]
    }

    /// `.null` if the row has no such column.
    public subscript(_ name: String) -> SQLValue {
        guard let index = columns.index(of: name) else { return .null }
        return values[index]
    }

    // MARK: by name

    public func int(_ name: String) -> Int { Row.int(self[name]) }
    public func int64(_ name: String) -> Int64 { Row.int64(self[name]) }
    public func optionalInt(_ name: String) -> Int? { Row.optional(self[name], Row.int) }
    public func optionalInt64(_ name: String) -> Int64? { Row.optional(self[name], Row.int64) }
    public func double(_ name: String) -> Double { Row.double(self[name]) }
    public func optionalDouble(_ name: String) -> Double? { Row.optional(self[name], Row.double) }
    public func string(_ name: String) -> String { Row.string(self[name]) }
    public func optionalString(_ name: String) -> String? { Row.optional(self[name], Row.string) }
    public func bool(_ name: String) -> Bool { Row.bool(self[name]) }
    public func blob(_ name: String) -> [UInt8] { Row.blob(self[name]) }
    public func optionalBlob(_ name: String) -> [UInt8]? { Row.optional(self[name], Row.blob) }
    public func isNull(_ name: String) -> Bool { self[name] == .null }

    // MARK: by index

    public func int(_ index: Int) -> Int { Row.int(self[index]) }
    public func int64(_ index: Int) -> Int64 { Row.int64(self[index]) }
    public func optionalInt(_ index: Int) -> Int? { Row.optional(self[index], Row.int) }
    public func optionalInt64(_ index: Int) -> Int64? { Row.optional(self[index], Row.int64) }
    public func double(_ index: Int) -> Double { Row.double(self[index]) }
    public func optionalDouble(_ index: Int) -> Double? { Row.optional(self[index], Row.double) }
    public func string(_ index: Int) -> String { Row.string(self[index]) }
    public func optionalString(_ index: Int) -> String? { Row.optional(self[index], Row.string) }
    public func bool(_ index: Int) -> Bool { Row.bool(self[index]) }
    public func blob(_ index: Int) -> [UInt8] { Row.blob(self[index]) }
    public func optionalBlob(_ index: Int) -> [UInt8]? { Row.optional(self[index], Row.blob) }
    public func isNull(_ index: Int) -> Bool { self[index] == .null }

    // MARK: conversions

    private static func optional<T>(_ value: SQLValue, _ convert: (SQLValue) -> T) -> T? {
        value == .null ? nil : convert(value)
    }

    private static func int64(_ value: SQLValue) -> Int64 {
        switch value {
        case .null, .blob: return 0
        case .integer(let i): return i
        case .real(let d): return d.isFinite && abs(d) < 9.2e18 ? Int64(d) : 0
        case .text(let s):
            let trimmed = s.trimmingSpaces
            return Int64(trimmed) ?? Double(trimmed).map { int64(.real($0)) } ?? 0
        }
    }

    private static func int(_ value: SQLValue) -> Int { Int(truncatingIfNeeded: int64(value)) }

    private static func double(_ value: SQLValue) -> Double {
        switch value {
        case .null, .blob: return 0
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .text(let s): return Double(s.trimmingSpaces) ?? 0
        }
    }

    private static func bool(_ value: SQLValue) -> Bool {
        switch value {
        case .real(let d): return d != 0
        default: return int64(value) != 0
        }
    }

    private static func string(_ value: SQLValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .text(let s): return s
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        }
    }

    private static func blob(_ value: SQLValue) -> [UInt8] {
        switch value {
        case .null: return []
        case .blob(let b): return b
        default: return Array(string(value).utf8)
        }
    }
}

// Immutable values and immutable column names: safe to hand to another thread.
extension Row: @unchecked Sendable {}

extension Row: CustomStringConvertible {
    public var description: String {
        let pairs = zip(columns.names, values).map { "\($0): \($1)" }
        return "[" + pairs.joined(separator: ", ") + "]"
    }
}

private extension String {
    var trimmingSpaces: Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\n" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\n" })!
        return self[first...last]
    }
}
