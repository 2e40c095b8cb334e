import CSQLite

/// An error reported by SQLite (or by this store on SQLite's behalf), with the codes and the
/// SQL that failed, so a log line says what went wrong and where.
public struct SQLiteError: Error, CustomStringConvertible {
    /// Primary result code, e.g. `SQLITE_CONSTRAINT` (19).
    public let code: Int32
    /// Extended result code, e.g. `SQLITE_CONSTRAINT_UNIQUE` (2067). Equals `code` when SQLite
    /// gave no finer detail.
    public let extendedCode: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil) {
        self.code = code & 0xFF
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
    }

    /// Reads the message from the connection right after a failed call (before anything else
    /// can overwrite it). `resultCode` may be primary or extended.
    init(connection db: OpaquePointer?, resultCode: Int32, sql: String?) {
        let extended = resultCode > 0xFF ? resultCode : (db.map { sqlite3_extended_errcode($0) } ?? resultCode)
        // sqlite3_extended_errcode may describe a later call; trust it only if it agrees.
        let agreed = (extended & 0xFF) == (resultCode & 0xFF) ? extended : resultCode
        let text = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(resultCode))
        self.init(code: resultCode & 0xFF, extendedCode: agreed, message: text, sql: sql)
    }

    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }

    /// A UNIQUE or PRIMARY KEY constraint failed (the row already exists).
    public var isUniqueViolation: Bool {
        extendedCode == SQLiteError.constraintUnique || extendedCode == SQLiteError.constraintPrimaryKey
    }

    public var isForeignKeyViolation: Bool { extendedCode == SQLiteError.constraintForeignKey }

    /// The database stayed locked for longer than the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    public var description: String {
        var text = "SQLite error \(code)"
        if extendedCode != code { text += " (extended \(extendedCode))" }
        text += ": \(message)"
        if let sql { text += " — SQL: \(sql)" }
        return text
    }

    // Extended codes are macros built with `|` and `<<`, which Swift does not import.
    public static let constraintCheck: Int32 = 19 | (1 << 8)        // SQLITE_CONSTRAINT_CHECK
    public static let constraintForeignKey: Int32 = 19 | (3 << 8)   // SQLITE_CONSTRAINT_FOREIGNKEY
    public static let constraintNotNull: Int32 = 19 | (5 << 8)      // SQLITE_CONSTRAINT_NOTNULL
    public static let constraintPrimaryKey: Int32 = 19 | (6 << 8)   // SQLITE_CONSTRAINT_PRIMARYKEY
    public static let constraintUnique: Int32 = 19 | (8 << 8)       // SQLITE_CONSTRAINT_UNIQUE
    public static let constraintDataType: Int32 = 19 | (12 << 8)    // SQLITE_CONSTRAINT_DATATYPE (STRICT)

    /// Misuse of this store (closed database, wrong argument count, ...): SQLITE_MISUSE.
    static func misuse(_ message: String, sql: String? = nil) -> SQLiteError {
        SQLiteError(code: SQLITE_MISUSE, message: message, sql: sql)
    }
}
