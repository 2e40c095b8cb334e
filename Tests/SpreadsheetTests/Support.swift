import Foundation
import XCTest

/// Where the fixture files and scripts sit, beside this file.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func tempURL(_ name: String) -> URL {
    URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("sheets-test-\(UUID().uuidString)-\(name)")
}

/// Runs a program and returns its standard output; fails the test on a non-zero exit.
func runTool(_ program: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [program] + args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        XCTFail("\(program) \(args.joined(separator: " ")) exited \(p.terminationStatus): \(String(decoding: errData, as: UTF8.self))", file: file, line: line)
        throw CocoaError(.executableLoad)
    }
    return String(decoding: data, as: UTF8.self)
}

/// openpyxl is installed by .ci/run (pip); a machine without it fails here with that word.
func openpyxl(_ script: String, _ args: [String]) throws -> String {
    try runTool("python3", [fixtures.appendingPathComponent(script).path] + args)
}

func which(_ program: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
    }
}

/// LibreOffice (headless, with its own profile in `dir`) converts `file` to `format` in dir/out.
func libreOfficeConvert(_ file: URL, to format: String, in dir: URL) throws -> URL {
    let out = dir.appendingPathComponent("out")
    _ = try runTool("libreoffice", ["-env:UserInstallation=file://\(dir.path)/profile", "--headless",
                                    "--convert-to", format, "--outdir", out.path, file.path])
    return out.appendingPathComponent(file.deletingPathExtension().lastPathComponent + "." + format)
}
