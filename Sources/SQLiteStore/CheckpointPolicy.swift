/// Who copies the WAL back into the main database file (a checkpoint), and when.
public enum CheckpointPolicy: Sendable, Equatable {
    /// SQLite's default: after a commit leaves 1,000 pages (about 4 MB) in the WAL, the writer
    /// runs a passive checkpoint. Right when nothing else reads the WAL.
    case sqlite
    /// Litestream replicates the WAL and checkpoints it itself, after it has copied the frames;
    /// its documentation asks applications to leave checkpoints to it, because a checkpoint it
    /// did not expect makes it start a new snapshot. The writer checkpoints only as a backstop
    /// past 200,000 pages (about 800 MB at 4 KiB pages), beyond Litestream's own forced
    /// checkpoint (121,359 pages by default), so the WAL stays bounded even if Litestream stops.
    case litestream

    /// The writer connection's `PRAGMA wal_autocheckpoint`.
    public var autoCheckpointPages: Int {
        switch self {
        case .sqlite: return 1_000
        case .litestream: return 200_000
        }
    }
}
