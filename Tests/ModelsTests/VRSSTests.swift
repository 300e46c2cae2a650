import SimCore
import Testing

@testable import Models

/// vRSS and VMMQ (docs/model.md, "vRSS and VMMQ"): a packet's sub-channel and NIC queue come from the Toeplitz hash of
/// its headers (checked against Microsoft's table in `RSSHashTests`) through a round-robin indirection table — 16 entries
/// for the guest's sends, 128 for receive. Each test derives the expected counts from the frames a capture shows at the
/// VM's port: hashing each captured frame's addresses and ports gives the channel (and queue) it must have taken.
@Suite struct VRSSTests {
    /// One 4-vCPU VM whose adapter has 4 channels on an external switch; 4 root cores; traffic from the peer: a bulk
    /// TCP flow of 6 streams and two UDP flows, all stopped at 3 ms so that everything has arrived by 6 ms.
    static func config(vmmq: Bool) -> SimulationConfig {
        var nic = NICConfig(name: "pnic0", propagationDelay: .zero)
        nic.vmmq = vmmq
        // The vSwitch's RSC is off: each captured frame is then one frame of the wire (the queue counts frames).
        var sw = SwitchConfig(name: "ext", kind: .external(nic: "pnic0"))
        sw.rsc = false
        var c = SimulationConfig(
            name: "vrss", seed: 3, duration: .milliseconds(6), warmup: .zero,
            host: HostConfig(cores: 8, clock: .gigahertz(3.0), rootCores: [0, 1, 2, 3]), nics: [nic], switches: [sw],
            vms: [VMConfig(name: "vm", vcpus: 4, adapters: [AdapterConfig(name: "eth0", switch: "ext", channels: 4)])],
            flows: [
                FlowConfig(
                    name: "bulk", from: .external(nic: "pnic0"), to: .vm("vm"), transport: .tcp,
                    pattern: .bulk(tcp: TCPOptions(streams: 6)), stop: .milliseconds(3)),
                FlowConfig(
                    name: "udp1", from: .external(nic: "pnic0"), to: .vm("vm"), pattern: .constant(rate: .megabits(100)),
                    stop: .milliseconds(3)),
                FlowConfig(
                    name: "udp2", from: .external(nic: "pnic0"), to: .vm("vm"), pattern: .constant(rate: .megabits(100)),
                    stop: .milliseconds(3)),
            ],
            captures: [CapturePort(switch: "ext", endpoint: .vm("vm"))], maxCapturedFrames: 1_000_000)
        c.name = vmmq ? "vmmq" : "vrss"
        return c
    }

    /// The hash of a captured frame as the model's NDIS hash types take it: TCP by its 4-tuple, UDP by its addresses.
    static func hash(_ f: CapturedFrame) -> UInt32 {
        let rss = RSSHash()
        if f.transport == .tcp {
            return rss.hash(
                source: f.sourceIPv4, destination: f.destinationIPv4, sourcePort: f.sourcePort, destinationPort: f.destinationPort)
        }
        return rss.hash(source: f.sourceIPv4, destination: f.destinationIPv4)
    }

    @Test func channelsFollowTheHashThroughTheIndirectionTables() throws {
        // Frames leaving the switch towards the VM (egress) were received on channel (hash mod 128) mod 4; frames the
        // VM sent (the ACKs, ingress) went on channel (hash mod 16) mod 4. No ring fills (512 KiB rings), so each
        // channel's receive_packets and send_packets are exactly those counts.
        let out = try runConfig(Self.config(vmmq: false))
        var rx = [0.0, 0, 0, 0], tx = [0.0, 0, 0, 0]
        var udpChannels = Set<Int>(), tcpChannels = Set<Int>()
        for f in out.captures where f.port == "ext/vm/eth0" && f.transport != .arp {
            let h = Self.hash(f)
            if f.egress {
                let c = Int(h & 127) % 4
                rx[c] += 1
                if f.transport == .udp { udpChannels.insert(c) } else { tcpChannels.insert(c) }
            } else {
                tx[Int(h & 15) % 4] += 1
            }
        }
        let r = out.report
        for c in 0..<4 {
            #expect(try r.metric(.channel, "vm/eth0/ch\(c)", "receive_packets") == rx[c], "channel \(c)")
            #expect(try r.metric(.channel, "vm/eth0/ch\(c)", "send_packets") == tx[c], "channel \(c)")
        }
        // Both UDP flows join one address pair, hashed without ports: one channel. The 6 TCP streams differ in their
        // client port: more than one channel.
        #expect(udpChannels.count == 1)
        #expect(tcpChannels.count > 1)
        #expect(rx.reduce(0, +) == (try r.metric(.adapter, "vm/eth0", "receive_packets")))
        #expect(r.conservation.holds && r.conservation.inFlight == 0)
    }

    @Test func vmmqSpreadsAVMNICOverQueuesOnSeveralCores() throws {
        // VMMQ: the vmNIC has min(4 channels, 16 pairs) = 4 queues, vmq0.0 … vmq0.3 on root cores 0…3 in turn (the
        // default queue is also on core 0). Each frame from the peer lands in queue (hash mod 128) mod 4 — the same entry
        // as its channel, so queue j's packets are channel j's. Without VMMQ the one VMQ queue takes every frame.
        let out = try runConfig(Self.config(vmmq: true))
        var expected = [0.0, 0, 0, 0]
        for f in out.captures where f.port == "ext/vm/eth0" && f.egress && f.transport != .arp {
            expected[Int(Self.hash(f) & 127) % 4] += 1
        }
        let r = out.report
        for j in 0..<4 {
            #expect(try r.metric(.nic, "pnic0/vmq0.\(j)", "queue_packets") == expected[j], "queue \(j)")
            #expect(try r.metric(.nic, "pnic0/vmq0.\(j)", "queue_core") == Double(j))
            #expect(try r.metric(.channel, "vm/eth0/ch\(j)", "receive_packets") == expected[j])
        }
        #expect(expected.filter { $0 > 0 }.count > 1)
        // (The run without VMMQ times differently — its one queue's core does all the work — so it counts its own frames.)
        let single = try runConfig(Self.config(vmmq: false))
        let all = single.captures.filter { $0.port == "ext/vm/eth0" && $0.egress && $0.transport != .arp }.count
        #expect(try single.report.metric(.nic, "pnic0/vmq0", "queue_packets") == Double(all))
        #expect(single.report.value(.nic, "pnic0/vmq0.0", "queue_packets") == nil)
    }

    @Test func indirectionTableArithmeticIsTheRoundRobinTable() {
        // `tableQueue` is the lookup in `RSSIndirectionTable` (slot h mod entries holds queue slot mod queues).
        for queues in [1, 3, 4, 7, 64] {
            let t = RSSIndirectionTable(queues: queues)
            for h: UInt32 in [0, 1, 15, 16, 127, 128, 0xdead_beef, 0xffff_ffff] {
                #expect(HostSimulation.tableQueue(h, entries: 128, queues: queues) == t.queue(for: h))
            }
        }
    }
}
