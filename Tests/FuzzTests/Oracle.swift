import Foundation
import Models
import Reports
import Scenario
import SimCore

/// What every scenario text must give: a located error, or a valid short run whose packet
/// conservation holds and whose reports render — and either within a couple of seconds.
enum Oracle {
    enum Verdict: Equatable {
        /// Rejected with this many diagnostics, each with a place, a message and a fix.
        case locatedError(Int)
        /// Accepted, run for the short duration (this many events) with conservation holding.
        case ran(UInt64)
        /// A bug: what went wrong.
        case finding(String)
    }

    struct Outcome {
        var verdict: Verdict
        var seconds: Double
        var isFinding: Bool { if case .finding = verdict { return true } else { return false } }
    }

    /// Checks one text: `ScenarioLoader.load(yaml:file:)`, then (if it loads) the scenario cut to
    /// `duration` is built, run, conservation-checked and its reports rendered in memory.
    static func check(
        yaml: String, file: String = "mutant.yaml", duration: SimTime = .milliseconds(1), slowSeconds: Double = FuzzSettings.slowSeconds
    ) -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        // The run gets a third of the limit and is then stopped, as a signal would stop it: an
        // interrupted run is a valid outcome (its conservation and reports are still checked), so a
        // heavy but bounded scenario (10 Tb/s offered to one VM) is not a finding. What cannot be
        // stopped — validation, the build, the reports, or a run that does not notice the stop
        // request — still has to fit in `slowSeconds`.
        let deadline = start + .milliseconds(Int(slowSeconds * 1000 / 3))
        var verdict = run(yaml: yaml, file: file, duration: duration, shouldStop: { clock.now > deadline })
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if !isFinding(verdict), seconds > slowSeconds {
            verdict = .finding(
                "slow: validation, the build, a \(duration.picoseconds / 1_000_000_000) ms run stopped after \(slowSeconds / 3) s "
                    + "and the reports took \(String(format: "%.2f", seconds)) s (> \(slowSeconds) s), an unbounded input")
        }
        return Outcome(verdict: verdict, seconds: seconds)
    }

    static func isFinding(_ v: Verdict) -> Bool { if case .finding = v { return true } else { return false } }

    /// Problems of a diagnostic that cannot be acted on: no place, no message or no fix.
    static func unlocated(_ d: Diagnostic, file: String) -> String? {
        var problems: [String] = []
        if d.location.file != file { problems.append("file '\(d.location.file)' is not '\(file)'") }
        if d.location.line < 1 { problems.append("line \(d.location.line) < 1") }
        if d.location.column < 1 { problems.append("column \(d.location.column) < 1") }
        if d.message.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("empty message") }
        if d.fix.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("empty fix") }
        // The CLI writes diagnostics as C strings: a NUL cuts the line there and the fix is lost.
        if (d.message + d.fix).unicodeScalars.contains("\u{0}") { problems.append("a NUL in the text (the CLI prints the line cut there)") }
        return problems.isEmpty ? nil : "diagnostic '\(d.description.prefix(300))': " + problems.joined(separator: ", ")
    }

    private static func run(yaml: String, file: String, duration: SimTime, shouldStop: @escaping () -> Bool) -> Verdict {
        let loaded: LoadedScenario
        do {
            loaded = try ScenarioLoader.load(yaml: yaml, file: file)
        } catch {
            if error.diagnostics.isEmpty { return .finding("ScenarioErrors with no diagnostic") }
            if !error.diagnostics.contains(where: { $0.severity == .error }) { return .finding("ScenarioErrors with warnings only") }
            for d in error.diagnostics { if let p = unlocated(d, file: file) { return .finding(p) } }
            return .locatedError(error.diagnostics.count)
        }
        for w in loaded.warnings { if let p = unlocated(w, file: file) { return .finding("warning " + p) } }
        let short = loaded.shortened(to: duration)
        let output: RunOutput
        do {
            let simulation = try HostSimulation(config: short.config)
            output = try simulation.run(shouldStop: shouldStop)
        } catch {
            return .finding("a validated scenario failed to build or run: \(String(describing: error).prefix(2000))")
        }
        let c = output.report.conservation
        if !c.holds {
            return .finding(
                "conservation does not hold: created \(c.created), delivered \(c.delivered), dropped \(c.dropped), in flight \(c.inFlight)")
        }
        // The reports, rendered in memory as the CLI writes them.
        do {
            let doc = SummaryDocument(
                tool: ToolInfo(version: "fuzz", gitRevision: "0"),
                scenario: ScenarioInfo(name: short.name, file: file, description: short.description, source: short.source),
                report: output.report)
            _ = try doc.json()
            _ = MarkdownReport.render(doc)
            _ = TerminalSummary.render(doc, resultsPath: "Results/fuzz")
            _ = CSVReports.metrics(output.report).text
            _ = CSVReports.conservation(output.report).text
            _ = CSVReports.costs(output.report).text
            _ = CSVReports.latency(output.report).text
            _ = CSVReports.latencyCDF(output.report).text
            _ = CSVReports.timeSeries(output.report).text
            _ = PlotData.files(output.report, adapterTypes: ReportWriter.adapterTypes(short.config))
            if !output.captures.isEmpty { _ = PcapWriter.file(of: output.captures) }
        } catch {
            return .finding("the reports failed to render: \(error)")
        }
        return .ran(output.report.info.events)
    }
}
