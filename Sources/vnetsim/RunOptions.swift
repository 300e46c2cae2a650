import ArgumentParser
import Reports
import Scenario
import SimCore
import Studies

extension ReportMode: ExpressibleByArgument {}

/// The options of every command that runs scenarios (`run`, `bench scenario`, and later `compare`,
/// `sweep`, `plan`), declared once and used through `@OptionGroup`: what goes into a `RunSpec`.
struct RunOptions: ParsableArguments {
    @Argument(help: "Scenario file.", completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String = Resources.defaultScenario

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Change the scenario before it is read, as if the file said so: a dotted path to a key (duration, host.cores), a list entry by its name as written (vms.web.count, vms.vm[01-64].vcpus, nics.pnic0.link_rate) or index (flows.0.rate), and a YAML value with units as in files (2s, 25Gbps, [0, 1]). Repeatable, applied in order; part of the run id.",
            valueName: "path=value"))
    var overrides: [String] = []

    @Option(name: .long, help: "Override the scenario's seed.")
    var seed: UInt64?

    @Option(name: .long, help: "Replication number (derives independent random streams from the seed).")
    var replication: UInt32 = 0

    @Option(
        name: .long,
        help:
            "Override the simulated duration, e.g. 200ms or 5s. The default warm-up follows it (the smaller of 100ms and a tenth); a warmup the scenario sets is kept, and must be shorter."
    )
    var duration: String?

    @Option(name: .long, help: "Override the warm-up (results exclude it), e.g. 20ms or 0s; shorter than the duration.")
    var warmup: String?

    @Option(
        name: .long,
        help:
            "Capture the frames crossing a port into a pcap file, named as in the scenario's captures: VM/ADAPTER, VM, a pattern or group (vm[1-4], vm: each of its VMs), host@SWITCH or external@NIC (optionally SWITCH:…). Repeatable."
    )
    var pcap: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How much summary.md and summary.json hold: brief (latency CDFs only in latency_cdf.csv; kinds of more than \(ReportMode.entityLimit) entities as their highest and lowest entities plus min/median/max across all) or full (everything). The CSVs hold everything either way.",
            valueName: "brief|full"))
    var report: ReportMode = .brief

    /// The run these options describe: the scenario file read, `--duration` and `--warmup` parsed.
    /// - Throws: exit 64 for a bad `--duration` or `--warmup`; `ExitCode(65)` with the diagnostics
    ///   printed if the file cannot be read.
    func spec() throws -> RunSpec {
        let duration = try parseDuration(duration)
        let warmup = try Self.parseWarmup(warmup)
        do {
            return try RunSpec.file(
                scenario, overrides: overrides, seed: seed, replication: replication, duration: duration, warmup: warmup, captures: pcap)
        } catch {
            throw scenarioFailure(error.diagnostics)
        }
    }

    /// The run loaded by Studies, errors mapped to the command's messages and exit codes (`loadRun`), and the
    /// scenario's warnings printed on stderr (every command that runs a scenario says what it warns about).
    func load() throws -> LoadedRun {
        let loaded = try loadRun(try spec(), duration: duration)
        for w in loaded.warnings { printStderr(w.description) }
        return loaded
    }

    /// Parses a `--warmup` value ("20ms", "0s"): nil when not given. Unlike a duration it may be 0.
    /// - Throws: exit 64 (after printing the message) for a bad value or one longer than the longest run.
    static func parseWarmup(_ warmup: String?) throws -> SimTime? {
        guard let warmup else { return nil }
        switch UnitParser.parse(warmup, as: .time) {
        case .success(let ps) where ps > ScenarioLoader.longestRun.picoseconds:
            throw usageError("--warmup: '\(warmup)' is longer than the longest run, 1000000s (about 11.6 days)")
        case .success(let ps): return SimTime(picoseconds: ps)
        case .failure(let e): throw usageError("--warmup: \(e.message); \(e.fix)")
        }
    }
}
