import SimCore

extension HostSimulation {
    /// Every NIC: packets, wire frames and throughput each way, link utilization, and receive interrupts; then every
    /// receive queue's packets, interrupts and core.
    func reportNICs(_ r: inout ReportContext) {
        for (ni, n) in net.nics.enumerated() {
            let x = n.counters, y = r.baseline.nics[ni]
            let irq = Double(x.interrupts - y.interrupts)
            r.nicInterrupts += irq
            r.add(.nic, n.name, MetricCatalog.txPackets, Double(x.txPackets - y.txPackets))
            r.add(.nic, n.name, MetricCatalog.txSegments, Double(x.txSegments - y.txSegments))
            r.add(.nic, n.name, MetricCatalog.rxPackets, Double(x.rxPackets - y.rxPackets))
            // The time each wire was busy inside the window (`BusyMeter`), at the link rate: a frame that crosses the
            // window's edge counts for its part inside, so neither way exceeds the rate.
            let tx = Double(n.txWire.executedWindow(at: r.end, busyUntil: r.end)) / 1e12
            let rx = Double(n.rxWire.executedWindow(at: r.end, busyUntil: n.rxWireBusyUntil)) / 1e12
            let rate = Double(n.linkRate.bitsPerSecond)
            r.add(.nic, n.name, MetricCatalog.txThroughput, tx * rate / r.seconds / 1e9)
            r.add(.nic, n.name, MetricCatalog.rxThroughput, rx * rate / r.seconds / 1e9)
            r.add(.nic, n.name, MetricCatalog.txLinkUtilization, tx / r.seconds * 100)
            r.add(.nic, n.name, MetricCatalog.rxLinkUtilization, rx / r.seconds * 100)
            r.add(.nic, n.name, MetricCatalog.interrupts, irq)
            r.add(.nic, n.name, MetricCatalog.interruptsPerSecond, r.perSecond(irq))
            r.add(.nic, n.name, MetricCatalog.packetsPerInterrupt, r.ratio(Double(x.rxPackets - y.rxPackets), irq))
            if n.dynamicVMQ.enabled { r.add(.nic, n.name, MetricCatalog.vmqMoves, Double(x.vmqMoves - y.vmqMoves)) }
            if config.nics[ni.index].rsc { r.add(.nic, n.name, MetricCatalog.rscCoalescedSegments, Double(x.rscMerged - y.rscMerged)) }
        }
        for (qi, q) in net.queues.enumerated() {
            let irq = Double(q.interrupts - r.baseline.queues[qi].0), pk = Double(q.packets - r.baseline.queues[qi].1)
            r.add(.nic, q.name, MetricCatalog.queuePackets, pk)
            r.add(.nic, q.name, MetricCatalog.queueInterrupts, irq)
            guard q.vf == .none else { continue }  // a VF's queue interrupts a vCPU, not a root core
            let host = cores.hosts[cores.servers[q.core].host]
            r.add(.nic, q.name, MetricCatalog.queueCore, Double(host.rootCore(of: q.core)))
        }
    }
}
