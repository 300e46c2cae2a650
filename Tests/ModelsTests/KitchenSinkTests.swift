import Models
import SimCore
import Stochastics
import Testing

/// Every feature at once, briefly: the run must conserve packets and be reproducible.
@Suite struct KitchenSinkTests {
    static func config() -> SimulationConfig {
        var jumbo = AdapterConfig(name: "eth1", switch: "int", channels: 4, offloads: Offloads(lso: false, checksum: false, mtu: 9000))
        jumbo.costOverrides = [.vspRx: CostModel(fixed: 3_000, perByte: 1.2, source: "test")]
        return SimulationConfig(
            name: "kitchen-sink", seed: 3, duration: .milliseconds(40), warmup: .milliseconds(5),
            sampleInterval: .milliseconds(1),
            host: HostConfig(cores: 12, rootCores: [0, 1, 2], vcpuPlacement: .shared),
            nics: [NICConfig(name: "pnic0", linkRate: .gigabits(1), vmq: false, lso: false)],
            switches: [
                SwitchConfig(name: "ext", kind: .external(nic: "pnic0"), hostVNIC: true),
                SwitchConfig(name: "int", kind: .internal),
                SwitchConfig(name: "priv", kind: .private, portQueuePackets: 16),
            ],
            vms: [
                VMConfig(
                    name: "a", vcpus: 4,
                    adapters: [
                        AdapterConfig(name: "eth0", switch: "ext"), jumbo,
                        AdapterConfig(name: "eth2", switch: "priv"),
                    ]),
                VMConfig(
                    name: "b", vcpus: 2,
                    adapters: [
                        AdapterConfig(name: "eth0", switch: "int", offloads: Offloads(mtu: 9000)),
                        AdapterConfig(name: "eth2", switch: "priv", ringBytes: 16 * 1024),
                    ]),
                VMConfig(
                    name: "legacy", vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "ext")],
                    costOverrides: [.guestStackRx: CostModel(fixed: 4_000, source: "test")]),
            ],
            flows: [
                FlowConfig(
                    name: "bulk-int", from: .vm("a", adapter: "eth1"), to: .vm("b"), transport: .tcp, pattern: .bulk(window: .kibibytes(64))
                ),
                FlowConfig(
                    name: "poisson-priv", from: .vm("b", adapter: "eth2"), to: .vm("a", adapter: "eth2"),
                    pattern: .poisson(rate: .gigabits(3)), size: .distribution(.uniform(min: 64, max: 9000))),
                FlowConfig(
                    name: "onoff-out", from: .vm("a"), to: .external(nic: "pnic0"),
                    pattern: .onOff(rate: .gigabits(2), on: .exponential(mean: 0.002), off: .exponential(mean: 0.002))),
                FlowConfig(
                    name: "rr-host", from: .host(switch: "ext"), to: .vm("legacy"), transport: .tcp,
                    pattern: .requestResponse(responseBytes: 3000, thinkTime: .exponential(mean: 0.0001)), size: .fixed(100)),
                FlowConfig(
                    name: "in-host", from: .external(nic: "pnic0"), to: .host(switch: "ext"), pattern: .constant(rate: .megabits(300))),
                FlowConfig(
                    name: "legacy-out", from: .vm("legacy"), to: .external(nic: "pnic0"), transport: .tcp,
                    pattern: .bulk(window: .kibibytes(32), ackEvery: 2), start: .milliseconds(10), stop: .milliseconds(30)),
                FlowConfig(
                    name: "host-int", from: .host(switch: "int"), to: .vm("b"), pattern: .constant(rate: .megabits(500)),
                    size: .fixed(20_000)),
            ],
            timeline: [
                TimelineAction(at: .milliseconds(15), .detachAdapter(vm: "b", adapter: "eth2")),
                TimelineAction(at: .milliseconds(25), .attachAdapter(vm: "b", adapter: "eth2")),
                TimelineAction(at: .milliseconds(20), .stopFlow("onoff-out")),
            ],
            captures: [
                CapturePort(switch: "ext", endpoint: .external(nic: "pnic0")), CapturePort(switch: "int", endpoint: .host(switch: "int")),
            ],
            maxCapturedFrames: 500)
    }

    @Test func everythingConservesAndRepeats() throws {
        #expect(Self.config().validate().isEmpty, "\(Self.config().validate())")
        let a = try runConfig(Self.config()), b = try runConfig(Self.config())
        #expect(a.report == b.report)
        #expect(a.captures == b.captures)
        let r = a.report
        #expect(r.conservation.holds)
        for flow in ["bulk-int", "poisson-priv", "onoff-out", "rr-host", "in-host", "legacy-out", "host-int"] {
            #expect(try r.metric(.flow, flow, "delivered_packets") > 0, "\(flow) delivered nothing")
        }
        #expect(try r.metric(.flow, "rr-host", "transactions") > 0)
        #expect(try r.metric(.host, "host", "drops.detached") > 0)
        #expect(try r.metric(.core, "core3", "cpu_utilization") > 0)  // a shared non-root core
        #expect(try r.metric(.component, "checksum", "guest_cycles") > 0)  // eth1 has checksum offload off
        #expect(!a.captures.isEmpty)
    }
}
