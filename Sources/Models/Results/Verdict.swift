/// A judgement on whether a run's figures can be trusted as they stand: a saturated resource, a backlog that
/// grows, a warm-up shorter than the transient, a tail percentile on too few samples, drops. Every run carries
/// its verdicts (none: the run is a steady state with headroom) in the terminal summary, summary.md and
/// summary.json, where studies and the capacity planner read them: `code` and `evidence` are for programs,
/// `message` for people, with the evidence in it.
public struct Verdict: Codable, Sendable, Equatable {
    public enum Code: String, Codable, Sendable, CaseIterable {
        /// A core or a wire was busy for at least `Verdicts.saturated` of the window: it limits the throughput,
        /// and queues in front of it set the latency.
        case saturated
        /// Packets pile up during the window (in flight, or a flow's latency, higher in its second half than in
        /// its first): the offered load exceeds what the path carries, so the figures depend on the run's length.
        case notSteadyState = "not_steady_state"
        /// Many packets are still queued at the end compared with those delivered in the window.
        case backlog
        /// The figures were still settling after the warm-up (latency or in-flight higher in the window's first
        /// half, or a flow's goodput ramping up): the warm-up was shorter than the transient.
        case warmupTooShort = "warmup_too_short"
        /// A flow's p99 latency rests on fewer than `Verdicts.samplesForP99` samples.
        case fewSamples = "few_samples"
        /// More than `Verdicts.dropShare` of the packets created in the window were dropped.
        case drops
        /// The run stopped before its requested duration: its figures cover part of the window.
        case partial
    }

    public var code: Code
    /// The entity judged (`host` for the run as a whole).
    public var kind: EntityKind
    public var entity: String
    /// One sentence with the evidence, e.g. "in-flight packets rose 3.2× from the window's first half to its
    /// second (412 → 1,318), most of them in wire_from_peer (+7,562): not a steady state".
    public var message: String
    /// The numbers behind the message, by name (e.g. `first_half`, `second_half`, `ratio`, `utilization`).
    public var evidence: [String: Double]

    public init(_ code: Code, _ kind: EntityKind, _ entity: String, _ message: String, evidence: [String: Double] = [:]) {
        self.code = code; self.kind = kind; self.entity = entity; self.message = message; self.evidence = evidence
    }
}

/// What limits a flow, or the run: the busiest resource on its path (a core, a vCPU, a wire, an emulated link)
/// if it is saturated; otherwise its window (a closed-loop flow) or its offered load (an open-loop one).
public struct Bottleneck: Codable, Sendable, Equatable {
    public enum Resource: String, Codable, Sendable {
        case core, vcpu, wire, link
        /// A closed-loop flow's window (bulk) or its one outstanding request (request/response).
        case window
        /// An open-loop flow's own rate: nothing on its path is saturated.
        case offeredLoad = "offered_load"
    }

    /// The flow, or nil for the run as a whole.
    public var flow: String?
    public var resource: Resource
    /// The resource's name, e.g. "core0", "vm3/vcpu0", "pnic0 rx", "web/eth0 tx"; empty for window and offered load.
    public var name: String
    /// The busiest resource's utilization in percent (also given for window and offered load: the headroom left).
    public var utilization: Double

    public init(flow: String?, resource: Resource, name: String, utilization: Double) {
        self.flow = flow; self.resource = resource; self.name = name; self.utilization = utilization
    }
}

/// The thresholds of the verdicts.
public enum Verdicts {
    /// Busy for this share of the window or more: saturated.
    public static let saturated = 0.95
    /// Second-half over first-half mean (in-flight packets, a flow's latency) at or above this: growing.
    public static let growth = 1.5
    /// … and by at least this many packets (in flight) or microseconds (latency), so that noise is not growth.
    public static let growthPackets = 64.0
    public static let growthMicroseconds = 5.0
    /// Packets in flight at the end above this share of those delivered in the window: a backlog.
    public static let backlogShare = 0.05
    /// Samples a p99 needs to be more than one sample's noise (ten beyond the percentile).
    public static let samplesForP99: UInt64 = 1_000
    /// Dropped share of the packets created in the window above which the run is flagged.
    public static let dropShare = 0.001
    /// A flow's goodput in the first quarter of the window below this share of the rest: still ramping up.
    public static let ramp = 0.8
}
