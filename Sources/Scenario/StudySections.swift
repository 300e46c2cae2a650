/// The study sections of a scenario file — `sweep`, `compare`, `plan` and `confidence` — as written, with where.
///
/// `vnetsim run` ignores them (it runs one replication of the scenario as written); `vnetsim sweep`,
/// `compare` and `plan` read them (Studies turns them into a list of runs), and their command-line options
/// (`--sweep`, `--vary`, `--grow`, `--slo`) add to or replace them. The decoder checks their shape here;
/// Studies checks what they mean (that a path changes something, that a range is well formed), locating
/// each problem at the entry that has it.
public struct StudySections: Sendable, Equatable {
    public var sweep: SweepSection?
    public var compare: CompareSection?
    public var plan: PlanSection?
    /// The confidence level of every interval a study reports (`confidence: 95%`); nil: the default.
    public var confidence: Double?
    public var confidenceLocation: SourceLocation?

    public init(sweep: SweepSection? = nil, compare: CompareSection? = nil, plan: PlanSection? = nil, confidence: Double? = nil) {
        self.sweep = sweep; self.compare = compare; self.plan = plan; self.confidence = confidence
    }
}

/// A text of a study section with its place in the file (or on the command line).
public struct LocatedText: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation
    public init(_ text: String, at location: SourceLocation) { self.text = text; self.location = location }
}

/// The values a study gives one parameter: a list of YAML values as written (`[8, 16, 32]`, `[100Mbps, 1Gbps]`), or a
/// range from `from` to `to` (inclusive when a step lands on it) by a `step` added or a `factor` multiplied.
public enum StudyValues: Sendable, Hashable {
    case list([String])
    case range(from: String, to: String, step: String?, factor: String?)
}

/// One swept (or compared) parameter: the `--set` path it changes and its values.
public struct StudyAxis: Sendable, Hashable {
    public var path: String
    public var values: StudyValues
    /// Where the parameter is written: its key in the file, or its command-line argument.
    public var location: SourceLocation
    public init(path: String, values: StudyValues, location: SourceLocation) {
        self.path = path; self.values = values; self.location = location
    }
}

/// `sweep:` — the parameters a sweep varies: every combination of them (a cross product, the first parameter varying
/// slowest), except the parameters of a `zip` group, which vary together, and the combinations a `where` rules out.
public struct SweepSection: Sendable, Hashable {
    public var parameters: [StudyAxis]
    /// Groups of parameter paths that vary together (their lists have one length).
    public var zips: [[LocatedText]]
    /// Comparisons every point must satisfy (`vms.web.count * flows.send.rate <= 10Gbps`); a point that fails one is skipped.
    public var constraints: [LocatedText]
    public var location: SourceLocation
    public init(parameters: [StudyAxis], zips: [[LocatedText]] = [], constraints: [LocatedText] = [], location: SourceLocation) {
        self.parameters = parameters; self.zips = zips; self.constraints = constraints; self.location = location
    }
}

/// `compare:` — the variants a comparison runs side by side: each path with one value per variant (several paths
/// vary together, variant by variant).
public struct CompareSection: Sendable, Hashable {
    public var parameters: [StudyAxis]
    public var location: SourceLocation
    public init(parameters: [StudyAxis], location: SourceLocation) { self.parameters = parameters; self.location = location }
}

/// `plan:` — a capacity plan: the parameter to grow, its range, the resolution of the answer and the service-level
/// objectives every measured point must meet.
public struct PlanSection: Sendable, Hashable {
    public var grow: LocatedText
    public var from: LocatedText?
    public var to: LocatedText?
    public var resolution: LocatedText?
    public var objectives: [LocatedText]
    public var location: SourceLocation
    public init(
        grow: LocatedText, from: LocatedText? = nil, to: LocatedText? = nil, resolution: LocatedText? = nil, objectives: [LocatedText],
        location: SourceLocation
    ) {
        self.grow = grow; self.from = from; self.to = to; self.resolution = resolution; self.objectives = objectives
        self.location = location
    }
}
