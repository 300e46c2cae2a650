import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore
import Studies

/// The options of every command that runs a study (`sweep`, `compare`, `plan`), declared once (STYLE 19).
struct StudyOptions: ParsableArguments {
    @Option(name: .long, help: "Replications at every point (default: the scenario's `replications`).")
    var replications: Int?

    @Option(name: .long, help: "Confidence level of the intervals (default: the scenario's `confidence`, else 95%), e.g. 90% or 0.99.")
    var confidence: String?

    @Option(name: .long, help: "Runs at a time, each its own process (default: the number of cores). Results do not depend on it.")
    var jobs: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Sequential stopping: add replications (all points alike) until every shown metric's confidence interval is at most this wide relative to its mean at every point, e.g. 5%; starts at --replications (at least 2).",
            valueName: "percent"))
    var targetHalfWidth: String?

    @Option(name: .long, help: "With --target-half-width: the most replications (default 50).")
    var maxReplications: Int = 50

    @Flag(name: .long, help: "Complete an interrupted or partly failed study: runs already complete are skipped, never repeated.")
    var resume = false

    @Flag(name: .long, help: "Delete the study's folder first and run every run again.")
    var fresh = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Run only slice K of N of the study (every N-th run from the K-th), into its own folder, for a job array or GNU parallel; `vnetsim merge` combines the slices.",
            valueName: "K/N"))
    var shard: String?

    @Option(name: .long, help: "The study's folder (default: <results>/<scenario>/<kind>-<study id>, with .shard-K-of-N for a shard).")
    var out: String?

    @Option(name: .long, help: "Folder for results.")
    var results: String = "Results"

    @Flag(
        name: [.long, .customLong("dry-run")],
        help: "Print the runs the study would make (index, point, replication, run id, status) and run nothing.")
    var list = false

    @Option(
        name: .customLong("metric"),
        help: ArgumentHelp(
            "A metric the summary and plots show, by its catalog name: goodput (a host metric), host.root_cpu_utilization, flow.send.latency_p99, nic.pnic0.rx_throughput. Repeatable; default: the host's goodput, CPU and cycles per packet.",
            valueName: "metric"))
    var metrics: [String] = []

    @Flag(name: .long, help: "Also draw the plots (plots/*.png in the study folder, by scripts/plot-study; needs gnuplot).")
    var plots = false

    @Flag(name: .long, help: "No progress line or table on the terminal: only the study folder on stdout, and errors on stderr.")
    var quiet = false

    /// The shard as (k, n), or nil.
    func parsedShard() throws -> (k: Int, n: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
            throw usageError("--shard: '\(shard)' is not K/N with 1 ≤ K ≤ N (e.g. --shard 2/8)")
        }
        return (k, n)
    }

    /// The number of processes at a time.
    func parsedJobs() throws -> Int {
        if let jobs {
            guard jobs >= 1, jobs <= 1024 else { throw usageError("--jobs: \(jobs) is not in 1…1024") }
            return jobs
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The confidence level: the option, the file's, or 95 %.
    func level(_ scenario: LoadedScenario) throws -> Double {
        guard let confidence else { return scenario.study.confidence ?? 0.95 }
        var t = confidence.trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        if t.hasSuffix("%") {
            t.removeLast()
            scale = 100
        }
        guard let x = Double(t.trimmingCharacters(in: .whitespaces)), x / scale > 0, x / scale < 1 else {
            throw usageError("--confidence: '\(confidence)' is not a level between 0% and 100% (exclusive); write e.g. 95% or 0.99")
        }
        return x / scale
    }

    /// Refuses what a study cannot take: `--replications` out of range, `--resume` with `--fresh`, and `run`'s
    /// `--replication` (a study runs replications 0…N−1 itself).
    func validate(_ run: RunOptions) throws {
        if run.replication != 0 { throw usageError("--replication: a study runs replications 0…N−1 itself; give --replications N instead") }
        try validateReplications()
    }

    func validateReplications() throws {
        if let r = replications, !(1...10_000).contains(r) {
            throw usageError("--replications: \(r) is not in 1…10000")
        }
        if resume && fresh { throw usageError("--resume and --fresh: choose one (--fresh deletes the study's folder)") }
    }

    /// The sequential stopping rule, or nil; `initial` the replications to start with.
    func stopping(initial: Int) throws -> SequentialStopping? {
        guard let text = targetHalfWidth else { return nil }
        var t = text.trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        if t.hasSuffix("%") {
            t.removeLast()
            scale = 100
        }
        guard let x = Double(t.trimmingCharacters(in: .whitespaces)), x > 0, x / scale < 10 else {
            throw usageError("--target-half-width: '\(text)' is not a positive relative half-width; write e.g. 5%")
        }
        if shard != nil {
            throw usageError("--target-half-width: a shard cannot tell when the whole study is precise enough; run it without --shard")
        }
        guard (2...10_000).contains(maxReplications), maxReplications >= max(initial, 2) else {
            throw usageError(
                "--max-replications: \(maxReplications) must be at least the starting replications (\(max(initial, 2))) and at most 10000")
        }
        return SequentialStopping(target: x / scale, minimum: max(initial, 2), maximum: maxReplications)
    }

    /// The metrics the summary shows.
    func metricReferences() throws -> [MetricReference] {
        metrics.isEmpty ? MetricReference.headline : try parseMetrics(metrics)
    }
}

/// `--metric` arguments as metric references (a usage error, exit 64, names a bad one).
func parseMetrics(_ texts: [String]) throws -> [MetricReference] {
    try texts.map { text in
        guard let r = MetricReference.parse(text) else {
            throw usageError(
                "--metric: '\(text)' is not a metric: write a host metric's name (goodput), host.NAME, or KIND.ENTITY.NAME (flow.send.latency_p99)"
            )
        }
        return r
    }
}

/// Where `--sweep`/`--vary` arguments are: the argument itself, as `--set` arguments are located.
func argumentLocation(_ option: String, _ argument: String) -> SourceLocation {
    SourceLocation(file: "\(option) \(argument)", line: 0, column: 0)
}

/// Parses `path=values` arguments (`--sweep`, `--vary`) into study parameters located at their arguments.
func parseAxes(_ arguments: [String], option: String) throws -> [StudyAxis] {
    try arguments.map { a in
        guard let eq = a.firstIndex(of: "="), eq != a.startIndex else {
            throw usageError(
                "\(option) \(a): write PATH=VALUES, e.g. \(option) vms.web.count=8,16,32 or \(option) flows.send.rate=100Mbps..1Gbps/100Mbps"
            )
        }
        let path = String(a[..<eq]).trimmingCharacters(in: .whitespaces)
        switch StudyValues.parse(String(a[a.index(after: eq)...])) {
        case .success(let v): return StudyAxis(path: path, values: v, location: argumentLocation(option, a))
        case .failure(let e): throw usageError("\(option) \(a): \(e.message); \(e.fix)")
        }
    }
}

/// Prints a study definition's problems and returns the exit code: 64 when one is in an argument, else 65.
func studyFailure(_ error: StudyDesignError) -> ExitCode {
    for d in error.diagnostics { printStderr(d.description) }
    return error.diagnostics.contains { $0.location.line == 0 } ? ExitCode(64) : ExitCode(65)
}
