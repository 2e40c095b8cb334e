import Foundation
import SQLiteStore

public enum ImportOutcome { case created, updated, unchanged }

/// A row the import refuses, with every reason found in it.
public struct RowRejected: Error {
    public let errors: [ImportError]
    public init(_ errors: [ImportError]) { self.errors = errors }
    public init(row: Int, field: String?, code: String, _ values: MessageValues = [:]) {
        self.errors = [ImportError(row: row, field: field, code: code, values)]
    }
    /// COMPATIBILITY (issue 15): a row refused in words.
    public init(row: Int, field: String?, code: String, message: String) {
        self.errors = [ImportError(row: row, field: field, code: code, message: message)]
    }
}

/// Thrown out of the write transaction to undo it while keeping the summary.
private struct RollBack: Error { let summary: ImportSummary }

extension Pilar {
    /// Runs an import; each row is applied in its own savepoint and a rejected row is rolled
    /// back alone. Rows are counted as created, updated or unchanged by `apply`, which decides
    /// by the row's natural key.
    ///
    /// All-or-nothing (the default) runs in one write transaction, rolled back if any row is
    /// rejected. `on_error=skip` and dry runs go in batches of `config.imports.batchRows` rows,
    /// one write each (a skip batch is committed, a dry-run batch rolled back), so other writes
    /// get the writer between them; a row is always whole in one batch. A dry run therefore
    /// checks each row against the database plus the rows before it in its batch: a later row
    /// repeating the key of one more than a batch earlier counts as created, not updated.
    ///
    /// `rowsAreAtomic`: `apply` makes at most one write statement per row, after every check
    /// (SQLite undoes a failed statement alone), so a row needs no savepoint of its own.
    /// `endBatch` runs last in each batch's transaction (e.g. to forget what a rolled-back
    /// batch wrote).
    public func runImport(_ rows: AnyIterator<Result<ImportRow, ImportError>>, options: ImportOptions,
                          rowsAreAtomic: Bool = false, endBatch: ((Connection) throws -> Void)? = nil,
                          apply: @escaping (Connection, ImportRow) throws -> ImportOutcome) throws -> ImportSummary {
        var summary = ImportSummary()
        summary.dryRun = options.dryRun
        let batched = options.dryRun || options.skipInvalid
        let batchRows = batched ? max(1, config.imports.batchRows) : Int.max
        var exhausted = false
        var first = true
        while !exhausted {
            // The first batch waits for the writer like any write; later ones already hold
            // this import's place and wait their turn.
            do {
                summary = try write(waitingAtMost: first ? db.writeWaitBudget : nil) { c -> ImportSummary in
                    var s = summary
                    var taken = 0
                    while taken < batchRows {
                        guard let item = rows.next() else { exhausted = true; break }
                        taken += 1
                        try Self.applyRow(item, to: &s, on: c, atomic: rowsAreAtomic, apply)
                    }
                    try endBatch?(c)
                    if options.dryRun || (s.rejected > 0 && !options.skipInvalid) { throw RollBack(summary: s) }
                    return s
                }
            } catch let r as RollBack {
                summary = r.summary
            }
            first = false
        }
        summary.applied = !options.dryRun && (summary.rejected == 0 || options.skipInvalid)
        return summary
    }

    private static func applyRow(_ item: Result<ImportRow, ImportError>, to s: inout ImportSummary, on c: Connection,
                                 atomic: Bool, _ apply: (Connection, ImportRow) throws -> ImportOutcome) throws {
        switch item {
        case .failure(let e):
            s.rejected += 1
            s.reject(e)
        case .success(let row):
            do {
                let outcome = atomic ? try apply(c, row) : try c.savepoint { try apply(c, row) }
                switch outcome {
                case .created: s.created += 1
                case .updated: s.updated += 1
                case .unchanged: s.unchanged += 1
                }
            } catch let r as RowRejected {
                s.rejected += 1
                r.errors.forEach { s.reject(row.locate($0)) }
            } catch let e as SQLiteError where e.isConstraintViolation {
                s.rejected += 1
                s.reject(ImportError(row: row.line, field: nil, code: "constraint", ["reason": .text(e.message)]))
            }
        }
    }
}
