import Foundation
import HTTPServer
import PilarAPI
import PilarCore

// Serves an existing Pilar database for the hostile-client tests (issue 12) in a process of its
// own, so that the memory those tests sample is the server's alone, not the server's plus the
// attacking clients'. Not part of the service: `pilar serve` is what runs in production.
//
//     pilar-test-server <database> [now=<RFC 3339 time>] [<Limits field>=<number> ...]
//
// `now` fixes the clock (tests that moved their own clock pass where it stands); the limits are
// the fields of HTTPServer.Limits the tests change. Prints `port=<n>` once listening and stops
// gracefully on SIGTERM.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("pilar-test-server: \(message)\n".utf8))
    exit(2)
}

let args = Array(CommandLine.arguments.dropFirst())
guard let path = args.first else { fail("usage: pilar-test-server <database> [now=<time>] [<limit>=<number> ...]") }
var limits = Limits()
var clock = Clock.system
for arg in args.dropFirst() {
    let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { fail("\(arg) is not name=value") }
    let (name, value) = (parts[0], parts[1])
    if name == "now" {
        guard let date = Clock.parseTimestamp(value) else { fail("now=\(value) is not an RFC 3339 time") }
        clock = Clock { date }
        continue
    }
    guard let number = Double(value) else { fail("\(arg): \(value) is not a number") }
    switch name {
    case "workerThreads": limits.workerThreads = Int(number)
    case "headerTimeout": limits.headerTimeout = number
    case "bodyTimeout": limits.bodyTimeout = number
    case "idleTimeout": limits.idleTimeout = number
    case "writeTimeout": limits.writeTimeout = number
    case "maxConnections": limits.maxConnections = Int(number)
    case "maxConnectionsPerAddress": limits.maxConnectionsPerAddress = Int(number)
    default: fail("unknown limit \(name)")
    }
}
signal(SIGPIPE, SIG_IGN)
MallocTuning.forServer(cores: ProcessInfo.processInfo.activeProcessorCount)
do {
    let pilar = try Pilar.open(path: path, clock: clock)
    let server = PilarApp(pilar: pilar, logRequests: false).makeServer(host: "127.0.0.1", port: 0, limits: limits)
    try server.start()
    print("port=\(server.port)")
    fflush(stdout)
    server.runUntilSignal()
    pilar.db.close()
} catch {
    fail("\(error)")
}
