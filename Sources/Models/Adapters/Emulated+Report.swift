import SimCore

extension HostSimulation {
    /// Every emulated (legacy) adapter: packets, trapped register accesses (each a VM exit), interrupts, and its
    /// cycles by domain.
    func reportEmulatedAdapters(_ r: inout ReportContext) {
        for (d, dev) in adapters.devices.enumerated() {
            let name = adapters.endpoints[dev.endpoint].name
            let x = dev.counters, y = r.baseline.devices[d]
            let acc = Double(x.accesses - y.accesses), irq = Double(x.interrupts - y.interrupts)
            let pk = Double(x.txPackets - y.txPackets + x.rxPackets - y.rxPackets)
            r.emulatedAccesses += acc; r.emulatedInterrupts += irq
            r.add(.adapter, name, MetricCatalog.sendPackets, Double(x.txPackets - y.txPackets))
            r.add(.adapter, name, MetricCatalog.receivePackets, Double(x.rxPackets - y.rxPackets))
            r.add(.adapter, name, MetricCatalog.registerAccesses, acc)
            r.add(.adapter, name, MetricCatalog.registerAccessesPerPacket, r.ratio(acc, pk))
            r.add(.adapter, name, MetricCatalog.interrupts, irq)
            r.add(.adapter, name, MetricCatalog.interruptsPerSecond, r.perSecond(irq))
            r.add(.adapter, name, MetricCatalog.interruptsPerPacket, r.ratio(irq, pk))
            r.add(.adapter, name, MetricCatalog.vmExits, acc)
            r.add(.adapter, name, MetricCatalog.vmExitsPerSecond, r.perSecond(acc))
            r.add(.adapter, name, MetricCatalog.vmExitsPerPacket, r.ratio(acc, pk))
            let billed = r.billed(accounting.adapterCycles, r.baseline.adapterCycles, Int(accounting.adapterSlot[dev.endpoint]))
            r.addDomainMetrics(.adapter, name, billed, packets: pk)
        }
    }
}
