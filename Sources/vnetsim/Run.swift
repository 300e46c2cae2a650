import ArgumentParser
import Foundation
import Logging
import Models
import Reports
import Scenario
import SimCore

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario and write its reports.",
        discussion: """
            Writes Results/<scenario>/<run-id>/ (summary.md, summary.json, run.csv, tidy CSVs, time \
            series, plot inputs, pcap files) and prints a one-screen summary. The same scenario and \
            seed give byte-identical files. The run is written into <run-id>.partial/ and renamed \
            to <run-id>/ only once every file is on disk, so a folder without .partial is a finished \
            document; its status (summary.json "run", run.csv, summary.md, the terminal) says \
            complete or interrupted, with the simulated time reached and requested.

            SIGINT (Ctrl-C), SIGTERM or SIGHUP stops the run at the next slice of simulated time \
            and still writes the partial, conservation-checked reports (status interrupted); \
            signals during the writing are only counted, so they never cut it short, and a third \
            signal while simulating kills at once (leaving the .partial folder). A signal after \
            the last slice leaves a complete run (exit 0). \
            Exit status: 0 complete; 128 + the signal (130 SIGINT, 143 SIGTERM, 129 SIGHUP) when \
            interrupted; 73 if the results folder cannot be created; 74 if the results cannot be \
            written (the summary is still printed; the .partial folder stays, its run.csv says \
            failed and why); 65 for a scenario error, 64 for a usage error.
            """
    )

    @Argument(help: "Scenario file.", completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String = "Scenarios/quickstart.yaml"

    @Option(name: .long, help: "Override the scenario's seed.")
    var seed: UInt64?

    @Option(name: .long, help: "Replication number (derives independent random streams from the seed).")
    var replication: UInt32 = 0

    @Option(name: .long, help: "Override the simulated duration, e.g. 200ms or 5s.")
    var duration: String?

    @Option(name: .long, help: "Folder for results.")
    var results: String = "Results"

    @Option(
        name: .long,
        help:
            "Capture the frames crossing a port into a pcap file: VM/ADAPTER, VM, host@SWITCH or external@NIC (optionally SWITCH:…). Repeatable."
    )
    var pcap: [String] = []

    @Flag(name: .long, help: "Also draw the plots (runs scripts/plot, which needs gnuplot).")
    var plots = false

    @Flag(name: .long, help: "No progress line and no summary on the terminal; print only the results path.")
    var quiet = false

    @Flag(name: .long, help: "Log the run's steps (loading, building, running, writing) on stderr.")
    var verbose = false

    func validate() throws {
        if results.isEmpty { throw ValidationError("--results: an empty path; give a folder, e.g. --results Results") }
    }

    /// Test-only: `VNETSIM_TEST_FAIL_WRITE_AFTER=N` makes the writes fail with ENOSPC after N bytes,
    /// as on a full disk (used by the end-to-end tests; not a user option).
    static func testWriteLimit() -> Int? {
        ProcessInfo.processInfo.environment["VNETSIM_TEST_FAIL_WRITE_AFTER"].flatMap { Int($0) }
    }

    func run() throws {
        let log = makeLogger(verbose: verbose)
        let loaded = try loadScenario(scenario, duration: duration)
        log.info(
            "loaded \(scenario)",
            metadata: [
                "scenario": "\(loaded.name)", "vms": "\(loaded.config.vms.count)",
                "flows": "\(loaded.config.flows.count)", "duration": "\(loaded.config.duration)",
            ])
        for w in loaded.warnings where !quiet { printStderr(w.description) }
        var config = loaded.config(replication: Int(replication))
        if let seed { config.seed = seed }
        for p in pcap {
            switch ScenarioLoader.capturePort(p, in: config) {
            case .success(let port): config.captures.append(port)
            case .failure(let d): throw ValidationError("--pcap \(p): \(d.message); \(d.fix)")
            }
        }

        let buildStart = WallClock.monotonicSeconds()
        let simulation = try HostSimulation(config: config)
        log.info("built the model", metadata: ["seconds": "\(format3(WallClock.monotonicSeconds() - buildStart))"])
        // Signals first, then the run folder: from its creation on, a stop writes the partial reports.
        let signals = StopSignals.install()
        // The result folder before the run: a run whose results cannot be written is refused before it
        // spends any time, instead of failing after it. `<run-id>.partial` until every file is written.
        let folder: ReportWriter.RunFolder
        do {
            folder = try ReportWriter.makeRunDirectory(root: URL(fileURLWithPath: results), scenario: loaded.name, seed: config.seed)
        } catch {
            printStderr("error: \(error)")
            throw ExitCode(73)  // EX_CANTCREAT
        }
        let requested = config.duration.seconds
        let marked = folder.mark(
            RunRecord(
                scenario: config.name, seed: config.seed, replication: config.replication, status: "running",
                simulatedSeconds: 0, requestedSeconds: requested))
        if !marked { log.warning("cannot write \(folder.partial.path)/run.csv; the folder's name still marks it partial") }
        var progressLine = ProgressLine()
        let showProgress = !quiet && isatty(2) == 1
        let t0 = WallClock.monotonicSeconds()
        var output: RunOutput
        do {
            output = try simulation.run(
                progress: { p in
                    guard showProgress else { return }
                    if let line = progressLine.update(
                        simulated: p.simulatedSeconds, duration: p.durationSeconds,
                        events: p.events, wall: WallClock.monotonicSeconds() - t0)
                    {
                        writeStderr(ProgressLine.redraw(line))
                    }
                },
                shouldStop: { signals.isSet })
        } catch {
            // Nothing was computed that could be kept: do not leave a run folder behind.
            if showProgress { writeStderr(ProgressLine.clear) }
            try? FileManager.default.removeItem(at: folder.partial)
            signals.uninstall()
            throw error
        }
        signals.beginWriting()
        if showProgress { writeStderr(ProgressLine.clear) }
        if output.report.info.status == .interrupted {
            output.report.info.stopCause = signals.signalName
        } else if let name = signals.signalName {
            log.warning("\(name) came after the last slice: the run is complete")
        }
        let runSeconds = WallClock.monotonicSeconds() - t0
        log.info(
            "ran",
            metadata: [
                "seconds": "\(format3(runSeconds))", "events": "\(output.report.info.events)",
                "events_per_s": "\(Int(Double(output.report.info.events) / max(runSeconds, 1e-9)))",
                "fingerprint": "\(output.report.info.fingerprint)",
            ])
        if let name = output.report.info.stopCause {
            log.warning(
                "interrupted by \(name) at \(format3(output.report.info.duration)) s of \(format3(requested)) s simulated: writing the partial results"
            )
        }

        let scenarioInfo = ScenarioInfo(name: loaded.name, file: scenario, description: loaded.description, source: loaded.source)
        let tool = ToolInfo(
            version: VNetSimVersion.string, gitRevision: GitRevision.read(from: URL(fileURLWithPath: scenario).deletingLastPathComponent()))
        let written: ReportWriter.Written
        do {
            written = try ReportWriter.writeRun(
                report: output.report, captures: output.captures, scenario: scenarioInfo, tool: tool, config: config, into: folder,
                budget: AtomicFile.Budget(remaining: Self.testWriteLimit()))
        } catch {
            // What was computed is never lost: the summary still goes to stdout, the cause to stderr.
            signals.uninstall()
            printStderr("error: \(error)")
            if !quiet {
                let doc = SummaryDocument(tool: tool, scenario: scenarioInfo, report: output.report)
                var short = error.code.map { String(cString: strerror($0)) } ?? "see the error above"
                if let path = error.path { short += " (\(URL(fileURLWithPath: path).lastPathComponent))" }
                print(TerminalSummary.render(doc, resultsPath: error.folder.path + " (incomplete)", writeFailure: short))
            }
            throw ExitCode(74)  // EX_IOERR
        }
        signals.uninstall()
        let directory = written.directory
        log.info("wrote results", metadata: ["directory": "\(directory.path)", "files": "\(written.files.count)"])
        if output.capturesDropped > 0 && !quiet {
            printStderr("note: \(output.capturesDropped) captured frames beyond the limit were counted but not written")
        }
        if plots {
            let status = PlotScript.run(directory: directory)
            if status != 0 { printStderr("warning: scripts/plot exited with status \(status); the reports are written") }
        }
        if quiet {
            print(directory.path)
        } else {
            print(TerminalSummary.render(written.document, resultsPath: directory.path))
        }
        // The exit status follows the status: a signal that came after the last slice did not cut the run short.
        if output.report.info.status == .interrupted { throw ExitCode(128 + signals.signalNumber) }
    }
}
