import Models
import SimCore
import Testing

@testable import Scenario

/// Every field of the model's configuration is reachable from a scenario file.
///
/// Each configuration type's stored properties (found by reflection) must be
/// listed here with the scenario key that sets it, and that key must be in the
/// schema. When the model gains a field, this test fails until the format
/// (decoder, schema, docs) learns it.
@Suite struct ModelCoverageTests {
    /// Property → "section path: key" in ScenarioSchema (or a note where it is set another way).
    static let coverage: [String: [String: String]] = [
        "SimulationConfig": [
            "name": "(top level):name", "seed": "(top level):seed", "replication": "api:LoadedScenario.config(replication:)",
            "duration": "(top level):duration", "warmup": "(top level):warmup", "sampleInterval": "(top level):sample_interval",
            "maxSeriesPoints": "(top level):max_series_points", "host": "(top level):host", "nics": "(top level):nics",
            "switches": "(top level):switches", "vms": "(top level):vms", "flows": "(top level):flows",
            "timeline": "(top level):timeline", "captures": "(top level):captures",
            "maxCapturedFrames": "(top level):max_captured_frames", "socketBacklogLimit": "(top level):socket_backlog_limit",
        ],
        "HostConfig": [
            "cores": "host:cores", "clock": "host:clock", "rootCores": "host:root_cores", "costs": "host:costs",
            "vcpuPlacement": "host:vcpu_placement", "platform": "host:platform", "vmbusDrain": "host:vmbus_drain",
        ],
        "VMBusDrainConfig": ["packetQuota": "host.vmbus_drain:packet_quota", "cycleBudget": "host.vmbus_drain:cycle_budget"],
        "NICConfig": [
            "name": "nics[]:name", "linkRate": "nics[]:link_rate", "mtu": "nics[]:mtu", "txQueuePackets": "nics[]:tx_queue",
            "rxQueuePackets": "nics[]:rx_queue", "coalescing": "nics[]:coalescing", "vmq": "nics[]:vmq", "sriov": "nics[]:sriov",
            "queueCores": "nics[]:queue_cores", "lso": "nics[]:lso", "propagationDelay": "nics[]:propagation_delay",
            "vmmq": "nics[]:vmmq", "vmmqQueuePairs": "nics[]:vmmq_queue_pairs", "rsc": "nics[]:rsc",
            "dynamicVMQ": "nics[]:dynamic_vmq",
        ],
        "DynamicVMQConfig": [
            "enabled": "nics[].dynamic_vmq:enabled", "interval": "nics[].dynamic_vmq:interval",
            "spreadAbove": "nics[].dynamic_vmq:spread_above", "coalesceBelow": "nics[].dynamic_vmq:coalesce_below",
        ],
        "InterruptCoalescing": ["maxFrames": "nics[].coalescing:max_frames", "maxDelay": "nics[].coalescing:max_delay"],
        "SwitchConfig": [
            "name": "switches[]:name", "kind": "switches[]:type", "hostVNIC": "switches[]:host_vnic",
            "hostVLAN": "switches[]:host_vlan", "portQueuePackets": "switches[]:port_queue", "forwarding": "switches[]:forwarding",
            "rsc": "switches[]:rsc",
            "dhcp": "networks[]:dhcp",
        ],
        "DHCPServerConfig": [
            "enabled": "networks[].dhcp:enabled", "network": "networks[].dhcp:network", "prefixLength": "networks[].dhcp:network",
            "start": "networks[].dhcp:start", "end": "networks[].dhcp:end", "server": "networks[].dhcp:server",
            "gateway": "networks[].dhcp:gateway", "dns": "networks[].dhcp:dns", "wins": "networks[].dhcp:wins",
            "lease": "networks[].dhcp:lease", "renewal": "networks[].dhcp:renewal", "rebinding": "networks[].dhcp:rebinding",
        ],
        "VMConfig": [
            "name": "vms[]:name", "vcpus": "vms[]:vcpus", "adapters": "vms[]:adapters", "costOverrides": "vms[]:costs",
            "running": "vms[]:state", "generation": "vms[]:generation", "integrationServices": "vms[]:integration_services",
        ],
        "AdapterConfig": [
            "name": "vms[].adapters[]:name", "kind": "vms[].adapters[]:type", "switch": "vms[].adapters[]:switch",
            "vlan": "vms[].adapters[]:vlan", "attached": "vms[].adapters[]:attached", "announce": "vms[].adapters[]:announce",
            "sriov": "vms[].adapters[]:sriov",
            "present": "vms[].adapters[]:present",
            "ringBytes": "vms[].adapters[]:ring_size",
            "batchPackets": "vms[].adapters[]:batch_packets", "channels": "vms[].adapters[]:channels",
            "descriptorBytes": "vms[].adapters[]:descriptor_size", "sendSectionBytes": "vms[].adapters[]:send_section_size",
            "txQueuePackets": "vms[].adapters[]:tx_queue", "offloads": "vms[].adapters[]:offloads",
            "emulated": "vms[].adapters[]:emulated", "costOverrides": "vms[].adapters[]:costs",
        ],
        "Offloads": [
            "lso": "vms[].adapters[].offloads:lso", "checksum": "vms[].adapters[].offloads:checksum",
            "mtu": "vms[].adapters[].offloads:mtu", "lsoMaxBytes": "vms[].adapters[].offloads:lso_max_size",
        ],
        "EmulatedNICConfig": [
            "linkRate": "vms[].adapters[].emulated:link_rate", "txAccessesPerPacket": "vms[].adapters[].emulated:tx_accesses_per_packet",
            "txInterruptEvery": "vms[].adapters[].emulated:tx_interrupt_every",
            "accessesPerInterrupt": "vms[].adapters[].emulated:accesses_per_interrupt", "txRing": "vms[].adapters[].emulated:tx_ring",
            "rxRing": "vms[].adapters[].emulated:rx_ring", "accessPath": "vms[].adapters[].emulated:access_path",
        ],
        "FlowConfig": [
            "name": "flows[]:name", "from": "flows[]:from", "to": "flows[]:to", "transport": "flows[]:transport",
            "pattern": "flows[]:pattern", "size": "flows[]:size", "start": "flows[]:start", "stop": "flows[]:stop",
            "socket": "flows[]:socket",
        ],
        "TCPOptions": [
            "congestion": "flows[]:congestion", "streams": "flows[]:streams", "initialWindowSegments": "flows[]:initial_window",
            "minimumRTO": "flows[]:min_rto", "initialRTO": "flows[]:initial_rto", "delayedACKTimeout": "flows[]:delayed_ack",
        ],
        "SocketOptions": ["mode": "flows[]:socket", "sendBuffer": "flows[]:socket_buffer"],
        "CostModel": ["fixed": "Cost:fixed", "perByte": "Cost:per_byte", "pieces": "Cost:pieces", "source": "Cost:source"],
        "CostPiece": ["upToBytes": "Cost.pieces[]:up_to", "fixed": "Cost.pieces[]:fixed", "perByte": "Cost.pieces[]:per_byte"],
        "TimelineAction": ["at": "timeline[]:at", "action": "timeline[]:start_flow"],
        "CapturePort": ["switch": "captures[]:switch", "endpoint": "captures[]:endpoint"],
    ]

    static let samples: [(String, any Sendable)] = [
        ("SimulationConfig", SimulationConfig()), ("HostConfig", HostConfig()), ("VMBusDrainConfig", VMBusDrainConfig()),
        ("NICConfig", NICConfig(name: "n")),
        ("DynamicVMQConfig", DynamicVMQConfig()), ("InterruptCoalescing", InterruptCoalescing()),
        ("SwitchConfig", SwitchConfig(name: "s", kind: .private)),
        ("VMConfig", VMConfig(name: "v")), ("AdapterConfig", AdapterConfig(name: "a", switch: "s")), ("Offloads", Offloads()),
        ("EmulatedNICConfig", EmulatedNICConfig()),
        ("DHCPServerConfig", ScenarioSchema.dhcpServer),
        ("FlowConfig", FlowConfig(name: "f", from: .vm("a"), to: .vm("b"), pattern: .constant(rate: .gigabits(1)))),
        ("TCPOptions", TCPOptions()), ("SocketOptions", SocketOptions()),
        ("CostModel", CostModel()), ("CostPiece", CostPiece(upToBytes: 1, fixed: 0, perByte: 0)),
        ("TimelineAction", TimelineAction(at: .zero, .stopFlow("f"))), ("CapturePort", CapturePort(switch: "s", endpoint: .vm("a"))),
    ]

    @Test func everyConfigurationFieldHasAScenarioKey() {
        for (type, value) in Self.samples {
            let fields = Mirror(reflecting: value).children.compactMap(\.label)
            let map = Self.coverage[type] ?? [:]
            for f in fields {
                guard let target = map[f] else {
                    Issue.record(
                        "\(type).\(f) is not reachable from a scenario: add a key to the decoder and ScenarioSchema, then list it here")
                    continue
                }
                if target.hasPrefix("api:") { continue }
                let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
                let section = ScenarioSchema.sections.first { $0.path == parts[0] }
                #expect(section?.field(parts[1]) != nil, "\(type).\(f) maps to \(target), which the schema does not document")
            }
        }
    }

    /// Every stage of the cost profile can be overridden by name.
    @Test func everyCostStageIsAKey() {
        for s in CostStage.allCases {
            #expect(ScenarioSchema.costs.field(s.name) != nil)
            #expect(ScenarioSchema.costProfile.field(s.name) != nil)
        }
    }
}
