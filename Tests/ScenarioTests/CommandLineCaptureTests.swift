import Models
import SimCore
import Testing

@testable import Scenario

/// `--pcap PORT` names ports as an entry of the file's `captures` does: a pattern or a `count` group's name is each
/// of its VMs' ports, and a name that misses a group gets the same suggestion as in the file.
@Suite struct CommandLineCaptureTests {
    static let scenario = """
        nics: [{name: pnic0, link_rate: 10Gbps}]
        switches: [{name: external, type: external, nic: pnic0, host_vnic: true}]
        vms:
          - name: vm
            count: 16
          - name: web[1-8]
            adapters: [{name: eth0, switch: external}, {name: eth1, switch: external}]
        flows: [{from: vm1, to: external, pattern: constant, rate: 10Mbps}]

        """

    func load() throws -> LoadedScenario { try ScenarioLoader.load(yaml: Self.scenario, file: "t.yaml") }

    func ports(_ text: String) throws -> [CapturePort] {
        let s = try load()
        return try s.capturePorts(text, in: s.config).get()
    }

    func failure(_ text: String) throws -> String? {
        let s = try load()
        if case .failure(let d) = s.capturePorts(text, in: s.config) { return d.description }
        return nil
    }

    /// What the file's `captures: [TEXT]` captures.
    func captured(_ entry: String) throws -> [CapturePort] {
        try ScenarioLoader.load(yaml: Self.scenario + "captures: [\(entry)]\n", file: "t.yaml").config.captures
    }

    @Test func aGroupsNameOrPatternCapturesEachOfItsVMs() throws {
        let group = try ports("vm")
        #expect(group.count == 16)
        #expect(group.first == CapturePort(switch: "external", endpoint: .vm("vm1", adapter: "eth0")))
        #expect(group.last == CapturePort(switch: "external", endpoint: .vm("vm16", adapter: "eth0")))
        #expect(try ports("vm/eth0") == group)
        #expect(try ports("vm[1-16]") == group)
        #expect(try ports("web[1-8]/eth1").map(\.endpoint) == (1...8).map { .vm("web\($0)", adapter: "eth1") })
        #expect(try ports("external:vm[3-4]") == [3, 4].map { CapturePort(switch: "external", endpoint: .vm("vm\($0)", adapter: "eth0")) })
        // Exactly what the same entry captures in the file.
        for entry in ["vm", "vm/eth0", "\"vm[2-5]\"", "\"web[1-8]/eth1\"", "vm7", "host", "external@pnic0"] {
            let text = entry.replacingOccurrences(of: "\"", with: "")
            #expect(try ports(text) == captured(entry), "\(entry)")
        }
    }

    @Test func aNameThatMissesAGroupSaysWhichGroup() throws {
        #expect(try failure("vms") == "--pcap:1:1: error: no VM named 'vms'; did you mean 'vm' (the group vm1 … vm16)?")
        #expect(
            try failure("vm17")
                == "--pcap:1:1: error: no VM named 'vm17'; the group 'vm' is vm1 … vm16 (16 VMs): name one of them, or 'vm' for all")
        #expect(
            try failure("web")
                == "--pcap:1:1: error: no VM named 'web'; the group 'web[1-8]' is web1 … web8: write 'web[1-8]' for all 8, or name one, e.g. 'web1'"
        )
        #expect(try failure("vm/eth9") == "--pcap:1:1: error: VM 'vm1' has no adapter 'eth9'; did you mean 'vm1/eth0'?")
    }

    @Test func aPortIsNeverReadAsYAML() throws {
        // Quotes, backslashes and YAML escapes are part of the name, which then names no VM.
        #expect(try failure("vm\"1")?.hasPrefix("--pcap:1:1: error: no VM named 'vm\"1'") == true)
        #expect(try failure("\\u0076m1")?.hasPrefix("--pcap:1:1: error: no VM named '\\u0076m1'") == true)
        #expect(try failure("")?.hasPrefix("--pcap:1:1: error: an empty port; write e.g.") == true)
    }
}
