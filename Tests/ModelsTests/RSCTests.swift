import Models
import SimCore
import Testing

/// Receive Segment Coalescing (docs/model.md, "RSC"): in the vSwitch (on by default on an external switch, as in
/// Windows Server 2019) and in the NIC (off by default: Hyper-V turns hardware RSC off on a NIC bound to a vSwitch).
/// Every frame from the wire either reaches the guest as a packet of its own or was merged into one, and the merged
/// segments are delivered (or dropped) with the packet that carries them — the expectations below are those identities
/// and the cycles each merge costs.
@Suite struct RSCTests {
    /// One 1-vCPU VM on an external switch; the peer sends a bulk TCP stream (MSS segments: the peer does not offload)
    /// and 100 Mb/s of UDP until 3 ms; the NIC interrupts every 8 frames, so a DPC pass sees several segments in a row.
    static func config(switchRSC: Bool? = nil, nicRSC: Bool = false, costs: CostProfile = .zero) -> SimulationConfig {
        var nic = NICConfig(
            name: "pnic0", coalescing: InterruptCoalescing(maxFrames: 8, maxDelay: .microseconds(20)), propagationDelay: .zero)
        nic.rsc = nicRSC
        var sw = SwitchConfig(name: "ext", kind: .external(nic: "pnic0"))
        sw.rsc = switchRSC
        return SimulationConfig(
            name: "rsc", seed: 11, duration: .milliseconds(8), warmup: .zero,
            host: HostConfig(cores: 4, clock: .gigahertz(3.0), rootCores: [0], costs: costs), nics: [nic], switches: [sw],
            vms: [VMConfig(name: "vm", vcpus: 1, adapters: [AdapterConfig(name: "eth0", switch: "ext")])],
            flows: [
                FlowConfig(
                    name: "bulk", from: .external(nic: "pnic0"), to: .vm("vm"), transport: .tcp, pattern: .bulk(),
                    stop: .milliseconds(3)),
                FlowConfig(
                    name: "udp", from: .external(nic: "pnic0"), to: .vm("vm"), pattern: .constant(rate: .megabits(100)),
                    stop: .milliseconds(3)),
            ])
    }

    @Test func theVSwitchMergesSegmentsBeforeTheGuest() throws {
        // Only vswitch_rsc costs (1,000 cycles per merged segment). Every frame the NIC received (N) is either one of
        // the guest's received packets (R) or a segment merged into one (M): R + M = N. Every segment is delivered
        // (no loss): the flows' delivered packets are N. The root's cycles are exactly 1,000 × M, all the bulk flow's.
        var costs = CostProfile.zero
        costs[.vSwitchRSC] = CostModel(fixed: 1_000, source: "test")
        let r = try runConfig(Self.config(costs: costs)).report
        let n = try r.metric(.nic, "pnic0", "rx_packets")
        let received = try r.metric(.adapter, "vm/eth0", "receive_packets")
        let merged = try r.metric(.vswitch, "ext", "rsc_coalesced_segments")
        #expect(merged > 0)
        #expect(received + merged == n)
        #expect(try r.metric(.flow, "bulk", "delivered_packets") + r.metric(.flow, "udp", "delivered_packets") == n)
        #expect(try r.metric(.flow, "bulk", "root_cycles") == 1_000 * merged)
        #expect(try r.metric(.flow, "udp", "root_cycles") == 0)  // UDP is never coalesced
        #expect(r.conservation.holds && r.conservation.inFlight == 0)
    }

    @Test func withoutRSCEverySegmentIsItsOwnPacket() throws {
        let r = try runConfig(Self.config(switchRSC: false)).report
        #expect(try r.metric(.adapter, "vm/eth0", "receive_packets") == r.metric(.nic, "pnic0", "rx_packets"))
        #expect(r.value(.vswitch, "ext", "rsc_coalesced_segments") == nil)
    }

    @Test func coalescingCutsTheGuestsPerPacketWorkAndTheACKs() throws {
        // Default costs. The same bytes cross as fewer, larger packets: the guest receives fewer packets and its
        // receiver acknowledges each coalesced packet of ≥ 2 MSS at once, so it sends fewer ACKs; the guest's cycles per
        // delivered byte (guest cycles over goodput, over the same window) fall.
        let on = try runConfig(Self.config(costs: CostProfile())).report
        let off = try runConfig(Self.config(switchRSC: false, costs: CostProfile())).report
        func perByte(_ r: RunReport) throws -> Double {
            try r.metric(.flow, "bulk", "guest_cycles") / r.metric(.flow, "bulk", "goodput")
        }
        #expect(try on.metric(.adapter, "vm/eth0", "receive_packets") < off.metric(.adapter, "vm/eth0", "receive_packets"))
        #expect(try on.metric(.adapter, "vm/eth0", "send_packets") < off.metric(.adapter, "vm/eth0", "send_packets"))
        #expect(try perByte(on) < perByte(off))
    }

    @Test func hardwareRSCMergesBeforeTheDriver() throws {
        // NIC RSC on, the vSwitch's off; only nic_driver_rx costs (1,000 per packet). Merged frames never become
        // descriptors: the driver runs once per coalesced packet, so the root's cycles are 1,000 × (N − M) and the
        // guest receives N − M packets.
        var costs = CostProfile.zero
        costs[.nicDriverRx] = CostModel(fixed: 1_000, source: "test")
        let r = try runConfig(Self.config(switchRSC: false, nicRSC: true, costs: costs)).report
        let n = try r.metric(.nic, "pnic0", "rx_packets")
        let merged = try r.metric(.nic, "pnic0", "rsc_coalesced_segments")
        #expect(merged > 0)
        #expect(try r.metric(.adapter, "vm/eth0", "receive_packets") == n - merged)
        #expect(try r.metric(.flow, "bulk", "root_cycles") + r.metric(.flow, "udp", "root_cycles") == 1_000 * (n - merged))
        #expect(r.conservation.holds && r.conservation.inFlight == 0)
    }

    @Test func aDroppedCoalescedPacketTakesItsSegmentsWithIt() throws {
        // A guest too slow for the stream (guest_stack_rx 200,000 cycles), 32 streams whose initial windows arrive at
        // once (320 segments), a ring of 30 descriptors and a port queue of 1: coalesced packets are dropped at the full
        // queue. Conservation counts each with the segments it carried (the run checks it and
        // throws if it fails), and the flow's drops are the segments lost.
        var c = Self.config(costs: CostProfile())
        c.switches[0].portQueuePackets = 1
        c.flows[0].pattern = .bulk(tcp: TCPOptions(streams: 32))
        c.vms[0].adapters[0].ringBytes = 8192
        c.host.costs[.guestStackRx] = CostModel(fixed: 200_000, source: "test")
        let r = try runConfig(c).report
        let drops = try r.metric(.flow, "bulk", "drops")
        #expect(drops > 0)
        #expect(try r.metric(.vswitch, "ext", "rsc_coalesced_segments") > 0)
        #expect(r.conservation.holds)
        let lost = r.conservation.droppedByCause["port_queue_full"] ?? 0
        #expect(Double(lost) >= drops)
    }
}
