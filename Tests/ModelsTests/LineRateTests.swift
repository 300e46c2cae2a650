import Models
import SimCore
import Testing

/// `rate: line` (`SimulationConfig.lineRate(for:)`): the arithmetic, derived by hand, then the model run at that rate
/// keeping the slowest link busy without a growing backlog.
@Suite struct LineRateTests {
    /// A flow of fixed `payload`-byte messages from `from` to `to` in `singleVMConfig`'s host (one VM `vm` on the
    /// external switch of a `link` NIC `pnic0`), at a placeholder rate.
    func config(
        from: Endpoint, to: Endpoint, payload: Int, transport: Transport = .udp, kind: AdapterKind = .synthetic,
        link: DataRate = .gigabits(10), duration: SimTime = .milliseconds(3), warmup: SimTime = .milliseconds(1)
    ) -> SimulationConfig {
        singleVMConfig(
            flow: FlowConfig(
                name: "f", from: from, to: to, transport: transport, pattern: .constant(rate: .megabits(1)), size: .fixed(payload)),
            costs: .zero, link: link, kind: kind, duration: duration, warmup: warmup)
    }

    func lineRate(_ c: SimulationConfig) throws -> DataRate { try c.lineRate(for: c.flows[0]).get() }

    /// The configuration with its flow at its line rate.
    func atLineRate(_ c: SimulationConfig) throws -> SimulationConfig {
        var c = c
        c.flows[0].pattern = .constant(rate: try lineRate(c))
        return c
    }

    @Test func framesAndPayloads() {
        // emit: frame = max(payload + headers + 4, 64); UDP headers 42 B, TCP 54 B.
        #expect(Transport.udp.frameBytes(payload: 18) == 64 && Transport.udp.payloadBytes(frameBytes: 64) == 18)
        #expect(Transport.tcp.frameBytes(payload: 6) == 64 && Transport.tcp.payloadBytes(frameBytes: 64) == 6)
        #expect(Transport.udp.frameBytes(payload: 1) == 64)  // padded
        #expect(Transport.udp.payloadBytes(frameBytes: 1518) == 1472 && Transport.tcp.payloadBytes(frameBytes: 1518) == 1460)
        let c = config(from: .external(nic: "pnic0"), to: .vm("vm"), payload: 18)
        #expect(c.pathMTU(of: c.flows[0]) == 1500 && c.largestFrame(of: c.flows[0]) == 1518)
    }

    @Test func smallestAndLargestFramesOnTenGigabits() throws {
        // 64-B UDP frames: 64 + 20 (preamble, SFD, gap) = 84 B = 672 bit = 67.2 ns on 10 Gb/s, i.e. 14.880952 M frames/s;
        // each carries 18 B = 144 bit of payload: 144 / 67.2 ns = 2.142857142857 Gb/s, rounded down to a whole b/s.
        #expect(try lineRate(config(from: .external(nic: "pnic0"), to: .vm("vm"), payload: 18)).bitsPerSecond == 2_142_857_142)
        // 64-B TCP frames carry 6 B = 48 bit: 48 / 67.2 ns = 714.285714 Mb/s.
        #expect(
            try lineRate(config(from: .external(nic: "pnic0"), to: .vm("vm"), payload: 6, transport: .tcp)).bitsPerSecond
                == 714_285_714)
        // 1518-B frames (1472 B of UDP payload): 1538 B = 12,304 bit = 1,230.4 ns; 11,776 bit / 1,230.4 ns = 9.570871261 Gb/s.
        #expect(try lineRate(config(from: .vm("vm"), to: .external(nic: "pnic0"), payload: 1472)).bitsPerSecond == 9_570_871_261)
    }

    @Test func aMessageIsCutAsTheModelCutsIt() throws {
        // 3000 B of UDP at MTU 1500: MSS 1472, so packets of 1472, 1472 and 56 B; frames 1518, 1518, 102 B; on the wire
        // 1538 + 1538 + 122 = 3198 B = 2,558.4 ns at 10 Gb/s; 24,000 bit / 2,558.4 ns = 9.380863039 Gb/s.
        let c = config(from: .vm("vm"), to: .external(nic: "pnic0"), payload: 3000)
        #expect(c.packetPayloads(of: c.flows[0], messageBytes: 3000) == [1472, 1472, 56])
        #expect(try lineRate(c).bitsPerSecond == 9_380_863_039)
        // 64 KiB over TCP from a synthetic adapter with LSO: MSS 1460, super-segments of 43 × 1460 = 62,780 B (the LSO
        // limit), then 2,756 B; the NIC cuts them into 43 and 2 frames of 58 B headers: 62,780 + 43 × 78 = 66,134 B
        // (52,907.2 ns) and 2,756 + 2 × 78 = 2,912 B (2,329.6 ns): 524,288 bit / 55,236.8 ns = 9.491643252 Gb/s.
        let t = config(from: .vm("vm"), to: .external(nic: "pnic0"), payload: 65_536, transport: .tcp)
        #expect(t.packetPayloads(of: t.flows[0], messageBytes: 65_536) == [62_780, 2_756])
        #expect(try lineRate(t).bitsPerSecond == 9_491_643_252)
    }

    @Test func theSlowestLinkOnThePathDecides() throws {
        // An emulated adapter's 100 Mb/s link before the 10 Gb/s NIC: 1538 B = 123.04 µs, 11,776 bit / 123.04 µs =
        // 95.708712 Mb/s.
        let emulated = config(from: .vm("vm"), to: .external(nic: "pnic0"), payload: 1472, kind: .emulated)
        #expect(try emulated.linksOnPath(of: emulated.flows[0]).get().map(\.rate) == [.megabits(100), .gigabits(10)])
        #expect(try lineRate(emulated).bitsPerSecond == 95_708_712)
        // Two emulated adapters on a private switch: each end's link, 64-B frames: 144 bit / 6.72 µs = 21.428571 Mb/s.
        var pair = emulated
        pair.switches = [SwitchConfig(name: "lan", kind: .private)]
        pair.vms = ["a", "b"].map { VMConfig(name: $0, vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan")]) }
        pair.flows[0] = FlowConfig(name: "f", from: .vm("a"), to: .vm("b"), pattern: .constant(rate: .megabits(1)), size: .fixed(18))
        #expect(try pair.linksOnPath(of: pair.flows[0]).get().count == 2)
        #expect(try lineRate(pair).bitsPerSecond == 21_428_571)
        // The host vNIC on the external switch to the peer: the NIC's wire.
        var host = config(from: .host(switch: "ext"), to: .external(nic: "pnic0"), payload: 18)
        host.switches[0].hostVNIC = true
        #expect(try lineRate(host).bitsPerSecond == 2_142_857_142)
    }

    @Test func noLinkNoLineRate() throws {
        // Synthetic adapters on an internal switch: VMBus, the vSwitch and the host vNIC are paced by CPU only.
        var c = config(from: .vm("vm"), to: .host(switch: "int"), payload: 18)
        c.switches = [SwitchConfig(name: "int", kind: .internal)]
        c.vms[0].adapters[0].switch = "int"
        guard case .failure(.noLink(_, _, let reason, virtualServer: false)) = c.lineRate(for: c.flows[0]) else {
            Issue.record("a synthetic VM → host vNIC flow has a line rate")
            return
        }
        #expect(reason.contains("CPU speed"))
        // Virtual Server: the emulated adapter's link is not paced; its network's NIC still is.
        var vs = c
        vs.host.platform = .virtualServer
        vs.vms = ["a", "b"].map { VMConfig(name: $0, vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan")]) }
        vs.switches = [.virtualNetwork(name: "lan", nic: "pnic0")]
        vs.flows[0] = FlowConfig(name: "f", from: .vm("a"), to: .vm("b"), pattern: .constant(rate: .megabits(1)), size: .fixed(18))
        guard case .failure(.noLink(_, _, let vsReason, virtualServer: true)) = vs.lineRate(for: vs.flows[0]) else {
            Issue.record("a Virtual Server VM → VM flow has a line rate")
            return
        }
        #expect(vsReason.contains("not paced"))
        vs.flows[0].to = .external(nic: "pnic0")
        #expect(try lineRate(vs).bitsPerSecond == 2_142_857_142)
        // A size distribution, and a closed-loop pattern, have none.
        var d = config(from: .external(nic: "pnic0"), to: .vm("vm"), payload: 18)
        d.flows[0].size = .distribution(.uniform(min: 64, max: 1500))
        #expect(d.lineRate(for: d.flows[0]) == .failure(.sizeNotFixed))
        d.flows[0].pattern = .requestResponse(responseBytes: 100)
        #expect(d.lineRate(for: d.flows[0]) == .failure(.closedLoop(pattern: "request_response")))
    }

    /// The peer sends at the line rate into the VM: the NIC's inbound wire is busy 99–100 % of the window, nothing
    /// drops and nothing piles up (every cost zero, so the wire is the only bound).
    @Test(arguments: [(18, SimTime.milliseconds(2)), (1472, SimTime.milliseconds(8))])
    func thePeerAtLineRateKeepsTheWireBusy(payload: Int, duration: SimTime) throws {
        let c = try atLineRate(config(from: .external(nic: "pnic0"), to: .vm("vm"), payload: payload, duration: duration))
        let out = try runConfig(c)
        let r = out.report
        let busy = try r.metric(.nic, "pnic0", "rx_link_utilization")
        // The interval is at least the frame's wire time (the rate is rounded down): busy ≥ 1 − 10⁻⁹ but never above 100 %.
        #expect(busy >= 99 && busy <= 100 * (1 + 1e-12), "payload \(payload): the wire is busy \(busy) %")
        #expect(r.conservation.dropped == 0, "payload \(payload): drops \(r.conservation.droppedByCause)")
        // The backlog does not grow: what is in flight at the end is the NIC's coalescing batch at most (32 frames).
        #expect(r.conservation.inFlight <= 64, "payload \(payload): \(r.conservation.inFlight) packets in flight")
        #expect(!r.verdicts.contains { $0.code == .notSteadyState || $0.code == .backlog }, "\(r.verdicts.map(\.message))")
    }

    /// An emulated adapter sends at the line rate to the peer: its 100 Mb/s link (the flow's bottleneck) is busy
    /// 99–100 % of the window; the 10 Gb/s NIC carries the same frames at 1 % of its rate.
    @Test(arguments: [18, 1472])
    func anEmulatedAdapterAtLineRateKeepsItsLinkBusy(payload: Int) throws {
        let c = try atLineRate(
            config(
                from: .vm("vm"), to: .external(nic: "pnic0"), payload: payload, kind: .emulated, duration: .milliseconds(40),
                warmup: .milliseconds(5)))
        let r = try runConfig(c).report
        let b = try #require(r.bottlenecks.first { $0.flow == "f" })
        #expect(b.resource == .link && b.name == "vm/eth0 tx", "payload \(payload): bottleneck \(b)")
        #expect(b.utilization >= 99 && b.utilization <= 100 * (1 + 1e-12), "payload \(payload): the link is busy \(b.utilization) %")
        // The NIC's transmit wire sees the same wire bytes at 100× the rate.
        let nic = try r.metric(.nic, "pnic0", "tx_link_utilization")
        #expect(abs(nic - b.utilization / 100) < 0.05, "payload \(payload): NIC busy \(nic) %")
        #expect(r.conservation.dropped == 0, "payload \(payload): drops \(r.conservation.droppedByCause)")
        #expect(r.conservation.inFlight <= 64, "payload \(payload): \(r.conservation.inFlight) packets in flight")
    }
}
