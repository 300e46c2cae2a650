import Foundation
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
        // The unit parser's scaling once overflowed Int128 (a trap, exit 132) on these.
        ("duration: 1e-39s\n", 1, 11, "minimum 1ps"),
        ("duration: 999999999999999999999999999999h\n", 1, 11, "at most 9223372036854775807ps"),
        ("duration: 1e39s\n", 1, 11, "too large"),
        ("duration: 1e400s\n", 1, 11, "too large"),
        ("- a\n- b\n", 1, 1, "mapping"),
        // 10^10 pps of 1500 B is 120 Tb/s: the bit rate has the same 10 Tb/s cap as 'rate'.
        (topology + "flows: [{from: a, to: b, pattern: constant, packet_rate: 1e10pps, size: 1500B}]\n", 3, 58, "833333333pps"),
        // Distributions that validated, then trapped when a sample left Int or SimTime (exit 132).
        (
            topology + "flows: [{from: a, to: b, pattern: constant, rate: 1Gbps, size: {lognormal: {mu: 1000, sigma: 1}}}]\n", 3, 64,
            "infinite"
        ),
        (
            topology + "flows: [{from: a, to: b, pattern: constant, rate: 1Gbps, size: {exponential: 9223372036854775807B}}]\n", 3, 64,
            "1MiB"
        ),
        (
            topology
                + "flows: [{from: a, to: b, pattern: request_response, response_size: 100B, think_time: {pareto: {shape: 1e-9, scale: 1ms}}}]\n",
            3, 86, "99th percentile"
        ),
        (
            topology + "flows: [{from: a, to: b, pattern: on_off, rate: 1Gbps, on: 1ms, off: {lognormal: {mu: 100, sigma: 1}}}]\n", 3, 70,
            "1000000s"
        ),
        (
            topology + "flows: [{from: a, to: b, pattern: poisson, rate: 1Gbps, size: {uniform: [0B, 9223372036854775807B]}}]\n", 3, 63,
            "1MiB"
        ),
        (topology + "flows: [{from: a, to: b, pattern: poisson, rate: 1bps, size: 1MiB}]\n", 3, 50, "at least 39bps"),
        // 10^15 cycles at 1 MHz failed a precondition in the cycles → time conversion.
        (
            "host: {clock: 1MHz, costs: {vswitch: 1e15}}\n" + topology, 1, 38,
            "'vswitch' is 1e15 cycles, above the maximum 1000000000 cycles"
        ),
        ("host: {costs: {vswitch: {per_byte: 1e7}}}\n" + topology, 1, 36, "maximum 10000 cycles/B"),
        // Times near Int64.max ps validated, then overflowed (or hung) once added to the clock.
        ("nics: [{name: n, propagation_delay: 9223372036854775807ps}]\n", 1, 37, "maximum 10s"),
        ("nics: [{name: n, coalescing: {max_delay: 9223372036854775807ps}}]\n", 1, 42, "maximum 10s"),
        ("sample_interval: 9223372036854775807ps\n", 1, 18, "maximum 1000000s"),
        ("duration: 9223372036854775807ps\n", 1, 11, "maximum 1000000s"),
        ("duration: 1000000s\n", 1, 11, "limit of 10000000"),
        ("socket_backlog_limit: 9223372036854775807ps\n", 1, 23, "maximum 1000000s"),
        // A bulk window of 10^12 B made the sender create ~7·10^8 packets in one event (a hang).
        (topology + "flows: [{from: a, to: b, pattern: bulk, window: 1000000000000B}]\n", 3, 49, "maximum 1GiB"),
        // A VM name becomes part of a capture file's name (VM_ADAPTER.pcap): at most 100 characters.
        ("switches: [{name: s, type: private}]\nvms: [{name: " + String(repeating: "v", count: 101) + "}]\n", 2, 14, "limit of 100"),
        // A 256-character name cannot become Results/NAME/ (ENAMETOOLONG, once reported as "Permission denied").
        ("name: " + String(repeating: "n", count: 256) + "\n", 1, 7, "at most 200 characters"),
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

    /// Scaling is exact for every decimal the parser accepts: no overflow, right rounding.
    @Test func unitScalingNeverOverflows() throws {
        #expect(try UnitParser.parse("1.23456789012345678901234567890h", as: .duration).get() == 4_444_444_404_444_444)
        #expect(try UnitParser.parse("1e-39us", as: .duration).get() == 0)
        #expect(try UnitParser.parse("0.5ps", as: .duration).get() == 1)
        #expect(try UnitParser.parse("0.49999999999999999999999999ps", as: .duration).get() == 0)
        #expect(try UnitParser.parse("9223372036854775807ps", as: .duration).get() == Int64.max)
        #expect(try UnitParser.parse("9223372036.854775807ms", as: .duration).get() == Int64.max)
        for text in ["9223372036854775808ps", "1e39s", "999999999999999999999999999999h", "1e1000GiB"] {
            guard case .failure(let e) = UnitParser.parse(text, as: text.hasSuffix("B") ? .byteCount : .duration) else {
                Issue.record("\(text) parsed"); continue
            }
            #expect(e.message.contains("too large"), "\(text): \(e.message)")
        }
        guard case .failure(let e) = UnitParser.parse("1e-39B", as: .byteCount) else { Issue.record("1e-39B parsed"); return }
        #expect(e.message.contains("not a whole number"))
    }

    @Test func timelineAtATinyTimeValidates() {
        let (_, diagnostics) = ScenarioLoader.diagnose(
            yaml: Self.topology + "flows: [{name: f, from: a, to: b, pattern: constant, rate: 1Mbps}]\n"
                + "timeline: [{at: 1e-39µs, stop_flow: f}]\n", file: "tiny.yaml")
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.description))")
    }

    @Test func loadingADirectoryOrAnUnreadableFileSaysSo() throws {
        #expect(throws: ScenarioErrors.self) { try ScenarioLoader.load(path: repositoryRoot.appendingPathComponent("Scenarios").path) }
        do {
            _ = try ScenarioLoader.load(path: repositoryRoot.appendingPathComponent("Scenarios").path)
        } catch {
            #expect(error.diagnostics.first?.message.contains("directory") == true)
            #expect(error.diagnostics.first?.fix.contains("quickstart.yaml") == true)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vnetsim-hostile-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let latin1 = dir.appendingPathComponent("latin1.yaml")
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0xE9, 0x0A]).write(to: latin1)
        do {
            _ = try ScenarioLoader.load(path: latin1.path)
        } catch {
            #expect(error.diagnostics.first?.message.contains("not UTF-8") == true, "\(error.diagnostics)")
        }
        if getuid() != 0 {  // root reads any file
            let locked = dir.appendingPathComponent("locked.yaml")
            try "duration: 1s\n".write(to: locked, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
            do {
                _ = try ScenarioLoader.load(path: locked.path)
            } catch {
                #expect(error.diagnostics.first?.message.contains("permission denied") == true, "\(error.diagnostics)")
            }
        }
    }
}
