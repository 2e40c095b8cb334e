import Foundation

/// How big one import may be, and how it shares the database writer. The caps keep the
/// all-or-nothing transaction (which holds the writer) bounded; a bigger file is split.
/// Stated in openapi.yaml (the import operations) and checked before any row is applied.
public struct ImportLimits {
    /// Data rows per file (a province's first registry load is about 200,000).
    public var maxRows = 250_000
    /// Bytes per uploaded file.
    public var maxBytes = 64 << 20
    /// Rows per write transaction for `on_error=skip` and dry runs, which do not need the
    /// whole file in one transaction: between batches other writes get the writer.
    public var batchRows = 500
    /// From how big a file `Prefer: respond-async` makes the import a job: line feeds of a CSV
    /// or NDJSON file, bytes of an .xlsx (about 2,000 rows of a register). Smaller files are
    /// answered at once, the preference ignored.
    public var asyncFromLines = 2_000
    public var asyncFromXLSXBytes = 96 << 10
    public init() {}

    func tooManyBytes() -> PilarError {
        PilarError(.payloadTooLarge, code: "import_too_large",
                   errors: [FieldError(field: "body", code: "import_too_large", ["max_bytes": .int(maxBytes)])],
                   extra: ["code": "import_too_large", "max_bytes": .int(Int64(maxBytes))])
    }

    func tooManyRows(_ count: Int) -> PilarError {
        PilarError(.payloadTooLarge, code: "import_too_many_rows",
                   errors: [FieldError(field: "body", code: "import_too_many_rows", ["count": .int(count), "max": .int(maxRows)])],
                   extra: ["code": "import_too_many_rows", "max_rows": .int(Int64(maxRows))])
    }
}
