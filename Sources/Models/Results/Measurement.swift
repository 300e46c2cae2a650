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
    /// Frames not kept, over all capture ports.
    @usableFromInline var capturesDropped: UInt64 = 0
    /// Each port's capture counts, by `PortID.index` (every port, when any captures; else empty).
    @usableFromInline var capturePorts: [CaptureCount] = []
}

/// What one capture port kept: `maxCapturedFrames` is a limit per port.
@usableFromInline
struct CaptureCount {
    @usableFromInline var kept = 0
    @usableFromInline var dropped: UInt64 = 0
    /// When the first frame not kept crossed the port.
    @usableFromInline var stoppedAt = SimTime.zero
    /// The total over all ports (``ConfigurationLimits/capturedFrames``) was reached first.
    @usableFromInline var byTotalLimit = false
}
