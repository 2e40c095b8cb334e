import Foundation

/// Plausibility warnings computed at submit. Never errors: a Dinas operator reads them
/// beside the numbers before verifying.
///
/// - An empty report (no PMKS line, no PSKS count, no activity): `empty_report`.
/// - Desa lines that do not add up: for a category with both a whole-kecamatan line (no desa)
///   and desa lines, each of male, female and count must equal the sum over the desa lines.
/// - Unusual total: the category's total against its last 12 months of history (median and
///   MAD, robust z = 0.6745 (x - median) / MAD), warned when |z| > 3.5 with at least 6 months.
///   When MAD is 0 the mean absolute deviation stands in (z = (x - median) / (1.2533 meanAD));
///   when that is 0 too (a flat history) any change counts as unusual.
/// - Sudden change: more than 3 times, or less than a third of, the previous month.
/// - Both history rules also need the total to differ by more than 20 (from the median, or
///   from the previous month), so small counts moving by a few never warn.
///
/// A category's total is its whole-kecamatan line when there is one, else the sum of its desa
/// lines. History is per category code (any case): one total per period, in any order (it is
/// sorted here; when a period appears twice the first entry counts). Without the report's
/// period, the most recent 12 entries are the window and the most recent one is "the previous
/// month"; with it, only the 12 months before it count and the previous month is exactly
/// `period.previous`.
public enum ReportQuality {
    public static let zLimit = 3.5
    public static let minimumHistory = 6
    public static let window = 12
    public static let jumpFactor = 3
    public static let minimumChange = 20

    public static func warnings(_ content: ReportContent,
                                history: [String: [(period: ReportPeriod, total: Int)]]) -> [FieldError] {
        warnings(content, period: nil, history: history)
    }

    public static func warnings(_ content: ReportContent, period: ReportPeriod?,
                                history: [String: [(period: ReportPeriod, total: Int)]]) -> [FieldError] {
        var warnings: [FieldError] = []
        // Nothing to verify: the Dinas should see that before it counts the month as received.
        if content.pmks.isEmpty && content.psks.isEmpty && content.activities.isEmpty {
            warnings.append(FieldError(field: "", code: "empty_report"))
        }
        var byCode: [String: [(period: ReportPeriod, total: Int)]] = [:]
        for (code, entries) in history { byCode[code.uppercased(), default: []] += entries }

        // Lines by category, in order of first appearance.
        var order: [String] = []
        var lines: [String: [(index: Int, line: PMKSLine)]] = [:]
        for (i, line) in content.pmks.enumerated() {
            let code = line.category.trimmingCharacters(in: .whitespaces).uppercased()
            if lines[code] == nil { order.append(code) }
            lines[code, default: []].append((i, line))
        }

        for code in order {
            let entries = lines[code]!
            let whole = entries.first { isBlank($0.line.desa) }
            let desaLines = entries.filter { !isBlank($0.line.desa) }
            if let whole = whole, !desaLines.isEmpty, let mismatch = sumMismatch(whole.line, desaLines.map(\.line)) {
                warnings.append(FieldError(field: "pmks[\(whole.index)]", code: "desa_sum_mismatch",
                                           ["category": .text(code), "desa": .text(mismatch.desa), "whole": .text(mismatch.whole)]))
            }

            let total: Int?
            if let whole = whole {
                total = whole.line.total
            } else {
                let totals = desaLines.map(\.line.total)
                total = totals.contains { $0 == nil } ? nil : totals.reduce(0) { $0 + $1! }
            }
            guard let x = total else { continue }
            let field = "pmks[\((whole ?? entries[0]).index)]"
            let past = relevantHistory(byCode[code] ?? [], period: period)

            if past.count >= minimumHistory {
                let values = past.map { Double($0.total) }
                let median = ReportQuality.median(values)
                let deviation = Double(x) - median
                let z = robustZ(deviation, values: values, median: median)
                if abs(z) > zLimit, abs(deviation) > Double(minimumChange) {
                    var values: MessageValues = ["category": .text(code), "total": .int(x), "median": .text(format(median)),
                                                 "months": .int(past.count)]
                    if !z.isInfinite { values["z"] = .text(String(format: "%.1f", z)) }
                    warnings.append(FieldError(field: field, code: "unusual_total", values, wording: z.isInfinite ? "unusual_total.flat" : nil))
                }
            }
            let previous: (period: ReportPeriod, total: Int)?
            if let period = period {
                previous = past.first { $0.period == period.previous }
            } else {
                previous = past.first
            }
            if let prev = previous, abs(x - prev.total) > minimumChange,
               x > jumpFactor * prev.total || prev.total > jumpFactor * x {
                var values: MessageValues = ["category": .text(code), "total": .int(x), "previous": .int(prev.total),
                                             "period": .text(prev.period.description)]
                if x > prev.total { values["factor"] = .int(jumpFactor) }
                warnings.append(FieldError(field: field, code: "sudden_change", values, variant: x > prev.total ? "up" : "down"))
            }
        }
        return warnings
    }

    /// Most recent first, one entry per period, at most `window` of them, before `period`.
    private static func relevantHistory(_ entries: [(period: ReportPeriod, total: Int)],
                                        period: ReportPeriod?) -> [(period: ReportPeriod, total: Int)] {
        var seen = Set<ReportPeriod>()
        var unique: [(period: ReportPeriod, total: Int)] = []
        for entry in entries where seen.insert(entry.period).inserted { unique.append(entry) }
        unique.sort { $0.period > $1.period }
        if let period = period {
            let oldest = period.adding(months: -window)
            return unique.filter { $0.period < period && $0.period >= oldest }
        }
        return Array(unique.prefix(window))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// The modified z-score of Iglewicz and Hoaglin, with the mean absolute deviation when
    /// the MAD is 0; ±infinity for any change from a flat history.
    static func robustZ(_ deviation: Double, values: [Double], median: Double) -> Double {
        guard deviation != 0 else { return 0 }
        let absolute = values.map { abs($0 - median) }
        let mad = ReportQuality.median(absolute)
        if mad > 0 { return 0.6745 * deviation / mad }
        let meanAD = absolute.reduce(0, +) / Double(absolute.count)
        if meanAD > 0 { return deviation / (1.253314 * meanAD) }
        return deviation > 0 ? .infinity : -.infinity
    }

    /// Describes the fields that differ, or nil when the desa lines add up.
    private static func sumMismatch(_ whole: PMKSLine, _ desa: [PMKSLine]) -> (desa: String, whole: String)? {
        var desaParts: [String] = [], wholeParts: [String] = []
        for (name, get) in [("male", \PMKSLine.male), ("female", \PMKSLine.female), ("count", \PMKSLine.count)] {
            guard let w = whole[keyPath: get] else { continue }
            let sum = desa.reduce(0) { $0 + ($1[keyPath: get] ?? 0) }
            if sum != w {
                desaParts.append("\(name) \(sum)")
                wholeParts.append("\(name) \(w)")
            }
        }
        return desaParts.isEmpty ? nil : (desaParts.joined(separator: ", "), wholeParts.joined(separator: ", "))
    }

    private static func isBlank(_ s: String?) -> Bool { s?.trimmingCharacters(in: .whitespaces).isEmpty ?? true }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
