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
            Writes Results/<scenario>/<run-id>/ (summary.md, summary.json, tidy CSVs, time series, \
            plot inputs, pcap files) and prints a one-screen summary. The same scenario and seed \
            give a byte-identical summary.json. Ctrl-C stops the run early and still writes the \
            (partial, conservation-checked) reports.
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
        // The result directory first: a run whose results cannot be written is refused before it
        // spends any time, instead of failing after it.
        let directory = try ReportWriter.makeRunDirectory(root: URL(fileURLWithPath: results), scenario: loaded.name, seed: config.seed)
        log.info("built the model", metadata: ["seconds": "\(format3(WallClock.monotonicSeconds() - buildStart))"])
        let interrupt = InterruptFlag.install()
        var progressLine = ProgressLine()
        let showProgress = !quiet && isatty(2) == 1
        let t0 = WallClock.monotonicSeconds()
        let output: RunOutput
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
                shouldStop: { interrupt.isSet })
        } catch {
            // Nothing was computed that could be kept: do not leave an empty run directory behind.
            if showProgress { writeStderr(ProgressLine.clear) }
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        if showProgress { writeStderr(ProgressLine.clear) }
        interrupt.uninstall()
        let runSeconds = WallClock.monotonicSeconds() - t0
        log.info(
            "ran",
            metadata: [
                "seconds": "\(format3(runSeconds))", "events": "\(output.report.info.events)",
                "events_per_s": "\(Int(Double(output.report.info.events) / max(runSeconds, 1e-9)))",
                "fingerprint": "\(output.report.info.fingerprint)",
            ])
        if interrupt.wasSet { log.warning("interrupted: writing the partial results") }

        let written = try ReportWriter.write(
            report: output.report, captures: output.captures,
            scenario: ScenarioInfo(name: loaded.name, file: scenario, description: loaded.description, source: loaded.source),
            tool: ToolInfo(
                version: VNetSimVersion.string,
                gitRevision: GitRevision.read(from: URL(fileURLWithPath: scenario).deletingLastPathComponent())),
            config: config, to: directory)
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
        if interrupt.wasSet { throw ExitCode(130) }
    }
}
