import SimCore

/// A synthetic adapter's channel counters since the warm-up, summed over its channels.
private struct ChannelSums {
    var messages = 0.0, masked = 0.0, signals = 0.0, transitions = 0.0, interrupts = 0.0, wakeups = 0.0
    var drains = 0.0, drained = 0.0, guestDrains = 0.0, guestDrained = 0.0, sendPackets = 0.0, receivePackets = 0.0

    mutating func add(_ x: ChannelCounters, minus y: ChannelCounters) {
        masked += Double(x.maskedTransitions - y.maskedTransitions)
        messages += Double(x.messages - y.messages)
        signals += Double(x.signals - y.signals); transitions += Double(x.sendTransitions - y.sendTransitions)
        interrupts += Double(x.interrupts - y.interrupts); wakeups += Double(x.writerWakeups - y.writerWakeups)
        drains += Double(x.drains - y.drains); drained += Double(x.drained - y.drained)
        guestDrains += Double(x.guestDrains - y.guestDrains); guestDrained += Double(x.guestDrained - y.guestDrained)
        sendPackets += Double(x.sendPackets - y.sendPackets); receivePackets += Double(x.receivePackets - y.receivePackets)
    }
}

extension HostSimulation {
    /// Every synthetic adapter: packets, VMBus messages, signals, interrupts and exits, the VSP's and the guest's
    /// batches, its cycles by domain, and each of its channels' ring occupancy.
    func reportSyntheticAdapters(_ r: inout ReportContext) {
        for e in adapters.endpoints.indices where adapters.endpoints[e].kind == .syntheticAdapter {
            let name = adapters.endpoints[e].name
            let first = adapters.endpoints[e].firstChannel
            var s = ChannelSums()
            for c in first..<first.advanced(by: adapters.endpoints[e].channelCount) {
                s.add(vmbus.channels[c].counters, minus: r.baseline.channels[c.index])
                reportChannel(c, name: "\(name)/ch\(first.distance(to: c))", &r)
            }
            r.signals += s.signals; r.synicInterrupts += s.interrupts + s.wakeups
            let irq = s.interrupts + s.wakeups, exits = s.signals + irq
            r.add(.adapter, name, "send_packets", s.sendPackets, "packets")
            r.add(.adapter, name, "receive_packets", s.receivePackets, "packets")
            r.add(.adapter, name, "signals", s.signals, "signals")
            r.add(.adapter, name, "signals_per_second", r.perSecond(s.signals), "signals/s")
            r.add(.adapter, name, "signals_per_packet", r.ratio(s.signals, s.sendPackets), "signals/packet")
            r.add(.adapter, name, "send_ring_transitions", s.transitions, "transitions")
            r.add(.adapter, name, "send_ring_masked_transitions", s.masked, "transitions")
            r.add(.adapter, name, "send_messages", s.messages, "messages")
            r.add(.adapter, name, "packets_per_message", r.ratio(s.sendPackets, s.messages), "packets/message")
            r.add(.adapter, name, "interrupts", irq, "interrupts")
            r.add(.adapter, name, "interrupts_per_second", r.perSecond(irq), "interrupts/s")
            r.add(.adapter, name, "interrupts_per_packet", r.ratio(s.interrupts, s.receivePackets), "interrupts/packet")
            r.add(.adapter, name, "writer_wakeups", s.wakeups, "interrupts")
            r.add(.adapter, name, "vsp_batch_mean", r.ratio(s.drained, s.drains), "packets")
            r.add(.adapter, name, "guest_batch_mean", r.ratio(s.guestDrained, s.guestDrains), "packets")
            r.add(.adapter, name, "vm_exits", exits, "exits")
            r.add(.adapter, name, "vm_exits_per_second", r.perSecond(exits), "exits/s")
            r.add(.adapter, name, "vm_exits_per_packet", r.ratio(exits, s.sendPackets + s.receivePackets), "exits/packet")
            let billed = r.billed(accounting.adapterCycles, r.baseline.adapterCycles, Int(accounting.adapterSlot[e]))
            r.addDomainMetrics(.adapter, name, billed, packets: s.sendPackets + s.receivePackets)
        }
    }

    /// One channel's ring occupancy: time-weighted mean and maximum of each ring, and the capacity.
    private func reportChannel(_ c: ChannelID, name: String, _ r: inout ReportContext) {
        let ch = vmbus.channels[c], b = r.baseline
        let window = r.seconds * 1e12
        r.add(.channel, name, "send_ring_occupancy_mean", (ch.sendOccupancyArea - b.sendArea[c.index]) / window, "bytes")
        r.add(.channel, name, "receive_ring_occupancy_mean", (ch.receiveOccupancyArea - b.receiveArea[c.index]) / window, "bytes")
        r.add(.channel, name, "send_ring_occupancy_max", Double(ch.counters.maxSendUsed), "bytes")
        r.add(.channel, name, "receive_ring_occupancy_max", Double(ch.counters.maxReceiveUsed), "bytes")
        r.add(.channel, name, "ring_capacity", Double(ch.capacity), "bytes")
    }
}
