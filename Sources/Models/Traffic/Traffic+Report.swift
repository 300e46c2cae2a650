import SimCore

extension HostSimulation {
    /// Every flow: goodput, packets sent and delivered, drops by cause, offered messages, cycles by domain, ACKs
    /// (bulk), transactions (request/response) and latency.
    func reportFlows(_ r: inout ReportContext) {
        var flowPackets = 0.0
        for (i, f) in traffic.flows.enumerated() {
            let x = f.counters, y = r.baseline.flows[i]
            let dp = Double(x.deliveredPackets - y.deliveredPackets)
            flowPackets += dp
            let sent = Double(x.sentPackets - y.sentPackets)
            let fb = Double(x.deliveredBytes - y.deliveredBytes)
            r.add(.flow, f.name, MetricCatalog.goodput, r.gbps(fb))
            r.add(.flow, f.name, MetricCatalog.deliveredPacketsPerSecond, r.perSecond(dp))
            r.add(.flow, f.name, MetricCatalog.sentPackets, sent)
            r.add(.flow, f.name, MetricCatalog.deliveredPackets, dp)
            r.add(.flow, f.name, MetricCatalog.drops, Double(x.drops - y.drops))
            for c in DropCause.allCases {
                let j = i * DropCause.count + c.rawValue
                let d = accounting.ownerDrops[j] - r.baseline.ownerDrops[j]
                if d > 0 { r.add(.flow, f.name, MetricCatalog.dropsByCause, c.name, Double(d)) }
            }
            r.add(.flow, f.name, MetricCatalog.lossRatio, r.ratio(Double(x.drops - y.drops), sent))
            r.add(.flow, f.name, MetricCatalog.offeredMessages, Double(x.messages - y.messages))
            if f.usesSocket {
                r.add(.flow, f.name, MetricCatalog.socketBlocks, Double(x.socketBlocks - y.socketBlocks))
                r.add(
                    .flow, f.name, MetricCatalog.socketBlockedShare, Double(x.socketBlockedPs - y.socketBlockedPs) / 1e12 / r.seconds * 100)
            }
            let split = r.billed(accounting.ownerCycles, r.baseline.ownerCycles, i)
            let fc = split.reduce(0, +)
            r.addDomainMetrics(.flow, f.name, split, packets: dp + Double(x.acks - y.acks))  // all_cycles_per_packet: all domains
            r.add(.flow, f.name, MetricCatalog.allCyclesPerByte, r.ratio(fc, fb))
            r.add(.flow, f.name, MetricCatalog.allCPUCores, r.cores(fc))
            if f.pattern == .bulk {
                r.add(.flow, f.name, MetricCatalog.ackPackets, Double(x.acks - y.acks))
                r.add(.flow, f.name, MetricCatalog.retransmittedPackets, Double(x.retransmissions - y.retransmissions))
                r.add(.flow, f.name, MetricCatalog.fastRetransmits, Double(x.fastRetransmits - y.fastRetransmits))
                r.add(.flow, f.name, MetricCatalog.retransmissionTimeouts, Double(x.timeouts - y.timeouts))
                r.add(.flow, f.name, MetricCatalog.congestionWindow, f.senders.reduce(0.0) { $0 + Double($1.cwnd) })
            }
            if f.pattern == .requestResponse {
                let tr = Double(x.transactions - y.transactions)
                r.add(.flow, f.name, MetricCatalog.transactions, tr)
                r.add(.flow, f.name, MetricCatalog.transactionsPerSecond, r.perSecond(tr))
                r.add(.flow, f.name, MetricCatalog.failedTransactions, Double(x.failedTransactions - y.failedTransactions))
            }
            r.addLatency(f.latency, kind: .flow, entity: f.name)
        }
        // The flow rows' packets together, beside the host's every packet delivered (ACKs and control copies too).
        r.add(.host, "host", MetricCatalog.flowDeliveredPacketsPerSecond, r.perSecond(flowPackets))
    }
}
