import Foundation
import HTTPServer
import PilarCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A test server's database served by `pilar-test-server` (the binary `swift build` put beside
/// this test bundle) in a process of its own, with the test server's limits and clock, so that
/// the memory an attack test samples is the server's alone and not also its attackers'.
final class OwnProcessServer {
    let process: Process
    let port: Int
    var pid: Int32 { process.processIdentifier }

    /// The binary, or nil when it was not built (then attacks run against the in-process server).
    static var binary: String? {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("pilar-test-server").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    init(_ s: TestServer, binary: String) throws {
        var args = [s.dbPath]
        if let clock = s.clock { args.append("now=\(Clock.timestamp(clock.now()))") }
        let l = s.limits
        args += ["workerThreads=\(l.workerThreads)", "headerTimeout=\(l.headerTimeout)", "bodyTimeout=\(l.bodyTimeout)",
                 "idleTimeout=\(l.idleTimeout)", "writeTimeout=\(l.writeTimeout)", "maxConnections=\(l.maxConnections)",
                 "maxConnectionsPerAddress=\(l.maxConnectionsPerAddress)"]
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        // The first line is `port=<n>` once it listens; EOF means it failed (its error is on stderr).
        var line: [UInt8] = []
        while let byte = try out.fileHandleForReading.read(upToCount: 1)?.first, byte != 10 { line.append(byte) }
        guard let n = Int(String(decoding: line, as: UTF8.self).dropFirst("port=".count)) else {
            process.terminate()
            throw HTTPServerError.listen("pilar-test-server did not start: \(String(decoding: line, as: UTF8.self))")
        }
        port = n
    }

    /// The server process's resident memory now, or its peak so far (`VmHWM`).
    func residentBytes(_ field: String = "VmRSS") -> Int { Hostile.residentBytes(field, pid: pid) }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()  // SIGTERM: a graceful shutdown
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL); process.waitUntilExit() }
    }
}
