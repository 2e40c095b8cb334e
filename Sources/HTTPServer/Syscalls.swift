import Foundation
import Glibc

/// epoll and eventfd are not in Swift's Glibc module map, so they are looked up once with dlsym
/// and called through C function pointers. The constants are the Linux ABI values.
enum Epoll {
    static let IN: UInt32 = 0x001
    static let OUT: UInt32 = 0x004
    static let ERR: UInt32 = 0x008
    static let HUP: UInt32 = 0x010
    static let RDHUP: UInt32 = 0x2000
    static let EXCLUSIVE: UInt32 = 1 << 28
    static let ctlAdd: Int32 = 1, ctlDel: Int32 = 2, ctlMod: Int32 = 3
    static let cloexec: Int32 = 0o2_000_000

    // struct epoll_event is packed on x86_64 (12 bytes) and naturally aligned elsewhere (16).
    #if arch(x86_64)
    static let eventSize = 12, dataOffset = 4
    #else
    static let eventSize = 16, dataOffset = 8
    #endif

    private typealias CreateFn = @convention(c) (Int32) -> Int32
    private typealias CtlFn = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias WaitFn = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    private typealias EventfdFn = @convention(c) (UInt32, Int32) -> Int32

    private static let handle = dlopen(nil, RTLD_NOW)
    private static func symbol<T>(_ name: String, _ type: T.Type) -> T {
        guard let pointer = dlsym(handle, name) else { fatalError("\(name) not found in libc") }
        return unsafeBitCast(pointer, to: type)
    }
    private static let createFn = symbol("epoll_create1", CreateFn.self)
    private static let ctlFn = symbol("epoll_ctl", CtlFn.self)
    private static let waitFn = symbol("epoll_wait", WaitFn.self)
    private static let eventfdFn = symbol("eventfd", EventfdFn.self)

    static func create() -> Int32 { createFn(cloexec) }

    /// Registers (or removes) `fd` with `events`; the fd itself is the event's data.
    @discardableResult
    static func control(_ epfd: Int32, _ op: Int32, _ fd: Int32, _ events: UInt32) -> Int32 {
        var raw = [UInt8](repeating: 0, count: 16)
        return raw.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            buffer.storeBytes(of: UInt64(UInt32(bitPattern: fd)), toByteOffset: dataOffset, as: UInt64.self)
            return ctlFn(epfd, op, fd, buffer.baseAddress)
        }
    }

    /// Waits for events; returns (fd, events) pairs.
    static func wait(_ epfd: Int32, _ buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) -> [(Int32, UInt32)] {
        let capacity = Int32(buffer.count / eventSize)
        let n = waitFn(epfd, buffer.baseAddress, capacity, timeoutMs)
        guard n > 0 else { return [] }
        return (0..<Int(n)).map { i in
            let events = buffer.loadUnaligned(fromByteOffset: i * eventSize, as: UInt32.self)
            let data = buffer.loadUnaligned(fromByteOffset: i * eventSize + dataOffset, as: UInt64.self)
            return (Int32(bitPattern: UInt32(truncatingIfNeeded: data)), events)
        }
    }

    /// A non-blocking, close-on-exec eventfd used to wake a loop from other threads.
    static func makeEventfd() -> Int32 { eventfdFn(0, 0o4000 | cloexec) }
}

/// Small socket helpers shared by the loops and the workers.
enum Sys {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    static func setCloseOnExec(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Nagle plus delayed ACK would hold small keep-alive answers back by ~40 ms.
    static func setNoDelay(_ fd: Int32) { setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1) }

    static func wake(_ eventfd: Int32) {
        var one: UInt64 = 1
        _ = Glibc.write(eventfd, &one, 8)
    }

    static func drainEventfd(_ eventfd: Int32) {
        var value: UInt64 = 0
        _ = Glibc.read(eventfd, &value, 8)
    }

    /// Sends what the socket takes right now (the loops never block); returns bytes sent.
    @discardableResult
    static func sendNow(_ fd: Int32, _ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { buffer in
            let n = send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            return max(n, 0)
        }
    }

    /// The address part of "ip:port" or "[ip6]:port".
    static func host(of address: String) -> String {
        guard let colon = address.lastIndex(of: ":") else { return address }
        return String(address[..<colon])
    }

    /// "ip:port" of the peer.
    static func peerAddress(_ fd: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) == 0 }
        }
        return ok ? describe(&storage) : "unknown"
    }

    static func describe(_ storage: inout sockaddr_storage) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var addr = sin.pointee.sin_addr
                    inet_ntop(AF_INET, &addr, &text, socklen_t(text.count))
                    return "\(String(cString: text)):\(UInt16(bigEndian: sin.pointee.sin_port))"
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var addr = sin6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count))
                    return "[\(String(cString: text))]:\(UInt16(bigEndian: sin6.pointee.sin6_port))"
                }
            }
        default:
            return "unknown"
        }
    }
}

/// An HTTP-date (RFC 9110 §5.6.7), recomputed at most once a second.
enum HTTPDate {
    private static let lock = NSLock()
    private static var cachedSecond = -1
    private static var cachedValue = ""
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func now() -> String {
        var t = time(nil)
        lock.lock()
        defer { lock.unlock() }
        if Int(t) == cachedSecond { return cachedValue }
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        cachedValue = "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        cachedSecond = Int(t)
        return cachedValue
    }
}

extension NSLock {
    /// Runs `body` holding the lock.
    @discardableResult
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
