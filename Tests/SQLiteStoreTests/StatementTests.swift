import XCTest
@testable import SQLiteStore

final class StatementTests: TempDirectoryTestCase {
    func testSameSQLIsPreparedOnceAndReused() throws {
        let db = try openDatabase()
        try db.write { conn in
            try conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER NOT NULL) STRICT")
            let before = conn.prepareCount
            for x in 1...5 { try conn.run("INSERT INTO t (x) VALUES (?)", x) }
            XCTAssertEqual(conn.prepareCount, before + 1, "five runs of one SQL text: one prepare")
            // Bindings from the previous use do not leak: each run saw its own value.
            XCTAssertEqual(try conn.query("SELECT x FROM t ORDER BY id").map { $0.int("x") }, [1, 2, 3, 4, 5])
            XCTAssertEqual(try conn.query("SELECT x FROM t ORDER BY id").count, 5)
            XCTAssertEqual(conn.prepareCount, before + 2)
            try conn.run("INSERT INTO t (x) VALUES (?)", 6)
            XCTAssertEqual(conn.prepareCount, before + 2)
        }
    }

    func testStatementCacheStaysBoundedUnderDynamicSQL() throws {
        let db = try openDatabase()
        try db.read { conn in
            for n in 0..<(Connection.cacheLimit * 2) {
                XCTAssertEqual(try conn.queryOne("SELECT \(n) AS n")?.int("n"), n)
            }
            XCTAssertLessThanOrEqual(conn.cachedStatementCount, Connection.cacheLimit)
            XCTAssertGreaterThan(conn.cachedStatementCount, 0)
        }
    }

    func testQueryOneAndEarlyStopLeaveTheStatementReusable() throws {
        let db = try openDatabase()
        try db.write { conn in
            try conn.execute("CREATE TABLE t (x INTEGER) STRICT; INSERT INTO t VALUES (1), (2), (3)")
            var seen: [Int] = []
            try conn.forEach("SELECT x FROM t ORDER BY x", []) { row in
                seen.append(row.int("x"))
                return seen.count < 2
            }
            XCTAssertEqual(seen, [1, 2])
            XCTAssertEqual(try conn.queryOne("SELECT x FROM t ORDER BY x")?.int(0), 1)
            XCTAssertEqual(try conn.query("SELECT x FROM t ORDER BY x").map { $0.int(0) }, [1, 2, 3])
            XCTAssertNil(try conn.queryOne("SELECT x FROM t WHERE x > ?", 10))
        }
    }

    func testSameQueryInsideItsOwnForEachGetsASecondStatement() throws {
        let db = try openDatabase()
        try db.write { conn in
            try conn.execute("CREATE TABLE t (x INTEGER) STRICT; INSERT INTO t VALUES (1), (2)")
            var pairs: [[Int]] = []
            try conn.forEach("SELECT x FROM t ORDER BY x", []) { outer in
                let inner = try conn.query("SELECT x FROM t ORDER BY x", []).map { $0.int(0) }
                pairs.append([outer.int(0)] + inner)
                return true
            }
            XCTAssertEqual(pairs, [[1, 1, 2], [2, 1, 2]])
        }
    }

    func testStreamingAMillionRowsVisitsEachOnce() throws {
        let db = try openDatabase()
        try db.write { conn in
            try conn.execute("""
                CREATE TABLE big (n INTEGER PRIMARY KEY, label TEXT NOT NULL) STRICT;
                WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000000)
                INSERT INTO big SELECT n, 'row ' || n FROM s;
                """)
        }
        var count = 0, sum = 0
        try db.read { conn in
            try conn.forEach("SELECT n, label FROM big ORDER BY n", []) { row in
                count += 1
                sum &+= row.int(0)
                return true
            }
        }
        XCTAssertEqual(count, 1_000_000)
        XCTAssertEqual(sum, 1_000_000 * 1_000_001 / 2)
    }

    func testArgumentCountAndMultipleStatementsAreRefused() throws {
        let db = try openDatabase()
        try db.write { conn in
            XCTAssertThrowsError(try conn.queryOne("SELECT ?, ?", 1)) { error in
                XCTAssertEqual((error as? SQLiteError)?.code, 25, "SQLITE_RANGE")
                XCTAssertEqual((error as? SQLiteError)?.sql, "SELECT ?, ?")
            }
            XCTAssertThrowsError(try conn.run("CREATE TABLE a (x); CREATE TABLE b (x)")) { error in
                XCTAssertEqual((error as? SQLiteError)?.code, 21, "SQLITE_MISUSE")
            }
            XCTAssertFalse(try conn.tableExists("a"), "nothing of a refused statement ran")
            // A trailing semicolon, blanks or a comment are not a second statement.
            XCTAssertEqual(try conn.queryOne("SELECT 1; -- done\n ")?.int(0), 1)
        }
    }

    func testErrorsCarryCodesMessageAndSQL() throws {
        let db = try openDatabase()
        try db.write { conn in
            try conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE) STRICT")
            try conn.run("INSERT INTO t (id, code) VALUES (?, ?)", 1, "A")

            let insert = "INSERT INTO t (id, code) VALUES (?, ?)"
            let unique = try XCTUnwrap(captureError { try conn.run(insert, 2, "A") })
            XCTAssertEqual(unique.code, 19)
            XCTAssertEqual(unique.extendedCode, 2067)
            XCTAssertTrue(unique.isConstraintViolation)
            XCTAssertTrue(unique.isUniqueViolation)
            XCTAssertEqual(unique.sql, insert)
            XCTAssertTrue(unique.message.contains("UNIQUE constraint failed: t.code"), unique.message)
            XCTAssertTrue(unique.description.contains("19") && unique.description.contains(insert), unique.description)

            let primaryKey = try XCTUnwrap(captureError { try conn.run(insert, 1, "B") })
            XCTAssertEqual(primaryKey.extendedCode, 1555)
            XCTAssertTrue(primaryKey.isUniqueViolation)

            let notNull = try XCTUnwrap(captureError { try conn.run(insert, 3, nil) })
            XCTAssertTrue(notNull.isConstraintViolation)
            XCTAssertFalse(notNull.isUniqueViolation)

            let syntax = try XCTUnwrap(captureError { try conn.query("SELEC * FROM t") })
            XCTAssertEqual(syntax.code, 1)
            XCTAssertEqual(syntax.sql, "SELEC * FROM t")
            XCTAssertTrue(syntax.message.contains("syntax error"), syntax.message)

            let script = try XCTUnwrap(captureError { try conn.execute("SELECT 1; SELECT * FROM nowhere") })
            XCTAssertEqual(script.code, 1)
            XCTAssertTrue(script.message.contains("no such table: nowhere"), script.message)
        }
    }

    func testStrictTableRejectsAWrongType() throws {
        let db = try openDatabase()
        try db.write { conn in
            try conn.execute("CREATE TABLE t (n INTEGER NOT NULL) STRICT")
            let error = try XCTUnwrap(captureError { try conn.run("INSERT INTO t (n) VALUES (?)", "not a number") })
            XCTAssertEqual(error.extendedCode, SQLiteError.constraintDataType)
            XCTAssertTrue(error.isConstraintViolation)
            // A text that looks like an integer is converted, as STRICT allows.
            try conn.run("INSERT INTO t (n) VALUES (?)", "12")
            XCTAssertEqual(try conn.queryOne("SELECT n, typeof(n) AS type FROM t")?.string("type"), "integer")
        }
    }

    func testForeignKeysAreEnforced() throws {
        let db = try openDatabase()
        try db.write { conn in
            try conn.execute("""
                CREATE TABLE region (code TEXT PRIMARY KEY) STRICT;
                CREATE TABLE report (id INTEGER PRIMARY KEY, region TEXT NOT NULL REFERENCES region(code)) STRICT;
                INSERT INTO region VALUES ('32.01');
                """)
            try conn.run("INSERT INTO report (region) VALUES (?)", "32.01")
            let orphan = try XCTUnwrap(captureError { try conn.run("INSERT INTO report (region) VALUES (?)", "99.99") })
            XCTAssertTrue(orphan.isForeignKeyViolation)
            let parent = try XCTUnwrap(captureError { try conn.run("DELETE FROM region WHERE code = ?", "32.01") })
            XCTAssertEqual(parent.extendedCode, SQLiteError.constraintForeignKey)
        }
        try db.read { conn in
            XCTAssertEqual(try conn.queryOne("PRAGMA foreign_keys")?.int(0), 1)
        }
    }

    func testSavepointRollsBackOnlyItsOwnWork() throws {
        let db = try openDatabase()
        try db.write { conn in
            try conn.execute("CREATE TABLE t (x INTEGER) STRICT")
            try conn.run("INSERT INTO t VALUES (1)")
            XCTAssertThrowsError(try conn.savepoint {
                try conn.run("INSERT INTO t VALUES (2)")
                try conn.savepoint { try conn.run("INSERT INTO t VALUES (3)") }   // nested, released
                throw SQLiteError(code: 1, message: "changed my mind")
            })
            let kept: Int = try conn.savepoint {
                try conn.run("INSERT INTO t VALUES (4)")
                return 4
            }
            XCTAssertEqual(kept, 4)
            XCTAssertEqual(try conn.query("SELECT x FROM t ORDER BY x").map { $0.int(0) }, [1, 4])
        }
    }

    func testExplainQueryPlanShowsIndexUse() throws {
        let db = try openDatabase()
        try db.write { conn in
            try conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT) STRICT; CREATE INDEX t_code ON t(code)")
            let plan = try conn.explainQueryPlan("SELECT id FROM t WHERE code = ?", ["x"])
            XCTAssertTrue(plan.contains { $0.contains("USING COVERING INDEX t_code") || $0.contains("USING INDEX t_code") }, "\(plan)")
            let scan = try conn.explainQueryPlan("SELECT id FROM t WHERE id + 0 > ?", [1])
            XCTAssertTrue(scan.contains { $0.hasPrefix("SCAN") }, "\(scan)")
        }
    }

    func testLastInsertRowIDAndChanges() throws {
        let db = try openDatabase()
        let (id, changed) = try db.write { conn -> (Int64, Int) in
            try conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER) STRICT")
            try conn.run("INSERT INTO t (x) VALUES (?), (?), (?)", [1, 2, 3])
            let id = conn.lastInsertRowID
            return (id, try conn.run("UPDATE t SET x = x + 1 WHERE x >= ?", 2))
        }
        XCTAssertEqual(id, 3)
        XCTAssertEqual(changed, 2)
    }
}

func captureError(_ body: () throws -> Any) -> SQLiteError? {
    do {
        _ = try body()
        XCTFail("expected an SQLiteError")
        return nil
    } catch let error as SQLiteError {
        return error
    } catch {
        XCTFail("expected an SQLiteError, got \(error)")
        return nil
    }
}
