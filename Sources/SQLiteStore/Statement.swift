import CSQLite

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer; Swift does not import it.
// It tells SQLite to copy the bytes, since Swift's buffers only live for the call.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One prepared statement. Owned by a `Connection`, which caches it by SQL text and hands it out
/// to one use at a time (`inUse`); after each use it is reset and its bindings cleared.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    var inUse = false

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    private var db: OpaquePointer? { sqlite3_db_handle(handle) }

    func bind(_ args: [SQLBindable?]) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard args.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE, message: "statement expects \(expected) argument(s), got \(args.count)", sql: sql)
        }
        for (offset, arg) in args.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch arg?.sqlValue ?? .null {
            case .null:
                rc = sqlite3_bind_null(handle, index)
            case .integer(let value):
                rc = sqlite3_bind_int64(handle, index, value)
            case .real(let value):
                rc = sqlite3_bind_double(handle, index, value)
            case .text(var value):
                // withUTF8 gives the bytes without a copy; a nil base (empty string) must not
                // reach SQLite, which would bind NULL instead of ''.
                rc = value.withUTF8 { bytes -> Int32 in
                    guard let base = bytes.baseAddress, bytes.count > 0 else {
                        return sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT)
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(bytes.count), SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let value):
                rc = value.withUnsafeBytes { bytes -> Int32 in
                    guard let base = bytes.baseAddress, bytes.count > 0 else {
                        return sqlite3_bind_zeroblob(handle, index, 0)   // empty blob, not NULL
                    }
                    return sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(bytes.count), SQLITE_TRANSIENT)
                }
            }
            guard rc == SQLITE_OK else { throw SQLiteError(connection: db, resultCode: rc, sql: sql) }
        }
    }

    /// Advances one row: true when a row is ready, false when done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw SQLiteError(connection: db, resultCode: rc, sql: sql)
        }
    }

    /// Clears the statement for its next use. Errors were already reported by `step`.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// The result's column names, built once per statement (two dictionaries and a lowercased
    /// copy of every name showed up as a large share of small queries' cost). Built again when
    /// SQLite re-prepared the statement (after a schema change `SELECT *` may have other columns).
    func columnNames() -> ColumnNames {
        let reprepared = sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let cached = cachedNames, reprepared == namesPreparedAt { return cached }
        let count = sqlite3_column_count(handle)
        let names = ColumnNames((0..<count).map { String(cString: sqlite3_column_name(handle, $0)) })
        cachedNames = names
        namesPreparedAt = reprepared
        return names
    }
    private var cachedNames: ColumnNames?
    private var namesPreparedAt: Int32 = 0

    func row(_ columns: ColumnNames) -> Row {
        Row(columns: columns, values: (0..<Int32(columns.names.count)).map(value))
    }

    private func value(at column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))   // after _text: byte count of UTF-8
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let bytes = sqlite3_column_blob(handle, column)   // _blob before _bytes, as documented
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}
