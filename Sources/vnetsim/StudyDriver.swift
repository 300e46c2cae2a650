import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore
import Studies

/// Runs a study for a command: its folder, `--list`, the process pool with progress and signals, the tables at the
/// end. The kind's own files and terminal text come from `finish`.
struct StudyDriver {
    var plan: StudyPlan
    var options: StudyOptions
    var loaded: LoadedRun
    var level: Double
    var tool: ToolInfo
    var shard: (k: Int, n: Int)?

    init(plan: StudyPlan, options: StudyOptions, loaded: LoadedRun) throws {
        self.plan = plan; self.options = options; self.loaded = loaded
        level = try options.level(loaded.scenario)
        shard = try options.parsedShard()
        tool = ToolInfo(
            version: VNetSimVersion.string,
            gitRevision: GitRevision.read(from: URL(fileURLWithPath: loaded.spec.scenarioPath).deletingLastPathComponent()))
    }

    var folder: URL {
        if let out = options.out { return URL(fileURLWithPath: out) }
        return URL(fileURLWithPath: options.results).appendingPathComponent(plan.scenarioName)
            .appendingPathComponent(plan.folderName(shard: shard))
    }

    /// The run indices this invocation is for (a shard's, or all).
    var indices: [Int] { shard.map { plan.shard($0.k, of: $0.n) } ?? Array(0..<plan.runCount) }

    /// `--list`: one line per run.
    func list() throws {
        let hasDatabase = FileManager.default.fileExists(atPath: folder.appendingPathComponent(StudyDatabase.fileName).path)
        let existing = hasDatabase ? try? StudyDatabase(folder: folder).runs() : nil
        let status = Dictionary(uniqueKeysWithValues: (existing ?? []).map { ($0.index, $0.status) })
        print(
            "# \(plan.kind.rawValue) \(plan.id): \(plan.points.count) points × \(plan.replications) replications = \(plan.runCount) runs"
                + (shard.map { ", shard \($0.k)/\($0.n): \(indices.count) runs" } ?? ""))
        print("# folder: \(folder.path)")
        print(
            StudyReport.textTable(
                header: ["run", "point", "replication", "run_id", "status"] + plan.parameterPaths,
                rows: indices.map { i in
                    let r = plan.run(i)
                    let id = RunID(spec: r.spec, seed: r.spec.seed ?? loaded.config.seed).description
                    return [String(i), String(r.point.index), String(r.replication), id, status[i] ?? "to run"]
                        + r.point.assignments.map(\.value)
                }), terminator: "")
    }

    /// Runs the study's (remaining) runs.
    /// - Returns: the runner (its database holds every run) and the signal that stopped it, if one did.
    func execute() throws -> (StudyRunner, stoppedBy: Int32?) {
        let runner = try makeRunner(plan: plan)
        let signals = StopSignals.install()
        defer { signals.uninstall() }
        try run(runner, indices, signals: signals)
        return (runner, signals.isSet ? signals.signalNumber : nil)
    }

    /// Runs `indices` of `plan` (a plan's search grows its points), with the runner made at the first call.
    func execute(plan: StudyPlan, indices: [Int], existing: StudyRunner?, signals: StopSignals) throws -> (StudyRunner, stoppedBy: Int32?) {
        let runner = try existing ?? makeRunner(plan: plan)
        runner.plan = plan
        try run(runner, indices, signals: signals)
        return (runner, signals.isSet ? signals.signalNumber : nil)
    }

    /// Opens the study's folder and database (refusing another study's folder, or a started one without --resume).
    func makeRunner(plan: StudyPlan) throws -> StudyRunner {
        guard let exe = Resources.executableDirectory?.appendingPathComponent("vnetsim") else {
            printStderr("error: cannot find the vnetsim executable to run the study's runs")
            throw ExitCode(70)
        }
        let runner: StudyRunner
        do {
            runner = try StudyRunner(
                plan: plan, folder: folder, executable: exe, jobs: try options.parsedJobs(), tool: tool, resume: options.resume,
                fresh: options.fresh, info: ["confidence": String(level)])
        } catch let e as StudyRunner.FolderError {
            printStderr("error: \(e)")
            throw ExitCode(e.isUsage ? 64 : 73)
        }
        runner.seedOfScenario = loaded.config.seed
        return runner
    }

    /// Runs `indices` with the progress line and the warnings of runs that fail.
    func run(_ runner: StudyRunner, _ indices: [Int], signals: StopSignals) throws {
        let showProgress = !options.quiet && isatty(2) == 1
        let t0 = WallClock.monotonicSeconds()
        var lastDraw = 0.0
        runner.shouldStop = { signals.isSet }
        runner.onProgress = { p in
            guard showProgress else { return }
            let now = WallClock.monotonicSeconds()
            guard now - lastDraw >= 0.25 || p.done + p.failed == p.total else { return }
            lastDraw = now
            writeStderr(ProgressLine.redraw(Self.progressText(p, elapsed: now - t0)))
        }
        runner.onRunEnded = { r in
            guard !options.quiet, r.status != "complete", r.status != "interrupted" else { return }
            if showProgress { writeStderr(ProgressLine.clear) }
            let point = r.parameters.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
            printStderr(
                "warning: run \(r.index) (\(point.isEmpty ? "the scenario" : point), replication \(r.replication)) \(r.status): "
                    + ((r.error ?? "").split(separator: "\n").last.map(String.init) ?? ""))
        }
        do {
            _ = try runner.run(indices)
        } catch {
            if showProgress { writeStderr(ProgressLine.clear) }
            printStderr("error: the study database: \(error)")
            throw ExitCode(74)
        }
        if showProgress { writeStderr(ProgressLine.clear) }
    }

    /// "runs 12/40 · 2 running · 1 failed · 0:42 elapsed · ETA 1:10".
    static func progressText(_ p: StudyProgress, elapsed: Double) -> String {
        var s = "runs \(p.done)/\(p.total) · \(p.running) running"
        if p.failed > 0 { s += " · \(p.failed) failed" }
        s += " · " + ProgressLine.clock(elapsed) + " elapsed"
        let left = p.total - p.done - p.failed
        if p.completedNow > 0, left > 0 {
            s += " · ETA " + ProgressLine.clock(elapsed / Double(p.completedNow) * Double(left))
        }
        return s
    }

    /// Writes the tables every study has (see `StudyTables.write`).
    func writeTables(_ runner: StudyRunner, plots: (StudyResults) -> [PlotFile]) throws -> (StudyResults, String) {
        try tables(runner).write(plots: plots)
    }

    func tables(_ runner: StudyRunner) -> StudyTables {
        StudyTables(
            folder: folder, plan: runner.plan, database: runner.database, level: level, scenarioHash: runner.scenarioHash, tool: tool,
            shard: shard, shardRuns: indices.count)
    }

    /// Draws the plots if asked; false if asked and none could be drawn.
    func drawPlots() -> Bool { !options.plots || drawStudyPlots(folder: folder, quiet: options.quiet) }

    /// The exit: 128 + signal when stopped, 1 when a run did not complete, 69 when plots were asked for and not drawn.
    func exit(results: StudyResults, stoppedBy: Int32?, plotsDrawn: Bool) throws {
        if let s = stoppedBy { throw ExitCode(128 + s) }
        let mine = shard == nil ? nil : Set(indices)
        if results.records.contains(where: { (mine?.contains($0.index) ?? true) && $0.status != "complete" }) { throw ExitCode(1) }
        if !plotsDrawn { throw ExitCode(PlotScript.unavailable) }
    }
}

extension StudyRunner.FolderError {
    /// A refusal the user fixes with an option (--resume, --fresh, --out).
    var isUsage: Bool {
        switch self {
        case .otherStudy, .notEmpty: true
        default: false
        }
    }
}

/// Draws a study folder's plots with scripts/plot-study (found beside vnetsim); false, after a warning, if it could not.
func drawStudyPlots(folder: URL, quiet: Bool) -> Bool {
    guard let script = Resources.find("scripts/plot-study", executable: true) else {
        printStderr("warning: cannot draw the plots: no scripts/plot-study beside vnetsim; install vnetsim with scripts/install")
        return false
    }
    let p = Process()
    p.executableURL = script
    p.arguments = (quiet ? ["--quiet"] : []) + [folder.path]
    do { try p.run() } catch {
        printStderr("warning: cannot draw the plots: cannot start \(script.path): \(error.localizedDescription)")
        return false
    }
    p.waitUntilExit()
    if p.terminationStatus != 0 {
        printStderr("warning: no plots drawn: \(script.path) exited with status \(p.terminationStatus)")
        return false
    }
    return true
}
