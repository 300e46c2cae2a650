import SimCore

// Control packets: a control component sends from its endpoint through the same path as flow traffic (guest
// stack, NetVSC, VMBus, NetVSP, the switch), and each copy that reaches an endpoint is delivered to it.
extension HostSimulation {
    /// One link announcer per adapter that announces (`announce: true`), after the flows in the owner space.
    func buildControl() {
        control.firstOwner = traffic.flows.count
        for (vm, vmc) in zip(cores.partitions.indices, config.vms) {
            for a in vmc.adapters where a.announce {
                let e = adapters.byName["\(vmc.name)/\(a.name)"]!
                let c = control.components.append(
                    ControlComponent(name: "\(cores.partitions[vm].name)/\(a.name)/announce", kind: .linkAnnouncement, endpoint: e))
                control.announcer[e] = c
            }
        }
        buildDHCP()
    }

    /// Schedules endpoint `e`'s link announcement now, if it announces.
    func announce(_ e: EndpointID, _ k: inout Kernel) {
        guard let c = control.announcer[e] else { return }
        k.schedule(after: .zero, kind: EventKind.controlSend.rawValue, target: c.target)
    }

    /// Control component `c` sends: a link announcement is a gratuitous ARP, 28 bytes in a minimum frame,
    /// broadcast in its port's VLAN.
    @usableFromInline
    func controlSend(_ c: ControlID, _ k: inout Kernel) {
        let e = control.components[c].endpoint
        let port = adapters.endpoints[e].port
        let p = packets.allocate(
            frameBytes: 64, payloadBytes: 28, flow: control.owner(of: c).target, source: e.target, destination: e.target,
            created: k.now, flags: PacketFlag.broadcast | PacketFlag.last, vlan: switching.ports[port].vlan,
            generation: switching.ports[port].generation
        )
        accounting.created &+= 1
        control.components[c].counters.sentPackets &+= 1
        switch adapters.endpoints[e].kind {
        case .syntheticAdapter: sendSynthetic(p, endpoint: e, more: false, &k)
        case .emulatedAdapter: sendEmulated(p, endpoint: e, &k)
        case .hostVNIC: sendHost(p, endpoint: e, owner: control.owner(of: c), &k)
        case .external: sendExternal(p, nic: adapters.endpoints[e].nic, &k)
        case .networkServer: sendNetworkServer(p, endpoint: e, &k)
        }
    }

    /// A copy of a control packet reached its endpoint.
    @inline(never)
    func controlDeliver(_ p: PacketID, _ k: inout Kernel) {
        if droppedIfAbandoned(p, &k) { return }
        let c = control.component(of: owner(of: p))
        control.components[c].counters.deliveredPackets &+= 1
        if control.components[c].kind != .linkAnnouncement { dhcpDeliver(p, &k); return }
        finish(p)
    }
}
