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
        func add(_ field: String, _ code: String, _ message: String) {
            errors.append(FieldError(field: field, code: code, message: message))
        }
        if kecamatan.depth != 3 {
            add("kecamatan", "region_level", "\(kecamatan) is not a kecamatan code (like 32.74.01)")
        }
        let today = CalendarDate.today(in: wib, now: now)
        if period > today.period {
            add("period", "in_future", "period \(period) is in the future (it is \(today.period) in WIB)")
        }

        // PMKS lines
        var seenLines: [String: Int] = [:]
        for (i, line) in content.pmks.enumerated() {
            let at = "pmks[\(i)]"
            let code = trim(line.category).uppercased()
            var category: PMKSCategory?
            if code.isEmpty {
                add("\(at).category", "required", "category is required")
            } else if let found = PMKSCategory.named(code) {
                if found.active {
                    category = found
                } else if let successor = found.replacedBy {
                    add("\(at).category", "retired", "category \(found.code) is retired; use \(successor)")
                } else {
                    add("\(at).category", "retired", "category \(found.code) is retired")
                }
            } else {
                add("\(at).category", "unknown", "unknown PMKS category \"\(line.category)\"")
            }

            for (name, value) in [("male", line.male), ("female", line.female), ("count", line.count)] {
                if let value = value, !(0...maxCount).contains(value) {
                    add("\(at).\(name)", "out_of_range", "\(name) must be a whole number from 0 to 1,000,000 (got \(value))")
                }
            }
            if let category = category {
                switch category.unit {
                case .person:
                    let hint = category.womenOnly ? "\(category.code) counts women only: give male 0 and female"
                        : "\(category.code) is counted in persons: give male and female"
                    if line.male == nil { add("\(at).male", "required", hint) }
                    if line.female == nil { add("\(at).female", "required", hint) }
                    if line.count != nil { add("\(at).count", "not_applicable", "\(hint), not count") }
                    if category.womenOnly, let male = line.male, male != 0 {
                        add("\(at).male", "women_only", "\(category.code) counts women only: male must be 0 (got \(male))")
                    }
                case .household, .community:
                    let unit = category.unit == .household ? "households (KK)" : "communities"
                    if line.count == nil { add("\(at).count", "required", "\(category.code) is counted in \(unit): give count") }
                    for (name, value) in [("male", line.male), ("female", line.female)] where value != nil {
                        add("\(at).\(name)", "not_applicable", "\(category.code) is counted in \(unit): give count, not \(name)")
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
                        add("\(at).desa", "outside", "desa \(desa) is not in kecamatan \(kecamatan)")
                    } else if !desaExists(desa) {
                        add("\(at).desa", "unknown", "desa \(desa) is not a known desa/kelurahan")
                    }
                } else {
                    add("\(at).desa", "invalid", "desa \"\(text)\" is not a desa code like \(kecamatan).1001")
                }
            }
            if !code.isEmpty {
                let key = code + "|" + desaKey
                if let first = seenLines[key] {
                    let place = desaKey.isEmpty ? "the whole kecamatan" : "desa \(desaKey)"
                    add("\(at).category", "duplicate", "a second line for \(code) in \(place) (the first is pmks[\(first)])")
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
                add("\(at).type", "required", "type is required")
            } else if PSKSType.named(code) == nil {
                add("\(at).type", "unknown", "unknown PSKS type \"\(item.type)\"")
            }
            if !(0...maxCount).contains(item.count) {
                add("\(at).count", "out_of_range", "count must be a whole number from 0 to 1,000,000 (got \(item.count))")
            }
            if !code.isEmpty {
                if let first = seenTypes[code] {
                    add("\(at).type", "duplicate", "a second count for \(code) (the first is psks[\(first)])")
                } else {
                    seenTypes[code] = i
                }
            }
        }

        // Activities
        for (i, activity) in content.activities.enumerated() {
            let at = "activities[\(i)]"
            if ActivityKind(rawValue: trim(activity.kind).lowercased()) == nil {
                let kinds = ActivityKind.allCases.map(\.rawValue).joined(separator: ", ")
                add("\(at).kind", "unknown", "unknown activity kind \"\(activity.kind)\"; kinds: \(kinds)")
            }
            if let date = CalendarDate(trim(activity.date)) {
                if !period.contains(date) {
                    add("\(at).date", "outside_period", "date \(date) is not in the report's month \(period)")
                } else if date > today {
                    add("\(at).date", "in_future", "date \(date) is in the future")
                }
            } else {
                add("\(at).date", "invalid", "date \"\(activity.date)\" is not a date like \(period)-15")
            }
            let description = trim(activity.description)
            if description.isEmpty {
                add("\(at).description", "required", "description is required")
            } else if description.count > maxDescriptionLength {
                add("\(at).description", "too_long",
                    "description has \(description.count) characters; at most \(maxDescriptionLength)")
            }
            if let participants = activity.participants, !(0...maxCount).contains(participants) {
                add("\(at).participants", "out_of_range",
                    "participants must be a whole number from 0 to 1,000,000 (got \(participants))")
            }
        }

        // Notes
        for (name, text) in [("notes.kendala", content.notes.kendala), ("notes.tindak_lanjut", content.notes.tindakLanjut)] {
            if let text = text, trim(text).count > maxNoteLength {
                add(name, "too_long", "\(name) has \(trim(text).count) characters; at most \(maxNoteLength)")
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
