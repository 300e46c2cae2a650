import Scenario
import Testing

/// Inputs that once crashed the loader or would have hung a run: each must come back as
/// a located error, never a trap.
@Suite("Hostile input")
struct HostileInputTests {
    static let topology = "switches: [{name: s, type: private}]\nvms: [{name: a}, {name: b}]\n"

    @Test(arguments: [
        ("seed: 18446744073709551616\n", 1, 7, "whole number between 0 and"),
        ("seed: 1e300\n", 1, 7, "whole number between 0 and"),
        (topology + "flows: [{from: a, to: b, pattern: constant, packet_rate: 1000000000000000pps, size: 1MiB}]\n", 3, 58, "10Gpps"),
        (topology + "flows: [{from: a, to: b, pattern: constant, rate: 9000000000000000000bps}]\n", 3, 51, "10Tbps"),
        ("nics: [{name: n, link_rate: 20Tbps}]\n", 1, 29, "10Tbps"),
        ("duration: 99999999h\n", 1, 11, "too large"),
        ("- a\n- b\n", 1, 1, "mapping"),
    ])
    func locatedErrorInsteadOfATrap(yaml: String, line: Int, column: Int, fixContains: String) {
        let (_, diagnostics) = ScenarioLoader.diagnose(yaml: yaml, file: "hostile.yaml")
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(!errors.isEmpty)
        let hit = errors.first { $0.location.line == line && $0.location.column == column }
        #expect(hit != nil, "no error at \(line):\(column); got \(errors.map(\.description))")
        #expect(hit.map { ($0.message + " " + $0.fix).contains(fixContains) } == true, "\(hit?.description ?? "")")
    }

    @Test func gigapacketsPerSecondIsAUnit() {
        let (_, diagnostics) = ScenarioLoader.diagnose(
            yaml: Self.topology + "flows: [{from: a, to: b, pattern: constant, packet_rate: 1Gpps, size: 64B}]\n", file: "gpps.yaml")
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.description))")
    }
}
