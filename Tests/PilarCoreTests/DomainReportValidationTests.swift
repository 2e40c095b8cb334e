import Foundation
import XCTest
@testable import PilarCore

final class DomainReportValidationTests: XCTestCase {
    private let kecamatan = DomainTest.region("32.74.01")
    private let period = ReportPeriod("2026-10")!
    /// 5 November 2026, 10:00 WIB: the October report is being written.
    private let now = DomainTest.instant("2026-11-05T10:00:00+07:00")
    private let knownDesa: Set<String> = ["32.74.01.1001", "32.74.01.1002", "32.74.01.1003"]

    private func errors(_ content: ReportContent, period: ReportPeriod? = nil, now: Date? = nil,
                        kecamatan: RegionCode? = nil) -> [String] {
        ReportValidation.errors(content, kecamatan: kecamatan ?? self.kecamatan, period: period ?? self.period,
                                now: now ?? self.now, desaExists: { self.knownDesa.contains($0.dotted) })
            .map { "\($0.field):\($0.code)" }
    }

    private func valid() -> ReportContent {
        ReportContent(
            pmks: [PMKSLine(category: "AT", male: 4, female: 3),
                   PMKSLine(category: "AT", desa: "32.74.01.1001", male: 4, female: 3),
                   PMKSLine(category: "PRSE", male: 0, female: 12),
                   PMKSLine(category: "FM", count: 120),
                   PMKSLine(category: "KAT", count: 0),
                   PMKSLine(category: "KR", desa: "3274011002", count: 5)],
            psks: [PSKSCount(type: "PSM", count: 20), PSKSCount(type: "TKSK", count: 1)],
            activities: [ReportActivity(kind: "pendampingan", date: "2026-10-14", description: "Pendampingan ABH di Kejaksan",
                                        participants: 3),
                         ReportActivity(kind: "monev", date: "2026-10-31", description: "Monev PKH")],
            notes: ReportNotes(kendala: "Hujan", tindakLanjut: nil))
    }

    private func with(_ edit: (inout ReportContent) -> Void) -> ReportContent {
        var c = valid()
        edit(&c)
        return c
    }

    func testAValidReportHasNoErrors() {
        XCTAssertEqual(errors(valid()), [])
        XCTAssertEqual(errors(ReportContent()), [], "an empty draft is fine")
    }

    func testRules() {
        let cases: [(String, ReportContent, [String])] = [
            // categories
            ("unknown category", with { $0.pmks[0].category = "XYZ" }, ["pmks[0].category:unknown"]),
            ("blank category", with { $0.pmks[0].category = " " }, ["pmks[0].category:required"]),
            ("lower-case category", with { $0.pmks[3].category = "fm" }, []),
            ("retired category", with { $0.pmks[0].category = "AN" }, ["pmks[0].category:retired"]),
            // units
            ("person without female", with { $0.pmks[0].female = nil }, ["pmks[0].female:required"]),
            ("person without both", with { $0.pmks[0].male = nil; $0.pmks[0].female = nil },
             ["pmks[0].male:required", "pmks[0].female:required"]),
            ("person with count", with { $0.pmks[0].count = 7 }, ["pmks[0].count:not_applicable"]),
            ("household without count", with { $0.pmks[3].count = nil }, ["pmks[3].count:required"]),
            ("household split by sex", with { $0.pmks[3].male = 60 }, ["pmks[3].male:not_applicable"]),
            ("community split by sex", with { $0.pmks[4].female = 1 }, ["pmks[4].female:not_applicable"]),
            ("PRSE with men", with { $0.pmks[2].male = 1 }, ["pmks[2].male:women_only"]),
            ("PRSE without male", with { $0.pmks[2].male = nil }, ["pmks[2].male:required"]),
            // ranges
            ("negative", with { $0.pmks[0].male = -1 }, ["pmks[0].male:out_of_range"]),
            ("a million", with { $0.pmks[3].count = 1_000_000 }, []),
            ("over a million", with { $0.pmks[3].count = 1_000_001 }, ["pmks[3].count:out_of_range"]),
            // desa
            ("desa in another kecamatan", with { $0.pmks[1].desa = "32.74.02.1001" }, ["pmks[1].desa:outside"]),
            ("unknown desa", with { $0.pmks[1].desa = "32.74.01.1099" }, ["pmks[1].desa:unknown"]),
            ("desa not a desa code", with { $0.pmks[1].desa = "32.74.01" }, ["pmks[1].desa:invalid"]),
            ("desa garbage", with { $0.pmks[1].desa = "Kebonbaru" }, ["pmks[1].desa:invalid"]),
            ("blank desa is the kecamatan", with { $0.pmks[3].desa = "  " }, []),
            // duplicates
            ("duplicate kecamatan line", with { $0.pmks.append(PMKSLine(category: "at", male: 1, female: 1)) },
             ["pmks[6].category:duplicate"]),
            ("duplicate desa line, other spelling", with { $0.pmks.append(PMKSLine(category: "AT", desa: "3274011001", male: 1, female: 1)) },
             ["pmks[6].category:duplicate"]),
            ("same category, other desa", with { $0.pmks.append(PMKSLine(category: "AT", desa: "32.74.01.1002", male: 0, female: 0)) },
             []),
            // PSKS
            ("unknown PSKS type", with { $0.psks[0].type = "SATPOL" }, ["psks[0].type:unknown"]),
            ("PSKS type any case", with { $0.psks[0].type = "psm" }, []),
            ("PSKS negative", with { $0.psks[1].count = -2 }, ["psks[1].count:out_of_range"]),
            ("PSKS duplicate", with { $0.psks.append(PSKSCount(type: "TKSK", count: 1)) }, ["psks[2].type:duplicate"]),
            // activities
            ("unknown activity", with { $0.activities[0].kind = "rapat" }, ["activities[0].kind:unknown"]),
            ("bad date", with { $0.activities[0].date = "14-10-2026" }, ["activities[0].date:invalid"]),
            ("impossible date", with { $0.activities[0].date = "2026-10-32" }, ["activities[0].date:invalid"]),
            ("date in another month", with { $0.activities[0].date = "2026-11-01" }, ["activities[0].date:outside_period"]),
            ("negative participants", with { $0.activities[0].participants = -1 }, ["activities[0].participants:out_of_range"]),
            ("zero participants", with { $0.activities[0].participants = 0 }, []),
            ("no description", with { $0.activities[1].description = " " }, ["activities[1].description:required"]),
            ("long description", with { $0.activities[1].description = String(repeating: "é", count: 2001) },
             ["activities[1].description:too_long"]),
            ("description at the limit", with { $0.activities[1].description = String(repeating: "é", count: 2000) }, []),
            // notes
            ("long kendala", with { $0.notes.kendala = String(repeating: "x", count: 4001) }, ["notes.kendala:too_long"]),
            ("long tindak lanjut", with { $0.notes.tindakLanjut = String(repeating: "x", count: 4001) },
             ["notes.tindak_lanjut:too_long"]),
            ("notes at the limit", with { $0.notes.kendala = String(repeating: "x", count: 4000) }, []),
        ]
        for (name, content, expected) in cases {
            XCTAssertEqual(errors(content), expected, name)
        }
    }

    func testPeriodAndToday() {
        // The current month (in WIB) may be drafted; the next may not.
        let lateOctober = DomainTest.instant("2026-10-20T10:00:00+07:00")
        XCTAssertEqual(errors(ReportContent(), period: period, now: lateOctober), [])
        XCTAssertEqual(errors(ReportContent(), period: period.next, now: lateOctober), ["period:in_future"])
        // 1 November 00:30 WIB is still October in UTC, but November in WIB.
        let earlyNovember = DomainTest.instant("2026-10-31T17:30:00Z")
        XCTAssertEqual(errors(ReportContent(), period: period.next, now: earlyNovember), [])
        // An activity later this month has not happened yet.
        let planned = with { $0.activities[0].date = "2026-10-21"; $0.activities[1].date = "2026-10-20" }  // today is fine
        XCTAssertEqual(errors(planned, now: lateOctober), ["activities[0].date:in_future"])
        XCTAssertEqual(errors(planned), [])
        XCTAssertEqual(errors(ReportContent(), kecamatan: DomainTest.region("32.74")), ["kecamatan:region_level"])
    }

    func testMessagesTellWhatToDo() {
        let got = ReportValidation.errors(with { $0.pmks[0].category = "an" }, kecamatan: kecamatan, period: period, now: now,
                                          desaExists: { _ in true })
        XCTAssertEqual(got.first?.values, ["category": "AN", "successor": "ABH"])  // words: MessageCatalogTests
        let prse = ReportValidation.errors(with { $0.pmks[2].male = 2 }, kecamatan: kecamatan, period: period, now: now,
                                           desaExists: { _ in true })
        XCTAssertEqual(prse.first?.values, ["category": "PRSE", "value": "2"])
    }

    func testNormalizedContentIsCanonicalAndValidatesTheSame() {
        let raw = ReportContent(
            pmks: [PMKSLine(category: " at ", desa: "3274011001", male: 1, female: 2),
                   PMKSLine(category: "fm", desa: "  ", count: 3)],
            psks: [PSKSCount(type: "psm ", count: 2)],
            activities: [ReportActivity(kind: " Monev", date: " 2026-10-02 ", description: "  Monev  ")],
            notes: ReportNotes(kendala: "  ", tindakLanjut: " Lanjut "))
        let checked = ReportValidation.check(raw, kecamatan: kecamatan, period: period, now: now, desaExists: { _ in true })
        XCTAssertEqual(checked.errors, [])
        XCTAssertEqual(errors(raw), [])
        let n = checked.content
        XCTAssertEqual(n.pmks[0], PMKSLine(category: "AT", desa: "32.74.01.1001", male: 1, female: 2))
        XCTAssertEqual(n.pmks[1], PMKSLine(category: "FM", desa: nil, count: 3))
        XCTAssertEqual(n.psks, [PSKSCount(type: "PSM", count: 2)])
        XCTAssertEqual(n.activities, [ReportActivity(kind: "monev", date: "2026-10-02", description: "Monev")])
        XCTAssertEqual(n.notes, ReportNotes(kendala: nil, tindakLanjut: "Lanjut"))
        XCTAssertEqual(n.normalized(), n)
    }
}
