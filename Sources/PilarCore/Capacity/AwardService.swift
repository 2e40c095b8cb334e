import Foundation
import SQLiteStore

extension Pilar {
    public var awards: AwardService { AwardService(self) }
}

/// Recognition (PSM berprestasi ...) and work equipment aid, recorded per registry record and
/// shown as its history. Scope is the record's: writers reach the records of their subtree,
/// any other id answers 404 like an absent one. Each row is audited under the record's region.
public struct AwardService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    var today: CalendarDate { CalendarDate(pilar.clock.now(), timeZone: pilar.config.dueDates.timeZone) }

    /// The record the caller reaches, or the registry's 404.
    static func record(_ id: Int64, by caller: Caller, _ c: Connection) throws -> PSKSRecord {
        guard let r = try RegistryService.find(id, c), caller.covers(r.region) else { throw RegistryService.notFound(id) }
        return r
    }

    static func awardJSON(_ r: Row) -> JSON {
        var o = JSONObject()
        o["id"] = .int(r.int64("id"))
        o["psks_id"] = .int(r.int64("psks_id"))
        o["award"] = .string(r.string("award"))
        o["level"] = .string(r.string("level"))
        o["year"] = .int(r.int64("year"))
        o["rank"] = .from(r.optionalInt64("rank"))
        o["notes"] = .from(r.optionalString("notes"))
        o["created_at"] = .string(r.string("created_at"))
        return .object(o)
    }

    static func equipmentJSON(_ r: Row) -> JSON {
        var o = JSONObject()
        o["id"] = .int(r.int64("id"))
        o["psks_id"] = .int(r.int64("psks_id"))
        o["item"] = .string(r.string("item"))
        o["quantity"] = .int(r.int64("quantity"))
        o["given_on"] = .string(r.string("given_on"))
        o["source"] = .string(r.string("source"))
        o["notes"] = .from(r.optionalString("notes"))
        o["created_at"] = .string(r.string("created_at"))
        return .object(o)
    }

    // MARK: awards

    /// `{award, level, year, rank?, notes?}`. The award type must be for the record's PSKS type;
    /// the same award at the same level and year twice is a 409.
    public func addAward(_ psksID: Int64, _ body: JSONObject, by caller: Caller) throws -> JSON {
        try caller.requireRole(TrainingService.writers, to: "record_awards")
        var input = CapacityInput(body, allowed: ["award", "level", "year", "rank", "notes"])
        let award = input.string("award", max: 40, required: true)
        let level = input.choice("level", OrganiserLevel.allCases.map(\.rawValue), required: true)
        let year = input.int("year", range: 1...9999, required: true)
        let rank = input.int("rank", range: 1...1000)
        let notes = input.string("notes")
        if let year { input.errors += AwardRules.yearErrors(year, today: today) }
        try input.check()
        let now = Clock.timestamp(pilar.clock.now())
        return try pilar.write { c in
            let r = try Self.record(psksID, by: caller, c)
            guard let type = try c.queryOne("SELECT * FROM award_types WHERE code = ?", award!) else {
                let known = try c.query("SELECT code FROM award_types WHERE active = 1 ORDER BY position").map { $0.string("code") }
                throw PilarError.invalid([FieldError(field: "award", code: "unknown", ["value": .text(award!), "allowed": .list(known)], wording: "unknown.award")])
            }
            let types = ((try? JSON.parse(type.string("psks_types")))?.arrayValue ?? []).compactMap(\.stringValue)
            guard types.contains(r.type) else {
                throw PilarError.invalid([FieldError(field: "award", code: "type_not_served",
                                                     ["award": .text(award!), "types": .list(types), "id": .text("\(psksID)"), "type": .text(r.type)],
                                                     wording: "type_not_served.award")])
            }
            guard type.bool("active") else {
                throw PilarError.invalid([FieldError(field: "award", code: "retired", ["value": .text(award!)], wording: "retired.award")])
            }
            if let dup = try c.queryOne("SELECT id FROM psks_awards WHERE psks_id = ? AND award = ? AND level = ? AND year = ?",
                                        psksID, award!, level!, year!) {
                let id = dup.int64("id")
                throw PilarError(.conflict, code: "duplicate_award",
                                 errors: [FieldError(field: "year", code: "duplicate_award",
                                                     ["id": .text("\(psksID)"), "award": .text(award!), "level": .text(level!),
                                                      "year": .text("\(year!)"), "existing": .text("\(id)")])],
                                 extra: ["existing_id": .int(id)])
            }
            try c.run("""
                INSERT INTO psks_awards (psks_id, award, level, year, rank, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, psksID, award!, level!, year!, rank, notes, now)
            let saved = Self.awardJSON(try c.queryOne("SELECT * FROM psks_awards WHERE id = ?", c.lastInsertRowID)!)
            try AuditLog.append(c, by: caller, at: now, entity: "psks_award", key: String(saved["id"]?.intValue ?? 0),
                                action: "create", region: r.region, before: nil, after: saved)
            return saved
        }
    }

    /// Newest year first.
    public func awards(of psksID: Int64, by caller: Caller) throws -> [JSON] {
        try caller.requireRole(RegistryService.readers, to: "read_psks_records")
        return try pilar.db.read { c in
            _ = try Self.record(psksID, by: caller, c)
            return try c.query("SELECT * FROM psks_awards WHERE psks_id = ? ORDER BY year DESC, id DESC", psksID).map(Self.awardJSON)
        }
    }

    // MARK: equipment

    /// `{item, quantity?, given_on, source, notes?}`; given_on not in the future.
    public func addEquipment(_ psksID: Int64, _ body: JSONObject, by caller: Caller) throws -> JSON {
        try caller.requireRole(TrainingService.writers, to: "record_equipment_aid")
        var input = CapacityInput(body, allowed: ["item", "quantity", "given_on", "source", "notes"])
        let item = input.string("item", max: 200, required: true)
        let quantity = input.int("quantity", range: 1...1_000_000) ?? 1
        let givenOn = input.date("given_on", required: true)
        let source = input.choice("source", EquipmentSource.allCases.map(\.rawValue), required: true)
        let notes = input.string("notes")
        if let givenOn, givenOn > today {
            input.fail("given_on", "in_future", ["value": .text(givenOn.description), "today": .text(today.description)], wording: "in_future.aid")
        }
        try input.check()
        let now = Clock.timestamp(pilar.clock.now())
        return try pilar.write { c in
            let r = try Self.record(psksID, by: caller, c)
            try c.run("""
                INSERT INTO psks_equipment (psks_id, item, quantity, given_on, source, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, psksID, item!, quantity, givenOn!.description, source!, notes, now)
            let saved = Self.equipmentJSON(try c.queryOne("SELECT * FROM psks_equipment WHERE id = ?", c.lastInsertRowID)!)
            try AuditLog.append(c, by: caller, at: now, entity: "psks_equipment", key: String(saved["id"]?.intValue ?? 0),
                                action: "create", region: r.region, before: nil, after: saved)
            return saved
        }
    }

    /// Newest first.
    public func equipment(of psksID: Int64, by caller: Caller) throws -> [JSON] {
        try caller.requireRole(RegistryService.readers, to: "read_psks_records")
        return try pilar.db.read { c in
            _ = try Self.record(psksID, by: caller, c)
            return try c.query("SELECT * FROM psks_equipment WHERE psks_id = ? ORDER BY given_on DESC, id DESC", psksID)
                .map(Self.equipmentJSON)
        }
    }
}
