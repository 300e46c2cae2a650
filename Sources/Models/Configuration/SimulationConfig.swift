import SimCore

/// A complete scenario: the host, its NICs, switches, VMs, traffic and timeline.
public struct SimulationConfig: Sendable, Equatable {
    /// Scenario name (used in reports). Default: "scenario".
    public var name: String
    /// Master seed; every random stream derives from (seed, replication, component). Default: 1.
    public var seed: UInt64
    /// Replication number. Default: 0.
    public var replication: UInt32
    /// Simulated duration of the run. Default: 1 s.
    public var duration: SimTime
    /// Results exclude everything before this time. Default: 0.1 s.
    public var warmup: SimTime
    /// Interval of the time series (throughput, utilization). Default: 10 ms.
    public var sampleInterval: SimTime
    /// Most points one time series keeps; when full, adjacent points merge and the interval doubles,
    /// so memory does not grow with the duration. Default: 2,000.
    public var maxSeriesPoints: Int
    public var host: HostConfig
    public var nics: [NICConfig]
    public var switches: [SwitchConfig]
    public var vms: [VMConfig]
    public var flows: [FlowConfig]
    public var timeline: [TimelineAction]
    /// Ports whose frames are recorded as `CapturedFrame`s. Default: none.
    public var captures: [CapturePort]
    /// Most frames recorded over all capture ports (later ones are counted, not kept). Default: 100,000.
    public var maxCapturedFrames: Int
    /// How much CPU work may queue on a sending vCPU (socket buffer): a message arriving when its vCPU is busier
    /// than this ahead is dropped with cause `socket_backlog`. Default: 10 ms.
    public var socketBacklogLimit: SimTime

    public init(
        name: String = "scenario", seed: UInt64 = 1, replication: UInt32 = 0, duration: SimTime = .seconds(1),
        warmup: SimTime = .milliseconds(100), sampleInterval: SimTime = .milliseconds(10),
        maxSeriesPoints: Int = 2_000, host: HostConfig = HostConfig(), nics: [NICConfig] = [],
        switches: [SwitchConfig] = [], vms: [VMConfig] = [], flows: [FlowConfig] = [],
        timeline: [TimelineAction] = [], captures: [CapturePort] = [], maxCapturedFrames: Int = 100_000,
        socketBacklogLimit: SimTime = .milliseconds(10)
    ) {
        self.name = name; self.seed = seed; self.replication = replication; self.duration = duration
        self.warmup = warmup; self.sampleInterval = sampleInterval; self.maxSeriesPoints = maxSeriesPoints
        self.host = host; self.nics = nics; self.switches = switches; self.vms = vms; self.flows = flows
        self.timeline = timeline; self.captures = captures; self.maxCapturedFrames = maxCapturedFrames
        self.socketBacklogLimit = socketBacklogLimit
    }
}
