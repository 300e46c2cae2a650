import SimCore

// The contract between the models and the reports: a run's results as plain,
// Codable, tidy data. Models fill it in at the end of a run (never during it);
// Reports turn it into Markdown, JSON, CSV and plot inputs without knowing
// the model's internals. Every number is in the unit its metric name says.

/// The kind of thing a metric describes.
public enum EntityKind: String, Codable, Sendable, CaseIterable, Comparable {
    case host, core, component, vm, adapter, channel, port, vswitch = "switch", nic, flow, network, control
    public static func < (a: EntityKind, b: EntityKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One measured value: the tidy row `entity_kind, entity, metric, value, unit`.
public struct Metric: Codable, Sendable, Equatable {
    public var kind: EntityKind
    /// The entity's name, e.g. "web3", "web3/eth0", "core2", "vsp".
    public var entity: String
    /// The metric's name in snake_case, e.g. "goodput", "cpu_utilization", "drops.ring_full".
    public var metric: String
    public var value: Double
    /// The unit, e.g. "Gbps", "pps", "percent", "cycles/packet", "packets".
    public var unit: String

    public init(_ kind: EntityKind, _ entity: String, _ metric: String, _ value: Double, _ unit: String) {
        self.kind = kind; self.entity = entity; self.metric = metric; self.value = value; self.unit = unit
    }
}

/// Latency distribution of one flow (or other entity), from an HDR histogram.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var kind: EntityKind
    public var entity: String
    public var samples: UInt64
    /// All in microseconds.
    public var minimum: Double
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var maximum: Double
    /// Points of the cumulative distribution: (latency µs, fraction ≤ it), ascending; for CDF plots.
    public var cdf: [CDFPoint]

    public init(
        kind: EntityKind, entity: String, samples: UInt64, minimum: Double, mean: Double, p50: Double,
        p90: Double, p99: Double, p999: Double, maximum: Double, cdf: [CDFPoint]
    ) {
        self.kind = kind; self.entity = entity; self.samples = samples; self.minimum = minimum; self.mean = mean
        self.p50 = p50; self.p90 = p90; self.p99 = p99; self.p999 = p999; self.maximum = maximum; self.cdf = cdf
    }
}

public struct CDFPoint: Codable, Sendable, Equatable {
    public var latencyMicroseconds: Double
    public var fraction: Double
    public init(latencyMicroseconds: Double, fraction: Double) {
        self.latencyMicroseconds = latencyMicroseconds; self.fraction = fraction
    }
}

/// A metric sampled over simulated time (e.g. throughput per interval, core utilization).
public struct TimeSeries: Codable, Sendable, Equatable {
    public var kind: EntityKind
    public var entity: String
    public var metric: String
    public var unit: String
    /// Sampling interval in seconds; point i covers [start + i·interval, start + (i+1)·interval).
    public var interval: Double
    public var start: Double
    /// Where the measured window starts (the warm-up's end), in seconds: points before it are the warm-up.
    public var measuredFrom: Double
    public var values: [Double]

    public init(
        kind: EntityKind, entity: String, metric: String, unit: String, interval: Double, start: Double, measuredFrom: Double = 0,
        values: [Double]
    ) {
        self.kind = kind; self.entity = entity; self.metric = metric; self.unit = unit
        self.interval = interval; self.start = start; self.measuredFrom = measuredFrom; self.values = values
    }

    /// The indices of the points wholly inside the measured window.
    public var measuredPoints: Range<Int> {
        let first = interval > 0 ? Int(((measuredFrom - start) / interval - 1e-9).rounded(.up)) : 0
        return Swift.min(Swift.max(first, 0), values.count)..<values.count
    }
}

/// The end-of-run packet balance: every packet created is delivered, dropped
/// for a named cause, or still in flight. `holds` must be true for a valid run.
public struct Conservation: Codable, Sendable, Equatable {
    public var created: UInt64
    public var delivered: UInt64
    /// Drops by cause (e.g. "ring_full", "queue_overflow", "detached", "network_deleted", "no_route").
    public var droppedByCause: [String: UInt64]
    public var inFlight: UInt64
    /// In-flight packets by the stage they were in at the end.
    public var inFlightByStage: [String: UInt64]

    public init(created: UInt64, delivered: UInt64, droppedByCause: [String: UInt64], inFlight: UInt64, inFlightByStage: [String: UInt64]) {
        self.created = created; self.delivered = delivered; self.droppedByCause = droppedByCause
        self.inFlight = inFlight; self.inFlightByStage = inFlightByStage
    }

    public var dropped: UInt64 { droppedByCause.values.reduce(0, +) }
    public var holds: Bool { created == delivered + dropped + inFlight }
}

/// How a run ended.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    /// Simulated the whole requested duration and wrote every file.
    case complete
    /// Stopped early (a signal, or `shouldStop`): the results cover `duration` of `requestedDuration`.
    case interrupted
    /// Could not write its results (set by the writer; a model never reports it).
    case failed
}

/// Facts about the run itself.
public struct RunInfo: Codable, Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    public var replication: UInt32
    /// Simulated seconds: the whole run (the time reached, if stopped early), and the measured part after warm-up.
    public var duration: Double
    public var warmup: Double
    public var events: UInt64
    /// The kernel's event fingerprint, 16 hex digits.
    public var fingerprint: String
    /// `complete`, or `interrupted` if the run stopped before `requestedDuration`.
    public var status: RunStatus
    /// The simulated seconds the scenario asked for; equal to `duration` for a complete run.
    public var requestedDuration: Double
    /// What stopped an interrupted run, e.g. "SIGTERM" (set by the caller that owns the signals); nil otherwise.
    public var stopCause: String?

    public init(
        scenario: String, seed: UInt64, replication: UInt32, duration: Double, warmup: Double, events: UInt64, fingerprint: String,
        status: RunStatus = .complete, requestedDuration: Double? = nil, stopCause: String? = nil
    ) {
        self.scenario = scenario; self.seed = seed; self.replication = replication
        self.duration = duration; self.warmup = warmup; self.events = events; self.fingerprint = fingerprint
        self.status = status; self.requestedDuration = requestedDuration ?? duration; self.stopCause = stopCause
    }

    enum CodingKeys: String, CodingKey {
        case scenario, seed, replication, duration, warmup, events, fingerprint, status, requestedDuration, stopCause
    }

    /// Reads files written before the status fields existed as complete runs.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            scenario: try c.decode(String.self, forKey: .scenario), seed: try c.decode(UInt64.self, forKey: .seed),
            replication: try c.decode(UInt32.self, forKey: .replication), duration: try c.decode(Double.self, forKey: .duration),
            warmup: try c.decode(Double.self, forKey: .warmup), events: try c.decode(UInt64.self, forKey: .events),
            fingerprint: try c.decode(String.self, forKey: .fingerprint),
            status: try c.decodeIfPresent(RunStatus.self, forKey: .status) ?? .complete,
            requestedDuration: try c.decodeIfPresent(Double.self, forKey: .requestedDuration),
            stopCause: try c.decodeIfPresent(String.self, forKey: .stopCause))
    }
}

/// One CPU-cost input a run used: where it applies, the stage, the cost and where the number comes from.
/// Costs are the model's only tuned inputs, so every report lists them next to the results.
public struct CostInput: Codable, Sendable, Equatable {
    /// "host" (the host's profile), "vm:NAME" or "adapter:VM/ADAPTER" (overrides).
    public var scope: String
    /// The stage (`CostStage.name`, e.g. "vsp_rx").
    public var stage: String
    public var fixedCycles: Int64
    public var cyclesPerByte: Double
    /// Size classes of a piecewise cost, e.g. "≤1514B: 2000 + 0.5/B; ≤65535B: 3000 + 0.3/B"; empty if linear.
    public var pieces: String
    /// Where the number comes from (a MODEL-REFERENCE.md row, or "scenario" for a user override).
    public var source: String

    public init(scope: String, stage: String, fixedCycles: Int64, cyclesPerByte: Double, pieces: String, source: String) {
        self.scope = scope; self.stage = stage; self.fixedCycles = fixedCycles; self.cyclesPerByte = cyclesPerByte
        self.pieces = pieces; self.source = source
    }
}

/// Everything one run produced. Deterministic: the same inputs give an equal value.
public struct RunReport: Codable, Sendable, Equatable {
    public var info: RunInfo
    /// Tidy metrics, in a deterministic order (by kind, entity, metric).
    public var metrics: [Metric]
    public var latencies: [LatencySummary]
    public var series: [TimeSeries]
    public var conservation: Conservation
    /// Notes the model wants the reader to see (e.g. "emulated-NIC costs rest on KVM/VMware analogs").
    public var notes: [String]
    /// The CPU-cost inputs of the run: the host profile's every stage, then each VM and adapter override.
    public var costInputs: [CostInput]
    /// Whether the figures can be trusted as they stand (empty: a steady state with headroom).
    public var verdicts: [Verdict]
    /// What limits each flow, then the run (`flow` nil).
    public var bottlenecks: [Bottleneck]
    /// Virtual Server: each virtual network's statistics (nil on Hyper-V, so its files do not change).
    public var networks: [NetworkReport]?
    /// Virtual Server: where each adapter is at the end — its network, or detached — and its address (nil on Hyper-V).
    public var adapterStatus: [AdapterStatus]?

    public init(
        info: RunInfo, metrics: [Metric], latencies: [LatencySummary], series: [TimeSeries],
        conservation: Conservation, notes: [String], costInputs: [CostInput] = [], verdicts: [Verdict] = [],
        bottlenecks: [Bottleneck] = []
    ) {
        self.info = info; self.metrics = metrics; self.latencies = latencies; self.series = series
        self.conservation = conservation; self.notes = notes; self.costInputs = costInputs
        self.verdicts = verdicts; self.bottlenecks = bottlenecks
    }

    /// The run's own bottleneck (the last entry of `bottlenecks`).
    public var runBottleneck: Bottleneck? { bottlenecks.last { $0.flow == nil } }

    /// The value of one metric, if present.
    public func value(_ kind: EntityKind, _ entity: String, _ metric: String) -> Double? {
        metrics.first { $0.kind == kind && $0.entity == entity && $0.metric == metric }?.value
    }
}
