#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wall-clock and CPU-time readings for benchmarks and progress reports.
/// Models never read these (they would break determinism); only the CLI and
/// the benchmarks do.
public enum WallClock {
    /// Seconds on the monotonic clock.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
    /// CPU seconds used by this process.
    public static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
    /// Peak resident set size of this process in MiB (Linux: VmHWM).
    public static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(0), &usage)  // RUSAGE_SELF
        #if os(Linux)
            return Double(usage.ru_maxrss) / 1024.0  // KiB on Linux
        #else
            return Double(usage.ru_maxrss) / (1024.0 * 1024.0)
        #endif
    }
}
