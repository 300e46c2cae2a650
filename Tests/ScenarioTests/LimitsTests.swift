import Foundation
import Models
import Testing

@testable import Scenario

/// Limits on a scenario's total size (docs/scenarios.md, "Limits"): each is refused with a located error that
/// names the limit, early enough that validating an oversized file stays fast.
@Suite("Limits")
struct LimitsTests {
    static let lan = "switches: [{name: s, type: private}]\n"

    static func errors(_ yaml: String) -> [Diagnostic] {
        ScenarioLoader.diagnose(yaml: yaml, file: "limits.yaml").1.filter { $0.severity == .error }
    }

    static func expectError(_ yaml: String, line: Int, says: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let e = errors(yaml)
        let hit = e.first { $0.location.line == line && ($0.message + " " + $0.fix).contains(says) }
        #expect(
            hit != nil, "no error at line \(line) saying '\(says)'; got \(e.prefix(5).map(\.description))", sourceLocation: sourceLocation)
    }

    @Test func vmsAdaptersVCPUsAndChannels() {
        // count: 100000 on one group once took 43 s and 3.9 GiB for 20 ms simulated.
        Self.expectError(Self.lan + "vms: [{name: vm, count: 100000}]\n", line: 2, says: "100000 VMs in all, more than the limit of 4096")
        Self.expectError(Self.lan + "vms: [{name: \"a[1-4000]\"}, {name: \"b[1-97]\"}]\n", line: 2, says: "4097 VMs")
        Self.expectError(
            Self.lan + "vms: [{name: vm, count: 257, vcpus: 64}]\n", line: 2, says: "16448 vCPUs in all, more than the limit of 16384")
        Self.expectError(
            Self.lan + "vms: [{name: vm, count: 300, adapters: [{switch: s, channels: 64}]}]\n", line: 2,
            says: "19200 VMBus channels")
        let nine = (0..<3).map { "{name: e\($0), switch: s}" }.joined(separator: ", ")
        Self.expectError(Self.lan + "vms: [{name: vm, count: 2731, adapters: [\(nine)]}]\n", line: 2, says: "8193 adapters")
        // At the limit is fine.
        #expect(Self.errors(Self.lan + "vms: [{name: vm, count: 4096}]\n").isEmpty)
    }

    @Test func flowsSwitchesAndTimeline() {
        let vms = Self.lan + "vms: [{name: \"v[1-2049]\"}, {name: x}]\n"
        Self.expectError(
            vms + "flows:\n  - {name: out, from: \"v[1-2049]\", to: x, pattern: constant, rate: 1Mbps}\n"
                + "  - {name: back, from: x, to: \"v[1-2049]\", pattern: constant, rate: 1Mbps}\n",
            line: 5, says: "4098 flows in all, more than the limit of 4096")
        let switches = "switches:\n" + (0...256).map { "  - {name: s\($0), type: private}\n" }.joined()
        Self.expectError(switches, line: 258, says: "switch 257, more than the limit of 256")
        let timeline =
            Self.lan + "vms: [{name: \"v[1-4000]\"}, {name: x}]\n"
            + "flows: [{name: g, from: \"v[1-4000]\", to: x, pattern: constant, rate: 1Mbps}]\ntimeline:\n"
            + (1...3).map { "  - {at: \($0)ms, stop_flow: g}\n" }.joined()
        Self.expectError(timeline, line: 7, says: "12000 timeline actions in all, more than the limit of 10000")
    }

    @Test func seriesPointsAndCapturedFrames() {
        // max_series_points: 10000000 once aborted on allocation (a reserve of the maximum per series).
        Self.expectError("max_series_points: 10000000\n", line: 1, says: "between 2 and 100000")
        Self.expectError("max_captured_frames: 100000000\n", line: 1, says: "between 0 and 1000000")
        var c = SimulationConfig()
        c.maxSeriesPoints = 100_001
        c.maxCapturedFrames = 1_000_001
        let paths = c.validate().map(\.path)
        #expect(paths.contains("max_series_points") && paths.contains("max_captured_frames"))
    }

    @Test func totalOfferedPacketRate() {
        // Each flow offers 10^9 packets/s (10^9 × 64 B × 8 = 512 Gb/s, under the 10 Tb/s flow cap); two exceed 10^9 in all.
        let yaml =
            Self.lan + "vms: [{name: a}, {name: b}]\nflows:\n"
            + "  - {from: a, to: b, pattern: constant, packet_rate: 1Gpps, size: 64B}\n"
            + "  - {from: b, to: a, pattern: poisson, packet_rate: 1Gpps, size: 64B}\n"
        Self.expectError(yaml, line: 5, says: "more than the limit of 10^9 packets/s")
    }

    @Test func fileSize() {
        let big = "# " + String(repeating: "x", count: 4 << 20) + "\n"
        Self.expectError(big, line: 1, says: "more than the limit of 4194304 bytes")
    }

    @Test func suggestionsAreBounded() {
        // Beyond the first maxCandidates names, and for very long words, there is no did-you-mean.
        let many = (0..<Suggestions.maxCandidates).map { "n\($0)" } + ["target"]
        #expect(Suggestions.closest(to: "targt", among: many) == nil)
        #expect(Suggestions.closest(to: "targt", among: ["target"]) == "target")
        let long = String(repeating: "a", count: Suggestions.maxWordLength + 1)
        #expect(Suggestions.closest(to: long, among: [long + "b"]) == nil)
        // After maxSuggestedErrors errors, references get a plain fix (no search over every name).
        let refs = (0...ScenarioDecoder.maxSuggestedErrors).map {
            "  - {from: vm\($0 + 1)x, to: vm1, pattern: constant, rate: 1Mbps}\n"
        }.joined()
        let e = Self.errors(Self.lan + "vms: [{name: vm, count: 200}]\nflows:\n" + refs)
        #expect(e.count == ScenarioDecoder.maxSuggestedErrors + 1)
        #expect(e.first?.fix.contains("did you mean") == true)
        #expect(e.last?.fix.contains("did you mean") == false)
    }
}
