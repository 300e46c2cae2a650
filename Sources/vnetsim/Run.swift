import ArgumentParser
import Foundation
import Logging
import Models
import Reports
import Scenario
import SimCore
import Studies

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario and write its reports.",
        discussion: """
            Writes Results/<scenario>/<run-id>/ (summary.md, summary.json, run.csv, tidy CSVs, time \
            series, plot inputs, pcap files) and prints a one-screen summary. The run id, e.g. \
            seed1-r0-3f2a0c5e9b7d1e44, is derived from the run's inputs (the scenario's text, the \
            seed, the replication, --duration, --warmup and --pcap), never from the clock: the same inputs \
            give the same id and byte-identical files. Running the same inputs again replaces the \
            earlier results of that run (a note says so); change an input, or copy the folder \
            aside, to keep both. The run is written into <run-id>.partial/ and renamed \
            to <run-id>/ only once every file is on disk, so a folder without .partial is a finished \
            document; its status (summary.json "run", run.csv, summary.md, the terminal) says \
            complete or interrupted, with the simulated time reached and requested.

            The warm-up (results exclude it) is the scenario's warmup, or by default the smaller \
            of 100ms and a tenth of the duration. --duration recomputes the default for the new \
            duration, keeps a warmup the scenario sets (a warning says when it leaves less time to \
            measure than itself) and refuses one that is not shorter than the new duration; \
            --warmup replaces either. A shorter --duration changes nothing else: a flow that starts at or \
            after the new end never starts, and timeline actions after it do not happen (a warning says \
            which, at the line of the file).

            SIGINT (Ctrl-C), SIGTERM or SIGHUP stops the run at the next slice of simulated time \
            and still writes the partial, conservation-checked reports (status interrupted); \
            signals during the writing are only counted, so they never cut it short, and a third \
            signal while simulating kills at once (leaving the .partial folder). A signal after \
            the last slice leaves a complete run (exit 0). \
            Exit status: 0 complete; 128 + the signal (130 SIGINT, 143 SIGTERM, 129 SIGHUP) when \
            interrupted; 73 if the results folder cannot be created; 74 if the results cannot be \
            written (the summary is still printed; the .partial folder stays, its run.csv says \
            failed and why); 69 if --plots drew no plots (gnuplot or the plot script is missing, \
            or it failed: a warning says which; the results are written); 65 for a scenario \
            error, 64 for a usage error.

            Without FILE, runs the shipped Scenarios/quickstart.yaml installed with vnetsim (or \
            of the source checkout it was built in), from any directory.
            """
    )

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: "Folder for results.")
    var results: String = "Results"

    @Flag(
        name: .long,
        help: """
            Also draw the plots (PNGs beside summary.md, by the plot script installed with vnetsim; needs gnuplot). \
            If none can be drawn, a warning says why and the exit status is 69 (the results are written).
            """)
    var plots = false

    @Flag(
        name: .long,
        help: "No progress line, summary or notes on the terminal: only the results path on stdout, and warnings and errors on stderr.")
    var quiet = false

    @Flag(name: .long, help: "Log the run's steps (loading, building, running, writing) on stderr.")
    var verbose = false

    /// A run of a study (StudyRunner): its replication may lie beyond the file's `replications` (`--replications N`,
    /// independent streams), which a user's `run` refuses.
    @Flag(name: .customLong("study-run"), help: .hidden)
    var studyRun = false

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
        // Parse, then hand the run to Studies: load → build → run → verdicts → write.
        let scenario = options.scenario
        let loaded = try options.load()
        // `replications: N` asks for N runs; `run` makes one of them, and says so.
        let replications = loaded.scenario.replications
        if Int(options.replication) >= replications && !studyRun {
            throw usageError(
                "--replication \(options.replication): the scenario has \(replications) replication\(replications == 1 ? "" : "s") (0…\(replications - 1)); "
                    + "give one of those, or raise it with --set replications=\(options.replication + 1)")
        }
        if replications > 1 && !quiet && !studyRun {
            printStderr(
                "note: the scenario asks for \(replications) replications; run runs replication \(options.replication) only — "
                    + "`vnetsim sweep \(scenario)` runs all \(replications), with confidence intervals")
        }
        log.info(
            "loaded \(scenario)",
            metadata: [
                "scenario": "\(loaded.scenario.name)", "vms": "\(loaded.config.vms.count)",
                "flows": "\(loaded.config.flows.count)", "duration": "\(loaded.config.duration)", "run_id": "\(loaded.id)",
            ])

        let tool = ToolInfo(
            version: VNetSimVersion.string, gitRevision: GitRevision.read(from: URL(fileURLWithPath: scenario).deletingLastPathComponent()))
        let executor = RunExecutor(
            results: URL(fileURLWithPath: results), tool: tool, writeBudget: AtomicFile.Budget(remaining: Self.testWriteLimit()),
            reportMode: options.report)
        let requested = loaded.config.duration.seconds
        var signals: StopSignals?
        var progressLine = ProgressLine()
        let showProgress = !quiet && isatty(2) == 1
        let buildStart = WallClock.monotonicSeconds()
        var t0 = 0.0
        // A run of a study (StudyRunner) ends with its study: once the study's process is gone (kill -9), nothing would
        // record this run, so it stops at the next slice, leaving its .partial folder (the study's --resume runs it again).
        let studyParent = ProcessInfo.processInfo.environment[StudyRunner.parentVariable].flatMap { Int32($0) }
        let control = RunControl(
            willStart: {
                log.info("built the model", metadata: ["seconds": "\(format3(WallClock.monotonicSeconds() - buildStart))"])
                // Signals first, then the run folder: from its creation on, a stop writes the partial reports.
                signals = StopSignals.install()
                t0 = WallClock.monotonicSeconds()
            },
            progress: { p in
                if let studyParent, getppid() != studyParent { _exit(70) }
                guard showProgress else { return }
                if let line = progressLine.update(
                    simulated: p.simulatedSeconds, duration: p.durationSeconds, events: p.events, wall: WallClock.monotonicSeconds() - t0)
                {
                    writeStderr(ProgressLine.redraw(line))
                }
            },
            shouldStop: { signals?.isSet ?? false },
            didSimulate: { report in
                signals?.beginWriting()
                if showProgress { writeStderr(ProgressLine.clear) }
                let runSeconds = WallClock.monotonicSeconds() - t0
                log.info(
                    "ran",
                    metadata: [
                        "seconds": "\(format3(runSeconds))", "events": "\(report.info.events)",
                        "events_per_s": "\(Int(Double(report.info.events) / max(runSeconds, 1e-9)))",
                        "fingerprint": "\(report.info.fingerprint)",
                    ])
                let name = signals?.signalName
                if report.info.status == .interrupted, let name {
                    log.warning(
                        "interrupted by \(name) at \(format3(report.info.duration)) s of \(format3(requested)) s simulated: writing the partial results"
                    )
                } else if let name {
                    log.warning("\(name) came after the last slice: the run is complete")
                }
                return name
            })

        let outcome: RunOutcome
        do {
            outcome = try executor.execute(loaded, control: control)
        } catch let e as RunFolderError {
            signals?.uninstall()
            printStderr("error: \(e)")
            throw ExitCode(73)  // EX_CANTCREAT
        } catch {
            // Nothing was computed that could be kept (Studies removed the run folder).
            if showProgress { writeStderr(ProgressLine.clear) }
            signals?.uninstall()
            throw error
        }
        signals?.uninstall()
        // A capture cut short is said even with --quiet: its pcap file ends before the run does.
        for t in outcome.captureTruncations {
            printStderr(Self.captureWarning(t, limit: loaded.config.maxCapturedFrames, requested: requested))
        }
        if !outcome.markedRunning {
            log.warning("cannot write the run.csv of \(outcome.id).partial; the folder's name still marks it partial")
        }
        if let failure = outcome.writeError {
            // What was computed is never lost: the summary still goes to stdout, the cause to stderr.
            printStderr("error: \(failure)")
            if !quiet {
                var short = failure.code.map { String(cString: strerror($0)) } ?? "see the error above"
                if let path = failure.path { short += " (\(URL(fileURLWithPath: path).lastPathComponent))" }
                print(TerminalSummary.render(outcome.document, resultsPath: failure.folder.path + " (incomplete)", writeFailure: short))
            }
            throw ExitCode(74)  // EX_IOERR
        }
        let directory = outcome.directory
        log.info("wrote results", metadata: ["directory": "\(directory.path)", "files": "\(outcome.files.count)"])
        if !quiet {
            if outcome.replacedEarlierRun { printStderr("note: replaced the earlier results of the same run (\(outcome.id))") }
        }
        // A user who asked for plots and got none learns it from the exit status too (after the summary).
        let plotsFailed = plots && !PlotScript.run(directory: directory, quiet: quiet)
        if quiet {
            print(directory.path)
        } else {
            print(TerminalSummary.render(outcome.document, resultsPath: directory.path))
        }
        // The exit status follows the status: a signal that came after the last slice did not cut the run short.
        if outcome.status == .interrupted { throw ExitCode(128 + (signals?.signalNumber ?? 0)) }
        if plotsFailed { throw ExitCode(PlotScript.unavailable) }
    }

    /// The warning for a capture port that stopped keeping frames before the end of the run.
    static func captureWarning(_ t: CaptureTruncation, limit: Int, requested: Double) -> String {
        let when = "at \(format6(t.stoppedAt.seconds)) s of \(format3(requested)) s simulated"
        let kept = "\(t.kept) frames kept, \(t.dropped) later frames counted but not written"
        if t.byTotalLimit {
            return "warning: capture port \(t.port) stopped \(when): all capture ports together reached "
                + "\(ConfigurationLimits.capturedFrames) frames (the memory limit); \(kept); capture fewer ports or run shorter"
        }
        return "warning: capture port \(t.port) reached max_captured_frames (\(limit)) \(when): \(kept); "
            + "raise max_captured_frames (at most \(ConfigurationLimits.capturedFrames)) or run shorter"
    }
}
