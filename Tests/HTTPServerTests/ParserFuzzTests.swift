import Foundation
import HTTPServer
import XCTest

/// Runs the fuzz entry point over the seed corpus and over mutations of it. A crash or a
/// runaway loop fails the test run.
final class ParserFuzzTests: XCTestCase {
    /// Found next to this file, so no resource bundle is needed.
    static let corpusDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    func loadCorpus() throws -> [(name: String, bytes: [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpusDirectory.path).sorted()
        return try names.map { name in
            (name, Array(try Data(contentsOf: Self.corpusDirectory.appendingPathComponent(name))))
        }
    }

    func testSeedCorpus() throws {
        let corpus = try loadCorpus()
        XCTAssertGreaterThanOrEqual(corpus.count, 15)
        for (name, seed) in corpus {
            seed.withUnsafeBytes { fuzzHTTPParser($0) }
            // The seeds are named for what they are: valid ones parse cleanly, bad ones fail.
            let outcome = parse(seed)
            if name.hasPrefix("valid-") {
                XCTAssertNil(outcome.error, name)
                XCTAssertFalse(outcome.messages.isEmpty, name)
                XCTAssertTrue(outcome.messages.allSatisfy { $0.ended }, name)
            } else {
                XCTAssertNotNil(outcome.error, name)
            }
        }
    }

    func testMutatedCorpus() throws {
        let corpus = try loadCorpus().map { $0.bytes }
        var random = SplitMix64(seed: 0x5EED)
        for _ in 0..<20_000 {
            var input = corpus[Int(random.next() % UInt64(corpus.count))]
            for _ in 0..<(1 + random.next() % 4) {
                let position = input.isEmpty ? 0 : Int(random.next() % UInt64(input.count))
                switch random.next() % 5 {
                case 0: if !input.isEmpty { input[position] = UInt8(truncatingIfNeeded: random.next()) }
                case 1: input.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                case 2: if !input.isEmpty { input.remove(at: position) }
                case 3: input.insert(contentsOf: [13, 10], at: position)
                default: input += corpus[Int(random.next() % UInt64(corpus.count))]
                }
            }
            input.withUnsafeBytes { fuzzHTTPParser($0) }
        }
    }
}

/// A small deterministic generator, so a failing mutation can be reproduced.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
