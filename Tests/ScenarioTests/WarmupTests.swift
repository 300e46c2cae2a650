import Models
import SimCore
import Testing

@testable import Scenario

/// The warm-up is explicit: the default is the documented rule, applied exactly, and an override of the
/// duration or the warm-up never changes a warm-up the file sets without saying so.
@Suite struct WarmupTests {
    static let base = """
        switches: [{name: lan, type: private}]
        vms: [{name: a}, {name: b}]
        flows: [{from: a, to: b, pattern: constant, rate: 1Gbps}]

        """

    func load(_ yaml: String) throws -> LoadedScenario { try ScenarioLoader.load(yaml: yaml, file: "t.yaml") }

    @Test func theDefaultIsTheSmallerOf100msAndATenthOfTheDuration() throws {
        // Docs: "the smaller of 100ms and a tenth of `duration`": 100ms → 10ms, 200ms → 20ms (not 100ms),
        // 500ms → 50ms, 1s and longer → 100ms; 15ps → 1ps (rounded down), 5ps → 0.
        let expected: [(String, SimTime)] = [
            ("100ms", .milliseconds(10)), ("200ms", .milliseconds(20)), ("500ms", .milliseconds(50)),
            ("999ms", SimTime(picoseconds: 99_900_000_000)), ("1s", .milliseconds(100)), ("2s", .milliseconds(100)),
            ("15ps", SimTime(picoseconds: 1)), ("5ps", .zero),
        ]
        for (duration, warmup) in expected {
            let s = try load("duration: \(duration)\n" + Self.base)
            #expect(s.config.warmup == warmup, "duration \(duration)")
            #expect(ScenarioLoader.defaultWarmup(for: s.config.duration) == warmup, "duration \(duration)")
            #expect(s.warmupLocation == nil)
        }
        #expect(try load("duration: 200ms\n" + Self.base).overview.hasSuffix("200ms (warm-up 20ms), seed 1"))
    }

    @Test func theSchemaTableStatesTheRule() {
        let field = ScenarioSchema.top.field("warmup")
        #expect(field?.defaultValue == "the smaller of 100ms and a tenth of `duration`")
    }

    @Test func aDurationOverrideRecomputesTheDefault() throws {
        // The file runs 2s with the default 100ms; cut to 200ms the default is 20ms, lengthened to 5s 100ms.
        let s = try load("duration: 2s\n" + Self.base)
        #expect(s.shortened(to: .milliseconds(200)).config.warmup == .milliseconds(20))
        #expect(s.shortened(to: .milliseconds(100)).config.warmup == .milliseconds(10))
        #expect(s.shortened(to: .seconds(5)).config.warmup == .milliseconds(100))
    }
}
