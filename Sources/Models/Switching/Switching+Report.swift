import SimCore

extension HostSimulation {
    /// Every switch: frames forwarded and flooded, addresses learned, drops at its ports by cause, and the goodput
    /// and latency of the flows between two of its own ports.
    func reportSwitches(_ r: inout ReportContext) {
        let b = r.baseline
        for (si, s) in zip(switching.switches.indices, switching.switches) {
            let fp = Double(s.forwardedPackets - b.switchForwarded[si.index].0)
            let fb = Double(s.forwardedBytes - b.switchForwarded[si.index].1)
            r.add(.vswitch, s.name, MetricCatalog.forwardedPackets, fp)
            r.add(.vswitch, s.name, MetricCatalog.forwardedPacketsPerSecond, r.perSecond(fp))
            r.add(.vswitch, s.name, MetricCatalog.throughput, r.gbps(fb))
            r.add(.vswitch, s.name, MetricCatalog.floodedPackets, Double(s.floodedPackets - b.switchForwarded[si.index].2))
            r.add(.vswitch, s.name, MetricCatalog.learnedMACs, Double(s.addresses.learned))
            if s.rsc { r.add(.vswitch, s.name, MetricCatalog.rscCoalescedSegments, Double(s.rscMerged - b.switchForwarded[si.index].3)) }
            var sd = 0.0
            var byCause = [UInt64](repeating: 0, count: DropCause.count)
            for (pi, p) in switching.ports.enumerated() where p.switchIndex == si {
                sd += Double(p.counters.drops - b.ports[pi].drops)
                for c in DropCause.allCases {
                    let j = pi * DropCause.count + c.rawValue
                    byCause[c.rawValue] += accounting.portDrops[j] - b.portDrops[j]
                }
            }
            r.add(.vswitch, s.name, MetricCatalog.drops, sd)
            for c in DropCause.allCases where byCause[c.rawValue] > 0 {
                r.add(.vswitch, s.name, MetricCatalog.dropsByCause, c.name, Double(byCause[c.rawValue]))
            }
            var goodBytes = 0.0
            var lat = LatencyRecorder()
            for (i, f) in traffic.flows.enumerated()
            where adapters.endpoints[f.from].switchIndex == si && adapters.endpoints[f.to].switchIndex == si {
                goodBytes += Double(f.counters.deliveredBytes - b.flows[i].deliveredBytes)
                lat.add(f.latency)
            }
            r.add(.vswitch, s.name, MetricCatalog.goodput, r.gbps(goodBytes))
            r.addLatency(lat, kind: .vswitch, entity: s.name)
        }
    }

    /// Every port: frames and bytes in and out, drops by cause, and the latency of the flows it delivers to.
    func reportPorts(_ r: inout ReportContext) {
        for (pi, p) in zip(switching.ports.indices, switching.ports) {
            var lat = LatencyRecorder()
            for f in traffic.flows
            where adapters.endpoints[f.to].port == pi
                || (p.isUplink && adapters.endpoints[f.to].kind == .external && adapters.endpoints[f.to].switchIndex == p.switchIndex)
            {
                lat.add(f.latency)
            }
            r.addLatency(lat, kind: .port, entity: p.name)
            let x = p.counters, y = r.baseline.ports[pi.index]
            r.add(.port, p.name, MetricCatalog.inPackets, Double(x.inPackets - y.inPackets))
            r.add(.port, p.name, MetricCatalog.outPackets, Double(x.outPackets - y.outPackets))
            r.add(.port, p.name, MetricCatalog.inBytes, Double(x.inBytes - y.inBytes))
            r.add(.port, p.name, MetricCatalog.outBytes, Double(x.outBytes - y.outBytes))
            r.add(.port, p.name, MetricCatalog.inPacketsPerSecond, r.perSecond(Double(x.inPackets - y.inPackets)))
            r.add(.port, p.name, MetricCatalog.outPacketsPerSecond, r.perSecond(Double(x.outPackets - y.outPackets)))
            r.add(.port, p.name, MetricCatalog.drops, Double(x.drops - y.drops))
            for c in DropCause.allCases {
                let j = pi.index * DropCause.count + c.rawValue
                let d = accounting.portDrops[j] - r.baseline.portDrops[j]
                if d > 0 { r.add(.port, p.name, MetricCatalog.dropsByCause, c.name, Double(d)) }
            }
        }
    }
}
