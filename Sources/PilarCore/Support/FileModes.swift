import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files Pilar makes hold NIKs, birth dates and phone numbers: the database with its
/// `-wal` and `-shm` (SQLite gives them the database's mode), backups, import spools.
public enum FileModes {
    /// Owner-only from here on (files 0600, directories 0700), for every file this process
    /// creates, by whichever library creates it. Called first thing by the `pilar` command.
    public static func restrictToOwner() {
        umask(0o077)
    }

    /// What `pilar` does before anything else: the umask, and import files an older version
    /// may have left by name after a crash.
    public static func prepareProcess() {
        restrictToOwner()
        ImportSpool.removeStale()
    }
}
