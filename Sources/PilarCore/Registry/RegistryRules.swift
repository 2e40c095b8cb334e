import Foundation
import SQLiteStore

/// A thing to look at that does not stop the record, with the other record it concerns.
public struct RegistryWarning: Equatable {
    /// What to look at, as a rule with its values (said by PilarAPI's catalogue).
    public let warning: FieldError
    public let otherID: Int64?
    public var field: String { warning.field }
    public var code: String { warning.code }

    public func json(message: (FieldError) -> String) -> JSON {
        var o = JSONObject()
        o["field"] = .string(field)
        o["code"] = .string(code)
        o["message"] = .string(message(warning))
        if let otherID { o["other_id"] = .int(otherID) }
        return .object(o)
    }
}

/// A uniqueness rule the record breaks (409), with the record it collides with.
struct RegistryConflict: Error {
    let field: String
    let code: String
    /// The words' entry when not `code`'s own (the generic refusal outside the caller's reach).
    var wording: String? = nil
    let values: MessageValues
    let existingID: Int64
    let visible: Bool

    var fieldError: FieldError { FieldError(field: field, code: code, values, wording: wording) }

    var pilarError: PilarError {
        // `code` in the members too: callers of the service read it there, as before codes had a field.
        var extra = JSONObject(["code": .string(code)])
        if visible { extra["existing_id"] = .int(existingID) }
        return PilarError(.conflict, code: code, errors: [fieldError], extra: extra)
    }
}

/// The registry's checks that need the database, around the pure `PSKSEligibility` rules:
/// the region exists and has the right level, a person has a NIK, one active TKSK per
/// kecamatan, one active record per NIK and type, likely duplicates. Regions are cached
/// for the life of one value (an import looks each desa up once).
final class RegistryRules {
    let c: Connection
    let caller: Caller
    private var regions: [RegionCode: Region?] = [:]

    init(_ c: Connection, caller: Caller) {
        self.c = c
        self.caller = caller
    }

    func region(_ code: RegionCode) throws -> Region? {
        if let hit = regions[code] { return hit }
        let r = try RegionService.lookup(code, on: c)
        regions[code] = r
        return r
    }

    /// Completes `r` (sex and birth date from the NIK when not given) and returns the broken
    /// rules; an empty answer means the record may be stored (conflicts aside).
    func violations(_ r: inout PSKSRecord) throws -> [FieldError] {
        var errors: [FieldError] = []
        guard let type = r.psksType else { return PSKSEligibility.violations(r.candidate(regionLevel: nil)) }
        let label = type.code
        let found = try region(r.region)
        if found == nil {
            errors.append(FieldError(field: "region", code: "unknown_region", ["region": .text(r.region.dotted)]))
        }
        // A person lives in a kecamatan or desa/kelurahan; an institution sits anywhere in a district.
        let minDepth = type.kind == .person ? 3 : 2
        if r.region.depth < minDepth {
            let level = found.map { $0.level == .provinsi ? "level.provinsi" : "level.kabkota" } ?? "level.unregistered"
            errors.append(FieldError(field: "region", code: "region_level",
                                     ["type": .text(label), "region": .text(r.region.dotted), "level": .term(level),
                                      "needs": .term(minDepth == 3 ? "region_need.kecamatan" : "region_need.kabkota")],
                                     wording: "region_level.psks"))
        }
        if let k = r.assignedKecamatan, k.depth == 3, try region(k) == nil {
            errors.append(FieldError(field: "assigned_kecamatan", code: "unknown_region", ["region": .text(k.dotted)]))
        }
        if type.kind == .person {
            if r.nik == nil {
                errors.append(FieldError(field: "nik", code: "required", ["type": .text(label)], wording: "required.nik"))
            } else if let nik = try? NIK(parsing: r.nik!, referenceDate: r.registeredOn) {
                r.nik = nik.digits
                if r.sex == nil { r.sex = nik.sex }
                if r.birthDate == nil { r.birthDate = nik.birthDate }
            }
        }
        errors += PSKSEligibility.violations(r.candidate(regionLevel: found?.level))
        return errors
    }

    /// Things to look at: a NIK from an unknown kecamatan; the same folded name and birth
    /// date in the same kabupaten/kota (another record, active or not).
    func warnings(_ r: PSKSRecord) throws -> [RegistryWarning] {
        var out = PSKSEligibility.warnings(r.candidate(regionLevel: nil)) { k in
            (try? self.region(k)).flatMap { $0 }?.level == .kecamatan
        }.map { RegistryWarning(warning: $0, otherID: nil) }
        if let birth = r.birthDate, let kab = r.region.truncated(toDepth: 2) {
            let rows = try c.query("""
                SELECT id, type, region FROM psks INDEXED BY psks_by_name
                WHERE name_folded = ? AND birth_date = ? AND region >= ? AND region < ? AND id != ?
                ORDER BY id LIMIT 5
                """, NameSearch.fold(r.name), birth.description, kab.subtreeLowerBound, kab.subtreeUpperBound, r.id)
            for row in rows {
                out.append(RegistryWarning(warning: FieldError(field: "name", code: "possible_duplicate",
                    ["id": .text("\(row.int64("id"))"), "type": .text(row.string("type")), "region": .text(row.string("region")),
                     "kabkota": .text(kab.dotted)]),
                    otherID: row.int64("id")))
            }
        }
        return out
    }

    // `type = +?` in the queries below, not `type = ?`: the planner compares a bare `type = ?`
    // with the partial index `WHERE type = 'TKSK' ...` by the bound value, which makes SQLite
    // prepare the statement again on every new binding (a third of an import's instructions
    // went to re-preparing). The unary plus keeps the value out of that comparison; the
    // indexes on (type, ...) and (nik, type) are used as before (EXPLAIN QUERY PLAN checked).

    /// The uniqueness rules of active records; nil when none is broken.
    func conflict(_ r: PSKSRecord) throws -> RegistryConflict? {
        guard r.status == .active else { return nil }
        if let nik = r.nik, let row = try c.queryOne("""
            SELECT id, region FROM psks WHERE type = +? AND nik = ? AND status = 'active' AND id != ?
            """, r.type, nik, r.id) {
            let id = row.int64("id")
            let visible = RegionCode(row.string("region")).map(caller.covers) ?? false
            // Outside the caller's reach the refusal is generic: no id, no region, no name,
            // whatever was sent (issue 13: a region in the message made NIKs guessable).
            return RegistryConflict(field: "nik", code: "duplicate_nik", wording: visible ? nil : "duplicate_nik.elsewhere",
                values: visible ? ["nik": .text(NIK.mask(nik)), "type": .text(r.type), "id": .text("\(id)")] : ["type": .text(r.type)],
                existingID: id, visible: visible)
        }
        if r.type == "TKSK", let k = r.effectiveKecamatan, let row = try c.queryOne("""
            SELECT id FROM psks WHERE kecamatan = ? AND type = 'TKSK' AND status = 'active' AND id != ?
            """, k.dotted, r.id) {
            let id = row.int64("id")
            let visible = caller.covers(k)
            return RegistryConflict(field: "assigned_kecamatan", code: "tksk_exists", wording: visible ? "tksk_exists.record" : nil,
                values: visible ? ["kecamatan": .text(k.dotted), "id": .text("\(id)")] : ["kecamatan": .text(k.dotted)],
                existingID: id, visible: visible)
        }
        if r.psksType?.kind != .person, let row = try c.queryOne("""
            SELECT id FROM psks WHERE type = +? AND region = ? AND name_folded = ? AND status = 'active' AND id != ?
            """, r.type, r.region.dotted, NameSearch.fold(r.name), r.id) {
            let id = row.int64("id")
            return RegistryConflict(field: "name", code: "duplicate_name",
                values: ["type": .text(r.type), "name": .text(r.name), "region": .text(r.region.dotted), "id": .text("\(id)")],
                existingID: id, visible: caller.covers(r.region))
        }
        return nil
    }

    /// The record for a natural key: (type, NIK) for persons, (type, region, name) otherwise;
    /// the active one first, then the newest. Only records inside the caller's reach match:
    /// an import must not tell whether a NIK is registered somewhere else (issue 13); a row
    /// whose person is active elsewhere meets the generic refusal of `conflict`.
    ///
    /// `+region`: with the scope as an index range, the planner took psks_by_identity (type,
    /// region, ...) and read every record of the province: 17 s at 1,000,000 records (issue
    /// 16, EXPLAIN QUERY PLAN). The NIK finds its few records through psks_by_nik.
    static let personInScopeSQL = """
        SELECT * FROM psks WHERE nik = ? AND type = +? AND +region >= ? AND +region < ?
        ORDER BY status = 'active' DESC, id DESC LIMIT 1
        """

    func existing(_ r: PSKSRecord) throws -> PSKSRecord? {
        let row: Row?
        if r.psksType?.kind == .person {
            guard let nik = r.nik else { return nil }
            let scope = caller.region
            if caller.role != .admin && scope == nil { return nil }
            row = try c.queryOne(Self.personInScopeSQL, nik, r.type, scope?.subtreeLowerBound ?? "",
                                 scope?.subtreeUpperBound ?? "\u{10FFFF}")
        } else {
            row = try c.queryOne("""
                SELECT * FROM psks WHERE type = +? AND region = ? AND name_folded = ?
                ORDER BY status = 'active' DESC, id DESC LIMIT 1
                """, r.type, r.region.dotted, NameSearch.fold(r.name))
        }
        return row.map(PSKSRecord.from)
    }

    // MARK: storing

    // Built once: joining the column list for every record was 5% of the registry import.
    private static let insertSQL: String = {
        let cols = PSKSRecord.columns + ["version", "created_at", "updated_at"]
        let marks = Array(repeating: "?", count: cols.count).joined(separator: ", ")
        return "INSERT INTO psks (\(cols.joined(separator: ", "))) VALUES (\(marks))"
    }()
    private static let updateSQL = "UPDATE psks SET \(PSKSRecord.columns.map { "\($0) = ?" }.joined(separator: ", ")), "
        + "version = version + 1, updated_at = ? WHERE id = ?"

    func insert(_ r: PSKSRecord, at now: String, action: String = "create") throws -> PSKSRecord {
        try c.run(Self.insertSQL, r.columnValues + [1, now, now])
        var saved = r
        saved.id = c.lastInsertRowID
        saved.version = 1
        saved.createdAt = now
        saved.updatedAt = now
        try audit(saved.id, action, region: saved.region, before: nil, after: saved)
        return saved
    }

    func update(_ old: PSKSRecord, to r: PSKSRecord, at now: String, action: String = "update") throws -> PSKSRecord {
        try c.run(Self.updateSQL, r.columnValues + [now, old.id])
        var saved = r
        saved.id = old.id
        saved.version = old.version + 1
        saved.createdAt = old.createdAt
        saved.updatedAt = now
        try audit(saved.id, action, region: saved.region, before: old, after: saved)
        return saved
    }

    private func audit(_ id: Int64, _ action: String, region: RegionCode, before: PSKSRecord?, after: PSKSRecord?) throws {
        try AuditLog.append(c, by: caller, at: after?.updatedAt ?? Clock.timestamp(Date()), entity: "psks", key: String(id),
                            action: action, region: region,
                            before: before?.json(masked: true), after: after?.json(masked: true))
    }
}
