import SimCore
import Testing

@testable import Models

/// DHCP over a Virtual Server network, end to end in the model (issue 10, item 5): real messages through the guests'
/// stacks and 21140s and the hub, leases that gate the flows. Expectations are derived in the comments.
@Suite struct VirtualServerDHCPTests {
    /// 10.244.0.0/24, pool .16–.254 (or `end`), server .1; lease 60 s, T1 30 s, T2 45 s (Virtual Server's minimums).
    static func dhcp(end: UInt32? = nil) -> DHCPServerConfig {
        DHCPServerConfig(
            enabled: true, network: 0x0AF4_0000, prefixLength: 24, end: end, lease: .seconds(60), renewal: .seconds(30),
            rebinding: .seconds(45))
    }

    /// VMs a, b, c on `lan` with its DHCP server; a sends 1 Mb/s of 1472-byte UDP to b from time 0.
    static func host(duration: SimTime, end: UInt32? = nil, timeline: [TimelineAction] = []) -> SimulationConfig {
        SimulationConfig(
            name: "dhcp", seed: 5, duration: duration, warmup: .zero,
            host: HostConfig(cores: 4, rootCores: [0, 1], platform: .virtualServer),
            switches: [.virtualNetwork(name: "lan", dhcp: dhcp(end: end))],
            vms: ["a", "b", "c"].map {
                VMConfig(name: $0, vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan")])
            },
            flows: [FlowConfig(name: "ab", from: .vm("a"), to: .vm("b"), pattern: .constant(rate: .megabits(1)), size: .fixed(1472))],
            timeline: timeline)
    }

    func client(_ sim: HostSimulation, _ vm: String) -> DHCPClient {
        sim.virtualServer.clients[sim.virtualServer.clientIndex[sim.adapters.byName["\(vm)/eth0"]!.index]]
    }

    @Test func everyClientLeasesAnAddressThroughFourMessagesAndTrafficWaitsForIt() throws {
        // At time 0 each client broadcasts a DISCOVER; the server OFFERs (unicast: the hub learned the client from
        // its DISCOVER), the client broadcasts its REQUEST, the server ACKs: 4 messages each, 12 in all, and three
        // distinct addresses from the pool's start (RFC 2131 §4.3.1: the lowest free), all ≥ network + 16.
        let sim = try HostSimulation(config: Self.host(duration: .seconds(1)))
        let r = try sim.run().report
        let lan = try #require(r.networks?.first)
        let d = try #require(lan.dhcp)
        #expect(d.messages["discover"] == 3 && d.messages["offer"] == 3 && d.messages["request"] == 3 && d.messages["ack"] == 3)
        #expect(d.leases.count == 3 && d.exhausted == 0)
        #expect(Set(d.leases.map(\.address)) == ["10.244.0.16", "10.244.0.17", "10.244.0.18"])
        for vm in ["a", "b", "c"] {
            let c = client(sim, vm)
            #expect(c.hasLease && c.state == .bound && c.counters.discovers == 1 && c.counters.requests == 1)
            // T1, T2 and the end count from the REQUEST's send, a few tens of µs after 0.
            #expect(c.renewalTime > .seconds(30) && c.renewalTime < SimTime.seconds(30) + .milliseconds(1))
            #expect(c.leaseExpires > .seconds(60) && c.leaseExpires < SimTime.seconds(60) + .milliseconds(1))
            #expect(try r.metric(.control, "\(vm)/eth0/dhcp", "sent_packets") == 2)
        }
        // The flow's first message (time 0) came before a's lease: refused, not sent. The rest flowed.
        #expect(try r.metric(.flow, "ab", "unsent_messages") == 1)
        #expect(try r.metric(.flow, "ab", "delivered_packets") >= 83)
        // Each client's broadcasts reach the two other VMs and the server (3 copies each); the unicast replies one.
        #expect(try r.metric(.control, "a/eth0/dhcp", "delivered_packets") == 6)
        #expect(try r.metric(.control, "lan/dhcp_server", "delivered_packets") == 6)
        #expect(r.conservation.holds)
    }

    @Test func leasesRenewAtT1() throws {
        // Lease 60 s, T1 30 s: at ≈ 30 s each client unicasts a REQUEST (renewing) and the server ACKs it; by 50 s every
        // client has renewed once and its lease ends ≈ 90 s.
        let sim = try HostSimulation(config: Self.host(duration: .seconds(50)))
        let r = try sim.run().report
        for vm in ["a", "b", "c"] {
            let c = client(sim, vm)
            #expect(c.counters.renewals == 1 && c.counters.requests == 2 && c.state == .bound)
            #expect(c.leaseExpires > .seconds(90) && c.leaseExpires < SimTime.seconds(90) + .milliseconds(1))
        }
        #expect(r.networks?.first?.dhcp?.messages["ack"] == 6)
        #expect(r.conservation.holds)
    }

    @Test func withTheServerDisabledClientsRebindAtT2AndLoseTheirLeaseAtItsEnd() throws {
        // The server is disabled at 20 s. At T1 (≈ 30 s) a's unicast REQUEST goes unanswered; it would retry after half
        // the time to T2 (7.5 s), at least 60 s (§4.4.5), so the next try is T2 (≈ 45 s): a broadcast REQUEST (rebinding),
        // unanswered; the next would be ≥ 60 s later, past the lease, so at ≈ 60 s the lease ends: the address goes,
        // a DISCOVER goes out (unanswered), and the flow stops sending. 1 + 1 + 1 REQUESTs, 2 DISCOVERs by 62 s.
        let sim = try HostSimulation(
            config: Self.host(
                duration: .seconds(62), timeline: [TimelineAction(at: .seconds(20), .setDHCPServer(network: "lan", enabled: false))]))
        let r = try sim.run().report
        let a = client(sim, "a")
        #expect(a.counters.expiries == 1 && !a.hasLease && a.counters.renewals == 0 && a.counters.rebinds == 0)
        #expect(a.counters.requests == 3 && a.counters.discovers == 2)
        #expect(a.state == .selecting)
        // ≈ 2 s without an address at 84.9 messages/s: ≈ 170 offers refused (1 more at time 0).
        let unsent = try r.metric(.flow, "ab", "unsent_messages")
        #expect(unsent >= 165 && unsent <= 175)
        #expect(r.notes.contains { $0.contains("a/eth0") && $0.contains("no DHCP lease") })
        #expect(r.conservation.holds)
    }

    @Test func anExhaustedPoolLeavesAClientWithoutALeaseAndItsFlowsCannotSend() throws {
        // A pool of two (.16, .17) for three clients: a and b, whose DISCOVERs reach the server first, get them; c's
        // DISCOVER finds no address (no reply); it retries at ≈ 4 s and ≈ 12 s (§4.1 backoff 4, 8 s ± 1 s): three
        // exhausted DISCOVERs in 15 s, and c has no address.
        var config = Self.host(duration: .seconds(15), end: 0x0AF4_0011)
        config.flows.append(
            FlowConfig(name: "cb", from: .vm("c"), to: .vm("b"), pattern: .constant(rate: .megabits(1)), size: .fixed(1472)))
        let sim = try HostSimulation(config: config)
        let r = try sim.run().report
        let d = try #require(r.networks?.first?.dhcp)
        #expect(d.leases.count == 2 && d.poolSize == 2)
        #expect(d.exhausted == 3)
        #expect(!client(sim, "c").hasLease)
        #expect(try r.metric(.flow, "cb", "delivered_packets") == 0)
        #expect(try r.metric(.flow, "cb", "unsent_messages") > 1_200)
        #expect(r.notes.contains { $0.contains("c/eth0") && $0.contains("no DHCP lease") })
    }

    @Test func aClientMovedToAnotherNetworkIsRefusedItsOldAddressAndLeasesANewOne() throws {
        // b leases on lan (10.244.0.x); at 1 s it is moved to lab (10.250.0.0/24). Its INIT-REBOOT REQUEST for the old
        // address is NAKed by lab's server (wrong network, §4.3.2), so it DISCOVERs and leases 10.250.0.16.
        var config = Self.host(
            duration: .seconds(2), timeline: [TimelineAction(at: .seconds(1), .attachAdapter(vm: "b", adapter: "eth0", switch: "lab"))])
        var lab = Self.dhcp()
        lab.network = 0x0AFA_0000; lab.start = 0x0AFA_0010; lab.end = 0x0AFA_00FE; lab.server = 0x0AFA_0001
        config.switches.append(.virtualNetwork(name: "lab", dhcp: lab))
        let sim = try HostSimulation(config: config)
        let r = try sim.run().report
        let b = client(sim, "b")
        #expect(b.hasLease && b.address == 0x0AFA_0010 && b.counters.naksReceived == 1 && b.counters.leasesGained == 2)
        #expect(r.networks?.first { $0.name == "lab" }?.dhcp?.messages["nak"] == 1)
        #expect(r.conservation.holds)
    }
}
