import Reports

/// One metric of a comparison: each variant's summary, and each variant's paired difference and ratio to the first.
public struct ComparisonRow: Sendable {
    public var reference: MetricReference
    public var unit: String
    /// By variant (point).
    public var variants: [MetricSummary?]
    /// By variant: other − baseline, paired by replication (nil for the baseline, or when a side is missing).
    public var differences: [MetricSummary?]
    /// By variant: other ÷ baseline, paired (nil when the baseline's mean is 0).
    public var ratios: [MetricSummary?]
}

extension StudyReport {
    /// The metrics a comparison shows by default: the host's throughput and overhead, then each flow's goodput and
    /// latency (flows present in every variant).
    public static func comparisonMetrics(_ results: StudyResults) -> [MetricReference] {
        var refs = [
            "goodput", "delivered_packets_per_second", "root_cpu_utilization", "hypervisor_cpu_utilization", "guest_cpu_utilization",
            "host_cycles_per_packet", "host_cycles_per_byte", "all_cycles_per_packet", "vm_exits_per_packet", "interrupts_per_packet",
            "signals_per_packet",
        ].map { MetricReference(kind: "host", entity: "host", metric: $0) }
        let flows = results.metrics.first?.filter { $0.kind == "flow" && $0.metric == "goodput" }.map(\.entity) ?? []
        for f in flows {
            for m in ["goodput", "latency_p50", "latency_p99"] { refs.append(MetricReference(kind: "flow", entity: f, metric: m)) }
        }
        return refs
    }

    /// The comparison's rows: for each metric present at the baseline, each variant's summary, difference and ratio.
    public static func comparison(_ results: StudyResults, metrics: [MetricReference]) -> [ComparisonRow] {
        let n = results.plan.points.count
        var rows: [ComparisonRow] = []
        for ref in metrics {
            let ms = (0..<n).map { results.metric(point: $0, kind: ref.kind, entity: ref.entity, metric: ref.metric) }
            guard let base = ms[0] else { continue }
            var diffs: [MetricSummary?] = [nil]
            var ratios: [MetricSummary?] = [nil]
            for v in 1..<n {
                guard let other = ms[v] else {
                    diffs.append(nil)
                    ratios.append(nil)
                    continue
                }
                // Pair by replication: the same streams on both sides (common random numbers).
                let common = base.replications.filter { other.replications.contains($0) }
                let a = common.map { base.values[base.replications.firstIndex(of: $0)!] }
                let b = common.map { other.values[other.replications.firstIndex(of: $0)!] }
                guard !a.isEmpty else {
                    diffs.append(nil)
                    ratios.append(nil)
                    continue
                }
                diffs.append(StudyStatistics.pairedDifference(a, b, level: results.level))
                ratios.append(StudyStatistics.pairedRatio(a, b, level: results.level))
            }
            rows.append(
                ComparisonRow(reference: ref, unit: base.unit, variants: ms.map { $0?.summary }, differences: diffs, ratios: ratios))
        }
        return rows
    }

    /// A variant's name: its values (`emulated`, or `emulated, 100Mbps`).
    public static func variantName(_ p: StudyPoint) -> String { p.assignments.map(\.value).joined(separator: ", ") }

    /// "12.3 ± 0.4" from a summary (the interval's half-width), "12.3" with one replication, "–" for none; `signed`
    /// puts a "+" before a positive mean (a difference).
    static func cell(_ s: MetricSummary?, signed: Bool = false) -> String {
        guard let s else { return "–" }
        let mean = (signed && s.mean > 0 ? "+" : "") + NumberFormat.significant(s.mean, 4)
        guard s.count >= 2, s.halfWidth.isFinite else { return mean }
        return mean + " ± " + NumberFormat.significant(s.halfWidth, 2)
    }

    /// The side-by-side table: metric, each variant, then for each variant after the first its difference and ratio.
    public static func comparisonTable(_ results: StudyResults, rows: [ComparisonRow]) -> (header: [String], rows: [[String]]) {
        let names = results.plan.points.map(variantName)
        var header = ["metric"] + names
        for v in names.dropFirst() { header += ["\(v) − \(names[0])", "\(v) ÷ \(names[0])"] }
        let body = rows.map { r -> [String] in
            let label = (r.reference.kind == "host" ? r.reference.metric : r.reference.description) + " (\(r.unit))"
            var cells = [label] + r.variants.map { cell($0) }
            for v in 1..<names.count {
                cells.append(cell(r.differences[v], signed: true))
                cells.append(
                    r.ratios[v].map { s in
                        let m = NumberFormat.significant(s.mean, 3) + "×"
                        return s.count >= 2 && s.halfWidth.isFinite ? m + " ± " + NumberFormat.significant(s.halfWidth, 2) : m
                    } ?? "–")
            }
            return cells
        }
        return (header, body)
    }

    /// comparison.csv: one row per metric × variant — its mean and CI, and its paired difference and ratio to the
    /// baseline (the first variant) with their CIs.
    public static func comparisonCSV(_ results: StudyResults, rows: [ComparisonRow]) -> CSVTable {
        var t = CSVTable(
            header: ["entity_kind", "entity", "metric", "unit", "variant"] + results.plan.parameterPaths + [
                "replications", "mean", "ci_low", "ci_high", "difference", "difference_ci_low", "difference_ci_high", "ratio",
                "ratio_ci_low",
                "ratio_ci_high", "confidence",
            ])
        func three(_ s: MetricSummary?) -> [String] {
            guard let s else { return ["", "", ""] }
            let known = s.count >= 2 && s.halfWidth.isFinite
            return [NumberFormat.exact(s.mean), known ? NumberFormat.exact(s.lower) : "", known ? NumberFormat.exact(s.upper) : ""]
        }
        for r in rows {
            for (v, p) in results.plan.points.enumerated() {
                t.append(
                    [r.reference.kind, r.reference.entity, r.reference.metric, r.unit, String(v)] + p.assignments.map(\.value)
                        + [r.variants[v].map { String($0.count) } ?? "0"] + three(r.variants[v]) + three(r.differences[v])
                        + three(r.ratios[v])
                        + [NumberFormat.exact(results.level)])
            }
        }
        return t
    }

    /// One bar plot per shown metric: a bar per variant with its CI.
    public static func comparisonPlots(_ results: StudyResults, rows: [ComparisonRow]) -> [PlotFile] {
        rows.map { r in
            let bars = results.plan.points.enumerated().compactMap { v, p -> String? in
                guard let s = r.variants[v] else { return nil }
                return ([variantName(p)] + bounds(s)).joined(separator: "\t")
            }
            return PlotFile(
                name: r.reference.description.replacingOccurrences(of: "/", with: "_"), style: "bars",
                title: "\(r.reference) by variant (mean, \(percent(results.level)) CI)",
                xlabel: results.plan.parameterPaths.joined(separator: ", "),
                ylabel: "\(r.reference.metric) (\(r.unit))", limit: nil, blocks: [(r.reference.description, bars)])
        }
    }

    /// summary.md of a comparison.
    public static func comparisonMarkdown(
        _ results: StudyResults, rows: [ComparisonRow], status: String, scenarioHash: String, tool: ToolInfo
    ) -> String {
        var md = "# Comparison of \(results.plan.scenarioName)\n\n"
        md += provenance(results, status: status, scenarioHash: scenarioHash, tool: tool)
        md += "- Variants of " + results.plan.parameterPaths.map { "`\($0)`" }.joined(separator: ", ") + "; the first is the baseline\n"
        let (h, r) = comparisonTable(results, rows: rows)
        md += "\n## Side by side (mean ± half-width of the \(percent(results.level)) CI; differences and ratios paired by replication)\n\n"
        md += markdownTable(header: h, rows: r)
        md += "\n## Verdicts\n\n"
        for (v, p) in results.plan.points.enumerated() {
            let text = results.verdicts(point: v).map { "\($0.code) (\($0.count) of \(results.plan.replications))" }.joined(separator: ", ")
            md += "- \(variantName(p)): \(text.isEmpty ? "none" : text)\n"
        }
        md += failuresSection(results)
        md += "\nEvery metric: comparison.csv (the rows above), points.csv (every metric of every variant), metrics.csv (every run).\n"
        return md
    }
}
