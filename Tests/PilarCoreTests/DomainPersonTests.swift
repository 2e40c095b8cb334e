import Foundation
import XCTest
@testable import PilarCore

/// CalendarDate, NIK, education levels and PNS ranks.
final class DomainPersonTests: XCTestCase {
    private func d(_ iso: String) -> CalendarDate { DomainTest.date(iso) }

    func testCalendarDateParsing() {
        for text in ["1990-05-17", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"] {
            XCTAssertEqual(CalendarDate(text)?.description, text)
        }
        for text in ["2023-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-4-01",
                     "20260401", "2026-04-01T00:00", " 2026-04-01", "2026/04/01", "0000-01-01", "２０２６-04-01", ""] {
            XCTAssertNil(CalendarDate(text), "accepted \(text.debugDescription)")
        }
        XCTAssertNil(CalendarDate(year: 2026, month: 2, day: 29))
        XCTAssertNotNil(CalendarDate(year: 2028, month: 2, day: 29))
    }

    func testAgeInWholeYears() {
        let cases: [(String, String, Int)] = [
            ("1990-05-17", "2026-05-17", 36),   // birthday
            ("1990-05-17", "2026-05-16", 35),   // the day before
            ("1990-05-17", "2026-12-31", 36),
            ("2008-02-29", "2026-02-28", 17),   // leapling: older on 1 March in common years
            ("2008-02-29", "2026-03-01", 18),
            ("2008-02-29", "2028-02-29", 20),
            ("2026-01-01", "2026-01-01", 0),
        ]
        for (birth, on, age) in cases {
            XCTAssertEqual(d(birth).age(on: d(on)), age, "\(birth) on \(on)")
        }
    }

    func testTodayDependsOnTheTimeZone() {
        let moment = DomainTest.instant("2026-10-31T17:30:00Z")
        XCTAssertEqual(CalendarDate.today(in: DomainTest.wib, now: moment), d("2026-11-01"))
        XCTAssertEqual(CalendarDate.today(in: DomainTest.utc, now: moment), d("2026-10-31"))
        XCTAssertEqual(d("2026-11-01").start(in: DomainTest.wib), DomainTest.instant("2026-10-31T17:00:00Z"))
    }

    // MARK: NIK

    func testNIKParsesRegionBirthDateSexAndSerial() throws {
        let reference = d("2026-06-01")
        let cases: [(String, String, String, Sex, String)] = [
            ("3274011705900001", "32.74.01", "1990-05-17", .male, "0001"),
            ("3274015705900002", "32.74.01", "1990-05-17", .female, "0002"),
            ("1101014101000123", "11.01.01", "2000-01-01", .female, "0123"),
            ("3274012902000001", "32.74.01", "2000-02-29", .male, "0001"),   // leap day in 2000
            ("3274010101260001", "32.74.01", "2026-01-01", .male, "0001"),   // born this year, before reference
            ("3274010107260001", "32.74.01", "1926-07-01", .male, "0001"),   // would be after reference: 1926
            (" 3274011705900001\n", "32.74.01", "1990-05-17", .male, "0001"),
        ]
        for (text, kecamatan, birth, sex, serial) in cases {
            let nik = try NIK(parsing: text, referenceDate: reference)
            XCTAssertEqual(nik.kecamatan.dotted, kecamatan, text)
            XCTAssertEqual(nik.birthDate.description, birth, text)
            XCTAssertEqual(nik.sex, sex, text)
            XCTAssertEqual(nik.serial, serial, text)
            XCTAssertEqual(nik.digits.count, 16)
        }
    }

    func testNIKCenturyFollowsTheReferenceDate() throws {
        XCTAssertEqual(try NIK(parsing: "3274010101250001", referenceDate: d("2026-01-01")).birthDate, d("2025-01-01"))
        XCTAssertEqual(try NIK(parsing: "3274010101250001", referenceDate: d("2024-12-31")).birthDate, d("1925-01-01"))
    }

    func testNIKErrors() {
        let reference = d("2026-06-01")
        let cases: [(String, NIKError)] = [
            ("327401170590001", .notSixteenDigits),
            ("32740117059000011", .notSixteenDigits),
            ("32740117059000a1", .notSixteenDigits),
            ("3274 011705900001", .notSixteenDigits),
            ("", .notSixteenDigits),
            ("0074011705900001", .badRegion),
            ("0974011705900001", .badRegion),
            ("3200011705900001", .badRegion),
            ("3274001705900001", .badRegion),
            ("3274013205900001", .badBirthDate),   // day 32
            ("3274010005900001", .badBirthDate),   // day 0
            ("3274014005900001", .badBirthDate),   // day 40 = woman's day 0
            ("3274017205900001", .badBirthDate),   // day 72 = woman's day 32
            ("3274011713900001", .badBirthDate),   // month 13
            ("3274013102900001", .badBirthDate),   // 31 February
            ("3274012902010001", .badBirthDate),   // 29 February 2001/1901
            ("3274011705900000", .zeroSerial),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try NIK(parsing: text, referenceDate: reference), text) { error in
                XCTAssertEqual(error as? NIKError, expected, text)
                XCTAssertFalse((error as? NIKError)?.message.isEmpty ?? true)
            }
        }
    }

    func testNIKIsMaskedWhenPrinted() throws {
        let nik = try NIK(parsing: "3274011705900001", referenceDate: d("2026-06-01"))
        XCTAssertEqual(nik.masked, "3274**********01")
        XCTAssertEqual("\(nik)", "3274**********01")
        XCTAssertEqual(NIK.mask("3274011705900001"), "3274**********01")
        XCTAssertEqual(NIK.mask("3274********0001"), "3274**********01", "an older masked form narrows to the same rule")
        XCTAssertEqual(NIK.mask("12345"), "*****")
        XCTAssertEqual(nik, try NIK(parsing: "3274011705900001", referenceDate: d("2030-01-01")))
    }

    // MARK: education and rank

    func testEducationOrderPutsD4WithS1() {
        XCTAssertLessThan(EducationLevel.SD, .SLTP)
        XCTAssertLessThan(EducationLevel.D3, .S1)
        XCTAssertLessThan(EducationLevel.D3, .D4)
        XCTAssertLessThan(EducationLevel.D4, .S2)
        XCTAssertFalse(EducationLevel.D4 < .S1)
        XCTAssertFalse(EducationLevel.S1 < .D4)
        XCTAssertTrue(EducationLevel.D4 >= .S1)
        XCTAssertEqual(EducationLevel.D4.rank, EducationLevel.S1.rank)
        XCTAssertEqual(EducationLevel.allCases.map(\.rawValue), ["SD", "SLTP", "SLTA", "D1", "D2", "D3", "S1", "D4", "S2", "S3"])
    }

    func testEducationLenientParsing() {
        let cases: [(String, EducationLevel?)] = [
            ("S1", .S1), ("s1", .S1), (" sltp ", .SLTP), ("SMP", .SLTP), ("SMA", .SLTA), ("smk", .SLTA), ("MI", .SD),
            ("SMPN", nil), ("", nil), ("S4", nil),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(EducationLevel(parsing: text), expected, text)
        }
    }

    func testPNSRankParsingAndOrder() throws {
        let valid: [(String, String)] = [
            ("III/a", "III/a"), ("iii/A", "III/a"), ("III / b", "III/b"), ("Penata Muda III/a", "III/a"),
            ("IV/e", "IV/e"), ("II/d", "II/d"), ("I/a", "I/a"), ("Pembina Utama IV/e", "IV/e"),
        ]
        for (text, canonical) in valid {
            XCTAssertEqual(PNSRank(text)?.description, canonical, text)
        }
        for text in ["III", "III/", "III/f", "II/e", "V/a", "IIII/a", "3/a", "PenataIII/a", "III/ab", "", "/a"] {
            XCTAssertNil(PNSRank(text), "accepted \(text.debugDescription)")
        }
        let ordered = ["I/d", "II/a", "II/d", "III/a", "III/b", "III/d", "IV/a", "IV/e"].map { PNSRank($0)! }
        XCTAssertEqual(ordered, ordered.shuffled().sorted())
        XCTAssertTrue(try XCTUnwrap(PNSRank("III/a")) >= PNSRank.penataMuda)
        XCTAssertTrue(try XCTUnwrap(PNSRank("II/d")) < PNSRank.penataMuda)
    }
}
