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
        #expect(field?.summary.contains("--warmup") == true && field?.summary.contains("refuses") == true)
    }

    @Test func anExplicitWarmupIsKeptAndLocated() throws {
        let s = try load("duration: 200ms\nwarmup: 150ms\n" + Self.base)
        #expect(s.config.warmup == .milliseconds(150))
        #expect(s.warmupLocation == SourceLocation(file: "t.yaml", line: 2, column: 9))
        let tooLong = ScenarioLoader.diagnose(yaml: "duration: 50ms\nwarmup: 50ms\n" + Self.base, file: "t.yaml").1
        #expect(tooLong.first?.description.contains("e.g. warmup: 5ms, or remove it for the default") == true, "\(tooLong)")
    }

    @Test func aDurationOverrideRecomputesTheDefault() throws {
        // The file runs 2s with the default 100ms; cut to 200ms the default is 20ms, lengthened to 5s 100ms.
        let s = try load("duration: 2s\n" + Self.base)
        #expect(try s.overriding(duration: .milliseconds(200)).config.warmup == .milliseconds(20))
        #expect(try s.overriding(duration: .milliseconds(100)).config.warmup == .milliseconds(10))
        #expect(try s.overriding(duration: .seconds(5)).config.warmup == .milliseconds(100))
        #expect(try s.overriding(duration: .milliseconds(200)).warnings.isEmpty)
        // shortened(to:), the tests' quick look, follows the same rule.
        #expect(s.shortened(to: .milliseconds(200)).config.warmup == .milliseconds(20))
    }

    @Test func aDurationOverrideNotLongerThanAnExplicitWarmupIsRefused() throws {
        let s = try load("duration: 200ms\nwarmup: 20ms\n" + Self.base)
        for d in [SimTime.milliseconds(10), .milliseconds(20)] {
            #expect(throws: RunLengthError.self) { try s.overriding(duration: d) }
        }
        do {
            _ = try s.overriding(duration: .milliseconds(10))
        } catch {
            #expect(!error.warmupOverridden && error.durationOverridden)
            #expect(
                error.message
                    == "--duration 10ms is not longer than the scenario's warm-up (warmup: 20ms at t.yaml:2:9), and an explicit warm-up is never shortened"
            )
            #expect(
                error.fix == "pass a warm-up for the shorter run too, e.g. --duration 10ms --warmup 1ms, or a --duration longer than 20ms")
        }
        // With a warm-up that fits, it runs.
        let both = try s.overriding(duration: .milliseconds(10), warmup: .milliseconds(1))
        #expect(both.config.duration == .milliseconds(10) && both.config.warmup == .milliseconds(1) && both.warnings.isEmpty)
    }

    @Test func aKeptWarmupLongerThanWhatIsMeasuredIsAWarning() throws {
        // 25ms with the file's 20ms warm-up measures 5ms: kept, and said so at the file's warmup.
        let s = try load("duration: 200ms\nwarmup: 20ms\n" + Self.base)
        let short = try s.overriding(duration: .milliseconds(25))
        #expect(short.config.duration == .milliseconds(25) && short.config.warmup == .milliseconds(20))
        #expect(
            short.warnings.map(\.description) == [
                "t.yaml:2:9: warning: with --duration 25ms the run measures only 5ms, after this warm-up of 20ms; "
                    + "pass a shorter warm-up too, e.g. --warmup 2500us, or a --duration of at least 40ms"
            ])
        // 40ms measures as long as it warms up: no warning; nor when the warm-up is given too.
        #expect(try s.overriding(duration: .milliseconds(40)).warnings.isEmpty)
        #expect(try s.overriding(duration: .milliseconds(25), warmup: .milliseconds(20)).warnings.isEmpty)
    }

    @Test func aWarmupOverrideReplacesTheFilesOrTheDefault() throws {
        let explicit = try load("duration: 200ms\nwarmup: 20ms\n" + Self.base)
        let byDefault = try load("duration: 200ms\n" + Self.base)
        for s in [explicit, byDefault] {
            #expect(try s.overriding(warmup: .milliseconds(50)).config.warmup == .milliseconds(50))
            #expect(try s.overriding(warmup: .zero).config.warmup == .zero)
            #expect(try s.overriding(warmup: .milliseconds(50)).config.duration == .milliseconds(200))
        }
        do {
            _ = try byDefault.overriding(warmup: .milliseconds(200))
            Issue.record("a warm-up as long as the run was accepted")
        } catch {
            #expect(error.message == "--warmup 200ms is not shorter than the scenario's duration, 200ms, so nothing would be measured")
            #expect(error.fix == "pass a --warmup shorter than 200ms, e.g. --warmup 20ms, or a --duration longer than 200ms")
        }
        do {
            _ = try byDefault.overriding(duration: .milliseconds(30), warmup: .milliseconds(50))
            Issue.record("a warm-up longer than the run was accepted")
        } catch {
            #expect(error.message == "--warmup 50ms is not shorter than --duration 30ms, so nothing would be measured")
        }
    }
}
