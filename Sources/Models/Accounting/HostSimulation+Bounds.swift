import SimCore

// Physical bounds, checked at the end of every run like packet conservation: no core is busy longer than the
// window, no wire carries more than its rate, no interval of a series holds more than its length, no VMBus message
// carries fewer than one packet or more than a batch, no ring holds more than its capacity. The figures are built
// to respect these (`BusyMeter`, messages counted when a write fills the ring); a violation is a model bug and
// fails the run instead of being reported.
extension HostSimulation {
    /// - Throws: `SimulationError` naming every bound violated, with the numbers.
    func checkPhysicalBounds(_ r: ReportContext, series: [TimeSeries]) throws {
        var problems: [String] = []
        let windowPs = r.seconds * 1e12
        // One picosecond per segment boundary of slack is not needed: the meter clips exactly.
        func within(_ busy: Int64, _ what: String) {
            if Double(busy) > windowPs * (1 + 1e-12) {
                problems.append("\(what) busy \(busy) ps in a window of \(Int64(windowPs)) ps")
            }
        }
        for o in cores.servers.indices where cores.servers[o].clockOwner == o {
            let s = cores.servers[o]
            within(s.busy.executedWindow(at: r.end, busyUntil: s.busyUntil), "core \(s.name)")
            if s.role == .vcpu {
                let stalled = s.stall.executedWindow(at: r.end, busyUntil: s.busyUntil)
                within(s.busy.executedWindow(at: r.end, busyUntil: s.busyUntil) + stalled, "vCPU \(s.name) (work and stalls)")
            }
        }
        for n in net.nics {
            within(n.txWire.executedWindow(at: r.end, busyUntil: r.end), "NIC \(n.name) transmit wire")
            within(n.rxWire.executedWindow(at: r.end, busyUntil: n.rxWireBusyUntil), "NIC \(n.name) receive wire")
        }
        for series in series where series.unit == "percent" {
            if let (i, v) = series.values.enumerated().first(where: { $0.element > 100 * (1 + 1e-9) }) {
                problems.append("series \(series.entity) \(series.metric) point \(i) is \(v) %")
            }
        }
        checkChannelBounds(r, &problems)
        if !problems.isEmpty {
            throw SimulationError(message: "physical bound violated in '\(config.name)': " + problems.joined(separator: "; "))
        }
    }

    /// Packets per VMBus message within 1…batch, and rings never fuller than their capacity.
    private func checkChannelBounds(_ r: ReportContext, _ problems: inout [String]) {
        for (c, ch) in zip(vmbus.channels.indices, vmbus.channels) {
            let x = ch.counters, y = r.baseline.channels[c.index]
            let messages = x.messages - y.messages, packets = x.sendPackets - y.sendPackets
            let batch = UInt64(adapters.settings[ch.endpoint].batchPackets)
            if messages > 0 && (packets < messages || packets > messages * batch) {
                problems.append(
                    "channel \(c.index) of \(adapters.endpoints[ch.endpoint].name): \(packets) packets in \(messages) messages (batch \(batch))"
                )
            }
            if x.maxSendUsed > ch.capacity || x.maxReceiveUsed > ch.capacity {
                problems.append(
                    "channel \(c.index) of \(adapters.endpoints[ch.endpoint].name): rings held \(x.maxSendUsed)/\(x.maxReceiveUsed) of \(ch.capacity) bytes"
                )
            }
        }
    }
}
