import Foundation
import XCTest
@testable import PilarCore

/// CSV import and export through RegistryService on a real database file.
final class RegistryImportTests: XCTestCase {
    typealias F = RegistryFixtures

    func importCSV(_ t: TempPilar, _ text: String, type: String? = nil, dryRun: Bool = false, skip: Bool = false,
                   by caller: Caller = .cli) throws -> ImportSummary {
        try t.pilar.registry.importRecords(try t.spool(text), format: .csv, type: type,
                                           options: ImportOptions(dryRun: dryRun, skipInvalid: skip), by: caller)
    }

    func exportCSV(_ t: TempPilar, _ q: PSKSQuery = PSKSQuery(), by caller: Caller = .cli) throws -> String {
        var bytes: [UInt8] = []
        try t.pilar.registry.export(q, by: caller).write { bytes += $0 }
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 byte-order mark for spreadsheets")
        return String(decoding: bytes.dropFirst(3), as: UTF8.self)
    }

    func testCirebonExampleImportsThenIsUnchanged() throws {
        let t = try F.pilar()
        let csv = Demo.registryCSV()
        let first = try importCSV(t, csv)
        XCTAssertEqual(first.errors, [])
        XCTAssertEqual(first.created, 211)
        XCTAssertTrue(first.applied)
        let again = try importCSV(t, csv)
        XCTAssertEqual(again.unchanged, 211)
        XCTAssertEqual(again.created + again.updated + again.rejected, 0)
        let audited = try t.pilar.db.read { c in try c.queryOne("SELECT count(*) AS n FROM audit_log WHERE entity = 'psks'")!.int("n") }
        XCTAssertEqual(audited, 211)
    }

    /// The import's statements are prepared once, not again per row: a plan that depended on a
    /// bound value (the type, against a partial index) made SQLite re-prepare on every binding.
    func testImportRowsDoNotReprepareStatements() throws {
        let t = try F.pilar()
        _ = try importCSV(t, Demo.registryCSV())   // statements prepared and cached
        let before = try t.pilar.db.write { c in c.reprepareCount }
        let again = try importCSV(t, Demo.registryCSV())
        XCTAssertEqual(again.unchanged, 211)
        let after = try t.pilar.db.write { c in c.reprepareCount }
        XCTAssertLessThan(after - before, 10, "211 rows of six types: \(after - before) re-prepares")
    }

    func testExportReimportsUnchanged() throws {
        let t = try F.pilar(demoRecords: true)
        // An ended record, quotes and commas, accents: all must survive.
        let a = try t.pilar.registry.create(F.with(F.valid("LKS", serial: 5), ["name": "Yayasan \"Bina\", Cirebon", "notes": "Catatan: kantor pindah\nke Jl. Siliwangi"]), by: .cli)
        _ = try t.pilar.registry.end(a.record.id, reason: "bubar, tidak aktif", endedOn: nil, expected: .anything, by: .cli)
        _ = try t.pilar.registry.create(F.with(F.valid("TAGANA", serial: 9), ["name": "Ñoño Suryá"]), by: .cli)
        let all = try exportCSV(t)
        XCTAssertTrue(all.hasPrefix(PSKSFields.csvColumns.joined(separator: ",") + "\n"))
        let summary = try importCSV(t, all)
        XCTAssertEqual(summary.errors, [])
        XCTAssertEqual(summary.unchanged, 213)
        XCTAssertEqual(summary.created + summary.updated, 0)
        // One type, with its own columns and ?type=.
        var q = PSKSQuery()
        q.type = "PSM"
        q.region = RegionCode("32.74.02")
        let psm = try exportCSV(t, q)
        XCTAssertEqual(psm.split(separator: "\n").count, 21)
        XCTAssertFalse(psm.contains("address"))
        let again = try importCSV(t, psm, type: "PSM")
        XCTAssertEqual(again.unchanged, 20)
    }

    func testRowErrorsAllOrNothingAndSkip() throws {
        let t = try F.pilar()
        let good1 = F.nik(born: "1990-05-17", female: true, serial: 1)
        let good2 = F.nik(born: "1991-01-01", female: false, serial: 2)
        let text = """
            name,nik,sex,birth_date,region,training_completed_on
            Siti Aminah,\(good1),P,1990-05-17,32.74.01.1001,2020-01-01
            Budi,\(good2),L,1991-01-01,32.74.01,2020-01-01
            Tono,1234,L,1991-01-01,32.74.01.1001,2020-01-01
            Rudi,\(F.nik(born: "2010-01-01", female: false, serial: 3)),L,2010-01-01,32.74.01.1001,
            Agus Setiawan,\(F.nik(born: "1992-02-02", female: false, serial: 4)),L,1992-02-02,32.74.01.1002,2021-01-01
            """
        let refused = try importCSV(t, text, type: "PSM")
        XCTAssertFalse(refused.applied)
        XCTAssertEqual(refused.rejected, 3)
        XCTAssertEqual(refused.created, 2)  // what would have been created
        XCTAssertEqual(Set(refused.errors.map(\.row)), [3, 4, 5])
        XCTAssertTrue(refused.errors.contains { $0.row == 3 && $0.field == "region" && $0.code == "region_level" })
        XCTAssertTrue(refused.errors.contains { $0.row == 4 && $0.field == "nik" && $0.code == "nik_invalid" })
        XCTAssertTrue(refused.errors.contains { $0.row == 5 && $0.code == "too_young" })
        // Issue 7: a PSM without a training date is stored (training pending); only the age refuses row 5.
        XCTAssertFalse(refused.errors.contains { $0.row == 5 && $0.field == "training_completed_on" })
        XCTAssertEqual(try t.pilar.registry.search(PSKSQuery(), by: .cli).items.count, 0, "all or nothing")

        let dry = try importCSV(t, text, type: "PSM", dryRun: true, skip: true)
        XCTAssertEqual(dry.created, 2)
        XCTAssertEqual(try t.pilar.registry.search(PSKSQuery(), by: .cli).items.count, 0, "a dry run writes nothing")

        let kept = try importCSV(t, text, type: "PSM", skip: true)
        XCTAssertTrue(kept.applied)
        XCTAssertEqual(kept.created, 2)
        XCTAssertEqual(kept.rejected, 3)
        XCTAssertEqual(try t.pilar.registry.search(PSKSQuery(), by: .cli).items.count, 2)
        // Idempotent on NIK: the same good rows again are unchanged; a changed phone is an update.
        let update = "name,nik,region,phone,training_completed_on\nSiti Aminah,\(good1),32.74.01.1001,0812-9999-0000,2020-01-01\n"
        let u = try importCSV(t, update, type: "PSM")
        XCTAssertEqual(u.updated, 1)
        XCTAssertEqual(try importCSV(t, update, type: "PSM").unchanged, 1)
    }

    func testHeaderTypeAndScopeProblems() throws {
        let t = try F.pilar()
        XCTAssertThrowsError(try importCSV(t, "name,region,colour\nA,32.74.01.1001,red\n", type: "LKS"))
        XCTAssertThrowsError(try importCSV(t, "name,region\nA,32.74.01.1001\n"), "no type column and no ?type=")
        let mixed = try importCSV(t, "type,name,region,address,head\nLKS,A,32.74.01.1001,Jl. A,Ani\nKARTAR,B,32.74.01.1001,,\n", type: "LKS")
        XCTAssertEqual(mixed.errors.map(\.code), ["type_mismatch"])
        let kab = Caller(tokenID: nil, name: "k", role: .kabkota, region: RegionCode("32.73"))
        let outside = try importCSV(t, "name,region,address,head\nA,32.74.01.1001,Jl. A,Ani\n", type: "LKS", by: kab)
        XCTAssertEqual(outside.errors.map(\.code), ["outside_scope"])
        let tksk = Caller(tokenID: nil, name: "t", role: .tksk, region: RegionCode("32.74.01"))
        XCTAssertThrowsError(try importCSV(t, "name,region\n", type: "LKS", by: tksk))
    }

    func testExportMasksForProvinsi() throws {
        let t = try F.pilar(demoRecords: true)
        var q = PSKSQuery()
        q.type = "TKSK"
        let prov = Caller(tokenID: nil, name: "p", role: .provinsi, region: RegionCode("32"))
        let masked = try exportCSV(t, q, by: prov)
        let full = try exportCSV(t, q)
        XCTAssertTrue(masked.contains("3274**********"))
        XCTAssertFalse(full.contains("****"))
        let viewer = Caller(tokenID: nil, name: "v", role: .viewer, region: RegionCode("32.74"))
        XCTAssertThrowsError(try exportCSV(t, q, by: viewer))
    }
}
