#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Identifies the calling thread, to detect re-entrant use (a write from the writer thread,
/// a read nested in a read) without thread-local storage.
func currentThreadKey() -> UInt {
    #if canImport(Glibc)
    return UInt(pthread_self())
    #else
    return UInt(bitPattern: pthread_self())
    #endif
}
