import Foundation
import SQLiteStore

/// What one participant line asks for: the record, and the flags it sets (nil: leave as is).
struct ParticipantInput {
    var psksID: Int64
    var attended: Bool?
    var completed: Bool?
    var certificateGiven = false
    var certificate: String?

    static let fields = ["psks_id", "attended", "completed", "certificate_number"]

    /// Reads one line; `fixedID` is the id from the path of a PATCH.
    static func read(_ input: inout CapacityInput, fixedID: Int64?) -> ParticipantInput? {
        let id = fixedID ?? input.int("psks_id", range: 1...Int64.max, required: true)
        var p = ParticipantInput(psksID: id ?? 0)
        p.attended = input.bool("attended")
        p.completed = input.bool("completed")
        if input.has("certificate_number") {
            p.certificateGiven = true
            p.certificate = input.string("certificate_number", max: 100)
        }
        return id == nil || !input.errors.isEmpty ? nil : p
    }
}

/// A participant line refused: the record is not reachable (`unknown`), or rules are broken.
struct ParticipantRejected: Error {
    let errors: [FieldError]
    let unknown: Bool
}

extension TrainingService {
    static func participantJSON(_ r: Row) -> JSON {
        var o = JSONObject()
        o["training_id"] = .int(r.int64("training_id"))
        o["psks_id"] = .int(r.int64("psks_id"))
        o["name"] = .string(r.string("name"))
        o["type"] = .string(r.string("type"))
        o["region"] = .string(r.string("region"))
        o["attended"] = .bool(r.bool("attended"))
        o["completed"] = .bool(r.bool("completed"))
        o["certificate_number"] = .from(r.optionalString("certificate_number"))
        o["created_at"] = .string(r.string("created_at"))
        o["updated_at"] = .string(r.string("updated_at"))
        return .object(o)
    }

    static func participantRow(_ trainingID: Int64, _ psksID: Int64, _ c: Connection) throws -> Row? {
        try c.queryOne("""
            SELECT tp.*, p.name, p.type, p.region FROM training_participants tp JOIN psks p ON p.id = tp.psks_id
            WHERE tp.training_id = ? AND tp.psks_id = ?
            """, trainingID, psksID)
    }

    /// Adds or changes one participation. The caller must reach the record (else it is
    /// `unknown`, like an absent id); the programme must serve the record's type; completion
    /// needs an event that has ended; a completed participant attended.
    static func apply(_ p: ParticipantInput, to e: TrainingEvent, mustExist: Bool, prefix: String, caller: Caller,
                      today: CalendarDate, now: String, _ c: Connection) throws -> ImportOutcome {
        func reject(_ field: String, _ code: String, _ values: MessageValues, wording: String? = nil) -> ParticipantRejected {
            ParticipantRejected(errors: [FieldError(field: prefix + field, code: code, values, wording: wording)], unknown: false)
        }
        guard let record = try RegistryService.find(p.psksID, c), caller.covers(record.region) else {
            throw ParticipantRejected(errors: [FieldError(field: prefix + "psks_id", code: "unknown_record", ["id": .text("\(p.psksID)")])],
                                      unknown: true)
        }
        let old = try c.queryOne("SELECT * FROM training_participants WHERE training_id = ? AND psks_id = ?", e.id, p.psksID)
        if mustExist && old == nil {
            throw ParticipantRejected(errors: [FieldError(field: prefix + "psks_id", code: "not_a_participant",
                                                          ["id": .text("\(p.psksID)"), "training": .text("\(e.id)")])], unknown: true)
        }
        if old == nil, let programme = try TrainingProgramme.find(e.programme, c), !programme.serves(record.type) {
            throw reject("psks_id", "type_not_served", ["id": .text("\(p.psksID)"), "type": .text(record.type),
                                                        "programme": .text(programme.code), "types": .list(programme.psksTypes)],
                         wording: "type_not_served.programme")
        }
        let wasCompleted = old?.bool("completed") ?? false
        let completed = p.completed ?? wasCompleted
        // Completing implies attending unless the line says otherwise.
        let attended = p.attended ?? (p.completed == true ? true : (old?.bool("attended") ?? false))
        let certificate = p.certificateGiven ? p.certificate : old?.optionalString("certificate_number")
        var errors: [FieldError] = []
        if completed && !attended {
            errors.append(FieldError(field: prefix + "attended", code: "completed_needs_attended"))
        }
        if completed && !wasCompleted {
            errors += TrainingRules.completionErrors(cancelled: e.cancelled, endsOn: e.endsOn, today: today)
                .map { $0.prefixed(prefix) }
        }
        if certificate != nil && !completed {
            errors.append(FieldError(field: prefix + "certificate_number", code: "needs_completed"))
        }
        if !errors.isEmpty { throw ParticipantRejected(errors: errors, unknown: false) }
        if let old, old.bool("attended") == attended, wasCompleted == completed,
           old.optionalString("certificate_number") == certificate {
            return .unchanged
        }
        let before = old.map { _ in try? participantRow(e.id, p.psksID, c).map(participantJSON) } ?? nil
        if old == nil {
            try c.run("""
                INSERT INTO training_participants (training_id, psks_id, attended, completed, certificate_number, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, e.id, p.psksID, attended ? 1 : 0, completed ? 1 : 0, certificate, now, now)
        } else {
            try c.run("""
                UPDATE training_participants SET attended = ?, completed = ?, certificate_number = ?, updated_at = ?
                WHERE training_id = ? AND psks_id = ?
                """, attended ? 1 : 0, completed ? 1 : 0, certificate, now, e.id, p.psksID)
        }
        if completed != wasCompleted { try TrainingEvidence.touch(records: [p.psksID], at: now, c) }
        try AuditLog.append(c, by: caller, at: now, entity: "training_participant", key: "\(e.id)/\(p.psksID)",
                            action: old == nil ? "create" : "update", region: record.region,
                            before: before, after: try participantRow(e.id, p.psksID, c).map(participantJSON))
        return old == nil ? .created : .updated
    }

    /// A writable event: reachable, and not cancelled (nobody takes part in a cancelled event).
    static func writable(_ id: Int64, by caller: Caller, _ c: Connection) throws -> TrainingEvent {
        let e = try visible(id, by: caller, c)
        if e.cancelled {
            throw PilarError(.conflict, code: "training_cancelled", ["id": .text("\(id)")], extra: ["current_status": "cancelled"])
        }
        return e
    }

    /// POST with JSON: one `{psks_id, ...}` or `{"participants": [...]}`, all or nothing.
    /// A record the caller cannot reach answers 404 like an absent one.
    public func addParticipants(_ trainingID: Int64, _ body: JSONObject, by caller: Caller) throws -> JSON {
        try caller.requireRole(Self.writers, to: "record_training_participants")
        var lines: [(ParticipantInput, String)] = []
        var errors: [FieldError] = []
        if let list = body["participants"] {
            if body.count > 1 {
                errors += body.keys.filter { $0 != "participants" }.map {
                    FieldError(field: $0, code: "unknown_field", wording: "unknown_field.participants")
                }
            }
            guard let items = list.arrayValue, !items.isEmpty, items.count <= 1_000 else {
                throw PilarError.invalid([FieldError(field: "participants", code: "wrong_type", ["max": 1000], wording: "wrong_type.participants")])
            }
            for (i, item) in items.enumerated() {
                guard let o = item.objectValue else {
                    errors.append(FieldError(field: "participants[\(i)]", code: "wrong_type", wording: "wrong_type.participant"))
                    continue
                }
                var input = CapacityInput(o, prefix: "participants[\(i)].", allowed: ParticipantInput.fields)
                if let p = ParticipantInput.read(&input, fixedID: nil) { lines.append((p, "participants[\(i)].")) }
                errors += input.errors
            }
        } else {
            var input = CapacityInput(body, allowed: ParticipantInput.fields)
            if let p = ParticipantInput.read(&input, fixedID: nil) { lines.append((p, "")) }
            errors += input.errors
        }
        if !errors.isEmpty { throw PilarError.invalid(errors) }
        let now = self.now
        let today = self.today
        return try pilar.write { c in
            let e = try Self.writable(trainingID, by: caller, c)
            var counts = [0, 0, 0]
            var unknown: [FieldError] = []
            var broken: [FieldError] = []
            for (p, prefix) in lines {
                do {
                    switch try Self.apply(p, to: e, mustExist: false, prefix: prefix, caller: caller, today: today, now: now, c) {
                    case .created: counts[0] += 1
                    case .updated: counts[1] += 1
                    case .unchanged: counts[2] += 1
                    }
                } catch let r as ParticipantRejected {
                    if r.unknown { unknown += r.errors } else { broken += r.errors }
                }
            }
            if !unknown.isEmpty {
                throw unknown.count == 1 ? PilarError(.notFound, code: unknown[0].code, errors: unknown)
                    : PilarError(.notFound, code: "records_not_found", ["count": .int(unknown.count)], errors: unknown)
            }
            if !broken.isEmpty { throw PilarError.invalid(broken) }
            var o = JSONObject()
            o["training_id"] = .int(trainingID)
            o["created"] = .int(Int64(counts[0]))
            o["updated"] = .int(Int64(counts[1]))
            o["unchanged"] = .int(Int64(counts[2]))
            o["items"] = .array(try lines.compactMap { try Self.participantRow(trainingID, $0.0.psksID, c).map(Self.participantJSON) })
            return .object(o)
        }
    }

    /// POST with CSV (or NDJSON): an attendance list, `psks_id,attended,completed,certificate_number`
    /// (a `name` column is allowed and ignored: attendance sheets carry names for people to read).
    /// Row errors, dry_run and on_error as in the registry import.
    public func importParticipants(_ trainingID: Int64, _ spool: ImportSpool, format: ImportFormat, options: ImportOptions,
                                   by caller: Caller) throws -> ImportSummary {
        try caller.requireRole(Self.writers, to: "record_training_participants")
        let e = try pilar.db.read { c in try Self.writable(trainingID, by: caller, c) }
        let rows = try spool.rows(format: format, required: ["psks_id"], known: ParticipantInput.fields + ["name"])
        let now = self.now
        let today = self.today
        return try pilar.runImport(rows, options: options) { c, row in
            var cells: [String: JSON] = [:]
            for f in ParticipantInput.fields { if let v = row[f] { cells[f] = .string(v) } }
            var input = CapacityInput(cells, allowed: ParticipantInput.fields, lenient: true)
            func rejected(_ errors: [FieldError]) -> RowRejected {
                RowRejected(errors.map { ImportError(row: row.line, $0) })
            }
            guard let p = ParticipantInput.read(&input, fixedID: nil) else { throw rejected(input.errors) }
            do {
                return try Self.apply(p, to: e, mustExist: false, prefix: "", caller: caller, today: today, now: now, c)
            } catch let r as ParticipantRejected {
                throw rejected(r.errors)
            }
        }
    }

    /// PATCH one participant: attended, completed, certificate_number.
    public func updateParticipant(_ trainingID: Int64, psksID: Int64, _ body: JSONObject, by caller: Caller) throws -> JSON {
        try caller.requireRole(Self.writers, to: "record_training_participants")
        var input = CapacityInput(body, allowed: ParticipantInput.fields)
        if let given = body["psks_id"], given != .int(psksID) {
            input.fail("psks_id", "immutable", ["value": .text("\(psksID)")], wording: "immutable.path")
        }
        let p = ParticipantInput.read(&input, fixedID: psksID)
        try input.check()
        let now = self.now
        let today = self.today
        return try pilar.write { c in
            let e = try Self.writable(trainingID, by: caller, c)
            do {
                _ = try Self.apply(p!, to: e, mustExist: true, prefix: "", caller: caller, today: today, now: now, c)
            } catch let r as ParticipantRejected {
                if r.unknown { throw PilarError(.notFound, code: r.errors[0].code, errors: r.errors) }
                throw PilarError.invalid(r.errors)
            }
            return try Self.participantRow(trainingID, psksID, c).map(Self.participantJSON) ?? .null
        }
    }

    /// The participants whose records the caller reaches, by record id.
    public func participants(_ trainingID: Int64, limit: Int, cursor: String?, by caller: Caller) throws -> ([JSON], String?) {
        try caller.requireRole(Self.readers, to: "read_training_participants")
        var after: Int64 = 0
        if let cursor {
            guard let id = try Cursor.decode(cursor, arity: 1)[0].intValue else {
                throw PilarError(.badRequest, code: "cursor_invalid")
            }
            after = id
        }
        return try pilar.db.read { c in
            _ = try Self.visible(trainingID, by: caller, c)
            var sql = """
                SELECT tp.*, p.name, p.type, p.region FROM training_participants tp JOIN psks p ON p.id = tp.psks_id
                WHERE tp.training_id = ? AND tp.psks_id > ?
                """
            var args: [SQLBindable?] = [trainingID, after]
            if let own = caller.region {
                sql += " AND p.region >= ? AND p.region < ?"
                args += [own.subtreeLowerBound, own.subtreeUpperBound]
            }
            sql += " ORDER BY tp.psks_id LIMIT ?"
            args.append(limit + 1)
            let rows = try c.query(sql, args)
            let page = Array(rows.prefix(limit))
            let next = rows.count > limit ? page.last.map { Cursor.encode([.int($0.int64("psks_id"))]) } : nil
            return (page.map(Self.participantJSON), next)
        }
    }

    /// A record's trainings, newest first, with the criterion each completed one is evidence for.
    public func trainings(ofRecord psksID: Int64, by caller: Caller) throws -> [JSON] {
        try caller.requireRole(RegistryService.readers, to: "read_psks_records")
        return try pilar.db.read { c in
            guard let r = try RegistryService.find(psksID, c), caller.covers(r.region) else { throw RegistryService.notFound(psksID) }
            return try c.query("""
                SELECT t.*, tp.attended, tp.completed, tp.certificate_number, pr.criterion_type, pr.criterion
                FROM training_participants tp JOIN trainings t ON t.id = tp.training_id
                JOIN training_programmes pr ON pr.code = t.programme
                WHERE tp.psks_id = ? ORDER BY t.starts_on DESC, t.id DESC
                """, psksID).map { row in
                let event = TrainingEvent.from(row)
                guard case .object(var o) = event.json else { return .null }
                o["training_id"] = o["id"]
                o["id"] = nil
                // An event outside the caller's reach shows that it happened, not what or where.
                if !event.visible(to: caller) {
                    for key in ["title", "place", "notes"] { o[key] = .null }
                    o["outside_reach"] = .bool(true)
                }
                o["attended"] = .bool(row.bool("attended"))
                o["completed"] = .bool(row.bool("completed"))
                o["certificate_number"] = .from(row.optionalString("certificate_number"))
                let counts = row.bool("completed") && row.string("status") != "cancelled" && row.optionalString("criterion_type") == r.type
                o["evidence_for"] = counts ? .from(row.optionalString("criterion")) : .null
                return .object(o)
            }
        }
    }
}
