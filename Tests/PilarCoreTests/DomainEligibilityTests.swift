import Foundation
import XCTest
@testable import PilarCore

/// Every checked criterion of every PSKS type, with a passing and a failing record.
final class DomainEligibilityTests: XCTestCase {
    private static let registered = DomainTest.date("2026-06-01")

    /// A record of `type` that meets every checked criterion; `edit` then breaks one.
    private func candidate(_ type: String, _ edit: (inout PSKSCandidate) -> Void = { _ in }) -> PSKSCandidate {
        var c = PSKSCandidate(type: type, name: "Siti Aminah", regionCode: DomainTest.region("32.74.01.1001"),
                              registeredOn: Self.registered)
        switch type.uppercased() {
        case "PEKSOS": c.certificateNumber = "PEKSOS-2019-0042"
        case "PSM": c.birthDate = DomainTest.date("1990-05-17"); c.trainingCompletedOn = DomainTest.date("2020-03-01")
        case "TAGANA": c.birthDate = DomainTest.date("1995-01-01")
        case "LKS": c.address = "Jl. Kartini 5, Cirebon"; c.head = "H. Ahmad"
        case "WPKS": c.sex = .female; c.birthDate = DomainTest.date("1980-01-01"); c.education = .SLTA
        case "PENYULUH":
            c.subtype = "fungsional"; c.education = .S1; c.rank = "III/b"; c.extensionExperienceYears = 5
            c.birthDate = DomainTest.date("1980-01-01")
        case "TKSK":
            c.education = .SLTA; c.birthDate = DomainTest.date("1985-08-17"); c.skNumber = "SK-123/2026"
            c.assignedKecamatan = DomainTest.region("32.74.01")
        default: break
        }
        edit(&c)
        return c
    }

    private func masyarakat(_ edit: (inout PSKSCandidate) -> Void = { _ in }) -> PSKSCandidate {
        candidate("PENYULUH") {
            $0.subtype = "masyarakat"; $0.rank = nil; $0.extensionExperienceYears = nil
            $0.education = .SLTP; $0.birthDate = DomainTest.date("1970-01-01")
            edit(&$0)
        }
    }

    func testEveryTypeHasAPassingRecord() {
        for type in PSKSType.all {
            XCTAssertEqual(PSKSEligibility.violations(candidate(type.code)), [], type.code)
        }
        XCTAssertEqual(PSKSEligibility.violations(masyarakat()), [])
        XCTAssertEqual(PSKSEligibility.violations(candidate("tagana")), [], "type codes are case-insensitive")
    }

    func testRules() {
        let d = DomainTest.date, r = DomainTest.region
        let cases: [(String, PSKSCandidate, [String])] = [
            // general
            ("unknown type", candidate("TAGANA") { $0.type = "SATPOL" }, ["type:unknown"]),
            ("blank name", candidate("LK3") { $0.name = "  " }, ["name:required"]),
            ("level does not fit code", candidate("LK3") { $0.regionLevel = .kecamatan }, ["region:region_level"]),
            ("level fits code", candidate("LK3") { $0.regionLevel = .kelurahan }, []),
            ("subtype on a type without", candidate("TAGANA") { $0.subtype = "x" }, ["subtype:not_applicable"]),
            ("birth after registration", candidate("TAGANA") { $0.birthDate = d("2026-06-02") },
             ["birth_date:after_registration"]),
            // PEKSOS
            ("PEKSOS no certificate", candidate("PEKSOS") { $0.certificateNumber = nil }, ["certificate_number:required"]),
            ("PEKSOS blank certificate", candidate("PEKSOS") { $0.certificateNumber = " " }, ["certificate_number:required"]),
            // PSM
            ("PSM 18 today", candidate("PSM") { $0.birthDate = d("2008-06-01") }, []),
            ("PSM 17", candidate("PSM") { $0.birthDate = d("2008-06-02") }, ["birth_date:too_young"]),
            // Issue 7: training is evidence shown on the record (pending), not a condition of registering.
            ("PSM no training", candidate("PSM") { $0.trainingCompletedOn = nil }, []),
            ("PSM training later", candidate("PSM") { $0.trainingCompletedOn = d("2026-07-01") },
             ["training_completed_on:after_registration"]),
            ("PSM at kecamatan", candidate("PSM") { $0.regionCode = r("32.74.01") }, ["region:region_level"]),
            // TAGANA
            ("TAGANA 40", candidate("TAGANA") { $0.birthDate = d("1985-06-02") }, []),
            ("TAGANA 41", candidate("TAGANA") { $0.birthDate = d("1985-06-01") }, ["birth_date:too_old"]),
            ("TAGANA 17", candidate("TAGANA") { $0.birthDate = d("2008-06-02") }, ["birth_date:too_young"]),
            ("TAGANA no birth date", candidate("TAGANA") { $0.birthDate = nil }, ["birth_date:required"]),
            ("TAGANA age from NIK", candidate("TAGANA") { $0.birthDate = nil; $0.nik = "3274011705900001" }, []),
            ("TAGANA NIK says 45", candidate("TAGANA") { $0.birthDate = nil; $0.nik = "3274010101810001" },
             ["birth_date:too_old"]),
            // LKS
            ("LKS no address", candidate("LKS") { $0.address = nil }, ["address:required"]),
            ("LKS no head", candidate("LKS") { $0.head = "" }, ["head:required"]),
            ("LKS with NIK", candidate("LKS") { $0.nik = "3274011705900001" }, ["nik:not_applicable"]),
            // KARTAR
            ("KARTAR at kecamatan", candidate("KARTAR") { $0.regionCode = r("32.74.01") }, ["region:region_level"]),
            ("KARTAR at kelurahan", candidate("KARTAR") { $0.regionLevel = .kelurahan }, []),
            // WPKS
            ("WPKS man", candidate("WPKS") { $0.sex = .male }, ["sex:wrong_sex"]),
            ("WPKS no sex", candidate("WPKS") { $0.sex = nil }, ["sex:required"]),
            ("WPKS sex from NIK", candidate("WPKS") { $0.sex = nil; $0.birthDate = nil; $0.nik = "3274015705900002" }, []),
            ("WPKS 59", candidate("WPKS") { $0.birthDate = d("1966-06-02") }, []),
            ("WPKS 60", candidate("WPKS") { $0.birthDate = d("1966-06-01") }, ["birth_date:too_old"]),
            ("WPKS SD", candidate("WPKS") { $0.education = .SD }, ["education:education_too_low"]),
            ("WPKS SLTP", candidate("WPKS") { $0.education = .SLTP }, []),
            ("WPKS no education", candidate("WPKS") { $0.education = nil }, ["education:required"]),
            // PENYULUH
            ("PENYULUH no subtype", candidate("PENYULUH") { $0.subtype = nil }, ["subtype:required"]),
            ("PENYULUH bad subtype", candidate("PENYULUH") { $0.subtype = "struktural" }, ["subtype:invalid"]),
            ("PENYULUH subtype any case", candidate("PENYULUH") { $0.subtype = "Fungsional" }, []),
            ("fungsional D4", candidate("PENYULUH") { $0.education = .D4 }, []),
            ("fungsional D3", candidate("PENYULUH") { $0.education = .D3 }, ["education:education_too_low"]),
            ("fungsional III/a", candidate("PENYULUH") { $0.rank = "III/a" }, []),
            ("fungsional II/d", candidate("PENYULUH") { $0.rank = "II/d" }, ["rank:rank_too_low"]),
            ("fungsional bad rank", candidate("PENYULUH") { $0.rank = "golongan tiga" }, ["rank:invalid"]),
            ("fungsional no rank", candidate("PENYULUH") { $0.rank = nil }, ["rank:required"]),
            ("fungsional 2 years", candidate("PENYULUH") { $0.extensionExperienceYears = 2 }, []),
            ("fungsional 1 year", candidate("PENYULUH") { $0.extensionExperienceYears = 1 },
             ["extension_experience_years:experience_too_short"]),
            ("fungsional no experience", candidate("PENYULUH") { $0.extensionExperienceYears = nil },
             ["extension_experience_years:required"]),
            ("fungsional 50", candidate("PENYULUH") { $0.birthDate = d("1975-06-02") }, []),
            ("fungsional 51", candidate("PENYULUH") { $0.birthDate = d("1975-06-01") }, ["birth_date:too_old"]),
            ("masyarakat 25", masyarakat { $0.birthDate = d("2001-06-01") }, []),
            ("masyarakat 24", masyarakat { $0.birthDate = d("2001-06-02") }, ["birth_date:too_young"]),
            ("masyarakat 60", masyarakat { $0.birthDate = d("1965-06-02") }, []),
            ("masyarakat 61", masyarakat { $0.birthDate = d("1965-06-01") }, ["birth_date:too_old"]),
            ("masyarakat SD", masyarakat { $0.education = .SD }, ["education:education_too_low"]),
            // TKSK
            ("TKSK at the kecamatan itself", candidate("TKSK") { $0.regionCode = r("32.74.01") }, []),
            ("TKSK no assignment given", candidate("TKSK") { $0.assignedKecamatan = nil }, []),
            ("TKSK lives elsewhere", candidate("TKSK") { $0.regionCode = r("32.74.02.1003") },
             ["region:outside_assigned_kecamatan"]),
            ("TKSK at kabupaten", candidate("TKSK") { $0.regionCode = r("32.74"); $0.assignedKecamatan = nil },
             ["region:region_level"]),
            ("TKSK assignment not kecamatan", candidate("TKSK") { $0.assignedKecamatan = r("32.74") },
             ["assigned_kecamatan:region_level"]),
            ("TKSK SLTP", candidate("TKSK") { $0.education = .SLTP }, ["education:education_too_low"]),
            ("TKSK D3", candidate("TKSK") { $0.education = .D3 }, []),
            ("TKSK 24", candidate("TKSK") { $0.birthDate = d("2001-06-02") }, ["birth_date:too_young"]),
            ("TKSK 51", candidate("TKSK") { $0.birthDate = d("1975-06-01") }, ["birth_date:too_old"]),
            ("TKSK no SK", candidate("TKSK") { $0.skNumber = nil }, ["sk_number:required"]),
            // NIK agreement
            ("NIK agrees", candidate("TAGANA") { $0.nik = "3274011705900001"; $0.birthDate = d("1990-05-17"); $0.sex = .male }, []),
            ("NIK invalid", candidate("TAGANA") { $0.nik = "12345" }, ["nik:nik_invalid"]),
            ("NIK sex differs", candidate("TAGANA") { $0.nik = "3274011705900001"; $0.birthDate = nil; $0.sex = .female },
             ["nik:nik_sex_mismatch"]),
            ("NIK birth differs", candidate("TAGANA") { $0.nik = "3274011705900001"; $0.birthDate = d("1990-05-18") },
             ["nik:nik_birth_date_mismatch"]),
            ("blank NIK is no NIK", candidate("TAGANA") { $0.nik = "" }, []),
        ]
        for (name, c, expected) in cases {
            let got = PSKSEligibility.violations(c)
            XCTAssertEqual(got.map { "\($0.field):\($0.code)" }, expected, "\(name): \(got.map(\.message))")
        }
    }

    func testMessagesNameTheTypeAndTheCriterion() {
        let old = PSKSEligibility.violations(candidate("TAGANA") { $0.birthDate = DomainTest.date("1983-01-01") })
        XCTAssertEqual(old.map(\.message), ["TAGANA: age 43 is over the limit of 40"])
        let rank = PSKSEligibility.violations(candidate("PENYULUH") { $0.rank = "II/c" })
        XCTAssertEqual(rank.map(\.message), ["PENYULUH fungsional: rank II/c is below the minimum of Penata Muda III/a"])
        let sk = PSKSEligibility.violations(candidate("TKSK") { $0.skNumber = nil })
        XCTAssertEqual(sk.map(\.message), ["TKSK: SK number is required (SK issued by the Ministry of Social Affairs (number))"])
        let nik = PSKSEligibility.violations(candidate("TAGANA") { $0.nik = "3274011705900001"; $0.birthDate = nil; $0.sex = .female })
        XCTAssertFalse(nik[0].message.contains("3274011705900001"), "a NIK in a message is masked")
    }

    func testSeveralBrokenRulesAreAllReported() {
        let c = candidate("TKSK") { $0.education = .SD; $0.birthDate = DomainTest.date("2010-01-01"); $0.skNumber = nil }
        XCTAssertEqual(PSKSEligibility.violations(c).map(\.code), ["education_too_low", "too_young", "required"])
    }

    func testUnknownNIKKecamatanIsAWarning() {
        let known: Set<RegionCode> = [DomainTest.region("32.74.01")]
        let exists: (RegionCode) -> Bool = { known.contains($0) }
        let cases: [(String?, [String])] = [
            ("3274011705900001", []),
            ("3274991705900001", ["nik:unknown_kecamatan"]),
            (nil, []),
            ("123", []),   // an invalid NIK is an error, not also a warning
        ]
        for (nik, expected) in cases {
            let c = candidate("TAGANA") { $0.nik = nik; $0.birthDate = nil }
            XCTAssertEqual(PSKSEligibility.warnings(c, kecamatanExists: exists).map { "\($0.field):\($0.code)" }, expected)
        }
        let unknown = candidate("TAGANA") { $0.nik = "3274991705900001"; $0.birthDate = nil }
        XCTAssertEqual(PSKSEligibility.violations(unknown).filter { $0.field == "nik" }, [], "not an error")
    }
}
