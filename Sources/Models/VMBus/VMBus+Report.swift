import SimCore

/// A synthetic adapter's channel counters since the warm-up, summed over its channels.
private struct ChannelSums {
    var messages = 0.0, masked = 0.0, signals = 0.0, transitions = 0.0, interrupts = 0.0, wakeups = 0.0
    var completions = 0.0, receiveCompletions = 0.0, drains = 0.0, drained = 0.0, guestDrains = 0.0, guestDrained = 0.0, sendPackets = 0.0,
        receivePackets = 0.0
    var dpcs = 0.0, quotaHits = 0.0, budgetHits = 0.0

    mutating func add(_ x: ChannelCounters, minus y: ChannelCounters) {
        masked += Double(x.maskedTransitions - y.maskedTransitions)
        messages += Double(x.messages - y.messages)
        signals += Double(x.signals - y.signals); transitions += Double(x.sendTransitions - y.sendTransitions)
        interrupts += Double(x.interrupts - y.interrupts); wakeups += Double(x.writerWakeups - y.writerWakeups)
        completions += Double(x.sendCompletions - y.sendCompletions)
        receiveCompletions += Double(x.receiveCompletions - y.receiveCompletions)
        drains += Double(x.drains - y.drains); drained += Double(x.drained - y.drained)
        dpcs += Double(x.vspDPCs - y.vspDPCs); quotaHits += Double(x.vspQuotaHits - y.vspQuotaHits)
        budgetHits += Double(x.vspBudgetHits - y.vspBudgetHits)
        guestDrains += Double(x.guestDrains - y.guestDrains); guestDrained += Double(x.guestDrained - y.guestDrained)
        sendPackets += Double(x.sendPackets - y.sendPackets); receivePackets += Double(x.receivePackets - y.receivePackets)
    }
}

extension HostSimulation {
    /// Every synthetic adapter: packets, VMBus messages, signals, interrupts and exits, the VSP's and the guest's
    /// batches, the VSP's drain DPCs and their quota and budget hits, its cycles by domain, and each of its channels' ring occupancy.
    func reportSyntheticAdapters(_ r: inout ReportContext) {
        for e in adapters.endpoints.indices where adapters.endpoints[e].kind == .syntheticAdapter {
            let name = adapters.endpoints[e].name
            let first = adapters.endpoints[e].firstChannel
            var s = ChannelSums()
            for c in first..<first.advanced(by: adapters.endpoints[e].channelCount) {
                s.add(vmbus.channels[c].counters, minus: r.baseline.channels[c.index])
                reportChannel(c, name: "\(name)/ch\(first.distance(to: c))", &r)
            }
            // An SR-IOV adapter's VF traffic and interrupts count with its VMBus ones (each VF interrupt is a VM exit:
            // the hypervisor delivers and completes it, `vf_interrupt`).
            // `send_packets` and `receive_packets` stay the VMBus path's; the per-packet figures count both paths.
            var vfIRQ = 0.0, vfPackets = 0.0
            if adapters.endpoints[e].vfQueue != .none {
                let q = adapters.endpoints[e].vfQueue, x = net.queues[q], b = r.baseline.queues[q.index]
                vfPackets = Double(x.vfTxPackets - b.2) + Double(x.packets - b.1)
                vfIRQ = Double(x.interrupts - b.0)
            }
            let packets = s.sendPackets + s.receivePackets + vfPackets
            r.signals += s.signals; r.synicInterrupts += s.interrupts + s.wakeups; r.vfInterrupts += vfIRQ
            let irq = s.interrupts + s.wakeups + vfIRQ, exits = s.signals + irq
            r.add(.adapter, name, MetricCatalog.sendPackets, s.sendPackets)
            r.add(.adapter, name, MetricCatalog.receivePackets, s.receivePackets)
            r.add(.adapter, name, MetricCatalog.signals, s.signals)
            r.add(.adapter, name, MetricCatalog.signalsPerSecond, r.perSecond(s.signals))
            r.add(.adapter, name, MetricCatalog.signalsPerPacket, r.ratio(s.signals, packets))
            r.add(.adapter, name, MetricCatalog.sendRingTransitions, s.transitions)
            r.add(.adapter, name, MetricCatalog.sendRingMaskedTransitions, s.masked)
            r.add(.adapter, name, MetricCatalog.sendMessages, s.messages)
            r.add(.adapter, name, MetricCatalog.packetsPerMessage, r.ratio(s.sendPackets, s.messages))
            r.add(.adapter, name, MetricCatalog.interrupts, irq)
            r.add(.adapter, name, MetricCatalog.interruptsPerSecond, r.perSecond(irq))
            r.add(.adapter, name, MetricCatalog.interruptsPerPacket, r.ratio(s.interrupts + vfIRQ, packets))
            r.add(.adapter, name, MetricCatalog.sendCompletions, s.completions)
            r.add(.adapter, name, MetricCatalog.receiveCompletions, s.receiveCompletions)
            r.add(.adapter, name, MetricCatalog.writerWakeups, s.wakeups)
            r.add(.adapter, name, MetricCatalog.vspBatchMean, r.ratio(s.drained, s.drains))
            r.add(.adapter, name, MetricCatalog.vspDPCs, s.dpcs)
            r.add(.adapter, name, MetricCatalog.vspQuotaHits, s.quotaHits)
            r.add(.adapter, name, MetricCatalog.vspBudgetHits, s.budgetHits)
            r.add(.adapter, name, MetricCatalog.guestBatchMean, r.ratio(s.guestDrained, s.guestDrains))
            r.add(.adapter, name, MetricCatalog.vmExits, exits)
            r.add(.adapter, name, MetricCatalog.vmExitsPerSecond, r.perSecond(exits))
            r.add(.adapter, name, MetricCatalog.vmExitsPerPacket, r.ratio(exits, packets))
            let billed = r.billed(accounting.adapterCycles, r.baseline.adapterCycles, Int(accounting.adapterSlot[e]))
            r.addDomainMetrics(.adapter, name, billed, packets: packets)
        }
    }

    /// One channel's packets each way and its ring occupancy: time-weighted mean and maximum of each ring, and the capacity.
    private func reportChannel(_ c: ChannelID, name: String, _ r: inout ReportContext) {
        let ch = vmbus.channels[c], b = r.baseline
        let window = r.seconds * 1e12
        r.add(.channel, name, MetricCatalog.sendPackets, Double(ch.counters.sendPackets - b.channels[c.index].sendPackets))
        r.add(.channel, name, MetricCatalog.receivePackets, Double(ch.counters.receivePackets - b.channels[c.index].receivePackets))
        r.add(.channel, name, MetricCatalog.sendRingOccupancyMean, (ch.sendOccupancyArea - b.sendArea[c.index]) / window)
        r.add(.channel, name, MetricCatalog.receiveRingOccupancyMean, (ch.receiveOccupancyArea - b.receiveArea[c.index]) / window)
        r.add(.channel, name, MetricCatalog.sendRingOccupancyMax, Double(ch.counters.maxSendUsed))
        r.add(.channel, name, MetricCatalog.receiveRingOccupancyMax, Double(ch.counters.maxReceiveUsed))
        r.add(.channel, name, MetricCatalog.ringCapacity, Double(ch.capacity))
    }
}
