import ArgumentParser
import Foundation
import Reports
import Scenario
import Studies

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a parameter study: every point of a sweep × replications, with confidence intervals.",
        discussion: """
            The points are the scenario's `sweep:` section and the --sweep options: every combination of the \
            parameters' values (the first varies slowest), those of a zip group varying together, without the points a \
            --where (or `where:`) rules out; each point runs --replications times (the scenario's `replications`). \
            With no parameters, a sweep runs the scenario's replications at its single point.

            Each run is a `vnetsim run` process of its own, --jobs at a time, recorded in the study database the \
            moment it ends; a run that fails or crashes is recorded with its error and the others go on. The study's \
            folder (Results/<scenario>/sweep-<study id>/) holds study.sqlite, runs.csv, metrics.csv (every metric of \
            every run), points.csv (one row per point × metric: mean, sd, CI, replications, verdicts), summary.md, \
            study.json (the definition and provenance), plot-data/ and each run's own folder under runs/. The study id \
            derives from the scenario's text and the study's definition: the same study finds its folder again; \
            --resume completes it without repeating a run, and the tables are byte-identical to an uninterrupted study's.

            Exit status: 0 when every run completed; 1 when some did not (the tables hold the others); 128 + the signal \
            when stopped (SIGINT, SIGTERM: the running runs write their partial results, recorded as interrupted); \
            64 usage, 65 scenario error, 73/74 the folder cannot be created/written; 69 if --plots drew nothing.
            """,
        aliases: ["study"])

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var study: StudyOptions

    @Option(
        name: .customLong("sweep"),
        help: ArgumentHelp(
            "A parameter and its values: PATH=V1,V2,… or a range PATH=FROM..TO/STEP (added) or PATH=FROM..TO*FACTOR (multiplied), units allowed (flows.send.rate=100Mbps..1Gbps/100Mbps). Repeatable; replaces the file's parameter of the same path.",
            valueName: "path=values"))
    var sweeps: [String] = []

    @Option(
        name: .long, help: ArgumentHelp("Parameters that vary together (their lists have one length). Repeatable.", valueName: "path,path"))
    var zip: [String] = []

    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "A condition every point must meet, over swept parameters with units: \"vms.web.count * flows.send.rate <= 10Gbps\" (operators separated by spaces). Repeatable.",
            valueName: "comparison"))
    var constraints: [String] = []

    func run() throws {
        try study.validate(runOptions)
        let loaded = try runOptions.load()
        let request = StudyRequest(
            kind: .sweep, base: loaded.spec, parameters: try parseAxes(sweeps, option: "--sweep"),
            zips: zip.map { z in
                z.split(separator: ",").map {
                    LocatedText(String($0).trimmingCharacters(in: .whitespaces), at: argumentLocation("--zip", z))
                }
            },
            constraints: constraints.map { LocatedText($0, at: argumentLocation("--where", $0)) }, replications: study.replications)
        let metrics = try study.metricReferences()
        try StudyDriver.runStudy(request, loaded: loaded, options: study, watching: metrics) { try $0.writeSweep(metrics: metrics) }
    }
}
