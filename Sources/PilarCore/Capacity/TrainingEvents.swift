import Foundation
import SQLiteStore

/// One training event of a programme.
public struct TrainingEvent: Equatable {
    public var id: Int64 = 0
    public var programme: String
    public var title: String
    public var level: OrganiserLevel
    public var region: RegionCode?
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var place: String?
    public var cancelled = false
    public var notes: String?
    public var version = 1
    public var createdAt = ""
    public var updatedAt = ""

    public var versionTag: VersionTag { VersionTag("training-\(id)-v\(version)") }

    public var json: JSON {
        var o = JSONObject()
        o["id"] = .int(id)
        o["programme"] = .string(programme)
        o["title"] = .string(title)
        o["level"] = .string(level.rawValue)
        o["region"] = .from(region?.dotted)
        o["starts_on"] = .string(startsOn.description)
        o["ends_on"] = .string(endsOn.description)
        o["place"] = .from(place)
        o["status"] = .string(cancelled ? "cancelled" : "scheduled")
        o["notes"] = .from(notes)
        o["version"] = .int(Int64(version))
        o["created_at"] = .string(createdAt)
        o["updated_at"] = .string(updatedAt)
        return .object(o)
    }

    /// Who may see it: the subtree of its region (a nasional event has none: admin only).
    func visible(to caller: Caller) -> Bool {
        guard let region else { return caller.role == .admin }
        return caller.covers(region)
    }

    static func from(_ r: Row) -> TrainingEvent {
        var e = TrainingEvent(programme: r.string("programme"), title: r.string("title"),
                              level: OrganiserLevel(rawValue: r.string("level")) ?? .kabkota,
                              region: r.optionalString("region").flatMap(RegionCode.init),
                              startsOn: CalendarDate(r.string("starts_on"))!, endsOn: CalendarDate(r.string("ends_on"))!)
        e.id = r.int64("id")
        e.place = r.optionalString("place")
        e.cancelled = r.string("status") == "cancelled"
        e.notes = r.optionalString("notes")
        e.version = r.int("version")
        e.createdAt = r.string("created_at")
        e.updatedAt = r.string("updated_at")
        return e
    }
}

/// The filters of `GET /v1/trainings`.
public struct TrainingQuery {
    public var programme: String?
    public var level: OrganiserLevel?
    public var status: String?
    public var region: RegionCode?
    public var year: Int?
    public var limit = PageSize.default
    public var cursor: String?
    public init() {}
}

extension TrainingService {
    static let createFields = ["programme", "title", "level", "region", "starts_on", "ends_on", "place", "notes"]
    static let shownFields = createFields + ["id", "status", "version", "created_at", "updated_at"]

    static func find(_ id: Int64, _ c: Connection) throws -> TrainingEvent? {
        try c.queryOne("SELECT * FROM trainings WHERE id = ?", id).map(TrainingEvent.from)
    }

    static func notFound(_ id: Int64) -> PilarError { PilarError(.notFound, code: "training_not_found", ["id": .text("\(id)")]) }

    /// An event the caller reaches, or the same 404 as for an absent id.
    static func visible(_ id: Int64, by caller: Caller, _ c: Connection) throws -> TrainingEvent {
        guard let e = try find(id, c), e.visible(to: caller) else { throw notFound(id) }
        return e
    }

    public func get(_ id: Int64, by caller: Caller) throws -> TrainingEvent {
        try caller.requireRole(Self.readers, to: "read_trainings")
        return try pilar.db.read { c in try Self.visible(id, by: caller, c) }
    }

    public func create(_ body: JSONObject, by caller: Caller) throws -> TrainingEvent {
        try caller.requireRole(Self.writers, to: "organise_trainings")
        var input = CapacityInput(body, allowed: Self.createFields)
        let programme = input.string("programme", max: 40, required: true)
        let title = input.string("title", max: 200, required: true)
        let level = input.choice("level", OrganiserLevel.allCases.map(\.rawValue), required: true).flatMap(OrganiserLevel.init)
        let region = input.region("region")
        let starts = input.date("starts_on", required: true)
        let ends = input.date("ends_on", required: true)
        let place = input.string("place", max: 200)
        let notes = input.string("notes")
        if let level { input.errors += TrainingRules.regionErrors(level: level, region: region) }
        if let starts, let ends { input.errors += TrainingRules.dateErrors(startsOn: starts, endsOn: ends) }
        try input.check()
        // Who organises what: a kabkota token its own kabupaten/kota's events, provinsi its province's.
        try caller.requireRole(level!.organisers, to: "organise_\(level!.rawValue)_trainings")
        if let region { try caller.requireCovers(region) }
        var e = TrainingEvent(programme: programme!, title: title!, level: level!, region: region, startsOn: starts!, endsOn: ends!)
        e.place = place
        e.notes = notes
        let now = self.now
        return try pilar.write { c in
            try Self.checkProgramme(e.programme, c)
            if let region, try RegionService.lookup(region, on: c) == nil {
                throw PilarError.field("region", code: "unknown_region", ["region": .text(region.dotted)])
            }
            try c.run("""
                INSERT INTO trainings (programme, title, level, region, starts_on, ends_on, place, status, notes, version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, 1, ?, ?)
                """, e.programme, e.title, e.level.rawValue, e.region?.dotted, e.startsOn.description, e.endsOn.description,
                      e.place, e.notes, now, now)
            e.id = c.lastInsertRowID
            e.createdAt = now
            e.updatedAt = now
            try AuditLog.append(c, by: caller, at: now, entity: "training", key: String(e.id), action: "create",
                                region: e.region, before: nil, after: e.json)
            return e
        }
    }

    static func checkProgramme(_ code: String, _ c: Connection) throws {
        guard let p = try TrainingProgramme.find(code, c) else {
            let known = try c.query("SELECT code FROM training_programmes WHERE active = 1 ORDER BY position").map { $0.string("code") }
            throw PilarError.invalid([FieldError(field: "programme", code: "unknown", ["value": .text(code), "allowed": .list(known)], wording: "unknown.programme")])
        }
        if !p.active {
            throw PilarError.invalid([FieldError(field: "programme", code: "retired", ["value": .text(code)], wording: "retired.programme")])
        }
    }

    /// PATCH: title, place, notes, dates and status (scheduled or cancelled). Cancelling takes the
    /// evidence away from every completed participant, so their records get a new version.
    public func update(_ id: Int64, _ patch: JSONObject, expected: ExpectedVersion = .anything, by caller: Caller) throws -> TrainingEvent {
        try caller.requireRole(Self.writers, to: "change_trainings")
        let now = self.now
        let today = self.today
        return try pilar.write { c in
            let old = try Self.visible(id, by: caller, c)
            try expected.check(old.versionTag, what: "training", id: "\(id)")
            var input = CapacityInput(patch, allowed: Self.shownFields)
            let current = old.json
            for (k, v) in patch where ["id", "programme", "level", "region", "version", "created_at", "updated_at"].contains(k) {
                if current[k] != v {
                    input.fail(k, "immutable", wording: "immutable.training")
                }
            }
            var e = old
            if input.has("title") { e.title = input.string("title", max: 200, required: true) ?? e.title }
            if input.has("place") { e.place = input.string("place", max: 200) }
            if input.has("notes") { e.notes = input.string("notes") }
            if input.has("starts_on") { e.startsOn = input.date("starts_on", required: true) ?? e.startsOn }
            if input.has("ends_on") { e.endsOn = input.date("ends_on", required: true) ?? e.endsOn }
            if let status = input.choice("status", ["scheduled", "cancelled"]) { e.cancelled = status == "cancelled" }
            input.errors += TrainingRules.dateErrors(startsOn: e.startsOn, endsOn: e.endsOn)
            try input.check()
            let completed = try TrainingEvidence.completedParticipants(of: id, c)
            if !completed.isEmpty && e.endsOn > today {
                throw PilarError.field("ends_on", code: "has_completions", ["count": .int(completed.count), "today": .text(today.description)])
            }
            if e == old { return old }
            e.version = old.version + 1
            e.updatedAt = now
            try c.run("""
                UPDATE trainings SET title = ?, place = ?, notes = ?, starts_on = ?, ends_on = ?, status = ?,
                version = version + 1, updated_at = ? WHERE id = ?
                """, e.title, e.place, e.notes, e.startsOn.description, e.endsOn.description,
                      e.cancelled ? "cancelled" : "scheduled", now, id)
            if e.cancelled != old.cancelled || e.endsOn != old.endsOn {
                try TrainingEvidence.touch(records: completed, at: now, c)
            }
            let action = e.cancelled == old.cancelled ? "update" : (e.cancelled ? "cancel" : "reinstate")
            try AuditLog.append(c, by: caller, at: now, entity: "training", key: String(id), action: action,
                                region: e.region, before: old.json, after: e.json)
            return e
        }
    }

    /// Newest first (starts_on, id descending), keyset pages.
    public func list(_ q: TrainingQuery, by caller: Caller) throws -> ([JSON], String?) {
        try caller.requireRole(Self.readers, to: "read_trainings")
        var sql = "SELECT * FROM trainings WHERE 1 = 1"
        var args: [SQLBindable?] = []
        if let r = q.region {
            try caller.requireCovers(r)
            sql += " AND region >= ? AND region < ?"
            args += [r.subtreeLowerBound, r.subtreeUpperBound]
        } else if let own = caller.region {
            sql += " AND region >= ? AND region < ?"
            args += [own.subtreeLowerBound, own.subtreeUpperBound]
        } else if caller.role != .admin {
            return ([], nil)
        }
        if let p = q.programme { sql += " AND programme = ?"; args.append(p) }
        if let l = q.level { sql += " AND level = ?"; args.append(l.rawValue) }
        if let s = q.status { sql += " AND status = ?"; args.append(s) }
        if let y = q.year {
            sql += " AND starts_on >= ? AND starts_on < ?"
            args += [DomainPad.year(y) + "-01-01", DomainPad.year(y + 1) + "-01-01"]
        }
        if let cursor = q.cursor {
            let k = try Cursor.decode(cursor, arity: 2)
            guard let day = k[0].stringValue, let id = k[1].intValue else {
                throw PilarError(.badRequest, code: "cursor_invalid")
            }
            sql += " AND (starts_on < ? OR (starts_on = ? AND id < ?))"
            args += [day, day, id]
        }
        sql += " ORDER BY starts_on DESC, id DESC LIMIT ?"
        args.append(q.limit + 1)
        let events = try pilar.db.read { c in try c.query(sql, args).map(TrainingEvent.from) }
        let page = Array(events.prefix(q.limit))
        let next = events.count > q.limit ? page.last.map { Cursor.encode([.string($0.startsOn.description), .int($0.id)]) } : nil
        return (page.map(\.json), next)
    }
}
