import ArgumentParser
import Foundation
import Reports
import Scenario
import Studies

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run variants of a scenario side by side, with common random numbers, and their paired differences.",
        discussion: """
            The variants are the scenario's `compare:` section or --vary PATH=V1,V2,… (several --vary vary together, \
            variant by variant); the first is the baseline. Every variant runs the same replications with the same \
            random streams for the same components (common random numbers), so each difference and ratio is paired by \
            replication and its confidence interval is narrower than that of independent runs (--independent-streams \
            gives each variant streams of its own, to see by how much).

            Prints throughput, host CPU (root, hypervisor, guest), cycles per packet and per byte, exits, interrupts and \
            signals per packet, and each flow's goodput and latency percentiles, side by side, with the difference and \
            ratio to the baseline and their confidence intervals; writes comparison.csv, summary.md and the bar plots' \
            data into the study folder (Results/<scenario>/compare-<study id>/), beside what every study writes (see \
            `vnetsim sweep --help`). Exit status as for sweep.
            """)

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var study: StudyOptions

    @Option(
        name: .customLong("vary"),
        help: ArgumentHelp(
            "A parameter and its value in each variant: PATH=V1,V2,… (vms.guest.adapters.eth0.type=synthetic,emulated). Repeatable: the parameters vary together.",
            valueName: "path=values"))
    var vary: [String] = []

    @Flag(name: .long, help: "Give each variant random streams of its own instead of common random numbers.")
    var independentStreams = false

    func run() throws {
        try study.validate(runOptions)
        let loaded = try runOptions.load()
        let request = StudyRequest(
            kind: .compare, base: loaded.spec, parameters: try parseAxes(vary, option: "--vary"), replications: study.replications,
            independentStreams: independentStreams)
        let chosen = study.metrics.isEmpty ? nil : try study.metricReferences()
        try StudyDriver.runStudy(request, loaded: loaded, options: study, watching: chosen ?? MetricReference.headline) {
            try $0.writeComparison(metrics: chosen)
        }
    }
}
