import Foundation
@testable import PilarCore

/// A Pilar over a fresh database file in its own temporary folder.
final class TempPilar {
    let directory: String
    let pilar: Pilar

    init(clock: Clock = .system, demo: Bool = false) throws {
        directory = NSTemporaryDirectory() + "pilar-core-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        pilar = try Pilar.open(path: directory + "/pilar.db", clock: clock)
        if demo { try Demo.seed(pilar) }
    }

    var path: String { directory + "/pilar.db" }

    func spool(_ text: String) throws -> ImportSpool {
        var given = false
        return try ImportSpool {
            if given { return nil }
            given = true
            return Array(text.utf8)
        }
    }

    deinit {
        pilar.db.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
