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
            r.add(.adapter, name, "send_packets", Double(x.txPackets - y.txPackets), "packets")
            r.add(.adapter, name, "receive_packets", Double(x.rxPackets - y.rxPackets), "packets")
            r.add(.adapter, name, "register_accesses", acc, "accesses")
            r.add(.adapter, name, "register_accesses_per_packet", r.ratio(acc, pk), "accesses/packet")
            r.add(.adapter, name, "interrupts", irq, "interrupts")
            r.add(.adapter, name, "interrupts_per_second", r.perSecond(irq), "interrupts/s")
            r.add(.adapter, name, "interrupts_per_packet", r.ratio(irq, pk), "interrupts/packet")
            r.add(.adapter, name, "vm_exits", acc, "exits")
            r.add(.adapter, name, "vm_exits_per_second", r.perSecond(acc), "exits/s")
            r.add(.adapter, name, "vm_exits_per_packet", r.ratio(acc, pk), "exits/packet")
            let billed = r.billed(accounting.adapterCycles, r.baseline.adapterCycles, Int(accounting.adapterSlot[dev.endpoint]))
            r.addDomainMetrics(.adapter, name, billed, packets: pk)
        }
    }
}
