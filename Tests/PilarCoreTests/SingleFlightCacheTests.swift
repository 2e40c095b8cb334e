import Foundation
import PilarCore
import XCTest

/// The bounded, single-flight cache behind the dashboards (real threads, no mocks).
final class SingleFlightCacheTests: XCTestCase {
    func testConcurrentRequestsForOneKeyShareOneComputation() throws {
        let cache = SingleFlightCache()
        let lock = NSLock()
        var results: [[UInt8]] = []
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let v = try? cache.value("k") {
                usleep(200_000)  // long enough that the others arrive while it runs
                return [1, 2, 3]
            }
            lock.lock(); results.append(v ?? []); lock.unlock()
        }
        XCTAssertEqual(results, Array(repeating: [1, 2, 3], count: 8))
        XCTAssertEqual(cache.computations, 1)
    }

    func testEntriesAndBytesAreBoundedLeastRecentlyUsedFirst() throws {
        let cache = SingleFlightCache(maxEntries: 3, maxBytes: 100, maxEntryBytes: 60)
        for k in ["a", "b", "c"] { _ = try cache.value(k) { [UInt8](repeating: 0, count: 10) } }
        _ = try cache.value("a") { XCTFail("a is kept"); return [] }
        _ = try cache.value("d") { [UInt8](repeating: 0, count: 10) }  // drops b, the least recently used
        XCTAssertEqual(cache.size.entries, 3)
        var computed = false
        _ = try cache.value("b") { computed = true; return [UInt8](repeating: 0, count: 10) }
        XCTAssertTrue(computed, "b was dropped")

        _ = try cache.value("big") { [UInt8](repeating: 0, count: 50) }
        _ = try cache.value("big2") { [UInt8](repeating: 0, count: 50) }
        XCTAssertLessThanOrEqual(cache.size.bytes, 100)
        let huge = try cache.value("huge") { [UInt8](repeating: 7, count: 61) }
        XCTAssertEqual(huge.count, 61, "answered, though too large to keep")
        computed = false
        _ = try cache.value("huge") { computed = true; return [] }
        XCTAssertTrue(computed, "not kept")
    }

    func testAFailureIsNotKept() throws {
        struct Boom: Error {}
        let cache = SingleFlightCache()
        XCTAssertThrowsError(try cache.value("k") { throw Boom() })
        XCTAssertEqual(try cache.value("k") { [9] }, [9])
        XCTAssertEqual(cache.computations, 2)
    }
}
