import Scenario
import SimCore

/// Everything that decides one run's results: the scenario's text and the changes made to it.
///
/// A `RunSpec` is plain data — `run` builds one from its options; a study (a sweep, a comparison)
/// will build one per run index. Its `RunID` (with the seed the run uses) names the run's folder.
public struct RunSpec: Sendable, Hashable {
    /// The scenario file as given (recorded in the results, and naming it in diagnostics). Not part
    /// of the run's id: the same text run from another directory is the same run.
    public var scenarioPath: String
    /// The scenario file's text: what the run loads, and what its id hashes.
    public var scenarioText: String
    /// `path=value` changes to the scenario (`--set`), applied in order to its YAML tree before it is decoded
    /// (`ScenarioLoader.load(yaml:file:overrides:)`). Part of the id in the order given; an empty list encodes as it
    /// always did, so a run without overrides keeps its id.
    public var overrides: [String]
    /// The seed to use instead of the scenario's own; nil keeps the scenario's.
    public var seed: UInt64?
    /// The replication: derives independent random streams from the seed.
    public var replication: UInt32
    /// The simulated time to run instead of the scenario's own; nil keeps the scenario's.
    public var duration: SimTime?
    /// The warm-up to use instead of the scenario's own (or its default); nil keeps the scenario's
    /// `warmup`, or the default for the run's duration if it sets none (`LoadedScenario.overriding`).
    public var warmup: SimTime?
    /// Capture ports (`VM/ADAPTER`, `VM`, `host@SWITCH`, `external@NIC`) whose frames go to pcap files,
    /// in addition to the scenario's own. They add files to the results, so they are part of the id.
    public var captures: [String]

    public init(
        scenarioPath: String, scenarioText: String, overrides: [String] = [], seed: UInt64? = nil, replication: UInt32 = 0,
        duration: SimTime? = nil, warmup: SimTime? = nil, captures: [String] = []
    ) {
        self.scenarioPath = scenarioPath; self.scenarioText = scenarioText; self.overrides = overrides
        self.seed = seed; self.replication = replication; self.duration = duration; self.warmup = warmup
        self.captures = captures
    }

    /// The spec of the scenario file at `path`, read from disk.
    /// - Throws: `ScenarioErrors` at `path:1:1` if the file is missing, a directory, unreadable or not UTF-8.
    public static func file(
        _ path: String, overrides: [String] = [], seed: UInt64? = nil, replication: UInt32 = 0, duration: SimTime? = nil,
        warmup: SimTime? = nil,
        captures: [String] = []
    ) throws(ScenarioErrors) -> RunSpec {
        RunSpec(
            scenarioPath: path, scenarioText: try ScenarioLoader.readText(path: path), overrides: overrides, seed: seed,
            replication: replication,
            duration: duration, warmup: warmup, captures: captures)
    }
}
