import Foundation
import SQLiteStore

extension Demo {
    /// The PSKS of Kota Cirebon as CATALOG.md counts them: 3 Pekerja Sosial Profesional,
    /// 20 PSM in each of the five kecamatan, 74 Tagana, 27 LKS, 2 Penyuluh Sosial fungsional,
    /// 5 TKSK (one per kecamatan). People and institutions are synthetic; every NIK is valid
    /// and agrees with the record's sex and birth date. Idempotent: records already present
    /// (same natural key) are left alone.
    static func seedRegistry(_ pilar: Pilar) throws {
        let now = Clock.timestamp(pilar.clock.now())
        try pilar.write { c in
            let rules = RegistryRules(c, caller: .cli)
            for var r in registryRecords() {
                if try rules.existing(r) != nil { continue }
                let errors = try rules.violations(&r)
                guard errors.isEmpty else {
                    throw PilarError.invalid(errors, "demo record \(r.name) (\(r.type)) breaks a rule: \(errors[0].message)")
                }
                _ = try rules.insert(r, at: now, action: "demo")
            }
        }
    }

    /// The day the demo records were registered.
    public static let registryDate = CalendarDate("2024-07-01")!

    static let kecamatanCodes = ["32.74.01", "32.74.02", "32.74.03", "32.74.04", "32.74.05"]

    private static let maleNames = ["Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Rudi", "Slamet",
                                    "Taufik", "Wahyu", "Yusuf", "Andi", "Bambang", "Cecep", "Dadang", "Asep"]
    private static let femaleNames = ["Siti", "Dewi", "Nur", "Rina", "Sri", "Yuni", "Wati", "Lina", "Euis", "Ani",
                                      "Ratna", "Imas", "Neneng", "Tuti", "Lilis", "Ayu", "Nining", "Rohayati"]
    private static let familyNames = ["Suryadi", "Hidayat", "Rahman", "Saputra", "Kusuma", "Permana", "Wijaya",
                                      "Nugraha", "Hakim", "Setiawan", "Pratama", "Sulaeman", "Gunawan", "Firmansyah",
                                      "Maulana", "Ramdani", "Kurniawan", "Syahputra", "Hermawan"]

    /// Kelurahan of one kecamatan, from the demo region list.
    static func kelurahanCodes(in kecamatan: String) -> [RegionCode] {
        Demo.kelurahan.map(\.0).filter { $0.hasPrefix(kecamatan + ".") }.compactMap(RegionCode.init)
    }

    /// Every demo record, in a fixed order (the same data on every run).
    public static func registryRecords() -> [PSKSRecord] {
        var out: [PSKSRecord] = []
        var serial = 0
        let allKelurahan = Demo.kelurahan.compactMap { RegionCode($0.0) }

        func person(_ type: String, _ region: RegionCode, age: Int, female: Bool) -> PSKSRecord {
            serial += 1
            let n = serial
            let first = female ? femaleNames[n % femaleNames.count] : maleNames[n % maleNames.count]
            let name = "\(first) \(familyNames[(n * 7) % familyNames.count])"
            let birth = CalendarDate(year: registryDate.year - age - 1, month: 1 + n % 12, day: 1 + (n * 5) % 28)!
            var r = PSKSRecord(type: type, name: name, region: region, registeredOn: registryDate)
            let kec = region.kecamatan!.undotted
            let day = birth.day + (female ? 40 : 0)
            r.nik = kec + pad(day) + pad(birth.month) + pad(birth.year % 100) + pad(n, 4)
            r.sex = female ? .female : .male
            r.birthDate = birth
            r.phone = "0812" + pad(20_000_000 + n * 7919 % 9_999_999, 8)
            return r
        }

        // Pekerja Sosial Profesional: certified social workers at the Dinas and in two kecamatan.
        for i in 0..<3 {
            var r = person("PEKSOS", RegionCode(kecamatanCodes[i * 2])!, age: 30 + i * 4, female: i != 1)
            r.education = .S1
            r.certificateNumber = "PEKSOS/\(2020 + i)/32.74/\(pad(i + 1, 3))"
            out.append(r)
        }
        // PSM: 20 per kecamatan, spread over its kelurahan.
        for kec in kecamatanCodes {
            let desa = kelurahanCodes(in: kec)
            for i in 0..<20 {
                var r = person("PSM", desa[i % desa.count], age: 22 + (i * 3) % 40, female: i % 2 == 0)
                r.education = [.SLTP, .SLTA, .SLTA, .D3, .S1][i % 5]
                r.trainingCompletedOn = CalendarDate(year: 2019 + i % 5, month: 3 + i % 6, day: 10)
                out.append(r)
            }
        }
        // Tagana: 74 volunteers aged 18 to 40.
        for i in 0..<74 {
            var r = person("TAGANA", allKelurahan[i % allKelurahan.count], age: 19 + i % 21, female: i % 4 == 0)
            r.education = [.SLTA, .SLTA, .D3, .S1][i % 4]
            out.append(r)
        }
        // Penyuluh Sosial fungsional: civil servants at the Dinas.
        for i in 0..<2 {
            var r = person("PENYULUH", RegionCode(kecamatanCodes[i])!, age: 38 + i * 6, female: i == 0)
            r.subtype = "fungsional"
            r.education = i == 0 ? .S1 : .S2
            r.rank = i == 0 ? "III/b" : "III/d"
            r.extensionExperienceYears = 4 + i * 5
            r.trainingCompletedOn = CalendarDate(year: 2018 + i, month: 9, day: 1)
            out.append(r)
        }
        // TKSK: one per kecamatan, living in a kelurahan of it.
        for (i, kec) in kecamatanCodes.enumerated() {
            var r = person("TKSK", kelurahanCodes(in: kec)[i % 2], age: 28 + i * 4, female: i % 2 == 1)
            r.education = [.SLTA, .D3, .S1, .SLTA, .S1][i]
            r.skNumber = "\(pad(100 + i, 3))/HUK/2023"
            out.append(r)
        }
        // LKS: 27 welfare institutions.
        let kinds = ["Yayasan Panti Asuhan", "LKSA", "Yayasan Lansia", "LKS Disabilitas", "Yayasan Sosial"]
        let names = ["Al-Ikhlas", "Bina Insani", "Kasih Ibu", "Nurul Huda", "Harapan Bangsa", "Muhammadiyah",
                     "Mitra Sejahtera", "Cahaya Hati", "Al-Hikmah"]
        for i in 0..<27 {
            let region = allKelurahan[(i * 5) % allKelurahan.count]
            var r = PSKSRecord(type: "LKS", name: "\(kinds[i % kinds.count]) \(names[i % names.count]) \(i / 9 + 1)",
                               region: region, registeredOn: registryDate)
            r.address = "Jl. \(["Kartini", "Pemuda", "Siliwangi", "Cipto", "Kesambi"][i % 5]) No. \(i + 3), Cirebon"
            r.head = "\(maleNames[(i * 3) % maleNames.count]) \(familyNames[(i * 5) % familyNames.count])"
            r.legalEntity = i % 3 != 0
            r.registrationNumber = r.legalEntity == true ? "AHU-\(pad(1000 + i * 37, 7)).AH.01.04.\(2015 + i % 8)" : nil
            r.phone = "0231" + pad(200_000 + i * 1013, 6)
            out.append(r)
        }
        return out
    }

    /// The demo records as one CSV file with a `type` column, as `GET /v1/psks/export` writes it.
    public static func registryCSV() -> String {
        let columns = PSKSFields.csvColumns
        var text = String(decoding: CSVWriter.line(columns), as: UTF8.self)
        for r in registryRecords() {
            text += String(decoding: CSVWriter.line(columns.map { r.text($0) ?? "" }), as: UTF8.self)
        }
        return text
    }

    private static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
