import ArgumentParser
import Foundation
import Reports
import Scenario
import Studies

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the shards of a study (sweep or compare --shard K/N) into the study one machine would have written.",
        discussion: """
            Each DIR is a study folder of the same study (the same scenario text and definition: the same study id), \
            typically its shards .shard-1-of-N … .shard-N-of-N from a Slurm job array or GNU parallel \
            (scripts/cluster/). The runs of every DIR's database are copied into one, their run folders beside them, \
            and the tables are made again from it: runs.csv, metrics.csv, points.csv, study.json, summary.md (and \
            comparison.csv) are byte for byte those of the whole study run on one machine. A run present in two DIRs \
            must have the same results. Merging again, or a DIR merged before, adds what is new.

            The merged folder is --out, by default the shards' common folder name without .shard-K-of-N. Exit status: \
            0 when the merged study is complete; 1 when runs are missing or did not complete (the status says partial \
            and which); 65 when a DIR is not a study folder or holds another study.
            """)

    @Argument(help: "Study folders to combine (shards of one study).", completion: .directory)
    var folders: [String]

    @Option(name: .long, help: "The merged study's folder (default: the shards' folder name without .shard-K-of-N).")
    var out: String?

    @Option(
        name: .customLong("metric"),
        help: ArgumentHelp("A metric the summary and plots show (as for sweep). Repeatable.", valueName: "metric"))
    var metrics: [String] = []

    @Flag(name: .long, help: "Also draw the plots (scripts/plot-study; needs gnuplot).")
    var plots = false

    @Flag(name: .long, help: "Only the merged folder's path on stdout.")
    var quiet = false

    func validate() throws {
        if folders.isEmpty { throw ValidationError("give the study folders to merge, e.g. vnetsim merge Results/s/sweep-*.shard-*") }
    }

    func run() throws {
        var sources: [(url: URL, plan: StudyPlan, level: Double)] = []
        for f in folders {
            let url = URL(fileURLWithPath: f)
            do {
                let (plan, level, _) = try StudyPlan.read(folder: url)
                sources.append((url, plan, level))
            } catch {
                printStderr("error: \(error)")
                throw ExitCode(65)
            }
        }
        let first = sources[0]
        for s in sources.dropFirst() where s.plan.id != first.plan.id {
            printStderr(
                "error: \(s.url.path) holds study \(s.plan.id), not \(first.plan.id) (that of \(first.url.path)): merge shards of one study"
            )
            throw ExitCode(65)
        }
        guard first.plan.kind != .plan else {
            printStderr("error: a capacity plan has no shards to merge (its search runs one value after another)")
            throw ExitCode(65)
        }
        let target: URL
        if let out {
            target = URL(fileURLWithPath: out)
        } else {
            let name = first.url.lastPathComponent
            guard let r = name.range(of: ".shard-") else {
                printStderr("error: \(first.url.path) is not a shard (.shard-K-of-N); give --out for the merged folder")
                throw ExitCode(64)
            }
            target = first.url.deletingLastPathComponent().appendingPathComponent(String(name[..<r.lowerBound]))
        }
        if sources.contains(where: { $0.url.standardizedFileURL.path == target.standardizedFileURL.path }) {
            printStderr("error: --out \(target.path) is one of the folders merged; give another folder")
            throw ExitCode(64)
        }
        let plan = first.plan
        let database: StudyDatabase
        var tool = ToolInfo(version: VNetSimVersion.string, gitRevision: "unknown")
        do {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try AtomicFile.write(plan.base.scenarioText, to: StudyFolder(target).scenario)
            database = try StudyDatabase(folder: target)
            if let found = try database.info()["study_id"], found != plan.id {
                printStderr("error: \(target.path) holds another study (\(found)); give another --out")
                throw ExitCode(65)
            }
            for s in sources {
                let other = try StudyDatabase(folder: s.url)
                var info = try other.info()
                tool = ToolInfo(version: info["vnetsim_version"] ?? tool.version, gitRevision: info["git_revision"] ?? tool.gitRevision)
                info["status"] = "merging"
                try database.setInfo(info)
                try database.merge(from: other)
                // The run folders, beside the database that names them.
                for r in try other.runs() where r.status == "complete" {
                    guard let d = r.directory else { continue }
                    let from = s.url.appendingPathComponent(d), to = target.appendingPathComponent(d)
                    if FileManager.default.fileExists(atPath: to.path) { continue }
                    try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try FileManager.default.copyItem(at: from, to: to)
                }
            }
        } catch let e as ExitCode {
            throw e
        } catch {
            printStderr("error: merging into \(target.path): \(error)")
            throw ExitCode(74)
        }
        let hash = StudyPlan.hex(RunID.fnv1a64(Array(plan.base.scenarioText.utf8)))
        let tables = StudyTables(
            folder: target, plan: plan, database: database, level: first.level, scenarioHash: hash, tool: tool, shard: nil,
            shardRuns: plan.runCount)
        let chosen = metrics.isEmpty ? nil : try parseMetrics(metrics)
        let (results, text) =
            plan.kind == .compare
            ? try tables.writeComparison(metrics: chosen) : try tables.writeSweep(metrics: chosen ?? MetricReference.headline)
        let drawn = !plots || drawStudyPlots(folder: target, quiet: quiet)
        print(quiet ? target.path : text, terminator: quiet ? "\n" : "")
        let complete = results.records.filter { $0.status == "complete" }.count
        if complete < plan.runCount {
            printStderr(
                "warning: \(plan.runCount - complete) of \(plan.runCount) runs are missing or did not complete: merge the other shards, or run them with --resume"
            )
            throw ExitCode(1)
        }
        if !drawn { throw ExitCode(PlotScript.unavailable) }
    }
}
