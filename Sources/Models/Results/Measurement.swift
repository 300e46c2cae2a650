import SimCore

/// What the run measures beside the counters: the warm-up and its snapshot, the time series, and the frames
/// captured at capture ports.
@usableFromInline
struct Measurement {
    @usableFromInline var warmup: SimTime = .zero
    /// The middle of the measured window (the requested one): latencies before it count in each flow's first half.
    @usableFromInline var midpoint: SimTime = .zero
    /// False until the warm-up ends (latencies are recorded only after it).
    @usableFromInline var measuring = false
    @usableFromInline var baseline: Baseline? = nil
    @usableFromInline var series = SeriesSet()
    @usableFromInline var captures: [CapturedFrame] = []
    @usableFromInline var capturesDropped: UInt64 = 0
}
