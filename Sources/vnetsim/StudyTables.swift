import ArgumentParser
import Foundation
import Reports
import Studies

/// The files a study writes at its end, from its database — the same for a study run on one machine, its shards and
/// their merge (`vnetsim merge`), so that the merge writes exactly what one machine would have.
struct StudyTables {
    var folder: URL
    var plan: StudyPlan
    var database: StudyDatabase
    var level: Double
    var scenarioHash: String
    var tool: ToolInfo
    var shard: (k: Int, n: Int)?
    /// The runs of the shard (all runs without one).
    var shardRuns: Int

    /// The study's status word: complete, partial (some runs did not complete), or "shard K/N complete".
    func status(_ results: StudyResults) -> String {
        let complete = results.records.filter { $0.status == "complete" }.count
        if complete == results.plan.runCount { return "complete" }
        if let shard, complete == shardRuns { return "shard \(shard.k)/\(shard.n) complete" }
        return "partial"
    }

    /// Writes runs.csv, metrics.csv, points.csv, study.json and the plots' data; returns the results and status.
    func write(plots: (StudyResults) -> [PlotFile]) throws -> (StudyResults, String) {
        let results: StudyResults
        do {
            results = try StudyResults(plan: plan, database: database, level: level)
            try database.exportCSV(into: folder, parameterPaths: plan.parameterPaths)
        } catch {
            printStderr("error: the study database: \(error)")
            throw ExitCode(74)
        }
        let status = status(results)
        do {
            try AtomicFile.write(results.pointsTable.text, to: folder.appendingPathComponent("points.csv"))
            try AtomicFile.write(
                StudyReport.definitionJSON(
                    results, scenarioHash: scenarioHash, tool: tool, status: status, shard: shard.map { "\($0.k)/\($0.n)" }),
                to: folder.appendingPathComponent("study.json"))
            try StudyReport.writePlots(plots(results), into: folder)
            try database.setInfo(["status": status])
        } catch {
            printStderr("error: \(error)")
            throw ExitCode(74)
        }
        return (results, status)
    }

    /// A sweep's files (the tables, summary.md); returns the terminal text.
    func writeSweep(metrics: [MetricReference]) throws -> (StudyResults, String) {
        let (results, status) = try write { StudyReport.sweepPlots($0, metrics: metrics) }
        let md = StudyReport.sweepMarkdown(results, metrics: metrics, status: status, scenarioHash: scenarioHash, tool: tool)
        try writeFile(md, "summary.md")
        let (h, r) = StudyReport.sweepTable(results, metrics: metrics)
        var text = "sweep \(plan.scenarioName) — \(status): \(plan.points.count) points × \(plan.replications) replications, "
        text += "mean ± half-width of the \(StudyReport.percent(results.level)) CI\n"
        text += StudyReport.textTable(header: h, rows: r)
        for l in StudyReport.failureLines(results) { text += "not complete: \(l)\n" }
        return (results, text + "study: \(folder.path)\n")
    }

    /// A comparison's files (the tables, comparison.csv, summary.md); returns the terminal text.
    func writeComparison(metrics chosen: [MetricReference]?) throws -> (StudyResults, String) {
        var rows: [ComparisonRow] = []
        let (results, status) = try write { r in
            rows = StudyReport.comparison(r, metrics: chosen ?? StudyReport.comparisonMetrics(r))
            return StudyReport.comparisonPlots(r, rows: rows)
        }
        try writeFile(StudyReport.comparisonCSV(results, rows: rows).text, "comparison.csv")
        try writeFile(
            StudyReport.comparisonMarkdown(results, rows: rows, status: status, scenarioHash: scenarioHash, tool: tool), "summary.md")
        let (h, r) = StudyReport.comparisonTable(results, rows: rows)
        var text = "compare \(plan.scenarioName) — \(status): \(plan.points.count) variants × \(plan.replications) replications, "
        text += "mean ± half-width of the \(StudyReport.percent(results.level)) CI, differences paired by replication\n"
        text += StudyReport.textTable(header: h, rows: r)
        for (v, p) in plan.points.enumerated() {
            let verdicts = results.verdicts(point: v).map { "\($0.code) \($0.count)/\(plan.replications)" }.joined(separator: ", ")
            if !verdicts.isEmpty { text += "verdicts of \(StudyReport.variantName(p)): \(verdicts)\n" }
        }
        // Every replication the same (a scenario with nothing random, e.g. bulk TCP alone): say why the intervals are 0.
        let summaries = rows.flatMap(\.variants).compactMap { $0 }
        if plan.replications >= 2, !summaries.isEmpty, summaries.allSatisfy({ $0.count >= 2 && $0.halfWidth == 0 }) {
            text += "note: every replication gave the same values (nothing in the scenario is random), so the intervals are 0 "
            text += "and more replications add nothing\n"
        }
        for l in StudyReport.failureLines(results) { text += "not complete: \(l)\n" }
        return (results, text + "study: \(folder.path)\n")
    }

    func writeFile(_ text: String, _ name: String) throws {
        do { try AtomicFile.write(text, to: folder.appendingPathComponent(name)) } catch {
            printStderr("error: \(error)")
            throw ExitCode(74)
        }
    }
}
