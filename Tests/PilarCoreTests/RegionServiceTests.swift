import XCTest
@testable import PilarCore

final class RegionServiceTests: XCTestCase {
    let header = "code,name,level,parent_code\n"

    func testImportValidatesEveryRowAndIsIdempotent() throws {
        let t = try TempPilar()
        let good = header + """
            33,Jawa Tengah,provinsi,
            33.01,Kabupaten Cilacap,kabupaten,33
            33.01.01,Dayeuhluhur,kecamatan,33.01
            33.01.01.2001,Bolang,desa,33.01.01
            """
        var s = try t.pilar.regions.importCSV(try t.spool(good), format: .csv, options: ImportOptions(), by: .cli)
        XCTAssertEqual([s.created, s.updated, s.unchanged, s.rejected], [4, 0, 0, 0])
        XCTAssertTrue(s.applied)
        s = try t.pilar.regions.importCSV(try t.spool(good), format: .csv, options: ImportOptions(), by: .cli)
        XCTAssertEqual([s.created, s.updated, s.unchanged, s.rejected], [0, 0, 4, 0], "the same file twice changes nothing")

        let bad = header + """
            33.01.01.2002,Cilumping,desa,33.01.01
            3x.01,Bad,kabupaten,33
            33.02,Kabupaten Banyumas,kecamatan,33
            33.03.01,Orphan,kecamatan,33.03
            33.01.02,Wrong Parent,kecamatan,33.02
            33.01.01.2001,Bolang Baru,desa,33.01.01
            """
        s = try t.pilar.regions.importCSV(try t.spool(bad), format: .csv, options: ImportOptions(), by: .cli)
        XCTAssertFalse(s.applied)
        XCTAssertEqual(s.rejected, 4)
        XCTAssertEqual(s.errors.map(\.row), [3, 4, 5, 6])
        XCTAssertEqual(s.errors.map(\.code), ["malformed_code", "level_mismatch", "unknown_parent", "parent_mismatch"])
        let count = try t.pilar.db.read { c in try c.queryOne("SELECT count(*) AS n FROM regions WHERE code LIKE '33%'")?.int("n") }
        XCTAssertEqual(count, 4, "all-or-nothing: the good rows of a refused file are not written")

        s = try t.pilar.regions.importCSV(try t.spool(bad), format: .csv, options: ImportOptions(dryRun: true, skipInvalid: true), by: .cli)
        XCTAssertEqual([s.created, s.updated, s.rejected], [1, 1, 4])
        XCTAssertFalse(s.applied, "a dry run writes nothing")

        s = try t.pilar.regions.importCSV(try t.spool(bad), format: .csv, options: ImportOptions(skipInvalid: true), by: .cli)
        XCTAssertTrue(s.applied)
        XCTAssertEqual([s.created, s.updated, s.rejected], [1, 1, 4])
        let (renamed, ancestors) = try t.pilar.regions.get(RegionCode("3301012001")!, by: .cli)
        XCTAssertEqual(renamed.name, "Bolang Baru")
        XCTAssertEqual(ancestors.map(\.name), ["Jawa Tengah", "Kabupaten Cilacap", "Dayeuhluhur"])
    }

    func testReadScopeOwnSubtreeAndAncestorsOnly() throws {
        let t = try TempPilar(demo: true)
        let tksk = Caller(tokenID: 1, name: "t", role: .tksk, region: RegionCode("32.74.01"))
        XCTAssertNoThrow(try t.pilar.regions.get(RegionCode("32.74.01.1001")!, by: tksk))
        XCTAssertNoThrow(try t.pilar.regions.get(RegionCode("32.74")!, by: tksk), "its ancestors, to name them")
        XCTAssertThrowsError(try t.pilar.regions.get(RegionCode("32.74.02")!, by: tksk)) { e in
            XCTAssertEqual((e as? PilarError)?.kind, .forbidden)
        }
        XCTAssertThrowsError(try t.pilar.regions.get(RegionCode("99.99")!, by: tksk)) { e in
            XCTAssertEqual((e as? PilarError)?.kind, .forbidden, "outside the reach: 403 whether or not it exists")
        }
        XCTAssertEqual(try t.pilar.regions.children(of: RegionCode("32.74"), by: tksk).map(\.code.dotted), ["32.74.01"])
        XCTAssertEqual(try t.pilar.regions.children(of: RegionCode("32.74"), by: .cli).count, 5)
        XCTAssertEqual(try t.pilar.regions.children(of: RegionCode("32.74.03"), by: .cli).count, 5)
    }

    func testMigrationsSeedAUsableDatabase() throws {
        let t = try TempPilar()
        XCTAssertEqual(try t.pilar.regions.children(of: RegionCode("32.74"), by: .cli).map(\.name),
                       ["Kejaksan", "Lemahwungkuk", "Harjamukti", "Pekalipan", "Kesambi"])
    }
}
