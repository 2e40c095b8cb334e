import Glibc

/// glibc's allocator settings for a server process, set once at start by the executables (not
/// by the library: a test process hosting a server keeps its own).
///
/// By default glibc gives threads up to 8 arenas per core and raises its mmap threshold to the
/// largest block freed so far (up to 32 MB), so the 100 KB-2 MB buffers of report saves and
/// history pages end up in many arenas' heaps and stay resident after they are freed. Measured
/// with attack 5 of issue 12 (16 clients saving 100 KB reports and reading history for 25 s,
/// server in its own process, debug build): peak 181 MB by default, 139 MB with a fixed
/// threshold alone, 87 MB with 4 arenas too, 67 MB with 2 arenas (BENCHMARKS.md).
public enum MallocTuning {
    /// Blocks of 128 KiB and more are mapped and given back to the system when freed; threads
    /// share one arena per core (at least 2).
    public static func forServer(cores: Int) {
        // <malloc.h> is not in Swift's Glibc module: mallopt is looked up by name.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }  // nil: RTLD_DEFAULT on glibc
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapThreshold: Int32 = -3, arenaMax: Int32 = -8  // M_MMAP_THRESHOLD, M_ARENA_MAX
        _ = mallopt(mmapThreshold, 128 * 1024)
        _ = mallopt(arenaMax, Int32(max(2, cores)))
    }
}
