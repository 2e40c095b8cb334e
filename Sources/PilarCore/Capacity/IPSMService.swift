import Foundation
import SQLiteStore

extension Pilar {
    public var ipsm: IPSMService { IPSMService(self) }
}

/// The PSM association (Ikatan Pekerja Sosial Masyarakat): one per province and per
/// kabupaten/kota, with its members (active PSM records of its region) and board. Its JSON
/// lists the members, so each membership change is a new version of the association.
public struct IPSMService {
    let pilar: Pilar
    init(_ pilar: Pilar) { self.pilar = pilar }

    static let fields = ["region", "name", "address", "registration_number", "established_on", "notes"]
    static let shown = fields + ["id", "version", "created_at", "updated_at", "members"]

    public struct Association {
        public let row: Row
        public let members: [JSON]?
        public var id: Int64 { row.int64("id") }
        public var region: RegionCode { RegionCode(row.string("region"))! }
        public var versionTag: VersionTag { VersionTag("ipsm-\(id)-v\(row.int("version"))") }

        public var json: JSON {
            var o = JSONObject()
            o["id"] = .int(id)
            o["region"] = .string(row.string("region"))
            for f in ["name", "address", "registration_number", "established_on", "notes"] { o[f] = .from(row.optionalString(f)) }
            o["version"] = .int(row.int64("version"))
            o["created_at"] = .string(row.string("created_at"))
            o["updated_at"] = .string(row.string("updated_at"))
            if let members { o["members"] = .array(members) }
            return .object(o)
        }
    }

    var now: String { Clock.timestamp(pilar.clock.now()) }
    var today: CalendarDate { CalendarDate(pilar.clock.now(), timeZone: pilar.config.dueDates.timeZone) }

    static func notFound(_ id: Int64) -> PilarError { PilarError(.notFound, code: "ipsm_not_found", ["id": .text("\(id)")]) }

    static func load(_ id: Int64, by caller: Caller, _ c: Connection) throws -> Association {
        guard let row = try c.queryOne("SELECT * FROM ipsm WHERE id = ?", id),
              let region = RegionCode(row.string("region")), caller.covers(region) else { throw notFound(id) }
        let members = try c.query("""
            SELECT m.*, p.name, p.region, p.status FROM ipsm_members m JOIN psks p ON p.id = m.psks_id
            WHERE m.ipsm_id = ?
            ORDER BY CASE m.role WHEN 'ketua' THEN 1 WHEN 'wakil_ketua' THEN 2 WHEN 'sekretaris' THEN 3
                     WHEN 'bendahara' THEN 4 ELSE 5 END, m.psks_id
            """, id).map { r -> JSON in
            var o = JSONObject()
            o["psks_id"] = .int(r.int64("psks_id"))
            o["name"] = .string(r.string("name"))
            o["region"] = .string(r.string("region"))
            o["record_status"] = .string(r.string("status"))
            o["role"] = .string(r.string("role"))
            o["since"] = .from(r.optionalString("since"))
            return .object(o)
        }
        return Association(row: row, members: members)
    }

    public func get(_ id: Int64, by caller: Caller) throws -> Association {
        try caller.requireRole(RegistryService.readers, to: "read_ipsm")
        return try pilar.db.read { c in try Self.load(id, by: caller, c) }
    }

    /// The associations in the caller's subtree (or `region`'s), by id.
    public func list(region: RegionCode?, limit: Int, cursor: String?, by caller: Caller) throws -> ([JSON], String?) {
        try caller.requireRole(RegistryService.readers, to: "read_ipsm")
        var sql = "SELECT * FROM ipsm WHERE id > ?"
        var after: Int64 = 0
        if let cursor {
            guard let id = try Cursor.decode(cursor, arity: 1)[0].intValue else {
                throw PilarError(.badRequest, code: "cursor_invalid")
            }
            after = id
        }
        var args: [SQLBindable?] = [after]
        if let scope = region ?? caller.region {
            if let region { try caller.requireCovers(region) }
            sql += " AND region >= ? AND region < ?"
            args += [scope.subtreeLowerBound, scope.subtreeUpperBound]
        } else if caller.role != .admin {
            return ([], nil)
        }
        sql += " ORDER BY id LIMIT ?"
        args.append(limit + 1)
        let rows = try pilar.db.read { c in try c.query(sql, args) }
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { Cursor.encode([.int($0.int64("id"))]) } : nil
        return (page.map { Association(row: $0, members: nil).json }, next)
    }

    public func create(_ body: JSONObject, by caller: Caller) throws -> Association {
        try caller.requireRole(TrainingService.writers, to: "register_ipsm")
        var input = CapacityInput(body, allowed: Self.fields)
        let region = input.region("region", required: true)
        let name = input.string("name", max: 200, required: true)
        let address = input.string("address")
        let number = input.string("registration_number", max: 100)
        let established = input.date("established_on")
        let notes = input.string("notes")
        if let region { input.errors += AwardRules.ipsmRegionErrors(region) }
        if let established, established > today {
            input.fail("established_on", "in_future", ["value": .text(established.description), "today": .text(today.description)])
        }
        try input.check()
        try caller.requireCovers(region!)
        let now = self.now
        return try pilar.write { c in
            if try RegionService.lookup(region!, on: c) == nil {
                throw PilarError.field("region", code: "unknown_region", ["region": .text(region!.dotted)])
            }
            if let dup = try c.queryOne("SELECT id FROM ipsm WHERE region = ?", region!.dotted) {
                throw PilarError(.conflict, code: "ipsm_exists",
                                 errors: [FieldError(field: "region", code: "ipsm_exists",
                                                     ["region": .text(region!.dotted), "existing": .text("\(dup.int64("id"))")])],
                                 extra: ["existing_id": .int(dup.int64("id"))])
            }
            try c.run("""
                INSERT INTO ipsm (region, name, address, registration_number, established_on, notes, version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
                """, region!.dotted, name!, address, number, established?.description, notes, now, now)
            let saved = try Self.load(c.lastInsertRowID, by: caller, c)
            try AuditLog.append(c, by: caller, at: now, entity: "ipsm", key: String(saved.id), action: "create",
                                region: region, before: nil, after: saved.json)
            return saved
        }
    }

    /// PATCH the association's own fields (members have their own routes).
    public func update(_ id: Int64, _ patch: JSONObject, expected: ExpectedVersion = .anything, by caller: Caller) throws -> Association {
        try caller.requireRole(TrainingService.writers, to: "change_ipsm")
        let now = self.now
        let today = self.today
        return try pilar.write { c in
            let old = try Self.load(id, by: caller, c)
            try expected.check(old.versionTag, what: "ipsm", id: "\(id)")
            var input = CapacityInput(patch, allowed: Self.shown)
            let current = old.json
            for (k, v) in patch where ["id", "region", "version", "created_at", "updated_at", "members"].contains(k) && current[k] != v {
                if k == "members" {
                    input.fail(k, "immutable", ["id": .text("\(id)")], wording: "immutable.members")
                } else {
                    input.fail(k, "immutable", wording: "read_only.change")
                }
            }
            var values: [String: String?] = [:]
            for f in ["name", "address", "registration_number", "notes"] where input.has(f) {
                values[f] = input.string(f, max: f == "name" ? 200 : 2_000, required: f == "name")
            }
            if input.has("established_on") {
                let d = input.date("established_on")
                if let d, d > today { input.fail("established_on", "in_future", ["value": .text(d.description), "today": .text(today.description)]) }
                values["established_on"] = d?.description
            }
            try input.check()
            let changed = values.filter { old.row.optionalString($0.key) != $0.value }
            if changed.isEmpty { return old }
            for (f, v) in changed { try c.run("UPDATE ipsm SET \(f) = ? WHERE id = ?", v, id) }
            try c.run("UPDATE ipsm SET version = version + 1, updated_at = ? WHERE id = ?", now, id)
            let saved = try Self.load(id, by: caller, c)
            try AuditLog.append(c, by: caller, at: now, entity: "ipsm", key: String(id), action: "update",
                                region: saved.region, before: old.json, after: saved.json)
            return saved
        }
    }

    /// PUT a member: `{role?, since?}` (role anggota by default). The record must be an active
    /// PSM in the association's region that the caller reaches (else 404); a board role held by
    /// someone else is a 409. Answers whether the member is new.
    public func putMember(_ id: Int64, psksID: Int64, _ body: JSONObject, by caller: Caller) throws -> (Association, Bool) {
        try caller.requireRole(TrainingService.writers, to: "change_ipsm_members")
        var input = CapacityInput(body, allowed: ["psks_id", "role", "since"])
        if let given = body["psks_id"], given != .int(psksID) {
            input.fail("psks_id", "immutable", ["value": .text("\(psksID)")], wording: "immutable.path")
        }
        let role = input.choice("role", IPSMRole.allCases.map(\.rawValue)).flatMap(IPSMRole.init) ?? .anggota
        let since = input.date("since")
        if let since, since > today { input.fail("since", "in_future", ["value": .text(since.description), "today": .text(today.description)]) }
        try input.check()
        let now = self.now
        return try pilar.write { c in
            let old = try Self.load(id, by: caller, c)
            let r = try AwardService.record(psksID, by: caller, c)
            var errors: [FieldError] = []
            if r.type != "PSM" {
                errors.append(FieldError(field: "psks_id", code: "not_psm", ["id": .text("\(psksID)"), "type": .text(r.type)]))
            }
            if r.status != .active {
                errors.append(FieldError(field: "psks_id", code: "record_inactive", ["id": .text("\(psksID)")]))
            }
            if !old.region.contains(r.region) {
                errors.append(FieldError(field: "psks_id", code: "outside_region",
                                         ["id": .text("\(psksID)"), "region": .text(r.region.dotted), "ipsm_region": .text(old.region.dotted)]))
            }
            if !errors.isEmpty { throw PilarError.invalid(errors) }
            if role.isBoard, let holder = try c.queryOne("SELECT psks_id FROM ipsm_members WHERE ipsm_id = ? AND role = ? AND psks_id <> ?",
                                                         id, role.rawValue, psksID) {
                let other = holder.int64("psks_id")
                throw PilarError(.conflict, code: "role_taken",
                                 errors: [FieldError(field: "role", code: "role_taken",
                                                     ["other": .text("\(other)"), "role": .text(role.rawValue), "id": .text("\(id)")])],
                                 extra: ["existing_id": .int(other)])
            }
            let existing = try c.queryOne("SELECT * FROM ipsm_members WHERE ipsm_id = ? AND psks_id = ?", id, psksID)
            if let existing, existing.string("role") == role.rawValue, existing.optionalString("since") == since?.description {
                return (old, false)
            }
            try c.run("""
                INSERT INTO ipsm_members (ipsm_id, psks_id, role, since, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (ipsm_id, psks_id) DO UPDATE SET role = excluded.role, since = excluded.since
                """, id, psksID, role.rawValue, since?.description, now)
            try c.run("UPDATE ipsm SET version = version + 1, updated_at = ? WHERE id = ?", now, id)
            var after = JSONObject()
            after["psks_id"] = .int(psksID)
            after["role"] = .string(role.rawValue)
            after["since"] = .from(since?.description)
            try AuditLog.append(c, by: caller, at: now, entity: "ipsm_member", key: "\(id)/\(psksID)",
                                action: existing == nil ? "create" : "update", region: old.region,
                                before: existing.map { ["role": .string($0.string("role")), "since": .from($0.optionalString("since"))] },
                                after: .object(after))
            return (try Self.load(id, by: caller, c), existing == nil)
        }
    }

    public func removeMember(_ id: Int64, psksID: Int64, by caller: Caller) throws -> Association {
        try caller.requireRole(TrainingService.writers, to: "change_ipsm_members")
        let now = self.now
        return try pilar.write { c in
            let old = try Self.load(id, by: caller, c)
            _ = try AwardService.record(psksID, by: caller, c)
            guard let existing = try c.queryOne("SELECT * FROM ipsm_members WHERE ipsm_id = ? AND psks_id = ?", id, psksID) else {
                throw PilarError(.notFound, code: "ipsm_member_not_found", ["psks_id": .text("\(psksID)"), "id": .text("\(id)")])
            }
            try c.run("DELETE FROM ipsm_members WHERE ipsm_id = ? AND psks_id = ?", id, psksID)
            try c.run("UPDATE ipsm SET version = version + 1, updated_at = ? WHERE id = ?", now, id)
            try AuditLog.append(c, by: caller, at: now, entity: "ipsm_member", key: "\(id)/\(psksID)", action: "delete",
                                region: old.region, before: ["role": .string(existing.string("role"))], after: nil)
            return try Self.load(id, by: caller, c)
        }
    }
}
