import Foundation
import SQLiteStore

/// A repeatable request: the first answer is stored under the caller's key with a hash of the
/// body, in the same transaction as the change, and a repeat gets that answer again.
public struct IdempotencyRequest {
    public let key: String
    public let method: String
    public let path: String
    public let bodyHash: String
    public init(key: String, method: String, path: String, body: [UInt8]) {
        self.key = key
        self.method = method
        self.path = path
        self.bodyHash = Digest.sha256Hex(body)
    }
}

/// The key was used before for a request with another body: a client bug, never replayed.
public struct IdempotencyKeyReused: Error {
    public let key: String
}

extension ReportService {
    /// `submit`, `verify` or `return` (with `{reason, notes?: [{field, message}]}`).
    public func act(_ action: ReportAction, _ kecamatan: RegionCode, _ period: ReportPeriod, body: JSONObject,
                    expected: ExpectedVersion = .anything, idempotency: IdempotencyRequest? = nil, by caller: Caller) throws -> ReportAnswer {
        guard [.submit, .verify, .return].contains(action) else {
            throw PilarError(.badRequest, code: "unknown_action", ["action": .text(action.rawValue)])
        }
        try caller.requireRole([.admin, .kabkota, .tksk], to: action.rawValue + "_reports")
        try caller.requireCovers(kecamatan)
        try Self.requireKecamatanCode(kecamatan)
        let (reason, notes) = try Self.actionBody(action, body)
        let malformed = ReportContent.malformedNoteFields(notes)
        if !malformed.isEmpty { throw PilarError.invalid(malformed) }
        let moment = now
        let stamp = Clock.timestamp(moment)
        return try pilar.write { c in
            if let idempotency, let replay = try ReportStore.storedAnswer(c, idempotency, by: caller) { return replay }
            let region = try Self.requireKecamatan(kecamatan, c)
            guard let r = try ReportStore.find(c, kecamatan, period) else {
                throw Self.notFound(kecamatan, region, period)
            }
            try Self.requireExpected(expected, r, kecamatan, period)
            if action == .return {
                let wrong = r.content.unknownNoteFields(notes)
                if !wrong.isEmpty {
                    throw PilarError(.conflict, code: "unknown_report_field", wrong[0].values,
                                     errors: wrong, extra: ["current_status": .string(r.status.rawValue),
                                                            "current_version": .int(Int64(r.version))])
                }
            }
            let to: ReportStatus
            switch ReportWorkflow.next(from: r.status, action: action, actor: caller.reportActor, reason: reason) {
            case .failure(let e): throw Self.problem(e, r)
            case .success(let s): to = s
            }
            switch action {
            case .submit:
                // Lateness is judged on the first submission: a report sent on time and returned
                // for correction stays on time. Each resubmission is in the history.
                let first = r.submittedAt == nil
                let late = first ? pilar.config.dueDates.isLate(submittedAt: moment, period: period) : r.late
                let history = try ReportStore.history(c, kecamatan: kecamatan, before: period)
                let warnings = ReportQuality.warnings(r.content, period: period, history: history)
                try ReportStore.setStatus(c, r, to: to, sets: "submitted_at = coalesce(submitted_at, ?), submitted_by = ?, late = ?, warnings = ?",
                                          [stamp, caller.name, late ? 1 : 0, ReportRecord.storedWarnings(warnings)],
                                          event: .init(action: first ? "submitted" : "resubmitted", status: to), at: stamp, by: caller)
            case .verify:
                try ReportStore.setStatus(c, r, to: to, sets: "verified_at = ?, verified_by = ?", [stamp, caller.name],
                                          event: .init(action: "verified", status: to, reason: reason), at: stamp, by: caller)
            default:
                try ReportStore.setStatus(c, r, to: to, sets: "returned_at = ?, returned_by = ?, return_reason = ?, return_notes = ?",
                                          [stamp, caller.name, reason, FieldNote.stored(notes)],
                                          event: .init(action: "returned", status: to, reason: reason, notes: notes), at: stamp, by: caller)
            }
            try ReportStore.audit(c, kecamatan, period, action: action.rawValue, at: stamp, by: caller,
                                  before: ["status": .string(r.status.rawValue)],
                                  after: ["status": .string(to.rawValue), "reason": .from(reason)])
            let a = try answer(try ReportStore.find(c, kecamatan, period)!, .updated, c: c, by: caller)
            if let idempotency { try ReportStore.storeAnswer(c, idempotency, a, at: stamp, by: caller) }
            return a
        }
    }

    /// Type-checks the action body: `reason` (a string; required to return) and, for return,
    /// `notes` [{field, message}].
    static func actionBody(_ action: ReportAction, _ o: JSONObject) throws -> (String?, [FieldNote]) {
        var errors: [FieldError] = []
        let allowed = action == .return ? ["reason", "notes"] : ["reason"]
        for (k, _) in o where !allowed.contains(k) {
            errors.append(FieldError(field: k, code: "unknown_field", ["allowed": .list(allowed)]))
        }
        var reason: String?
        if let v = o["reason"], !v.isNull {
            if let s = v.stringValue { reason = s.trimmingCharacters(in: .whitespacesAndNewlines) } else {
                errors.append(.wrongType("reason", expected: "string", v))
            }
        }
        if let r = reason, r.count > 2000 {
            errors.append(FieldError(field: "reason", code: "too_long", ["length": .int(r.count), "max": 2000]))
        }
        var notes: [FieldNote] = []
        if action == .return, let v = o["notes"], !v.isNull {
            if let a = v.arrayValue {
                for (i, item) in a.enumerated() {
                    let p = "notes[\(i)]"
                    guard let io = item.objectValue else {
                        errors.append(.wrongType(p, expected: "object", item))
                        continue
                    }
                    for (k, _) in io where k != "field" && k != "message" {
                        errors.append(FieldError(field: "\(p).\(k)", code: "unknown_field", ["allowed": ["field", "message"]]))
                    }
                    let f = io["field"]?.stringValue, m = io["message"]?.stringValue
                    for (key, value) in [("field", f), ("message", m)] where value == nil || value!.isEmpty {
                        errors.append(io[key] == nil ? FieldError(field: "\(p).\(key)", code: "required")
                                      : .wrongType("\(p).\(key)", expected: "nonempty_string", io[key]!))
                    }
                    if let f, let m, !f.isEmpty, !m.isEmpty { notes.append(FieldNote(field: f, message: m)) }
                }
            } else {
                errors.append(.wrongType("notes", expected: "array", v))
            }
        }
        if !errors.isEmpty { throw PilarError.invalid(errors) }
        return (reason.flatMap { $0.isEmpty ? nil : $0 }, notes)
    }
}
