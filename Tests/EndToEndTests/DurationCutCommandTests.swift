import Foundation
import Testing

/// What a shorter `--duration` leaves out is said on stderr, one line per kind, at the file's line; and `bench
/// scenario` prints the scenario's warnings as `run` does.
@Suite("Scenario warnings of run and bench scenario")
struct DurationCutCommandTests {
    static let scenario = """
        duration: 100ms
        switches: [{name: lan, type: private}]
        vms: [{name: a}, {name: b}]
        flows:
          - {name: now, from: a, to: b, pattern: constant, rate: 10Mbps}
          - {name: late, from: b, to: a, pattern: constant, rate: 10Mbps, start: 50ms}
        timeline:
          - {at: 60ms, stop_flow: now}

        """

    static let flowWarning =
        "cut.yaml:6:74: warning: with --duration 10ms, flow 'late' (start 50ms) starts at or after the end of the run, so it never starts; "
        + "pass a --duration longer than 50ms to run it, or start it earlier\n"
    static let timelineWarning =
        "cut.yaml:8:10: warning: with --duration 10ms, the timeline action stop_flow now at 60ms is after the end of the run, "
        + "so it does not happen; pass a --duration of at least 60ms to run it, or move it earlier\n"

    func withScenario(_ yaml: String, _ body: (URL) throws -> Void) throws {
        let dir = try CLI.temporaryDirectory(prefix: "vnetsim-duration-cut")
        defer { try? FileManager.default.removeItem(at: dir) }
        try yaml.write(to: dir.appendingPathComponent("cut.yaml"), atomically: true, encoding: .utf8)
        try body(dir)
    }

    @Test func aShorterDurationSaysWhatItLeavesOut() throws {
        try withScenario(Self.scenario) { dir in
            for quiet in [false, true] {
                let r = try CLI.run(
                    ["run", "cut.yaml", "--duration", "10ms", "--results", "R"] + (quiet ? ["--quiet"] : []), in: dir)
                #expect(r.status == 0, "\(r.stderr)")
                #expect(r.stderr.hasPrefix(Self.flowWarning + Self.timelineWarning), "\(r.stderr)")
            }
            // The file's own duration cuts nothing: nothing said.
            let own = try CLI.run(["run", "cut.yaml", "--results", "R", "--quiet"], in: dir)
            #expect(own.status == 0 && own.stderr.isEmpty, "\(own.stderr)")
        }
    }

    @Test func benchScenarioPrintsTheScenariosWarnings() throws {
        try withScenario(Self.scenario) { dir in
            let r = try CLI.run(["bench", "scenario", "cut.yaml", "--duration", "10ms"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.hasPrefix(Self.flowWarning + Self.timelineWarning), "\(r.stderr)")
            #expect(r.stdout.hasPrefix("bench scenario=cut packets="), "\(r.stdout)")
        }
        // A warning of the file itself, too.
        try withScenario("duration: 1ms\nswitches: [{name: lan, type: private}]\nvms: [{name: a}]\n") { dir in
            let r = try CLI.run(["bench", "scenario", "cut.yaml"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.hasPrefix("cut.yaml:1:1: warning: the scenario has no flows, so nothing will be measured; "), "\(r.stderr)")
        }
    }
}
