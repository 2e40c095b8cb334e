/// An incremental HTTP/1.1 request parser: bytes go in with `append`, events come out of
/// `next()`. It knows nothing of sockets or clocks, so it can be driven byte by byte in tests
/// and by the fuzz entry point. After an error it stays failed (the connection must close).
///
/// Lines end with LF, optionally preceded by CR (RFC 9112 §2.2); a CR anywhere else is refused.
public struct HTTPParser {
    public struct Configuration: Equatable {
        public var maxRequestLineBytes = 8 * 1024
        public var maxHeaderBytes = 32 * 1024
        public var maxHeaderCount = 100
        public var maxBodyBytes = 512 * 1024 * 1024
        /// The largest body piece one `.body` event carries.
        public var maxBodyPiece = 64 * 1024
        public init() {}
    }

    enum State: Equatable {
        case head
        case lengthBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case endOfMessage
        case failed(HTTPParserError)
    }

    public let configuration: Configuration
    var state: State = .head
    // Unconsumed input is storage[start...].
    var storage: [UInt8] = []
    var start = 0
    // Head scanning, relative to `start`, so that nothing is scanned twice.
    var scanned = 0
    var lineStart = 0
    var requestLineEnd: Int?
    var fieldLines = 0
    var bodyTotal = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: Input

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        compact()
        storage.append(contentsOf: bytes)
    }

    public mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        guard !bytes.isEmpty else { return }
        compact()
        storage.append(contentsOf: bytes)
    }

    /// Drops consumed bytes once they are the bigger part of the buffer (amortised O(1)).
    private mutating func compact() {
        if start == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 256 * 1024)
            start = 0
        } else if start > 4096 && start * 2 > storage.count {
            storage.removeSubrange(0..<start)
            start = 0
        }
    }

    /// Gives back a large buffer while nothing is buffered, so thousands of idle keep-alive
    /// connections do not each hold on to the biggest read they ever saw.
    public mutating func releaseIdleMemory() {
        if start == storage.count && storage.capacity > 16 * 1024 {
            storage = []
            start = 0
        }
    }

    /// Bytes received but not yet turned into events.
    public var bufferedBytes: Int { storage.count - start }

    /// Between messages with nothing buffered: the connection is idle, not mid-request.
    public var isIdle: Bool { state == .head && bufferedBytes == 0 }

    /// Between messages (possibly with the beginning of the next head buffered).
    public var isAtMessageBoundary: Bool { state == .head }

    public var hasFailed: Bool {
        if case .failed = state { return true }
        return false
    }

    /// Body bytes of the current message still to come, when the framing says (nil for chunked).
    public var remainingBodyBytes: Int? {
        switch state {
        case .lengthBody(let remaining): return remaining
        case .endOfMessage, .head: return 0
        default: return nil
        }
    }

    // MARK: Output

    /// The next event, or nil when more bytes are needed.
    public mutating func next() throws -> HTTPParserEvent? {
        do {
            return try step()
        } catch let error as HTTPParserError {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step() throws -> HTTPParserEvent? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .head:
                return try parseHead()
            case .endOfMessage:
                state = .head
                return .end
            case .lengthBody(let remaining):
                guard let piece = takePiece(upTo: remaining) else { return nil }
                state = remaining == piece.count ? .endOfMessage : .lengthBody(remaining: remaining - piece.count)
                return .body(piece)
            case .chunkData(let remaining):
                guard let piece = takePiece(upTo: remaining) else { return nil }
                state = remaining == piece.count ? .chunkDataEnd : .chunkData(remaining: remaining - piece.count)
                return .body(piece)
            case .chunkSize:
                guard let line = try takeLine(limit: 4096, tooLong: .badChunk("chunk size line too long")) else {
                    return nil
                }
                let size = try Self.parseChunkSize(line)
                if size == 0 {
                    state = .trailers
                    scanned = 0
                    lineStart = 0
                    fieldLines = 0
                } else {
                    guard size <= configuration.maxBodyBytes - bodyTotal else {
                        throw HTTPParserError.bodyTooLarge(limit: configuration.maxBodyBytes)
                    }
                    bodyTotal += size
                    state = .chunkData(remaining: size)
                }
            case .chunkDataEnd:
                guard bufferedBytes >= 1 else { return nil }
                if storage[start] == ByteClass.lf {
                    start += 1
                } else if storage[start] == ByteClass.cr {
                    guard bufferedBytes >= 2 else { return nil }
                    guard storage[start + 1] == ByteClass.lf else { throw HTTPParserError.badChunk("bare CR after chunk data") }
                    start += 2
                } else {
                    throw HTTPParserError.badChunk("chunk data longer than its size")
                }
                state = .chunkSize
            case .trailers:
                guard let line = try takeLine(limit: configuration.maxHeaderBytes, tooLong: .headersTooLarge) else {
                    return nil
                }
                if line.isEmpty {
                    state = .endOfMessage
                } else {
                    fieldLines += 1
                    if fieldLines > configuration.maxHeaderCount { throw HTTPParserError.tooManyHeaders }
                    _ = try Self.parseFieldLine(line)  // validated, then dropped: trailers carry nothing we use
                }
            }
        }
    }

    private mutating func takePiece(upTo remaining: Int) -> [UInt8]? {
        let count = min(bufferedBytes, remaining, configuration.maxBodyPiece)
        guard count > 0 else { return nil }
        let piece = Array(storage[start..<(start + count)])
        start += count
        return piece
    }

    /// One line (without its LF / CRLF) from the buffer, or nil if it has not fully arrived.
    private mutating func takeLine(limit: Int, tooLong: HTTPParserError) throws -> ArraySlice<UInt8>? {
        let from = start + scanned
        guard let lf = storage[from...].firstIndex(of: ByteClass.lf) else {
            scanned = bufferedBytes
            if bufferedBytes > limit { throw tooLong }
            return nil
        }
        if lf - start > limit { throw tooLong }
        var end = lf
        if end > start && storage[end - 1] == ByteClass.cr { end -= 1 }
        let line = storage[start..<end]
        start = lf + 1
        scanned = 0
        return line
    }

    // MARK: Head

    private mutating func parseHead() throws -> HTTPParserEvent? {
        while true {
            let from = start + scanned
            guard let lf = storage[from...].firstIndex(of: ByteClass.lf) else {
                scanned = bufferedBytes
                try checkIncompleteHead()
                return nil
            }
            let lineEnd = lf - start  // relative index of the LF
            scanned = lineEnd + 1
            let lineLength = lineEnd - lineStart
            let isEmptyLine = lineLength == 0 || (lineLength == 1 && storage[lf - 1] == ByteClass.cr)
            guard let requestLineEnd else {
                if isEmptyLine {
                    // RFC 9112 §2.2: ignore empty lines before the request line.
                    start = lf + 1
                    scanned = 0
                    lineStart = 0
                    continue
                }
                let content = storage[lf - 1] == ByteClass.cr ? lineLength - 1 : lineLength
                try checkMethodPrefix(upTo: start + content)
                if content > configuration.maxRequestLineBytes { throw HTTPParserError.requestLineTooLong }
                self.requestLineEnd = lineEnd + 1
                lineStart = lineEnd + 1
                continue
            }
            if lineEnd + 1 - requestLineEnd > configuration.maxHeaderBytes { throw HTTPParserError.headersTooLarge }
            if isEmptyLine {
                let head = try Self.makeHead(storage[start..<(lf + 1)], configuration: configuration)
                start = lf + 1
                resetHeadScan()
                state = Self.bodyState(for: head.framing)
                bodyTotal = 0
                return .head(head)
            }
            fieldLines += 1
            if fieldLines > configuration.maxHeaderCount { throw HTTPParserError.tooManyHeaders }
            lineStart = lineEnd + 1
        }
    }

    private mutating func resetHeadScan() {
        scanned = 0
        lineStart = 0
        requestLineEnd = nil
        fieldLines = 0
    }

    private static func bodyState(for framing: HTTPBodyFraming) -> State {
        switch framing {
        case .none, .length(0): return .endOfMessage
        case .length(let n): return .lengthBody(remaining: n)
        case .chunked: return .chunkSize
        }
    }

    /// Refuses a head that can no longer become valid, without waiting for its end.
    private func checkIncompleteHead() throws {
        if let requestLineEnd {
            if bufferedBytes - requestLineEnd > configuration.maxHeaderBytes { throw HTTPParserError.headersTooLarge }
            return
        }
        guard bufferedBytes > 0 else { return }
        var end = storage.count
        if storage[end - 1] == ByteClass.cr { end -= 1 }  // may be the start of the CRLF
        try checkMethodPrefix(upTo: end)
        // +1: the CR of a line exactly at the limit may already be here.
        if bufferedBytes > configuration.maxRequestLineBytes + 1 { throw HTTPParserError.requestLineTooLong }
    }

    /// A method is a token followed by SP; anything else (a TLS hello, binary noise) fails early,
    /// before the whole line has arrived.
    private func checkMethodPrefix(upTo end: Int) throws {
        var index = start
        while index < end {
            let b = storage[index]
            if b == ByteClass.sp { return }
            if !ByteClass.isToken(b) { throw HTTPParserError.badRequestLine("invalid method") }
            index += 1
        }
    }
}
