import SimCore

extension HostSimulation {
    /// Every switch with its uplink port and external peer (external switches) and its host vNIC port (when the
    /// management OS shares it), in configuration order.
    func buildSwitches() {
        let hostCosts = CompiledProfile(config.host.costs)
        for s in config.switches {
            var nicIndex = NICID.none
            if case .external(let nicName) = s.kind { nicIndex = NICID(config.nics.firstIndex { $0.name == nicName }!) }
            let si = switching.switches.append(SwitchState(name: s.name, kind: s.kind, nic: nicIndex, learned: []))
            if nicIndex != .none {
                let nic = config.nics[nicIndex.index]
                let external = adapters.endpoints.count { $0.kind == .external }
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
            if s.hasHostVNIC {
                let address = nextInternalIndex
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

    /// Index of the next internal (host vNIC or VM adapter) endpoint, for its deterministic addresses.
    var nextInternalIndex: Int { adapters.endpoints.count { $0.kind != .external } }

    /// Adds a port to switch `sw` for endpoint `endpoint`; returns its index.
    func addPort(_ name: String, switch sw: SwitchID, endpoint: EndpointID, vlan: UInt16, uplink: Bool, attached: Bool) -> PortID {
        switching.ports.append(
            PortState(
                name: name, switchIndex: sw, endpoint: endpoint, vlan: vlan, isUplink: uplink, attached: attached,
                queueLimit: config.switches[sw.index].portQueuePackets))
    }

    /// Once every endpoint exists: the switches' learned-address tables, and the capture ports.
    func buildSwitchTables() {
        for si in switching.switches.indices {
            switching.switches[si].learned = ContiguousArray(repeating: false, count: adapters.endpoints.count)
        }
        for c in config.captures {
            let e = endpointIndex(c.endpoint)
            let si = SwitchID(config.switches.firstIndex { $0.name == c.switch }!)
            let port = adapters.endpoints[e].kind == .external ? switching.switches[si].uplinkPort : adapters.endpoints[e].port
            if port != .none { switching.ports[port].capture = true; switching.anyCapture = true }
        }
    }
}
