import Foundation

/// The rules a monthly report's content must meet to be stored (CATALOG.md "Report rules").
///
/// Decisions where the documents are silent:
/// - The current month is not "in the future": a TKSK may draft while the month runs.
///   An activity may not be dated after today (WIB), even inside the current month.
/// - A blank `desa` means the whole kecamatan, like an absent one (as `normalized()` stores it).
/// - Codes are read case-insensitively and desa codes dotted or undotted, so raw and
///   normalized content validate the same; duplicates are found on the parsed values.
/// - An activity needs a description. Lengths count characters (what a person sees).
/// - A line with an unknown or retired category gets that one error, plus range errors on
///   its numbers, but no unit errors (the unit is of a category it cannot use).
public enum ReportValidation {
    public static let maxCount = 1_000_000
    public static let maxDescriptionLength = 2000
    public static let maxNoteLength = 4000
    public static let wib = TimeZone(secondsFromGMT: 7 * 3600)!

    public static func errors(_ content: ReportContent, kecamatan: RegionCode, period: ReportPeriod, now: Date,
                              desaExists: (RegionCode) -> Bool) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ code: String, _ values: MessageValues = [:], variant: String? = nil) {
            errors.append(variant.map { FieldError(field: field, code: code, values, variant: $0) } ?? FieldError(field: field, code: code, values))
        }
        func outOfRange(_ field: String, _ value: Int) {
            add(field, "out_of_range", ["min": 0, "max": .int(maxCount), "value": .text(String(value))])
        }
        if kecamatan.depth != 3 {
            add("kecamatan", "region_level")
        }
        let today = CalendarDate.today(in: wib, now: now)
        if period > today.period {
            add("period", "in_future", ["period": .text(period.description), "today": .text(today.period.description)], variant: "period")
        }

        // PMKS lines
        var seenLines: [String: Int] = [:]
        for (i, line) in content.pmks.enumerated() {
            let at = "pmks[\(i)]"
            let code = trim(line.category).uppercased()
            var category: PMKSCategory?
            if code.isEmpty {
                add("\(at).category", "required")
            } else if let found = PMKSCategory.named(code) {
                if found.active {
                    category = found
                } else if let successor = found.replacedBy {
                    add("\(at).category", "retired", ["category": .text(found.code), "successor": .text(successor)], variant: "pmks_category")
                } else {
                    add("\(at).category", "retired", ["category": .text(found.code)], variant: "pmks_category_ended")
                }
            } else {
                add("\(at).category", "unknown", ["value": .text(line.category)], variant: "pmks_category")
            }

            for (name, value) in [("male", line.male), ("female", line.female), ("count", line.count)] {
                if let value = value, !(0...maxCount).contains(value) {
                    outOfRange("\(at).\(name)", value)
                }
            }
            if let category = category {
                switch category.unit {
                case .person:
                    let unit = category.womenOnly ? "women_only" : "persons"
                    let c: MessageValues = ["category": .text(category.code)]
                    if line.male == nil { add("\(at).male", "required", c, variant: unit) }
                    if line.female == nil { add("\(at).female", "required", c, variant: unit) }
                    if line.count != nil { add("\(at).count", "not_applicable", c, variant: unit) }
                    if category.womenOnly, let male = line.male, male != 0 {
                        add("\(at).male", "women_only", ["category": .text(category.code), "value": .text(String(male))])
                    }
                case .household, .community:
                    let c: MessageValues = ["category": .text(category.code), "unit": .term("unit." + category.unit.rawValue)]
                    if line.count == nil { add("\(at).count", "required", c, variant: "count") }
                    for (name, value) in [("male", line.male), ("female", line.female)] where value != nil {
                        add("\(at).\(name)", "not_applicable", c, variant: "count")
                    }
                }
            }

            // The desa, when one is named.
            var desaKey = ""
            if let text = line.desa.map(trim), !text.isEmpty {
                desaKey = text
                if let desa = RegionCode(text), desa.depth == 4 {
                    desaKey = desa.dotted
                    if !kecamatan.contains(desa) {
                        add("\(at).desa", "outside", ["desa": .text(desa.dotted), "kecamatan": .text(kecamatan.dotted)])
                    } else if !desaExists(desa) {
                        add("\(at).desa", "unknown", ["value": .text(desa.dotted)], variant: "desa")
                    }
                } else {
                    add("\(at).desa", "invalid", ["value": .text(text), "example": .text("\(kecamatan.dotted).1001")], variant: "desa")
                }
            }
            if !code.isEmpty {
                let key = code + "|" + desaKey
                if let first = seenLines[key] {
                    if desaKey.isEmpty {
                        add("\(at).category", "duplicate", ["category": .text(code), "first": .text("pmks[\(first)]")], variant: "pmks")
                    } else {
                        add("\(at).category", "duplicate", ["category": .text(code), "desa": .text(desaKey), "first": .text("pmks[\(first)]")],
                            variant: "pmks_desa")
                    }
                } else {
                    seenLines[key] = i
                }
            }
        }

        // PSKS counts
        var seenTypes: [String: Int] = [:]
        for (i, item) in content.psks.enumerated() {
            let at = "psks[\(i)]"
            let code = trim(item.type).uppercased()
            if code.isEmpty {
                add("\(at).type", "required")
            } else if PSKSType.named(code) == nil {
                add("\(at).type", "unknown", ["value": .text(item.type)], variant: "psks_type")
            }
            if !(0...maxCount).contains(item.count) {
                outOfRange("\(at).count", item.count)
            }
            if !code.isEmpty {
                if let first = seenTypes[code] {
                    add("\(at).type", "duplicate", ["type": .text(code), "first": .text("psks[\(first)]")], variant: "psks")
                } else {
                    seenTypes[code] = i
                }
            }
        }

        // Activities
        for (i, activity) in content.activities.enumerated() {
            let at = "activities[\(i)]"
            if ActivityKind(rawValue: trim(activity.kind).lowercased()) == nil {
                add("\(at).kind", "unknown", ["value": .text(activity.kind), "allowed": .list(ActivityKind.allCases.map(\.rawValue))],
                    variant: "activity_kind")
            }
            if let date = CalendarDate(trim(activity.date)) {
                if !period.contains(date) {
                    add("\(at).date", "outside_period", ["date": .text(date.description), "period": .text(period.description)])
                } else if date > today {
                    add("\(at).date", "in_future", ["date": .text(date.description)], variant: "date")
                }
            } else {
                add("\(at).date", "invalid", ["value": .text(activity.date), "example": .text("\(period)-15")], variant: "date")
            }
            let description = trim(activity.description)
            if description.isEmpty {
                add("\(at).description", "required")
            } else if description.count > maxDescriptionLength {
                add("\(at).description", "too_long", ["length": .int(description.count), "max": .int(maxDescriptionLength)])
            }
            if let participants = activity.participants, !(0...maxCount).contains(participants) {
                outOfRange("\(at).participants", participants)
            }
        }

        // Notes
        for (name, text) in [("notes.kendala", content.notes.kendala), ("notes.tindak_lanjut", content.notes.tindakLanjut)] {
            if let text = text, trim(text).count > maxNoteLength {
                add(name, "too_long", ["length": .int(trim(text).count), "max": .int(maxNoteLength)])
            }
        }
        return errors
    }

    /// The content to store (normalized) and the errors that stop it.
    public static func check(_ content: ReportContent, kecamatan: RegionCode, period: ReportPeriod, now: Date,
                             desaExists: (RegionCode) -> Bool) -> (content: ReportContent, errors: [FieldError]) {
        let normalized = content.normalized()
        return (normalized, errors(normalized, kecamatan: kecamatan, period: period, now: now, desaExists: desaExists))
    }

    private static func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
}
