import SimCore

/// Limits on a configuration's total size (docs/scenarios.md, "Limits"): what `validate()` refuses, so that
/// validating and building any accepted configuration takes seconds and well under 1 GiB.
///
/// Measured on the debug build (2 shared cores): a maximal file (4096 VMs, 8192 adapters, 16384 vCPUs and
/// channels, 4096 flows, 2500 timeline actions) validates in about 3 s and builds in 0.9 s; a run of it peaks
/// at about 760 MB. Every component index stays far below the kernel's 2^24 event targets.
public enum ConfigurationLimits {
    /// VMs, after groups are expanded.
    public static let vms = 4096
    /// Adapters over all VMs.
    public static let adapters = 8192
    /// vCPUs over all VMs (each is a server with its own accounting and report rows).
    public static let vcpus = 16_384
    /// VMBus channels over all synthetic adapters (`channels` each).
    public static let channels = 16_384
    /// Flows, after group flows are expanded.
    public static let flows = 4096
    /// Virtual switches.
    public static let switches = 256
    /// Physical NICs.
    public static let nics = 64
    /// Timeline actions, after group actions are expanded.
    public static let timelineActions = 10_000
    /// Addresses in one DHCP server's pool (a /16's worth): the lease table is sized by its clients, but the
    /// pool's free list is not.
    public static let dhcpPool = 65_536
    /// `max_series_points`: 100,000 points × 8 B per series.
    public static let seriesPoints = 100_000
    /// `max_captured_frames`: about 200 B each in memory, so at most about 200 MB.
    public static let capturedFrames = 1_000_000
    /// The offered packets per second of all open-loop flows together (`FlowConfig.offeredPacketRate`):
    /// 10^9 packets/s. The model simulates about 1.5 million packets per second of wall-clock time, so even
    /// this is about 11 minutes of wall-clock time per simulated second.
    public static let offeredPacketRate = 1e9
    /// The payload per packet that `offeredPacketRate` assumes for messages larger than it (one MSS).
    public static let estimatedPayloadPerPacket = 1460.0

    /// The longest run, and the longest `sample_interval` and `socket_backlog_limit`: 10^6 s (about 11.6 days).
    /// Times stay below 10^18 ps, so a time plus any delay or drawn period (also ≤ 10^6 s) cannot overflow.
    public static let maxDuration = SimTime.seconds(1_000_000)
    /// The longest NIC `propagation_delay` and interrupt-coalescing `max_delay`: 10 s.
    public static let maxNICDelay = SimTime.seconds(10)
    /// The most samples a run takes (duration / sample_interval): each is an event that visits every series.
    public static let samples: Int64 = 10_000_000
    /// The largest bulk-flow window: 1 GiB, TCP's largest (65535 × 2^14, RFC 7323). The sender fills the window
    /// at once, so a larger one is millions of packets created in one event.
    public static let bulkWindowBytes: Int64 = 1 << 30
    /// Parallel TCP streams of one bulk flow (ntttcp's and iperf's `-P` go to 64 and 128; 64 bounds the per-flow
    /// state the model allocates at build).
    public static let tcpStreams = 64
    /// The largest initial congestion window, in segments.
    public static let tcpInitialWindowSegments = 1024
    /// A socket send buffer: at least one full frame, at most 1 GiB.
    public static let socketBufferBytes: ClosedRange<Int64> = 2048...(1 << 30)

    /// The slowest and fastest core clock: 1 MHz and 100 GHz (real cores run at 1–6 GHz). At 100 GHz a
    /// cycle is 10 ps, still above the kernel's 1 ps resolution; far beyond it every stage rounds up to 1 ps
    /// and a closed loop spins at picosecond steps (a 9.2 EHz clock ran a 2 ms bulk run for minutes).
    public static let minClockHertz: Int64 = 1_000_000
    public static let maxClockHertz: Int64 = 100_000_000_000

    /// Why the limits exist, for messages.
    public static let why = "limits keep validating and building any scenario within seconds and 1 GiB"
}

extension FlowConfig {
    /// Packets per second an open-loop flow offers (constant, Poisson, on_off at its on rate), estimated as
    /// rate / (8 × min(mean message size, 1460 B)); nil for closed-loop flows (request/response, bulk),
    /// which the window and the round trip bound.
    public var offeredPacketRate: Double? {
        let rate: DataRate
        switch pattern {
        case .constant(let r), .poisson(let r), .onOff(let r, _, _): rate = r
        case .requestResponse, .bulk: return nil
        }
        let payload = Swift.max(1, Swift.min(size.mean ?? 1, ConfigurationLimits.estimatedPayloadPerPacket))
        return Double(rate.bitsPerSecond) / 8 / payload
    }
}
