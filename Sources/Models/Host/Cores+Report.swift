import SimCore

/// Cycles after the warm-up by domain, host-wide, and by software component.
struct CPUTotals {
    var root: Int64 = 0, hypervisor: Int64 = 0, guest: Int64 = 0
    var byComponent: [String: (root: Int64, guest: Int64, hyp: Int64)] = [:]
    var all: Double { Double(root + hypervisor + guest) }
}

extension HostSimulation {
    /// Cycles of `stage` charged to `server` since the warm-up.
    func measuredCycles(_ server: CoreID, _ stage: CostStage, _ r: ReportContext) -> Int64 {
        let i = server.index * CostStage.count + Int(stage.rawValue)
        return cores.stageCycles[i] - r.baseline.stageCycles[i]
    }

    /// Per-core utilization (root cores, vCPUs, and the physical cores shared vCPUs run on); returns the totals.
    func reportCores(_ r: inout ReportContext) -> CPUTotals {
        var t = CPUTotals()
        var physicalCycles = [Int64](repeating: 0, count: cores.servers.count)
        for s in cores.servers.indices where cores.servers[s].role != .physical {
            var serverTotal: Int64 = 0, serverHyp: Int64 = 0
            for st in CostStage.allCases {
                let c = measuredCycles(s, st, r)
                guard c != 0 else { continue }
                serverTotal += c
                var entry = t.byComponent[st.component] ?? (0, 0, 0)
                if st.isHypervisor {
                    serverHyp += c; entry.hyp += c
                } else if cores.servers[s].role == .root {
                    entry.root += c
                } else {
                    entry.guest += c
                }
                t.byComponent[st.component] = entry
            }
            t.hypervisor += serverHyp
            let name = cores.servers[s].name
            if cores.servers[s].role == .root {
                t.root += serverTotal - serverHyp
                r.add(.core, name, MetricCatalog.cpuUtilization, r.percent(Double(serverTotal)))
                r.add(.core, name, MetricCatalog.allCycles, Double(serverTotal))
                r.add(.core, name, MetricCatalog.hypervisorCPUUtilization, r.percent(Double(serverHyp)))
            } else {
                t.guest += serverTotal - serverHyp
                r.add(.core, name, MetricCatalog.guestCPUUtilization, r.percent(Double(serverTotal - serverHyp)))
                r.add(.core, name, MetricCatalog.hypervisorCPUUtilization, r.percent(Double(serverHyp)))
                let stalled = Double(cores.servers[s].stalledPs - r.baseline.stalled[s.index]) / 1e12 / r.seconds * 100
                r.add(.core, name, MetricCatalog.stalledShare, stalled)
                physicalCycles[cores.servers[s].clockOwner.index] += serverTotal
            }
        }
        for s in cores.servers.indices where cores.servers[s].role == .physical {
            r.add(.core, cores.servers[s].name, MetricCatalog.cpuUtilization, r.percent(Double(physicalCycles[s.index])))
        }
        return t
    }

    /// The host's CPU by domain, per packet and per byte delivered, and the packets and goodput delivered.
    func reportHostCPU(_ t: CPUTotals, _ r: inout ReportContext) {
        let host = cores.hosts[HostID(0)]
        let vcpus = Double(host.vcpuServers.count)
        let root = Double(t.root), hyp = Double(t.hypervisor), guest = Double(t.guest)
        let packets = r.packetsDelivered, payload = r.payloadDelivered
        r.add(.host, "host", MetricCatalog.rootCPUUtilization, r.percent(root, of: Double(host.rootServers.count)))
        r.add(.host, "host", MetricCatalog.rootCPUCores, r.cores(root))
        r.add(.host, "host", MetricCatalog.hypervisorCPUUtilization, r.percent(hyp, of: Double(host.cores)))
        r.add(.host, "host", MetricCatalog.hypervisorCPUCores, r.cores(hyp))
        r.add(.host, "host", MetricCatalog.guestCPUUtilization, vcpus > 0 ? r.percent(guest, of: vcpus) : 0)
        r.add(.host, "host", MetricCatalog.guestCPUCores, r.cores(guest))
        r.add(.host, "host", MetricCatalog.rootCoreCount, Double(host.rootServers.count))
        r.add(.host, "host", MetricCatalog.coreCount, Double(host.cores))
        r.add(.host, "host", MetricCatalog.vcpuCount, vcpus)
        r.add(.host, "host", MetricCatalog.rootCyclesPerPacket, r.ratio(root, packets))
        r.add(.host, "host", MetricCatalog.rootCyclesPerByte, r.ratio(root, payload))
        r.add(.host, "host", MetricCatalog.hypervisorCyclesPerByte, r.ratio(hyp, payload))
        r.add(.host, "host", MetricCatalog.guestCyclesPerByte, r.ratio(guest, payload))
        r.add(.host, "host", MetricCatalog.hostCyclesPerByte, r.ratio(root + hyp, payload))
        r.add(.host, "host", MetricCatalog.hypervisorCyclesPerPacket, r.ratio(hyp, packets))
        r.add(.host, "host", MetricCatalog.guestCyclesPerPacket, r.ratio(guest, packets))
        r.add(.host, "host", MetricCatalog.hostCyclesPerPacket, r.ratio(Double(t.root + t.hypervisor), packets))
        r.add(.host, "host", MetricCatalog.hostCPUCores, r.cores(Double(t.root + t.hypervisor)))
        r.add(.host, "host", MetricCatalog.allCyclesPerPacket, r.ratio(t.all, packets))
        r.add(.host, "host", MetricCatalog.allCyclesPerByte, r.ratio(t.all, payload))
        r.add(.host, "host", MetricCatalog.deliveredPackets, packets)
        r.add(.host, "host", MetricCatalog.deliveredPacketsPerSecond, r.perSecond(packets))
        r.add(.host, "host", MetricCatalog.goodput, r.gbps(payload))
    }

    /// Cycles by software component (NetVSC, NetVSP, vSwitch, …, MODEL-REFERENCE §5) in each domain, and its share.
    func reportComponents(_ t: CPUTotals, _ r: inout ReportContext) {
        for (name, c) in t.byComponent {
            let total = Double(c.root + c.guest + c.hyp)
            r.add(.component, name, MetricCatalog.rootCycles, Double(c.root))
            r.add(.component, name, MetricCatalog.guestCycles, Double(c.guest))
            r.add(.component, name, MetricCatalog.hypervisorCycles, Double(c.hyp))
            r.add(.component, name, MetricCatalog.allCyclesPerPacket, r.ratio(total, r.packetsDelivered))
            r.add(.component, name, MetricCatalog.allCyclesPerByte, r.ratio(total, r.payloadDelivered))
            r.add(.component, name, MetricCatalog.allCPUCores, r.cores(total))
            r.add(.component, name, MetricCatalog.cyclesShare, r.ratio(total, t.all) * 100)
        }
    }

    /// Each VM's vCPU and hypervisor utilization, its goodput each way (with the latency of what it receives), and
    /// the frames and bytes its adapters' ports carried.
    func reportVMs(_ r: inout ReportContext) {
        let b = r.baseline
        for (vi, vm) in zip(cores.partitions.indices, cores.partitions) {
            var guest: Int64 = 0, hyp: Int64 = 0
            for s in vm.vcpus {
                for st in CostStage.allCases {
                    let c = measuredCycles(s, st, r)
                    if st.isHypervisor { hyp += c } else { guest += c }
                }
            }
            let n = Double(vm.vcpus.count)
            r.add(.vm, vm.name, MetricCatalog.guestCPUUtilization, r.percent(Double(guest), of: n))
            r.add(.vm, vm.name, MetricCatalog.hypervisorCPUUtilization, r.percent(Double(hyp), of: n))
            var txP = 0.0, rxP = 0.0, txB = 0.0, rxB = 0.0
            for e in adapters.endpoints.indices where adapters.endpoints[e].vm == vi {
                let p = adapters.endpoints[e].port
                let x = switching.ports[p].counters, y = b.ports[p.index]
                txP += Double(x.inPackets - y.inPackets); rxP += Double(x.outPackets - y.outPackets)
                txB += Double(x.inBytes - y.inBytes); rxB += Double(x.outBytes - y.outBytes)
            }
            var gTx = 0.0, gRx = 0.0
            var lat = LatencyRecorder()
            for (i, f) in traffic.flows.enumerated() {
                let dB = Double(f.counters.deliveredBytes - b.flows[i].deliveredBytes)
                if adapters.endpoints[f.from].vm == vi { gTx += dB }
                if adapters.endpoints[f.to].vm == vi { gRx += dB; lat.add(f.latency) }
            }
            r.add(.vm, vm.name, MetricCatalog.txGoodput, r.gbps(gTx))
            r.add(.vm, vm.name, MetricCatalog.rxGoodput, r.gbps(gRx))
            r.addLatency(lat, kind: .vm, entity: vm.name)
            r.add(.vm, vm.name, MetricCatalog.txPackets, txP)
            r.add(.vm, vm.name, MetricCatalog.rxPackets, rxP)
            r.add(.vm, vm.name, MetricCatalog.txPacketsPerSecond, r.perSecond(txP))
            r.add(.vm, vm.name, MetricCatalog.rxPacketsPerSecond, r.perSecond(rxP))
            r.add(.vm, vm.name, MetricCatalog.txThroughput, r.gbps(txB))
            r.add(.vm, vm.name, MetricCatalog.rxThroughput, r.gbps(rxB))
        }
    }
}
