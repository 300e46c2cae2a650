import SimCore

/// Cycles by domain, host-wide, and by software component: as charged for the work queued in the window
/// (the basis of every per-packet and per-byte cost), and as executed in it (the basis of every utilization
/// and cores-busy figure, which therefore cannot exceed the cores' capacity; `executedCycles`).
struct CPUTotals {
    var root = 0.0, hypervisor = 0.0, guest = 0.0
    var byComponent: [String: (root: Double, guest: Double, hyp: Double)] = [:]
    var all: Double { root + hypervisor + guest }
    var executed = DomainCycles()
    var executedByComponent: [String: Double] = [:]
}

struct DomainCycles {
    var root = 0.0, hypervisor = 0.0, guest = 0.0
}

extension HostSimulation {
    /// Cycles of `stage` charged to `server` since the warm-up.
    func measuredCycles(_ server: CoreID, _ stage: CostStage, _ r: ReportContext) -> Double {
        let i = server.index * CostStage.count + Int(stage.rawValue)
        return Double(cores.stageCycles[i] - r.baseline.stageCycles[i])
    }

    /// Cycles of `stage` that `server` executed in the measured window (`ReportContext.executed`).
    func executedCycles(_ server: CoreID, _ stage: CostStage, _ r: ReportContext) -> Double {
        r.executed[server.index * CostStage.count + Int(stage.rawValue)]
    }

    /// The cycles each core executed in the measured window, by stage, and the executed/charged ratio of each
    /// cycle domain.
    ///
    /// A core is charged when work is queued on it, so the cycles charged in the window include work still in its
    /// backlog at the end and leave out the backlog it started with: a saturated core would show more than 100 %.
    /// Each clock owner's `BusyMeter` measures the busy time that really passed in the window; its executed cycles
    /// are split over the stages (and the vCPUs that share it) in proportion to what was charged in the window
    /// (to what was charged since the start when nothing was). In steady state the two agree.
    func executedCycles(_ b: Baseline, at now: SimTime) -> (perStage: [Double], domainScale: [Double]) {
        let n = CostStage.count
        var charged = [Double](repeating: 0, count: cores.servers.count * n)
        var chargedByOwner = [Double](repeating: 0, count: cores.servers.count)
        var totalByOwner = [Double](repeating: 0, count: cores.servers.count)
        for s in cores.servers.indices {
            let o = cores.servers[s].clockOwner.index
            for j in 0..<n {
                let i = s.index * n + j
                charged[i] = Double(cores.stageCycles[i] - b.stageCycles[i])
                chargedByOwner[o] += charged[i]
                totalByOwner[o] += Double(cores.stageCycles[i])
            }
        }
        var executed = charged
        var domainCharged = [Double](repeating: 0, count: CycleDomain.count)
        var domainExecuted = domainCharged
        for s in cores.servers.indices {
            let server = cores.servers[s], o = server.clockOwner
            let busy = cores.servers[o].busy.executedWindow(at: now, busyUntil: cores.servers[o].busyUntil)
            let cycles = Double(busy) * Double(cores.servers[o].hertz) / 1e12
            let inWindow = chargedByOwner[o.index] > 0
            let scale = inWindow ? cycles / chargedByOwner[o.index] : (totalByOwner[o.index] > 0 ? cycles / totalByOwner[o.index] : 0)
            for st in CostStage.allCases {
                let i = s.index * n + Int(st.rawValue)
                executed[i] = (inWindow ? charged[i] : Double(cores.stageCycles[i])) * scale
                let d = Int((st.isHypervisor ? CycleDomain.hypervisor : server.role == .root ? .root : .guest).rawValue)
                domainCharged[d] += charged[i]
                domainExecuted[d] += executed[i]
            }
        }
        let domainScale = zip(domainExecuted, domainCharged).map { $1 > 0 ? $0 / $1 : 1 }
        return (executed, domainScale)
    }

    /// Per-core utilization (root cores, vCPUs, and the physical cores shared vCPUs run on); returns the totals.
    func reportCores(_ r: inout ReportContext) -> CPUTotals {
        var t = CPUTotals()
        var physical = [Double](repeating: 0, count: cores.servers.count)
        for s in cores.servers.indices where cores.servers[s].role != .physical {
            let isRoot = cores.servers[s].role == .root
            var total = 0.0, hyp = 0.0, xTotal = 0.0, xHyp = 0.0
            for st in CostStage.allCases {
                let c = measuredCycles(s, st, r), x = executedCycles(s, st, r)
                guard c != 0 || x != 0 else { continue }
                total += c; xTotal += x
                var entry = t.byComponent[st.component] ?? (0, 0, 0)
                if st.isHypervisor {
                    hyp += c; xHyp += x; entry.hyp += c
                } else if isRoot {
                    entry.root += c
                } else {
                    entry.guest += c
                }
                t.byComponent[st.component] = entry
                t.executedByComponent[st.component, default: 0] += x
            }
            t.hypervisor += hyp; t.executed.hypervisor += xHyp
            let name = cores.servers[s].name
            if isRoot {
                t.root += total - hyp; t.executed.root += xTotal - xHyp
                r.add(.core, name, "utilization", r.percent(xTotal), "percent")
                r.add(.core, name, "cycles", total, "cycles")
                r.add(.core, name, "hypervisor_utilization", r.percent(xHyp), "percent")
            } else {
                t.guest += total - hyp; t.executed.guest += xTotal - xHyp
                r.add(.core, name, "utilization", r.percent(xTotal - xHyp), "percent")
                r.add(.core, name, "hypervisor_utilization", r.percent(xHyp), "percent")
                let stallPs = cores.servers[s].stall.executedWindow(at: r.end, busyUntil: busyUntil(s))
                r.add(.core, name, "stalled", Double(stallPs) / 1e12 / r.seconds * 100, "percent")
                physical[cores.servers[s].clockOwner.index] += xTotal
            }
        }
        for s in cores.servers.indices where cores.servers[s].role == .physical {
            r.add(.core, cores.servers[s].name, "utilization", r.percent(physical[s.index]), "percent")
        }
        return t
    }

    /// The host's CPU by domain, per packet and per byte delivered, and the packets and goodput delivered.
    func reportHostCPU(_ t: CPUTotals, _ r: inout ReportContext) {
        let host = cores.hosts[HostID(0)]
        let vcpus = Double(host.vcpuServers.count)
        let root = t.root, hyp = t.hypervisor, guest = t.guest, x = t.executed
        let packets = r.packetsDelivered, payload = r.payloadDelivered
        r.add(.host, "host", "root_cpu_utilization", r.percent(x.root, of: Double(host.rootServers.count)), "percent")
        r.add(.host, "host", "root_cpu_cores", r.cores(x.root), "cores")
        r.add(.host, "host", "hypervisor_cpu_utilization", r.percent(x.hypervisor, of: Double(host.cores)), "percent")
        r.add(.host, "host", "hypervisor_cpu_cores", r.cores(x.hypervisor), "cores")
        r.add(.host, "host", "guest_cpu_utilization", vcpus > 0 ? r.percent(x.guest, of: vcpus) : 0, "percent")
        r.add(.host, "host", "root_cycles_per_packet", r.ratio(root, packets), "cycles/packet")
        r.add(.host, "host", "root_cycles_per_byte", r.ratio(root, payload), "cycles/byte")
        r.add(.host, "host", "hypervisor_cycles_per_packet", r.ratio(hyp, packets), "cycles/packet")
        r.add(.host, "host", "guest_cycles_per_packet", r.ratio(guest, packets), "cycles/packet")
        r.add(.host, "host", "host_cycles_per_packet", r.ratio(t.root + t.hypervisor, packets), "cycles/packet")
        r.add(.host, "host", "host_cpu_cores", r.cores(x.root + x.hypervisor), "cores")
        r.add(.host, "host", "cycles_per_packet", r.ratio(t.all, packets), "cycles/packet")
        r.add(.host, "host", "cycles_per_byte", r.ratio(t.all, payload), "cycles/byte")
        r.add(.host, "host", "packets_delivered", packets, "packets")
        r.add(.host, "host", "packet_rate", r.perSecond(packets), "pps")
        r.add(.host, "host", "goodput", r.gbps(payload), "Gbps")
    }

    /// Cycles by software component (NetVSC, NetVSP, vSwitch, …, MODEL-REFERENCE §5) in each domain, and its share.
    func reportComponents(_ t: CPUTotals, _ r: inout ReportContext) {
        for (name, c) in t.byComponent {
            let total = c.root + c.guest + c.hyp
            r.add(.component, name, "cycles_root", c.root, "cycles")
            r.add(.component, name, "cycles_guest", c.guest, "cycles")
            r.add(.component, name, "cycles_hypervisor", c.hyp, "cycles")
            r.add(.component, name, "cycles_per_packet", r.ratio(total, r.packetsDelivered), "cycles/packet")
            r.add(.component, name, "cycles_per_byte", r.ratio(total, r.payloadDelivered), "cycles/byte")
            r.add(.component, name, "cpu_cores", r.cores(t.executedByComponent[name] ?? 0), "cores")
            r.add(.component, name, "share", r.ratio(total, t.all) * 100, "percent")
        }
    }

    /// Each VM's vCPU and hypervisor utilization, its goodput each way (with the latency of what it receives), and
    /// the frames and bytes its adapters' ports carried.
    func reportVMs(_ r: inout ReportContext) {
        let b = r.baseline
        for (vi, vm) in zip(cores.partitions.indices, cores.partitions) {
            var guest = 0.0, hyp = 0.0
            for s in vm.vcpus {
                for st in CostStage.allCases {
                    let c = executedCycles(s, st, r)
                    if st.isHypervisor { hyp += c } else { guest += c }
                }
            }
            let n = Double(vm.vcpus.count)
            r.add(.vm, vm.name, "vcpu_utilization", r.percent(guest, of: n), "percent")
            r.add(.vm, vm.name, "hypervisor_utilization", r.percent(hyp, of: n), "percent")
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
