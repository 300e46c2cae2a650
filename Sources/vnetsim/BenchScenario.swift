import ArgumentParser
import Foundation
import Models
import Scenario
import SimCore
import Studies

struct BenchScenario: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run a scenario without writing results and print one benchmark line.",
        discussion: """
            Prints exactly one line:
              bench scenario=NAME packets=P events=E wall_s=X packets_per_s=Y events_per_packet=Z peak_rss_mib=M
            packets = packets that completed their path (delivered); wall_s = the event loop only \
            (building the model and its report are not timed); peak_rss_mib = the process's peak resident memory. \
            Takes the scenario options of run (the same load, build and run, through Studies), and writes nothing; \
            the scenario's warnings go to stderr, as with run.
            """
    )

    @OptionGroup var options: RunOptions

    func run() throws {
        // The same path as `run` (Studies), minus the writing.
        let loaded = try options.load()
        let simulation = try RunExecutor.build(loaded)
        // The loop's end is the last progress call (at the end of simulated time); building the
        // report after it is not timed.
        var loopEnd = 0.0
        let t0 = WallClock.monotonicSeconds()
        let output = try RunExecutor.simulate(
            simulation, control: RunControl(progress: { p in if p.fraction >= 1 { loopEnd = WallClock.monotonicSeconds() } }))
        let wall = (loopEnd > 0 ? loopEnd : WallClock.monotonicSeconds()) - t0
        let packets = output.report.conservation.delivered
        let events = output.report.info.events
        let perPacket = packets > 0 ? Double(events) / Double(packets) : 0
        printStderr(
            "# simulated_s=\(format6(output.report.info.duration)) created=\(output.report.conservation.created) fingerprint=\(output.report.info.fingerprint)"
        )
        print(
            "bench scenario=\(loaded.scenario.name) packets=\(packets) events=\(events) wall_s=\(format6(wall)) "
                + "packets_per_s=\(Int((Double(packets) / wall).rounded())) events_per_packet=\(format3(perPacket)) "
                + "peak_rss_mib=\(format3(WallClock.peakRSSMiB()))")
    }
}
