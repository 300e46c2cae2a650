import SimCore
import Testing

@testable import Models

/// Virtual Server hosts (issue 10): hubs, adapters attached and detached, networks deleted with packets in flight,
/// power actions, statistics. Expectations are derived in the comments.
@Suite struct VirtualServerTests {
    /// A Virtual Server host: 4 cores, host OS cores 0 and 1; internal networks `lan` and `lab`; VMs a, b on lan and
    /// c on lab (one emulated adapter each, one CPU); the Virtual Server cost profile.
    static func host(duration: SimTime = .milliseconds(60), flows: [FlowConfig] = [], timeline: [TimelineAction] = [])
        -> SimulationConfig
    {
        SimulationConfig(
            name: "vs", seed: 3, duration: duration, warmup: .zero,
            host: HostConfig(cores: 4, rootCores: [0, 1], platform: .virtualServer),
            switches: [.virtualNetwork(name: "lan"), .virtualNetwork(name: "lab")],
            vms: [
                VMConfig(name: "a", vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan")]),
                VMConfig(name: "b", vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan")]),
                VMConfig(name: "c", vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "lab")]),
            ],
            flows: flows, timeline: timeline)
    }

    static func udp(_ name: String = "ab", from: String = "a", to: String = "b", rate: DataRate = .megabits(300))
        -> FlowConfig
    {
        FlowConfig(name: name, from: .vm(from), to: .vm(to), pattern: .constant(rate: rate), size: .fixed(1472))
    }

    @Test func theVirtualServerProfileChargesTheHubAndTheHostHandOffNotTheVSwitch() throws {
        // a → b over lan: every frame costs the hub (2,500 cycles) once on the sender's host core, and the VMM→host
        // hand-off (14,400) once each way; no Hyper-V vSwitch, no worker-process access.
        let c = Self.host(flows: [Self.udp(rate: .megabits(10))])
        #expect(c.host.costs[.hubForward].fixed == 2_500 && c.host.costs[.vmmHostSwitch].fixed == 14_400)
        let sim = try HostSimulation(config: c)
        let r = try sim.run().report
        let delivered = try r.metric(.flow, "ab", "delivered_packets")
        #expect(delivered > 0)
        let stage = { (s: CostStage) in
            (0..<sim.cores.servers.count).reduce(Int64(0)) { $0 + sim.cores.stageCycles[$1 * CostStage.count + Int(s.rawValue)] }
        }
        #expect(stage(.vSwitch) == 0 && stage(.emulatedAccessWorker) == 0)
        let frames = Int64(r.conservation.created)
        // Every frame created was forwarded once by the hub and crossed the host boundary once each way (the run
        // ends with a few in flight: at most one per stage and VM).
        #expect(abs(stage(.hubForward) / 2_500 - frames) <= 3)
        #expect(abs(stage(.vmmHostSwitch) / 14_400 - 2 * frames) <= 6)
        #expect(r.conservation.holds)
    }

    @Test func vmToVMTrafficIsBoundedByCPUNotByThe100MbpsLink() throws {
        // Offered 300 Mb/s of 1472-byte UDP (≈ 25,000 pps): the sender's host core spends ≈ 2,000 + 1,518 (device
        // model) + 14,400 (hand-off) + 2,500 (hub) ≈ 20,400 cycles a frame (≈ 51 % of a 3 GHz core), the receiver's
        // ≈ 17,900: nothing saturates, so all of it arrives — three times the 21140's nominal 100 Mb/s, which a
        // virtual network does not enforce ("data rates which are not limited by physical hardware", §2).
        let r = try runConfig(Self.host(flows: [Self.udp()])).report
        let goodput = try r.metric(.flow, "ab", "goodput")
        #expect(goodput > 0.28 && goodput < 0.31)
    }

    @Test func twoInternalNetworksCannotReachEachOther() throws {
        // a announces itself (a broadcast gratuitous ARP) at time 0: lan floods it to b only, never to c on lab. And
        // a → c unicast: until c is moved onto lan at 50 ms, lan's hub has never seen c's address and floods each
        // frame to b, whose station discards it (`not_addressed`); nothing crosses to lab.
        var c = Self.host(
            flows: [Self.udp("ac", to: "c", rate: .megabits(10))],
            timeline: [TimelineAction(at: .milliseconds(50), .attachAdapter(vm: "c", adapter: "eth0", switch: "lan"))])
        c.vms[0].adapters[0].announce = true
        let r = try runConfig(c).report
        #expect(try r.metric(.control, "a/eth0/announce", "delivered_packets") == 1)
        #expect(try r.metric(.port, "lab/c/eth0", "out_packets") == 0)
        // ≈ 42 frames before 50 ms, all discarded by b; ≈ 8 after, delivered on lan.
        #expect(try r.metric(.flow, "ac", "drops.not_addressed") >= 40)
        let delivered = try r.metric(.flow, "ac", "delivered_packets")
        #expect(delivered >= 7 && delivered <= 10)
        #expect(r.conservation.holds)
    }

    @Test func aDetachedAdapterDropsItsTrafficAsDetachedAndReattachedElsewhereItFlowsThere() throws {
        // a sends to b from 0; detached at 20 ms; attached to lab at 40 ms, where c is: a → b then has no path
        // (b is on lan), so a second flow a → c delivers only after 40 ms.
        let c = Self.host(
            flows: [Self.udp(rate: .megabits(10)), Self.udp("ac", to: "c", rate: .megabits(10))],
            timeline: [
                TimelineAction(at: .milliseconds(20), .detachAdapter(vm: "a", adapter: "eth0")),
                TimelineAction(at: .milliseconds(40), .attachAdapter(vm: "a", adapter: "eth0", switch: "lab")),
            ])
        let r = try runConfig(c).report
        // 10 Mb/s of 1514-byte frames ≈ 849 frames/s: ≈ 17 in the first 20 ms reach b; those sent while detached
        // (≈ 17) drop `detached`.
        let ab = try r.metric(.flow, "ab", "delivered_packets")
        #expect(ab >= 15 && ab <= 18)
        #expect(try r.metric(.flow, "ab", "drops.detached") >= 15)
        // a → c: nothing before 40 ms (a is on lan, c on lab), ≈ 17 in the last 20 ms.
        let ac = try r.metric(.flow, "ac", "delivered_packets")
        #expect(ac >= 15 && ac <= 18)
        #expect(r.conservation.holds)
    }

    /// Two bulk transfers a → b over lan, with lan deleted at `at` (an instant no other event shares).
    static func deletion(at: SimTime, duration: SimTime) -> SimulationConfig {
        var c = host(
            duration: duration,
            flows: [FlowConfig(name: "bulk", from: .vm("a"), to: .vm("b"), transport: .tcp, pattern: .bulk(), size: .fixed(1460))],
            timeline: at < duration ? [TimelineAction(at: at, .deleteNetwork("lan"))] : [])
        c.vms.append(VMConfig(name: "d", vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan")]))
        c.flows.append(
            FlowConfig(name: "bulk2", from: .vm("d"), to: .vm("b"), transport: .tcp, pattern: .bulk(), size: .fixed(1460)))
        return c
    }

    @Test func deletingANetworkLosesExactlyThePacketsInFlightOnItAsIncompleteTransmissions() throws {
        let t = SimTime(picoseconds: 12_345_678_901)
        // The expected count, from the model's own state at that instant: the same run stopped at t (no deletion yet)
        // holds, on lan, the packets on the adapters' emulated wires out, being forwarded, queued at ports and being
        // DMA'd in. (The deletion runs before any other event at t; no other event falls at this odd instant.)
        let before = try runConfig(Self.deletion(at: .seconds(1), duration: t)).report
        let stages = ["emulated_wire", "vswitch", "port_queue", "emulated_device", "network_server"]
        let expected = stages.reduce(UInt64(0)) { $0 + (before.conservation.inFlightByStage[$1] ?? 0) }
        #expect(expected > 0)
        let r = try runConfig(Self.deletion(at: t, duration: .milliseconds(30))).report
        let removal = try #require(r.networks?.first { $0.name == "lan" }?.removals.first)
        #expect(removal.incompletePackets == expected)
        #expect(r.conservation.droppedByCause["incomplete_transmission"] == expected)
        #expect(try r.metric(.host, "host", "incomplete_transmissions") == Double(expected))
        let perFlow = try r.metric(.flow, "bulk", "incomplete_transmissions") + r.metric(.flow, "bulk2", "incomplete_transmissions")
        #expect(perFlow == Double(expected))
        #expect(try r.metric(.host, "host", "incomplete_bytes") == Double(removal.incompleteBytes))
        #expect(removal.detachedAdapters.sorted() == ["a/eth0", "b/eth0", "d/eth0"])
        #expect(r.conservation.holds)
        // After the deletion nothing more is delivered on lan, and the flows say their ends lost it.
        #expect(r.notes.contains { $0.contains("flow bulk:") && $0.contains("lost its network 'lan'") })
        #expect(r.networks?.first { $0.name == "lan" }?.existsAtEnd == false)
    }

    @Test func aResetRestartsTheVMsAccountantCounters() throws {
        // a sends 10 Mb/s to b for 60 ms and is reset at 30 ms: its counters then cover only the 30 ms after the
        // reset (≈ 25 frames of 1514 bytes, about half of all it sent), and say since when.
        let c = Self.host(
            flows: [Self.udp(rate: .megabits(10))], timeline: [TimelineAction(at: .milliseconds(30), .power(vm: "a", .reset))])
        let r = try runConfig(c).report
        #expect(try r.metric(.vm, "a", "accounted_since") == 0.03)
        let sent = try r.metric(.vm, "a", "accounted_sent_packets")
        let all = try r.metric(.port, "lan/a/eth0", "in_packets")
        #expect(sent >= 23 && sent <= 27 && all > 45)
        #expect(try r.metric(.vm, "b", "accounted_since") == 0)
        #expect(r.conservation.holds)
    }

    @Test func aTurnedOffVMSendsNothingAndItsOffersAreCountedUntilItIsOnAgain() throws {
        // a is turned off from 20 to 40 ms: ≈ 17 offers in between are not sent (unsent_messages), the rest arrive.
        let c = Self.host(
            flows: [Self.udp(rate: .megabits(10))],
            timeline: [
                TimelineAction(at: .milliseconds(20), .power(vm: "a", .powerOff)),
                TimelineAction(at: .milliseconds(40), .power(vm: "a", .powerOn)),
            ])
        let r = try runConfig(c).report
        let unsent = try r.metric(.flow, "ab", "unsent_messages")
        #expect(unsent >= 15 && unsent <= 18)
        let delivered = try r.metric(.flow, "ab", "delivered_packets")
        #expect(delivered >= 32 && delivered <= 36)
        #expect(r.conservation.holds)
    }

    @Test func theHistoryHoldsTheLast60OneSecondSamples() throws {
        // 70 s at 1 Mb/s of 1472-byte payloads: 1,000,000 / (1472 × 8) ≈ 84.9 messages/s. The history keeps seconds
        // 11 … 70, each ≈ 85 frames sent by a and handed to b (the hub learned b after its first frame).
        let c = Self.host(duration: .seconds(70), flows: [Self.udp(rate: .megabits(1))])
        let r = try runConfig(c).report
        let lan = try #require(r.networks?.first { $0.name == "lan" })
        #expect(lan.history.count == 60)
        #expect(lan.history.first?.time == 11 && lan.history.last?.time == 70)
        for s in lan.history {
            #expect(s.packetsSent >= 84 && s.packetsSent <= 86)
            #expect(s.packetsReceived == s.packetsSent || s.packetsReceived + 1 == s.packetsSent || s.packetsReceived == s.packetsSent + 1)
            #expect(s.bytesSent == s.packetsSent * 1518)
        }
        // The one-second samples add up to the run's totals (no warm-up; the run ends on a second), and so does the
        // series of bytes per second at the sample interval (10 ms points merged to keep 2,000).
        let total = try r.metric(.network, "lan", "sent_bytes")
        #expect(Double(lan.perSecond.reduce(0) { $0 + $1.bytesSent }) == total && lan.perSecond.count == 70)
        let series = try #require(r.series.first { $0.kind == .network && $0.entity == "lan" && $0.metric == "sent_bytes_per_second" })
        #expect(abs(series.values.reduce(0, +) * series.interval - total) < 1e-6 * total)
    }

    @Test func anAddedAdapterSendsOnceAttachedAndADetachedOneShowsNoNetwork() throws {
        // d's adapter does not exist at first (`present: false`); added at 10 ms, attached to lan at 20 ms: d → b at
        // 10 Mb/s (≈ 849 frames/s) offers ≈ 8 messages before 10 ms that are not sent (no adapter), ≈ 8 between 10 and
        // 20 ms that drop `detached` (the adapter exists, plugged into nothing), and ≈ 34 in the last 40 ms that arrive.
        // a is detached at 50 ms: at the end its status has no network.
        var c = Self.host(
            flows: [Self.udp("db", from: "d", to: "b", rate: .megabits(10))],
            timeline: [
                TimelineAction(at: .milliseconds(10), .addAdapter(vm: "d", adapter: "eth0")),
                TimelineAction(at: .milliseconds(20), .attachAdapter(vm: "d", adapter: "eth0", switch: "lan")),
                TimelineAction(at: .milliseconds(50), .detachAdapter(vm: "a", adapter: "eth0")),
            ])
        var d = AdapterConfig(name: "eth0", kind: .emulated, switch: "lan", attached: false)
        d.present = false
        c.vms.append(VMConfig(name: "d", vcpus: 1, adapters: [d]))
        let r = try runConfig(c).report
        let unsent = try r.metric(.flow, "db", "unsent_messages")
        #expect(unsent >= 8 && unsent <= 10)
        let detached = try r.metric(.flow, "db", "drops.detached")
        #expect(detached >= 7 && detached <= 10)
        let delivered = try r.metric(.flow, "db", "delivered_packets")
        #expect(delivered >= 32 && delivered <= 35)
        let status = Dictionary(uniqueKeysWithValues: (r.adapterStatus ?? []).map { ($0.adapter, $0) })
        #expect(status["a/eth0"]?.network == nil && status["d/eth0"]?.network == "lan" && status["c/eth0"]?.network == "lab")
        #expect(status["d/eth0"]?.addressing == "static")
        #expect(r.conservation.holds)
    }

    @Test func aNetworkBoundToAHostNICReachesThePeerBeyondIt() throws {
        // lan bound to pnic0 (1 Gb/s): a → external@pnic0 at 50 Mb/s leaves through the hub's uplink and the NIC's
        // wire (the root core pays nic_driver_tx), and the peer's 20 Mb/s to b comes in through the NIC's receive queue
        // and the hub. lab, internal, has no uplink.
        var c = Self.host(flows: [
            FlowConfig(
                name: "out", from: .vm("a"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(50)), size: .fixed(1472)),
            FlowConfig(
                name: "in", from: .external(nic: "pnic0"), to: .vm("b"), pattern: .constant(rate: .megabits(20)), size: .fixed(1472)),
        ])
        c.nics = [NICConfig(name: "pnic0", linkRate: .gigabits(1))]
        c.switches[0] = .virtualNetwork(name: "lan", nic: "pnic0")
        let r = try runConfig(c).report
        #expect(try r.metric(.flow, "out", "goodput") > 0.048)
        #expect(try r.metric(.flow, "in", "goodput") > 0.019)
        #expect(try r.metric(.port, "lan/uplink", "out_packets") > 0)
        #expect(r.networks?.first { $0.name == "lan" }?.nic == "pnic0")
        #expect(r.networks?.first { $0.name == "lab" }?.nic == nil)
        #expect(r.conservation.holds)
    }

    @Test func aVMOnTwoNetworksThroughTwoAdaptersReachesEach() throws {
        // gw has eth0 on lan and eth1 on lab: it reaches b through lan and c through lab, each at 10 Mb/s (≈ 50 frames
        // in 60 ms), every frame through its own 21140 connection and hub; nothing crosses from one network to the other.
        var c = Self.host(flows: [
            FlowConfig(
                name: "gb", from: .vm("gw", adapter: "eth0"), to: .vm("b"), pattern: .constant(rate: .megabits(10)), size: .fixed(1472)),
            FlowConfig(
                name: "gc", from: .vm("gw", adapter: "eth1"), to: .vm("c"), pattern: .constant(rate: .megabits(10)), size: .fixed(1472)),
        ])
        c.vms.append(
            VMConfig(
                name: "gw", vcpus: 1,
                adapters: [
                    AdapterConfig(name: "eth0", kind: .emulated, switch: "lan"),
                    AdapterConfig(name: "eth1", kind: .emulated, switch: "lab"),
                ]))
        let r = try runConfig(c).report
        for f in ["gb", "gc"] {
            let n = try r.metric(.flow, f, "delivered_packets")
            #expect(n >= 49 && n <= 52, "\(f): \(n)")
        }
        #expect(try r.metric(.port, "lan/gw/eth0", "in_packets") == r.metric(.flow, "gb", "sent_packets"))
        #expect(try r.metric(.port, "lab/gw/eth1", "in_packets") == r.metric(.flow, "gc", "sent_packets"))
        #expect(r.conservation.holds)
    }
}
