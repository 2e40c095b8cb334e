import Foundation

/// Every bound the server enforces, in one value with sane defaults.
public struct Limits {
    public var maxRequestLineBytes = 8 * 1024
    public var maxHeaderBytes = 32 * 1024
    public var maxHeaderCount = 100
    public var maxBodyBytes = 512 * 1024 * 1024
    /// Seconds a peer has to deliver a complete request head (counted from the first byte, or
    /// from accept for a new connection). Cuts off slowloris peers.
    public var headerTimeout: Double = 10
    /// Seconds a keep-alive connection may sit with no request before it is closed.
    public var idleTimeout: Double = 15
    /// Seconds an idle connection is kept once the table is three quarters full (and the oldest
    /// idle connection is closed to make room when it is full).
    public var crowdedIdleTimeout: Double = 2
    /// Seconds a request body has in total, plus one second for every `minBodyBytesPerSecond`
    /// bytes that arrived (Apache's mod_reqtimeout rule): a moving upload of any size goes on,
    /// a trickle is cut off with 408. The event loop gathers every body before a worker runs.
    public var bodyTimeout: Double = 30
    public var minBodyBytesPerSecond: Double = 1024
    /// Seconds an answer has to leave, in total, plus one second for every
    /// `minSendBytesPerSecond` bytes the peer took, and at most this long without the peer
    /// taking a byte: a reader that stalls or crawls is cut off (reset).
    public var writeTimeout: Double = 30
    public var minSendBytesPerSecond: Double = 1024
    public var maxConnections = 10_000
    /// Connections one client address may hold open; more are answered 503 at once.
    public var maxConnectionsPerAddress = 2_048
    public var workerThreads = 64
    /// Unread request body (of an answer given on the head) the server skips to keep a
    /// connection alive when it has already arrived; otherwise the connection closes.
    public var maxDrainBytes = 1024 * 1024
    /// Bytes of a gathered request body, or of a streamed answer, kept in memory; the rest goes
    /// to an unlinked temporary file in `spoolDirectory`.
    public var loopBodyBytes = 16 * 1024
    public var responseMemoryBytes = 64 * 1024
    /// A streamed answer larger than this fails with 500 instead of filling the disk.
    public var maxStreamedResponseBytes = 2 << 30
    public var spoolDirectory = FileManager.default.temporaryDirectory.path
    /// Event loops reading heads; 0 means one per processor.
    public var eventLoops = 0
    /// Seconds given to a refused peer to take the error answer before the socket is closed.
    public var lingerTimeout: Double = 2
    public init() {}

    var parserConfiguration: HTTPParser.Configuration {
        var c = HTTPParser.Configuration()
        c.maxRequestLineBytes = maxRequestLineBytes
        c.maxHeaderBytes = maxHeaderBytes
        c.maxHeaderCount = maxHeaderCount
        c.maxBodyBytes = maxBodyBytes
        return c
    }
}

/// One line of the access log, handed to `onResponse` after each answer.
public struct AccessLogEntry {
    /// "-" when the request was refused before its head could be read.
    public let method: String
    public let path: String
    public let routePattern: String?
    public let status: Int
    /// Bytes written for the answer, head included.
    public let bytesSent: Int
    /// Seconds from the complete head to the last byte written.
    public let duration: Double
    public let requestID: String
    public let remoteAddress: String

    public init(method: String, path: String, routePattern: String?, status: Int, bytesSent: Int,
                duration: Double, requestID: String, remoteAddress: String) {
        self.method = method
        self.path = path
        self.routePattern = routePattern
        self.status = status
        self.bytesSent = bytesSent
        self.duration = duration
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }
}
