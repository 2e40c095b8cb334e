import Foundation
import SQLiteStore

/// An import job as stored (migration 0010): what outlives the process that ran it.
public struct ImportJobRecord {
    public let id: String
    public let tokenID: Int64?
    public let kind: String
    public let state: String
    public let startedAt: String
    public let finishedAt: String?
    public let rowsDone: Int
    public let status: Int?
    public let answer: String?
}

/// The SQL of import jobs, in one place. Each job costs two writes: its start and its end.
public struct ImportJobStore {
    let pilar: Pilar
    /// Finished jobs are kept this long, and at most `keptPerToken` per token.
    public static let keptFor: TimeInterval = 24 * 3600
    public static let keptPerToken = 20
    /// The code a job that a restart interrupted answers with (its words are PilarAPI's).
    public static let interrupted = "import_job_interrupted"

    public func start(id: String, tokenID: Int64?, kind: String) throws {
        let now = pilar.clock.now()
        try pilar.db.write { c in
            // Old and surplus finished jobs go when a new one starts: the table stays bounded.
            try c.run("DELETE FROM import_jobs WHERE state <> 'running' AND started_at < ?",
                      Clock.timestamp(now.addingTimeInterval(-Self.keptFor)))
            try c.run("""
                DELETE FROM import_jobs WHERE token_id IS ? AND state <> 'running' AND id NOT IN
                    (SELECT id FROM import_jobs WHERE token_id IS ? ORDER BY started_at DESC LIMIT ?)
                """, tokenID, tokenID, Self.keptPerToken - 1)
            try c.run("INSERT INTO import_jobs (id, token_id, kind, state, started_at) VALUES (?, ?, ?, 'running', ?)",
                      id, tokenID, kind, Clock.timestamp(now))
        }
    }

    public func finish(id: String, failed: Bool, rowsDone: Int, status: Int, answer: String) throws {
        try pilar.db.write { c in
            try c.run("""
                UPDATE import_jobs SET state = ?, finished_at = ?, rows_done = ?, status = ?, answer = ? WHERE id = ?
                """, failed ? "failed" : "done", Clock.timestamp(pilar.clock.now()), rowsDone, status, answer, id)
        }
    }

    public func get(_ id: String) throws -> ImportJobRecord? {
        try pilar.db.read { c in
            try c.queryOne("SELECT * FROM import_jobs WHERE id = ?", id).map { r in
                ImportJobRecord(id: r.string("id"), tokenID: r.optionalInt64("token_id"), kind: r.string("kind"),
                                state: r.string("state"), startedAt: r.string("started_at"),
                                finishedAt: r.optionalString("finished_at"), rowsDone: r.int("rows_done"),
                                status: r.optionalInt("status"), answer: r.optionalString("answer"))
            }
        }
    }

    /// At start: jobs left `running` by a process that is gone are `failed`. Returns how many.
    @discardableResult
    public func failInterrupted() throws -> Int {
        try pilar.db.write { c in
            return try c.run("""
                UPDATE import_jobs SET state = 'failed', finished_at = ?, status = 503, answer = NULL WHERE state = 'running'
                """, Clock.timestamp(pilar.clock.now()))
        }
    }
}

extension Pilar {
    public var importJobs: ImportJobStore { ImportJobStore(pilar: self) }
}
