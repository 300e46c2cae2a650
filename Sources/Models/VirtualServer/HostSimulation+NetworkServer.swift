import SimCore

// A Virtual Server network's DHCP server is a "virtual network server" plugged into the hub (MODEL-REFERENCE §2):
// an endpoint with a port, whose work (`dhcp_server`) and whose replies' forwarding (`hub_forward`) run on a host core.
extension HostSimulation {
    /// A frame reached the DHCP server's port: the server's work on its host core, then the server takes it.
    @usableFromInline
    func networkServerReceive(_ p: PacketID, endpoint d: EndpointID, _ k: inout Kernel) {
        let core = adapters.endpoints[d].rootCore
        let cyc = account(core, .dhcpServer, cycles(costs.base[d], .dhcpServer, 0))
        bill(p, .receive, .root, cyc)
        setStage(p, .networkServer)
        k.schedule(at: occupy(core, cyc, at: k.now), kind: EventKind.deliver.rawValue, target: d.target, arg: p.arg)
    }

    /// The DHCP server sends a reply: the hub's forwarding on the server's host core, then the hub switches it.
    @usableFromInline
    func sendNetworkServer(_ p: PacketID, endpoint e: EndpointID, _ k: inout Kernel) {
        let core = adapters.endpoints[e].rootCore
        let cyc = switchPathCycles(p, ingress: e, server: core, now: k.now)
        setStage(p, .switching)
        k.schedule(at: occupy(core, cyc, at: k.now), kind: EventKind.forward.rawValue, target: e.target, arg: p.arg)
    }
}
