import Models
import SimCore
import Testing

/// Small timelines: who did what when.
@Suite struct BehaviourTests {
    @Test func singlePacketWalk() throws {
        // One packet VM → external peer. Guest stack 3,000 cycles = 1 µs on the vCPU; NetVSC writes the
        // ring at 1 µs and signals (free here); NetVSP drains at once and the vSwitch costs 3,000 cycles
        // = 1 µs on core0 ⇒ forwarded at 2 µs; the 10 Gb/s wire takes 1,526 × 8 / 1e10 = 1.2208 µs;
        // propagation 1 µs ⇒ latency 4.2208 µs (the minimum is exact to the nanosecond).
        var costs = CostProfile.zero
        costs[.guestStackTx] = CostModel(fixed: 3_000, source: "test")
        costs[.vSwitch] = CostModel(fixed: 3_000, source: "test")
        let flow = FlowConfig(
            name: "f", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(1)),
            stop: .microseconds(1))
        let r = try runConfig(
            singleVMConfig(
                flow: flow, costs: costs, duration: .milliseconds(1), warmup: .zero,
                propagation: .microseconds(1))
        ).report
        let l = try #require(r.latencies.first)
        #expect(l.samples == 1)
        #expect(abs(l.minimum - 4.2208) < 0.001, "latency \(l.minimum) µs")
        #expect(try r.metric(.adapter, "vm/eth0", "signals") == 1)
        #expect(try r.metric(.component, "guest_stack", "guest_cycles") == 3_000)
        #expect(try r.metric(.component, "vswitch", "root_cycles") == 3_000)
        #expect(try r.metric(.flow, "f", "all_cycles_per_packet") == 6_000)
    }

    @Test func requestResponseWaitsForInterruptModeration() throws {
        // Zero CPU costs; 10 Gb/s; propagation 1 µs. The VM sends a 200-B TCP request (frame 258 B, 278 B on
        // the wire = 0.2224 µs), the peer gets it at 0.2224 + 1 = 1.2224 µs and answers 4,096 B = three
        // segments (1,460 + 1,460 + 1,176 B ⇒ 1,538 + 1,538 + 1,254 wire bytes). The first reaches the NIC at
        // 1.2224 + 1 + 1.2304 = 3.4528 µs. Moderation (32 frames or 50 µs) holds the interrupt until
        // 3.4528 + 50 = 53.4528 µs; everything after is free ⇒ transaction latency 53.4528 µs.
        // Without moderation (max delay 0) the last segment decides: 3.4528 + 1.2304 + 1.0032 = 5.6864 µs.
        func config(maxDelay: SimTime) -> SimulationConfig {
            let flow = FlowConfig(
                name: "rr", from: .vm("vm"), to: .external(nic: "pnic0"), transport: .tcp,
                pattern: .requestResponse(responseBytes: 4096), size: .fixed(200))
            var c = singleVMConfig(flow: flow, duration: .milliseconds(5), warmup: .zero, propagation: .microseconds(1))
            c.nics[0].coalescing = InterruptCoalescing(maxFrames: 32, maxDelay: maxDelay)
            return c
        }
        let moderated = try #require(try runConfig(config(maxDelay: .microseconds(50))).report.latencies.first { $0.entity == "rr" })
        #expect(abs(moderated.minimum - 53.4528) < 0.001, "\(moderated.minimum) µs")
        #expect(abs(moderated.maximum - 53.4528) < 0.001)
        let immediate = try #require(try runConfig(config(maxDelay: .zero)).report.latencies.first { $0.entity == "rr" })
        #expect(abs(immediate.minimum - 5.6864) < 0.001, "\(immediate.minimum) µs")
    }

    @Test func vmToVMNeverTouchesTheNIC() throws {
        // Two VMs on a private switch, bulk TCP with LSO: data and ACKs cross the VSP both ways; no NIC exists.
        let r = try runConfig(ReferenceConfigs.vmToVMPrivate(duration: .milliseconds(60))).report
        #expect(try r.metric(.flow, "a-to-b", "goodput") > 1)
        #expect(try r.metric(.flow, "a-to-b", "ack_packets") > 0)
        #expect(try r.metric(.adapter, "b/eth0", "send_packets") > 0)  // ACKs leave b through its send ring
        #expect(!r.metrics.contains { $0.kind == .nic })
        #expect(r.conservation.holds)
    }

    @Test func vlanMismatchDrops() throws {
        let c = SimulationConfig(
            name: "vlan", duration: .milliseconds(20), warmup: .zero,
            host: HostConfig(cores: 4, rootCores: [0]),
            switches: [SwitchConfig(name: "int", kind: .internal)],
            vms: [
                VMConfig(name: "a", adapters: [AdapterConfig(name: "eth0", switch: "int", vlan: 10)]),
                VMConfig(name: "b", adapters: [AdapterConfig(name: "eth0", switch: "int", vlan: 20)]),
            ],
            flows: [FlowConfig(name: "f", from: .vm("a"), to: .vm("b"), pattern: .constant(rate: .megabits(100)))])
        let r = try runConfig(c).report
        #expect(try r.metric(.flow, "f", "delivered_packets") == 0)
        #expect(
            try r.metric(.host, "host", "drops.vlan_mismatch") == r.metric(.flow, "f", "sent_packets") - r.conservation.inFlight.asDouble)
    }

    @Test func detachDropsAndReattachRecovers() throws {
        // Detached 20–40 ms of a 60 ms run: frames reaching the switch then are dropped as `detached`.
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(60))
        c.warmup = .zero
        c.timeline = [
            TimelineAction(at: .milliseconds(20), .detachAdapter(vm: "web1", adapter: "eth0")),
            TimelineAction(at: .milliseconds(40), .attachAdapter(vm: "web1", adapter: "eth0")),
        ]
        let r = try runConfig(c).report
        // 1 Gb/s of 1,460-B messages = 85,616 pps ⇒ ≈ 1,712 packets dropped in 20 ms (±5 %).
        let d = try r.metric(.host, "host", "drops.detached")
        #expect(d > 1_712 * 0.95 && d < 1_712 * 1.05 + 10, "detached drops \(d)")
        #expect(r.conservation.holds)
    }

    @Test func vmqSpreadsReceiveQueues() throws {
        func config(vmq: Bool) -> SimulationConfig {
            var c = ReferenceConfigs.reference64VM(duration: .milliseconds(10), warmup: .milliseconds(2))
            c.vms = Array(c.vms.prefix(4))
            c.flows = c.flows.filter { f in
                c.vms.contains {
                    if case .vm(let v, _) = f.to { return v == $0.name }; return false
                }
            }
            c.nics[0].vmq = vmq
            return c
        }
        let on = try runConfig(config(vmq: true)).report
        let off = try runConfig(config(vmq: false)).report
        // VMQ on: four queues (one per vmNIC) on cores 1, 2, 3, 4; the default queue idle.
        #expect(try on.metric(.nic, "pnic0/default", "queue_packets") == 0)
        #expect(try (0..<4).allSatisfy { try on.metric(.nic, "pnic0/vmq\($0)", "queue_packets") > 0 })
        // VMQ off: everything through the default queue, on one core (core1).
        #expect(try off.metric(.nic, "pnic0/default", "queue_packets") > 0)
        #expect(off.value(.nic, "pnic0/vmq0", "queue_packets") == nil)
    }

    @Test func syntheticBeatsEmulated() throws {
        // Same VM and bulk TCP flow. Emulated: a 100 Mb/s link and ≈ 1.3 heavyweight exits per packet
        // ⇒ goodput < 0.1 Gb/s. Synthetic: LSO super-segments through VMBus ⇒ several Gb/s.
        let emu = try runConfig(ReferenceConfigs.adapterComparison(.emulated, duration: .milliseconds(60))).report
        let syn = try runConfig(ReferenceConfigs.adapterComparison(.synthetic, duration: .milliseconds(60))).report
        let ge = try emu.metric(.flow, "bulk", "goodput"), gs = try syn.metric(.flow, "bulk", "goodput")
        #expect(ge > 0.01 && ge < 0.1, "emulated goodput \(ge)")
        #expect(gs > 10 * ge, "synthetic \(gs) vs emulated \(ge)")
        #expect(try emu.metric(.adapter, "app/eth0", "register_accesses_per_packet") > 1)
    }

    @Test func sameSeedSameReport() throws {
        let a = try runConfig(ReferenceConfigs.quickstart(duration: .milliseconds(40)))
        let b = try runConfig(ReferenceConfigs.quickstart(duration: .milliseconds(40)))
        #expect(a.report == b.report)
        var c2 = ReferenceConfigs.quickstart(duration: .milliseconds(40))
        c2.replication = 1
        c2.flows[0].pattern = .poisson(rate: .gigabits(1))
        var c1 = c2
        c1.replication = 0
        let x = try runConfig(c1), y = try runConfig(c2)
        #expect(x.report.info.fingerprint != y.report.info.fingerprint)
    }

    @Test func captureRecordsFrames() throws {
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(5))
        c.captures = [CapturePort(switch: "external", endpoint: .external(nic: "pnic0"))]
        c.maxCapturedFrames = 100
        let out = try runConfig(c)
        #expect(out.captures.count == 100)
        #expect(out.capturesDropped > 0)
        let f = try #require(out.captures.first { $0.egress && $0.transport == .udp })
        #expect(f.sourceMAC == [0x00, 0x15, 0x5D, 0, 0, 0])
        #expect(f.frameLength == 1502)
        #expect(f.payloadLength == 1460)
    }

    @Test func packetMemoryDoesNotGrowWithDuration() throws {
        // Saturated link (queues full): the packet table is bounded by the queues, not by the duration.
        func slots(_ d: SimTime) throws -> Int {
            var c = ReferenceConfigs.quickstart(duration: d)
            c.flows[0].pattern = .constant(rate: .gigabits(12))
            c.socketBacklogLimit = .milliseconds(1)
            c.vms[0].adapters[0].ringBytes = 64 * 1024
            let sim = try HostSimulation(config: c)
            _ = try sim.run()
            return sim.packetSlots
        }
        let short = try slots(.milliseconds(15)), long = try slots(.milliseconds(45))
        #expect(long <= short + 64, "slots \(short) → \(long)")
    }

    @Test func timelineStopsAndRestartsAFlow() throws {
        // 1 Gb/s of 1,460-B messages = 85,616.4 pps. Stopped at 10 ms, restarted at 20 ms, run ends at 30 ms:
        // 20 ms of sending ⇒ ≈ 1,712 packets (±2), all delivered (no bound is near).
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(30))
        c.warmup = .zero
        c.flows = [c.flows[0]]
        c.timeline = [
            TimelineAction(at: .milliseconds(10), .stopFlow("web1-out")),
            TimelineAction(at: .milliseconds(20), .startFlow("web1-out")),
        ]
        let r = try runConfig(c).report
        let sent = try r.metric(.flow, "web1-out", "sent_packets")
        #expect(abs(sent - 1_712) <= 2, "sent \(sent)")
        #expect(try r.metric(.flow, "web1-out", "drops") == 0)
    }

    @Test func addressesAreDeterministic() throws {
        let sim = try HostSimulation(config: ReferenceConfigs.quickstart())
        let a = sim.endpointAddresses
        #expect(a.map(\.name) == ["external@pnic0", "web1/eth0"])
        #expect(a[1].mac == [0x00, 0x15, 0x5D, 0, 0, 0])
        #expect(a[1].ipv4 == 0x0A00_0001)
        #expect(a[0].mac == [0x02, 0, 0, 0, 0, 0])
    }

    @Test func seriesMemoryIsBounded() throws {
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(100))
        c.sampleInterval = .microseconds(100)
        c.maxSeriesPoints = 16
        let r = try runConfig(c).report
        #expect(r.series.allSatisfy { $0.values.count <= 16 })
        #expect(r.series.contains { $0.interval > 0.0001 })
    }
}

extension UInt64 { var asDouble: Double { Double(self) } }
