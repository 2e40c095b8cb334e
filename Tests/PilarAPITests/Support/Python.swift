import Foundation
import XCTest

/// Runs a Python snippet (openpyxl is installed by .ci/run) with `args` as sys.argv[1:] and
/// returns what it printed; a failing snippet fails the test with its error output.
func runPython(_ code: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", code] + args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    if p.terminationStatus != 0 { XCTFail("python: \(String(decoding: e, as: UTF8.self))", file: file, line: line) }
    return String(decoding: data, as: UTF8.self)
}
