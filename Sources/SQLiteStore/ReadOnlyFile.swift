import CSQLite
import Foundation

/// A database file opened for looking only: never created, never written (restore checks, the
/// live file next to a running server). One connection, one read transaction.
public enum ReadOnlyFile {
    public static func read<T>(_ path: String, _ body: (Connection) throws -> T) throws -> T {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "\(path) does not exist")
        }
        let connection = try Connection(path: path, flags: SQLITE_OPEN_READONLY, busyTimeoutMilliseconds: 5_000)
        defer { connection.close() }
        try connection.execute("BEGIN")
        defer { _ = try? connection.execute("COMMIT") }
        return try body(connection)
    }
}
