import Models
import SimCore
import Testing

/// Checks against closed-form expectations. Each test derives its expected value first.
@Suite struct AnalyticTests {
    /// One UDP flow VM → external peer is bound by min(link rate, core Hz ÷ cycles per packet).
    @Test func throughputBoundByRootCore() throws {
        // Only the vSwitch costs: 30,000 cycles/packet on the single root core at 3 GHz
        // ⇒ 3e9 / 30,000 = 100,000 packets/s. The 10 Gb/s link would allow 10e9 / (1,526 B × 8) = 819,134 pps.
        // Offered: 2 Gb/s of 1,460-B messages = 171,233 pps > 100,000 ⇒ delivered = 100,000 pps (±0.5 %).
        var costs = CostProfile.zero
        costs[.vSwitch] = CostModel(fixed: 30_000, source: "test")
        let flow = FlowConfig(name: "f", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .gigabits(2)))
        let r = try runConfig(singleVMConfig(flow: flow, costs: costs)).report
        let rate = try r.metric(.flow, "f", "delivered_packets_per_second")
        #expect(abs(rate - 100_000) / 100_000 < 0.005, "packet rate \(rate)")
        // The root core is the bottleneck: 100 % busy (±0.5 %).
        #expect(try abs(r.metric(.core, "core0", "cpu_utilization") - 100) < 0.5)
        #expect(r.conservation.holds)
    }

    @Test func throughputBoundByLink() throws {
        // Default costs; a 1 Gb/s link. Each 1,460-B UDP message is a 1,506-B frame, 1,526 B on the wire
        // ⇒ 1e9 / (1,526 × 8) = 81,913.5 pps ⇒ goodput 81,913.5 × 1,460 × 8 = 0.95675 Gb/s.
        // CPU bounds are far higher (root ≈ 6,500 cycles/packet ⇒ 460 kpps). Offered 1.5 Gb/s.
        let flow = FlowConfig(name: "f", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(1500)))
        let r = try runConfig(singleVMConfig(flow: flow, costs: CostProfile(), link: .gigabits(1))).report
        let g = try r.metric(.flow, "f", "goodput")
        #expect(abs(g - 0.95675) / 0.95675 < 0.005, "goodput \(g)")
        #expect(try r.metric(.nic, "pnic0", "tx_link_utilization") > 99.5)
        #expect(try r.metric(.host, "host", "drops.nic_tx_queue_full") + r.metric(.host, "host", "drops.guest_tx_queue_full") > 0)
    }

    /// Poisson arrivals served by one root core with a deterministic service time: M/D/1.
    @Test func mD1MeanLatency() throws {
        // Service D = 3,000 cycles at 3 GHz = 1 µs (vSwitch only), batches of 1 packet so the VSP is a
        // FIFO single server. λ = 500,000 pps (5.84 Gb/s of 1,460-B messages) ⇒ ρ = 0.5.
        // Pollaczek–Khinchine: W = D + ρD / (2(1 − ρ)) = 1 + 0.5 = 1.5 µs. The 100 Gb/s wire adds
        // 1,526 × 8 / 100e9 = 0.12208 µs (never queued: arrivals to it are ≥ 1 µs apart).
        // Expected mean latency 1.62208 µs; tolerance 5 % (≈ 45,000 correlated samples).
        var costs = CostProfile.zero
        costs[.vSwitch] = CostModel(fixed: 3_000, source: "test")
        let flow = FlowConfig(
            name: "f", from: .vm("vm"), to: .external(nic: "pnic0"),
            pattern: .poisson(rate: DataRate(bitsPerSecond: 5_840_000_000)))
        let c = singleVMConfig(
            flow: flow, costs: costs, link: .gigabits(100), batch: 1, duration: .milliseconds(100),
            warmup: .milliseconds(10))
        let r = try runConfig(c).report
        let l = try #require(r.latencies.first { $0.entity == "f" })
        #expect(abs(l.mean - 1.62208) / 1.62208 < 0.05, "mean latency \(l.mean) µs over \(l.samples) samples")
        // The root core is busy ρ = 50 % (±2 %).
        #expect(try abs(r.metric(.core, "core0", "cpu_utilization") - 50) < 2)
    }

    /// The writer signals only on empty → non-empty transitions seen with the reader unmasked.
    @Test func signalsEqualUnmaskedTransitions() throws {
        // Light load: 10,000 pps, each VSP pass done in ≈ 2 µs ≪ 100 µs between packets ⇒ every packet
        // finds the ring empty and unmasked: signals = transitions = packets sent.
        let light = FlowConfig(
            name: "f", from: .vm("vm"), to: .external(nic: "pnic0"),
            pattern: .constant(rate: DataRate(bitsPerSecond: 116_800_000)))
        let r1 = try runConfig(singleVMConfig(flow: light, costs: CostProfile())).report
        let sent = try r1.metric(.adapter, "vm/eth0", "send_packets")
        #expect(sent == 1_000)  // 10,000 pps over the 100 ms after warm-up
        #expect(try r1.metric(.adapter, "vm/eth0", "signals") == sent)
        #expect(try r1.metric(.adapter, "vm/eth0", "send_ring_transitions") == sent)
        // Heavier, bursty load (Poisson, 4 Gb/s ⇒ 342 kpps against ≈ 2.5 µs of root work per packet,
        // ρ ≈ 0.86): the VSP is often mid-drain. Every transition is either signalled or seen masked,
        // and signals < packets because passes take several packets.
        let heavy = FlowConfig(name: "f", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .poisson(rate: .gigabits(4)))
        let r2 = try runConfig(singleVMConfig(flow: heavy, costs: CostProfile())).report
        let s = try r2.metric(.adapter, "vm/eth0", "signals")
        let t = try r2.metric(.adapter, "vm/eth0", "send_ring_transitions")
        let m = try r2.metric(.adapter, "vm/eth0", "send_ring_masked_transitions")
        #expect(s + m == t)
        #expect(try s < r2.metric(.adapter, "vm/eth0", "send_packets"))
        #expect(try r2.metric(.adapter, "vm/eth0", "vsp_batch_mean") > 1)
    }

    /// Packets of one burst (xmit_more) share a VMBus message of up to `batchPackets` (8).
    @Test func burstsArePackedIntoMessages() throws {
        // 14,600-B UDP messages = 10 packets of 1,460 B, 1,000 messages/s (116.8 Mb/s): each becomes VMBus
        // messages of 8 + 2 packets ⇒ exactly 5 packets per message. The 8-packet message signals; the
        // 2-packet one is written ≈ 3 µs later (2 × 4,568 guest cycles) while NetVSP is still in its
        // ≈ 17 µs pass ⇒ masked, no signal ⇒ signals = messages ÷ 2.
        let flow = FlowConfig(
            name: "f", from: .vm("vm"), to: .external(nic: "pnic0"),
            pattern: .constant(rate: DataRate(bitsPerSecond: 116_800_000)), size: .fixed(14_600))
        let r = try runConfig(singleVMConfig(flow: flow, costs: CostProfile())).report
        let msgs = try r.metric(.adapter, "vm/eth0", "send_messages")
        #expect(try r.metric(.adapter, "vm/eth0", "packets_per_message") == 5)
        #expect(try r.metric(.adapter, "vm/eth0", "signals") == msgs / 2)
    }

    /// An emulated packet costs exactly the configured accesses × cost.
    @Test func emulatedPacketCostsConfiguredAccesses() throws {
        // 16 packets, 1 ms apart (start 0, stop 15.5 ms). Tulip pattern: 1 CSR1 write per packet; each frame
        // leaves the ring empty, so the transmit process suspends (TU) and raises the TX-done interrupt, whose
        // handler makes 5 accesses ⇒ 16 × (1 + 5) = 96 accesses × 15,000 cycles = 1,440,000 cycles of worker
        // process, 16 interrupts. Device model: 16 × (2,000 + 1.0 × 1,506 B) = 56,096 cycles.
        var costs = CostProfile.zero
        costs[.emulatedAccessWorker] = CostModel(fixed: 15_000, source: "test")
        costs[.emulatedDeviceModel] = CostModel(fixed: 2_000, perByte: 1.0, source: "test")
        let flow = FlowConfig(
            name: "f", from: .vm("vm"), to: .external(nic: "pnic0"),
            pattern: .constant(rate: DataRate(bitsPerSecond: 11_680_000)), stop: .microseconds(15_500))
        let c = singleVMConfig(flow: flow, costs: costs, kind: .emulated, duration: .milliseconds(50), warmup: .zero)
        let r = try runConfig(c).report
        #expect(try r.metric(.flow, "f", "delivered_packets") == 16)
        #expect(try r.metric(.adapter, "vm/eth0", "register_accesses") == 96)
        #expect(try r.metric(.adapter, "vm/eth0", "interrupts") == 16)
        #expect(try r.metric(.component, "emulated_register_access", "root_cycles") == 1_440_000)
        #expect(try r.metric(.component, "device_model", "root_cycles") == 56_096)
        #expect(try r.metric(.host, "host", "vm_exits") == 96)
        // Every cycle is billed to the one flow: (1,440,000 + 56,096) / 16 = 93,506 cycles per packet.
        #expect(try r.metric(.flow, "f", "all_cycles_per_packet") == 1_496_096.0 / 16)
    }

    @Test func onOffAveragesTheDutyCycle() throws {
        // On 1 ms at 1 Gb/s, off 1 ms (constant periods) ⇒ duty cycle ½ ⇒ mean goodput 0.5 Gb/s (±3 %,
        // the 100 ms window holds 50 whole periods).
        let flow = FlowConfig(
            name: "f", from: .vm("vm"), to: .external(nic: "pnic0"),
            pattern: .onOff(rate: .gigabits(1), on: .constant(0.001), off: .constant(0.001)))
        let r = try runConfig(singleVMConfig(flow: flow, costs: CostProfile())).report
        let g = try r.metric(.flow, "f", "goodput")
        #expect(abs(g - 0.5) / 0.5 < 0.03, "goodput \(g)")
    }

    @Test func sharedVCPUsContendForTheirCore() throws {
        // Four 1-vCPU VMs, guest TX stack 30,000 cycles (10 µs) and nothing else; each offers 50,000 pps
        // (584 Mb/s of 1,460 B). Dedicated vCPUs: 4 × 50,000 = 200,000 pps delivered (each vCPU 50 % busy).
        // Shared: all four vCPUs on the one non-root core ⇒ 3e9 / 30,000 = 100,000 pps in total (±1 %).
        func config(_ placement: VCPUPlacement) -> SimulationConfig {
            var costs = CostProfile.zero
            costs[.guestStackTx] = CostModel(fixed: 30_000, source: "test")
            let names = ["a", "b", "c", "d"]
            return SimulationConfig(
                name: "shared", duration: .milliseconds(100), warmup: .milliseconds(20),
                host: HostConfig(cores: 2, rootCores: [0], costs: costs, vcpuPlacement: placement),
                nics: [NICConfig(name: "pnic0")], switches: [SwitchConfig(name: "ext", kind: .external(nic: "pnic0"))],
                vms: names.map { VMConfig(name: $0, vcpus: 1, adapters: [AdapterConfig(name: "eth0", switch: "ext")]) },
                flows: names.map {
                    FlowConfig(
                        name: $0, from: .vm($0), to: .external(nic: "pnic0"),
                        pattern: .constant(rate: .megabits(584)))
                })
        }
        let dedicated = try runConfig(config(.dedicated)).report
        let shared = try runConfig(config(.shared)).report
        #expect(try abs(dedicated.metric(.host, "host", "delivered_packets_per_second") - 200_000) / 200_000 < 0.01)
        #expect(try abs(shared.metric(.host, "host", "delivered_packets_per_second") - 100_000) / 100_000 < 0.01)
        #expect(try abs(shared.metric(.core, "core1", "cpu_utilization") - 100) < 1)
    }
}
