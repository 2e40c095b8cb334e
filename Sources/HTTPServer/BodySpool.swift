import Foundation
import Glibc

/// A request body gathered by an event loop before any worker sees it: the first
/// `memoryLimit` bytes in memory, the rest in an unlinked temporary file. A slow upload then
/// holds no worker thread while it arrives, and a large one never sits in memory whole
/// (nginx's client body buffer, then its temp file). Read back in arrival order.
final class BodySpool {
    static let readPieceBytes = 64 * 1024

    private let memoryLimit: Int
    private let directory: String
    private var memory: [[UInt8]] = []
    private var memoryBytes = 0
    private var readIndex = 0
    private var fd: Int32 = -1
    private var fileBytes = 0
    private var fileReadOffset = 0
    /// Every byte appended so far.
    private(set) var count = 0

    init(memoryLimit: Int, directory: String) {
        self.memoryLimit = memoryLimit
        self.directory = directory
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    func append(_ piece: [UInt8]) throws {
        guard !piece.isEmpty else { return }
        count += piece.count
        if fd < 0 && memoryBytes + piece.count <= memoryLimit {
            memory.append(piece)
            memoryBytes += piece.count
            return
        }
        if fd < 0 { fd = try Self.openUnlinkedFile(in: directory) }
        try piece.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(fileBytes + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BodySpoolError.write(String(cString: strerror(errno)))
                }
                done += n
            }
        }
        fileBytes += piece.count
    }

    /// The next piece in arrival order (at most `readPieceBytes` from the file), nil at the end.
    func next() throws -> [UInt8]? {
        if readIndex < memory.count {
            defer {
                memory[readIndex] = []  // give the memory back as it is consumed
                readIndex += 1
            }
            return memory[readIndex]
        }
        guard fd >= 0, fileReadOffset < fileBytes else { return nil }
        let length = min(Self.readPieceBytes, fileBytes - fileReadOffset)
        var piece = [UInt8](repeating: 0, count: length)
        let read = piece.withUnsafeMutableBytes { buffer -> Int in
            var done = 0
            while done < length {
                let n = pread(fd, buffer.baseAddress! + done, length - done, off_t(fileReadOffset + done))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return -1 }
                done += n
            }
            return done
        }
        guard read == length else { throw BodySpoolError.read(String(cString: strerror(errno))) }
        fileReadOffset += length
        return piece
    }

    /// A file only this process can reach: created with mkstemp and unlinked at once, so the
    /// kernel frees it when the descriptor closes, even after a crash.
    private static func openUnlinkedFile(in directory: String) throws -> Int32 {
        var template = Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast())
            + Array("http-body-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw BodySpoolError.create(String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        Sys.setCloseOnExec(fd)
        return fd
    }
}

enum BodySpoolError: Error, CustomStringConvertible {
    case create(String), write(String), read(String)

    var description: String {
        switch self {
        case .create(let why): return "cannot create a file for the request body: \(why)"
        case .write(let why): return "cannot store the request body: \(why)"
        case .read(let why): return "cannot read back the request body: \(why)"
        }
    }
}
