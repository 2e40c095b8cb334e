import Foundation
import SQLiteStore

public enum ImportOutcome { case created, updated, unchanged }

/// A row the import refuses, with every reason found in it.
public struct RowRejected: Error {
    public let errors: [ImportError]
    public init(_ errors: [ImportError]) { self.errors = errors }
    public init(row: Int, field: String?, code: String, message: String) {
        self.errors = [ImportError(row: row, field: field, code: code, message: message)]
    }
}

/// Thrown out of the write transaction to undo it while keeping the summary.
private struct RollBack: Error { let summary: ImportSummary }

extension Pilar {
    /// Runs an import in one write transaction: each row is applied in its own savepoint, a
    /// rejected row is rolled back alone, and at the end the whole transaction is rolled back
    /// for a dry run or for an all-or-nothing import with any rejected row. Rows are counted as
    /// created, updated or unchanged by `apply`, which decides by the row's natural key.
    public func runImport(_ rows: AnyIterator<Result<ImportRow, ImportError>>, options: ImportOptions,
                          apply: @escaping (Connection, ImportRow) throws -> ImportOutcome) throws -> ImportSummary {
        var summary = ImportSummary()
        summary.dryRun = options.dryRun
        do {
            summary = try write { c -> ImportSummary in
                var s = summary
                for item in rows {
                    switch item {
                    case .failure(let e):
                        s.rejected += 1
                        s.reject(e)
                    case .success(let row):
                        do {
                            let outcome = try c.savepoint { try apply(c, row) }
                            switch outcome {
                            case .created: s.created += 1
                            case .updated: s.updated += 1
                            case .unchanged: s.unchanged += 1
                            }
                        } catch let r as RowRejected {
                            s.rejected += 1
                            r.errors.forEach { s.reject($0) }
                        } catch let e as SQLiteError where e.isConstraintViolation {
                            s.rejected += 1
                            s.reject(ImportError(row: row.line, field: nil, code: "constraint", message: e.message))
                        }
                    }
                }
                if options.dryRun || (s.rejected > 0 && !options.skipInvalid) { throw RollBack(summary: s) }
                s.applied = true
                return s
            }
        } catch let r as RollBack {
            summary = r.summary
            summary.applied = false
        }
        return summary
    }
}
