import Foundation
import XCTest
@testable import SQLiteStore

/// `write` inside a `write` body would wait for itself forever; it must stop the process with a
/// clear message instead. A crash cannot be observed in-process, so the test runs itself again
/// as a child process and reads the child's stderr.
final class NestedWriteTests: TempDirectoryTestCase {
    private static let childFlag = "SQLITESTORE_NESTED_WRITE_CHILD"

    func testWriteInsideWriteStopsWithAClearMessage() throws {
        if let path = ProcessInfo.processInfo.environment[Self.childFlag] {
            let db = try Database(path: path, readers: 1)
            try db.write { _ in try db.write { _ in } }   // must not return
            print("NESTED WRITE RETURNED")
            return
        }
        let binary = CommandLine.arguments[0]
        guard binary.hasSuffix(".xctest") else {
            throw XCTSkip("needs the Linux test runner, which can run one test by name")
        }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: binary)
        child.arguments = ["SQLiteStoreTests.NestedWriteTests/testWriteInsideWriteStopsWithAClearMessage"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.childFlag: file("nested.db")]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = output
        try child.run()
        let text = Locked("")
        let reading = Thread {
            let bytes = output.fileHandleForReading.readDataToEndOfFile()
            text.update { $0 = String(decoding: bytes, as: UTF8.self) }
        }
        reading.start()
        let deadline = Date().addingTimeInterval(60)
        while child.isRunning && Date() < deadline { usleep(10_000) }
        if child.isRunning {
            child.terminate()
            return XCTFail("the nested write hung instead of stopping the process")
        }
        waitUntil("the child's output is read") { !text.value.isEmpty || Date() > deadline }
        // A trap is a signal; under a sanitizer it is a non-zero exit. Never a clean exit.
        XCTAssertFalse(child.terminationReason == .exit && child.terminationStatus == 0, "the child ended cleanly")
        XCTAssertTrue(text.value.contains("Database.write called from inside a write body"), text.value)
        XCTAssertFalse(text.value.contains("NESTED WRITE RETURNED"))
    }
}
