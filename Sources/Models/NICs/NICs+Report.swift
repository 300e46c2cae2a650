import SimCore

extension HostSimulation {
    /// Every NIC: packets, wire frames and throughput each way, link utilization, and receive interrupts; then every
    /// receive queue's packets, interrupts and core.
    func reportNICs(_ r: inout ReportContext) {
        for (ni, n) in net.nics.enumerated() {
            let x = n.counters, y = r.baseline.nics[ni]
            let irq = Double(x.interrupts - y.interrupts)
            r.nicInterrupts += irq
            r.add(.nic, n.name, "tx_packets", Double(x.txPackets - y.txPackets), "packets")
            r.add(.nic, n.name, "tx_segments", Double(x.txSegments - y.txSegments), "frames")
            r.add(.nic, n.name, "rx_packets", Double(x.rxPackets - y.rxPackets), "packets")
            // The time each wire was busy inside the window (`BusyMeter`), at the link rate: a frame that crosses the
            // window's edge counts for its part inside, so neither way exceeds the rate.
            let tx = Double(n.txWire.executedWindow(at: r.end, busyUntil: r.end)) / 1e12
            let rx = Double(n.rxWire.executedWindow(at: r.end, busyUntil: n.rxWireBusyUntil)) / 1e12
            let rate = Double(n.linkRate.bitsPerSecond)
            r.add(.nic, n.name, "tx_throughput", tx * rate / r.seconds / 1e9, "Gbps")
            r.add(.nic, n.name, "rx_throughput", rx * rate / r.seconds / 1e9, "Gbps")
            r.add(.nic, n.name, "tx_link_utilization", tx / r.seconds * 100, "percent")
            r.add(.nic, n.name, "rx_link_utilization", rx / r.seconds * 100, "percent")
            r.add(.nic, n.name, "interrupts", irq, "interrupts")
            r.add(.nic, n.name, "interrupts_per_second", r.perSecond(irq), "interrupts/s")
            r.add(.nic, n.name, "packets_per_interrupt", r.ratio(Double(x.rxPackets - y.rxPackets), irq), "packets/interrupt")
        }
        for (qi, q) in net.queues.enumerated() {
            let irq = Double(q.interrupts - r.baseline.queues[qi].0), pk = Double(q.packets - r.baseline.queues[qi].1)
            r.add(.nic, q.name, "queue_packets", pk, "packets")
            r.add(.nic, q.name, "queue_interrupts", irq, "interrupts")
            let host = cores.hosts[cores.servers[q.core].host]
            r.add(.nic, q.name, "queue_core", Double(host.rootCore(of: q.core)), "core")
        }
    }
}
