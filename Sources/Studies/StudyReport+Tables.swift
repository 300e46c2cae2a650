import Reports

extension StudyReport {
    /// "12.3 ± 0.4" (the interval's half-width), "12.3" with one replication, "–" when the point has no value.
    public static func cell(_ m: PointMetric?) -> String { cell(m?.summary) }

    /// The table of a sweep: one row per point — its parameters, each chosen metric as mean ± half-width, the
    /// replications complete, the verdicts (code:replications).
    public static func sweepTable(_ results: StudyResults, metrics: [MetricReference]) -> (header: [String], rows: [[String]]) {
        let plan = results.plan
        let shown = metrics.filter { ref in
            plan.points.indices.contains { results.metric(point: $0, kind: ref.kind, entity: ref.entity, metric: ref.metric) != nil }
        }
        let header =
            plan.parameterPaths
            + shown.map { ref in
                let unit =
                    plan.points.indices.lazy.compactMap {
                        results.metric(point: $0, kind: ref.kind, entity: ref.entity, metric: ref.metric)?.unit
                    }
                    .first ?? ""
                return "\(ref.kind == "host" ? ref.metric : ref.description) (\(unit))"
            } + ["runs", "verdicts"]
        var rows: [[String]] = []
        for (p, point) in plan.points.enumerated() {
            let complete = plan.replications - results.incomplete(point: p)
            rows.append(
                point.assignments.map(\.value)
                    + shown.map { cell(results.metric(point: p, kind: $0.kind, entity: $0.entity, metric: $0.metric)) }
                    + [
                        "\(complete)/\(plan.replications)",
                        results.verdicts(point: p).map { "\($0.code) \($0.count)" }.joined(separator: ", "),
                    ])
        }
        return (header, rows)
    }

    /// A Markdown table.
    public static func markdownTable(header: [String], rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return line(header) + line(header.map { _ in "---" }) + rows.map(line).joined()
    }

    /// A plain-text table with aligned columns (for the terminal).
    public static func textTable(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, c) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                out += i == 0 ? c + pad : "  " + pad + c
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    /// The runs that did not complete, one line each: index, point, replication, status, error.
    public static func failureLines(_ results: StudyResults) -> [String] {
        results.records.filter { $0.status != StudyRunStatus.complete.rawValue }.map { r in
            let point = r.parameters.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
            let error = (r.error ?? "").split(separator: "\n").last.map(String.init) ?? ""
            return "run \(r.index) (\(point.isEmpty ? "the scenario" : point), replication \(r.replication)): \(r.status)"
                + (error.isEmpty ? "" : " — \(error)")
        }
    }

    /// summary.md of a sweep.
    public static func sweepMarkdown(
        _ results: StudyResults, metrics: [MetricReference], status: String, scenarioHash: String, tool: ToolInfo
    )
        -> String
    {
        let plan = results.plan
        var md = "# Sweep of \(plan.scenarioName)\n\n"
        md += provenance(results, status: status, scenarioHash: scenarioHash, tool: tool)
        let (h, r) = sweepTable(results, metrics: metrics)
        md +=
            "\n## Results (mean ± half-width of the \(percent(results.level)) confidence interval)\n\n" + markdownTable(header: h, rows: r)
        md += failuresSection(results)
        md +=
            "\nEvery metric of every point: points.csv; every run: runs.csv, metrics.csv, study.sqlite; plots: plots/ (scripts/plot-study).\n"
        return md
    }

    /// The lines every study's summary.md begins with.
    static func provenance(_ results: StudyResults, status: String, scenarioHash: String, tool: ToolInfo) -> String {
        let plan = results.plan
        let complete = results.records.filter { $0.status == StudyRunStatus.complete.rawValue }.count
        var md = "- Status: **\(status)** — \(complete) of \(plan.runCount) runs complete\n"
        md += "- Study: \(plan.kind.rawValue) `\(plan.id)`; \(plan.points.count) point\(plan.points.count == 1 ? "" : "s") × "
        md += "\(plan.replications) replication\(plan.replications == 1 ? "" : "s")"
        if let sq = plan.sequential { md += " (sequential stopping, \(sq))" }
        md += plan.independentStreams ? " (independent streams)\n" : " (common random numbers)\n"
        md += "- Scenario: `\(plan.base.scenarioPath)` (FNV-1a 64 `\(scenarioHash)`)"
        if !plan.base.overrides.isEmpty { md += ", with " + plan.base.overrides.map { "`--set \($0)`" }.joined(separator: " ") }
        md += "\n- vnetsim \(tool.version), git \(tool.gitRevision)\n"
        return md
    }

    static func failuresSection(_ results: StudyResults) -> String {
        let lines = failureLines(results)
        guard !lines.isEmpty else { return "" }
        return "\n## Runs that did not complete\n\n" + lines.map { "- \($0)\n" }.joined()
    }
}
