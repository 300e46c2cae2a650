import SimCore
import Stochastics

/// Ready-made configurations, constructible from Swift (the benchmark and the tests use them
/// before any YAML exists; the Scenarios/*.yaml files describe the same setups).
public enum ReferenceConfigs {
    /// The benchmark: 64 VMs with one synthetic adapter each on one host, an external switch on a
    /// 10 GbE NIC with VMQ, full load both ways. Each VM sends 160 Mb/s of 1,460-B UDP messages to
    /// the external peer (10.24 Gb/s offered: the link saturates and the NIC queue tail-drops) and
    /// receives 140 Mb/s from it (8.96 Gb/s of payload, 94 % of the inbound wire).
    public static func reference64VM(duration: SimTime = .seconds(2), warmup: SimTime = .milliseconds(100)) -> SimulationConfig {
        var vms: [VMConfig] = []
        var flows: [FlowConfig] = []
        for i in 0..<64 {
            let name = "vm\(i < 10 ? "0" : "")\(i)"
            vms.append(VMConfig(name: name, vcpus: 2, adapters: [AdapterConfig(name: "eth0", switch: "external")]))
            flows.append(
                FlowConfig(
                    name: "\(name)-out", from: .vm(name), to: .external(nic: "pnic0"),
                    pattern: .constant(rate: .megabits(160)), size: .fixed(1460)))
            flows.append(
                FlowConfig(
                    name: "\(name)-in", from: .external(nic: "pnic0"), to: .vm(name),
                    pattern: .constant(rate: .megabits(140)), size: .fixed(1460)))
        }
        return SimulationConfig(
            name: "reference-64vm", seed: 1, duration: duration, warmup: warmup, sampleInterval: .milliseconds(10),
            host: HostConfig(cores: 32, clock: .gigahertz(3.0), rootCores: Array(0..<8)),
            nics: [NICConfig(name: "pnic0", linkRate: .gigabits(10), queueCores: Array(1..<8))],
            switches: [SwitchConfig(name: "external", kind: .external(nic: "pnic0"))],
            vms: vms, flows: flows)
    }

    /// Quickstart: one VM with a synthetic adapter sending 1 Gb/s of UDP to the external peer over 10 GbE,
    /// plus a request/response flow from the peer.
    public static func quickstart(duration: SimTime = .milliseconds(500)) -> SimulationConfig {
        SimulationConfig(
            name: "quickstart", duration: duration, warmup: SimTime(picoseconds: duration.picoseconds / 10),
            host: HostConfig(cores: 8, rootCores: [0, 1]),
            nics: [NICConfig(name: "pnic0")],
            switches: [SwitchConfig(name: "external", kind: .external(nic: "pnic0"))],
            vms: [VMConfig(name: "web1")],
            flows: [
                FlowConfig(name: "web1-out", from: .vm("web1"), to: .external(nic: "pnic0"), pattern: .constant(rate: .gigabits(1))),
                FlowConfig(
                    name: "rr", from: .external(nic: "pnic0"), to: .vm("web1"), transport: .tcp,
                    pattern: .requestResponse(responseBytes: 4096), size: .fixed(200)),
            ])
    }

    /// The same VM and flow with an emulated (legacy) or a synthetic adapter: bulk TCP to the external peer.
    public static func adapterComparison(_ kind: AdapterKind, duration: SimTime = .milliseconds(500)) -> SimulationConfig {
        SimulationConfig(
            name: "adapter-comparison-\(kind.rawValue)", duration: duration, warmup: SimTime(picoseconds: duration.picoseconds / 10),
            host: HostConfig(cores: 8, rootCores: [0, 1]),
            nics: [NICConfig(name: "pnic0")],
            switches: [SwitchConfig(name: "external", kind: .external(nic: "pnic0"))],
            vms: [VMConfig(name: "app", vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: kind, switch: "external")])],
            flows: [
                FlowConfig(
                    name: "bulk", from: .vm("app"), to: .external(nic: "pnic0"), transport: .tcp,
                    pattern: .bulk(window: .kibibytes(256), ackEvery: 2), size: .fixed(1460))
            ])
    }

    /// Scenarios/virtual-server-64vm.yaml: a Virtual Server host with four internal networks, each with a DHCP server
    /// (10.11–14.0.0/24, lease 1 h), 64 single-CPU VMs with emulated adapters (clients `cN-k` and servers `sN-k`, k =
    /// 1…8, on network N) and 32 bulk TCP transfers cN-k → sN-k, 64 KiB window. `moves` adds timeline actions that
    /// move c1-1 to net2 and back at those times (each a DHCP exchange: INIT-REBOOT, NAK, DISCOVER … ACK).
    public static func virtualServer64VM(
        duration: SimTime = .seconds(1), warmup: SimTime = .milliseconds(100), moves: [SimTime] = []
    ) -> SimulationConfig {
        var networks: [SwitchConfig] = []
        var vms: [VMConfig] = []
        var flows: [FlowConfig] = []
        for n in 1...4 {
            let dhcp = DHCPServerConfig(
                enabled: true, network: UInt32(10) << 24 | UInt32(10 + n) << 16, prefixLength: 24, lease: .seconds(3600),
                renewal: .seconds(1800), rebinding: .seconds(2700))
            networks.append(.virtualNetwork(name: "net\(n)", dhcp: dhcp))
            for role in ["c", "s"] {
                for k in 1...8 {
                    vms.append(
                        VMConfig(
                            name: "\(role)\(n)-\(k)", vcpus: 1,
                            adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "net\(n)")]))
                }
            }
            for k in 1...8 {
                flows.append(
                    FlowConfig(
                        name: "bulk\(n)-\(k)", from: .vm("c\(n)-\(k)"), to: .vm("s\(n)-\(k)"), transport: .tcp,
                        pattern: .bulk(window: .kibibytes(64), ackEvery: 2), size: .fixed(65_536)))
            }
        }
        let timeline = moves.enumerated().map { i, t in
            TimelineAction(at: t, .attachAdapter(vm: "c1-1", adapter: "eth0", switch: i % 2 == 0 ? "net2" : "net1"))
        }
        return SimulationConfig(
            name: "virtual-server-64vm", seed: 65, duration: duration, warmup: warmup, sampleInterval: .milliseconds(20),
            host: HostConfig(cores: 72, clock: .gigahertz(3.0), rootCores: Array(0..<8), platform: .virtualServer),
            switches: networks, vms: vms, flows: flows, timeline: timeline)
    }

    /// Two VMs on a private switch: a bulk TCP transfer that never touches a physical NIC.
    public static func vmToVMPrivate(duration: SimTime = .milliseconds(500)) -> SimulationConfig {
        SimulationConfig(
            name: "vm-to-vm-private", duration: duration, warmup: SimTime(picoseconds: duration.picoseconds / 10),
            host: HostConfig(cores: 8, rootCores: [0, 1]),
            switches: [SwitchConfig(name: "private", kind: .private)],
            vms: [
                VMConfig(name: "a", adapters: [AdapterConfig(name: "eth0", switch: "private")]),
                VMConfig(name: "b", adapters: [AdapterConfig(name: "eth0", switch: "private")]),
            ],
            flows: [
                FlowConfig(
                    name: "a-to-b", from: .vm("a"), to: .vm("b"), transport: .tcp,
                    pattern: .bulk(window: .kibibytes(512), ackEvery: 2))
            ])
    }
}
