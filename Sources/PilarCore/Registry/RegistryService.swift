import Foundation
import SQLiteStore

extension Pilar {
    public var registry: RegistryService { RegistryService(self) }
}

/// The PSKS register: records of people and institutions each Dinas Sosial keeps.
///
/// Who may do what (one rule for the API, the import and the export):
/// - admin reads and writes everywhere; kabkota reads and writes inside its subtree;
/// - provinsi reads its subtree and tksk its kecamatan, with NIK, birth date and phone masked;
///   neither writes (the register is the Dinas Sosial's; a TKSK reports PSKS counts monthly);
/// - viewer sees no record at all (aggregate counts only, through the stats endpoints).
/// A record outside the caller's subtree answers 404 exactly like an absent id.
public struct RegistryService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    public static let readers: Set<Role> = [.admin, .provinsi, .kabkota, .tksk]
    public static let writers: Set<Role> = [.admin, .kabkota]

    /// A record as one caller sees it, with the warnings of the write that produced it.
    public struct Answer {
        public let record: PSKSRecord
        public let masked: Bool
        public var warnings: [RegistryWarning] = []
        /// The training criteria and their evidence (attested field or completed training).
        public var eligibility: RecordEligibility?

        public var versionTag: VersionTag { record.versionTag(masked: masked) }
        /// What a GET shows: the record with its eligibility.
        public var shown: JSON {
            guard case .object(var o) = record.json(masked: masked) else { return .null }
            if let eligibility { o["eligibility"] = eligibility.json }
            return .object(o)
        }
        /// What a write answers: the record, its eligibility and the write's warnings, each
        /// said by `message` (PilarAPI's catalogue, in the caller's language).
        public func json(message: (FieldError) -> String) -> JSON {
            guard case .object(var o) = shown else { return .null }
            o["warnings"] = .array(warnings.map { $0.json(message: message) })
            return .object(o)
        }
    }

    /// Registration and end dates are days in WIB, like the due dates of reports.
    public var today: CalendarDate { CalendarDate(pilar.clock.now(), timeZone: pilar.config.dueDates.timeZone) }

    func masked(_ r: PSKSRecord, for caller: Caller) -> Bool { !caller.seesPersonalData(in: r.region) }

    /// The answer shows these records: unmasked personal data goes into the access log.
    func logShown(_ records: [PSKSRecord], to caller: Caller, what: String) {
        pilar.accessLog.shown(records, masked: { masked($0, for: caller) }, to: caller, what: what)
    }

    /// An answer of one record, logged when it shows personal data.
    func answer(_ r: PSKSRecord, _ caller: Caller, _ what: String, warnings: [RegistryWarning] = [],
                eligibility: RecordEligibility?) -> Answer {
        logShown([r], to: caller, what: what)
        return Answer(record: r, masked: masked(r, for: caller), warnings: warnings, eligibility: eligibility)
    }

    // MARK: reading

    public func get(_ id: Int64, by caller: Caller) throws -> Answer {
        try caller.requireRole(Self.readers, to: "read_psks_records")
        let found = try pilar.db.read { c -> (PSKSRecord, RecordEligibility)? in
            guard let r = try Self.find(id, c), caller.covers(r.region) else { return nil }
            return (r, try TrainingEvidence.eligibility(of: r, c))
        }
        guard let (r, eligibility) = found else { throw Self.notFound(id) }
        return answer(r, caller, "record", eligibility: eligibility)
    }

    static func find(_ id: Int64, _ c: Connection) throws -> PSKSRecord? {
        try c.queryOne("SELECT * FROM psks WHERE id = ?", id).map(PSKSRecord.from)
    }

    static func notFound(_ id: Int64) -> PilarError { PilarError(.notFound, code: "psks_record_not_found", ["id": .text("\(id)")]) }

    // MARK: writing

    /// POST: a new record from a JSON object. Unknown and read-only fields are refused.
    public func create(_ body: JSONObject, by caller: Caller) throws -> Answer {
        try caller.requireRole(Self.writers, to: "register_psks_records")
        var input: [String: JSON] = [:]
        var errors: [FieldError] = []
        for (k, v) in body {
            if PSKSFields.readOnly.contains(k) {
                errors.append(FieldError(field: k, code: "read_only"))
            } else {
                input[k] = v
            }
        }
        var decoder = PSKSDecoder(lenient: false, today: today)
        let decoded = decoder.record(input)
        errors += decoder.errors
        guard errors.isEmpty, var r = decoded else { throw PilarError.invalid(errors) }
        try caller.requireCovers(r.region)
        if let k = r.assignedKecamatan { try caller.requireCovers(k) }
        let now = Clock.timestamp(pilar.clock.now())
        return try pilar.write { c in
            let rules = RegistryRules(c, caller: caller)
            try Self.check(&r, rules)
            let warnings = try rules.warnings(r)
            let saved = try rules.insert(r, at: now)
            return answer(saved, caller, "create", warnings: warnings, eligibility: try TrainingEvidence.eligibility(of: saved, c))
        }
    }

    /// PATCH: a JSON merge patch (RFC 7396) over the record's fields. `expected` (the version
    /// a GET showed) refuses the change when someone else changed the record since.
    public func update(_ id: Int64, patch: JSONObject, expected: ExpectedVersion = .anything, by caller: Caller) throws -> Answer {
        try caller.requireRole(Self.writers, to: "change_psks_records")
        let now = Clock.timestamp(pilar.clock.now())
        let today = self.today
        return try pilar.write { c in
            guard let old = try Self.find(id, c), caller.covers(old.region) else { throw Self.notFound(id) }
            try expected.check(old.versionTag(masked: masked(old, for: caller)), what: "psks_record", id: "\(id)")
            var errors: [FieldError] = []
            var input: [String: JSON] = [:]
            let current = old.json(masked: false)
            for (k, v) in patch {
                if PSKSFields.readOnly.contains(k) {
                    // Sending back what a GET gave is fine; changing it is not.
                    if current[k] != v && k != "warnings" && k != "masked" && k != "eligibility" {
                        errors.append(FieldError(field: k, code: "read_only", wording: "read_only.change"))
                    }
                } else if k == "type", v != .string(old.type) {
                    errors.append(FieldError(field: "type", code: "immutable"))
                } else {
                    input[k] = v
                }
            }
            var decoder = PSKSDecoder(lenient: false, today: today)
            let decoded = decoder.record(PSKSRecord.merge(old.inputObject(), input))
            errors += decoder.errors
            guard errors.isEmpty, var r = decoded else { throw PilarError.invalid(errors) }
            r.id = old.id
            try caller.requireCovers(r.region)
            if let k = r.assignedKecamatan { try caller.requireCovers(k) }
            let rules = RegistryRules(c, caller: caller)
            try Self.check(&r, rules)
            if r.sameContent(as: old) {
                return answer(old, caller, "update", eligibility: try TrainingEvidence.eligibility(of: old, c))
            }
            let warnings = try rules.warnings(r)
            let action = old.status == r.status ? "update" : (r.status == .active ? "reactivate" : "end")
            let saved = try rules.update(old, to: r, at: now, action: action)
            return answer(saved, caller, "update", warnings: warnings, eligibility: try TrainingEvidence.eligibility(of: saved, c))
        }
    }

    /// DELETE: ends the record (status inactive, with the reason and the date); the record stays.
    /// A reason is required: the register must say why someone left it.
    public func end(_ id: Int64, reason: String?, endedOn: String?, expected: ExpectedVersion = .anything, by caller: Caller) throws -> Answer {
        try caller.requireRole(Self.writers, to: "end_psks_records")
        let reasonText = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var patch = JSONObject()
        patch["status"] = "inactive"
        patch["end_reason"] = .string(reasonText)
        if let endedOn { patch["ended_on"] = .string(endedOn) }
        let now = Clock.timestamp(pilar.clock.now())
        let today = self.today
        return try pilar.write { c in
            guard let old = try Self.find(id, c), caller.covers(old.region) else { throw Self.notFound(id) }
            try expected.check(old.versionTag(masked: masked(old, for: caller)), what: "psks_record", id: "\(id)")
            guard old.status == .active else {
                throw PilarError(.conflict, code: "psks_record_inactive", ["id": .text("\(id)"), "ended_on": .text(old.endedOn?.description ?? "?")],
                                 extra: JSONObject(["current_status": "inactive"]))
            }
            guard !reasonText.isEmpty else {
                throw PilarError.invalid([FieldError(field: "reason", code: "required", wording: "required.end_reason")])
            }
            var decoder = PSKSDecoder(lenient: false, today: today)
            var input = old.inputObject()
            for (k, v) in patch { input[k] = v }
            guard let r = decoder.record(input), decoder.errors.isEmpty else { throw PilarError.invalid(decoder.errors) }
            let saved = try RegistryRules(c, caller: caller).update(old, to: r, at: now, action: "end")
            return answer(saved, caller, "end", eligibility: try TrainingEvidence.eligibility(of: saved, c))
        }
    }

    /// Folds stored names again when `NameSearch.fold` changed since they were stored (only
    /// names with a non-ASCII character can fold differently), so duplicate checks and the
    /// name search see old records the way they see new ones. Runs on open; a no-op after.
    static func refoldNames(_ db: Database) throws {
        try db.write { c in
            let stored = try c.queryOne("SELECT value FROM privacy_settings WHERE key = 'name_fold_version'")?.int("value")
            guard let stored, stored < NameSearch.version else { return }
            for row in try c.query("SELECT id, name FROM psks WHERE name GLOB ?", "*[^ -~]*") {
                try c.run("UPDATE psks SET name_folded = ? WHERE id = ?", NameSearch.fold(row.string("name")), row.int64("id"))
            }
            try c.run("UPDATE privacy_settings SET value = ? WHERE key = 'name_fold_version'", NameSearch.version)
        }
    }

    /// Every rule: the field rules, then uniqueness (409).
    static func check(_ r: inout PSKSRecord, _ rules: RegistryRules) throws {
        let errors = try rules.violations(&r)
        if !errors.isEmpty { throw PilarError.invalid(errors) }
        if let conflict = try rules.conflict(r) { throw conflict.pilarError }
    }
}
