import Foundation
import SQLiteStore

/// What a TKSK has to do, for `/v1/me`: the months of their kecamatan whose report is due and
/// not sent yet (newest first), and the reports the Dinas returned with its reason and notes.
extension ReportService {
    /// How far back a missing month still counts as a task.
    static let taskMonths = 12
    static let maxReturned = 20

    /// Nil for a caller whose region is not one kecamatan (only a TKSK writes one report a month).
    public func tasks(by caller: Caller) throws -> JSON? {
        guard caller.role == .tksk, let k = caller.region, k.depth == 3 else { return nil }
        let moment = now
        let policy = pilar.config.dueDates
        let thisMonth = ReportPeriod.containing(moment, timeZone: ReportValidation.wib)
        let oldest = thisMonth.adding(months: -Self.taskMonths)
        return try pilar.db.read { c in
            var status: [String: String] = [:]
            for r in try ReportStore.statuses(c, kecamatan: k, from: oldest, before: thisMonth) {
                status[r.string("period")] = r.string("status")
            }
            var due: [JSON] = []
            for back in 1...Self.taskMonths {
                let period = thisMonth.adding(months: -back)
                let s = status[period.description] ?? "missing"
                guard s == "missing" || s == "draft" else { continue }
                var o = JSONObject()
                o["kecamatan"] = .string(k.dotted)
                o["period"] = .string(period.description)
                o["status"] = .string(s)
                o["due_at"] = .string(Clock.timestamp(policy.dueAt(period)))
                o["days_late"] = .int(Int64(policy.daysLate(submittedAt: nil, period: period, now: moment)))
                due.append(.object(o))
            }
            let returned = try ReportStore.returned(c, kecamatan: k, limit: Self.maxReturned).map { r -> JSON in
                var o = JSONObject()
                o["kecamatan"] = .string(k.dotted)
                o["period"] = .string(r.string("period"))
                o["returned_at"] = .from(r.optionalString("returned_at"))
                o["reason"] = .from(r.optionalString("return_reason"))
                o["notes"] = .array(FieldNote.list(r.optionalString("return_notes")).map(\.json))
                return .object(o)
            }
            var o = JSONObject()
            o["due"] = .array(due)
            o["returned"] = .array(returned)
            return .object(o)
        }
    }
}
