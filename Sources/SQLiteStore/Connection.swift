import CSQLite

/// One SQLite connection. Not thread-safe: `Database` hands it to one thread at a time (the
/// writer thread, or the caller of `read`). Statements are prepared once per SQL text and kept.
public final class Connection {
    private(set) var handle: OpaquePointer?
    private var cache: [String: Statement] = [:]
    private var savepointDepth = 0

    /// How many statements this connection has prepared (cache misses). For tests and metrics.
    public private(set) var prepareCount = 0

    /// Dynamic SQL (e.g. IN lists of varying length) must not grow the cache forever.
    static let cacheLimit = 256

    var cachedStatementCount: Int { cache.count }

    /// Times SQLite prepared the cached statements again (after a schema change, or on every
    /// new binding when the query plan depends on a bound value). Should stay flat in a loop.
    public var reprepareCount: Int {
        cache.values.reduce(0) { $0 + Int(sqlite3_stmt_status($1.handle, SQLITE_STMTSTATUS_REPREPARE, 0)) }
    }

    init(path: String, flags: Int32, busyTimeoutMilliseconds: Int) throws {
        var db: OpaquePointer?
        // NOMUTEX: each connection is used by one thread at a time, guarded by Database.
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError(connection: db, resultCode: rc, sql: nil)
            sqlite3_close_v2(db)
            throw SQLiteError(code: error.code, extendedCode: error.extendedCode,
                              message: "cannot open \(path): \(error.message)")
        }
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Int32(clamping: busyTimeoutMilliseconds))
        handle = db
    }

    deinit { close() }

    func close() {
        cache.removeAll()   // finalizes the statements before the handle goes
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    private func open() throws -> OpaquePointer {
        guard let handle else { throw SQLiteError.misuse("connection is closed") }
        return handle
    }

    // MARK: executing

    /// Runs one or more `;`-separated statements without parameters (schema, pragmas).
    /// Not cached: meant for scripts, not hot paths.
    public func execute(_ sql: String) throws {
        let db = try open()
        try sql.withCString { start in
            var cursor: UnsafePointer<CChar>? = start
            while let current = cursor, current.pointee != 0 {
                var stmt: OpaquePointer?
                let rc = sqlite3_prepare_v2(db, current, -1, &stmt, &cursor)
                guard rc == SQLITE_OK else {
                    throw SQLiteError(connection: db, resultCode: rc, sql: String(cString: current))
                }
                guard let stmt else { continue }   // only whitespace or a comment was left
                defer { sqlite3_finalize(stmt) }
                var step: Int32
                repeat { step = sqlite3_step(stmt) } while step == SQLITE_ROW
                guard step == SQLITE_DONE else {
                    throw SQLiteError(connection: db, resultCode: step, sql: String(cString: sqlite3_sql(stmt)))
                }
            }
        }
    }

    /// Runs one statement; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ args: SQLBindable?...) throws -> Int {
        try run(sql, args)
    }

    @discardableResult
    public func run(_ sql: String, _ args: [SQLBindable?]) throws -> Int {
        try withStatement(sql, args) { statement in
            while try statement.step() {}
            return Int(sqlite3_changes64(handle))
        }
    }

    public func query(_ sql: String, _ args: SQLBindable?...) throws -> [Row] {
        try query(sql, args)
    }

    public func query(_ sql: String, _ args: [SQLBindable?]) throws -> [Row] {
        try withStatement(sql, args) { statement in
            var rows: [Row] = []
            var columns: ColumnNames?   // after the first step, which may re-prepare the statement
            while try statement.step() {
                if columns == nil { columns = statement.columnNames() }
                rows.append(statement.row(columns!))
            }
            return rows
        }
    }

    public func queryOne(_ sql: String, _ args: SQLBindable?...) throws -> Row? {
        try queryOne(sql, args)
    }

    public func queryOne(_ sql: String, _ args: [SQLBindable?]) throws -> Row? {
        try withStatement(sql, args) { statement in
            try statement.step() ? statement.row(statement.columnNames()) : nil
        }
    }

    /// Streams rows one at a time (memory stays flat for a million-row export); return false
    /// from `body` to stop early. Rows must not escape the call.
    public func forEach(_ sql: String, _ args: [SQLBindable?], _ body: (Row) throws -> Bool) throws {
        try withStatement(sql, args) { statement in
            var columns: ColumnNames?
            while try statement.step() {
                if columns == nil { columns = statement.columnNames() }
                guard try body(statement.row(columns!)) else { return }
            }
        }
    }

    public var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// True between BEGIN and COMMIT/ROLLBACK (SQLite is not in autocommit mode).
    public var isInTransaction: Bool {
        handle.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// Nested unit of work inside the current transaction (SAVEPOINT/RELEASE; ROLLBACK TO on throw).
    /// Outside a transaction, the savepoint is a transaction of its own.
    @discardableResult
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "pilar_sp\(savepointDepth)"
        try run("SAVEPOINT \(name)")
        do {
            let result = try body()
            try run("RELEASE \(name)")
            return result
        } catch {
            // If SQLite already rolled back the whole transaction, there is nothing to undo.
            if isInTransaction {
                _ = try? run("ROLLBACK TO \(name)")
                _ = try? run("RELEASE \(name)")
            }
            throw error
        }
    }

    /// The "detail" column of EXPLAIN QUERY PLAN, e.g. "SEARCH t USING INDEX t_x (x=?)".
    public func explainQueryPlan(_ sql: String, _ args: [SQLBindable?]) throws -> [String] {
        try query("EXPLAIN QUERY PLAN " + sql, args).map { $0.string("detail") }
    }

    public func tableExists(_ name: String) throws -> Bool {
        try queryOne("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", name) != nil
    }

    /// Unresolved violations of DEFERRABLE foreign keys, which would make COMMIT fail.
    var deferredForeignKeyViolations: Int {
        guard let handle else { return 0 }
        var current: Int32 = 0, highwater: Int32 = 0
        sqlite3_db_status(handle, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highwater, 0)
        return Int(current)
    }

    // MARK: statement cache

    private func withStatement<R>(_ sql: String, _ args: [SQLBindable?], _ body: (Statement) throws -> R) throws -> R {
        let statement = try checkout(sql)
        defer {
            statement.reset()
            statement.inUse = false
        }
        try statement.bind(args)
        return try body(statement)
    }

    /// The cached statement for `sql`, or (if that one is busy, e.g. the same query runs inside a
    /// `forEach` over itself) a fresh one that is dropped after use.
    private func checkout(_ sql: String) throws -> Statement {
        if let cached = cache[sql] {
            if cached.inUse { return try prepare(sql, persistent: false) }
            cached.inUse = true
            return cached
        }
        let statement = try prepare(sql, persistent: true)
        if cache.count >= Connection.cacheLimit {
            cache = cache.filter { $0.value.inUse }
        }
        cache[sql] = statement
        statement.inUse = true
        return statement
    }

    private func prepare(_ sql: String, persistent: Bool) throws -> Statement {
        let db = try open()
        var stmt: OpaquePointer?
        var tailIsEmpty = true
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sql.withCString { start -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(db, start, -1, flags, &stmt, &tail)
            if rc == SQLITE_OK, let tail, tail.pointee != 0 {
                // Something follows the first statement: fine if it is only blanks or comments.
                var extra: OpaquePointer?
                sqlite3_prepare_v2(db, tail, -1, &extra, nil)
                tailIsEmpty = extra == nil
                sqlite3_finalize(extra)
            }
            return rc
        }
        guard rc == SQLITE_OK else { throw SQLiteError(connection: db, resultCode: rc, sql: sql) }
        guard let stmt else { throw SQLiteError.misuse("empty statement", sql: sql) }
        guard tailIsEmpty else {
            sqlite3_finalize(stmt)
            throw SQLiteError.misuse("more than one statement; use execute() for scripts", sql: sql)
        }
        prepareCount += 1
        return Statement(handle: stmt, sql: sql)
    }
}
