import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore
import Studies

/// Runs a study for a command: its folder, `--list`, the process pool with progress and signals, the tables at the
/// end (`StudyTables`, which also writes each kind's own files and terminal text).
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

    /// A sweep's or a comparison's whole course: the plan from `request` (and the file's sections), `--list`, the
    /// runs (with sequential stopping if asked, watching `watching`), `write`'s tables and terminal text, the plots,
    /// the cost line and the exit status.
    static func runStudy(
        _ request: StudyRequest, loaded: LoadedRun, options: StudyOptions, watching: [MetricReference],
        write: (StudyTables) throws -> (StudyResults, String)
    ) throws {
        var plan: StudyPlan
        do { plan = try StudyPlan.make(request, scenario: loaded.scenario) } catch { throw studyFailure(error) }
        let rule = try options.stopping(initial: plan.replications)
        if let rule { plan.sequential = rule.text }
        let driver = try StudyDriver(plan: plan, options: options, loaded: loaded)
        if options.list { return try driver.list() }
        let (runner, stoppedBy) = try driver.execute(sequential: rule, watching: watching)
        let (results, text) = try write(driver.tables(runner))
        try driver.finish(results: results, text: text, runner: runner, stoppedBy: stoppedBy)
    }

    /// The end of every study command: the cost line taken with the tables written (before the plots, whose processes
    /// are not the study's runs), the plots, the terminal text (or the folder with --quiet), the exit status.
    func finish(results: StudyResults, text: String, runner: StudyRunner, stoppedBy: Int32?) throws {
        let cost = Self.costLine(runs: runner.launched)
        let drawn = drawPlots()
        print(options.quiet ? folder.path : text, terminator: options.quiet ? "\n" : "")
        try exit(results: results, stoppedBy: stoppedBy, plotsDrawn: drawn, cost: cost)
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

    /// Runs the study: with a sequential stopping rule, `executeSequential`; else `execute()`.
    func execute(sequential rule: SequentialStopping?, watching metrics: [MetricReference]) throws -> (StudyRunner, stoppedBy: Int32?) {
        guard let rule else { return try execute() }
        return try executeSequential(rule, watching: metrics)
    }

    /// Runs the study with sequential stopping: its replications, then more (every point alike, appended run indices)
    /// until every watched metric's relative half-width meets the rule at every point, or the rule's maximum.
    func executeSequential(_ rule: SequentialStopping, watching metrics: [MetricReference]) throws -> (StudyRunner, stoppedBy: Int32?) {
        var p = plan
        p.replications = rule.minimum
        let runner = try makeRunner(plan: p)
        let signals = StopSignals.install()
        defer { signals.uninstall() }
        while true {
            runner.plan = p
            try run(runner, Array(0..<p.runCount), signals: signals)
            if signals.isSet { return (runner, signals.signalNumber) }
            let results: StudyResults
            do { results = try StudyResults(plan: p, database: runner.database, level: level) } catch {
                printStderr("error: the study database: \(error)")
                throw ExitCode(74)
            }
            let summaries = p.points.indices.flatMap { i in
                metrics.compactMap { results.metric(point: i, kind: $0.kind, entity: $0.entity, metric: $0.metric)?.summary }
            }
            let worst = summaries.map(\.relativeHalfWidth).max() ?? 0
            let widest = NumberFormat.significant(worst * 100, 3) + " %"
            guard let next = rule.nextTotal(current: p.replications, summaries: summaries) else {
                let met = rule.isMet(summaries)
                if !options.quiet {
                    printStderr(
                        met
                            ? "sequential: target met after \(p.replications) replications (widest relative half-width \(widest))"
                            : "warning: sequential: target not met at the maximum, \(p.replications) replications (widest relative half-width \(widest)); raise --max-replications"
                    )
                }
                try? runner.database.setInfo([
                    "sequential_result": met ? "met after \(p.replications)" : "not met at \(p.replications), widest \(widest)"
                ])
                break
            }
            if !options.quiet {
                printStderr(
                    "sequential: after \(p.replications) replications the widest relative half-width is "
                        + "\(NumberFormat.significant(worst * 100, 3)) % (target \(NumberFormat.significant(rule.target * 100, 3)) %): running to \(next)"
                )
            }
            p.replications = next
        }
        return (runner, nil)
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

    /// The study's own cost beside its runs': the CPU time of this process (loading, planning, recording, tables) and
    /// of its runs' processes, from getrusage. "study: CPU 0.12 s for the study itself, 5.71 s for its 8 runs (2.1 %)".
    static func costLine(runs: Int) -> String {
        if runs == 0 { return "study: no runs to make (every run was complete)" }
        func seconds(_ who: Int32) -> Double {
            var u = rusage()
            getrusage(who, &u)
            return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec)
                / 1e6
        }
        #if canImport(Glibc)
            let me = seconds(RUSAGE_SELF.rawValue), children = seconds(RUSAGE_CHILDREN.rawValue)
        #else
            let me = seconds(RUSAGE_SELF), children = seconds(RUSAGE_CHILDREN)
        #endif
        let share = children > 0 ? " (\(NumberFormat.significant(me / children * 100, 2)) %)" : ""
        return
            "study: CPU \(NumberFormat.significant(me, 3)) s for the study itself, \(NumberFormat.significant(children, 3)) s for the \(runs) runs it made\(share)"
    }

    /// The exit: 128 + signal when stopped, 1 when a run did not complete, 69 when plots were asked for and not drawn.
    /// `cost`: `costLine` taken right after the runs (before the plots, whose processes are not the study's runs).
    func exit(results: StudyResults, stoppedBy: Int32?, plotsDrawn: Bool, cost: String) throws {
        if !options.quiet { printStderr(cost) }
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
func drawStudyPlots(folder: URL, quiet: Bool) -> Bool { PlotScript.run(directory: folder, quiet: quiet, script: "scripts/plot-study") }
