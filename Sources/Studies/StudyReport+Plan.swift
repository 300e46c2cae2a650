import Reports

/// The text of a capacity plan's answer: for summary.md and the terminal.
public struct PlanText: Sendable {
    public var path: String
    public var grid: PlanGrid
    public var points: [PlanPoint]
    public var objectives: [ServiceLevelObjective]
    public var result: CapacityResult?
    public var results: StudyResults
    public var status: String
    public var scenarioHash: String
    public var tool: ToolInfo
    /// The runs a full sweep of the range at the same resolution would take (nil: the range is unbounded).
    public var fullSweepRuns: Int?

    public init(
        path: String, grid: PlanGrid, points: [PlanPoint], objectives: [ServiceLevelObjective], result: CapacityResult?,
        results: StudyResults, status: String, scenarioHash: String, tool: ToolInfo, fullSweepRuns: Int?
    ) {
        self.path = path; self.grid = grid; self.points = points; self.objectives = objectives; self.result = result
        self.results = results; self.status = status; self.scenarioHash = scenarioHash; self.tool = tool
        self.fullSweepRuns = fullSweepRuns
    }

    /// Why a point fails, in one line: its problems, then the objectives that did not hold (the tightest entity each).
    public static func why(_ p: PlanPoint) -> String {
        var parts = p.problems
        var seen: [String] = []
        for j in p.judgements where !j.judgement.holds && !seen.contains(j.objective.text) {
            seen.append(j.objective.text)
            let t = StudyReport.tightest(p, j.objective) ?? j
            parts.append("\(j.objective.text) fails on \(t.entity): bound \(NumberFormat.significant(t.judgement.bound, 4)) \(t.unit)")
        }
        return parts.joined(separator: "; ")
    }

    func point(step: Int) -> PlanPoint? { points.first { $0.step == step } }

    /// The answer in words.
    public var answer: String {
        guard let result else { return "no answer: the search did not finish (\(status))" }
        func v(_ x: Double) -> String { grid.value(Int(x)) }
        switch result {
        case .largest(let k): return "\(path) = \(v(k)) is the largest value that meets every objective (\(v(k + 1)) does not)"
        case .belowRange(let k): return "no value meets every objective: even \(path) = \(v(k)) fails"
        case .wholeRange(let k): return "every value meets every objective, up to the range's end, \(path) = \(v(k))"
        case .hitDoublingCap(let k):
            return "every value measured meets every objective, up to \(path) = \(v(k)) where the search stopped (20 doublings); give --to"
        case .nonMonotone(let inner, let above, let fail):
            var t = PlanText(
                path: path, grid: grid, points: points, objectives: objectives, result: inner, results: results, status: status,
                scenarioHash: scenarioHash, tool: tool, fullSweepRuns: fullSweepRuns
            ).answer
            t +=
                " — but the results are not monotone: \(v(above)) passed above \(v(fail)), which failed (noise near a limit: more replications narrow it)"
            return t
        }
    }

    /// The binding objective: what fails at the first failing value above the answer; and each objective's margin at the answer.
    public var bindingLines: [String] {
        guard let k = result?.largestPassing.map({ Int($0) }) else { return [] }
        var out: [String] = []
        if let fail = points.filter({ !$0.passes && $0.step > k }).min(by: { $0.step < $1.step }) {
            out.append("binding at \(path) = \(fail.value): \(Self.why(fail))")
        }
        if let at = point(step: k) {
            for o in objectives {
                guard let j = StudyReport.tightest(at, o) else { continue }
                out.append(
                    "at \(path) = \(at.value): \(o.text) — \(j.entity) mean \(NumberFormat.significant(j.judgement.summary.mean, 4)) \(j.unit), "
                        + "bound \(NumberFormat.significant(j.judgement.bound, 4)), margin \(NumberFormat.significant(j.judgement.margin * 100, 3)) % of the limit"
                )
            }
        }
        return out
    }

    /// The points measured, by value.
    var table: (header: [String], rows: [[String]]) {
        let header = [path, "passes"] + objectives.map { "\($0.text) (tightest: mean ± hw)" } + ["problems"]
        let rows = points.sorted { $0.step < $1.step }.map { p in
            [p.value, p.passes ? "yes" : "no"]
                + objectives.map { o in
                    guard let j = StudyReport.tightest(p, o) else { return "–" }
                    return j.entity + " " + StudyReport.cell(j.judgement.summary) + (j.judgement.holds ? "" : " ✗")
                } + [p.problems.joined(separator: "; ")]
        }
        return (header, rows)
    }

    var runsLine: String {
        let runs = results.records.count
        return "\(points.count) values measured, \(runs) runs"
            + (fullSweepRuns.map { " (a full sweep of the range at this resolution: \($0) runs)" } ?? "")
    }

    public var markdown: String {
        var md = "# Capacity plan of \(results.plan.scenarioName)\n\n"
        md += StudyReport.provenance(results, status: status, scenarioHash: scenarioHash, tool: tool)
        md += "- Grows `\(path)`; objectives at \(StudyReport.percent(results.level)) confidence (the interval's unfavourable bound): "
        md += objectives.map { "`\($0.text)`" }.joined(separator: ", ") + "\n"
        md += "\n## Answer\n\n**\(answer)**\n\n" + bindingLines.map { "- \($0)\n" }.joined()
        md += "\n## Values measured (\(runsLine))\n\n"
        let (h, r) = table
        md += StudyReport.markdownTable(header: h, rows: r)
        md += StudyReport.failuresSection(results)
        md += "\nEvery objective on every entity at every value: plan.csv; every metric: points.csv, metrics.csv.\n"
        return md
    }

    public var terminal: String {
        var t = "plan \(results.plan.scenarioName) — \(status): \(answer)\n"
        for l in bindingLines { t += "  \(l)\n" }
        t += "\(runsLine):\n"
        let (h, r) = table
        t += StudyReport.textTable(header: h, rows: r)
        for l in StudyReport.failureLines(results) { t += "not complete: \(l)\n" }
        return t
    }
}
