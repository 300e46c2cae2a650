import SimCore

// Virtual Server's statistics (MODEL-REFERENCE §2): each network's Bytes/Packets Sent/Received/Dropped — totals,
// per second and the 60 one-second samples of `*History` — and each VM's `IVMAccountant` counters, which reset when the
// VM powers on, resets or is restored.
extension HostSimulation {
    /// A network's totals now: frames its ports took in (sent by its connections), handed out (received by them) and
    /// dropped, plus drops no port counts (frames for it while it did not exist, its incomplete transmissions).
    func networkTotals(_ n: NetworkID) -> NetworkTotals {
        let v = virtualServer.networks[n]
        var t = NetworkTotals()
        for op in switching.switches[v.switchID].ports {
            let c = switching.ports[op].counters
            t.bytesSent &+= c.inBytes; t.packetsSent &+= c.inPackets
            t.bytesReceived &+= c.outBytes; t.packetsReceived &+= c.outPackets
            t.bytesDropped &+= c.dropBytes; t.packetsDropped &+= c.drops
        }
        t.packetsDropped &+= v.unportedDrops
        t.bytesDropped &+= v.unportedDropBytes
        return t
    }

    /// The one-second sample: each network's differences over the second just ended.
    @usableFromInline
    func sampleNetworks(_ k: inout Kernel) {
        for n in virtualServer.networks.indices {
            let now = networkTotals(n)
            // Bounded like every series: past `seriesPoints` seconds only the history's 60 are kept current.
            if virtualServer.networks[n].perSecond.count >= ConfigurationLimits.seriesPoints {
                let half = virtualServer.networks[n].perSecond.count / 2
                virtualServer.networks[n].perSecond.removeFirst(half)
                virtualServer.networks[n].firstSecond += half
            }
            virtualServer.networks[n].perSecond.append(now - virtualServer.networks[n].lastTotals)
            virtualServer.networks[n].lastTotals = now
        }
        if k.now + .seconds(1) <= config.duration {
            k.schedule(after: .seconds(1), kind: EventKind.networkSample.rawValue, target: 0)
        }
    }

    /// The networks' metrics (measured window) and their reports (history, removals, DHCP); the VMs' accountant
    /// counters; each flow's unsent messages and incomplete transmissions. (Their bytes per second at the sample
    /// interval are series of their own, `timeSeries`.)
    func reportVirtualServer(_ r: inout ReportContext) -> [NetworkReport]? {
        guard virtualServer.enabled else { return nil }
        var reports: [NetworkReport] = []
        let baseTime = r.baseline.time
        for n in virtualServer.networks.indices {
            let v = virtualServer.networks[n]
            let sw = v.switchID
            let end = networkTotals(n)
            let start = r.baseline.networks.indices.contains(n.index) ? r.baseline.networks[n.index] : NetworkTotals()
            let d = end - start
            r.add(.network, v.name, MetricCatalog.sentBytes, Double(d.bytesSent))
            r.add(.network, v.name, MetricCatalog.sentPackets, Double(d.packetsSent))
            r.add(.network, v.name, MetricCatalog.receivedBytes, Double(d.bytesReceived))
            r.add(.network, v.name, MetricCatalog.receivedPackets, Double(d.packetsReceived))
            r.add(.network, v.name, MetricCatalog.droppedBytes, Double(d.bytesDropped))
            r.add(.network, v.name, MetricCatalog.drops, Double(d.packetsDropped))
            r.add(.network, v.name, MetricCatalog.sentBytesPerSecond, r.perSecond(Double(d.bytesSent)))
            r.add(.network, v.name, MetricCatalog.receivedBytesPerSecond, r.perSecond(Double(d.bytesReceived)))
            r.add(.network, v.name, MetricCatalog.droppedBytesPerSecond, r.perSecond(Double(d.bytesDropped)))
            let inWindow = v.removals.filter { $0.at >= baseTime }
            r.add(.network, v.name, MetricCatalog.incompleteTransmissions, Double(inWindow.reduce(0) { $0 + $1.inFlightPackets }))
            r.add(.network, v.name, MetricCatalog.incompleteBytes, Double(inWindow.reduce(0) { $0 + $1.inFlightBytes }))
            let attached = switching.switches[sw].ports.filter {
                switching.ports[$0].bound && adapters.isVMAdapter(switching.ports[$0].endpoint)
            }.map { adapters.endpoints[switching.ports[$0].endpoint].name }
            r.add(.network, v.name, MetricCatalog.attachedAdapters, Double(attached.count))
            let samples = v.perSecond.enumerated().map { i, s in
                NetworkSample(
                    time: Double(v.firstSecond + i), bytesSent: s.bytesSent, packetsSent: s.packetsSent, bytesReceived: s.bytesReceived,
                    packetsReceived: s.packetsReceived, bytesDropped: s.bytesDropped, packetsDropped: s.packetsDropped)
            }
            let nic = config.switches[sw.index].boundNIC
            reports.append(
                NetworkReport(
                    name: v.name, nic: nic, existsAtEnd: switching.switches[sw].exists, attachedAtEnd: attached.sorted(),
                    removals: v.removals.map {
                        NetworkRemovalReport(
                            time: $0.at.seconds, deleted: $0.deleted, incompletePackets: $0.inFlightPackets,
                            incompleteBytes: $0.inFlightBytes, detachedAdapters: $0.detachedAdapters)
                    },
                    history: Array(samples.suffix(60)), perSecond: samples, dhcp: dhcpReport(n)))
        }
        for vm in cores.partitions.indices {
            let a = virtualServer.accounts[vm.index]
            let t = vmTotals(vm) - a.base
            let name = cores.partitions[vm].name
            r.add(.vm, name, MetricCatalog.accountedSentBytes, Double(t.bytesSent))
            r.add(.vm, name, MetricCatalog.accountedReceivedBytes, Double(t.bytesReceived))
            r.add(.vm, name, MetricCatalog.accountedSentPackets, Double(t.packetsSent))
            r.add(.vm, name, MetricCatalog.accountedReceivedPackets, Double(t.packetsReceived))
            r.add(.vm, name, MetricCatalog.accountedSince, a.since.seconds)
        }
        var incomplete: UInt64 = 0, incompleteBytes: UInt64 = 0
        for (i, f) in traffic.flows.enumerated() {
            let j = i * DropCause.count + DropCause.incompleteTransmission.rawValue
            let c = accounting.ownerDrops[j] - r.baseline.ownerDrops[j]
            let b = accounting.incompleteBytes[i] - r.baseline.incompleteBytes[i]
            incomplete += c; incompleteBytes += b
            r.add(.flow, f.name, MetricCatalog.incompleteTransmissions, Double(c))
            r.add(.flow, f.name, MetricCatalog.incompleteBytes, Double(b))
            r.add(.flow, f.name, MetricCatalog.unsentMessages, Double(f.counters.unsentMessages - r.baseline.flows[i].unsentMessages))
        }
        r.add(.host, "host", MetricCatalog.incompleteTransmissions, Double(incomplete))
        r.add(.host, "host", MetricCatalog.incompleteBytes, Double(incompleteBytes))
        return reports
    }

    /// Every Virtual Server adapter at the end: its network or detached, its address.
    func adapterStatus() -> [AdapterStatus]? {
        guard virtualServer.enabled else { return nil }
        return adapters.endpoints.indices.filter { adapters.isVMAdapter($0) }.map { e in
            let ep = adapters.endpoints[e]
            let bound = switching.ports[ep.port].bound && ep.present
            let dhcp = dhcpNetwork(of: e) != nil
            let has = hasAddress(e)
            return AdapterStatus(
                adapter: ep.name, network: bound ? switching.switches[switching.ports[ep.port].switchIndex].name : nil,
                present: ep.present, vmRunning: virtualServer.running[ep.vm.index], address: has && ep.ip.value != 0 ? "\(ep.ip)" : nil,
                addressing: !dhcp ? "static" : has ? "leased" : "none")
        }
    }

    /// Notes for adapters that should hold a DHCP lease and do not at the end (on a network with a server, present,
    /// attached, their VM running): their flows cannot send.
    func leaseNotes() -> [String] {
        guard virtualServer.enabled else { return [] }
        var out: [String] = []
        for e in adapters.endpoints.indices where adapters.isVMAdapter(e) {
            guard let sw = dhcpNetwork(of: e), adapters.endpoints[e].present,
                switching.ports[adapters.endpoints[e].port].bound, virtualServer.running[adapters.endpoints[e].vm.index],
                !hasAddress(e), let c = virtualServer.serverComponent[sw.index]
            else { continue }
            let s = virtualServer.servers[control.components[c].protocolIndex]
            let why =
                !s.config.enabled
                ? "its server is disabled"
                : s.counters.exhausted > 0 ? "the pool was exhausted \(s.counters.exhausted) times" : "no answer yet"
            out.append(
                "\(adapters.endpoints[e].name) holds no DHCP lease at the end on '\(switching.switches[sw].name)' (\(why)): its flows cannot send"
            )
        }
        return out
    }

    /// Notes for flows whose ends lost their network (deleted or unregistered under them, and not attached since).
    func lostNetworkNotes() -> [String] {
        var out: [String] = []
        for f in traffic.flows {
            for e in [f.from, f.to] {
                guard let l = virtualServer.lostNetwork[e] else { continue }
                out.append(
                    "flow \(f.name): \(adapters.endpoints[e].name) lost its network '\(l.network)' at \(l.at.seconds) s (\(l.deleted ? "deleted" : "unregistered")) and was not attached again"
                )
            }
        }
        return out
    }
}
