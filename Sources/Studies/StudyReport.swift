import Foundation
import Reports
import Scenario

/// A metric a study's summary and plots show: `kind.entity.metric`, or a host metric by its name alone.
public struct MetricReference: Sendable, Hashable, CustomStringConvertible {
    public var kind: String
    public var entity: String
    public var metric: String
    public init(kind: String, entity: String, metric: String) { self.kind = kind; self.entity = entity; self.metric = metric }

    /// `goodput` (a host metric), `host.root_cpu_utilization`, `flow.send.latency_p99`, `nic.pnic0.rx_throughput`.
    public static func parse(_ text: String) -> MetricReference? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty, !parts.contains(where: \.isEmpty) else { return nil }
        if first == "host" {
            guard parts.count >= 2 else { return nil }
            return MetricReference(kind: "host", entity: "host", metric: parts.dropFirst().joined(separator: "."))
        }
        if parts.count >= 3, entityKinds.contains(first) {
            return MetricReference(kind: first, entity: parts[1], metric: parts.dropFirst(2).joined(separator: "."))
        }
        if entityKinds.contains(first) { return nil }
        return MetricReference(kind: "host", entity: "host", metric: text)
    }

    /// The entity kinds of metrics.csv.
    public static let entityKinds: Set<String> = [
        "flow", "host", "component", "core", "vm", "adapter", "channel", "port", "switch", "nic", "network", "control",
    ]

    public var description: String { kind == "host" ? "host.\(metric)" : "\(kind).\(entity).\(metric)" }

    /// The headline metrics of a study's summary when none are chosen.
    public static let headline: [MetricReference] = [
        "goodput", "root_cpu_utilization", "hypervisor_cpu_utilization", "guest_cpu_utilization", "host_cycles_per_packet",
        "vm_exits_per_packet",
    ].map { MetricReference(kind: "host", entity: "host", metric: $0) }
}

/// The files every study writes from its results: `points.csv`, `study.json`, `plot-data/`, and the text of its summary.
public enum StudyReport {
    /// `study.json`: the definition and provenance, and how complete the study is. Deterministic: no wall time.
    public static func definitionJSON(_ results: StudyResults, scenarioHash: String, tool: ToolInfo, status: String, shard: String?)
        -> String
    {
        let plan = results.plan
        var o: [JSONValue.Member] = []
        o.append(JSONValue.Member("format", .string("vnetsim-study/1")))
        o.append(JSONValue.Member("kind", .string(plan.kind.rawValue)))
        o.append(JSONValue.Member("id", .string(plan.id)))
        o.append(JSONValue.Member("status", .string(status)))
        if let shard { o.append(JSONValue.Member("shard", .string(shard))) }
        o.append(
            JSONValue.Member(
                "scenario",
                .object([
                    JSONValue.Member("name", .string(plan.scenarioName)), JSONValue.Member("file", .string(plan.base.scenarioPath)),
                    JSONValue.Member("fnv1a64", .string(scenarioHash)),
                    JSONValue.Member("overrides", .array(plan.base.overrides.map { .string($0) })),
                    JSONValue.Member("seed", plan.base.seed.map { .string(String($0)) } ?? .null),
                    JSONValue.Member("duration_ps", plan.base.duration.map { .string(String($0.picoseconds)) } ?? .null),
                    JSONValue.Member("warmup_ps", plan.base.warmup.map { .string(String($0.picoseconds)) } ?? .null),
                    JSONValue.Member("captures", .array(plan.base.captures.map { .string($0) })),
                ])))
        o.append(JSONValue.Member("parameters", .array(plan.parameterPaths.map { .string($0) })))
        o.append(
            JSONValue.Member(
                "points",
                .array(
                    plan.points.map { p in
                        .object(p.assignments.map { JSONValue.Member($0.path, .string($0.value)) })
                    })))
        o.append(JSONValue.Member("replications", .integer(Int64(plan.replications))))
        o.append(JSONValue.Member("streams", .string(plan.independentStreams ? "independent" : "common")))
        if !plan.extra.isEmpty { o.append(JSONValue.Member("extra", .array(plan.extra.map { .string($0) }))) }
        o.append(JSONValue.Member("confidence", .number(results.level)))
        let complete = results.records.filter { $0.status == StudyRunStatus.complete.rawValue }.count
        o.append(
            JSONValue.Member(
                "runs",
                .object([
                    JSONValue.Member("planned", .integer(Int64(plan.runCount))),
                    JSONValue.Member("recorded", .integer(Int64(results.records.count))),
                    JSONValue.Member("complete", .integer(Int64(complete))),
                ])))
        o.append(
            JSONValue.Member(
                "tool",
                .object([JSONValue.Member("version", .string(tool.version)), JSONValue.Member("git_revision", .string(tool.gitRevision))])))
        return JSONValue.object(o).rendered() + "\n"
    }

    /// The plot data of a sweep: each chosen metric against the first numeric parameter, one series per combination of
    /// the others (`errorbars`); against a parameter whose values are not numbers, one bar per point (`bars`).
    public static func sweepPlots(_ results: StudyResults, metrics: [MetricReference]) -> [PlotFile] {
        let plan = results.plan
        guard !plan.parameterPaths.isEmpty else { return [] }
        var out: [PlotFile] = []
        let axis = plan.parameterPaths.indices.first { i in NumericAxis(plan.points.map { $0.assignments[i].value }) != nil }
        for ref in metrics {
            guard
                plan.points.indices.contains(where: {
                    results.metric(point: $0, kind: ref.kind, entity: ref.entity, metric: ref.metric) != nil
                })
            else { continue }
            let unit =
                plan.points.indices.lazy.compactMap {
                    results.metric(point: $0, kind: ref.kind, entity: ref.entity, metric: ref.metric)?.unit
                }
                .first ?? ""
            let name = ref.description.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "*", with: "all")
            if let a = axis, let numeric = NumericAxis(plan.points.map { $0.assignments[a].value }) {
                // Series: the other parameters' values.
                var series: [(label: String, rows: [String])] = []
                for (p, point) in plan.points.enumerated() {
                    let others = point.assignments.enumerated().filter { $0.offset != a }.map { "\($0.element.path)=\($0.element.value)" }
                    let label = others.isEmpty ? ref.description : others.joined(separator: ", ")
                    guard let m = results.metric(point: p, kind: ref.kind, entity: ref.entity, metric: ref.metric) else { continue }
                    let row = [NumberFormat.exact(numeric.values[p])] + bounds(m.summary)
                    if let i = series.firstIndex(where: { $0.label == label }) {
                        series[i].rows.append(row.joined(separator: "\t"))
                    } else {
                        series.append((label, [row.joined(separator: "\t")]))
                    }
                }
                out.append(
                    PlotFile(
                        name: name, style: "errorbars", title: "\(ref) (mean, \(percent(results.level)) CI)",
                        xlabel: plan.parameterPaths[a] + (numeric.unit.isEmpty ? "" : " (\(numeric.unit))"),
                        ylabel: "\(ref.metric) (\(unit))",
                        limit: nil, blocks: series.map { ($0.label, $0.rows) }))
            } else {
                var rows: [String] = []
                for (p, point) in plan.points.enumerated() {
                    guard let m = results.metric(point: p, kind: ref.kind, entity: ref.entity, metric: ref.metric) else { continue }
                    rows.append(([point.assignments.map(\.value).joined(separator: ",")] + bounds(m.summary)).joined(separator: "\t"))
                }
                out.append(
                    PlotFile(
                        name: name, style: "bars", title: "\(ref) (mean, \(percent(results.level)) CI)",
                        xlabel: plan.parameterPaths.joined(separator: ", "),
                        ylabel: "\(ref.metric) (\(unit))", limit: nil, blocks: [(ref.description, rows)]))
            }
        }
        return out
    }

    /// mean, low, high — the bounds are the mean when the interval is unknown (one replication).
    static func bounds(_ s: MetricSummary) -> [String] {
        let known = s.count >= 2 && s.halfWidth.isFinite
        return [NumberFormat.exact(s.mean), NumberFormat.exact(known ? s.lower : s.mean), NumberFormat.exact(known ? s.upper : s.mean)]
    }

    /// "95 %".
    public static func percent(_ level: Double) -> String { NumberFormat.significant(level * 100, 4) + " %" }

    /// Writes `plot-data/plots.tsv` and each plot's data file (the input of scripts/plot-study).
    public static func writePlots(_ plots: [PlotFile], into folder: URL) throws(AtomicFile.WriteError) {
        let dir = folder.appendingPathComponent("plot-data")
        try AtomicFile.makeDirectory(dir)
        var manifest = "name\tstyle\ttitle\txlabel\tylabel\tlimit\n"
        for p in plots {
            manifest +=
                [p.name, p.style, p.title, p.xlabel, p.ylabel, p.limit.map(NumberFormat.exact) ?? ""].map(tsv).joined(separator: "\t")
                + "\n"
            var data = ""
            for (i, b) in p.blocks.enumerated() {
                if i > 0 { data += "\n\n" }
                data += "# \(tsv(b.label))\n" + b.rows.map { $0 + "\n" }.joined()
            }
            try AtomicFile.write(data, to: dir.appendingPathComponent("\(p.name).tsv"))
        }
        try AtomicFile.write(manifest, to: dir.appendingPathComponent("plots.tsv"))
    }

    static func tsv(_ s: String) -> String { s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
}

/// One plot of a study (an entry of `plot-data/plots.tsv`).
public struct PlotFile: Sendable {
    public var name: String
    /// errorbars, bars or slo (scripts/plot-study).
    public var style: String
    public var title: String
    public var xlabel: String
    public var ylabel: String
    public var limit: Double?
    /// gnuplot index blocks: a label, then tab-separated rows.
    public var blocks: [(label: String, rows: [String])]
    public init(
        name: String, style: String, title: String, xlabel: String, ylabel: String, limit: Double?,
        blocks: [(label: String, rows: [String])]
    ) {
        self.name = name; self.style = style; self.title = title; self.xlabel = xlabel; self.ylabel = ylabel; self.limit = limit
        self.blocks = blocks
    }
}

/// A parameter's values as numbers on a plot's axis: plain numbers, or numbers with one unit suffix (`100Mbps`,
/// `200Mbps` → 100, 200 with unit "Mbps").
public struct NumericAxis: Sendable {
    public var values: [Double]
    public var unit: String
    public init?(_ texts: [String]) {
        var unit: String?
        var values: [Double] = []
        for t in texts {
            let digits = t.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" && false }
            guard !digits.isEmpty, let x = Double(digits) else { return nil }
            let suffix = String(t.dropFirst(digits.count)).trimmingCharacters()
            if let unit, unit != suffix { return nil }
            unit = suffix
            values.append(x)
        }
        guard let unit else { return nil }
        self.values = values
        self.unit = unit
    }
}
