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
                r.add(.core, name, "utilization", r.percent(Double(serverTotal)), "percent")
                r.add(.core, name, "cycles", Double(serverTotal), "cycles")
                r.add(.core, name, "hypervisor_utilization", r.percent(Double(serverHyp)), "percent")
            } else {
                t.guest += serverTotal - serverHyp
                r.add(.core, name, "utilization", r.percent(Double(serverTotal - serverHyp)), "percent")
                r.add(.core, name, "hypervisor_utilization", r.percent(Double(serverHyp)), "percent")
                let stalled = Double(cores.servers[s].stalledPs - r.baseline.stalled[s.index]) / 1e12 / r.seconds * 100
                r.add(.core, name, "stalled", stalled, "percent")
                physicalCycles[cores.servers[s].clockOwner.index] += serverTotal
            }
        }
        for s in cores.servers.indices where cores.servers[s].role == .physical {
            r.add(.core, cores.servers[s].name, "utilization", r.percent(Double(physicalCycles[s.index])), "percent")
        }
        return t
    }

    /// The host's CPU by domain, per packet and per byte delivered, and the packets and goodput delivered.
    func reportHostCPU(_ t: CPUTotals, _ r: inout ReportContext) {
        let host = cores.hosts[HostID(0)]
        let vcpus = Double(host.vcpuServers.count)
        let root = Double(t.root), hyp = Double(t.hypervisor), guest = Double(t.guest)
        let packets = r.packetsDelivered, payload = r.payloadDelivered
        r.add(.host, "host", "root_cpu_utilization", r.percent(root, of: Double(host.rootServers.count)), "percent")
        r.add(.host, "host", "root_cpu_cores", r.cores(root), "cores")
        r.add(.host, "host", "hypervisor_cpu_utilization", r.percent(hyp, of: Double(host.cores)), "percent")
        r.add(.host, "host", "hypervisor_cpu_cores", r.cores(hyp), "cores")
        r.add(.host, "host", "guest_cpu_utilization", vcpus > 0 ? r.percent(guest, of: vcpus) : 0, "percent")
        r.add(.host, "host", "root_cycles_per_packet", r.ratio(root, packets), "cycles/packet")
        r.add(.host, "host", "root_cycles_per_byte", r.ratio(root, payload), "cycles/byte")
        r.add(.host, "host", "hypervisor_cycles_per_packet", r.ratio(hyp, packets), "cycles/packet")
        r.add(.host, "host", "guest_cycles_per_packet", r.ratio(guest, packets), "cycles/packet")
        r.add(.host, "host", "host_cycles_per_packet", r.ratio(Double(t.root + t.hypervisor), packets), "cycles/packet")
        r.add(.host, "host", "host_cpu_cores", r.cores(Double(t.root + t.hypervisor)), "cores")
        r.add(.host, "host", "cycles_per_packet", r.ratio(t.all, packets), "cycles/packet")
        r.add(.host, "host", "cycles_per_byte", r.ratio(t.all, payload), "cycles/byte")
        r.add(.host, "host", "packets_delivered", packets, "packets")
        r.add(.host, "host", "packet_rate", r.perSecond(packets), "pps")
        r.add(.host, "host", "goodput", r.gbps(payload), "Gbps")
    }

    /// Cycles by software component (NetVSC, NetVSP, vSwitch, …, MODEL-REFERENCE §5) in each domain, and its share.
    func reportComponents(_ t: CPUTotals, _ r: inout ReportContext) {
        for (name, c) in t.byComponent {
            let total = Double(c.root + c.guest + c.hyp)
            r.add(.component, name, "cycles_root", Double(c.root), "cycles")
            r.add(.component, name, "cycles_guest", Double(c.guest), "cycles")
            r.add(.component, name, "cycles_hypervisor", Double(c.hyp), "cycles")
            r.add(.component, name, "cycles_per_packet", r.ratio(total, r.packetsDelivered), "cycles/packet")
            r.add(.component, name, "cycles_per_byte", r.ratio(total, r.payloadDelivered), "cycles/byte")
            r.add(.component, name, "cpu_cores", r.cores(total), "cores")
            r.add(.component, name, "share", r.ratio(total, t.all) * 100, "percent")
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
            r.add(.vm, vm.name, "vcpu_utilization", r.percent(Double(guest), of: n), "percent")
            r.add(.vm, vm.name, "hypervisor_utilization", r.percent(Double(hyp), of: n), "percent")
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
            r.add(.vm, vm.name, "goodput_tx", r.gbps(gTx), "Gbps")
            r.add(.vm, vm.name, "goodput_rx", r.gbps(gRx), "Gbps")
            r.addLatency(lat, kind: .vm, entity: vm.name)
            r.add(.vm, vm.name, "tx_packets", txP, "packets")
            r.add(.vm, vm.name, "rx_packets", rxP, "packets")
            r.add(.vm, vm.name, "tx_rate", r.perSecond(txP), "pps")
            r.add(.vm, vm.name, "rx_rate", r.perSecond(rxP), "pps")
            r.add(.vm, vm.name, "tx_throughput", r.gbps(txB), "Gbps")
            r.add(.vm, vm.name, "rx_throughput", r.gbps(rxB), "Gbps")
        }
    }
}
