import SimCore
import Stochastics

/// Where random samples become model quantities, and the range each is clamped to.
///
/// The policy (docs/scenarios.md, "Random values"): validation refuses a distribution whose mean or 99th
/// percentile is beyond the field's maximum, so at most 1% of samples are ever clamped; and every sample is
/// clamped where it becomes a size or a time, so that no draw — however unlikely, infinite or NaN — can trap.
/// Clamping only touches samples that used to trap or were already clamped, so results do not change.
public enum SampleBounds {
    /// A message's size: 1 B … 1 MiB (a NaN becomes 1 B).
    public static let minMessageBytes = 1
    public static let maxMessageBytes = 1_048_576
    /// A sampled time (on and off periods, think times, Poisson gaps):
    /// 0 … 10^6 s (about 11.6 days; a negative sample or a NaN becomes 0).
    public static let maxSampledTime = SimTime.seconds(1_000_000)

    /// A size sample rounded to whole bytes and clamped to `minMessageBytes…maxMessageBytes`.
    @inlinable @inline(__always)
    public static func messageBytes(_ x: Double) -> Int {
        let r = x.rounded()
        if r >= Double(maxMessageBytes) { return maxMessageBytes }
        if r >= Double(minMessageBytes) { return Int(r) }
        return minMessageBytes  // also a NaN
    }

    /// A time sample in seconds, rounded to the picosecond and clamped to `0…maxSampledTime`.
    @inlinable @inline(__always)
    public static func time(seconds x: Double) -> SimTime { time(picoseconds: (x * 1e12).rounded()) }

    /// A time in (fractional) picoseconds, rounded and clamped to `0…maxSampledTime`.
    @inlinable @inline(__always)
    public static func time(picoseconds ps: Double) -> SimTime {
        if ps >= Double(maxSampledTime.picoseconds) { return maxSampledTime }
        if ps > 0 { return SimTime(picoseconds: Int64(ps.rounded())) }
        return .zero  // also a NaN
    }
}

extension SampleBounds {
    /// A problem if `d`, as a message size in bytes, would routinely leave 1 B … 1 MiB.
    static func sizeProblem(_ d: Distribution) -> String? {
        d.problem(maximum: Double(maxMessageBytes)) { $0.isInfinite ? "infinite" : "\(bytes($0))B" }.map {
            "\($0) (1MiB); choose parameters whose mean and 99th percentile are at most 1MiB "
                + "(samples are clamped to 1B…1MiB, and at most 1% may be)"
        }
    }

    /// A problem if `d`, as a time in seconds, would routinely exceed 10^6 s.
    static func timeProblem(_ d: Distribution) -> String? {
        d.problem(maximum: maxSampledTime.seconds) { $0.isInfinite ? "infinite" : "\(seconds($0))s" }.map {
            "\($0); choose parameters whose mean and 99th percentile are at most 1000000s "
                + "(samples are clamped to 0…1000000s, and at most 1% may be)"
        }
    }

    /// A whole number of bytes (or bits/s) for messages, "infinite" if it is.
    static func bytes(_ x: Double) -> String {
        if x.isInfinite { return "infinite" }
        return x.magnitude < 9e18 ? String(Int64(x.rounded())) : "\(x)"
    }

    /// Seconds for messages, "infinite" if it is.
    static func seconds(_ x: Double) -> String {
        if x.isInfinite { return "infinite" }
        return x.magnitude < 1e15 && x == x.rounded() ? String(Int64(x)) : "\(x)"
    }
}
