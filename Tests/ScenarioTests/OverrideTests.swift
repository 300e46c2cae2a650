import Models
import SimCore
import Testing

@testable import Scenario

/// `--set path=value`: applied to the YAML tree before decoding, so an overridden value is checked as if the file said
/// it, and every problem names the `--set` argument.
@Suite struct OverrideTests {
    static let yaml = """
        name: t
        seed: 1
        duration: 200ms
        host: {cores: 8, clock: 3GHz, root_cores: [0, 1]}
        nics: [{name: pnic0, link_rate: 10Gbps}]
        switches: [{name: external, type: external, nic: pnic0}]
        vms:
          - {name: web, count: 4, vcpus: 2, adapters: [{name: eth0, type: synthetic, switch: external}]}
          - name: vm[01-08]
            vcpus: 1
            adapters: [{name: eth0, type: synthetic, switch: external}]
        flows:
          - {name: send, from: web1, to: external@pnic0, pattern: constant, rate: 1Gbps, size: 1460B}
          - {name: back, from: external@pnic0, to: vm01, pattern: constant, rate: 1Gbps, size: 1460B}

        """

    func load(_ overrides: String...) throws(ScenarioErrors) -> SimulationConfig {
        try ScenarioLoader.load(yaml: Self.yaml, file: "t.yaml", overrides: overrides).config
    }

    /// The one error of loading with `overrides`, as printed.
    func error(_ overrides: String...) -> String? {
        do {
            _ = try ScenarioLoader.load(yaml: Self.yaml, file: "t.yaml", overrides: overrides)
            return nil
        } catch {
            return error.diagnostics.map(\.description).joined(separator: "\n")
        }
    }

    @Test func topLevelKeys() throws {
        let c = try load("duration=2s", "seed=7")
        #expect(c.duration == .seconds(2))
        #expect(c.seed == 7)
        // Without overrides nothing changes.
        let plain = try load()
        #expect(plain.duration == .milliseconds(200) && plain.seed == 1)
    }

    @Test func nestedMappingKeys() throws {
        let c = try load("host.cores=16", "host.clock=2.5GHz", "host.root_cores=[0, 1, 2]")
        #expect(c.host.cores == 16)
        #expect(c.host.clock == ClockRate(hertz: 2_500_000_000))
        #expect(c.host.rootCores == [0, 1, 2])
    }

    @Test func listEntriesByNameAsWritten() throws {
        let c = try load(
            "vms.web.count=32", "vms.web.vcpus=4", "vms.vm[01-08].vcpus=3", "flows.send.rate=200Mbps", "nics.pnic0.link_rate=25Gbps")
        #expect(c.vms.filter { $0.name.hasPrefix("web") }.count == 32)
        #expect(c.vms.filter { $0.name.hasPrefix("web") }.allSatisfy { $0.vcpus == 4 })
        #expect(c.vms.filter { $0.name.hasPrefix("vm") }.allSatisfy { $0.vcpus == 3 })
        #expect(c.flows.first { $0.name == "send" }?.pattern == .constant(rate: DataRate(bitsPerSecond: 200_000_000)))
        #expect(c.nics[0].linkRate == DataRate(bitsPerSecond: 25_000_000_000))
    }

    @Test func listEntriesByIndex() throws {
        let c = try load("flows.1.rate=300Mbps")
        #expect(c.flows.first { $0.name == "back" }?.pattern == .constant(rate: DataRate(bitsPerSecond: 300_000_000)))
    }

    @Test func aKeyTheSchemaKnowsMayBeAdded() throws {
        let c = try load("nics.pnic0.vmq=false", "warmup=5ms", "host.vcpu_placement=shared")
        #expect(c.nics[0].vmq == false)
        #expect(c.warmup == .milliseconds(5))
        #expect(c.host.vcpuPlacement == .shared)
    }

    @Test func laterOverridesWin() throws {
        #expect(try load("duration=2s", "duration=3s").duration == .seconds(3))
    }

    @Test func unknownKeysAndNamesGetADidYouMean() {
        #expect(error("host.core=16") == "--set host.core=16: error: unknown key 'core' in host; did you mean 'cores'?")
        #expect(error("vms.webb.count=32") == "--set vms.webb.count=32: error: no VM named 'webb'; did you mean 'web'?")
        #expect(error("flows.sendd.rate=1Gbps") == "--set flows.sendd.rate=1Gbps: error: no flow named 'sendd'; did you mean 'send'?")
        #expect(error("durration=2s") == "--set durration=2s: error: unknown key 'durration' in the scenario; did you mean 'duration'?")
        #expect(
            error("flows.5.rate=1Gbps")
                == "--set flows.5.rate=1Gbps: error: 'flows' has 2 entries, so there is no index 5; use an index from 0 to 1, or the entry's name"
        )
        #expect(
            error("duration")
                == "--set duration: error: not of the form path=value; write e.g. '--set duration=2s' or '--set vms.web.count=32'")
        #expect(error("host.cores.x=1")?.hasPrefix("--set host.cores.x=1: error: 'host.cores' is a single value") == true)
    }

    @Test func aDecoderErrorOnAnOverriddenValueNamesTheArgument() {
        #expect(
            error("duration=2 parsecs")
                == "--set duration=2 parsecs: error: 'duration': unknown unit 'parsecs' in '2 parsecs'; use one of ps, ns, us, µs, ms, s, min, h, e.g. '2s', '500ms', '1.5us'"
        )
        #expect(
            error("vms.web.vcpus=abc")
                == "--set vms.web.vcpus=abc: error: 'vcpus' must be a whole number, not 'abc'; write a whole number between 1 and 64")
        // Inside a flow list: the item, at the argument.
        #expect(error("host.root_cores=[0, x]")?.hasPrefix("--set host.root_cores=[0, x]: error: ") == true)
    }

    @Test func everyBadOverrideIsReported() {
        #expect(error("host.core=1", "vms.webb.count=2")?.split(separator: "\n").count == 2)
    }
}
