import Foundation
import SQLiteStore

extension Pilar {
    public var trainings: TrainingService { TrainingService(self) }
}

/// One programme of the catalogue: which PSKS types it serves, which criterion it satisfies.
public struct TrainingProgramme: Equatable {
    public let code: String
    public var name: String
    public var psksTypes: [String]
    public var criterionType: String?
    public var criterion: String?
    public var position: Int
    public var active: Bool

    public func serves(_ type: String) -> Bool { psksTypes.contains(type) }

    public var json: JSON {
        var o = JSONObject()
        o["code"] = .string(code)
        o["name"] = .string(name)
        o["psks_types"] = .array(psksTypes.map { .string($0) })
        if let criterionType, let criterion {
            o["criterion"] = ["type": .string(criterionType), "code": .string(criterion)]
        } else {
            o["criterion"] = .null
        }
        o["active"] = .bool(active)
        return .object(o)
    }

    static func from(_ r: Row) -> TrainingProgramme {
        let types = ((try? JSON.parse(r.string("psks_types")))?.arrayValue ?? []).compactMap(\.stringValue)
        return TrainingProgramme(code: r.string("code"), name: r.string("name"), psksTypes: types,
                                 criterionType: r.optionalString("criterion_type"), criterion: r.optionalString("criterion"),
                                 position: r.int("position"), active: r.bool("active"))
    }

    static func find(_ code: String, _ c: Connection) throws -> TrainingProgramme? {
        try c.queryOne("SELECT * FROM training_programmes WHERE code = ?", code).map(from)
    }
}

/// Training programmes and events (issue 7). Scope is the registry's: a caller reaches the
/// events whose region is inside its subtree (nasional events: admin only) and the records of
/// its subtree; anything else answers 404 like an absent id. Provinsi tokens organise events
/// too (the Dinas Sosial provinsi runs the provincial trainings); viewer and tksk only read.
public struct TrainingService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    public static let readers: Set<Role> = [.admin, .provinsi, .kabkota, .tksk]
    public static let writers: Set<Role> = [.admin, .provinsi, .kabkota]

    /// Event dates are days in WIB, like registration dates.
    public var today: CalendarDate { CalendarDate(pilar.clock.now(), timeZone: pilar.config.dueDates.timeZone) }
    var now: String { Clock.timestamp(pilar.clock.now()) }

    // MARK: programmes

    /// Any token may read the catalogue: it holds no personal data.
    public func programmes() throws -> [JSON] {
        try pilar.db.read { c in
            try c.query("SELECT * FROM training_programmes ORDER BY position, code").map { TrainingProgramme.from($0).json }
        }
    }

    /// Admin adds a programme. A criterion must be one the registry shows evidence for.
    public func createProgramme(_ body: JSONObject, by caller: Caller) throws -> JSON {
        try caller.requireRole([.admin], to: "add_training_programmes")
        var input = CapacityInput(body, allowed: ["code", "name", "psks_types", "criterion", "active"])
        let code = input.string("code", max: 40, required: true)
        if let code, !TrainingRules.isProgrammeCode(code) {
            input.fail("code", "invalid", ["value": .text(code), "max": 40], wording: "invalid.programme_code")
        }
        let name = input.string("name", max: 200, required: true)
        let types = Self.psksTypes(&input, required: true) ?? []
        let criterion = Self.criterion(&input, types: types)
        let active = input.bool("active") ?? true
        try input.check()
        let now = self.now
        return try pilar.write { c in
            if try TrainingProgramme.find(code!, c) != nil {
                throw PilarError(.conflict, code: "duplicate_code", errors: [FieldError(field: "code", code: "duplicate_code", ["value": .text(code!)])])
            }
            let position = try c.queryOne("SELECT coalesce(max(position), 0) + 1 AS p FROM training_programmes")?.int("p") ?? 1
            let p = TrainingProgramme(code: code!, name: name!, psksTypes: types, criterionType: criterion?.type,
                                      criterion: criterion?.code, position: position, active: active)
            try c.run("""
                INSERT INTO training_programmes (code, name, psks_types, criterion_type, criterion, position, active)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, p.code, p.name, JSON.array(types.map { .string($0) }).encodedString(), p.criterionType, p.criterion,
                      position, active ? 1 : 0)
            try AuditLog.append(c, by: caller, at: now, entity: "training_programme", key: p.code, action: "create",
                                region: nil, before: nil, after: p.json)
            return p.json
        }
    }

    /// Admin renames, retires (`active: false`) or re-opens a programme. Its types and
    /// criterion stay: events already held were judged by them.
    public func updateProgramme(_ code: String, _ body: JSONObject, by caller: Caller) throws -> JSON {
        try caller.requireRole([.admin], to: "change_training_programmes")
        var input = CapacityInput(body, allowed: ["code", "name", "psks_types", "criterion", "active"])
        let name = input.string("name", max: 200)
        let active = input.bool("active")
        try input.check()
        let now = self.now
        return try pilar.write { c in
            guard var p = try TrainingProgramme.find(code, c) else { throw PilarError(.notFound, code: "programme_not_found", ["value": .text(code)]) }
            let before = p.json
            var errors: [FieldError] = []
            // A GET's members sent back unchanged are fine; changing them is not.
            for (k, v) in body where ["code", "psks_types", "criterion"].contains(k) && before[k] != v {
                errors.append(FieldError(field: k, code: "immutable", wording: "immutable.programme"))
            }
            if !errors.isEmpty { throw PilarError.invalid(errors) }
            if let name { p.name = name }
            if let active { p.active = active }
            if p == (try TrainingProgramme.find(code, c)) { return p.json }
            try c.run("UPDATE training_programmes SET name = ?, active = ? WHERE code = ?", p.name, p.active ? 1 : 0, code)
            try AuditLog.append(c, by: caller, at: now, entity: "training_programme", key: code,
                                action: p.active ? "update" : "retire", region: nil, before: before, after: p.json)
            return p.json
        }
    }

    static func psksTypes(_ input: inout CapacityInput, required: Bool) -> [String]? {
        guard let v = input.body["psks_types"], !v.isNull else {
            if required { input.fail("psks_types", "required", wording: "required.psks_types") }
            return nil
        }
        guard let items = v.arrayValue, !items.isEmpty, items.count <= PSKSType.all.count else {
            input.fail("psks_types", "wrong_type", wording: "wrong_type.psks_types")
            return nil
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard let s = item.stringValue, let t = PSKSType.all.first(where: { $0.code == s }) else {
                input.fail("psks_types[\(i)]", "unknown", ["allowed": .list(PSKSType.all.map(\.code))], wording: "unknown.psks_type_item")
                continue
            }
            if !out.contains(t.code) { out.append(t.code) }
        }
        return out
    }

    static func criterion(_ input: inout CapacityInput, types: [String]) -> EvidenceCriterion? {
        guard let v = input.body["criterion"], !v.isNull else { return nil }
        let allowed = MessageValue.list(EvidenceCriterion.all.map { "{\"type\": \"\($0.type)\", \"code\": \"\($0.code)\"}" })
        guard let o = v.objectValue, let type = o["type"]?.stringValue, let code = o["code"]?.stringValue, o.count == 2 else {
            input.fail("criterion", "wrong_type", ["allowed": allowed], wording: "wrong_type.criterion")
            return nil
        }
        guard let crit = EvidenceCriterion.named(type: type, code: code) else {
            input.fail("criterion", "unknown", ["value": .text("\(type) \(code)"), "allowed": allowed], wording: "unknown.criterion")
            return nil
        }
        if !types.isEmpty && !types.contains(type) {
            input.fail("criterion", "type_not_served", ["type": .text(type), "types": .list(types)], wording: "type_not_served.criterion")
        }
        return crit
    }
}
