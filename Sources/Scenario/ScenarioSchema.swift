import Models
import SimCore

/// Every section of the scenario format with its keys, types, defaults and meaning.
///
/// Defaults are read from the Models configuration's own defaults, so the
/// documentation cannot claim a default the simulator does not use.
public enum ScenarioSchema {
    static let sim = SimulationConfig()
    static let host = HostConfig()
    static let nic = NICConfig(name: "nic")
    static let sw = SwitchConfig(name: "s", kind: .private)
    static let vm = VMConfig(name: "vm")
    static let adapter = AdapterConfig(name: "eth0", switch: "s")
    static let dhcpServer = DHCPServerConfig(
        network: 0x0A00_0000, prefixLength: 24, lease: .seconds(3600), renewal: .seconds(1800), rebinding: .seconds(2700))

    static func bool(_ b: Bool) -> String { b ? "true" : "false" }
    static func bytes(_ n: Int) -> String { ByteCount(Int64(n)).scenarioText }
    static func percentText(_ f: Double) -> String { "\(Int((f * 100).rounded()))%" }

    public static let top = SectionDoc(
        path: "(top level)", noun: "the scenario",
        summary: "The run: its name, length, randomness, and the lists of everything simulated.",
        fields: [
            FieldDoc("name", "string", "the file name without .yaml", "Name used for the results directory and in reports."),
            FieldDoc("description", "string", "none", "What question the scenario answers (shown in reports)."),
            FieldDoc(
                "seed", "whole number ≥ 0", String(sim.seed),
                "Master seed: every random stream derives from (seed, replication, component)."),
            FieldDoc(
                "replications", "whole number 1…10000", "1",
                "Independent runs with derived seeds (studies run them; `run` runs replication 0)."),
            FieldDoc("duration", "duration", sim.duration.scenarioText, "Simulated time of one run."),
            FieldDoc(
                "warmup", "duration", "the smaller of \(ScenarioLoader.longestDefaultWarmup.scenarioText) and a tenth of `duration`",
                "Results exclude everything before this time; must be shorter than `duration`. `vnetsim run --duration` "
                    + "recomputes the default for the new duration but keeps a `warmup` set here, and refuses to run if it is not "
                    + "shorter than the new duration; `--warmup` replaces either."),
            FieldDoc(
                "sample_interval", "duration", sim.sampleInterval.scenarioText, "Interval of the time series (throughput, utilization)."),
            FieldDoc(
                "max_series_points", "whole number in 2…\(ConfigurationLimits.seriesPoints)", String(sim.maxSeriesPoints),
                "Most points per time series; beyond it points merge and the interval doubles."),
            FieldDoc(
                "max_captured_frames", "whole number in 0…\(ConfigurationLimits.capturedFrames)", String(sim.maxCapturedFrames),
                "Most frames recorded per capture port (later ones are counted, not kept, and `run` warns); all ports together keep at most \(ConfigurationLimits.capturedFrames)."
            ),
            FieldDoc(
                "socket_backlog_limit", "duration", sim.socketBacklogLimit.scenarioText,
                "CPU work that may queue on a sending vCPU; beyond it messages drop with cause `socket_backlog`."),
            FieldDoc("host", "Host", "a 16-core 3 GHz host", "The physical host."),
            FieldDoc(
                "cost_profiles", "mapping of name → Cost profile", "none",
                "Named sets of per-stage CPU costs that the host, VMs and adapters refer to by `cost_profile`."),
            FieldDoc("nics", "list of NIC", "none", "Physical NICs in the root partition."),
            FieldDoc(
                "switches", "list of Switch", "none",
                "Hyper-V virtual switches: external, internal or private (not on a `virtual_server` host: it has `networks`)."),
            FieldDoc("vms", "list of VM", "none", "Child partitions, one entry per VM or per group of VMs."),
            FieldDoc("flows", "list of Flow", "none", "Traffic between endpoints."),
            FieldDoc(
                "timeline", "list of Action", "none",
                "Run-time actions: start/stop a flow, attach/detach an adapter; on Virtual Server also add/remove an adapter, "
                    + "create/delete/unregister/register a network and a VM's power."),
            FieldDoc("captures", "list of Capture", "none", "Switch ports whose frames are written to a pcap file."),
            FieldDoc(
                "networks", "list of Network", "none",
                "Virtual Server virtual networks (a switching hub each, with its DHCP server); only on a `virtual_server` host."),
            FieldDoc(
                "sweep", "Sweep", "none",
                "The parameters `vnetsim sweep` varies (every combination, × `replications`); `run` ignores it."),
            FieldDoc(
                "compare", "Compare", "none",
                "The variants `vnetsim compare` runs side by side, with common random numbers; `run` ignores it."),
            FieldDoc(
                "plan", "Plan", "none",
                "The capacity plan of `vnetsim plan`: the parameter to grow and the objectives to meet; `run` ignores it."),
            FieldDoc(
                "confidence", "percentage", "95%",
                "Confidence level of the intervals studies report (mean ± Student-t half-width over replications), e.g. 90% or 99%."),
        ])

    public static let hostSection = SectionDoc(
        path: "host", noun: "the host",
        summary: "The platform, cores, clock, the root partition's (or host OS's) cores and the host's CPU cost profile.",
        fields: [
            FieldDoc(
                "platform", "one of: " + HostPlatform.allCases.map(\.rawValue).joined(separator: ", "), host.platform.rawValue,
                "`hyperv`: Hyper-V (switches, synthetic and emulated adapters); `virtual_server`: Virtual Server 2005 (networks, "
                    + "emulated adapters only, single-CPU guests, its own `default` cost profile: MODEL-REFERENCE §2)."),
            FieldDoc("cores", "whole number 1…1024", String(host.cores), "Physical cores (logical processors)."),
            FieldDoc("clock", "clock rate", host.clock.scenarioText, "Clock of every core (costs are in cycles, so this sets their time)."),
            FieldDoc(
                "root_cores", "list of core indices", "[" + host.rootCores.map(String.init).joined(separator: ", ") + "]",
                "Zero-based cores the root partition runs on (VSPs, vSwitch, NIC driver, worker processes)."),
            FieldDoc(
                "vcpu_placement", "one of: " + VCPUPlacement.allCases.map(\.rawValue).joined(separator: ", "), host.vcpuPlacement.rawValue,
                "`dedicated`: every vCPU has a core of its own; `shared`: vCPUs share the non-root cores round-robin and queue behind each other."
            ),
            FieldDoc(
                "cost_profile", "name of a cost profile", "default",
                "The host's per-stage costs (`default` is the platform's built-in profile: MODEL-REFERENCE §5 for Hyper-V, "
                    + "Virtual Server 2005's stages for `virtual_server`)."),
            FieldDoc("costs", "mapping of stage → Cost", "none", "Per-stage overrides applied on top of `cost_profile`."),
            FieldDoc(
                "vmbus_drain", "VMBus drain", "\(host.vmbusDrain.packetQuota) packets, \(host.vmbusDrain.cycleBudget.count) cycles",
                "NetVSP's drain DPCs of every send ring: the packet quota and cycle budget of each (Hyper-V)."),
        ])

    public static let vmbusDrain = SectionDoc(
        path: "host.vmbus_drain", noun: "NetVSP's drain quota",
        summary:
            "NetVSP drains a send ring in DPCs of passes of up to `batch_packets`; a DPC stops at an empty ring, at its packet quota or at its cycle budget, then unmasks and re-checks the ring and, finding packets, queues a new DPC on its core (paying `vsp_dpc`). Windows has both limits (vmbkmcl.sys: MODEL-REFERENCE §1.2); their values are not public, so both defaults are assumptions.",
        fields: [
            FieldDoc(
                "packet_quota", "whole number 1…\(VMBusDrainConfig.maxPacketQuota)", String(host.vmbusDrain.packetQuota),
                "Packets one DPC takes at most [assumption: Linux's NAPI weight, NAPI_POLL_WEIGHT 64]."),
            FieldDoc(
                "cycle_budget", "cycles (number, optionally with `cycles`)", String(host.vmbusDrain.cycleBudget.count),
                "Root cycles of a DPC's own work (its passes and their completions) after which it stops at the end of the running pass; at least \(VMBusDrainConfig.minCycleBudget.count) [assumption: ≈ 33 µs at 3 GHz, of the order of Linux's 2-jiffy HV_CALL_BATCHED budget scaled down]."
            ),
        ])

    public static let costProfile = SectionDoc(
        path: "cost_profiles.<name>", noun: "a cost profile",
        summary: "A named set of per-stage costs. Every key other than `base` and `description` is a stage name (see Cost stages).",
        fields: [
            FieldDoc(
                "base", "name of a cost profile", "default",
                "The profile this one starts from (`default`, the host platform's built-in profile, or another named profile)."),
            FieldDoc("description", "string", "none", "What the profile stands for."),
        ]
            + CostStage.table.map { s in
                let c = s.defaultCost
                return FieldDoc(s.name, "Cost", "\(c.fixed) + \(fmt(c.perByte))/B", "The `\(s.name)` stage (source: \(c.source)).")
            })

    public static let costs = SectionDoc(
        path: "costs", noun: "a set of cost overrides",
        summary:
            "Per-stage overrides under `host`, a VM or an adapter: each key is a stage name (see the cost profile table), each value a Cost.",
        fields: CostStage.table.map { s in
            FieldDoc(s.name, "Cost", "the profile's", "Override of the `\(s.name)` stage.")
        })

    public static let cost = SectionDoc(
        path: "Cost", noun: "a cost",
        summary:
            "The CPU cost of one stage: `fixed + per_byte × bytes` cycles. Keys left out keep the base profile's value; a bare number sets `fixed` only.",
        fields: [
            FieldDoc("fixed", "cycles (number, optionally with `cycles`)", "the base profile's", "Cycles per packet or operation."),
            FieldDoc(
                "per_byte", "cycles per byte (number, optionally with `cycles/B`)", "the base profile's",
                "Cycles per byte the stage touches."),
            FieldDoc("pieces", "list of Cost piece", "none", "Size classes: the first whose `up_to` ≥ the size replaces fixed/per_byte."),
            FieldDoc("source", "string", "scenario", "Where the numbers come from (shown in reports)."),
        ])

    public static let costPiece = SectionDoc(
        path: "Cost.pieces[]", noun: "a cost piece",
        summary: "One size class of a piecewise cost.",
        fields: [
            FieldDoc("up_to", "size", FieldDoc.required, "Largest size (inclusive) this piece applies to."),
            FieldDoc("fixed", "cycles", "0", "Cycles per packet for this size class."),
            FieldDoc("per_byte", "cycles per byte", "0", "Cycles per byte for this size class."),
        ])

    public static let nicSection = SectionDoc(
        path: "nics[]", noun: "a NIC",
        summary: "A physical NIC; the network beyond it is one external peer (`external@NAME`) that sends and receives at line rate.",
        fields: [
            FieldDoc("name", "name", FieldDoc.required, "Unique NIC name, e.g. `pnic0`."),
            FieldDoc("link_rate", "data rate", nic.linkRate.scenarioText, "Line rate."),
            FieldDoc("mtu", "size", bytes(nic.mtu), "Largest IP packet (576B…9216B; 9000B for jumbo frames)."),
            FieldDoc(
                "tx_queue", "whole number of packets", String(nic.txQueuePackets), "Transmit descriptors; full → drops `nic_tx_queue_full`."
            ),
            FieldDoc(
                "rx_queue", "whole number of packets", String(nic.rxQueuePackets), "Each receive queue; full → drops `nic_rx_queue_full`."),
            FieldDoc(
                "coalescing", "Coalescing", "\(nic.coalescing.maxFrames) frames or \(nic.coalescing.maxDelay.scenarioText)",
                "Receive interrupt moderation."),
            FieldDoc("vmq", "true/false", bool(nic.vmq), "One hardware receive queue per vmNIC (MAC+VLAN filter) on its own root core."),
            FieldDoc(
                "sriov", "true/false", bool(nic.sriov),
                "SR-IOV: the NIC offers a virtual function to each adapter with `sriov: true` on its switch (its own receive queue, this moderation, interrupting the VM's vCPU)."
            ),
            FieldDoc(
                "vmmq", "true/false", bool(nic.vmmq),
                "VMMQ: a vmNIC with vRSS sub-channels (`channels` > 1) gets min(channels, `vmmq_queue_pairs`) receive queues on successive queue cores; the NIC picks one per frame by the Toeplitz hash of its 4-tuple (needs `vmq`; Hyper-V's default is off)."
            ),
            FieldDoc("vmmq_queue_pairs", "whole number 1…64", String(nic.vmmqQueuePairs), "VMMQ queues per vmNIC at most."),
            FieldDoc(
                "rsc", "true/false", bool(nic.rsc),
                "Hardware RSC: the NIC merges in-order TCP segments of a stream in a receive queue (up to a 64 KiB datagram) before the driver. Hyper-V turns it off when the NIC is bound to a vSwitch, hence the default; the vSwitch's own RSC is the switch's `rsc`."
            ),
            FieldDoc(
                "queue_cores", "list of core indices", "the host's root cores", "Root cores the VMQ queues are spread over, round-robin."),
            FieldDoc(
                "dynamic_vmq", "Dynamic VMQ", "off",
                "Dynamic VMQ: the VMQ queues start on the first queue core and move between the queue cores by their load (Hyper-V's thresholds are not public: the parameters are assumptions)."
            ),
            FieldDoc("lso", "true/false", bool(nic.lso), "Large send offload in the NIC (else the vSwitch segments in software)."),
            FieldDoc("propagation_delay", "duration", nic.propagationDelay.scenarioText, "One-way delay to the external peer."),
        ])

    public static let dynamicVMQ = SectionDoc(
        path: "nics[].dynamic_vmq", noun: "dynamic VMQ",
        summary:
            "Every `interval`, at most one VMQ queue of the NIC moves: off a queue core above `spread_above` that holds two or more (to the least-loaded queue core, if that evens them), else off a core below `coalesce_below` (onto the busiest that stays below it). The queues start on the first queue core, as Windows Server 2012's do.",
        fields: [
            FieldDoc("enabled", "true/false", bool(nic.dynamicVMQ.enabled), "Run dynamic VMQ (else the queues keep their static cores)."),
            FieldDoc("interval", "duration", nic.dynamicVMQ.interval.scenarioText, "How often the queues are re-examined (assumption)."),
            FieldDoc(
                "spread_above", "percentage", percentText(nic.dynamicVMQ.spreadAbove),
                "A queue core busier than this over the interval spreads a queue away (assumption)."),
            FieldDoc(
                "coalesce_below", "percentage", percentText(nic.dynamicVMQ.coalesceBelow),
                "A queue core idler than this gives its queues to a busier one (assumption)."),
        ])

    public static let coalescing = SectionDoc(
        path: "nics[].coalescing", noun: "interrupt coalescing",
        summary: "An interrupt when `max_frames` frames wait, or `max_delay` after the first unannounced frame.",
        fields: [
            FieldDoc(
                "max_frames", "whole number ≥ 1", String(nic.coalescing.maxFrames),
                "Frames per interrupt at most (1 = an interrupt per frame)."),
            FieldDoc("max_delay", "duration", nic.coalescing.maxDelay.scenarioText, "Longest a frame waits for its interrupt."),
        ])

    public static let switchSection = SectionDoc(
        path: "switches[]", noun: "a switch",
        summary: "A Hyper-V virtual switch. External switches bind one NIC; internal ones connect VMs and the host; private ones VMs only.",
        fields: [
            FieldDoc("name", "name", FieldDoc.required, "Unique switch name."),
            FieldDoc("type", "one of: external, internal, private", FieldDoc.required, "The switch type."),
            FieldDoc("nic", "name of a NIC", "required for external", "The NIC an external switch is bound to."),
            FieldDoc(
                "host_vnic", "true/false", "false (internal: always true)",
                "Give the management OS a vNIC on an external switch (`-AllowManagementOS`)."),
            FieldDoc("host_vlan", "whole number 0…4094", String(sw.hostVLAN), "VLAN id of the host vNIC's port (0 = untagged)."),
            FieldDoc(
                "port_queue", "whole number of packets", String(sw.portQueuePackets),
                "Egress queue of each port; full → drops `port_queue_full`."),
            FieldDoc(
                "forwarding", "one of: registered, learning", sw.forwarding.rawValue,
                "registered: Hyper-V's (VM and host ports registered, the uplink learns, unknown unicast to the uplink); learning: every port learns, unknown unicast floods the VLAN."
            ),
            FieldDoc(
                "rsc", "true/false", "true on an external switch (Windows Server 2019), else false",
                "RSC in the vSwitch: in-order TCP segments of a stream arriving from the NIC in one receive pass are merged (up to a 64 KiB datagram) before a synthetic adapter or the host vNIC; each merged segment costs `vswitch_rsc`. External switches only."
            ),
        ])

    public static let vmSection = SectionDoc(
        path: "vms[]", noun: "a VM",
        summary:
            "A child partition, or a group of identical ones: `name: web[1-8]` or `name: web` with `count: 8` (web1 … web8). "
            + "Flows, captures and timeline actions name the whole group by its pattern, or by its name when made with `count` (`web`).",
        fields: [
            FieldDoc("name", "name or pattern", FieldDoc.required, "The VM's name, or a pattern like `web[1-8]`, `db[01-12]`, `n[1-2,5]`."),
            FieldDoc(
                "count", "whole number 1…100000", "1",
                "Make this many VMs named NAME1 … NAMEcount (not with a pattern); NAME then stands for all of them, like `NAME[1-count]`."),
            FieldDoc(
                "vcpus", "whole number 1…64", "\(vm.vcpus) (virtual_server: 1)",
                "Virtual processors (each a server at the host clock); a Virtual Server 2005 guest has one."),
            FieldDoc(
                "generation", "whole number 1…2", String(vm.generation),
                "Hyper-V's VM generation: 1 (BIOS, emulated devices: has the legacy network adapter) or 2 (UEFI: synthetic "
                    + "adapters only, `type: emulated` is refused). Virtual Server's VMs are generation 1 machines."),
            FieldDoc(
                "integration_services", "true/false", bool(vm.integrationServices),
                "Hyper-V: whether the guest runs Integration Services, whose netvsc driver a synthetic adapter needs (refused "
                    + "without them; the emulated 21140 needs none). Not on Virtual Server."),
            FieldDoc(
                "state", "one of: running, off", vm.running ? "running" : "off",
                "Virtual Server: the VM's power at time 0; a VM that is `off` starts with a timeline `power_on`."),
            FieldDoc("cost_profile", "name of a cost profile", "the host's", "Per-stage costs for this VM's adapters."),
            FieldDoc("costs", "mapping of stage → Cost", "none", "Per-stage overrides on top of `cost_profile`."),
            FieldDoc(
                "adapters", "list of Adapter",
                "one synthetic `eth0` on the only switch (virtual_server: one emulated `eth0` on the only network)",
                "Network adapters (Hyper-V: at most 8 synthetic; Virtual Server: one to four)."),
        ])

    public static let adapterSection = SectionDoc(
        path: "vms[].adapters[]", noun: "an adapter",
        summary:
            "A VM's network adapter: `synthetic` (NetVSC over VMBus) or `emulated` (legacy DEC 21140). Swap them by changing `type` only.",
        fields: [
            FieldDoc("name", "name", "eth0, eth1, … by position", "Name unique within the VM."),
            FieldDoc(
                "type", "one of: synthetic, emulated", "\(adapter.kind.rawValue) (virtual_server: emulated)",
                "The adapter type (Virtual Server has emulated adapters only)."),
            FieldDoc(
                "switch", "name of a switch", "the only switch, if there is one",
                "Hyper-V: the switch the adapter is connected to (on Virtual Server, write `network`)."),
            FieldDoc(
                "network", "name of a network", "none: detached until its first `attach`, whose `network` it lives on",
                "Virtual Server: the network the adapter is connected to (on Hyper-V, write `switch`)."),
            FieldDoc(
                "present", "true/false", bool(adapter.present),
                "Virtual Server: the adapter exists at time 0; `false`: a timeline `add_adapter` adds it (detached, until an `attach`)."),
            FieldDoc(
                "vlan", "whole number 0…4094", String(adapter.vlan),
                "VLAN id of its switch port (0 = untagged; emulated adapters have none)."),
            FieldDoc("attached", "true/false", bool(adapter.attached), "Connected at time 0 (a timeline `attach` can connect it later)."),
            FieldDoc(
                "announce", "true/false", bool(adapter.announce),
                "Announce the adapter when it comes up (time 0 if attached, each `attach`): a gratuitous ARP broadcast to its VLAN."),
            FieldDoc(
                "sriov", "true/false", bool(adapter.sriov),
                "Synthetic, on an external switch whose NIC has `sriov: true`: the adapter has an SR-IOV virtual function (`IovWeight` > 0), "
                    + "active from time 0 — no vSwitch, VMBus or root CPU for its traffic; the timeline's `remove_vf` falls back to the synthetic path."
            ),
            FieldDoc(
                "ring_size", "size", bytes(adapter.ringBytes), "Synthetic: bytes of each VMBus ring, 4 KiB of which is the header page."),
            FieldDoc(
                "batch_packets", "whole number ≥ 1", String(adapter.batchPackets),
                "Synthetic: most packets per VMBus message or drain pass."),
            FieldDoc(
                "channels", "whole number 1…64", "min(8, vcpus) where vRSS applies, else 1",
                "Synthetic: VMBus channels (1 + vRSS sub-channels); each flow stream takes one by its RSS hash. vRSS applies by default (Windows Server 2016) to a VM of 2 or more vCPUs whose adapter has no SR-IOV VF and is on an external switch with VMQ on a NIC of 10 Gb/s or more."
            ),
            FieldDoc(
                "descriptor_size", "size", bytes(adapter.descriptorBytes), "Synthetic: ring bytes per packet descriptor (multiple of 8B)."),
            FieldDoc(
                "send_section_size", "size", bytes(adapter.sendSectionBytes), "Synthetic: frames up to this are copied into a send section."
            ),
            FieldDoc(
                "tx_queue", "whole number of packets", String(adapter.txQueuePackets),
                "Guest transmit queue; full → drops `guest_tx_queue_full`."),
            FieldDoc("offloads", "Offloads", "LSO and checksum on, MTU 1500B", "Offloads the adapter uses."),
            FieldDoc("emulated", "Emulated NIC", "the tulip pattern", "Emulated: register-access pattern and limits."),
            FieldDoc("cost_profile", "name of a cost profile", "the VM's", "Per-stage costs for this adapter."),
            FieldDoc("costs", "mapping of stage → Cost", "none", "Per-stage overrides on top of `cost_profile`."),
        ])

    public static let offloads = SectionDoc(
        path: "vms[].adapters[].offloads", noun: "offloads",
        summary: "Offloads change where and how much CPU is spent.",
        fields: [
            FieldDoc(
                "lso", "true/false", bool(adapter.offloads.lso), "Large send offload: the guest hands up to `lso_max_size` per packet."),
            FieldDoc(
                "checksum", "true/false", bool(adapter.offloads.checksum), "Checksum offload; off → the guest pays the `checksum` stage."),
            FieldDoc("mtu", "size", bytes(adapter.offloads.mtu), "The adapter's MTU (576B…9216B)."),
            FieldDoc("lso_max_size", "size", bytes(adapter.offloads.lsoMaxBytes), "Largest LSO super-segment payload."),
        ])

    public static let emulated = SectionDoc(
        path: "vms[].adapters[].emulated", noun: "emulated NIC parameters",
        summary: "The DEC 21140's register-access pattern (MODEL-REFERENCE §1.4, §5). Only for `type: emulated`.",
        fields: [
            FieldDoc("link_rate", "data rate", adapter.emulated.linkRate.scenarioText, "The emulated link rate."),
            FieldDoc(
                "tx_accesses_per_packet", "whole number ≥ 0", String(adapter.emulated.txAccessesPerPacket),
                "Trapped accesses per transmitted packet."),
            FieldDoc(
                "tx_interrupt_every", "whole number ≥ 1", String(adapter.emulated.txInterruptEvery),
                "A TX-done interrupt every this many packets."),
            FieldDoc(
                "accesses_per_interrupt", "whole number ≥ 0", String(adapter.emulated.accessesPerInterrupt),
                "Trapped accesses per interrupt (status, ack, EOI…)."),
            FieldDoc("tx_ring", "whole number ≥ 1", String(adapter.emulated.txRing), "Transmit descriptor ring."),
            FieldDoc(
                "rx_ring", "whole number ≥ 1", String(adapter.emulated.rxRing),
                "Receive descriptor ring; full → drops `emulated_rx_ring_full`."),
            FieldDoc(
                "access_path", "one of: worker_process, hypervisor", adapter.emulated.accessPath.rawValue,
                "Where trapped accesses are served."),
        ])

    /// What a flow's `size` means, with the frame it makes: the header sizes are the model's (`Transport.headerBytes`).
    static var sizeMeaning: String {
        let udp = Transport.udp.headerBytes, tcp = Transport.tcp.headerBytes, mtu = nic.mtu
        // Ethernet's 14 B are in both header counts; the rest is IPv4 + UDP or TCP, which the MTU bounds.
        let udpFull = mtu + 14 - udp, tcpFull = mtu + 14 - tcp
        return "Application message size: the UDP or TCP payload, without headers. Each packet adds \(udp)B "
            + "(Ethernet 14B + IPv4 20B + UDP 8B) or, over TCP, \(tcp)B (TCP 20B), and a 4B FCS: at MTU \(mtu)B, "
            + "\(udpFull)B over UDP or \(tcpFull)B over TCP makes a full \(mtu + 14)B Ethernet frame (\(mtu + 18)B with the FCS), "
            + "the default 1460B over UDP a \(1460 + udp)B one. A message longer than MTU − \(udp - 14)B (UDP) or "
            + "MTU − \(tcp - 14)B (TCP) is sent as several packets of at most that payload (a TCP sender with LSO hands "
            + "the NIC larger segments)."
    }

    static let tcp = TCPOptions()
    static let socket = SocketOptions()
    static let bulkDefaults: (window: ByteCount, ackEvery: Int) = {
        guard case .bulk(let w, let a, _) = TrafficPattern.bulk() else { return (.kibibytes(256), 2) }
        return (w, a)
    }()

    /// What `rate` means, and `rate: line` (``SimulationConfig/lineRate(for:)``).
    static var rateMeaning: String {
        "Payload rate (while on, for on_off). `line`: the payload rate that keeps the flow's slowest link exactly busy "
            + "with its packets: a legacy (emulated) adapter's link at either end on Hyper-V, and the NIC's wire when an "
            + "end is `external@NIC`; each frame occupies it for frame + 20B (preamble, delimiter, gap), so 64B UDP frames "
            + "on 10Gbps are 14.88M frames/s, 2.142857142Gbps of 18B payloads. Needs a fixed `size` or a `frame_size`, "
            + "and a link on the path (synthetic adapters, host vNICs and switches have none; nor has Virtual Server's "
            + "emulated adapter). A Poisson flow at `line` offers the link its capacity on average (utilization 1), so "
            + "its backlog grows: an overload by design."
    }

    /// What `frame_size` means, with the payload it gives (`Transport.payloadBytes(frameBytes:)`).
    static var frameSizeMeaning: String {
        let udp = Transport.udp.payloadBytes(frameBytes: 64), tcpPayload = Transport.tcp.payloadBytes(frameBytes: 64)
        let full = nic.mtu + 18
        return "Alternative to `size` (not with it): each packet's Ethernet frame, FCS included (preamble and gap "
            + "excluded), as the model counts frames: the payload is frame − \(Transport.udp.headerBytes)B − 4B (UDP) or "
            + "− \(Transport.tcp.headerBytes)B − 4B (TCP), so 64B is \(udp)B of UDP or \(tcpPayload)B of TCP payload and "
            + "\(full)B (at MTU \(nic.mtu)B) \(Transport.udp.payloadBytes(frameBytes: full))B or "
            + "\(Transport.tcp.payloadBytes(frameBytes: full))B. From 64B to the smaller MTU of the two ends + 18B; "
            + "request_response: the request's frame. Not for bulk flows (their segments are the MSS)."
    }

    public static let flowSection = SectionDoc(
        path: "flows[]", noun: "a flow",
        summary:
            "Traffic between two endpoints. `from`/`to` may name a VM group — its pattern (`web[1-8]`), or the name of one made with `count` "
            + "(`db` for db1 … db4): one flow per VM, paired in order when both are groups.",
        fields: [
            FieldDoc(
                "name", "name", "FROM-to-TO", "Unique flow name; each flow of a group gets NAME.VM after the VM that varies (`out.web3`)."),
            FieldDoc(
                "from", "endpoint", FieldDoc.required,
                "`vm`, `vm/adapter`, a VM pattern or `count` group's name (`web[1-8]`, `db`, `db/eth1`), `host@SWITCH`, `external@NIC` "
                    + "(or `host`/`external` when only one fits)."),
            FieldDoc("to", "endpoint", FieldDoc.required, "Where the data is delivered (responses and ACKs travel back)."),
            FieldDoc("transport", "one of: udp, tcp", "udp (bulk: tcp)", "Header sizes and, for bulk flows, ACKs."),
            FieldDoc(
                "pattern", "one of: constant, poisson, on_off, request_response, bulk", FieldDoc.required, "How messages are offered."),
            FieldDoc("rate", "data rate or line", "required for constant, poisson, on_off", rateMeaning),
            FieldDoc("packet_rate", "packet rate", "none", "Alternative to `rate` for fixed-size messages: messages per second."),
            FieldDoc("size", "size or Distribution of sizes", "1460B", sizeMeaning),
            FieldDoc("frame_size", "size", "none (from `size`)", frameSizeMeaning),
            FieldDoc("on", "Distribution of durations", "required for on_off", "Length of on periods."),
            FieldDoc("off", "Distribution of durations", "required for on_off", "Length of off periods."),
            FieldDoc(
                "response_size", "size", "required for request_response", "Payload bytes of each response (headers as for `size`)."),
            FieldDoc(
                "think_time", "duration or Distribution of durations", "0s",
                "request_response: pause between a response and the next request."),
            FieldDoc(
                "window", "size", bytes(Int(bulkDefaults.window.bytes)),
                "bulk: the receive window of each stream: the most bytes unacknowledged on it (the congestion window may allow fewer)."
            ),
            FieldDoc(
                "ack_every", "whole number 1…1024", String(bulkDefaults.ackEvery),
                "bulk: the receiver ACKs every this many full segments (or when `delayed_ack` runs out)."),
            FieldDoc(
                "congestion", "one of: " + CongestionControl.allCases.map(\.rawValue).joined(separator: ", "), tcp.congestion.rawValue,
                "bulk: the sender's congestion control: `newreno` (RFC 5681 slow start and congestion avoidance, RFC 6582 fast "
                    + "recovery) or `cubic` (RFC 9438, Windows' and Linux's default)."),
            FieldDoc(
                "streams", "whole number 1…\(ConfigurationLimits.tcpStreams)", String(tcp.streams),
                "bulk: parallel TCP connections between the same endpoints, each with its own window and congestion state "
                    + "(ntttcp's and iperf's `-P`)."),
            FieldDoc(
                "initial_window", "whole number 1…\(ConfigurationLimits.tcpInitialWindowSegments)", String(tcp.initialWindowSegments),
                "bulk: the initial congestion window in segments (RFC 6928: 10)."),
            FieldDoc(
                "min_rto", "duration", tcp.minimumRTO.scenarioText,
                "bulk: the lower bound of the retransmission timeout, 1ms…60s (Windows: 300ms; Linux: 200ms; RFC 6298: 1s)."),
            FieldDoc(
                "initial_rto", "duration", tcp.initialRTO.scenarioText,
                "bulk: the retransmission timeout before the first RTT sample (RFC 6298 §2.1), min_rto…60s."),
            FieldDoc(
                "delayed_ack", "duration", tcp.delayedACKTimeout.scenarioText,
                "bulk: the longest a receiver holds back the ACK of a lone segment, under 500ms (RFC 5681 §4.2); 0s: never."),
            FieldDoc(
                "socket", "one of: " + SocketMode.allCases.map(\.rawValue).joined(separator: ", "), socket.mode.rawValue,
                "What the sending application does when its socket send buffer is full: `blocking` sleeps until the adapter "
                    + "frees space (its schedule slips; iperf, ntttcp), `drop` refuses the message (cause `socket_buffer_full`). "
                    + "bulk and request_response flows always block."),
            FieldDoc(
                "socket_buffer", "size", bytes(Int(socket.sendBuffer.bytes)),
                "The socket send buffer (2KiB…1GiB): the frame bytes of the packets the stack has taken and the adapter has "
                    + "not yet completed (Linux `net.core.wmem_default`)."),
            FieldDoc("start", "duration", "0s", "When the flow starts offering traffic."),
            FieldDoc("stop", "duration", "end of run", "When it stops."),
        ])

    public static let distribution = SectionDoc(
        path: "Distribution", noun: "a distribution",
        summary: "A one-key mapping naming the distribution; values carry the field's unit (sizes or durations).",
        fields: [
            FieldDoc("constant", "value", "—", "Always this value: `{constant: 1500B}`."),
            FieldDoc("uniform", "[min, max]", "—", "Uniform on [min, max): `{uniform: [64B, 1500B]}`."),
            FieldDoc("exponential", "mean", "—", "Exponential with this mean: `{exponential: 10ms}`."),
            FieldDoc("normal", "[mean, standard deviation]", "—", "Normal: `{normal: [800B, 100B]}`."),
            FieldDoc("lognormal", "{mu: number, sigma: number}", "—", "exp(N(mu, sigma)) in the base unit (bytes or seconds)."),
            FieldDoc("pareto", "{shape: number, scale: value}", "—", "Pareto type I with this shape and minimum."),
            FieldDoc("empirical", "{values: [value, …], weights: [number, …]}", "—", "values[i] with probability ∝ weights[i]."),
        ])

    public static let action = SectionDoc(
        path: "timeline[]", noun: "a timeline action",
        summary: "One run-time action at a simulated time: `at` plus exactly one of the action keys.",
        fields: [
            FieldDoc("at", "duration", FieldDoc.required, "When (within the run)."),
            FieldDoc("start_flow", "name of a flow", "—", "Start (or restart) offering traffic on the flow."),
            FieldDoc("stop_flow", "name of a flow", "—", "Stop offering traffic (packets already sent go on)."),
            FieldDoc(
                "attach", "VM adapter (`vm` or `vm/adapter`, pattern or group allowed)", "—",
                "Connect the adapter to its switch (or network), or to the one `switch` (Virtual Server: `network`) names, moving it there."
            ),
            FieldDoc(
                "switch", "name of a switch", "the adapter's own",
                "Hyper-V, with `attach`: the switch to connect to (the adapter leaves the one it is on)."),
            FieldDoc(
                "network", "name of a network", "the adapter's own",
                "Virtual Server, with `attach`: the network to connect to (any network, whichever it was on before)."),
            FieldDoc(
                "detach", "VM adapter (`vm` or `vm/adapter`, pattern or group allowed)", "—",
                "Disconnect it: frames to or from it drop with cause `detached`."),
            FieldDoc(
                "add_adapter", "VM adapter (`vm` or `vm/adapter`, pattern or group allowed)", "—",
                "Virtual Server: add an adapter declared `present: false` to its VM (`AddNetworkAdapter`); it is detached until an `attach`."
            ),
            FieldDoc(
                "remove_adapter", "VM adapter (`vm` or `vm/adapter`, pattern or group allowed)", "—",
                "Virtual Server: remove an adapter (detached first) from a VM that is turned off (`RemoveNetworkAdapter` needs a stopped VM)."
            ),
            FieldDoc(
                "remove_vf", "VM adapter (`vm` or `vm/adapter`, pattern or group allowed)", "—",
                "Hyper-V, an adapter with `sriov: true`: hot-remove its virtual function (live migration, `IovWeight 0`); the guest switches "
                    + "to the synthetic path at once, frames in the VF's queues drop with cause `vf_removed`."),
            FieldDoc(
                "restore_vf", "VM adapter (`vm` or `vm/adapter`, pattern or group allowed)", "—",
                "Hyper-V: give the adapter its virtual function back; new traffic takes it again."),
            FieldDoc(
                "create_network", "name of a network", "—",
                "Virtual Server: create a network declared under `networks` (`CreateVirtualNetwork`); a network whose first action "
                    + "this is does not exist before it."),
            FieldDoc(
                "delete_network", "name of a network", "—",
                "Virtual Server: delete a network: every attached adapter is detached, packets in flight on it are lost "
                    + "(incomplete transmissions), and it and its configuration are gone."),
            FieldDoc(
                "unregister_network", "name of a network", "—",
                "Virtual Server: as `delete_network`, but the configuration is kept for a later `register_network`."),
            FieldDoc(
                "register_network", "name of a network", "—",
                "Virtual Server: register an unregistered network again, with its configuration."
            ),
            FieldDoc(
                "enable_dhcp", "name of a network", "—",
                "Virtual Server: enable the network's configured DHCP server (`IsEnabled = true`): it answers its clients again."),
            FieldDoc(
                "disable_dhcp", "name of a network", "—",
                "Virtual Server: disable it: its clients' DISCOVERs and REQUESTs go unanswered (they retransmit, renewals fail, "
                    + "leases run out); its configuration and leases stay."),
            FieldDoc(
                "power_on", "VM (name, pattern or group)", "—",
                "Virtual Server: start a turned-off VM (`Startup`; its counters reset)."),
            FieldDoc("power_off", "VM (name, pattern or group)", "—", "Virtual Server: turn a running VM off (`TurnOff`)."),
            FieldDoc("reset", "VM (name, pattern or group)", "—", "Virtual Server: reset a running VM (`Reset`; its counters reset)."),
            FieldDoc("save", "VM (name, pattern or group)", "—", "Virtual Server: save a running VM's state (`Save`)."),
            FieldDoc(
                "restore", "VM (name, pattern or group)", "—", "Virtual Server: restore a saved VM (`Startup`; its counters reset)."),
        ])

    public static let capture = SectionDoc(
        path: "captures[]", noun: "a capture",
        summary: "A switch port whose frames are written as `<switch>_<endpoint>.pcap` in the results directory.",
        fields: [
            FieldDoc(
                "endpoint", "endpoint", FieldDoc.required,
                "The port's endpoint: `vm/adapter`, `host@SWITCH` or `external@NIC` (the uplink)."),
            FieldDoc(
                "switch", "name of a switch", "the endpoint's switch",
                "The switch, or on Virtual Server the network (needed only when the endpoint is on several)."),
        ])

    public static let network = SectionDoc(
        path: "networks[]", noun: "a network",
        summary:
            "A Virtual Server virtual network (`host.platform: virtual_server`): a multi-port switching hub (a learning bridge), "
            + "internal (VMs only) or bound to a host NIC, with its DHCP server.",
        fields: [
            FieldDoc("name", "name", FieldDoc.required, "Unique network name (no switch may have it)."),
            FieldDoc(
                "nic", "name of a NIC", "none (internal network)",
                "The host NIC the network is bound to (its peer beyond is `external@NIC`)."),
            FieldDoc(
                "port_queue", "whole number of packets", String(sw.portQueuePackets),
                "Egress queue of each port of the hub; full → drops `port_queue_full`."),
            FieldDoc(
                "dhcp", "DHCP server", "none (no DHCP server)",
                "The network's DHCP server, configured here once, before any VM attaches (Virtual Server's rule): there is no "
                    + "timeline action to change it."),
        ])

    public static let dhcp = SectionDoc(
        path: "networks[].dhcp", noun: "a DHCP server",
        summary:
            "Virtual Server's DHCP server (`IVMDHCPVirtualNetworkServer`); its rules: start ≥ network+16, lease ≥ 60s, renewal ≥ 30s, "
            + "rebinding ≥ 45s, renewal < rebinding < lease, all whole seconds below 2^32 s, at most two WINS servers.",
        fields: [
            FieldDoc(
                "enabled", "true/false", "true",
                "Whether the server answers (a network without `dhcp` has no server, Virtual Server's default, and its guests use "
                    + "their own addresses). With a server configured, the guests are DHCP clients: while it is disabled they get no "
                    + "lease and cannot send."),
            FieldDoc(
                "network", "IPv4 prefix a.b.c.d/len", FieldDoc.required, "The network and mask, e.g. `10.244.0.0/24` (/27 or shorter)."),
            FieldDoc("start", "IPv4 address", "network+16", "First address handed out (the first fifteen are reserved)."),
            FieldDoc("end", "IPv4 address", "the last host address (broadcast−1)", "Last address handed out."),
            FieldDoc(
                "server", "IPv4 address", "network+1",
                "The server's own address, a host address of the network (not handed out if it falls in the pool)."),
            FieldDoc(
                "gateway", "IPv4 address", dhcpServer.gateway == 0 ? "none" : IPv4Text.text(dhcpServer.gateway),
                "The default gateway option (a host address of the network)."),
            FieldDoc(
                "dns", "list of IPv4 addresses", "none",
                "DNS server option, in order of preference (at most \(ScenarioDecoder.maxDNSServers))."),
            FieldDoc("wins", "list of IPv4 addresses", "none", "WINS servers: a primary and a secondary at most."),
            FieldDoc("lease", "duration", FieldDoc.required, "Lease time (≥ 60s, whole seconds)."),
            FieldDoc("renewal", "duration", FieldDoc.required, "Renewal time T1 (≥ 30s, < rebinding, whole seconds)."),
            FieldDoc("rebinding", "duration", FieldDoc.required, "Rebinding time T2 (≥ 45s, < lease, whole seconds)."),
        ])

    public static let sweepSection = SectionDoc(
        path: "sweep", noun: "the sweep",
        summary:
            "A parameter study: each parameter is a `--set` path with its values; `vnetsim sweep` runs every combination "
            + "(the first parameter varies slowest) except those a `where` rules out, each `replications` times.",
        fields: [
            FieldDoc(
                "parameters", "mapping of path → Values", FieldDoc.required,
                "Each key a path as `--set` takes it (`vms.web.count`, `flows.send.rate`), each value a list (`[8, 16, 32]`), "
                    + "a range (`{from: 100Mbps, to: 1Gbps, step: 100Mbps}` or `factor: 2`) or the command line's text (`8..64/8`, `1..64*2`)."
            ),
            FieldDoc(
                "zip", "list of lists of paths", "none",
                "Parameters that vary together instead of in combination (`[[flows.a.rate, flows.b.rate]]`): their lists have one length."
            ),
            FieldDoc(
                "where", "list of comparisons", "none",
                "Conditions every point must meet, over the swept parameters with units (`vms.web.count * flows.send.rate <= 10Gbps`); "
                    + "operators are separated by spaces."),
        ])

    public static let compareSection = SectionDoc(
        path: "compare", noun: "the comparison",
        summary:
            "Variants run side by side with common random numbers: each parameter a `--set` path with one value per variant "
            + "(several parameters vary together).",
        fields: [
            FieldDoc(
                "parameters", "mapping of path → Values", FieldDoc.required,
                "E.g. `vms.guest.adapters.eth0.type: [synthetic, emulated]`; the first variant is the baseline of the differences.")
        ])

    public static let planSection = SectionDoc(
        path: "plan", noun: "the plan",
        summary:
            "A capacity plan: the largest value of `grow` for which every objective holds at the study's confidence, "
            + "found by doubling then bisection, `replications` runs at each value.",
        fields: [
            FieldDoc("grow", "string", FieldDoc.required, "The `--set` path to grow: a VM count, a rate, a flow's size."),
            FieldDoc("from", "string", "1", "The smallest value (with the path's unit: `100Mbps`)."),
            FieldDoc("to", "string", "none (unbounded; at most 20 doublings)", "The largest value."),
            FieldDoc(
                "resolution", "string", "1 (a whole number)",
                "How exact the answer is: the search stops when the passing and failing values are this close."),
            FieldDoc(
                "slo", "list of comparisons", FieldDoc.required,
                "Objectives over metrics by their catalog names: `host.root_cpu_utilization <= 80%`, `flow.*.latency_p99 <= 1ms`, "
                    + "`nic.pnic0.rx_link_utilization < 95%`."),
        ])

    public static let studyValues = SectionDoc(
        path: "sweep.parameters.<path>", noun: "a range of values",
        summary:
            "A range: from `from` to `to` by adding `step` or multiplying by `factor` (one of the two); `to` is included when a step lands on it.",
        fields: [
            FieldDoc("from", "string", FieldDoc.required, "The first value, with its unit (`100Mbps`, `8`)."),
            FieldDoc("to", "string", FieldDoc.required, "The last value, in the same unit."),
            FieldDoc("step", "string", "none", "Added to each value (`100Mbps`)."),
            FieldDoc("factor", "string", "none", "Multiplies each value (`2`)."),
        ])

    /// All sections in documentation order.
    public static let sections: [SectionDoc] = [
        top, hostSection, vmbusDrain, costProfile, costs, cost, costPiece, nicSection, dynamicVMQ, coalescing, switchSection, vmSection,
        adapterSection,
        offloads, emulated, flowSection, distribution, action, capture, network, dhcp, sweepSection, compareSection, planSection,
        studyValues,
    ]
}
