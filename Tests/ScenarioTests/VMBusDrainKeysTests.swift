import Models
import SimCore
import Testing

@testable import Scenario

/// `host: vmbus_drain:` (issue 12 item 4): NetVSP's packet quota and cycle budget, decoded into `VMBusDrainConfig`
/// with its documented defaults, each bad value refused at its line.
@Suite struct VMBusDrainKeysTests {
    /// Line 2 is the host's `vmbus_drain` (one line).
    static func host(_ drain: String?) -> String {
        """
        host:
          \(drain.map { "vmbus_drain: {\($0)}" } ?? "cores: 16")
        nics: [{name: pnic0}]
        switches: [{name: external, type: external, nic: pnic0}]
        vms: [{name: vm}]
        flows: [{from: vm, to: external, pattern: constant, rate: 1Gbps}]

        """
    }

    func load(_ yaml: String) throws -> SimulationConfig { try ScenarioLoader.load(yaml: yaml, file: "t.yaml").config }

    @Test func defaultsAndKeys() throws {
        // Left out: 64 packets and 100,000 cycles, as documented; both keys read, the budget with or without `cycles`.
        #expect(try load(Self.host(nil)).host.vmbusDrain == VMBusDrainConfig(packetQuota: 64, cycleBudget: Cycles(100_000)))
        let doc = ScenarioSchema.vmbusDrain
        #expect(doc.field("packet_quota")?.defaultValue == "64" && doc.field("cycle_budget")?.defaultValue == "100000")
        #expect(
            try load(Self.host("packet_quota: 16, cycle_budget: 20000")).host.vmbusDrain
                == VMBusDrainConfig(packetQuota: 16, cycleBudget: Cycles(20_000)))
        #expect(try load(Self.host("cycle_budget: 5000cycles")).host.vmbusDrain == VMBusDrainConfig(cycleBudget: Cycles(5_000)))
    }

    @Test func badValues() {
        // On line 2 the first key starts at column 17 (`  vmbus_drain: {` is 16 characters), its value at column 31.
        expectOneError(Self.host("packet_quota: 0"), 2, 31, "'packet_quota'")
        expectOneError(Self.host("packet_quota: 65537"), 2, 31, "'packet_quota'")
        expectOneError(Self.host("cycle_budget: 999"), 2, 31, "'cycle_budget' is 999 cycles, below the minimum 1000")
        expectOneError(Self.host("cycle_budget: lots"), 2, 31, "'cycle_budget' must be a number of cycles")
        expectOneError(Self.host("quota: 8"), 2, 17, "unknown key 'quota'")
    }
}
