import Foundation
import SQLiteStore

/// The evidence criteria of one record with their evidence, as the registry shows them.
public struct RecordEligibility: Equatable {
    public let criteria: [CriterionStatus]
    public var eligible: Bool { criteria.allSatisfy(\.met) }

    public var json: JSON {
        var o = JSONObject()
        o["eligible"] = .bool(eligible)
        o["pending"] = .array(criteria.filter { !$0.met }.map { .string($0.criterion.code) })
        o["criteria"] = .array(criteria.map { s in
            var c = JSONObject()
            c["criterion"] = .string(s.criterion.code)
            c["text"] = .string(s.text)
            c["met"] = .bool(s.met)
            switch s.evidence {
            case .attested(let field, let on)?:
                c["evidence"] = "attested"
                c["attested_by"] = .string(field)
                c["date"] = .string(on.description)
            case .training(let id, let endedOn)?:
                c["evidence"] = ["training_id": .int(id)]
                c["date"] = .string(endedOn.description)
            case nil:
                c["evidence"] = .null
            }
            return .object(c)
        })
        return .object(o)
    }
}

/// Completed trainings as evidence for registry criteria. A participation counts when it is
/// completed and its event is not cancelled and belongs to a programme pointing at the criterion.
/// A record's JSON shows its evidence, so every change to that evidence bumps the record's
/// version (and so its ETag): a cached GET never shows evidence that is gone.
enum TrainingEvidence {
    static func eligibility(of r: PSKSRecord, _ c: Connection) throws -> RecordEligibility {
        let criteria = EvidenceCriterion.applying(to: r.type, subtype: r.subtype)
        guard !criteria.isEmpty else { return RecordEligibility(criteria: []) }
        let rows = try c.query("""
            SELECT t.id, t.ends_on, p.criterion FROM training_participants tp
            JOIN trainings t ON t.id = tp.training_id
            JOIN training_programmes p ON p.code = t.programme
            WHERE tp.psks_id = ? AND tp.completed = 1 AND t.status <> 'cancelled' AND p.criterion_type = ?
            """, r.id, r.type)
        let texts = try Dictionary(c.query("SELECT code, text FROM psks_criteria WHERE type = ?", r.type)
            .map { ($0.string("code"), $0.string("text")) }, uniquingKeysWith: { a, _ in a })
        return RecordEligibility(criteria: criteria.map { crit in
            let done = rows.filter { $0.string("criterion") == crit.code }
                .compactMap { row in CalendarDate(row.string("ends_on")).map { (id: row.int64("id"), endedOn: $0) } }
            return CriterionStatus.select(crit, text: texts[crit.code] ?? crit.code,
                                          attested: crit.attestedBy == "training_completed_on" ? r.trainingCompletedOn : nil,
                                          trainings: done)
        })
    }

    /// The evidence of these records changed: a new version each, so their ETags change.
    static func touch(records ids: [Int64], at now: String, _ c: Connection) throws {
        for id in Set(ids) {
            try c.run("UPDATE psks SET version = version + 1, updated_at = ? WHERE id = ?", now, id)
        }
    }

    /// The records whose evidence an event gives (completed participants).
    static func completedParticipants(of trainingID: Int64, _ c: Connection) throws -> [Int64] {
        try c.query("SELECT psks_id FROM training_participants WHERE training_id = ? AND completed = 1", trainingID)
            .map { $0.int64("psks_id") }
    }
}
