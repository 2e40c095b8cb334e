import Foundation

/// The fields a return note may point at, named as the history names them: by stable key, not
/// by position in the server's sorted order (`pmks[LUT].male`, `pmks[PGM@32.74.01.1001].female`,
/// `psks[PSM].count`), activities by their place in the report as shown, and the notes.
extension ReportContent {
    public var noteFields: Set<String> {
        var out: Set<String> = ["pmks", "psks", "activities", "notes", "notes.kendala", "notes.tindak_lanjut"]
        for l in pmks {
            let f = "pmks[\(l.key)]"
            out.formUnion([f, f + ".male", f + ".female", f + ".count"])
        }
        for p in psks { out.formUnion(["psks[\(p.type)]", "psks[\(p.type)].count"]) }
        for i in activities.indices {
            let f = "activities[\(i)]"
            out.formUnion([f] + ["kind", "date", "description", "participants"].map { "\(f).\($0)" })
        }
        return out
    }

    /// The shape of a field name (openapi.yaml states the same pattern); whether the report
    /// has that field is `unknownNoteFields`.
    static let notePattern = try! NSRegularExpression(pattern: #"""
        ^(pmks|psks|activities|notes|notes\.(kendala|tindak_lanjut)|pmks\[[A-Za-z0-9_]+(@[0-9.]+)?\](\.(male|female|count))?|psks\[[A-Za-z0-9_]+\](\.count)?|activities\[[0-9]{1,3}\](\.(kind|date|description|participants))?)$
        """#)

    /// Field errors for notes whose field is not written as a report field is (422).
    public static func malformedNoteFields(_ notes: [FieldNote]) -> [FieldError] {
        notes.enumerated().compactMap { i, n in
            let range = NSRange(n.field.startIndex..., in: n.field)
            return notePattern.firstMatch(in: n.field, range: range) != nil ? nil : FieldError(
                field: "notes[\(i)].field", code: "malformed_field", ["value": .text(n.field)])
        }
    }

    /// Field errors for the notes that point nowhere in this report (409: the report's lines
    /// are its current state).
    public func unknownNoteFields(_ notes: [FieldNote]) -> [FieldError] {
        let known = noteFields
        let example = pmks.first.map { "pmks[\($0.key)].\($0.count == nil ? "male" : "count")" } ?? "notes.kendala"
        return notes.enumerated().compactMap { i, n in
            known.contains(n.field) ? nil : FieldError(
                field: "notes[\(i)].field", code: "unknown_report_field", ["value": .text(n.field), "example": .text(example)])
        }
    }
}
