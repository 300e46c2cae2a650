import Foundation
import Models
import Reports
import Scenario
import SimCore

/// A run's scenario, loaded and configured from its `RunSpec`: ready to build.
public struct LoadedRun: Sendable {
    public var spec: RunSpec
    /// The run's id: its folder's name.
    public var id: RunID
    public var scenario: LoadedScenario
    /// The configuration the run simulates: the spec's seed, replication, duration, warm-up and captures applied.
    public var config: SimulationConfig
    /// Problems that do not stop the run (the caller prints them).
    public var warnings: [Diagnostic] { scenario.warnings }
}

/// What stopped a run before it started.
public enum RunSetupError: Error, Sendable {
    /// The scenario has errors: every diagnostic, as `file:line:col`.
    case scenario([Diagnostic])
    /// With the duration override, the scenario breaks a rule (e.g. its number of samples): where and what.
    case duration(path: String, message: String)
    /// The duration or warm-up override leaves a warm-up that is not shorter than the run.
    case runLength(RunLengthError)
    /// A capture port that names nothing in the scenario: the port as given, what is wrong, how to fix it.
    case capture(port: String, message: String, fix: String)
}

/// The run folder could not be created (before anything was simulated).
public struct RunFolderError: Error, Sendable, CustomStringConvertible {
    public var underlying: AtomicFile.WriteError
    public var description: String { underlying.description }
}

/// The caller's say in a run: Studies never installs signal handlers, prints or reads the clock, so
/// whoever owns those (the CLI) supplies them here. Every hook is optional.
public struct RunControl {
    /// Called once the model is built, just before the run folder is made (the CLI installs its
    /// signal handlers here: from the folder's creation on, a stop still writes the partial results).
    public var willStart: (() -> Void)?
    /// Called between slices of simulated time (about 100 per run).
    public var progress: ((RunProgress) -> Void)?
    /// Checked between slices; true ends the run early, as an interrupted run.
    public var shouldStop: (() -> Bool)?
    /// Called when the simulation has ended, before anything is written (the CLI stops treating signals
    /// as stop requests and clears its progress line). Returns what stopped an interrupted run
    /// (e.g. "SIGTERM"), recorded as its stop cause.
    public var didSimulate: ((RunReport) -> String?)?

    public init(
        willStart: (() -> Void)? = nil, progress: ((RunProgress) -> Void)? = nil, shouldStop: (() -> Bool)? = nil,
        didSimulate: ((RunReport) -> String?)? = nil
    ) {
        self.willStart = willStart; self.progress = progress; self.shouldStop = shouldStop; self.didSimulate = didSimulate
    }
}

/// How a run that got its folder ended.
public struct RunOutcome: Sendable {
    public var id: RunID
    /// The finished run's folder `<results>/<scenario>/<id>`, or — when writing failed — the
    /// `<id>.partial` folder left with what was written.
    public var directory: URL
    /// The run's summary (also when writing failed: what was computed is never lost).
    public var document: SummaryDocument
    /// complete or interrupted (as simulated), or failed when the results could not be written.
    public var status: RunStatus
    /// Why the results could not be written; nil when they were.
    public var writeError: ReportWriter.Failure?
    /// The folder of an earlier run of the same inputs (the same id) was replaced.
    public var replacedEarlierRun: Bool
    /// Files written, relative to `directory` (empty when writing failed).
    public var files: [String]
    /// Frames that crossed capture ports beyond the limit (counted, not written).
    public var capturesDropped: UInt64
    /// The capture ports that reached their limit (their pcap files end early), in port order.
    public var captureTruncations: [CaptureTruncation] = []
    /// The `running` marker (the partial folder's run.csv) could be written; the folder's name marks it anyway.
    public var markedRunning: Bool
}

/// Runs one `RunSpec`: load → build → run → verdicts → write, into `<results>/<scenario>/<run-id>/`.
///
/// The one code path of every command that runs scenarios (`run`, `bench scenario`, and later
/// `compare`, `sweep`, `plan`). It never prints, installs signal handlers or reads the clock:
/// `RunControl` carries the caller's hooks, and the outcome says what happened.
///
/// The folder: the run is written into `<run-id>.partial/` (a stale one of the same id, left by a
/// killed run, is deleted first) and renamed to `<run-id>/` once complete; an existing `<run-id>/`
/// (the same inputs ran before) is replaced — see `ReportWriter.writeRun`.
public struct RunExecutor: Sendable {
    /// The results root (`Results`).
    public var results: URL
    /// The program recorded with the results.
    public var tool: ToolInfo
    /// A test-only limit on the bytes written (simulates a full disk).
    public var writeBudget: AtomicFile.Budget
    /// How much summary.md and summary.json hold (`--report brief|full`); not part of the run's id (the results are
    /// the same, and the CSVs hold everything in both modes).
    public var reportMode: ReportMode

    public init(results: URL, tool: ToolInfo, writeBudget: AtomicFile.Budget = .init(), reportMode: ReportMode = .brief) {
        self.results = results; self.tool = tool; self.writeBudget = writeBudget; self.reportMode = reportMode
    }

    /// Loads the spec's scenario with its overrides (`path=value`, applied to the YAML before it is decoded; an error
    /// about one is located at its `--set` argument) and applies its duration, warm-up, seed, replication and capture ports.
    public static func load(_ spec: RunSpec) throws(RunSetupError) -> LoadedRun {
        var loaded: LoadedScenario
        do {
            loaded = try ScenarioLoader.load(yaml: spec.scenarioText, file: spec.scenarioPath, overrides: spec.overrides)
        } catch {
            throw .scenario(error.diagnostics)
        }
        if spec.duration != nil || spec.warmup != nil {
            do {
                loaded = try loaded.overriding(duration: spec.duration, warmup: spec.warmup)
            } catch {
                throw .runLength(error)
            }
            // The new length may break a rule the file kept (e.g. the number of samples).
            if let p = loaded.config.validate().first { throw .duration(path: p.path, message: p.message) }
        }
        var config = loaded.config(replication: Int(spec.replication))
        if let seed = spec.seed { config.seed = seed }
        for p in spec.captures {
            // As an entry of the file's `captures`: a pattern or a group's name captures each of its VMs.
            switch loaded.capturePorts(p, in: config) {
            case .success(let ports): config.captures += ports
            case .failure(let d): throw .capture(port: p, message: d.message, fix: d.fix)
            }
        }
        return LoadedRun(spec: spec, id: RunID(spec: spec, seed: config.seed), scenario: loaded, config: config)
    }

    /// Builds the run's model.
    /// - Throws: the model's error if it refuses the configuration.
    public static func build(_ run: LoadedRun) throws -> HostSimulation {
        try HostSimulation(config: run.config)
    }

    /// Runs a built model with the caller's hooks, records the stop cause (`didSimulate`) and
    /// applies the verdicts.
    /// - Throws: `SimulationError` if the run broke an invariant (packet conservation).
    public static func simulate(_ simulation: HostSimulation, control: RunControl = RunControl()) throws -> RunOutput {
        var output = try simulation.run(progress: control.progress, shouldStop: control.shouldStop)
        let cause = control.didSimulate?(output.report)
        if output.report.info.status == .interrupted { output.report.info.stopCause = cause }
        verdicts(&output.report)
        return output
    }

    /// The verdicts step of Studies, before a report is written. Empty: the model judges every run itself
    /// (`RunReport.verdicts`: saturation, steady state, warm-up, samples, drops, a partial run), so a report is
    /// written exactly as the model produced it; judgements that need more than one run belong here.
    public static func verdicts(_ report: inout RunReport) {}

    /// Builds, runs and writes `run` into `<results>/<scenario>/<run.id>/`.
    ///
    /// - Returns: the outcome, also when writing failed (`status` failed, `writeError` set; the
    ///   `.partial` folder stays, its run.csv saying failed and why).
    /// - Throws: the model's error if it cannot be built; `RunFolderError` if the run folder cannot
    ///   be created (nothing was simulated); `SimulationError` if the run broke an invariant (its
    ///   folder is removed: nothing was computed that could be kept).
    public func execute(_ run: LoadedRun, control: RunControl = RunControl()) throws -> RunOutcome {
        let config = run.config
        let simulation = try Self.build(run)
        control.willStart?()
        // The folder before the run: a run whose results cannot be written is refused before it
        // spends any time, instead of failing after it. `<run-id>.partial` until every file is written.
        let folder: ReportWriter.RunFolder
        do {
            folder = try ReportWriter.makeRunDirectory(root: results, scenario: run.scenario.name, runID: run.id.description)
        } catch let e as AtomicFile.WriteError {
            throw RunFolderError(underlying: e)
        }
        let marked = folder.mark(
            RunRecord(
                scenario: config.name, seed: config.seed, replication: config.replication, runID: folder.runID, status: "running",
                simulatedSeconds: 0, requestedSeconds: config.duration.seconds))
        let output: RunOutput
        do {
            output = try Self.simulate(simulation, control: control)
        } catch {
            try? FileManager.default.removeItem(at: folder.partial)
            throw error
        }
        let scenarioInfo = ScenarioInfo(
            name: run.scenario.name, file: run.spec.scenarioPath, description: run.scenario.description, source: run.scenario.source,
            overrides: run.spec.overrides)
        do {
            let written = try ReportWriter.writeRun(
                report: output.report, captures: output.captures, scenario: scenarioInfo, tool: tool, config: config,
                mode: reportMode, into: folder, budget: writeBudget)
            return RunOutcome(
                id: run.id, directory: written.directory, document: written.document, status: output.report.info.status,
                writeError: nil, replacedEarlierRun: written.replacedEarlierRun, files: written.files,
                capturesDropped: output.capturesDropped, captureTruncations: output.captureTruncations, markedRunning: marked)
        } catch {
            let doc = SummaryDocument(tool: tool, scenario: scenarioInfo, report: output.report, runID: folder.runID, mode: reportMode)
            return RunOutcome(
                id: run.id, directory: error.folder, document: doc, status: .failed, writeError: error, replacedEarlierRun: false,
                files: [], capturesDropped: output.capturesDropped, captureTruncations: output.captureTruncations,
                markedRunning: marked)
        }
    }
}
