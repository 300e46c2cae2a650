import SimCore

extension HostSimulation {
    /// Every flow: goodput, packets sent and delivered, drops by cause, offered messages, cycles by domain, ACKs
    /// (bulk), transactions (request/response) and latency.
    func reportFlows(_ r: inout ReportContext) {
        for (i, f) in traffic.flows.enumerated() {
            let x = f.counters, y = r.baseline.flows[i]
            let dp = Double(x.deliveredPackets - y.deliveredPackets)
            let sent = Double(x.sentPackets - y.sentPackets)
            let fb = Double(x.deliveredBytes - y.deliveredBytes)
            r.add(.flow, f.name, "goodput", r.gbps(fb), "Gbps")
            r.add(.flow, f.name, "packet_rate", r.perSecond(dp), "pps")
            r.add(.flow, f.name, "sent_packets", sent, "packets")
            r.add(.flow, f.name, "delivered_packets", dp, "packets")
            r.add(.flow, f.name, "drops", Double(x.drops - y.drops), "packets")
            for c in DropCause.allCases {
                let j = i * DropCause.count + c.rawValue
                let d = accounting.ownerDrops[j] - r.baseline.ownerDrops[j]
                if d > 0 { r.add(.flow, f.name, "drops.\(c.name)", Double(d), "packets") }
            }
            r.add(.flow, f.name, "loss_ratio", r.ratio(Double(x.drops - y.drops), sent), "fraction")
            r.add(.flow, f.name, "offered_messages", Double(x.messages - y.messages), "messages")
            let split = r.billed(accounting.ownerCycles, r.baseline.ownerCycles, i)
            let fc = split.reduce(0, +)
            r.addDomainMetrics(.flow, f.name, split, packets: dp + Double(x.acks - y.acks))  // cycles_per_packet: all domains
            r.add(.flow, f.name, "cycles_per_byte", r.ratio(fc, fb), "cycles/byte")
            r.add(.flow, f.name, "cpu_cores", r.cores(fc), "cores")
            if f.pattern == .bulk { r.add(.flow, f.name, "acks", Double(x.acks - y.acks), "packets") }
            if f.pattern == .requestResponse {
                let tr = Double(x.transactions - y.transactions)
                r.add(.flow, f.name, "transactions", tr, "transactions")
                r.add(.flow, f.name, "transaction_rate", r.perSecond(tr), "tps")
                r.add(.flow, f.name, "failed_transactions", Double(x.failedTransactions - y.failedTransactions), "transactions")
            }
            r.addLatency(f.latency, kind: .flow, entity: f.name)
        }
    }
}
