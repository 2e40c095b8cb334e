import Crypto

/// One numbered schema file, `NNNN_name.sql`. Applied once, in version order, and never edited
/// afterwards: its checksum is recorded and compared on every start.
public struct Migration: Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 (swift-crypto) of the SQL text's UTF-8 bytes, 64 lowercase hex digits: it
    /// catches any edit of an applied file.
    public let checksum: String

    /// `file` is "0003_reports.sql" (a path is fine: only the last component counts).
    public init(file: String, sql: String) throws {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        guard base.hasSuffix(".sql"), let underscore = base.firstIndex(of: "_") else {
            throw MigrationError.badFileName(file)
        }
        let digits = base[..<underscore]
        let name = base[base.index(after: underscore)..<base.index(base.endIndex, offsetBy: -4)]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let version = Int(digits), !name.isEmpty else {
            throw MigrationError.badFileName(file)
        }
        self.version = version
        self.name = String(name)
        self.sql = sql
        self.checksum = Migration.sha256Hex(sql)
    }

    /// The canonical file name, for messages: "0003_reports.sql".
    public var fileName: String { Migration.fileName(version: version, name: name) }

    static func fileName(version: Int, name: String) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name + ".sql"
    }

    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Databases migrated before checksums were SHA-256 recorded 16 hex digits (FNV-1a 64).
    /// Those are replaced by the SHA-256 of the shipped file once, on the first start of this
    /// version; from then on every edit is caught again.
    public static func isLegacyChecksum(_ recorded: String) -> Bool { recorded.utf8.count == 16 }
}

public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case badFileName(String)
    case duplicateVersion(Int)
    /// A migration already applied to the database was edited afterwards.
    case checksumMismatch(version: Int, name: String, recorded: String, found: String)
    /// The database has a migration this binary does not ship: the database is newer.
    case unknownApplied(version: Int, name: String)

    public var description: String {
        switch self {
        case .badFileName(let file):
            return "migration file '\(file)' is not named NNNN_name.sql"
        case .duplicateVersion(let version):
            return "two migration files share version \(version); each number must be used once"
        case let .checksumMismatch(version, name, recorded, found):
            return "migration \(Migration.fileName(version: version, name: name)) was changed after it was applied "
                + "(recorded checksum \(recorded), file now has \(found)); shipped migrations must never be edited, "
                + "add a new migration instead"
        case let .unknownApplied(version, name):
            return "the database has migration \(Migration.fileName(version: version, name: name)) applied, "
                + "which this program does not know; the database is newer than the program"
        }
    }
}
