import Histogram

/// Latency samples of one flow (or VM, port, switch), in nanoseconds, kept in an HdrHistogram
/// (hdrhistogram-swift, 3 significant digits) so percentiles come from the standard data
/// structure; the exact minimum, maximum and sum are tracked beside it.
///
/// The histogram starts covering 1 ns … 65 µs and resizes itself when a larger latency
/// arrives, so memory grows only with the largest latency seen (about 8 KiB per doubling),
/// never with the number of samples or the simulated duration. Recording costs about 4 ns
/// (release build; hdrhistogram-swift's `record` is specialized across modules).
struct LatencyRecorder {
    private(set) var histogram: Histogram<UInt64>
    private(set) var sum: Double = 0
    private(set) var minimum: UInt64 = .max
    private(set) var maximum: UInt64 = 0

    init() {
        histogram = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: 1 << 16,
            numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
    }

    var total: UInt64 { histogram.totalCount }
    var mean: Double { total > 0 ? sum / Double(total) : 0 }

    /// The smallest value the histogram's counts array cannot index: the power of two above its
    /// `highestTrackableValue` (its buckets cover 2048·2^k values each; the highest trackable value always
    /// lies in the last bucket). A value at or above it makes hdrhistogram-swift resize.
    @inline(__always)
    var limit: UInt64 { 1 << UInt64(64 - histogram.highestTrackableValue.leadingZeroBitCount) }

    @inline(__always)
    mutating func record(_ v: UInt64) {
        if v >= limit { grow(to: v) }
        _ = histogram.record(v)
        sum += Double(v)
        if v < minimum { minimum = v }
        if v > maximum { maximum = v }
    }

    /// Widens the histogram to index `v`, leaving it exactly as hdrhistogram-swift's own resize would
    /// (the same highest trackable value, buckets, counts and extremes), without its resize: that one
    /// appends the zeros through unspecialized generic code, several microseconds per KiB, inside the
    /// event loop whenever a flow sees a new largest latency.
    @inline(never)
    mutating func grow(to v: UInt64) {
        var h = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: histogram.highestEquivalentForValue(v),
            numberOfSignificantValueDigits: .three)
        h.autoResize = true
        h.add(histogram)
        histogram = h
    }

    /// Adds another recorder's samples (for per-VM, per-port and per-switch distributions).
    mutating func add(_ o: LatencyRecorder) {
        guard o.total > 0 else { return }
        if o.maximum >= limit { grow(to: o.maximum) }  // what `Histogram.add` would resize to, done fast
        histogram.add(o.histogram)
        sum += o.sum
        minimum = Swift.min(minimum, o.minimum)
        maximum = Swift.max(maximum, o.maximum)
    }

    /// Forgets every sample and keeps the histogram's range (a fresh histogram of the same size: the same
    /// state as `Histogram.reset`, whose element-by-element clearing runs unspecialized).
    mutating func reset() {
        var h = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: histogram.highestTrackableValue,
            numberOfSignificantValueDigits: .three)
        h.autoResize = true
        histogram = h
        sum = 0; minimum = .max; maximum = 0
    }

    /// Values at the given percentiles (0…100, ascending), with HdrHistogram's definition
    /// (`valueAtPercentile`: the highest value equivalent to the first bucket whose cumulative
    /// count reaches ⌈p/100 · total⌉), computed in one pass over the recorded buckets instead of
    /// one scan of all counts per percentile; clamped to the exact extremes, and 0 and 100 give
    /// the exact minimum and maximum.
    func values(atPercentiles ps: [Double]) -> [UInt64] {
        guard total > 0 else { return ps.map { _ in 0 } }
        var out = [UInt64](repeating: 0, count: ps.count)
        // Targets in cumulative counts, as valueAtPercentile computes them.
        let targets = ps.map { p -> UInt64 in
            let q = Swift.min(Swift.max(p.nextDown, 0), 100)
            return Swift.max(1, UInt64((q * Double(total) / 100).rounded(.up)))
        }
        var next = 0
        while next < ps.count && ps[next] <= 0 { out[next] = minimum; next += 1 }
        var cumulative: UInt64 = 0
        for iv in histogram.recordedValues() where next < ps.count {
            cumulative += UInt64(iv.count)
            let v = histogram.highestEquivalentForValue(iv.value)
            while next < ps.count && (ps[next] >= 100 || targets[next] <= cumulative) {
                out[next] = ps[next] >= 100 ? maximum : Swift.min(Swift.max(v, minimum), maximum)
                next += 1
            }
        }
        while next < ps.count { out[next] = maximum; next += 1 }
        return out
    }
}
