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
