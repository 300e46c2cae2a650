import Foundation
import Models

/// What produced a run, recorded with its results.
public struct ScenarioInfo: Codable, Sendable, Equatable {
    public var name: String
    /// The scenario file as given on the command line.
    public var file: String
    public var description: String
    /// The scenario file's text, so a result can be reproduced from its JSON alone.
    public var source: String
    /// The `--set path=value` changes applied to `source`, in order (written only when there are any, so a run
    /// without them has the summary it always had).
    public var overrides: [String]

    public init(name: String, file: String, description: String = "", source: String = "", overrides: [String] = []) {
        self.name = name; self.file = file; self.description = description; self.source = source; self.overrides = overrides
    }

    enum CodingKeys: String, CodingKey { case name, file, description, source, overrides }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        file = try c.decode(String.self, forKey: .file)
        description = try c.decode(String.self, forKey: .description)
        source = try c.decode(String.self, forKey: .source)
        overrides = try c.decodeIfPresent([String].self, forKey: .overrides) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(file, forKey: .file)
        try c.encode(description, forKey: .description)
        try c.encode(source, forKey: .source)
        if !overrides.isEmpty { try c.encode(overrides, forKey: .overrides) }
    }
}

/// The program that produced a run. Both fields are stable for a given build, so
/// they can sit in byte-identical result files (no timestamps, no host names).
public struct ToolInfo: Codable, Sendable, Equatable {
    public var version: String
    /// `git rev-parse HEAD` of the source tree, or "unknown".
    public var gitRevision: String

    public init(version: String, gitRevision: String) {
        self.version = version; self.gitRevision = gitRevision
    }
}

/// A pcap file written next to the summary.
public struct CaptureFileInfo: Codable, Sendable, Equatable {
    public var file: String
    public var port: String
    public var frames: Int
    public init(file: String, port: String, frames: Int) { self.file = file; self.port = port; self.frames = frames }
}

/// How a run ended, at the top of `summary.json` so that a program need not dig for it:
/// `{"run": {"id": "seed1-r0-…", "status": "interrupted", "simulatedSeconds": 0.73, "requestedSeconds": 2, "stopCause": "SIGTERM"}}`.
/// A copy of the report's `info.status`, `info.duration`, `info.requestedDuration` and `info.stopCause`.
public struct RunState: Codable, Sendable, Equatable {
    /// The run's deterministic id (`seed1-r0-…`, Studies' `RunID`): the name of its folder. Absent
    /// in documents written without one (before ids existed, or by a caller that has none).
    public var id: String?
    public var status: RunStatus
    /// The simulated time reached.
    public var simulatedSeconds: Double
    /// The simulated time the scenario (or `--duration`) asked for.
    public var requestedSeconds: Double
    /// What stopped an interrupted run, e.g. "SIGTERM"; absent otherwise.
    public var stopCause: String?

    public init(_ info: RunInfo, id: String? = nil) {
        self.id = id
        status = info.status; simulatedSeconds = info.duration; requestedSeconds = info.requestedDuration
        stopCause = info.stopCause
    }
}

/// The content of `summary.json`: everything about one run.
///
/// Encoded with sorted keys and Swift's shortest round-trip number text, it is
/// byte-identical for the same scenario, seed and build.
public struct SummaryDocument: Codable, Sendable, Equatable {
    /// Identifies the file's layout; bumped when it changes incompatibly.
    public var format: String
    /// How the run ended (complete or interrupted, time reached of time requested).
    public var run: RunState
    public var tool: ToolInfo
    public var scenario: ScenarioInfo
    /// Computed from the whole report, in either mode.
    public var headline: Headline
    /// `brief` or `full` (``ReportMode``): how much of the run `report` holds.
    public var mode: ReportMode
    /// The run's results: every row in full mode; in brief mode without CDF points, and each kind with more than
    /// `ReportMode.entityLimit` entities cut to its highest and lowest entities (``BriefReport``).
    public var report: RunReport
    /// Brief mode: every metric of each cut kind across all its entities (min, median, max); empty in full mode.
    public var distributions: [MetricDistribution]
    public var captures: [CaptureFileInfo]

    public static let currentFormat = "vnetsim-summary/2"

    /// - Parameters:
    ///   - runID: the run's id, recorded as `run.id`.
    ///   - mode: `brief` (the default) cuts the report to a person's size (``BriefReport``); `full` keeps it whole.
    public init(
        tool: ToolInfo, scenario: ScenarioInfo, report: RunReport, captures: [CaptureFileInfo] = [], runID: String? = nil,
        mode: ReportMode = .brief
    ) {
        self.format = Self.currentFormat
        self.tool = tool; self.scenario = scenario; self.captures = captures; self.mode = mode
        self.headline = Headline(report)
        self.run = RunState(report.info, id: runID)
        switch mode {
        case .full:
            self.report = report; distributions = []
        case .brief:
            let b = BriefReport(report)
            self.report = b.report; distributions = b.distributions
        }
    }

    /// The number of entities of `kind` in the run (also those a brief report cut).
    public func entityCount(_ kind: EntityKind) -> Int {
        distributions.filter { $0.kind == kind }.map(\.entities).max()
            ?? Set(report.metrics.filter { $0.kind == kind }.map(\.entity)).count
    }

    enum CodingKeys: String, CodingKey { case format, run, tool, scenario, headline, mode, report, distributions, captures }

    /// Reads files written before `run` and `mode` existed too (`run` is then derived from the report; `mode` is full).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        tool = try c.decode(ToolInfo.self, forKey: .tool)
        scenario = try c.decode(ScenarioInfo.self, forKey: .scenario)
        headline = try c.decode(Headline.self, forKey: .headline)
        report = try c.decode(RunReport.self, forKey: .report)
        captures = try c.decode([CaptureFileInfo].self, forKey: .captures)
        mode = try c.decodeIfPresent(ReportMode.self, forKey: .mode) ?? .full
        distributions = try c.decodeIfPresent([MetricDistribution].self, forKey: .distributions) ?? []
        run = try c.decodeIfPresent(RunState.self, forKey: .run) ?? RunState(report.info)
    }

    /// The JSON text: pretty-printed, keys sorted, non-finite numbers as strings, trailing newline.
    public func json() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try e.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func decode(json: String) throws -> SummaryDocument {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try d.decode(SummaryDocument.self, from: Data(json.utf8))
    }
}

/// Reads the git revision of a source tree from `.git` without running git.
public enum GitRevision {
    /// The commit `HEAD` points at in the repository containing `directory` (searching upwards), or "unknown".
    public static func read(from directory: URL) -> String {
        var dir = directory.standardizedFileURL
        for _ in 0..<32 {
            let git = dir.appendingPathComponent(".git")
            if let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8) {
                let h = head.trimmingCharacters(in: .whitespacesAndNewlines)
                guard h.hasPrefix("ref: ") else { return h }
                let ref = String(h.dropFirst(5))
                if let r = try? String(contentsOf: git.appendingPathComponent(ref), encoding: .utf8) {
                    return r.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                if let packed = try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8) {
                    for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
                        return String(line.prefix { $0 != " " })
                    }
                }
                return "unknown"
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        return "unknown"
    }
}
