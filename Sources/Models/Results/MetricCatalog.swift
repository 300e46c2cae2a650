// Every metric a run reports, declared once: name, unit, the entity kinds that report it, label, meaning,
// denominator and the cycle domains it sums. The report sections add values by spec (`ReportContext.add`), the
// reports take names, units and labels from here, docs/metrics.md is generated from `MetricCatalog.all`, and a
// test fails if any output uses a name not declared here.
//
// The naming scheme (docs/metrics.md, "Names"):
//
//     [<qualifier>_]<quantity>[_per_<denominator>][_<statistic>]
//
// * qualifier: a cycle domain (`root`, `hypervisor`, `guest`; `host` = root + hypervisor, `all` = root +
//   hypervisor + guest), a direction (`tx`/`rx` on the wire or a port, `send`/`receive` on a VMBus channel,
//   `in`/`out` at a switch port) or a fate (`sent`, `delivered`, `forwarded`, `flooded`, `failed`);
// * quantity: a plural count noun (`packets`, `cycles`, `signals`, `interrupts`, `vm_exits`, `transactions`),
//   or `goodput`, `throughput` (Gb/s), `cpu_utilization` (percent of stated cores), `cpu_cores` (cores busy);
// * `_per_second` for rates, `_per_packet`, `_per_byte`, `_per_message`, `_per_interrupt` for ratios;
// * a statistic last (`_mean`, `_max`);
// * a family `<name>.<value>` for a variable part, e.g. `drops.<cause>`.

/// Every metric of vnetsim's reports. Adding a metric is adding one `static let` here and to `all`.
public enum MetricCatalog {
    // MARK: Kind sets

    static let cycleOwners: Set<EntityKind> = [.host, .adapter, .flow, .control]
    static let perPacketDenominator =
        "packets: host — every packet delivered after the warm-up (flow data, ACKs, control copies); adapter — the packets it sent and received; flow — its delivered packets and ACKs; control — its copies delivered"
    static let perByteDenominator = "payload bytes delivered after the warm-up (host: all flows; flow: its own)"

    // MARK: Throughput and packets

    public static let goodput = MetricSpec(
        "goodput", "Gbps", [.host, .flow, .vswitch], label: "goodput",
        meaning:
            "Payload delivered to the receiving application (headers, ACKs and control packets excluded); switch — of the flows between two of its own ports.",
        per: "the measured window")
    public static let txGoodput = MetricSpec(
        "tx_goodput", "Gbps", [.vm], label: "goodput sent", meaning: "Payload of the VM's flows delivered to their receivers.",
        per: "the measured window")
    public static let rxGoodput = MetricSpec(
        "rx_goodput", "Gbps", [.vm], label: "goodput received", meaning: "Payload delivered to the VM by the flows it receives.",
        per: "the measured window")
    public static let throughput = MetricSpec(
        "throughput", "Gbps", [.vswitch], label: "throughput", meaning: "Frame bytes the switch forwarded.", per: "the measured window")
    public static let txThroughput = MetricSpec(
        "tx_throughput", "Gbps", [.vm, .nic], label: "tx throughput",
        meaning:
            "Bytes sent: VM — frame bytes into the switch from its adapters; NIC — the transmit wire's busy time inside the window at the link rate (preamble and gap included; a frame crossing the window's edge counts for its part inside, so it never exceeds the rate).",
        per: "the measured window")
    public static let rxThroughput = MetricSpec(
        "rx_throughput", "Gbps", [.vm, .nic], label: "rx throughput",
        meaning:
            "Bytes received: VM — frame bytes out of the switch to its adapters; NIC — the receive wire's busy time inside the window at the link rate (as tx_throughput).",
        per: "the measured window")
    public static let deliveredPackets = MetricSpec(
        "delivered_packets", "packets", [.host, .flow, .control], label: "packets delivered",
        meaning:
            "Packets delivered after the warm-up: host — every packet (flow data, ACKs, control copies); flow — its data packets (requests and responses; ACKs are `ack_packets`); control — copies delivered."
    )
    public static let deliveredPacketsPerSecond = MetricSpec(
        "delivered_packets_per_second", "pps", [.host, .flow], label: "packets/s",
        meaning:
            "`delivered_packets` as a rate: host — every packet delivered (ACKs and control copies included); flow — its data packets.",
        per: "the measured window")
    public static let flowDeliveredPacketsPerSecond = MetricSpec(
        "flow_delivered_packets_per_second", "pps", [.host], label: "flow packets/s",
        meaning:
            "The flows' data packets delivered per second, ACKs and control packets excluded: the sum of the flow rows' `delivered_packets_per_second`.",
        per: "the measured window")
    public static let sentPackets = MetricSpec(
        "sent_packets", "packets", [.flow, .control, .network], label: "packets sent",
        meaning: "Packets the flow or control component created; network — frames it took from its connections (`PacketsSent`).")
    public static let ackPackets = MetricSpec(
        "ack_packets", "packets", [.flow], label: "ACKs", meaning: "ACKs delivered back to a bulk flow's sender.")
    public static let offeredMessages = MetricSpec(
        "offered_messages", "messages", [.flow], label: "messages offered", meaning: "Messages the flow's source offered.")
    public static let lossRatio = MetricSpec(
        "loss_ratio", "fraction", [.flow], label: "loss", meaning: "Packets dropped.", per: "packets sent")
    public static let transactions = MetricSpec(
        "transactions", "transactions", [.flow], label: "transactions", meaning: "Request/response transactions completed.")
    public static let transactionsPerSecond = MetricSpec(
        "transactions_per_second", "tps", [.flow], label: "transactions/s", meaning: "Transactions completed.",
        per: "the measured window")
    public static let failedTransactions = MetricSpec(
        "failed_transactions", "transactions", [.flow], label: "failed transactions",
        meaning: "Transactions abandoned because a packet of theirs was dropped.")
    public static let txPackets = MetricSpec(
        "tx_packets", "packets", [.vm, .nic], label: "tx packets",
        meaning: "Packets sent: VM — frames into the switch from its adapters; NIC — packets handed to the NIC to transmit.")
    public static let rxPackets = MetricSpec(
        "rx_packets", "packets", [.vm, .nic], label: "rx packets",
        meaning: "Packets received: VM — frames out of the switch to its adapters; NIC — packets received from the wire.")
    public static let txPacketsPerSecond = MetricSpec(
        "tx_packets_per_second", "pps", [.vm], label: "tx packets/s", meaning: "`tx_packets` as a rate.", per: "the measured window")
    public static let rxPacketsPerSecond = MetricSpec(
        "rx_packets_per_second", "pps", [.vm], label: "rx packets/s", meaning: "`rx_packets` as a rate.", per: "the measured window")
    public static let txSegments = MetricSpec(
        "tx_segments", "frames", [.nic], label: "tx frames", meaning: "Wire frames transmitted (an LSO packet is several).")
    public static let txLinkUtilization = MetricSpec(
        "tx_link_utilization", "percent", [.nic], label: "tx link busy", meaning: "Time the transmit side of the link was busy.",
        per: "the measured window")
    public static let rxLinkUtilization = MetricSpec(
        "rx_link_utilization", "percent", [.nic], label: "rx link busy",
        meaning: "Time the receive side of the link (the wire from the peer) was busy.", per: "the measured window")
    public static let inFlightPackets = MetricSpec(
        "in_flight_packets", "packets", [.host], label: "packets in flight",
        meaning: "Packets created and not yet delivered or dropped, at each sample (a time series; a growing one is a backlog).")
    public static let sendPackets = MetricSpec(
        "send_packets", "packets", [.adapter, .channel], label: "packets sent",
        meaning: "Packets the adapter sent (guest → host); of a channel (`ADAPTER/chN`), the ones it sent on that VMBus channel.")
    public static let receivePackets = MetricSpec(
        "receive_packets", "packets", [.adapter, .channel], label: "packets received",
        meaning: "Packets the adapter received (host → guest); of a channel (`ADAPTER/chN`), the ones it received on that channel.")
    public static let vfTxPackets = MetricSpec(
        "vf_tx_packets", "packets", [.adapter], label: "VF packets sent",
        meaning: "SR-IOV: packets the adapter's virtual function handed to the NIC (no vSwitch, no VMBus; not in `send_packets`).")
    public static let vfRxPackets = MetricSpec(
        "vf_rx_packets", "packets", [.adapter], label: "VF packets received",
        meaning: "SR-IOV: frames the NIC put in the virtual function's receive queue (not in `receive_packets`).")
    public static let vfPackets = MetricSpec(
        "vf_packets", "packets", [.adapter], label: "VF packets",
        meaning: "SR-IOV: `vf_tx_packets` + `vf_rx_packets`, the adapter's traffic through its virtual function.")
    public static let vfInterrupts = MetricSpec(
        "vf_interrupts", "interrupts", [.adapter], label: "VF interrupts",
        meaning:
            "SR-IOV: receive interrupts of the virtual function, delivered to the VM's vCPU (each costs `vf_interrupt`); also in the NIC's and the host's `interrupts`."
    )
    public static let inPackets = MetricSpec(
        "in_packets", "packets", [.port], label: "packets in", meaning: "Frames that entered the switch through the port.")
    public static let outPackets = MetricSpec(
        "out_packets", "packets", [.port], label: "packets out", meaning: "Frames the switch sent out of the port.")
    public static let inBytes = MetricSpec("in_bytes", "bytes", [.port], label: "bytes in", meaning: "Frame bytes of `in_packets`.")
    public static let outBytes = MetricSpec("out_bytes", "bytes", [.port], label: "bytes out", meaning: "Frame bytes of `out_packets`.")
    public static let inPacketsPerSecond = MetricSpec(
        "in_packets_per_second", "pps", [.port], label: "packets in/s", meaning: "`in_packets` as a rate.", per: "the measured window")
    public static let outPacketsPerSecond = MetricSpec(
        "out_packets_per_second", "pps", [.port], label: "packets out/s", meaning: "`out_packets` as a rate.",
        per: "the measured window")
    public static let forwardedPackets = MetricSpec(
        "forwarded_packets", "packets", [.vswitch], label: "packets forwarded", meaning: "Frames the switch forwarded.")
    public static let forwardedPacketsPerSecond = MetricSpec(
        "forwarded_packets_per_second", "pps", [.vswitch], label: "packets forwarded/s", meaning: "`forwarded_packets` as a rate.",
        per: "the measured window")
    public static let floodedPackets = MetricSpec(
        "flooded_packets", "packets", [.vswitch], label: "packets flooded",
        meaning: "Frames flooded (unknown unicast or broadcast), each counted once.")
    public static let learnedMACs = MetricSpec(
        "learned_macs", "addresses", [.vswitch], label: "learned addresses", meaning: "Addresses in the switch's learned table at the end.")
    public static let rscCoalescedSegments = MetricSpec(
        "rsc_coalesced_segments", "packets", [.vswitch, .nic], label: "segments coalesced",
        meaning:
            "TCP segments RSC merged into the packet before them of their stream: in the vSwitch (`rsc`, per NIC receive pass) or in the NIC's hardware (a NIC's `rsc`). The packet they joined carries them on; they are delivered or dropped with it."
    )

    // MARK: Drops

    public static let drops = MetricSpec(
        "drops", "packets", [.flow, .port, .vswitch, .control, .network], label: "drops",
        meaning:
            "Packets dropped (every cause): flow and control — of their own; port and switch — at their ports; network — at its ports, and its incomplete transmissions (`PacketsDropped`)."
    )
    public static let dropsByCause = MetricSpec(
        "drops", "packets", [.host, .flow, .port, .vswitch, .control], label: "drops",
        meaning:
            "Packets dropped for one cause (host: every cause its platform has, zeros included; the others: the causes that occurred).",
        family: ("cause", dropCauses))
    /// Every drop cause, as in `drops.<cause>` and in conservation.csv.
    public static var dropCauses: [String] { DropCause.allCases.map(\.name) }

    // MARK: CPU

    public static let rootCPUUtilization = MetricSpec(
        "root_cpu_utilization", "percent", [.host], label: "root",
        meaning: "Root-partition work on the root cores (the hypervisor's time on them excluded).",
        per: "the root cores (`root_core_count`) × the measured window", domains: [.root])
    public static let hypervisorCPUUtilization = MetricSpec(
        "hypervisor_cpu_utilization", "percent", [.host, .core, .vm], label: "hypervisor",
        meaning: "Hypervisor work (intercepts, signals, interrupt injection).",
        per: "host — every core (`core_count`); core — the core; VM — its vCPUs; each × the measured window", domains: [.hypervisor])
    public static let guestCPUUtilization = MetricSpec(
        "guest_cpu_utilization", "percent", [.host, .core, .vm], label: "guest",
        meaning: "Guest work on vCPUs (the hypervisor's time on them excluded).",
        per: "host — every vCPU (`vcpu_count`); core (a vCPU) — itself; VM — its vCPUs; each × the measured window", domains: [.guest])
    public static let cpuUtilization = MetricSpec(
        "cpu_utilization", "percent", [.core], label: "CPU",
        meaning:
            "Everything that ran on the core: a root core — root partition and hypervisor; a physical core shared by vCPUs — their guest and hypervisor work.",
        per: "the core × the measured window", domains: [.root, .hypervisor, .guest])
    public static let stalledShare = MetricSpec(
        "stalled_share", "percent", [.core], label: "stalled", meaning: "Time a vCPU waited for its physical core (shared placement).",
        per: "the measured window")
    public static let rootCPUCores = MetricSpec(
        "root_cpu_cores", "cores", [.host], label: "root cores busy", meaning: "Root-partition cycles as cores busy.",
        per: "clock × the measured window", domains: [.root])
    public static let hypervisorCPUCores = MetricSpec(
        "hypervisor_cpu_cores", "cores", [.host], label: "hypervisor cores busy", meaning: "Hypervisor cycles as cores busy.",
        per: "clock × the measured window", domains: [.hypervisor])
    public static let guestCPUCores = MetricSpec(
        "guest_cpu_cores", "cores", [.host], label: "guest cores busy", meaning: "Guest cycles as cores busy.",
        per: "clock × the measured window", domains: [.guest])
    public static let hostCPUCores = MetricSpec(
        "host_cpu_cores", "cores", cycleOwners, label: "host cores busy",
        meaning: "Root and hypervisor cycles (of the whole host, or billed to the entity) as cores busy.",
        per: "clock × the measured window", domains: [.root, .hypervisor])
    public static let allCPUCores = MetricSpec(
        "all_cpu_cores", "cores", [.component, .flow], label: "cores busy",
        meaning: "Cycles of every domain (root, hypervisor, guest) of the component or flow as cores busy.",
        per: "clock × the measured window", domains: [.root, .hypervisor, .guest])
    public static let rootCoreCount = MetricSpec(
        "root_core_count", "cores", [.host], label: "root cores", meaning: "Cores dedicated to the root partition.")
    public static let coreCount = MetricSpec("core_count", "cores", [.host], label: "cores", meaning: "The host's physical cores.")
    public static let vcpuCount = MetricSpec("vcpu_count", "vCPUs", [.host], label: "vCPUs", meaning: "The VMs' vCPUs, all together.")

    // MARK: Cycles

    public static let rootCycles = MetricSpec(
        "root_cycles", "cycles", cycleOwners.subtracting([.host]).union([.component]), label: "root cycles",
        meaning: "Root-partition cycles billed to the entity.", domains: [.root])
    public static let hypervisorCycles = MetricSpec(
        "hypervisor_cycles", "cycles", cycleOwners.subtracting([.host]).union([.component]), label: "hypervisor cycles",
        meaning: "Hypervisor cycles billed to the entity.", domains: [.hypervisor])
    public static let guestCycles = MetricSpec(
        "guest_cycles", "cycles", cycleOwners.subtracting([.host]).union([.component]), label: "guest cycles",
        meaning: "Guest cycles billed to the entity.", domains: [.guest])
    public static let allCycles = MetricSpec(
        "all_cycles", "cycles", [.core], label: "cycles", meaning: "Cycles of every domain that ran on the (root) core.",
        domains: [.root, .hypervisor, .guest])
    public static let rootCyclesPerPacket = MetricSpec(
        "root_cycles_per_packet", "cycles/packet", cycleOwners, label: "root cycles/packet", meaning: "Root-partition cycles per packet.",
        per: perPacketDenominator, domains: [.root])
    public static let hypervisorCyclesPerPacket = MetricSpec(
        "hypervisor_cycles_per_packet", "cycles/packet", cycleOwners, label: "hypervisor cycles/packet",
        meaning: "Hypervisor cycles per packet.", per: perPacketDenominator, domains: [.hypervisor])
    public static let guestCyclesPerPacket = MetricSpec(
        "guest_cycles_per_packet", "cycles/packet", cycleOwners, label: "guest cycles/packet", meaning: "Guest cycles per packet.",
        per: perPacketDenominator, domains: [.guest])
    public static let hostCyclesPerPacket = MetricSpec(
        "host_cycles_per_packet", "cycles/packet", cycleOwners, label: "host cycles/packet",
        meaning: "Host overhead: root-partition plus hypervisor cycles per packet (guest cycles excluded).", per: perPacketDenominator,
        domains: [.root, .hypervisor])
    public static let allCyclesPerPacket = MetricSpec(
        "all_cycles_per_packet", "cycles/packet", cycleOwners.union([.component]), label: "all cycles/packet",
        meaning: "Cycles of every domain (root, hypervisor, guest) per packet.",
        per: perPacketDenominator + "; component — every packet delivered host-wide", domains: [.root, .hypervisor, .guest])
    public static let rootCyclesPerByte = MetricSpec(
        "root_cycles_per_byte", "cycles/byte", [.host], label: "root cycles/byte", meaning: "Root-partition cycles per payload byte.",
        per: perByteDenominator, domains: [.root])
    public static let hypervisorCyclesPerByte = MetricSpec(
        "hypervisor_cycles_per_byte", "cycles/byte", [.host], label: "hypervisor cycles/byte",
        meaning: "Hypervisor cycles per payload byte.",
        per: perByteDenominator, domains: [.hypervisor])
    public static let guestCyclesPerByte = MetricSpec(
        "guest_cycles_per_byte", "cycles/byte", [.host], label: "guest cycles/byte", meaning: "Guest cycles per payload byte.",
        per: perByteDenominator, domains: [.guest])
    public static let hostCyclesPerByte = MetricSpec(
        "host_cycles_per_byte", "cycles/byte", [.host], label: "host cycles/byte",
        meaning: "Root-partition plus hypervisor cycles per payload byte.", per: perByteDenominator, domains: [.root, .hypervisor])
    public static let allCyclesPerByte = MetricSpec(
        "all_cycles_per_byte", "cycles/byte", [.host, .component, .flow], label: "all cycles/byte",
        meaning: "Cycles of every domain per payload byte.", per: perByteDenominator + "; component — all flows",
        domains: [.root, .hypervisor, .guest])
    public static let cyclesShare = MetricSpec(
        "cycles_share", "percent", [.component], label: "share of cycles", meaning: "The component's cycles, every domain.",
        per: "every cycle of the run (root + hypervisor + guest)", domains: [.root, .hypervisor, .guest])

    // MARK: Signals, interrupts, exits

    public static let signals = MetricSpec(
        "signals", "signals", [.host, .adapter], label: "signals",
        meaning:
            "VMBus signals (guest → host notifications, each a hypercall): for sent packets, and for the receive completions the guest returns."
    )
    public static let signalsPerSecond = MetricSpec(
        "signals_per_second", "signals/s", [.host, .adapter], label: "signals/s", meaning: "`signals` as a rate.",
        per: "the measured window")
    public static let signalsPerPacket = MetricSpec(
        "signals_per_packet", "signals/packet", [.host, .adapter], label: "signals/packet", meaning: "`signals` per packet.",
        per: "host — every packet delivered; adapter — packets sent and received")
    public static let interrupts = MetricSpec(
        "interrupts", "interrupts", [.host, .adapter, .nic], label: "interrupts",
        meaning:
            "Interrupts: synthetic adapter — SynIC interrupts and writer wake-ups; emulated adapter — emulated interrupts; NIC — receive interrupts; host — all of them."
    )
    public static let interruptsPerSecond = MetricSpec(
        "interrupts_per_second", "interrupts/s", [.host, .adapter, .nic], label: "interrupts/s", meaning: "`interrupts` as a rate.",
        per: "the measured window")
    public static let interruptsPerPacket = MetricSpec(
        "interrupts_per_packet", "interrupts/packet", [.host, .adapter], label: "interrupts/packet",
        meaning:
            "Interrupts per packet (synthetic adapter: SynIC interrupts for received data and for send completions, writer wake-ups excluded).",
        per: "host — every packet delivered; adapter — packets sent and received")
    public static let receiveCompletions = MetricSpec(
        "receive_completions", "completions", [.adapter], label: "receive completions",
        meaning:
            "Receive completions the guest returned to NetVSP (one per received packet, written together at the end of each receive pass, as Linux's multi_recv_comp does), each freeing a receive-buffer section."
    )
    public static let sendCompletions = MetricSpec(
        "send_completions", "completions", [.adapter], label: "send completions",
        meaning:
            "VMBus send completions NetVSP returned to the guest (one VM_PKT_COMP per send message), each read and handled by NetVSC.")
    public static let packetsPerInterrupt = MetricSpec(
        "packets_per_interrupt", "packets/interrupt", [.nic], label: "packets/interrupt", meaning: "Packets received.",
        per: "receive interrupts")
    public static let vmExits = MetricSpec(
        "vm_exits", "exits", [.host, .adapter], label: "VM exits",
        meaning: "VM exits: signals, SynIC interrupts, trapped register accesses and SR-IOV VF interrupts.")
    public static let vmExitsPerSecond = MetricSpec(
        "vm_exits_per_second", "exits/s", [.host, .adapter], label: "VM exits/s", meaning: "`vm_exits` as a rate.",
        per: "the measured window")
    public static let vmExitsPerPacket = MetricSpec(
        "vm_exits_per_packet", "exits/packet", [.host, .adapter], label: "VM exits/packet", meaning: "`vm_exits` per packet.",
        per: "host — every packet delivered; adapter — packets sent and received")
    public static let registerAccesses = MetricSpec(
        "register_accesses", "accesses", [.host, .adapter], label: "register accesses",
        meaning: "Trapped register accesses of emulated adapters (each a VM exit served by the worker process).")
    public static let registerAccessesPerPacket = MetricSpec(
        "register_accesses_per_packet", "accesses/packet", [.adapter], label: "register accesses/packet",
        meaning: "`register_accesses` per packet.", per: "packets sent and received")
    public static let writerWakeups = MetricSpec(
        "writer_wakeups", "interrupts", [.adapter], label: "writer wake-ups",
        meaning: "Interrupts that woke a writer blocked on a full ring.")

    // MARK: VMBus

    public static let sendMessages = MetricSpec(
        "send_messages", "messages", [.adapter], label: "messages sent", meaning: "VMBus messages (RNDIS batches) written to send rings.")
    public static let packetsPerMessage = MetricSpec(
        "packets_per_message", "packets/message", [.adapter], label: "packets/message", meaning: "Packets sent.",
        per: "send_messages")
    public static let sendRingTransitions = MetricSpec(
        "send_ring_transitions", "transitions", [.adapter], label: "send ring empty→non-empty",
        meaning: "Empty → non-empty transitions of the send rings (each may signal).")
    public static let sendRingMaskedTransitions = MetricSpec(
        "send_ring_masked_transitions", "transitions", [.adapter], label: "masked transitions",
        meaning: "Transitions while the reader had interrupts masked (no signal).")
    public static let vspBatchMean = MetricSpec(
        "vsp_batch_mean", "packets", [.adapter], label: "VSP batch", meaning: "Packets the VSP took per drain of a send ring.",
        per: "drains")
    public static let vspDPCs = MetricSpec(
        "vsp_dpcs", "DPCs", [.adapter], label: "VSP drain DPCs",
        meaning:
            "NetVSP drain DPCs of the send rings: one per signal, and one more each time a DPC stops at its packet quota or cycle budget with packets left (host.vmbus_drain)."
    )
    public static let vspQuotaHits = MetricSpec(
        "vsp_quota_hits", "DPCs", [.adapter], label: "VSP quota hits",
        meaning: "Drain DPCs that stopped at their packet quota with packets left in the send ring.")
    public static let vspBudgetHits = MetricSpec(
        "vsp_budget_hits", "DPCs", [.adapter], label: "VSP budget hits",
        meaning: "Drain DPCs that stopped at their cycle budget (before their quota) with packets left in the send ring.")
    public static let guestBatchMean = MetricSpec(
        "guest_batch_mean", "packets", [.adapter], label: "guest batch", meaning: "Packets the guest took per drain of a receive ring.",
        per: "drains")
    public static let sendRingOccupancyMean = MetricSpec(
        "send_ring_occupancy_mean", "bytes", [.channel], label: "send ring mean", meaning: "Time-weighted mean bytes in the send ring.",
        per: "the measured window")
    public static let receiveRingOccupancyMean = MetricSpec(
        "receive_ring_occupancy_mean", "bytes", [.channel], label: "receive ring mean",
        meaning: "Time-weighted mean bytes in the receive ring.", per: "the measured window")
    public static let sendRingOccupancyMax = MetricSpec(
        "send_ring_occupancy_max", "bytes", [.channel], label: "send ring max", meaning: "Most bytes in the send ring (whole run).")
    public static let receiveRingOccupancyMax = MetricSpec(
        "receive_ring_occupancy_max", "bytes", [.channel], label: "receive ring max", meaning: "Most bytes in the receive ring (whole run)."
    )
    public static let ringCapacity = MetricSpec(
        "ring_capacity", "bytes", [.channel], label: "ring capacity", meaning: "Bytes each ring of the channel holds.")

    // MARK: NIC queues

    public static let vmqMoves = MetricSpec(
        "vmq_moves", "queues", [.nic], label: "VMQ moves",
        meaning:
            "Dynamic VMQ: times a VMQ queue of the NIC moved to another core (spreading or coalescing); its `queue_core` is where it ended."
    )
    public static let queuePackets = MetricSpec(
        "queue_packets", "packets", [.nic], label: "queue packets", meaning: "Packets through one receive queue (entity `NIC/rxQ`).")
    public static let queueInterrupts = MetricSpec(
        "queue_interrupts", "interrupts", [.nic], label: "queue interrupts", meaning: "Interrupts of one receive queue.")
    public static let queueCore = MetricSpec(
        "queue_core", "core", [.nic], label: "queue core", meaning: "The root core the receive queue interrupts (its index).")

    // MARK: Latency (brief-mode distributions across entities)

    public static let latencyP50 = MetricSpec(
        "latency_p50", "us", [.flow, .vm, .port, .vswitch], label: "p50 latency",
        meaning: "Median one-way latency (request/response flows: transaction time); latency.csv's `p50_us`.")
    public static let latencyP99 = MetricSpec(
        "latency_p99", "us", [.flow, .vm, .port, .vswitch], label: "p99 latency",
        meaning: "99th-percentile latency; latency.csv's `p99_us`.")

    // MARK: Virtual Server

    public static let sentBytes = MetricSpec(
        "sent_bytes", "bytes", [.network], label: "bytes sent",
        meaning:
            "Frame bytes the network took from its connections (VM adapters, its DHCP server, the host NIC): `IVMVirtualNetwork::BytesSent`.",
        per: "the measured window")
    public static let receivedBytes = MetricSpec(
        "received_bytes", "bytes", [.network], label: "bytes received",
        meaning: "Frame bytes the network handed to its connections (a flooded frame once per copy).", per: "the measured window")
    public static let receivedPackets = MetricSpec(
        "received_packets", "packets", [.network], label: "packets received",
        meaning: "Frames the network handed to its connections (a flooded frame once per copy).", per: "the measured window")
    public static let droppedBytes = MetricSpec(
        "dropped_bytes", "bytes", [.network], label: "bytes dropped",
        meaning: "Frame bytes the network dropped (no port, detached, not addressed, its incomplete transmissions).",
        per: "the measured window")
    public static let sentBytesPerSecond = MetricSpec(
        "sent_bytes_per_second", "B/s", [.network], label: "bytes sent/s",
        meaning:
            "Bytes sent per second (`BytesSentPerSecond`): metric — the window's mean; series — each sample interval's (the one-second samples are in networks.csv)."
    )
    public static let receivedBytesPerSecond = MetricSpec(
        "received_bytes_per_second", "B/s", [.network], label: "bytes received/s",
        meaning: "Bytes received per second: metric — the window's mean; series — each sample interval's.")
    public static let droppedBytesPerSecond = MetricSpec(
        "dropped_bytes_per_second", "B/s", [.network], label: "bytes dropped/s",
        meaning: "Bytes dropped per second: metric — the window's mean; series — each sample interval's.")
    public static let incompleteTransmissions = MetricSpec(
        "incomplete_transmissions", "packets", [.host, .flow, .network], label: "incomplete transmissions",
        meaning:
            "Packets in flight on a network when it was deleted or unregistered (queued at a port, being forwarded, on an adapter's way in or out), lost there.",
        per: "the measured window")
    public static let incompleteBytes = MetricSpec(
        "incomplete_bytes", "bytes", [.host, .flow, .network], label: "incomplete bytes",
        meaning: "Frame bytes of the incomplete transmissions.", per: "the measured window")
    public static let unsentMessages = MetricSpec(
        "unsent_messages", "messages", [.flow], label: "messages not sent",
        meaning:
            "Messages an open-loop source offered while an end could not send (its adapter removed, its VM stopped, no DHCP lease): refused by the stack, never packets.",
        per: "the measured window")
    public static let retransmittedPackets = MetricSpec(
        "retransmitted_packets", "packets", [.flow], label: "retransmitted",
        meaning: "Bulk: segments its TCP sent again (fast retransmit, partial ACK in recovery, or after a retransmission timeout).",
        per: "the measured window")
    public static let fastRetransmits = MetricSpec(
        "fast_retransmits", "packets", [.flow], label: "fast retransmits",
        meaning: "Bulk: retransmissions on the third duplicate ACK or on a partial ACK during fast recovery (RFC 5681, 6582).",
        per: "the measured window")
    public static let retransmissionTimeouts = MetricSpec(
        "retransmission_timeouts", "timeouts", [.flow], label: "RTO timeouts",
        meaning: "Bulk: retransmission timeouts that fired (RFC 6298): the window fell to one segment.", per: "the measured window")
    public static let congestionWindow = MetricSpec(
        "congestion_window", "bytes", [.flow], label: "cwnd",
        meaning: "Bulk: the congestion windows of its streams together at the end of the run.")
    public static let socketBlocks = MetricSpec(
        "socket_blocks", "blocks", [.flow], label: "socket blocks",
        meaning:
            "Times an open-loop blocking sender found its socket send buffer full and slept until its adapter completed enough packets.",
        per: "the measured window")
    public static let socketBlockedShare = MetricSpec(
        "socket_blocked_share", "percent", [.flow], label: "sender blocked",
        meaning: "Time an open-loop blocking sender slept on a full socket send buffer (100 %: the path, not the source, sets the rate).",
        per: "the measured window")
    public static let attachedAdapters = MetricSpec(
        "attached_adapters", "adapters", [.network], label: "attached adapters", meaning: "VM adapters attached at the end of the run.")
    public static let accountedSentBytes = MetricSpec(
        "accounted_sent_bytes", "bytes", [.vm], label: "account: bytes sent",
        meaning:
            "`IVMAccountant::NetworkBytesSent`: frame bytes the VM's adapters sent since it last powered on, reset or was restored (not the measured window)."
    )
    public static let accountedReceivedBytes = MetricSpec(
        "accounted_received_bytes", "bytes", [.vm], label: "account: bytes received",
        meaning: "`IVMAccountant::NetworkBytesReceived`: as accounted_sent_bytes, received.")
    public static let accountedSentPackets = MetricSpec(
        "accounted_sent_packets", "packets", [.vm], label: "account: packets sent",
        meaning: "Frames the VM's adapters sent since it last powered on, reset or was restored.")
    public static let accountedReceivedPackets = MetricSpec(
        "accounted_received_packets", "packets", [.vm], label: "account: packets received",
        meaning: "Frames the VM's adapters received since it last powered on, reset or was restored.")
    public static let accountedSince = MetricSpec(
        "accounted_since", "s", [.vm], label: "account since",
        meaning: "When the VM's accountant counters were last reset (power on, reset, restore; 0 = the start).")

    // MARK: The catalog

    /// Every metric, in the order docs/metrics.md lists them.
    public static let all: [MetricSpec] = [
        goodput, txGoodput, rxGoodput, throughput, txThroughput, rxThroughput, deliveredPackets, deliveredPacketsPerSecond,
        flowDeliveredPacketsPerSecond, sentPackets, ackPackets, offeredMessages, lossRatio, transactions, transactionsPerSecond,
        failedTransactions, txPackets, rxPackets, txPacketsPerSecond, rxPacketsPerSecond, txSegments, txLinkUtilization,
        rxLinkUtilization, inFlightPackets, sendPackets,
        receivePackets, vfTxPackets, vfRxPackets, vfPackets, vfInterrupts, inPackets, outPackets, inBytes, outBytes, inPacketsPerSecond,
        outPacketsPerSecond, forwardedPackets,
        forwardedPacketsPerSecond, floodedPackets, learnedMACs, rscCoalescedSegments,
        drops, dropsByCause,
        rootCPUUtilization, hypervisorCPUUtilization, guestCPUUtilization, cpuUtilization, stalledShare, rootCPUCores,
        hypervisorCPUCores, guestCPUCores, hostCPUCores, allCPUCores, rootCoreCount, coreCount, vcpuCount,
        rootCycles, hypervisorCycles, guestCycles, allCycles, rootCyclesPerPacket, hypervisorCyclesPerPacket, guestCyclesPerPacket,
        hostCyclesPerPacket, allCyclesPerPacket, rootCyclesPerByte, hypervisorCyclesPerByte, guestCyclesPerByte, hostCyclesPerByte,
        allCyclesPerByte, cyclesShare,
        signals, signalsPerSecond, signalsPerPacket, interrupts, interruptsPerSecond, interruptsPerPacket, sendCompletions,
        receiveCompletions,
        packetsPerInterrupt,
        vmExits, vmExitsPerSecond, vmExitsPerPacket, registerAccesses, registerAccessesPerPacket, writerWakeups,
        sendMessages, packetsPerMessage, sendRingTransitions, sendRingMaskedTransitions, vspBatchMean, vspDPCs, vspQuotaHits,
        vspBudgetHits, guestBatchMean,
        sendRingOccupancyMean, receiveRingOccupancyMean, sendRingOccupancyMax, receiveRingOccupancyMax, ringCapacity,
        queuePackets, queueInterrupts, queueCore, vmqMoves,
        latencyP50, latencyP99,
        sentBytes, receivedBytes, receivedPackets, droppedBytes, sentBytesPerSecond, receivedBytesPerSecond,
        droppedBytesPerSecond,
        incompleteTransmissions, incompleteBytes, unsentMessages, socketBlocks, socketBlockedShare, retransmittedPackets,
        fastRetransmits, retransmissionTimeouts, congestionWindow, attachedAdapters, accountedSentBytes,
        accountedReceivedBytes,
        accountedSentPackets, accountedReceivedPackets, accountedSince,
    ]

    /// The metrics of the headline (summary.json `headline.metrics`, host rows), in reading order.
    public static let headline: [MetricSpec] = [
        goodput, deliveredPacketsPerSecond, flowDeliveredPacketsPerSecond, rootCPUUtilization, hypervisorCPUUtilization,
        guestCPUUtilization, rootCoreCount, coreCount, vcpuCount, hostCyclesPerPacket, allCyclesPerPacket, rootCyclesPerPacket,
        hypervisorCyclesPerPacket, guestCyclesPerPacket, rootCyclesPerByte, hostCyclesPerByte, allCyclesPerByte,
    ]

    /// Columns that tables list first after the headline's (then the rest as reported, drop counters last).
    public static let leadingColumns: [MetricSpec] = [
        goodput, deliveredPacketsPerSecond, cpuUtilization, guestCPUUtilization, rootCPUUtilization, hypervisorCPUUtilization,
        hostCyclesPerPacket, allCPUCores, cyclesShare,
    ]

    /// The spec of a metric name as written in a report (a family member resolves to its family), if declared.
    public static func spec(named name: String) -> MetricSpec? {
        if let s = singles[name] { return s }
        guard let dot = name.firstIndex(of: ".") else { return nil }
        let prefix = String(name[..<dot]), value = String(name[name.index(after: dot)...])
        guard let f = families[prefix], f.members?.contains(value) == true else { return nil }
        return f
    }

    static let singles: [String: MetricSpec] = Dictionary(
        all.filter { !$0.isFamily }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    static let families: [String: MetricSpec] = Dictionary(
        all.filter(\.isFamily).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// Why a metric row breaks the catalog (an undeclared name, a kind the spec does not list, another unit); nil if it
    /// keeps it.
    public static func problem(kind: EntityKind, metric: String, unit: String) -> String? {
        guard let s = spec(named: metric) else { return "\(kind.rawValue) metric '\(metric)' is not declared in MetricCatalog" }
        if !s.kinds.contains(kind) { return "metric '\(metric)' is reported by a \(kind.rawValue) but its spec lists \(s.kinds.sorted())" }
        if s.unit != unit { return "metric '\(metric)' is in '\(unit)' but its spec says '\(s.unit)'" }
        return nil
    }

    /// Every problem of a catalog with itself: a name declared twice, an empty kind set or meaning.
    public static func selfCheckProblems() -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for s in all {
            if !seen.insert(s.pattern).inserted { out.append("\(s.pattern) is declared twice") }
            if s.kinds.isEmpty { out.append("\(s.pattern) has no entity kinds") }
            if s.meaning.isEmpty || s.label.isEmpty || s.unit.isEmpty { out.append("\(s.pattern) lacks a meaning, label or unit") }
        }
        return out
    }
}
