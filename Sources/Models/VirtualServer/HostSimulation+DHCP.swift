import SimCore
import Stochastics

// The DHCP server of each Virtual Server network and the DHCP client of each adapter (MODEL-REFERENCE §2; RFC 2131):
// control components whose messages are packets like any other — a client's go through its guest stack and its
// emulated 21140, every message is flooded or forwarded by the hub and costs its CPU, the server's work costs
// `dhcp_server` on its host core. The protocols themselves are the pure engines `DHCPClient` and `DHCPServer`; this
// file carries their messages (packed in a packet's `sequence`, `DHCPWire`), arms their timers and applies leases:
// an adapter on a network with an enabled server has an address only while it holds a lease, and flows use it only
// then (`refreshReady`).
extension HostSimulation {
    /// DHCP client stream ids start here, far above the flows' (8 per flow, at most 4,096 flows).
    static let dhcpStreamBase: UInt32 = 1 << 20

    /// One DHCP server component per network with an enabled server, one client component per Virtual Server adapter
    /// (after the flows and the link announcers in the owner space).
    func buildDHCP() {
        guard config.host.platform == .virtualServer else { return }
        let endpointCount = adapters.endpoints.count
        virtualServer.clientIndex = [Int](repeating: -1, count: endpointCount)
        virtualServer.clientComponent = [ControlID](repeating: ControlID(-1), count: endpointCount)
        virtualServer.staticIP = adapters.endpoints.map(\.ip)
        virtualServer.serverComponent = [ControlID?](repeating: nil, count: switching.switches.count)
        let vmAdapters = adapters.endpoints.indices.filter { adapters.isVMAdapter($0) }
        for sw in switching.switches.indices where switching.switches[sw].serverEndpoint != .none {
            let e = switching.switches[sw].serverEndpoint
            guard let d = config.switches[sw.index].dhcp else { continue }
            let c = control.components.append(
                ControlComponent(name: "\(switching.switches[sw].name)/dhcp_server", kind: .dhcpServer, endpoint: e))
            control.components[c].protocolIndex = virtualServer.servers.count
            virtualServer.servers.append(DHCPServer(config: d, clients: vmAdapters.count))
            virtualServer.serverComponent[sw.index] = c
        }
        for e in vmAdapters {
            let i = virtualServer.clients.count
            let c = control.components.append(
                ControlComponent(name: "\(adapters.endpoints[e].name)/dhcp", kind: .dhcpClient, endpoint: e))
            control.components[c].protocolIndex = i
            virtualServer.clients.append(DHCPClient(id: i))
            virtualServer.clientStreams.append(
                RandomStream(seed: config.seed, replication: config.replication, stream: Self.dhcpStreamBase + UInt32(i)))
            virtualServer.clientIndex[e.index] = i
            virtualServer.clientComponent[e.index] = c
        }
    }

    /// The DHCP server configuration of the network endpoint `e` is on now, if it has an enabled one.
    @inline(__always)
    func dhcpNetwork(of e: EndpointID) -> SwitchID? {
        let sw = switching.ports[adapters.endpoints[e].port].switchIndex
        return switching.switches[sw].serverEndpoint != .none ? sw : nil
    }

    /// Whether endpoint `e` has an address: always, unless it is on a network with a DHCP server and holds no lease.
    func hasAddress(_ e: EndpointID) -> Bool {
        guard virtualServer.enabled, dhcpNetwork(of: e) != nil else { return true }
        let i = virtualServer.clientIndex[e.index]
        return i >= 0 && virtualServer.clients[i].hasLease
    }

    /// The adapter's link came up on a network (attach, power on, restore, reset): its client starts (DISCOVER, or
    /// INIT-REBOOT for a lease it remembers).
    func dhcpLinkUp(_ e: EndpointID, _ k: inout Kernel) {
        guard virtualServer.enabled, adapters.isVMAdapter(e) else { return }
        let i = virtualServer.clientIndex[e.index]
        guard i >= 0 else { return }
        guard dhcpNetwork(of: e) != nil else {
            adapters.endpoints[e].ip = virtualServer.staticIP[e.index]  // a network without a server: its own address
            refreshReady(e, &k)
            return
        }
        let out = virtualServer.clients[i].linkUp(now: k.now, jitter: jitter(i))
        // Without a lease the stack has no address (0.0.0.0, as its DISCOVERs say).
        if !virtualServer.clients[i].hasLease { adapters.endpoints[e].ip = IPv4Address(0) }
        clientActed(e, out, &k)
    }

    /// The adapter's link went down (detach, power off, save, its network removed): its client stops, remembering its
    /// lease (Windows keeps it; an unplugged cable sends no RELEASE — docs/model.md).
    func dhcpLinkDown(_ e: EndpointID, _ k: inout Kernel) {
        guard virtualServer.enabled, adapters.isVMAdapter(e) else { return }
        let i = virtualServer.clientIndex[e.index]
        guard i >= 0 else { return }
        virtualServer.clients[i].linkDown()
        control.components[virtualServer.clientComponent[e.index]].timer.cancel()
    }

    /// A uniform jitter in −1…+1 s for client `i`'s retransmissions (RFC 2131 §4.1), from its own stream.
    func jitter(_ i: Int) -> Double { virtualServer.clientStreams[i].uniform() * 2 - 1 }

    /// Applies what client engine output asks: send its message, re-arm its timer, take or drop its address.
    func clientActed(_ e: EndpointID, _ out: DHCPClient.Output, _ k: inout Kernel) {
        let i = virtualServer.clientIndex[e.index]
        let c = virtualServer.clientComponent[e.index]
        if let m = out.send { sendDHCP(m, from: c, to: m.broadcast ? e : serverEndpoint(near: e), &k) }
        armTimer(c, at: virtualServer.clients[i].timer, &k)
        if out.leaseGained || out.leaseLost {
            adapters.endpoints[e].ip = IPv4Address(virtualServer.clients[i].hasLease ? virtualServer.clients[i].address : 0)
            refreshReady(e, &k)
        }
    }

    /// The DHCP server on endpoint `e`'s network (a client's unicast REQUEST goes to it), else `e` itself.
    func serverEndpoint(near e: EndpointID) -> EndpointID {
        dhcpNetwork(of: e).map { switching.switches[$0].serverEndpoint } ?? e
    }

    func armTimer(_ c: ControlID, at t: SimTime?, _ k: inout Kernel) {
        guard let t else { control.components[c].timer.cancel(); return }
        control.components[c].timer.arm(
            at: Swift.max(t, k.now), kind: EventKind.dhcpTimer.rawValue, target: c.target, in: &k)
    }

    /// A DHCP component's timer fired: the client's retransmission, T1, T2 or expiry; the server's lease expiry.
    @usableFromInline
    func dhcpTimer(_ c: ControlID, _ ev: Event, _ k: inout Kernel) {
        guard control.components[c].timer.fires(ev) else { return }
        let e = control.components[c].endpoint
        switch control.components[c].kind {
        case .dhcpClient:
            let i = control.components[c].protocolIndex
            clientActed(e, virtualServer.clients[i].timerFired(now: k.now, jitter: jitter(i)), &k)
        case .dhcpServer:
            let s = control.components[c].protocolIndex
            virtualServer.servers[s].expire(now: k.now)
            armTimer(c, at: virtualServer.servers[s].nextExpiry, &k)
        case .linkAnnouncement:
            break
        }
    }

    /// Sends one DHCP message from component `c` to endpoint `to` (itself for a broadcast): a minimum BOOTP message
    /// (300 bytes of UDP payload, RFC 2131 §2) in a 346-byte frame.
    func sendDHCP(_ m: DHCPWire, from c: ControlID, to: EndpointID, _ k: inout Kernel) {
        let e = control.components[c].endpoint
        let port = adapters.endpoints[e].port
        let p = packets.allocate(
            frameBytes: 346, payloadBytes: 300, flow: control.owner(of: c).target, source: e.target, destination: to.target,
            created: k.now, sequence: m.packed, flags: (m.broadcast ? PacketFlag.broadcast : 0) | PacketFlag.last, vlan: 0,
            generation: switching.ports[port].generation)
        accounting.created &+= 1
        control.components[c].counters.sentPackets &+= 1
        switch adapters.endpoints[e].kind {
        case .emulatedAdapter: sendEmulated(p, endpoint: e, &k)
        case .networkServer: sendNetworkServer(p, endpoint: e, &k)
        case .syntheticAdapter: sendSynthetic(p, endpoint: e, more: false, &k)
        case .hostVNIC, .external: preconditionFailure("DHCP is sent by adapters and network servers only")
        }
    }

    /// A DHCP message reached endpoint `d`: the network's server answers a client's; a client takes a server's (the
    /// engines ignore what is not theirs: another client's broadcast, an OFFER of another transaction).
    func dhcpDeliver(_ p: PacketID, _ k: inout Kernel) {
        let d = destination(of: p), s = source(of: p)
        let m = DHCPWire(packed: packets.sequence[p.slot])
        finish(p)
        if adapters.endpoints[d].kind == .networkServer {
            let sw = adapters.endpoints[d].switchIndex
            guard let c = virtualServer.serverComponent[sw.index], m.kind.fromServer == false else { return }
            let ci = virtualServer.clientIndex[s.index]
            guard ci >= 0 else { return }
            let si = control.components[c].protocolIndex
            if let reply = virtualServer.servers[si].receive(m, from: ci, now: k.now) {
                sendDHCP(reply, from: c, to: s, &k)
            }
            armTimer(c, at: virtualServer.servers[si].nextExpiry, &k)
        } else if m.kind.fromServer {
            let i = virtualServer.clientIndex[d.index]
            guard i >= 0, adapters.endpoints[s].kind == .networkServer else { return }
            let times = m.kind == .ack ? config.switches[adapters.endpoints[s].switchIndex.index].dhcp.map(DHCPLeaseTimes.init) : nil
            clientActed(d, virtualServer.clients[i].receive(m, times: times, now: k.now, jitter: jitter(i)), &k)
        }
    }

    /// The network was removed: its clients already stopped (`remove` detached them); a deleted network's server
    /// forgets its leases with its configuration.
    func networkWentDown(_ n: NetworkID, deleted: Bool, _ k: inout Kernel) {
        let sw = virtualServer.networks[n].switchID
        guard let c = virtualServer.serverComponent[sw.index] else { return }
        control.components[c].timer.cancel()
        if deleted { virtualServer.servers[control.components[c].protocolIndex].forgetLeases() }
    }

    /// What a pcap needs of a DHCP packet crossing a capture port (nil for other control packets).
    func capturedDHCP(_ p: PacketID) -> CapturedDHCP? {
        let c = control.components[control.component(of: owner(of: p))]
        guard c.kind != .linkAnnouncement else { return nil }
        let s = source(of: p), d = destination(of: p)
        let client = c.kind == .dhcpClient ? s : d
        let server = c.kind == .dhcpServer ? s : serverEndpoint(near: s)
        let sw = adapters.endpoints[server].switchIndex
        guard let config = config.switches[sw.index].dhcp else { return nil }
        // An ACK to a renewing or rebinding client carries its address (ciaddr); any other, none.
        let ci = virtualServer.clientIndex.indices.contains(client.index) ? virtualServer.clientIndex[client.index] : -1
        let renewing = ci >= 0 && (virtualServer.clients[ci].state == .renewing || virtualServer.clients[ci].state == .rebinding)
        return CapturedDHCP(
            packed: packets.sequence[p.slot], clientMAC: adapters.endpoints[client].mac.array,
            serverMAC: adapters.endpoints[server].mac.array, clientAddress: renewing ? virtualServer.clients[ci].address : 0,
            config: config)
    }

    /// A network's DHCP server at the end of the run.
    func dhcpReport(_ n: NetworkID) -> DHCPServerReport? {
        let sw = virtualServer.networks[n].switchID
        guard let d = config.switches[sw.index].dhcp else { return nil }
        let pool = "\(IPv4Address(d.start))–\(IPv4Address(d.end))"
        guard let c = virtualServer.serverComponent[sw.index] else {
            return DHCPServerReport(
                enabled: false, pool: pool, poolSize: d.poolSize, leases: [], messages: [:], exhausted: 0, peakLeases: 0)
        }
        let s = virtualServer.servers[control.components[c].protocolIndex]
        var leases: [DHCPLeaseReport] = []
        for e in adapters.endpoints.indices where virtualServer.clientIndex.indices.contains(e.index) {
            let i = virtualServer.clientIndex[e.index]
            guard i >= 0, let l = s.lease(of: i) else { continue }
            leases.append(
                DHCPLeaseReport(client: adapters.endpoints[e].name, address: "\(IPv4Address(l.address))", expires: l.expires.seconds))
        }
        let x = s.counters
        return DHCPServerReport(
            enabled: true, pool: pool, poolSize: d.poolSize, leases: leases,
            messages: [
                "discover": UInt64(x.discovers), "request": UInt64(x.requests), "release": UInt64(x.releases),
                "decline": UInt64(x.declines), "offer": UInt64(x.offers), "ack": UInt64(x.acks), "nak": UInt64(x.naks),
            ], exhausted: UInt64(x.exhausted), peakLeases: x.peakLeases)
    }
}
