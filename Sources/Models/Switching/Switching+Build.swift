import SimCore

extension HostSimulation {
    /// Every switch with its uplink port and external peer (external switches) and its host vNIC port (when the
    /// management OS shares it), in configuration order.
    func buildSwitches() {
        let hostCosts = CompiledProfile(config.host.costs)
        for s in config.switches {
            var nicIndex = NICID.none
            if let nicName = s.boundNIC { nicIndex = NICID(config.nics.firstIndex { $0.name == nicName }!) }
            var state = SwitchState(name: s.name, kind: s.kind, nic: nicIndex)
            state.rsc = s.rscEnabled
            if s.isVirtualNetwork {
                state.forwardStage = .hubForward
                state.exists = config.networkExistsAtStart(s.name)
            }
            let si = switching.switches.append(state)
            if nicIndex != .none {
                let nic = config.nics[nicIndex.index]
                let external = adapters.externalCount
                let e = adapters.endpoints.nextID
                let port = addPort("\(s.name)/uplink", switch: si, endpoint: e, vlan: 0, uplink: true, attached: true)
                switching.switches[si].uplinkPort = port
                _ = adapters.add(
                    EndpointState(
                        name: "external@\(nic.name)", kind: .external, nic: nicIndex, vm: .none, switchIndex: si, port: port,
                        mac: Addressing.mac(externalIndex: external), ip: Addressing.ipv4(externalIndex: external), mtu: nic.mtu,
                        lso: false, checksumOffload: true, costs: hostCosts))
                net.nics[nicIndex].externalEndpoint = e
            }
            if let d = s.dhcp {
                // The network's DHCP server (configured, enabled or not): a connection of its own on the hub, served by
                // a host core. Its guests are DHCP clients; while it is disabled nobody answers them.
                let address = adapters.internalCount
                let e = adapters.endpoints.nextID
                let port = addPort("\(s.name)/dhcp", switch: si, endpoint: e, vlan: 0, uplink: false, attached: true)
                var ep = EndpointState(
                    name: "dhcp@\(s.name)", kind: .networkServer, vm: .none, switchIndex: si, port: port,
                    mac: Addressing.mac(internalIndex: address), ip: IPv4Address(d.server), mtu: 1500, lso: false,
                    checksumOffload: true, costs: hostCosts)
                ep.rootCore = cores.hosts[HostID(0)].rootServer(si.index)
                switching.switches[si].serverEndpoint = adapters.add(ep)
            }
            if s.hasHostVNIC {
                let address = adapters.internalCount
                let e = adapters.endpoints.nextID
                let port = addPort("\(s.name)/host", switch: si, endpoint: e, vlan: s.hostVLAN, uplink: false, attached: true)
                var ep = EndpointState(
                    name: "host@\(s.name)", kind: .hostVNIC, vm: .none, switchIndex: si, port: port,
                    mac: Addressing.mac(internalIndex: address), ip: Addressing.ipv4(internalIndex: address),
                    mtu: nicIndex != .none ? config.nics[nicIndex.index].mtu : 1500, lso: true, checksumOffload: true, costs: hostCosts)
                ep.rootCore = cores.hosts[HostID(0)].rootServers.lowerBound
                switching.switches[si].hostEndpoint = adapters.add(ep)
            }
        }
    }

    /// Adds a port slot to switch `sw` for endpoint `endpoint`, bound if `attached`; returns its index. The uplink
    /// learns; the other ports register their endpoint's address (`buildSwitchTables`).
    func addPort(_ name: String, switch sw: SwitchID, endpoint: EndpointID, vlan: UInt16, uplink: Bool, attached: Bool) -> PortID {
        let learns = uplink || config.switches[sw.index].forwarding == .learning
        let port = switching.ports.append(
            PortState(
                name: name, switchIndex: sw, endpoint: endpoint, vlan: vlan, isUplink: uplink, bound: attached, learns: learns,
                queueLimit: config.switches[sw.index].portQueuePackets))
        switching.switches[sw].ports.append(port)
        switching.slots[Switching.SlotKey(endpoint: endpoint, switchID: sw)] = port
        return port
    }

    /// Learned addresses a switch holds at most, and how long one lives unseen (IEEE 802.1D's default aging time,
    /// also ns-3's `BridgeNetDevice` default).
    static let learnedCapacity = 1024
    static let agingTime = SimTime.seconds(300)

    /// Once every endpoint exists: the slots timeline `attach`es move adapters to, the switches' address tables
    /// (every registered address, bound or not), and the capture ports.
    func buildSwitchTables() {
        for t in config.timeline {
            guard case .attachAdapter(let vm, let a, let target?) = t.action else { continue }
            let e = adapters.byName["\(vm)/\(a)"]!
            let sw = SwitchID(config.switches.firstIndex { $0.name == target }!)
            guard switching.slots[Switching.SlotKey(endpoint: e, switchID: sw)] == nil else { continue }
            let vlan = switching.ports[adapters.endpoints[e].port].vlan
            _ = addPort("\(target)/\(vm)/\(a)", switch: sw, endpoint: e, vlan: vlan, uplink: false, attached: false)
        }
        for sw in switching.switches.indices {
            let ports = switching.switches[sw].ports
            var addresses = MACTable(capacity: 2 * ports.count + Self.learnedCapacity, agingTime: Self.agingTime)
            for op in ports where !switching.ports[op].learns {
                let mac = adapters.endpoints[switching.ports[op].endpoint].address
                for vlan in [switching.ports[op].vlan, SwitchState.anyVLAN] {
                    addresses.register(mac: mac, vlan: vlan, port: Int32(op.index))
                }
            }
            switching.switches[sw].addresses.deallocate()  // the placeholder of SwitchState.init
            switching.switches[sw].addresses = addresses
        }
        for c in config.captures {
            let e = endpointIndex(c.endpoint)
            let si = SwitchID(config.switches.firstIndex { $0.name == c.switch }!)
            let port = switching.slots[Switching.SlotKey(endpoint: e, switchID: si)] ?? .none  // the uplink for the external peer
            if port != .none { switching.ports[port].capture = true; switching.anyCapture = true }
        }
        if switching.anyCapture { measurement.capturePorts = Array(repeating: CaptureCount(), count: switching.ports.count) }
    }
}
