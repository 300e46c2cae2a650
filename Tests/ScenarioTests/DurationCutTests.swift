import Models
import SimCore
import Testing

@testable import Scenario

/// A `--duration` shorter than the file's changes nothing else, and says what it leaves out: a flow that starts at or
/// after the new end never starts (its start is kept, not moved to 0), and timeline actions after the end do not
/// happen — one warning line for each kind, at the line of the first.
@Suite struct DurationCutTests {
    static let yaml = """
        duration: 1s
        switches: [{name: s1, type: private}, {name: s2, type: private}]
        vms: [{name: a, adapters: [{switch: s1}]}, {name: b, adapters: [{switch: s1}]}, {name: c, adapters: [{switch: s2}]}]
        flows:
          - {name: early, from: a, to: b, pattern: constant, rate: 10Mbps}
          - {name: late, from: a, to: b, pattern: constant, rate: 10Mbps, start: 300ms, stop: 600ms}
          - {name: later, from: b, to: a, pattern: constant, rate: 10Mbps, start: 500ms}
        timeline:
          - {at: 50ms, stop_flow: early}
          - {at: 200ms, detach: b}
          - {at: 400ms, attach: a/eth0, switch: s2}
          - {at: 700ms, start_flow: early}

        """

    func load() throws -> LoadedScenario { try ScenarioLoader.load(yaml: Self.yaml, file: "t.yaml") }

    @Test func aFlowThatStartsAfterTheNewEndKeepsItsStartAndIsNamed() throws {
        let s = try load().overriding(duration: .milliseconds(400))
        #expect(s.config.flows.map(\.start) == [.zero, .milliseconds(300), .milliseconds(500)])
        #expect(s.config.flows[2].stop == nil && s.config.flows[1].stop == .milliseconds(600))
        #expect(s.config.validate().isEmpty)
        #expect(
            s.warnings.first?.description
                == "t.yaml:7:75: warning: with --duration 400ms, flow 'later' (start 500ms) starts at or after the end of the run, "
                + "so it never starts; pass a --duration longer than 500ms to run it, or start it earlier")
        let shorter = try load().overriding(duration: .milliseconds(300))
        #expect(
            shorter.warnings.first?.description
                == "t.yaml:6:74: warning: with --duration 300ms, 2 flows start at or after the end of the run, so they never start: "
                + "'late' (start 300ms), 'later' (start 500ms); pass a --duration longer than 500ms to run them, or start them earlier")
    }

    @Test func aFlowThatNeverStartsSendsNothing() throws {
        let s = try load().overriding(duration: .milliseconds(20))
        let output = try HostSimulation(config: s.config).run()
        func sent(_ flow: String) -> [Double] {
            output.report.metrics.filter { $0.kind == .flow && $0.entity == flow && $0.metric == "sent_packets" }.map(\.value)
        }
        #expect(sent("early").count == 1 && sent("early")[0] > 0)
        // Before, both were moved to start at 0 and sent for the whole run.
        #expect(sent("late") == [0] && sent("later") == [0], "\(sent("late")) \(sent("later"))")
        #expect(output.report.conservation.holds)
    }

    @Test func aFlowTheTimelineStartsWithinTheRunIsNotNamed() throws {
        // 'later' starts at 500ms by itself, but the timeline starts it at 100ms: it does start in a 400ms run.
        let yaml = Self.yaml.replacingOccurrences(of: "  - {at: 50ms, stop_flow: early}\n", with: "  - {at: 100ms, start_flow: later}\n")
        let s = try ScenarioLoader.load(yaml: yaml, file: "t.yaml").overriding(duration: .milliseconds(400))
        #expect(s.warnings.allSatisfy { !$0.message.contains("never start") }, "\(s.warnings)")
        #expect(s.warnings.count == 1)  // the actions after 400ms
    }

    @Test func timelineActionsAfterTheNewEndAreOneWarning() throws {
        let s = try load().overriding(duration: .milliseconds(100))
        // The move stays, at the end (a flow may need the switch it moves to); the others are gone.
        #expect(s.config.timeline.map(\.at) == [.milliseconds(50), .milliseconds(100)])
        #expect(s.config.timeline.last?.action == .attachAdapter(vm: "a", adapter: "eth0", switch: "s2"))
        #expect(
            s.warnings.map(\.description).last
                == "t.yaml:10:10: warning: with --duration 100ms, 3 timeline actions are after the end of the run, so they do not happen: "
                + "detach b/eth0 at 200ms, attach a/eth0 to switch s2 at 400ms, start_flow early at 700ms "
                + "(a move to another switch is made at the end, 100ms, instead); "
                + "pass a --duration of at least 700ms to run them, or move them earlier")
        let one = try load().overriding(duration: .milliseconds(650))
        #expect(
            one.warnings.map(\.description)
                == [
                    "t.yaml:12:10: warning: with --duration 650ms, the timeline action start_flow early at 700ms is after the end of the run, "
                        + "so it does not happen; pass a --duration of at least 700ms to run it, or move it earlier"
                ])
    }

    @Test func nothingCutNothingSaid() throws {
        for d in [SimTime.milliseconds(700), .seconds(1), .seconds(2)] {
            let s = try load().overriding(duration: d)
            #expect(s.warnings.isEmpty, "\(d): \(s.warnings)")
            #expect(s.config.timeline.count == 4 && s.config.flows.map(\.start) == [.zero, .milliseconds(300), .milliseconds(500)])
        }
        // A warm-up override alone cuts nothing.
        #expect(try load().overriding(warmup: .milliseconds(5)).warnings.isEmpty)
    }
}
