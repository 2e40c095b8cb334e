import Foundation
import SQLiteStore

/// How a Pilar process learns that Litestream replicates its database, and so leaves WAL
/// checkpoints to it (SQLiteStore's CheckpointPolicy says why).
public enum Replication {
    /// `.litestream` when asked for (--litestream, PILAR_LITESTREAM=1) or when the parent process
    /// is Litestream (`litestream replicate -exec "pilar serve"` starts Pilar as its child);
    /// PILAR_LITESTREAM=0 says no even then.
    public static func checkpoints(flag: Bool, environment: [String: String] = ProcessInfo.processInfo.environment,
                                   parentProgram: String? = Replication.parentProgram()) -> CheckpointPolicy {
        if flag { return .litestream }
        if let value = environment["PILAR_LITESTREAM"]?.lowercased() {
            if ["1", "true", "yes", "on"].contains(value) { return .litestream }
            if ["0", "false", "no", "off"].contains(value) { return .sqlite }
        }
        return parentProgram == "litestream" ? .litestream : .sqlite
    }

    /// The parent process's program name; Linux tells it in /proc/PID/comm, elsewhere nil.
    public static func parentProgram() -> String? {
        (try? String(contentsOfFile: "/proc/\(getppid())/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
