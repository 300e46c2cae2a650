import ArgumentParser
import Foundation
import Reports
import Scenario
import Studies

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the largest value of a parameter (VM count, offered load, …) for which every service-level objective holds.",
        discussion: """
            Grows the parameter (--grow, or the scenario's `plan.grow`) over from…to in steps of the resolution: \
            doubling from --start until an objective fails, then bisection, running --replications runs at each value \
            (at least 2: an objective holds when the unfavourable bound of its confidence interval meets it, so one \
            run can never show it). A value passes when every objective (--slo, or `plan.slo`) holds on every entity \
            it names (flow.* is every flow), every replication completed and none was found not in steady state.

            An objective is METRIC OP LIMIT, by catalog name (docs/metrics.md): host.root_cpu_utilization <= 80%, \
            flow.*.latency_p99 <= 1ms, flow.send.loss_ratio <= 0.1%, nic.pnic0.rx_link_utilization < 95%, \
            flow.*.goodput >= 150Mbps. Prints the answer, the objective that binds (the one the next value fails), the \
            margin of the others, and every value measured; writes plan.csv, summary.md and the plots' data into the \
            study folder (Results/<scenario>/plan-<study id>/), beside what every study writes (see `vnetsim sweep \
            --help`). --resume reuses every run already complete. Exit status: 0 when the search ended (whatever the \
            answer), 1 when a run did not complete, 128 + the signal when stopped, 64/65 usage or scenario errors.
            """)

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var study: StudyOptions

    @Option(
        name: .long, help: ArgumentHelp("The parameter to grow, as --set names it (vms.web.count, flows.send.rate).", valueName: "path"))
    var grow: String?

    @Option(name: .long, help: "The smallest value (default: the plan's `from`, else 1).")
    var from: String?

    @Option(name: .long, help: "The largest value (default: the plan's `to`; none: unbounded, at most 20 doublings).")
    var to: String?

    @Option(name: .long, help: "How exact the answer is (default: the plan's `resolution`, else 1).")
    var resolution: String?

    @Option(name: .long, help: "The first value measured (default: from).")
    var start: String?

    @Option(
        name: .customLong("slo"),
        help: ArgumentHelp(
            "An objective: \"host.root_cpu_utilization <= 80%\", \"flow.*.latency_p99 <= 1ms\". Repeatable; replaces the plan's `slo` list.",
            valueName: "objective"))
    var objectives: [String] = []

    func run() throws {
        try study.validate(runOptions)
        if study.shard != nil {
            throw usageError(
                "--shard: a plan's next value depends on the last one's results, so it cannot be split; run sweep --shard over the range instead"
            )
        }
        let loaded = try runOptions.load()
        let section = loaded.scenario.study.plan
        guard let path = grow ?? section?.grow.text else {
            throw usageError("nothing to grow: give --grow PATH (e.g. --grow vms.web.count) or a 'plan:' section with 'grow'")
        }
        let growAt = grow.map { argumentLocation("--grow", $0) } ?? section!.grow.location
        // Objectives, each located where it is written (the file's entry or the argument).
        var texts: [LocatedText] = objectives.map { LocatedText($0, at: argumentLocation("--slo", $0)) }
        if texts.isEmpty { texts = section?.objectives ?? [] }
        guard !texts.isEmpty else {
            throw usageError(
                "no objectives: give --slo \"METRIC OP LIMIT\" (e.g. --slo \"host.root_cpu_utilization <= 80%\") or 'slo:' in 'plan:'")
        }
        var slos: [ServiceLevelObjective] = []
        var problems: [Diagnostic] = []
        for t in texts {
            switch ServiceLevelObjective.parse(t.text) {
            case .success(let o): slos.append(o)
            case .failure(let e):
                let at =
                    t.location.line == 0
                    ? t.location : SourceLocation(file: t.location.file, line: t.location.line, column: t.location.column + e.column - 1)
                problems.append(Diagnostic(at: at, "objective '\(t.text)', column \(e.column): \(e.message)", fix: e.fix))
            }
        }
        let fromText = from ?? section?.from?.text ?? "1"
        let toText = to ?? section?.to?.text
        let resolutionText = resolution ?? section?.resolution?.text
        var grid: PlanGrid?
        do { grid = try PlanGrid(from: fromText, to: toText, resolution: resolutionText, at: section?.location ?? growAt) } catch {
            problems += error.diagnostics
        }
        if !problems.isEmpty { throw studyFailure(StudyDesignError(problems)) }
        let replications = study.replications ?? max(loaded.scenario.replications, 3)
        guard replications >= 2 else {
            throw usageError(
                "--replications: a plan needs at least 2 at each value (one run's confidence interval is unbounded, so no objective could be shown to hold)"
            )
        }
        let g = grid!
        guard let startStep = g.step(of: start ?? fromText) else {
            throw usageError("--start: '\(start ?? "")' is not a value of the grid from \(fromText)")
        }
        let plan = StudyPlan(
            kind: .plan, base: loaded.spec, scenarioName: loaded.scenario.name, parameterPaths: [path], points: [],
            replications: replications,
            extra: [
                "grow=\(path)", "from=\(fromText)", "to=\(toText ?? "")", "resolution=\(resolutionText ?? "")",
                "start=\(start ?? fromText)",
            ]
                + slos.map { "slo=\($0.text)" })
        // The path must name something: check it with the first value.
        do { try StudyPlan.checkPath(path, values: [g.value(startStep), g.value(0)], at: growAt, base: loaded.spec) } catch {
            throw studyFailure(error)
        }
        let driver = try StudyDriver(plan: plan, options: study, loaded: loaded)
        if study.list {
            print(
                "# plan \(plan.id): grows \(path) from \(fromText)\(toText.map { " to \($0)" } ?? "") by \(g.value(1)) − \(g.value(0)); "
                    + "\(replications) replications at each value; the values follow from the results (doubling, then bisection)")
            print("# folder: \(driver.folder.path)")
            return
        }
        let (runner, search, measured, stoppedBy) = try driver.executePlan(grid: g, start: startStep, objectives: slos)
        var results: StudyResults?
        let (r, status) = try driver.writeTables(runner) { r in
            results = r
            return StudyReport.planPlots(measured, objectives: slos, path: path, level: r.level)
        }
        let outcome = search.result
        let status2 = outcome == nil ? "partial" : status
        let text = PlanText(
            path: path, grid: g, points: measured, objectives: slos, result: outcome, results: results ?? r, status: status2,
            scenarioHash: runner.scenarioHash, tool: driver.tool, fullSweepRuns: g.lastStep.map { ($0 + 1) * replications })
        do {
            try AtomicFile.write(
                StudyReport.planCSV(measured, path: path, level: r.level).text, to: driver.folder.appendingPathComponent("plan.csv"))
            try AtomicFile.write(text.markdown, to: driver.folder.appendingPathComponent("summary.md"))
        } catch {
            printStderr("error: \(error)")
            throw ExitCode(74)
        }
        try driver.finish(results: r, text: text.terminal + "study: \(driver.folder.path)\n", runner: runner, stoppedBy: stoppedBy)
    }
}

extension StudyDriver {
    /// Runs a plan's search: each value the search asks for becomes a point whose replications run (reusing those
    /// complete), is judged, and answers the search.
    func executePlan(grid: PlanGrid, start: Int, objectives: [ServiceLevelObjective]) throws -> (
        StudyRunner, CapacitySearch, [PlanPoint], stoppedBy: Int32?
    ) {
        var search = CapacitySearch(lower: 0, upper: grid.lastStep.map(Double.init), start: Double(start), integer: true, resolution: 1)
        var measured: [PlanPoint] = []
        var runner: StudyRunner?
        var stopped: Int32?
        let signals = StopSignals.install()
        defer { signals.uninstall() }
        while let next = search.next() {
            let k = Int(next)
            var p = plan
            if let r = runner { p = r.plan }
            p.points.append(StudyPoint(index: p.points.count, assignments: [Assignment(path: p.parameterPaths[0], value: grid.value(k))]))
            let point = p.points.count - 1
            let indices = (0..<p.replications).map { p.index(point: point, replication: $0) }
            let (r, s) = try execute(plan: p, indices: indices, existing: runner, signals: signals)
            runner = r
            if let s {
                stopped = s
                break
            }
            let results: StudyResults
            do { results = try StudyResults(plan: r.plan, database: r.database, level: level, only: [point]) } catch {
                printStderr("error: the study database: \(error)")
                throw ExitCode(74)
            }
            let judged = CapacityPlanJudge.judge(results, point: point, step: k, objectives: objectives)
            measured.append(judged)
            if !options.quiet {
                printStderr(
                    "plan: \(plan.parameterPaths[0]) = \(judged.value): \(judged.passes ? "passes" : "fails")"
                        + (judged.passes ? "" : " — " + PlanText.why(judged)))
            }
            search.record(next, passes: judged.passes)
        }
        guard let runner else { throw ExitCode(70) }
        return (runner, search, measured, stopped)
    }
}
