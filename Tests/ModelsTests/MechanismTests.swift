import Models
import SimCore
import Testing

/// One test per mechanism of the model that no other test pins down: each derives its expected
/// values first (in the comment), then asserts them with the tolerance stated.
@Suite struct MechanismTests {
    /// A host with a NIC, an external switch, a private switch and VMs with one adapter each.
    static func host(
        vms: [VMConfig], flows: [FlowConfig], costs: CostProfile = .zero, rootCores: [Int] = [0],
        vmq: Bool = true, portQueue: Int = 512, maxDelay: SimTime = .microseconds(50),
        duration: SimTime = .milliseconds(120), warmup: SimTime = .milliseconds(20)
    ) -> SimulationConfig {
        SimulationConfig(
            name: "mechanism", seed: 11, duration: duration, warmup: warmup,
            host: HostConfig(cores: 8, clock: .gigahertz(3.0), rootCores: rootCores, costs: costs),
            nics: [
                NICConfig(
                    name: "pnic0", coalescing: InterruptCoalescing(maxFrames: 32, maxDelay: maxDelay), vmq: vmq,
                    propagationDelay: .zero)
            ],
            switches: [
                SwitchConfig(name: "ext", kind: .external(nic: "pnic0")),
                SwitchConfig(name: "priv", kind: .private, portQueuePackets: portQueue),
            ],
            vms: vms, flows: flows)
    }

    static func vm(_ name: String, switch sw: String = "ext", _ adapter: AdapterConfig? = nil) -> VMConfig {
        VMConfig(name: name, vcpus: 1, adapters: [adapter ?? AdapterConfig(name: "eth0", switch: sw)])
    }

    // MARK: VMBus send ring

    @Test func readerMasksWhileDrainingAndRechecksBeforeUnmasking() throws {
        // Only the vSwitch costs: 30,000 cycles = 10 µs per packet on the VSP core. Two 1,460-B packets
        // 2 µs apart (5.84 Gb/s, stopped at 3 µs). Packet 1 at 0: empty→non-empty, unmasked ⇒ signal; the
        // VSP masks and drains it (pass 0–10 µs). Packet 2 at 2 µs finds the ring empty again (packet 1 was
        // taken) but masked ⇒ a transition without a signal. At 10 µs the VSP re-checks before unmasking,
        // finds packet 2 and drains it (10–20 µs). Expected: signals 1, transitions 2 (1 masked), 2 passes of
        // 1, both delivered; latencies 10 + 1.2208 (wire: 1,526 B at 10 Gb/s) = 11.2208 µs and
        // 20 − 2 + 1.2208 = 19.2208 µs (exact to the nanosecond).
        var costs = CostProfile.zero
        costs[.vSwitch] = CostModel(fixed: 30_000, source: "test")
        let flow = FlowConfig(
            name: "f", from: .vm("vm"), to: .external(nic: "pnic0"),
            pattern: .constant(rate: DataRate(bitsPerSecond: 5_840_000_000)), stop: .microseconds(3))
        let r = try runConfig(Self.host(vms: [Self.vm("vm")], flows: [flow], costs: costs, duration: .milliseconds(1), warmup: .zero))
            .report
        #expect(try r.metric(.flow, "f", "delivered_packets") == 2)
        #expect(try r.metric(.adapter, "vm/eth0", "signals") == 1)
        #expect(try r.metric(.adapter, "vm/eth0", "send_ring_transitions") == 2)
        #expect(try r.metric(.adapter, "vm/eth0", "send_ring_masked_transitions") == 1)
        #expect(try r.metric(.adapter, "vm/eth0", "vsp_batch_mean") == 1)
        let l = try #require(r.latencies.first { $0.entity == "f" })
        #expect(abs(l.minimum - 11.2208) < 0.001, "\(l.minimum)")
        #expect(abs(l.maximum - 19.2208) < 0.001, "\(l.maximum)")
        #expect(r.conservation.inFlight == 0)
    }

    @Test func receiverMasksWhileDrainingAndRechecksBeforeUnmasking() throws {
        // The same on the receive ring: guest receive stack 30,000 cycles = 10 µs, everything else free,
        // interrupts unmoderated. The peer sends two 1,460-B packets 2 µs apart; each arrives 1.2208 µs later.
        // Packet 1 (1.2208 µs) enters the empty ring unmasked ⇒ one SynIC interrupt; the guest drains it until
        // 11.2208 µs. Packet 2 (3.2208 µs) enters the emptied ring while the guest is masked ⇒ no interrupt;
        // the guest re-checks, drains it until 21.2208 µs. Expected: 1 interrupt, 2 guest passes of 1,
        // latencies 11.2208 µs and 21.2208 − 2 = 19.2208 µs.
        var costs = CostProfile.zero
        costs[.guestStackRx] = CostModel(fixed: 30_000, source: "test")
        let flow = FlowConfig(
            name: "f", from: .external(nic: "pnic0"), to: .vm("vm"),
            pattern: .constant(rate: DataRate(bitsPerSecond: 5_840_000_000)), stop: .microseconds(3))
        let c = Self.host(vms: [Self.vm("vm")], flows: [flow], costs: costs, maxDelay: .zero, duration: .milliseconds(1), warmup: .zero)
        let r = try runConfig(c).report
        #expect(try r.metric(.flow, "f", "delivered_packets") == 2)
        #expect(try r.metric(.adapter, "vm/eth0", "interrupts") == 1)
        #expect(try r.metric(.adapter, "vm/eth0", "guest_batch_mean") == 1)
        let l = try #require(r.latencies.first { $0.entity == "f" })
        #expect(abs(l.minimum - 11.2208) < 0.001, "\(l.minimum)")
        #expect(abs(l.maximum - 19.2208) < 0.001, "\(l.maximum)")
    }

    @Test func fullRingBlocksTheWriterUntilSpaceFrees() throws {
        // An 8 KiB ring has 4,096 data bytes; with 1,024-B descriptors a write needs free > 1,024, so the ring
        // holds 3 packets. vSwitch 30,000 cycles (10 µs/packet), SynIC injection 2,500 cycles, rest free.
        // One 14,600-B UDP message = 10 packets, written at 0 as VMBus messages of 8 + 2: packets 1–3 enter the
        // ring (one signal), 4–10 wait in the guest queue (writer blocked). Each VSP pass takes the 3 in the
        // ring and frees space ⇒ the host interrupts the guest, which moves the next 3 in: wake-ups at 0 µs
        // (4–6), 30 µs (7–9), 60 µs (10); the last pass (90–100 µs) finds the writer unblocked.
        // Expected: 10 delivered, 0 drops, 1 signal, 3 writer wake-ups, 4 passes (batch mean 2.5), ring
        // maximum 3 × 1,024 = 3,072 B. The writes form 4 messages (1–3; 4–6 and 7–9, each ended by the full ring;
        // 10), one per pass, so each pass's end returns one send completion into the empty receive ring: a SynIC
        // interrupt each (at 30, 60, 90 and 100 µs). The flow's hypervisor cycles: (3 wake-ups + 4 completions)
        // × 2,500 = 17,500; the last packet leaves at 100 µs + 1.2208 µs wire.
        var costs = CostProfile.zero
        costs[.vSwitch] = CostModel(fixed: 30_000, source: "test")
        costs[.interruptInjection] = CostModel(fixed: 2_500, source: "test")
        let adapter = AdapterConfig(name: "eth0", switch: "ext", ringBytes: 8 * 1024, descriptorBytes: 1024)
        let flow = FlowConfig(
            name: "f", from: .vm("vm"), to: .external(nic: "pnic0"),
            pattern: .constant(rate: DataRate(bitsPerSecond: 116_800_000)), size: .fixed(14_600), stop: .microseconds(500))
        let c = Self.host(vms: [Self.vm("vm", adapter)], flows: [flow], costs: costs, duration: .milliseconds(2), warmup: .zero)
        let r = try runConfig(c).report
        #expect(try r.metric(.flow, "f", "delivered_packets") == 10)
        #expect(try r.metric(.flow, "f", "drops") == 0)
        #expect(try r.metric(.adapter, "vm/eth0", "signals") == 1)
        #expect(try r.metric(.adapter, "vm/eth0", "writer_wakeups") == 3)
        #expect(try r.metric(.adapter, "vm/eth0", "vsp_batch_mean") == 2.5)
        #expect(try r.metric(.channel, "vm/eth0/ch0", "send_ring_occupancy_max") == 3_072)
        #expect(try r.metric(.adapter, "vm/eth0", "send_messages") == 4)
        #expect(try r.metric(.adapter, "vm/eth0", "send_completions") == 4)
        #expect(try r.metric(.adapter, "vm/eth0", "interrupts") == 7)  // 4 SynIC interrupts + 3 wake-ups
        #expect(try r.metric(.flow, "f", "hypervisor_cycles") == 17_500)
        let l = try #require(r.latencies.first { $0.entity == "f" })
        // The passes end at 30, 60, 90 and 100 µs ⇒ first packet 30 + 1.2208 µs, last 101.2208 µs. The
        // histogram keeps 3 significant digits (buckets of 16 ns at 31 µs, 64 ns at 101 µs) ⇒ tolerance 0.1 %.
        #expect(abs(l.minimum - 31.2208) < 0.032, "\(l.minimum)")
        #expect(abs(l.maximum - 101.2208) < 0.11, "\(l.maximum)")
    }

    @Test func vRSSHashesUDPByAddressesOnly() throws {
        // One adapter with 4 channels (primary + 3 vRSS sub-channels) on a 4-vCPU VM, root cores 0–3; channel c runs
        // NetVSC on vCPU c and NetVSP on root core c. Four UDP flows of 10,000 pps (116.8 Mb/s of 1,460 B) to the peer.
        // NetVSC picks a channel by the RSS hash through the send table, and UDP hashes the address pair only (netvsc's
        // HV_DEFAULT_L4HASH is TCP only): the four flows share one address pair, so they all take one channel (TCP
        // streams, which hash their ports too, spread: VRSSTests). Guest TX stack 3,000 cycles, vSwitch 3,000, rest free.
        // Expected: that channel's vCPU and root core busy 4 × 10,000 × 3,000 / 3e9 = 4 % (±0.01 %), the others idle.
        var costs = CostProfile.zero
        costs[.guestStackTx] = CostModel(fixed: 3_000, source: "test")
        costs[.vSwitch] = CostModel(fixed: 3_000, source: "test")
        let vm = VMConfig(name: "vm", vcpus: 4, adapters: [AdapterConfig(name: "eth0", switch: "ext", channels: 4)])
        let flows = (0..<4).map {
            FlowConfig(
                name: "f\($0)", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: DataRate(bitsPerSecond: 116_800_000))
            )
        }
        let r = try runConfig(Self.host(vms: [vm], flows: flows, costs: costs, rootCores: [0, 1, 2, 3])).report
        let busy = try (0..<4).filter { try r.metric(.channel, "vm/eth0/ch\($0)", "send_packets") > 0 }
        #expect(busy.count == 1)
        for c in 0..<4 {
            let expected = busy.contains(c) ? 4.0 : 0
            #expect(try abs(r.metric(.core, "vm/vcpu\(c)", "guest_cpu_utilization") - expected) <= 0.01, "vcpu\(c)")
            #expect(try abs(r.metric(.core, "core\(c)", "cpu_utilization") - expected) <= 0.01, "core\(c)")
        }
    }

    // MARK: NIC receive queues

    @Test func vmqSpreadsReceiveWorkOverQueueCores() throws {
        // Four VMs each receive 10,000 pps of 1,460 B from the peer (116.8 Mb/s each); only the NIC driver's
        // receive costs (3,000 cycles/frame). Root cores 0–3. VMQ off: every frame goes through the default
        // queue, whose DPC runs on core0 ⇒ core0 = 4 × 1,000 frames (100 ms) × 3,000 = 12,000,000 cycles and
        // cores 1–3 nothing. VMQ on: queue i on core i ⇒ 3,000,000 cycles on each core. Tolerance ±0.2 %
        // (a frame more or less at the window's edges).
        func run(vmq: Bool) throws -> RunReport {
            var costs = CostProfile.zero
            costs[.nicDriverRx] = CostModel(fixed: 3_000, source: "test")
            let names = ["a", "b", "c", "d"]
            let flows = names.map {
                FlowConfig(
                    name: $0, from: .external(nic: "pnic0"), to: .vm($0),
                    pattern: .constant(rate: DataRate(bitsPerSecond: 116_800_000)))
            }
            return try runConfig(Self.host(vms: names.map { Self.vm($0) }, flows: flows, costs: costs, rootCores: [0, 1, 2, 3], vmq: vmq))
                .report
        }
        func near(_ x: Double, _ y: Double) -> Bool { abs(x - y) <= y * 0.002 }
        let off = try run(vmq: false)
        let core0 = try off.metric(.core, "core0", "all_cycles")
        #expect(near(core0, 12_000_000), "\(core0)")
        for c in 1...3 { #expect(try off.metric(.core, "core\(c)", "all_cycles") == 0) }
        #expect(try off.metric(.nic, "pnic0/default", "queue_core") == 0)
        let on = try run(vmq: true)
        #expect(try on.metric(.nic, "pnic0/default", "queue_packets") == 0)
        for c in 0...3 {
            let cycles = try on.metric(.core, "core\(c)", "all_cycles")
            #expect(near(cycles, 3_000_000), "core\(c): \(cycles)")
            #expect(try on.metric(.nic, "pnic0/vmq\(c)", "queue_core") == Double(c))
        }
    }

    // MARK: Switch

    @Test func vmToVMOnAnExternalSwitchNeverTouchesTheNIC() throws {
        // Two VMs on the external switch (a NIC is present), bulk TCP between them with default costs.
        // Expected: goodput > 0, ACKs flow back, and every NIC and uplink counter stays exactly 0: no frame,
        // segment, interrupt, wire byte or NIC-driver cycle.
        let flow = FlowConfig(name: "ab", from: .vm("a"), to: .vm("b"), transport: .tcp, pattern: .bulk())
        let r = try runConfig(
            Self.host(vms: [Self.vm("a"), Self.vm("b")], flows: [flow], costs: CostProfile(), duration: .milliseconds(40))
        ).report
        #expect(try r.metric(.flow, "ab", "goodput") > 1)
        #expect(try r.metric(.flow, "ab", "ack_packets") > 0)
        for m in ["tx_packets", "tx_segments", "rx_packets", "interrupts", "tx_throughput", "rx_throughput"] {
            #expect(try r.metric(.nic, "pnic0", m) == 0, "pnic0 \(m)")
        }
        #expect(try r.metric(.port, "ext/uplink", "in_packets") == 0)
        #expect(try r.metric(.port, "ext/uplink", "out_packets") == 0)
        #expect((r.value(.component, "nic_driver", "root_cycles") ?? 0) == 0)
        #expect(try r.metric(.vswitch, "ext", "forwarded_packets") > 0)
    }

    @Test func boundedPortQueueTailDrops() throws {
        // VM a → VM b on the private switch, 200,000 pps of 1,460 B (2.336 Gb/s). Only b's receive stack costs:
        // 30,000 cycles = 10 µs ⇒ b takes 100,000 pps. b's 8 KiB ring (30 descriptors of 136 B) and its
        // 16-frame port queue fill within a millisecond; then the excess is tail-dropped at the port:
        // (200,000 − 100,000) × 0.1 s = 10,000 drops `port_queue_full` in the 100 ms after warm-up (±1 %),
        // counted on the port, the switch, the flow and the host alike; delivered 100,000 pps (±0.5 %).
        var costs = CostProfile.zero
        costs[.guestStackRx] = CostModel(fixed: 30_000, source: "test")
        let b = AdapterConfig(name: "eth0", switch: "priv", ringBytes: 8 * 1024)
        let flow = FlowConfig(
            name: "f", from: .vm("a"), to: .vm("b"), pattern: .constant(rate: DataRate(bitsPerSecond: 2_336_000_000)))
        let r = try runConfig(
            Self.host(vms: [Self.vm("a", switch: "priv"), Self.vm("b", b)], flows: [flow], costs: costs, portQueue: 16)
        ).report
        let d = try r.metric(.host, "host", "drops.port_queue_full")
        #expect(abs(d - 10_000) <= 100, "drops \(d)")
        #expect(try r.metric(.port, "priv/b/eth0", "drops.port_queue_full") == d)
        #expect(try r.metric(.vswitch, "priv", "drops.port_queue_full") == d)
        #expect(try r.metric(.flow, "f", "drops.port_queue_full") == d)
        #expect(try r.metric(.flow, "f", "drops") == d)
        let rate = try r.metric(.flow, "f", "delivered_packets_per_second")
        #expect(abs(rate - 100_000) <= 500, "rate \(rate)")
        #expect(r.conservation.holds)
    }

    @Test func externalMACsAreLearnedOnTheUplink() throws {
        // VM → peer every 100 µs (116.8 Mb/s of 1,460 B) from 0; peer → VM from 5 ms; free costs, unmoderated
        // interrupts. The switch knows its vmNIC but learns the peer's MAC only from the first frame in on the
        // uplink (at 5 ms + 1.2208 µs wire): until then every outbound frame is unknown unicast, sent to the
        // uplink and counted as flooded — the 51 frames sent at 0, 100, …, 5,000 µs. Expected: 51 flooded
        // (exact), 1 learned address, nothing dropped.
        let flows = [
            FlowConfig(
                name: "out", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: DataRate(bitsPerSecond: 116_800_000))),
            FlowConfig(
                name: "in", from: .external(nic: "pnic0"), to: .vm("vm"), pattern: .constant(rate: DataRate(bitsPerSecond: 116_800_000)),
                start: .milliseconds(5)),
        ]
        let c = Self.host(vms: [Self.vm("vm")], flows: flows, maxDelay: .zero, duration: .milliseconds(10), warmup: .zero)
        let r = try runConfig(c).report
        #expect(try r.metric(.vswitch, "ext", "flooded_packets") == 51)
        #expect(try r.metric(.vswitch, "ext", "learned_macs") == 1)
        #expect(try r.metric(.vswitch, "ext", "drops") == 0)
    }

    // MARK: Costs

    @Test func acknowledgementsCostCPULikeAnyPacket() throws {
        // Bulk TCP VM → peer (window 64 KiB, an ACK per 2 packets), stopped at 5 ms of a 10 ms run so that every
        // ACK is home by the end. Only the NIC driver's receive stage costs (1,000 cycles per frame); data only
        // leaves through the NIC, so the only frames it receives are the ACKs on the reverse path. Expected: the
        // flow's root cycles = 1,000 × ACKs delivered (exact), and its cycles per packet count the ACKs too.
        var costs = CostProfile.zero
        costs[.nicDriverRx] = CostModel(fixed: 1_000, source: "test")
        let flow = FlowConfig(
            name: "bulk", from: .vm("vm"), to: .external(nic: "pnic0"), transport: .tcp,
            pattern: .bulk(window: .kibibytes(64), ackEvery: 2), stop: .milliseconds(5))
        let r = try runConfig(Self.host(vms: [Self.vm("vm")], flows: [flow], costs: costs, duration: .milliseconds(10), warmup: .zero))
            .report
        let acks = try r.metric(.flow, "bulk", "ack_packets")
        #expect(acks > 20)
        #expect(try r.metric(.flow, "bulk", "root_cycles") == 1_000 * acks)
        #expect(try r.metric(.nic, "pnic0", "rx_packets") == acks)
        let packets = try r.metric(.flow, "bulk", "delivered_packets") + acks
        #expect(try r.metric(.flow, "bulk", "all_cycles_per_packet") == 1_000 * acks / packets)
    }

    @Test func lsoCutsTheCostPerByte() throws {
        // TCP, 62,780-B messages (43 MSS of 1,460 B) at 1 Gb/s VM → peer; guest TX stack and vSwitch 2,500
        // cycles per packet each, nothing else. With LSO the stack and switch see one 62,780-B super-segment per
        // message ⇒ 2,500 guest + 2,500 root cycles per message; without, 43 packets ⇒ 107,500 each. The NIC
        // puts 43 frames per message on the wire either way. Expected per message (exact): guest 2,500 vs
        // 107,500; guest cycles per payload byte 2,500 / 62,780 = 0.03982 vs 1.71233 (±0.1 %).
        func run(lso: Bool) throws -> RunReport {
            var costs = CostProfile.zero
            costs[.guestStackTx] = CostModel(fixed: 2_500, source: "test")
            costs[.vSwitch] = CostModel(fixed: 2_500, source: "test")
            let a = AdapterConfig(name: "eth0", switch: "ext", offloads: Offloads(lso: lso))
            let flow = FlowConfig(
                name: "f", from: .vm("vm"), to: .external(nic: "pnic0"), transport: .tcp, pattern: .constant(rate: .gigabits(1)),
                size: .fixed(62_780))
            return try runConfig(Self.host(vms: [Self.vm("vm", a)], flows: [flow], costs: costs)).report
        }
        let on = try run(lso: true), off = try run(lso: false)
        for (r, perMessage) in [(on, 2_500.0), (off, 107_500.0)] {
            let messages = try r.metric(.flow, "f", "offered_messages")
            let guest = try r.metric(.flow, "f", "guest_cycles"), root = try r.metric(.flow, "f", "root_cycles")
            #expect(guest == perMessage * messages, "guest \(guest) for \(messages) messages")
            #expect(root == perMessage * messages)
            #expect(try r.metric(.nic, "pnic0", "tx_segments") == 43 * messages)
            let perByte = perMessage / 62_780
            #expect(try abs(r.metric(.flow, "f", "all_cycles_per_byte") / 2 - perByte) <= perByte * 0.001)
        }
    }

    @Test func piecewiseCostsFollowTheFrameSize() throws {
        // vSwitch: frames ≤ 512 B cost 1,000 + 2/B, larger ones the base 5,000. A 100-B UDP payload is a
        // 146-B frame ⇒ 1,000 + 292 = 1,292 cycles; 1,460 B is a 1,506-B frame ⇒ 5,000. Only the vSwitch costs,
        // so each flow's root cycles per packet are exactly these.
        var costs = CostProfile.zero
        costs[.vSwitch] = CostModel(fixed: 5_000, pieces: [CostPiece(upToBytes: 512, fixed: 1_000, perByte: 2)], source: "test")
        let flows = [
            FlowConfig(
                name: "small", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(10)), size: .fixed(100),
                stop: .milliseconds(50)),
            FlowConfig(
                name: "large", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(100)),
                stop: .milliseconds(50)),
        ]
        let r = try runConfig(Self.host(vms: [Self.vm("vm")], flows: flows, costs: costs, duration: .milliseconds(60), warmup: .zero))
            .report
        #expect(try r.metric(.flow, "small", "root_cycles_per_packet") == 1_292)
        #expect(try r.metric(.flow, "large", "root_cycles_per_packet") == 5_000)
    }

    @Test func costOverridesApplyPerHostVMAndAdapter() throws {
        // Guest TX stack: host profile 1,000 cycles; VM a overrides it to 10,000; a's eth1 overrides it again
        // to 20,000; VM b has no override. Nothing else costs. Expected guest cycles per packet, exactly:
        // a/eth0 10,000, a/eth1 20,000, b/eth0 1,000 (per flow and per adapter).
        var costs = CostProfile.zero
        costs[.guestStackTx] = CostModel(fixed: 1_000, source: "test")
        var eth1 = AdapterConfig(name: "eth1", switch: "ext")
        eth1.costOverrides = [.guestStackTx: CostModel(fixed: 20_000, source: "test")]
        let a = VMConfig(
            name: "a", vcpus: 2, adapters: [AdapterConfig(name: "eth0", switch: "ext"), eth1],
            costOverrides: [.guestStackTx: CostModel(fixed: 10_000, source: "test")])
        let flows = [
            FlowConfig(
                name: "a0", from: .vm("a"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(100)), stop: .milliseconds(50)),
            FlowConfig(
                name: "a1", from: .vm("a", adapter: "eth1"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(100)),
                stop: .milliseconds(50)),
            FlowConfig(
                name: "b0", from: .vm("b"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(100)), stop: .milliseconds(50)),
        ]
        let r = try runConfig(Self.host(vms: [a, Self.vm("b")], flows: flows, costs: costs, duration: .milliseconds(60), warmup: .zero))
            .report
        for (flow, adapter, expected) in [("a0", "a/eth0", 10_000.0), ("a1", "a/eth1", 20_000), ("b0", "b/eth0", 1_000)] {
            #expect(try r.metric(.flow, flow, "guest_cycles_per_packet") == expected, "\(flow)")
            #expect(try r.metric(.adapter, adapter, "guest_cycles_per_packet") == expected, "\(adapter)")
        }
    }

    @Test func sendBufferCopyOnlyForSmallFrames() throws {
        // NetVSC copies frames ≤ the 6,144-B send section (vsc_copy 1 cycle/B) and sends larger ones as page
        // lists (no copy). Jumbo MTU 9,000: a 1,000-B UDP payload is a 1,046-B frame ⇒ 1,046 copy cycles;
        // 8,000 B is an 8,046-B frame ⇒ 0. Only vsc_copy costs ⇒ guest cycles per packet exactly 1,046 and 0.
        var costs = CostProfile.zero
        costs[.vscCopy] = CostModel(perByte: 1, source: "test")
        let a = AdapterConfig(name: "eth0", switch: "ext", offloads: Offloads(mtu: 9000))
        var c = Self.host(
            vms: [Self.vm("vm", a)],
            flows: [
                FlowConfig(
                    name: "small", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(10)),
                    size: .fixed(1000),
                    stop: .milliseconds(50)),
                FlowConfig(
                    name: "large", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(10)),
                    size: .fixed(8000),
                    stop: .milliseconds(50)),
            ], costs: costs, duration: .milliseconds(60), warmup: .zero)
        c.nics[0].mtu = 9000
        let r = try runConfig(c).report
        #expect(try r.metric(.flow, "small", "guest_cycles_per_packet") == 1_046)
        #expect(try r.metric(.flow, "large", "guest_cycles_per_packet") == 0)
    }

    // MARK: Per-adapter and per-flow host CPU

    @Test func cyclesAreSplitByDomainAndSideOfTheSwitch() throws {
        // One packet VM a → VM b on the private switch. Costs: guest TX 1,000 and signal 1,500 (hypervisor) on a's
        // vCPU; vSwitch 3,000 and NetVSP receive copy 2,000 on a's VSP core (root); SynIC injection 2,500
        // (hypervisor) and guest RX 4,000 on b's vCPU. NetVSP then returns a's send completion into a's empty
        // receive ring: a second SynIC injection, 2,500 on a's vCPU (the completion's ring write and read cost 0
        // here). b returns its receive completion into its empty send ring: a signal, 1,500 on b's vCPU. Sender's
        // side → a/eth0: guest 1,000, hypervisor 1,500 + 2,500, root 3,000 (the vSwitch); receiver's side →
        // b/eth0: root 2,000, hypervisor 2,500 + 1,500, guest 4,000. The flow gets all: root 5,000, hypervisor
        // 8,000, guest 5,000 ⇒ host cycles per packet 13,000.
        var costs = CostProfile.zero
        costs[.guestStackTx] = CostModel(fixed: 1_000, source: "test")
        costs[.signalGuest] = CostModel(fixed: 1_500, source: "test")
        costs[.vSwitch] = CostModel(fixed: 3_000, source: "test")
        costs[.vspRx] = CostModel(fixed: 2_000, source: "test")
        costs[.interruptInjection] = CostModel(fixed: 2_500, source: "test")
        costs[.guestStackRx] = CostModel(fixed: 4_000, source: "test")
        let flow = FlowConfig(name: "f", from: .vm("a"), to: .vm("b"), pattern: .constant(rate: .megabits(1)), stop: .microseconds(1))
        let r = try runConfig(
            Self.host(
                vms: [Self.vm("a", switch: "priv"), Self.vm("b", switch: "priv")], flows: [flow], costs: costs,
                duration: .milliseconds(1), warmup: .zero)
        ).report
        func split(_ k: EntityKind, _ e: String) throws -> [Double] {
            try ["root_cycles", "hypervisor_cycles", "guest_cycles"].map { try r.metric(k, e, $0) }
        }
        #expect(try split(.adapter, "a/eth0") == [3_000, 4_000, 1_000])
        #expect(try split(.adapter, "b/eth0") == [2_000, 4_000, 4_000])
        #expect(try split(.flow, "f") == [5_000, 8_000, 5_000])
        #expect(try r.metric(.flow, "f", "host_cycles_per_packet") == 13_000)
        #expect(try r.metric(.adapter, "a/eth0", "host_cycles_per_packet") == 7_000)  // one packet sent
        #expect(try r.metric(.adapter, "b/eth0", "host_cycles_per_packet") == 6_000)  // one packet received
        #expect(try r.metric(.flow, "f", "all_cycles_per_packet") == 18_000)
        #expect(try r.metric(.adapter, "b/eth0", "receive_completions") == 1)
        #expect(try r.metric(.adapter, "b/eth0", "signals") == 1)
        #expect(try r.metric(.adapter, "a/eth0", "send_completions") == 1)
    }

    @Test func billedCyclesAddUpToTheCoreAccounting() throws {
        // Every charged cycle is billed to exactly one flow and (every flow here has a VM end) one adapter,
        // so per domain: Σ flows = Σ adapters = Σ components (exact integers), on the kitchen-sink-like
        // reference configurations with default costs, emulated adapters, signals, wake-ups and interrupts.
        var ring = ReferenceConfigs.quickstart(duration: .milliseconds(30))
        ring.vms[0].adapters[0].ringBytes = 16 * 1024  // a small ring: writer wake-ups happen
        ring.flows[0].pattern = .poisson(rate: .gigabits(6))
        let configs = [
            ring, ReferenceConfigs.adapterComparison(.emulated, duration: .milliseconds(30)),
            ReferenceConfigs.vmToVMPrivate(duration: .milliseconds(30)),
        ]
        for c in configs {
            let r = try runConfig(c).report
            func total(_ k: EntityKind, _ metric: String) -> Double {
                r.metrics.filter { $0.kind == k && $0.metric == metric }.reduce(0) { $0 + $1.value }
            }
            for (component, billed) in [
                ("root_cycles", "root_cycles"), ("hypervisor_cycles", "hypervisor_cycles"), ("guest_cycles", "guest_cycles"),
            ] {
                let cores = total(.component, component)
                #expect(cores > 0 || component == "hypervisor_cycles", "\(c.name) \(component)")
                #expect(total(.flow, billed) == cores, "\(c.name): flows \(billed) \(total(.flow, billed)) vs cores \(cores)")
                #expect(total(.adapter, billed) == cores, "\(c.name): adapters \(billed) \(total(.adapter, billed)) vs cores \(cores)")
            }
            let hostCores = try r.metric(.host, "host", "root_cpu_cores") + r.metric(.host, "host", "hypervisor_cpu_cores")
            #expect(abs(total(.adapter, "host_cpu_cores") - hostCores) <= 1e-9 * max(1, hostCores))
        }
        let wake = try runConfig(ring).report
        #expect(try wake.metric(.adapter, "web1/eth0", "writer_wakeups") > 0)
        // Every feature at once (host vNICs, shared vCPUs, an emulated adapter, drops): the flows still add up
        // exactly; the adapters cannot (host vNIC ↔ peer traffic has no adapter), but never exceed the cores.
        let r = try runConfig(KitchenSinkTests.config()).report
        for (component, billed) in [
            ("root_cycles", "root_cycles"), ("hypervisor_cycles", "hypervisor_cycles"), ("guest_cycles", "guest_cycles"),
        ] {
            let cores = r.metrics.filter { $0.kind == .component && $0.metric == component }.reduce(0) { $0 + $1.value }
            #expect(r.metrics.filter { $0.kind == .flow && $0.metric == billed }.reduce(0) { $0 + $1.value } == cores, "\(component)")
            #expect(r.metrics.filter { $0.kind == .adapter && $0.metric == billed }.reduce(0) { $0 + $1.value } <= cores, "\(component)")
        }
    }
}

@Suite("Time series")
struct TimeSeriesTests {
    @Test func everyRootCoreHasAUtilizationSeriesThatAveragesToItsMetric() throws {
        // The per-core series samples the same charged cycles as the core's utilization metric,
        // interval by interval; over the measured window their mean must agree with the metric
        // (within 2 percentage points: work charged across an interval boundary lands in one sample).
        let config = ReferenceConfigs.quickstart()
        let out = try HostSimulation(config: config).run()
        let coreSeries = out.report.series.filter { $0.kind == .core && $0.metric == "cpu_utilization" }
        #expect(coreSeries.count == config.host.rootCores.count)
        for s in coreSeries {
            let metric = try #require(out.report.value(.core, s.entity, "cpu_utilization"))
            let mean = s.values.reduce(0, +) / Double(max(s.values.count, 1))
            #expect(abs(mean - metric) < 2, "\(s.entity): series mean \(mean) vs metric \(metric)")
        }
    }
}

@Suite("Cost inputs in the report")
struct CostInputTests {
    @Test func everyStageAndEveryOverrideIsListedWithItsSource() throws {
        var config = ReferenceConfigs.quickstart()
        config.duration = .milliseconds(5)
        config.warmup = .milliseconds(1)
        config.vms[0].adapters[0].costOverrides[.vspRx] = CostModel(fixed: 4_000, perByte: 0.8, source: "scenario")
        let out = try HostSimulation(config: config).run()
        let host = out.report.costInputs.filter { $0.scope == "host" }
        // One row per stage of the host profile, each citing MODEL-REFERENCE (or marked as derived).
        #expect(host.map(\.stage) == CostStage.allCases.filter { $0.applies(to: .hyperV) }.map(\.name))
        #expect(host.allSatisfy { !$0.source.isEmpty })
        let vsp = try #require(host.first { $0.stage == "vsp_rx" })
        #expect(vsp.fixedCycles == 2_500 && vsp.cyclesPerByte == 1.0)
        let override = try #require(out.report.costInputs.first { $0.scope.hasPrefix("adapter:") })
        #expect(override.scope == "adapter:\(config.vms[0].name)/\(config.vms[0].adapters[0].name)")
        #expect(override.stage == "vsp_rx" && override.fixedCycles == 4_000 && override.cyclesPerByte == 0.8)
        #expect(override.source == "scenario")
    }
}
