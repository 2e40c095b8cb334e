import Foundation
import SQLiteStore

extension Pilar {
    public var reports: ReportService { ReportService(self) }
}

/// What a report read or write answers: what happened, the report as the caller sees it and
/// its version. PilarAPI turns the outcome into a status (ReportRoutes.reply).
public struct ReportAnswer {
    public enum Outcome: String {
        /// A new report (its first version).
        case created
        /// The draft's content was replaced (a new version, or the same one within a sitting).
        case replaced
        /// Nothing changed: a read, or the same content PUT again.
        case unchanged
        /// A workflow action moved the report (submit, verify, return).
        case updated
    }
    public let outcome: Outcome
    public let body: JSON
    public let version: VersionTag?
    /// True when a repeated request with the same idempotency key got the stored first answer.
    public var replayed = false
}

/// TKSK monthly reports: create and replace drafts, the workflow, history, lists, backfill.
/// Scope is checked on the path's kecamatan before anything is looked up, so a 403 never says
/// whether a report exists outside the caller's subtree.
public struct ReportService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    var now: Date { pilar.clock.now() }

    /// Who may read reports: everyone but viewer (dashboards only), inside their subtree.
    func requireReadable(_ kecamatan: RegionCode, by caller: Caller) throws {
        try caller.requireRole([.admin, .provinsi, .kabkota, .tksk], to: "read_reports")
        try caller.requireCovers(kecamatan)
        try Self.requireKecamatanCode(kecamatan)
    }

    static func requireKecamatanCode(_ code: RegionCode) throws {
        guard code.depth == 3 else {
            throw PilarError(.badRequest, code: "not_a_kecamatan", ["region": .text(code.dotted)],
                             errors: [FieldError(field: "kecamatan", code: "region_level")])
        }
    }

    public static func period(_ text: String) throws -> ReportPeriod {
        guard let p = ReportPeriod(text) else {
            throw PilarError(.badRequest, code: "period_malformed", ["value": .text(text)],
                             errors: [FieldError(field: "period", code: "malformed_period")])
        }
        return p
    }

    static func requireKecamatan(_ code: RegionCode, _ c: Connection) throws -> Region {
        guard let region = try RegionService.lookup(code, on: c), region.level == .kecamatan else {
            throw PilarError(.notFound, code: "kecamatan_not_found", ["region": .text(code.dotted)])
        }
        return region
    }

    func render(_ r: ReportRecord, name: String?, by caller: Caller) -> JSON {
        var allowed = ReportWorkflow.allowedActions(from: r.status, actor: caller.reportActor)
        if r.status == .verified { allowed.removeAll { $0 == .edit } }
        return r.json(kecamatanName: name, allowed: allowed, daysLate: r.daysLate(policy: pilar.config.dueDates, now: now))
    }

    func answer(_ r: ReportRecord, _ outcome: ReportAnswer.Outcome, c: Connection, by caller: Caller) throws -> ReportAnswer {
        let name = try RegionService.lookup(r.kecamatan, on: c)?.name
        return ReportAnswer(outcome: outcome, body: render(r, name: name, by: caller), version: r.versionTag)
    }

    /// Refuses the write unless the writer's expected version is current; the refusal carries
    /// the current version number and the current tag.
    static func requireExpected(_ expected: ExpectedVersion, _ r: ReportRecord?, _ kecamatan: RegionCode, _ period: ReportPeriod) throws {
        try expected.check(r?.versionTag, what: "report", id: "\(kecamatan.dotted) \(period)",
                           extra: r.map { ["current_version": .int(Int64($0.version))] } ?? JSONObject())
    }

    // MARK: reading

    public func get(_ kecamatan: RegionCode, _ period: ReportPeriod, by caller: Caller) throws -> ReportAnswer {
        try requireReadable(kecamatan, by: caller)
        return try pilar.db.read { c in
            let region = try Self.requireKecamatan(kecamatan, c)
            guard let r = try ReportStore.find(c, kecamatan, period) else {
                throw Self.notFound(kecamatan, region, period)
            }
            return ReportAnswer(outcome: .unchanged, body: render(r, name: region.name, by: caller), version: r.versionTag)
        }
    }

    // MARK: PUT

    /// Creates or replaces the draft. The same content again is no new version; a verified
    /// report takes a new version from kabkota or admin with `reason`. `expected` is the version
    /// the writer read (or `.absent`: create only).
    public func put(_ kecamatan: RegionCode, _ period: ReportPeriod, body: JSONObject, expected: ExpectedVersion = .anything,
                    by caller: Caller) throws -> ReportAnswer {
        try caller.requireRole([.admin, .kabkota, .tksk], to: "write_reports")
        try caller.requireCovers(kecamatan)
        try Self.requireKecamatanCode(kecamatan)
        for (key, value) in [("kecamatan", kecamatan.dotted), ("period", period.description)] {
            if let given = body[key], !given.isNull {
                let same = key == "kecamatan" ? given.stringValue.flatMap(RegionCode.init) == kecamatan
                    : given.stringValue == value
                if !same { throw PilarError.field(key, code: "path_mismatch", ["expected": .text(value)]) }
            }
        }
        let raw = try ReportContent.decode(body)
        // The size limits first: cheap, and before a huge body is validated line by line.
        let limitErrors = ReportLimits.errors(activities: raw.activities.count, storedBytes: raw.canonical().stored.utf8.count)
        if !limitErrors.isEmpty { throw PilarError.invalid(limitErrors) }
        let reason = body["reason"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines)
        let moment = now
        let stamp = Clock.timestamp(moment)
        return try pilar.write { c in
            _ = try Self.requireKecamatan(kecamatan, c)
            let existing = try ReportStore.find(c, kecamatan, period)
            try Self.requireExpected(expected, existing, kecamatan, period)
            let errors = ReportValidation.errors(raw, kecamatan: kecamatan, period: period, now: moment) { desa in
                ((try? RegionService.lookup(desa, on: c)) ?? nil).map { $0.level == .desa || $0.level == .kelurahan } ?? false
            }
            if !errors.isEmpty { throw PilarError.invalid(errors) }
            let content = raw.canonical()

            guard let existing else {
                guard ReportWorkflow.mayCreate(caller.reportActor) else {
                    throw PilarError(.forbidden, code: "workflow_not_yours", Self.values(.forbidden(actor: caller.reportActor, action: .edit)))
                }
                let due = Clock.timestamp(pilar.config.dueDates.dueAt(period))
                _ = try ReportStore.create(c, kecamatan: kecamatan, period: period, status: ReportWorkflow.initialStatus,
                                           content: content, dueAt: due, at: stamp, by: caller, event: "created")
                let r = try ReportStore.find(c, kecamatan, period)!
                try ReportStore.audit(c, kecamatan, period, action: "create", at: stamp, by: caller, before: nil,
                                      after: ["version": 1, "status": .string(r.status.rawValue)])
                return try answer(r, .created, c: c, by: caller)
            }
            // The same content again (a retry, or a client PUTting back what it read) changes nothing.
            if content.stored == existing.storedContent { return try answer(existing, .unchanged, c: c, by: caller) }

            let action: ReportAction = existing.status == .verified ? .revise : .edit
            switch ReportWorkflow.next(from: existing.status, action: action, actor: caller.reportActor, reason: reason) {
            case .failure(.forbidden) where action == .revise:
                // For a TKSK the verified report is closed: a state conflict, not a role problem.
                throw PilarError(.conflict, code: "workflow_not_now", Self.values(.illegal(from: .verified, action: .edit, allowed: [])),
                                 extra: ["current_status": "verified", "allowed_actions": [], "current_version": .int(Int64(existing.version))])
            case .failure(let e): throw Self.problem(e, existing)
            case .success: break
            }
            if action == .edit, let last = try ReportStore.lastSave(c, existing),
               ReportLimits.collapses(into: last, by: caller.tokenID, now: moment) {
                try ReportStore.replaceCurrentVersion(c, existing, content: content, at: stamp, by: caller)
                try ReportStore.audit(c, kecamatan, period, action: "replace", at: stamp, by: caller,
                                      before: ["version": .int(Int64(existing.version))],
                                      after: ["version": .int(Int64(existing.version)), "same_sitting": true])
                return try answer(try ReportStore.find(c, kecamatan, period)!, .replaced, c: c, by: caller)
            }
            guard existing.version < ReportLimits.maxVersions else {
                throw PilarError(.conflict, code: "version_limit",
                                 extra: ["current_version": .int(Int64(existing.version)), "limit": .int(Int64(ReportLimits.maxVersions))])
            }
            try ReportStore.newVersion(c, existing, content: content, at: stamp, by: caller,
                                       reason: reason.flatMap { $0.isEmpty ? nil : $0 },
                                       event: action == .revise ? "revised" : "replaced")
            try ReportStore.audit(c, kecamatan, period, action: action == .revise ? "revise" : "replace", at: stamp, by: caller,
                                  before: ["version": .int(Int64(existing.version))],
                                  after: ["version": .int(Int64(existing.version + 1)), "reason": .from(reason)])
            return try answer(try ReportStore.find(c, kecamatan, period)!, .replaced, c: c, by: caller)
        }
    }

    /// The problem for a workflow refusal: 409 with the current status and allowed actions,
    /// 403 for an actor who may never act so, 422 for a missing reason.
    static func problem(_ e: WorkflowError, _ r: ReportRecord) -> PilarError {
        switch e {
        case .illegal(let from, _, let allowed):
            return PilarError(.conflict, code: "workflow_not_now", values(e), extra: [
                "current_status": .string(from.rawValue),
                "allowed_actions": .array(allowed.filter { !($0 == .edit && from == .verified) }.map { .string($0.rawValue) }),
                "current_version": .int(Int64(r.version)),
            ])
        case .forbidden:
            return PilarError(.forbidden, code: "workflow_not_yours", values(e))
        case .reasonRequired:
            return PilarError.field("reason", code: "required")
        }
    }

    /// What explains a workflow refusal: the action and what the status means for who acts next.
    static func values(_ e: WorkflowError) -> MessageValues {
        switch e {
        case let .illegal(from, action, _): return ["action": .term("action." + action.rawValue), "state": .term("report_state." + from.rawValue)]
        case let .forbidden(actor, action): return ["role": .text(actor.rawValue), "action": .term("action." + action.rawValue)]
        case .reasonRequired: return [:]
        }
    }

    static func notFound(_ kecamatan: RegionCode, _ region: Region, _ period: ReportPeriod) -> PilarError {
        PilarError(.notFound, code: "report_not_found",
                   ["kecamatan": .text(kecamatan.dotted), "name": .text(region.name), "period": .text(period.description)])
    }
}
