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
                r.add(.core, name, MetricCatalog.cpuUtilization, r.percent(xTotal))
                r.add(.core, name, MetricCatalog.allCycles, total)
                r.add(.core, name, MetricCatalog.hypervisorCPUUtilization, r.percent(xHyp))
            } else {
                t.guest += total - hyp; t.executed.guest += xTotal - xHyp
                r.add(.core, name, MetricCatalog.guestCPUUtilization, r.percent(xTotal - xHyp))
                r.add(.core, name, MetricCatalog.hypervisorCPUUtilization, r.percent(xHyp))
                let stallPs = cores.servers[s].stall.executedWindow(at: r.end, busyUntil: busyUntil(s))
                r.add(.core, name, MetricCatalog.stalledShare, Double(stallPs) / 1e12 / r.seconds * 100)
                physical[cores.servers[s].clockOwner.index] += xTotal
            }
        }
        for s in cores.servers.indices where cores.servers[s].role == .physical {
            r.add(.core, cores.servers[s].name, MetricCatalog.cpuUtilization, r.percent(physical[s.index]))
        }
        return t
    }

    /// The host's CPU by domain, per packet and per byte delivered, and the packets and goodput delivered.
    func reportHostCPU(_ t: CPUTotals, _ r: inout ReportContext) {
        let host = cores.hosts[HostID(0)]
        let vcpus = Double(host.vcpuServers.count)
        let root = t.root, hyp = t.hypervisor, guest = t.guest, x = t.executed
        let packets = r.packetsDelivered, payload = r.payloadDelivered
        r.add(.host, "host", MetricCatalog.rootCPUUtilization, r.percent(x.root, of: Double(host.rootServers.count)))
        r.add(.host, "host", MetricCatalog.rootCPUCores, r.cores(x.root))
        r.add(.host, "host", MetricCatalog.hypervisorCPUUtilization, r.percent(x.hypervisor, of: Double(host.cores)))
        r.add(.host, "host", MetricCatalog.hypervisorCPUCores, r.cores(x.hypervisor))
        r.add(.host, "host", MetricCatalog.guestCPUUtilization, vcpus > 0 ? r.percent(x.guest, of: vcpus) : 0)
        r.add(.host, "host", MetricCatalog.guestCPUCores, r.cores(x.guest))
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
        r.add(.host, "host", MetricCatalog.hostCyclesPerPacket, r.ratio(t.root + t.hypervisor, packets))
        r.add(.host, "host", MetricCatalog.hostCPUCores, r.cores(x.root + x.hypervisor))
        r.add(.host, "host", MetricCatalog.allCyclesPerPacket, r.ratio(t.all, packets))
        r.add(.host, "host", MetricCatalog.allCyclesPerByte, r.ratio(t.all, payload))
        r.add(.host, "host", MetricCatalog.deliveredPackets, packets)
        r.add(.host, "host", MetricCatalog.deliveredPacketsPerSecond, r.perSecond(packets))
        r.add(.host, "host", MetricCatalog.goodput, r.gbps(payload))
    }

    /// Cycles by software component (NetVSC, NetVSP, vSwitch, …, MODEL-REFERENCE §5) in each domain, and its share.
    func reportComponents(_ t: CPUTotals, _ r: inout ReportContext) {
        for (name, c) in t.byComponent {
            let total = c.root + c.guest + c.hyp
            r.add(.component, name, MetricCatalog.rootCycles, c.root)
            r.add(.component, name, MetricCatalog.guestCycles, c.guest)
            r.add(.component, name, MetricCatalog.hypervisorCycles, c.hyp)
            r.add(.component, name, MetricCatalog.allCyclesPerPacket, r.ratio(total, r.packetsDelivered))
            r.add(.component, name, MetricCatalog.allCyclesPerByte, r.ratio(total, r.payloadDelivered))
            r.add(.component, name, MetricCatalog.allCPUCores, r.cores(t.executedByComponent[name] ?? 0))
            r.add(.component, name, MetricCatalog.cyclesShare, r.ratio(total, t.all) * 100)
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
            r.add(.vm, vm.name, MetricCatalog.guestCPUUtilization, r.percent(guest, of: n))
            r.add(.vm, vm.name, MetricCatalog.hypervisorCPUUtilization, r.percent(hyp, of: n))
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
