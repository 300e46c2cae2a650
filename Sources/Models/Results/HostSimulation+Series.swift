import SimCore

// The time series: sampled every `sample_interval` from time 0, the warm-up included (`TimeSeries.measuredFrom`
// marks where the measured window starts), so that a reader can see the transient and choose a warm-up. CPU and
// link figures come from the servers' `BusyMeter`s — the busy time inside each interval, never more than its
// length — not from the work charged in it.
extension HostSimulation {
    /// Creates the series and schedules the first sample.
    func startSeries(_ k: inout Kernel) {
        let maxPoints = config.maxSeriesPoints
        func buffer(_ kind: EntityKind, _ entity: String, _ spec: MetricSpec) -> SeriesBuffer {
            SeriesBuffer(kind: kind, entity: entity, spec, maxPoints: maxPoints)
        }
        var s = SeriesSet()
        s.flowGoodput = traffic.flows.map { buffer(.flow, $0.name, MetricCatalog.goodput) }
        s.rootUtilization = buffer(.host, "host", MetricCatalog.rootCPUUtilization)
        s.rootCoreUtilization = cores.hosts[HostID(0)].rootServers.map {
            buffer(.core, cores.servers[$0].name, MetricCatalog.cpuUtilization)
        }
        s.hypervisorUtilization = buffer(.host, "host", MetricCatalog.hypervisorCPUUtilization)
        s.nicThroughput = net.nics.map { buffer(.nic, $0.name, MetricCatalog.txThroughput) }
        s.nicRxThroughput = net.nics.map { buffer(.nic, $0.name, MetricCatalog.rxThroughput) }
        s.inFlight = buffer(.host, "host", MetricCatalog.inFlightPackets)
        for n in virtualServer.networks {
            s.networkSent.append(buffer(.network, n.name, MetricCatalog.sentBytesPerSecond))
            s.networkReceived.append(buffer(.network, n.name, MetricCatalog.receivedBytesPerSecond))
            s.networkDropped.append(buffer(.network, n.name, MetricCatalog.droppedBytesPerSecond))
        }
        s.networkLast = [NetworkTotals](repeating: NetworkTotals(), count: virtualServer.networks.count)
        s.lastHypervisor = [Int64](repeating: 0, count: cores.servers.count)
        s.ownerCharged = [Int64](repeating: 0, count: cores.servers.count)
        s.ownerHypervisor = [Int64](repeating: 0, count: cores.servers.count)
        measurement.series = s
        if config.sampleInterval <= config.duration {
            k.schedule(at: config.sampleInterval, kind: EventKind.sample.rawValue, target: 0)
        }
    }

    @usableFromInline
    func takeSample(_ k: inout Kernel) {
        let dt = config.sampleInterval.seconds
        let dtPs = Double(config.sampleInterval.picoseconds)
        for (i, f) in traffic.flows.enumerated() {
            measurement.series.flowGoodput[i].add(Double(f.counters.intervalBytes) * 8 / dt / 1e9)
            f.counters.intervalBytes = 0
        }
        sampleCores(dtPs)
        for n in net.nics.indices {
            let rate = Double(net.nics[n].linkRate.bitsPerSecond) / 1e9
            measurement.series.nicThroughput[n.index].add(Double(net.nics[n].txWire.take()) / dtPs * rate)
            measurement.series.nicRxThroughput[n.index].add(Double(net.nics[n].rxWire.take()) / dtPs * rate)
        }
        measurement.series.inFlight?.add(Double(packets.liveCount) + Double(accounting.mergedLive))
        for n in virtualServer.networks.indices {
            let t = networkTotals(n), d = t - measurement.series.networkLast[n.index]
            measurement.series.networkLast[n.index] = t
            measurement.series.networkSent[n.index].add(Double(d.bytesSent) / dt)
            measurement.series.networkReceived[n.index].add(Double(d.bytesReceived) / dt)
            measurement.series.networkDropped[n.index].add(Double(d.bytesDropped) / dt)
        }
        if k.now + config.sampleInterval <= config.duration {
            k.schedule(after: config.sampleInterval, kind: EventKind.sample.rawValue, target: 0)
        }
    }

    /// Root CPU (host and per root core) and hypervisor CPU over the interval just ended. Every clock owner's meter
    /// moves on once per sample; a core's hypervisor share of its busy time is the share of the cycles charged to it
    /// (and the vCPUs it runs) in the interval.
    private func sampleCores(_ dtPs: Double) {
        let host = cores.hosts[HostID(0)]
        for o in cores.servers.indices {
            measurement.series.ownerCharged[o.index] = 0
            measurement.series.ownerHypervisor[o.index] = 0
        }
        for s in cores.servers.indices {
            var hyp: Int64 = 0
            for st in CostStage.hypervisorStages { hyp &+= cores.cycles(s, st) }
            let o = cores.servers[s].clockOwner.index
            measurement.series.ownerHypervisor[o] &+= hyp &- measurement.series.lastHypervisor[s.index]
            measurement.series.ownerCharged[o] &+= cores.servers[s].intervalCycles
            measurement.series.lastHypervisor[s.index] = hyp
            cores.servers[s].intervalCycles = 0
        }
        var root = 0.0, hypervisor = 0.0
        var r = 0
        for o in cores.servers.indices where cores.servers[o].clockOwner == o {
            let busy = Double(cores.servers[o].busy.take())
            let charged = measurement.series.ownerCharged[o.index]
            if charged > 0 { hypervisor += busy * Double(measurement.series.ownerHypervisor[o.index]) / Double(charged) }
            if cores.servers[o].role == .root {
                root += busy
                measurement.series.rootCoreUtilization[r].add(busy / dtPs * 100)
                r += 1
            }
        }
        measurement.series.rootUtilization?.add(root / (Double(host.rootServers.count) * dtPs) * 100)
        measurement.series.hypervisorUtilization?.add(hypervisor / (Double(host.cores) * dtPs) * 100)
    }

    /// The sampled series, from time 0.
    func timeSeries() -> [TimeSeries] {
        let s = measurement.series
        let dt = config.sampleInterval.seconds, warm = measurement.warmup.seconds
        var out: [TimeSeries] = []
        func put(_ b: SeriesBuffer?) { if let b { out.append(b.timeSeries(rawInterval: dt, start: 0, measuredFrom: warm)) } }
        put(s.rootUtilization)
        s.rootCoreUtilization.forEach(put)
        put(s.hypervisorUtilization)
        put(s.inFlight)
        s.nicThroughput.forEach(put)
        s.nicRxThroughput.forEach(put)
        s.flowGoodput.forEach(put)
        for n in s.networkSent.indices {
            put(s.networkSent[n]); put(s.networkReceived[n]); put(s.networkDropped[n])
        }
        return out
    }
}
