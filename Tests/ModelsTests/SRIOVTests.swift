import Models
import SimCore
import Testing

/// SR-IOV virtual functions (docs/model.md, "SR-IOV"): the VF datapath bypasses the vSwitch and VMBus, its receive
/// interrupts go to the vCPU, and `remove_vf` / `restore_vf` switch the guest to the synthetic path and back. Each
/// test derives its expectation first, exactly (no tolerance: every time and cost is a whole number of cycles).
@Suite struct SRIOVTests {
    /// One VM (one vCPU) whose adapter has a VF on an SR-IOV NIC; 3.0 GHz, root core 0, no propagation delay.
    static func host(
        flows: [FlowConfig], costs: CostProfile, coalescing: InterruptCoalescing, timeline: [TimelineAction] = [],
        vms: [VMConfig]? = nil, duration: SimTime = .milliseconds(12)
    ) -> SimulationConfig {
        var c = SimulationConfig(
            name: "sriov", seed: 5, duration: duration, warmup: .zero,
            host: HostConfig(cores: 8, clock: .gigahertz(3.0), rootCores: [0], costs: costs),
            nics: [NICConfig(name: "pnic0", coalescing: coalescing, propagationDelay: .zero)],
            switches: [SwitchConfig(name: "ext", kind: .external(nic: "pnic0"))],
            vms: vms ?? [vm("vm", sriov: true)], flows: flows)
        c.nics[0].sriov = true
        c.timeline = timeline
        return c
    }

    static func vm(_ name: String, sriov: Bool) -> VMConfig {
        var a = AdapterConfig(name: "eth0", switch: "ext")
        a.sriov = sriov
        return VMConfig(name: name, vcpus: 1, adapters: [a])
    }

    /// 1,460-B messages every `interval` until `stop`.
    static func flow(_ name: String, from: Endpoint, to: Endpoint, interval: SimTime, stop: SimTime) -> FlowConfig {
        FlowConfig(
            name: name, from: from, to: to,
            pattern: .constant(rate: DataRate(bitsPerSecond: Int64(1460 * 8 * 1_000_000_000_000 / interval.picoseconds))),
            size: .fixed(1460), stop: stop)
    }

    @Test func transmitThroughTheVFCostsTheRootNothing() throws {
        // Default costs (every root stage costs). 1,460-B messages every 100 µs for 5 ms: 50 packets, all through the VF.
        // The vCPU pays guest_stack_tx 2,500 + 0.5 × 1,460 = 3,230 and vf_driver_tx 800: 4,030 cycles per packet, so
        // 50 × 4,030 = 201,500 guest cycles; no signal, no interrupt: 0 hypervisor cycles; no vSwitch, VSP or NIC driver:
        // 0 root cycles. The synthetic path carries nothing (send_packets 0), the NIC sends the 50.
        let f = Self.flow("out", from: .vm("vm"), to: .external(nic: "pnic0"), interval: .microseconds(100), stop: .milliseconds(5))
        let r = try runConfig(Self.host(flows: [f], costs: CostProfile(), coalescing: InterruptCoalescing())).report
        #expect(try r.metric(.flow, "out", "delivered_packets") == 50)
        #expect(try r.metric(.flow, "out", "guest_cycles") == 201_500)
        #expect(try r.metric(.flow, "out", "hypervisor_cycles") == 0)
        #expect(try r.metric(.flow, "out", "root_cycles") == 0)
        #expect(try r.metric(.host, "host", "root_cpu_utilization") == 0)
        #expect(try r.metric(.adapter, "vm/eth0", "vf_tx_packets") == 50)
        #expect(try r.metric(.adapter, "vm/eth0", "send_packets") == 0)
        #expect(try r.metric(.nic, "pnic0", "tx_packets") == 50)
        #expect(r.conservation.holds && r.conservation.inFlight == 0)
    }

    @Test func receiveInterruptsAreModeratedAndCostTheHypervisorOnTheVCPU() throws {
        // Default costs; the NIC interrupts every 4 frames (max_delay 10 ms never expires first). The peer sends 1,460-B
        // messages every 10 µs for 1 ms: 100 frames, 25 interrupts. A pass of 4 frames costs the vCPU 4 × (vf_driver_rx
        // 1,000 + guest_stack_rx 3,000 + 0.5 × 1,460) = 18,920 cycles (6.3 µs) after vf_interrupt's 1,500 (0.5 µs): done
        // before the next frame, so every interrupt finds exactly 4. Expected: vf_interrupts 25 (also the NIC's and the
        // host's interrupts), hypervisor cycles 25 × 1,500 = 37,500, guest cycles 100 × 4,730 = 473,000, root cycles 0
        // (no NIC ISR, DPC, driver or vSwitch on a root core), nothing through VMBus.
        let f = Self.flow("in", from: .external(nic: "pnic0"), to: .vm("vm"), interval: .microseconds(10), stop: .milliseconds(1))
        let r = try runConfig(
            Self.host(
                flows: [f], costs: CostProfile(), coalescing: InterruptCoalescing(maxFrames: 4, maxDelay: .milliseconds(10)),
                duration: .milliseconds(2))
        ).report
        #expect(try r.metric(.flow, "in", "delivered_packets") == 100)
        #expect(try r.metric(.adapter, "vm/eth0", "vf_interrupts") == 25)
        #expect(try r.metric(.nic, "pnic0", "interrupts") == 25)
        #expect(try r.metric(.host, "host", "interrupts") == 25)
        #expect(try r.metric(.flow, "in", "hypervisor_cycles") == 37_500)
        #expect(try r.metric(.flow, "in", "guest_cycles") == 473_000)
        #expect(try r.metric(.flow, "in", "root_cycles") == 0)
        #expect(try r.metric(.adapter, "vm/eth0", "vf_rx_packets") == 100)
        #expect(try r.metric(.adapter, "vm/eth0", "receive_packets") == 0)
        #expect(r.conservation.holds && r.conservation.inFlight == 0)
    }

    @Test func removingTheVFFallsBackToVMBusAndRestoringItSwitchesBack() throws {
        // Only vf_driver_tx (30,000 cycles = 10 µs) and the vSwitch (3,000) cost. "out": VM → peer every 100 µs for 10 ms
        // (sent at 0, 100, …, 9,900 µs: 100); "in": peer → VM, the same, arriving 1.2208 µs after each send (1,526 B at
        // 10 Gb/s). Moderation 32 frames or 150 µs: the VF's queue interrupts 150 µs after the first frame of each 200-µs
        // window, with 2 frames. remove_vf at 5,005 µs, restore_vf at 7,950 µs.
        // - out: 0…4,900 µs through the VF (50); the one sent at 5,000 µs is in the VF's transmit staging until 5,010 µs:
        //   dropped (vf_removed); 5,100…7,900 µs through VMBus (29: send_packets 29, root cycles 29 × 3,000 = 87,000);
        //   8,000…9,900 µs through the VF again (20). VF sent 70, delivered 99.
        // - in: frames 0…49 through the VF (25 interrupts); frame 50 (5,001.22 µs) waits in the VF's queue for its
        //   interrupt at 5,151.22 µs: dropped at the removal; frames 51…79 through the default queue, vSwitch and VMBus
        //   (receive_packets 29, root cycles 87,000); frames 80…99 through the VF again (10 interrupts). VF received 71
        //   (the dropped one included), delivered 99, VF interrupts 35.
        // Two vf_removed drops in all; conservation holds with nothing in flight.
        var costs = CostProfile.zero
        costs[.vfDriverTx] = CostModel(fixed: 30_000, source: "test")
        costs[.vSwitch] = CostModel(fixed: 3_000, source: "test")
        let out = Self.flow("out", from: .vm("vm"), to: .external(nic: "pnic0"), interval: .microseconds(100), stop: .milliseconds(10))
        let inbound = Self.flow("in", from: .external(nic: "pnic0"), to: .vm("vm"), interval: .microseconds(100), stop: .milliseconds(10))
        let r = try runConfig(
            Self.host(
                flows: [out, inbound], costs: costs, coalescing: InterruptCoalescing(maxFrames: 32, maxDelay: .microseconds(150)),
                timeline: [
                    TimelineAction(at: .microseconds(5_005), .removeVF(vm: "vm", adapter: "eth0")),
                    TimelineAction(at: .microseconds(7_950), .restoreVF(vm: "vm", adapter: "eth0")),
                ])
        ).report
        #expect(try r.metric(.host, "host", "drops.vf_removed") == 2)
        #expect(try r.metric(.flow, "out", "delivered_packets") == 99)
        #expect(try r.metric(.flow, "in", "delivered_packets") == 99)
        #expect(try r.metric(.adapter, "vm/eth0", "send_packets") == 29)
        #expect(try r.metric(.adapter, "vm/eth0", "receive_packets") == 29)
        #expect(try r.metric(.adapter, "vm/eth0", "vf_tx_packets") == 70)
        #expect(try r.metric(.adapter, "vm/eth0", "vf_rx_packets") == 71)
        #expect(try r.metric(.adapter, "vm/eth0", "vf_interrupts") == 35)
        #expect(try r.metric(.flow, "out", "root_cycles") == 87_000)
        #expect(try r.metric(.flow, "in", "root_cycles") == 87_000)
        #expect(r.conservation.holds && r.conservation.inFlight == 0)
    }

    @Test func theVFsFramesWaitingInTheNICGoWithIt() throws {
        // Every cost zero, a 100 Mb/s NIC, a sender without back-pressure: 1,460-B messages (1,506-B frames, 1,526 B on
        // the wire: 122.08 µs each) every 50 µs through the VF, sent at 0, 50, …, so the NIC's transmit queue grows.
        // remove_vf at 5,005 µs: 101 frames sent (0…5,000 µs); the NIC started frames 0…40 (frame 40 at 4,883.2 µs, on
        // the wire until 5,005.28 µs: it finishes); frames 41…100 wait in its queue and drop with the VF: 60 vf_removed.
        // Nothing waits in the VF's staging (no cost: each frame reaches the NIC when sent) or receive queue.
        let f = FlowConfig(
            name: "out", from: .vm("vm"), to: .external(nic: "pnic0"),
            pattern: .constant(rate: DataRate(bitsPerSecond: 1460 * 8 * 20_000)), size: .fixed(1460), stop: .milliseconds(10),
            socket: .unbounded)
        var c = Self.host(
            flows: [f], costs: .zero, coalescing: InterruptCoalescing(),
            timeline: [TimelineAction(at: .microseconds(5_005), .removeVF(vm: "vm", adapter: "eth0"))])
        c.nics[0].linkRate = .megabits(100)
        let r = try runConfig(c).report
        #expect(try r.metric(.host, "host", "drops.vf_removed") == 60)
        #expect(try r.metric(.adapter, "vm/eth0", "vf_tx_packets") == 101)
        #expect(r.conservation.holds)
    }

    @Test func aBlockingSenderOnTheVFIsPacedByTheNIC() throws {
        // Every cost zero; the VM offers 20 Gb/s of 1,460-B messages through its VF to a 10 Gb/s NIC with a blocking
        // socket (208 KiB: 142 frames of 1,506 B, far below the NIC's 1,024-frame transmit queue). A VF frame's socket
        // space is freed when the NIC has sent it, so the sender sleeps on a full buffer and wakes as the wire drains:
        // the wire stays busy (tx link utilization ≥ 99 % of the 10-ms window after a 2-ms warm-up) and nothing drops.
        // Were the space never freed, the sender would stop after 142 frames (≈ 0.2 ms of wire time).
        let f = FlowConfig(
            name: "out", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .gigabits(20)), size: .fixed(1460))
        var c = Self.host(flows: [f], costs: .zero, coalescing: InterruptCoalescing())
        c.warmup = .milliseconds(2)
        let r = try runConfig(c).report
        #expect(try r.metric(.nic, "pnic0", "tx_link_utilization") >= 99)
        #expect(try r.metric(.flow, "out", "drops") == 0)
        #expect(try r.metric(.flow, "out", "socket_blocks") > 0)
        #expect(try r.metric(.adapter, "vm/eth0", "send_packets") == 0)
        #expect(r.conservation.holds)
    }

    @Test func aVFFrameForAnotherVMComesBackThroughTheNIC() throws {
        // VM a has a VF, VM b none; a → b every 100 µs for 1 ms (10 frames), only the vSwitch costs (3,000). Each frame
        // leaves a's VF, is sent by the NIC (VM-to-VM over a VF is bounded by the NIC, MODEL-REFERENCE §1.6) and comes
        // back through the embedded switch to b's VMQ queue, the vSwitch and VMBus. Expected: 10 delivered, the NIC sent
        // 10, b received 10 through VMBus, the root paid the vSwitch once per frame (30,000), nothing dropped.
        var costs = CostProfile.zero
        costs[.vSwitch] = CostModel(fixed: 3_000, source: "test")
        let f = Self.flow("ab", from: .vm("a"), to: .vm("b"), interval: .microseconds(100), stop: .milliseconds(1))
        let r = try runConfig(
            Self.host(
                flows: [f], costs: costs, coalescing: InterruptCoalescing(), vms: [Self.vm("a", sriov: true), Self.vm("b", sriov: false)],
                duration: .milliseconds(2))
        ).report
        #expect(try r.metric(.flow, "ab", "delivered_packets") == 10)
        #expect(try r.metric(.nic, "pnic0", "tx_packets") == 10)
        #expect(try r.metric(.adapter, "a/eth0", "vf_tx_packets") == 10)
        #expect(try r.metric(.adapter, "b/eth0", "receive_packets") == 10)
        #expect(try r.metric(.flow, "ab", "root_cycles") == 30_000)
        #expect(try r.metric(.flow, "ab", "drops") == 0)
        #expect(r.conservation.holds && r.conservation.inFlight == 0)
    }
}
