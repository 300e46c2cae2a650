import SimCore

extension HostSimulation {
    /// Every control component: packets sent, copies delivered and dropped (by cause), and the cycles its packets
    /// cost by domain (per copy delivered).
    func reportControl(_ r: inout ReportContext) {
        for c in control.components.indices {
            let x = control.components[c].counters, name = control.components[c].name
            let y = r.baseline.control[c.index]
            let o = control.owner(of: c).index
            let delivered = Double(x.deliveredPackets - y.deliveredPackets)
            r.add(.control, name, MetricCatalog.sentPackets, Double(x.sentPackets - y.sentPackets))
            r.add(.control, name, MetricCatalog.deliveredPackets, delivered)
            r.add(.control, name, MetricCatalog.drops, Double(x.drops - y.drops))
            for cause in DropCause.allCases {
                let j = o * DropCause.count + cause.rawValue
                let d = accounting.ownerDrops[j] - r.baseline.ownerDrops[j]
                if d > 0 { r.add(.control, name, MetricCatalog.dropsByCause, cause.name, Double(d)) }
            }
            r.addDomainMetrics(.control, name, r.billed(accounting.ownerCycles, r.baseline.ownerCycles, o), packets: delivered)
        }
    }
}
