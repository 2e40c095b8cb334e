import HTTPServer
import XCTest

/// One message as seen through the parser's events: its head, its body joined, and whether
/// the end arrived.
struct ParsedMessage: Equatable {
    var head: HTTPRequestHead
    var body: [UInt8] = []
    var ended = false
}

struct ParseOutcome: Equatable {
    var messages: [ParsedMessage] = []
    var error: HTTPParserError?
    /// The largest single body event, to check that pieces stay bounded.
    var largestPiece = 0
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Feeds `input` in pieces cut at `cuts` (sorted offsets), draining events after each piece.
func parse(_ input: [UInt8], cuts: [Int] = [], configuration: HTTPParser.Configuration = .init()) -> ParseOutcome {
    var parser = HTTPParser(configuration: configuration)
    var outcome = ParseOutcome()
    var from = 0
    for end in cuts + [input.count] where end >= from {
        parser.append(contentsOf: input[from..<end])
        from = end
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let head):
                    outcome.messages.append(ParsedMessage(head: head))
                case .body(let piece):
                    XCTAssertFalse(piece.isEmpty, "empty body event")
                    outcome.largestPiece = max(outcome.largestPiece, piece.count)
                    outcome.messages[outcome.messages.count - 1].body += piece
                case .end:
                    outcome.messages[outcome.messages.count - 1].ended = true
                }
            }
        } catch let error as HTTPParserError {
            outcome.error = error
            return outcome
        } catch {
            XCTFail("unexpected error type \(error)")
            return outcome
        }
    }
    return outcome
}

/// Parses whole, split in two at every byte boundary, and byte by byte; all must agree.
func assertSplitInvariant(_ input: [UInt8], configuration: HTTPParser.Configuration = .init(),
                          _ name: String, file: StaticString = #filePath, line: UInt = #line) -> ParseOutcome {
    var whole = parse(input, configuration: configuration)
    whole.largestPiece = 0
    for cut in 0...input.count {
        var split = parse(input, cuts: [cut], configuration: configuration)
        split.largestPiece = 0
        if split != whole {
            XCTFail("\(name): split at \(cut) gave \(split) instead of \(whole)", file: file, line: line)
            break
        }
    }
    var single = parse(input, cuts: Array(0..<input.count), configuration: configuration)
    single.largestPiece = 0
    XCTAssertEqual(single, whole, "\(name): byte by byte", file: file, line: line)
    return whole
}
