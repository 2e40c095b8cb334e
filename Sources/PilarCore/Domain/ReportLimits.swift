import Foundation

/// How much one monthly report may hold, and when a save is a new version. A report is a
/// month's work of one TKSK: these bounds are far above what a real month needs and keep one
/// token from filling the disk or the server's memory through a single report.
///
/// - Content: at most `maxActivities` activities, and at most `maxContentBytes` of stored
///   content (the canonical JSON). Past either: 422 with code `too_many_activities` or
///   `content_too_large`, naming the limit.
/// - Versions: a draft (or returned report) saved again by the same token within
///   `collapseWindow` of its last save, with no submit or return in between, replaces that
///   save's version instead of adding one: what a person expects of repeated saves while
///   typing, and the history keeps one version per sitting. Any other change (another
///   person, a later sitting, after a return, a revision of a verified report) is a new
///   version, up to `maxVersions`; past that a change that would add one is refused (409,
///   code `version_limit`), while saves that collapse go on.
public enum ReportLimits {
    public static let maxActivities = 100
    public static let maxContentBytes = 256 * 1024
    public static let collapseWindow: TimeInterval = 10 * 60
    public static let maxVersions = 100

    /// The limit errors of content about to be stored (`stored` is its canonical JSON text).
    public static func errors(activities: Int, storedBytes: Int) -> [FieldError] {
        var out: [FieldError] = []
        if activities > maxActivities {
            out.append(FieldError(field: "activities", code: "too_many_activities", ["max": .int(maxActivities), "value": .int(activities)]))
        }
        if storedBytes > maxContentBytes {
            out.append(FieldError(field: "", code: "content_too_large", ["max_kib": .int(maxContentBytes / 1024), "kib": .int(storedBytes / 1024)]))
        }
        return out
    }

    /// The last thing that happened to a report, as the collapse rule needs it.
    public struct LastSave {
        public var action: String        // the event: created, replaced, submitted, ...
        public var tokenID: Int64?
        public var at: Date
        public init(action: String, tokenID: Int64?, at: Date) {
            self.action = action
            self.tokenID = tokenID
            self.at = at
        }
    }

    /// Whether a draft save by `tokenID` at `now` replaces the current version (see above).
    /// Only plain saves collapse: `created` or `replaced` as the last event, by the same token
    /// (the CLI, with no token, never collapses), not longer ago than the window.
    public static func collapses(into last: LastSave, by tokenID: Int64?, now: Date) -> Bool {
        guard let tokenID, last.tokenID == tokenID, last.action == "created" || last.action == "replaced" else { return false }
        let age = now.timeIntervalSince(last.at)
        return age >= 0 && age <= collapseWindow
    }
}
