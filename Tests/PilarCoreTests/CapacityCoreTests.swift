import Foundation
import XCTest
@testable import PilarCore

/// Capacity building below the HTTP layer: the pure evidence and event rules, training
/// evidence reaching a record's eligibility, and the demo data being idempotent.
final class CapacityCoreTests: XCTestCase {
    typealias F = RegistryFixtures
    let psm = EvidenceCriterion.named(type: "PSM", code: "training")!

    func testEvidenceSelectionPrefersACompletedTraining() {
        let d = { CalendarDate($0)! }
        let none = CriterionStatus.select(psm, text: "t", attested: nil, trainings: [])
        XCTAssertFalse(none.met)
        XCTAssertNil(none.evidence)
        let attested = CriterionStatus.select(psm, text: "t", attested: d("2020-03-01"), trainings: [])
        XCTAssertEqual(attested.evidence, .attested(field: "training_completed_on", on: d("2020-03-01")))
        let both = CriterionStatus.select(psm, text: "t", attested: d("2020-03-01"),
                                          trainings: [(id: 4, endedOn: d("2025-05-16")), (id: 9, endedOn: d("2026-01-12")), (id: 2, endedOn: d("2024-01-01"))])
        XCTAssertEqual(both.evidence, .training(id: 9, endedOn: d("2026-01-12")), "the latest completed training")
        XCTAssertEqual(EvidenceCriterion.applying(to: "PENYULUH", subtype: "fungsional").map(\.code), ["functional_training"])
        XCTAssertEqual(EvidenceCriterion.applying(to: "PENYULUH", subtype: "masyarakat"), [])
        XCTAssertEqual(EvidenceCriterion.applying(to: "TAGANA", subtype: nil), [])
    }

    func testEventRules() {
        let r = { RegionCode($0)! }
        XCTAssertEqual(TrainingRules.regionErrors(level: .kabkota, region: r("32.74")), [])
        XCTAssertEqual(TrainingRules.regionErrors(level: .kabkota, region: r("32")).map(\.code), ["region_level"])
        XCTAssertEqual(TrainingRules.regionErrors(level: .provinsi, region: r("32.74")).map(\.code), ["region_level"])
        XCTAssertEqual(TrainingRules.regionErrors(level: .nasional, region: r("32")).map(\.code), ["not_applicable"])
        XCTAssertEqual(TrainingRules.regionErrors(level: .provinsi, region: nil).map(\.code), ["required"])
        XCTAssertEqual(TrainingRules.regionErrors(level: .nasional, region: nil), [])
        let today = CalendarDate("2026-11-25")!
        XCTAssertEqual(TrainingRules.completionErrors(cancelled: false, endsOn: today, today: today), [])
        XCTAssertEqual(TrainingRules.completionErrors(cancelled: false, endsOn: CalendarDate("2026-11-26")!, today: today).map(\.code),
                       ["event_not_ended"])
        XCTAssertEqual(TrainingRules.completionErrors(cancelled: true, endsOn: today, today: today).map(\.code), ["event_cancelled"])
        XCTAssertEqual(TrainingRules.dateErrors(startsOn: today, endsOn: CalendarDate("2026-11-24")!).map(\.code), ["before_start"])
        XCTAssertTrue(TrainingRules.isProgrammeCode("PELATIHAN_DASAR_PSM"))
        XCTAssertFalse(TrainingRules.isProgrammeCode("pelatihan"))
        XCTAssertFalse(TrainingRules.isProgrammeCode("_X"))
        XCTAssertFalse(TrainingRules.isProgrammeCode(String(repeating: "A", count: 41)))
    }

    /// A training event's body as POST /v1/trainings takes it.
    static func event(_ programme: String, _ title: String, _ level: String, _ region: String,
                      _ startsOn: String, _ endsOn: String) -> JSONObject {
        ["programme": .string(programme), "title": .string(title), "level": .string(level),
         "region": .string(region), "starts_on": .string(startsOn), "ends_on": .string(endsOn)]
    }

    func testCompletedTrainingMakesAPSMEligibleAndCancellingUndoesIt() throws {
        let t = try F.pilar()
        let p = t.pilar
        let created = try p.registry.create(F.with(F.valid("PSM"), ["training_completed_on": nil]), by: .cli)
        XCTAssertEqual(created.eligibility?.eligible, false)
        XCTAssertEqual(created.shown["eligibility"]?["pending"], ["training"])
        let id = created.record.id

        let e = try p.trainings.create(Self.event("PELATIHAN_DASAR_PSM", "Pelatihan Dasar PSM Angkatan II",
                                                  "kabkota", "32.74", "2026-10-05", "2026-10-09"), by: .cli)
        _ = try p.trainings.addParticipants(e.id, ["psks_id": .int(id)], by: .cli)
        XCTAssertEqual(try p.registry.get(id, by: .cli).eligibility?.eligible, false, "taking part is not completing")
        let versionBefore = try p.registry.get(id, by: .cli).record.version

        let done = try p.trainings.updateParticipant(e.id, psksID: id, ["completed": true, "certificate_number": "PSM/3274/2026/001"], by: .cli)
        XCTAssertEqual(done["attended"], true, "completing implies attending")
        let after = try p.registry.get(id, by: .cli)
        XCTAssertEqual(after.eligibility?.eligible, true)
        XCTAssertEqual(after.shown["eligibility"]?["criteria"]?.arrayValue?.first?["evidence"], ["training_id": .int(e.id)])
        XCTAssertGreaterThan(after.record.version, versionBefore, "the evidence is part of the record: a new ETag")

        _ = try p.trainings.update(e.id, ["status": "cancelled"], expected: .anything, by: .cli)
        let cancelled = try p.registry.get(id, by: .cli)
        XCTAssertEqual(cancelled.eligibility?.eligible, false)
        XCTAssertEqual(cancelled.shown["eligibility"]?["criteria"]?.arrayValue?.first?["evidence"], .null)

        // The attested date alone still meets it.
        let attested = try p.registry.update(id, patch: ["training_completed_on": "2020-01-01"], expected: .anything, by: .cli)
        XCTAssertEqual(attested.eligibility?.eligible, true)
        XCTAssertEqual(attested.shown["eligibility"]?["criteria"]?.arrayValue?.first?["evidence"], "attested")
    }

    func testPenyuluhAndWPKSTrainingCriteria() throws {
        let t = try F.pilar(demoRecords: true)
        let p = t.pilar
        // The demo's Penyuluh fungsional carry an attested training date.
        let penyuluh = try p.db.read { c in try c.queryOne("SELECT id FROM psks WHERE type = 'PENYULUH' ORDER BY id")!.int64("id") }
        let before = try p.registry.get(penyuluh, by: .cli).shown["eligibility"]
        XCTAssertEqual(before?["criteria"]?.arrayValue?.map { $0["criterion"] }, ["functional_training"])
        XCTAssertEqual(before?["criteria"]?.arrayValue?.first?["evidence"], "attested")
        let e = try p.trainings.create(Self.event("DIKLAT_PENYULUH", "Diklat Fungsional Penyuluh Sosial Jawa Barat",
                                                  "provinsi", "32", "2026-09-01", "2026-09-10"), by: .cli)
        _ = try p.trainings.addParticipants(e.id, ["psks_id": .int(penyuluh), "completed": true], by: .cli)
        let after = try p.registry.get(penyuluh, by: .cli).shown["eligibility"]
        XCTAssertEqual(after?["criteria"]?.arrayValue?.first?["evidence"], ["training_id": .int(e.id)])

        // A WPKS without a training date: stored, the leadership training pending.
        let wpks = try p.registry.create(F.with(F.valid("WPKS", serial: 77), ["training_completed_on": nil]), by: .cli)
        XCTAssertEqual(wpks.shown["eligibility"]?["pending"], ["training"])
    }

    func testDemoCapacityIsIdempotent() throws {
        let t = try F.pilar(demoRecords: true)
        func counts() throws -> [Int] {
            try t.pilar.db.read { c in
                try ["trainings", "training_participants", "psks_awards", "psks_equipment", "ipsm", "ipsm_members"].map {
                    try c.queryOne("SELECT count(*) AS n FROM \($0)")!.int("n")
                }
            }
        }
        let first = try counts()
        XCTAssertEqual(first, [2, 11, 2, 4, 1, 8])
        try Demo.seed(t.pilar)
        XCTAssertEqual(try counts(), first)
        // The six who completed the basic training are eligible by it.
        let ids = try t.pilar.db.read { c in
            try c.query("SELECT psks_id FROM training_participants WHERE completed = 1 ORDER BY psks_id").map { $0.int64("psks_id") }
        }
        XCTAssertEqual(ids.count, 6)
        let shown = try t.pilar.registry.get(ids[0], by: .cli).shown
        XCTAssertNotNil(shown["eligibility"]?["criteria"]?.arrayValue?.first?["evidence"]?["training_id"])
    }
}
