import SimCore

// End of run: the conservation check and the RunReport (tidy metrics after the warm-up).
extension HostSimulation {
    func finish(kernel k: borrowing Kernel, stoppedEarly: Bool) throws -> RunOutput {
        let now = k.now
        for c in vmbus.channels.indices { vmbus.channels[c].noteSend(now); vmbus.channels[c].noteReceive(now) }
        let conservation = try checkConservation()
        let b = measurement.baseline ?? snapshot(now)
        var metrics: [Metric] = []
        func m(_ kind: EntityKind, _ entity: String, _ metric: String, _ v: Double, _ unit: String) {
            metrics.append(Metric(kind, entity, metric, v.isFinite ? v : 0, unit))
        }
        let T = Swift.max((now - b.time).seconds, 1e-12)
        let hz = Double(cores.hosts[0].clock.hertz)
        let S = CostStage.count
        func cyc(_ s: Int, _ st: CostStage) -> Int64 {
            cores.stageCycles[s * S + Int(st.rawValue)] - b.stageCycles[s * S + Int(st.rawValue)]
        }
        func perSecond(_ x: Double) -> Double { x / T }
        func ratio(_ a: Double, _ d: Double) -> Double { d > 0 ? a / d : 0 }
        /// Cycles billed to entry `i` of a flat per-domain array since the warm-up, by domain.
        func billed(_ now: FixedTable<Int64>, _ base: ContiguousArray<Int64>, _ i: Int) -> [Double] {
            CycleDomain.allCases.map { d in
                let j = i * CycleDomain.count + Int(d.rawValue)
                return Double(now[j] - base[j])
            }
        }
        /// The three-way split of the cycles billed to a flow or adapter, per `packets` packets.
        func domainMetrics(_ kind: EntityKind, _ name: String, _ c: [Double], packets: Double) {
            let root = c[Int(CycleDomain.root.rawValue)], hyp = c[Int(CycleDomain.hypervisor.rawValue)]
            let guest = c[Int(CycleDomain.guest.rawValue)]
            m(kind, name, "root_cycles", root, "cycles")
            m(kind, name, "hypervisor_cycles", hyp, "cycles")
            m(kind, name, "guest_cycles", guest, "cycles")
            m(kind, name, "root_cycles_per_packet", ratio(root, packets), "cycles/packet")
            m(kind, name, "hypervisor_cycles_per_packet", ratio(hyp, packets), "cycles/packet")
            m(kind, name, "guest_cycles_per_packet", ratio(guest, packets), "cycles/packet")
            m(kind, name, "host_cycles_per_packet", ratio(root + hyp, packets), "cycles/packet")
            m(kind, name, "cycles_per_packet", ratio(root + hyp + guest, packets), "cycles/packet")
            m(kind, name, "host_cpu_cores", (root + hyp) / (hz * T), "cores")
        }

        // Packets and bytes delivered after warm-up (ACKs included in packets, payload bytes only).
        let packetsDelivered = Double(accounting.delivered - b.delivered)
        var payloadDelivered = 0.0
        for (i, f) in traffic.flows.enumerated() { payloadDelivered += Double(f.counters.deliveredBytes - b.flows[i].deliveredBytes) }

        var latencies: [LatencySummary] = []

        // MARK: Cores and domains
        var rootCycles: Int64 = 0, hypCycles: Int64 = 0, guestCycles: Int64 = 0
        var componentCycles: [String: (root: Int64, guest: Int64, hyp: Int64)] = [:]
        var physicalCycles = [Int64](repeating: 0, count: cores.servers.count)
        for s in cores.servers.indices where cores.servers[s].role != .physical {
            var serverTotal: Int64 = 0, serverHyp: Int64 = 0
            for st in CostStage.allCases {
                let c = cyc(s, st)
                guard c != 0 else { continue }
                serverTotal += c
                var entry = componentCycles[st.component] ?? (0, 0, 0)
                if st.isHypervisor {
                    serverHyp += c; entry.hyp += c
                } else if cores.servers[s].role == .root {
                    entry.root += c
                } else {
                    entry.guest += c
                }
                componentCycles[st.component] = entry
            }
            hypCycles += serverHyp
            let name = cores.servers[s].name
            if cores.servers[s].role == .root {
                rootCycles += serverTotal - serverHyp
                m(.core, name, "utilization", Double(serverTotal) / (hz * T) * 100, "percent")
                m(.core, name, "cycles", Double(serverTotal), "cycles")
                m(.core, name, "hypervisor_utilization", Double(serverHyp) / (hz * T) * 100, "percent")
            } else {
                guestCycles += serverTotal - serverHyp
                m(.core, name, "utilization", Double(serverTotal - serverHyp) / (hz * T) * 100, "percent")
                m(.core, name, "hypervisor_utilization", Double(serverHyp) / (hz * T) * 100, "percent")
                m(.core, name, "stalled", Double(cores.servers[s].stalledPs - b.stalled[s]) / 1e12 / T * 100, "percent")
                physicalCycles[cores.servers[s].clockOwner] += serverTotal
            }
        }
        for s in cores.servers.indices where cores.servers[s].role == .physical {
            m(.core, cores.servers[s].name, "utilization", Double(physicalCycles[s]) / (hz * T) * 100, "percent")
        }
        let vcpuCount = Double(cores.servers.filter { $0.role == .vcpu }.count)
        m(.host, "host", "root_cpu_utilization", Double(rootCycles) / (Double(cores.hosts[0].rootServers.count) * hz * T) * 100, "percent")
        m(.host, "host", "root_cpu_cores", Double(rootCycles) / (hz * T), "cores")
        m(.host, "host", "hypervisor_cpu_utilization", Double(hypCycles) / (Double(config.host.cores) * hz * T) * 100, "percent")
        m(.host, "host", "hypervisor_cpu_cores", Double(hypCycles) / (hz * T), "cores")
        m(.host, "host", "guest_cpu_utilization", vcpuCount > 0 ? Double(guestCycles) / (vcpuCount * hz * T) * 100 : 0, "percent")
        m(.host, "host", "root_cycles_per_packet", ratio(Double(rootCycles), packetsDelivered), "cycles/packet")
        m(.host, "host", "root_cycles_per_byte", ratio(Double(rootCycles), payloadDelivered), "cycles/byte")
        m(.host, "host", "hypervisor_cycles_per_packet", ratio(Double(hypCycles), packetsDelivered), "cycles/packet")
        m(.host, "host", "guest_cycles_per_packet", ratio(Double(guestCycles), packetsDelivered), "cycles/packet")
        m(.host, "host", "host_cycles_per_packet", ratio(Double(rootCycles + hypCycles), packetsDelivered), "cycles/packet")
        m(.host, "host", "host_cpu_cores", Double(rootCycles + hypCycles) / (hz * T), "cores")
        let allCycles = Double(rootCycles + hypCycles + guestCycles)
        m(.host, "host", "cycles_per_packet", ratio(allCycles, packetsDelivered), "cycles/packet")
        m(.host, "host", "cycles_per_byte", ratio(allCycles, payloadDelivered), "cycles/byte")
        m(.host, "host", "packets_delivered", packetsDelivered, "packets")
        m(.host, "host", "packet_rate", perSecond(packetsDelivered), "pps")
        m(.host, "host", "goodput", payloadDelivered * 8 / T / 1e9, "Gbps")
        for (name, c) in componentCycles {
            let total = Double(c.root + c.guest + c.hyp)
            m(.component, name, "cycles_root", Double(c.root), "cycles")
            m(.component, name, "cycles_guest", Double(c.guest), "cycles")
            m(.component, name, "cycles_hypervisor", Double(c.hyp), "cycles")
            m(.component, name, "cycles_per_packet", ratio(total, packetsDelivered), "cycles/packet")
            m(.component, name, "cycles_per_byte", ratio(total, payloadDelivered), "cycles/byte")
            m(.component, name, "cpu_cores", total / (hz * T), "cores")
            m(.component, name, "share", ratio(total, allCycles) * 100, "percent")
        }

        // MARK: Adapters, channels and VMs
        var signals = 0.0, synInterrupts = 0.0, accesses = 0.0, emuInterrupts = 0.0
        for (vi, vm) in cores.partitions.enumerated() {
            let vmName = vm.name
            var guest: Int64 = 0, hyp: Int64 = 0
            for s in vm.vcpus {
                for st in CostStage.allCases { let c = cyc(s, st); if st.isHypervisor { hyp += c } else { guest += c } }
            }
            let n = Double(vm.vcpus.count)
            m(.vm, vmName, "vcpu_utilization", Double(guest) / (n * hz * T) * 100, "percent")
            m(.vm, vmName, "hypervisor_utilization", Double(hyp) / (n * hz * T) * 100, "percent")
            var txP = 0.0, rxP = 0.0, txB = 0.0, rxB = 0.0
            for e in adapters.endpoints.indices where adapters.endpoints[e].vm == vi {
                let p = adapters.endpoints[e].port
                txP += Double(switching.ports[p].counters.inPackets - b.ports[p].inPackets)
                rxP += Double(switching.ports[p].counters.outPackets - b.ports[p].outPackets)
                txB += Double(switching.ports[p].counters.inBytes - b.ports[p].inBytes)
                rxB += Double(switching.ports[p].counters.outBytes - b.ports[p].outBytes)
            }
            var gTx = 0.0, gRx = 0.0
            var lat = LatencyRecorder()
            for (i, f) in traffic.flows.enumerated() {
                let dB = Double(f.counters.deliveredBytes - b.flows[i].deliveredBytes)
                if adapters.endpoints[f.from].vm == vi { gTx += dB }
                if adapters.endpoints[f.to].vm == vi { gRx += dB; lat.add(f.latency) }
            }
            m(.vm, vmName, "goodput_tx", gTx * 8 / T / 1e9, "Gbps")
            m(.vm, vmName, "goodput_rx", gRx * 8 / T / 1e9, "Gbps")
            if let l = latencySummary(lat, kind: .vm, entity: vmName) { latencies.append(l) }
            m(.vm, vmName, "tx_packets", txP, "packets")
            m(.vm, vmName, "rx_packets", rxP, "packets")
            m(.vm, vmName, "tx_rate", perSecond(txP), "pps")
            m(.vm, vmName, "rx_rate", perSecond(rxP), "pps")
            m(.vm, vmName, "tx_throughput", txB * 8 / T / 1e9, "Gbps")
            m(.vm, vmName, "rx_throughput", rxB * 8 / T / 1e9, "Gbps")
        }
        for e in adapters.endpoints.indices where adapters.endpoints[e].kind == .syntheticAdapter {
            let name = adapters.endpoints[e].name
            var msgs = 0.0, masked = 0.0, sig = 0.0, trans = 0.0, irq = 0.0, wake = 0.0, drains = 0.0, drained = 0.0, gd = 0.0, gdd = 0.0,
                sp = 0.0, rp = 0.0
            for c in adapters.endpoints[e].firstChannel..<(adapters.endpoints[e].firstChannel + adapters.endpoints[e].channelCount) {
                let x = vmbus.channels[c].counters, y = b.channels[c]
                masked += Double(x.maskedTransitions - y.maskedTransitions)
                msgs += Double(x.messages - y.messages)
                sig += Double(x.signals - y.signals); trans += Double(x.sendTransitions - y.sendTransitions)
                irq += Double(x.interrupts - y.interrupts); wake += Double(x.writerWakeups - y.writerWakeups)
                drains += Double(x.drains - y.drains); drained += Double(x.drained - y.drained)
                gd += Double(x.guestDrains - y.guestDrains); gdd += Double(x.guestDrained - y.guestDrained)
                sp += Double(x.sendPackets - y.sendPackets); rp += Double(x.receivePackets - y.receivePackets)
                let cname = "\(name)/ch\(c - adapters.endpoints[e].firstChannel)"
                m(.channel, cname, "send_ring_occupancy_mean", (vmbus.channels[c].sendOccupancyArea - b.sendArea[c]) / (T * 1e12), "bytes")
                m(
                    .channel, cname, "receive_ring_occupancy_mean",
                    (vmbus.channels[c].receiveOccupancyArea - b.receiveArea[c]) / (T * 1e12),
                    "bytes")
                m(.channel, cname, "send_ring_occupancy_max", Double(x.maxSendUsed), "bytes")
                m(.channel, cname, "receive_ring_occupancy_max", Double(x.maxReceiveUsed), "bytes")
                m(.channel, cname, "ring_capacity", Double(vmbus.channels[c].capacity), "bytes")
            }
            signals += sig; synInterrupts += irq + wake
            m(.adapter, name, "send_packets", sp, "packets")
            m(.adapter, name, "receive_packets", rp, "packets")
            m(.adapter, name, "signals", sig, "signals")
            m(.adapter, name, "signals_per_second", perSecond(sig), "signals/s")
            m(.adapter, name, "signals_per_packet", ratio(sig, sp), "signals/packet")
            m(.adapter, name, "send_ring_transitions", trans, "transitions")
            m(.adapter, name, "send_ring_masked_transitions", masked, "transitions")
            m(.adapter, name, "send_messages", msgs, "messages")
            m(.adapter, name, "packets_per_message", ratio(sp, msgs), "packets/message")
            m(.adapter, name, "interrupts", irq + wake, "interrupts")
            m(.adapter, name, "interrupts_per_second", perSecond(irq + wake), "interrupts/s")
            m(.adapter, name, "interrupts_per_packet", ratio(irq, rp), "interrupts/packet")
            m(.adapter, name, "writer_wakeups", wake, "interrupts")
            m(.adapter, name, "vsp_batch_mean", ratio(drained, drains), "packets")
            m(.adapter, name, "guest_batch_mean", ratio(gdd, gd), "packets")
            let exits = sig + irq + wake
            m(.adapter, name, "vm_exits", exits, "exits")
            m(.adapter, name, "vm_exits_per_second", perSecond(exits), "exits/s")
            m(.adapter, name, "vm_exits_per_packet", ratio(exits, sp + rp), "exits/packet")
            domainMetrics(
                .adapter, name, billed(accounting.adapterCycles, b.adapterCycles, Int(accounting.adapterSlot[e])), packets: sp + rp)
        }
        for (d, dev) in adapters.devices.enumerated() {
            let name = adapters.endpoints[dev.endpoint].name
            let x = dev.counters, y = b.devices[d]
            let acc = Double(x.accesses - y.accesses), irq = Double(x.interrupts - y.interrupts)
            let pk = Double(x.txPackets - y.txPackets + x.rxPackets - y.rxPackets)
            accesses += acc; emuInterrupts += irq
            m(.adapter, name, "send_packets", Double(x.txPackets - y.txPackets), "packets")
            m(.adapter, name, "receive_packets", Double(x.rxPackets - y.rxPackets), "packets")
            m(.adapter, name, "register_accesses", acc, "accesses")
            m(.adapter, name, "register_accesses_per_packet", ratio(acc, pk), "accesses/packet")
            m(.adapter, name, "interrupts", irq, "interrupts")
            m(.adapter, name, "interrupts_per_second", perSecond(irq), "interrupts/s")
            m(.adapter, name, "interrupts_per_packet", ratio(irq, pk), "interrupts/packet")
            m(.adapter, name, "vm_exits", acc, "exits")
            m(.adapter, name, "vm_exits_per_second", perSecond(acc), "exits/s")
            m(.adapter, name, "vm_exits_per_packet", ratio(acc, pk), "exits/packet")
            domainMetrics(
                .adapter, name, billed(accounting.adapterCycles, b.adapterCycles, Int(accounting.adapterSlot[dev.endpoint])), packets: pk)
        }

        // MARK: Switches, ports, NICs
        for (si, s) in switching.switches.enumerated() {
            let fp = Double(s.forwardedPackets - b.switchForwarded[si].0), fb = Double(s.forwardedBytes - b.switchForwarded[si].1)
            m(.vswitch, s.name, "forwarded_packets", fp, "packets")
            m(.vswitch, s.name, "forward_rate", perSecond(fp), "pps")
            m(.vswitch, s.name, "throughput", fb * 8 / T / 1e9, "Gbps")
            m(.vswitch, s.name, "flooded_packets", Double(s.floodedPackets - b.switchForwarded[si].2), "packets")
            m(.vswitch, s.name, "learned_macs", Double(s.learnedCount), "addresses")
            var sd = 0.0
            var byCause = [UInt64](repeating: 0, count: DropCause.count)
            for (pi, p) in switching.ports.enumerated() where p.switchIndex == si {
                sd += Double(p.counters.drops - b.ports[pi].drops)
                for c in DropCause.allCases {
                    byCause[c.rawValue] +=
                        accounting.portDrops[pi * DropCause.count + c.rawValue] - b.portDrops[pi * DropCause.count + c.rawValue]
                }
            }
            m(.vswitch, s.name, "drops", sd, "packets")
            for c in DropCause.allCases where byCause[c.rawValue] > 0 {
                m(.vswitch, s.name, "drops.\(c.name)", Double(byCause[c.rawValue]), "packets")
            }
            var goodBytes = 0.0
            var lat = LatencyRecorder()
            for (i, f) in traffic.flows.enumerated()
            where adapters.endpoints[f.from].switchIndex == si && adapters.endpoints[f.to].switchIndex == si {
                goodBytes += Double(f.counters.deliveredBytes - b.flows[i].deliveredBytes)
                lat.add(f.latency)
            }
            m(.vswitch, s.name, "goodput", goodBytes * 8 / T / 1e9, "Gbps")
            if let l = latencySummary(lat, kind: .vswitch, entity: s.name) { latencies.append(l) }
        }
        for (pi, p) in switching.ports.enumerated() {
            var lat = LatencyRecorder()
            for f in traffic.flows
            where adapters.endpoints[f.to].port == pi
                || (p.isUplink && adapters.endpoints[f.to].kind == .external && adapters.endpoints[f.to].switchIndex == p.switchIndex)
            {
                lat.add(f.latency)
            }
            if let l = latencySummary(lat, kind: .port, entity: p.name) { latencies.append(l) }
            let x = p.counters, y = b.ports[pi]
            m(.port, p.name, "in_packets", Double(x.inPackets - y.inPackets), "packets")
            m(.port, p.name, "out_packets", Double(x.outPackets - y.outPackets), "packets")
            m(.port, p.name, "in_bytes", Double(x.inBytes - y.inBytes), "bytes")
            m(.port, p.name, "out_bytes", Double(x.outBytes - y.outBytes), "bytes")
            m(.port, p.name, "in_rate", perSecond(Double(x.inPackets - y.inPackets)), "pps")
            m(.port, p.name, "out_rate", perSecond(Double(x.outPackets - y.outPackets)), "pps")
            m(.port, p.name, "drops", Double(x.drops - y.drops), "packets")
            for c in DropCause.allCases {
                let j = pi * DropCause.count + c.rawValue
                let d = accounting.portDrops[j] - b.portDrops[j]
                if d > 0 { m(.port, p.name, "drops.\(c.name)", Double(d), "packets") }
            }
        }
        var nicInterrupts = 0.0
        for (ni, n) in net.nics.enumerated() {
            let x = n.counters, y = b.nics[ni]
            let irq = Double(x.interrupts - y.interrupts)
            nicInterrupts += irq
            m(.nic, n.name, "tx_packets", Double(x.txPackets - y.txPackets), "packets")
            m(.nic, n.name, "tx_segments", Double(x.txSegments - y.txSegments), "frames")
            m(.nic, n.name, "rx_packets", Double(x.rxPackets - y.rxPackets), "packets")
            m(.nic, n.name, "tx_throughput", Double(x.txWireBytes - y.txWireBytes) * 8 / T / 1e9, "Gbps")
            m(.nic, n.name, "rx_throughput", Double(x.rxWireBytes - y.rxWireBytes) * 8 / T / 1e9, "Gbps")
            m(.nic, n.name, "tx_link_utilization", Double(x.txBusyPs - y.txBusyPs) / 1e12 / T * 100, "percent")
            m(.nic, n.name, "interrupts", irq, "interrupts")
            m(.nic, n.name, "interrupts_per_second", perSecond(irq), "interrupts/s")
            m(.nic, n.name, "packets_per_interrupt", ratio(Double(x.rxPackets - y.rxPackets), irq), "packets/interrupt")
        }
        for (qi, q) in net.queues.enumerated() {
            let irq = Double(q.interrupts - b.queues[qi].0), pk = Double(q.packets - b.queues[qi].1)
            m(.nic, q.name, "queue_packets", pk, "packets")
            m(.nic, q.name, "queue_interrupts", irq, "interrupts")
            m(.nic, q.name, "queue_core", Double(config.host.rootCores[q.core]), "core")
        }
        let allInterrupts = synInterrupts + emuInterrupts + nicInterrupts
        let exits = signals + synInterrupts + accesses
        m(.host, "host", "signals", signals, "signals")
        m(.host, "host", "signals_per_second", perSecond(signals), "signals/s")
        m(.host, "host", "signals_per_packet", ratio(signals, packetsDelivered), "signals/packet")
        m(.host, "host", "interrupts", allInterrupts, "interrupts")
        m(.host, "host", "interrupts_per_second", perSecond(allInterrupts), "interrupts/s")
        m(.host, "host", "interrupts_per_packet", ratio(allInterrupts, packetsDelivered), "interrupts/packet")
        m(.host, "host", "vm_exits", exits, "exits")
        m(.host, "host", "vm_exits_per_second", perSecond(exits), "exits/s")
        m(.host, "host", "vm_exits_per_packet", ratio(exits, packetsDelivered), "exits/packet")
        m(.host, "host", "emulated_register_accesses", accesses, "accesses")
        for cause in DropCause.allCases {
            m(.host, "host", "drops.\(cause.name)", Double(accounting.drops[cause.rawValue] - b.drops[cause.rawValue]), "packets")
        }

        // MARK: Flows
        for (i, f) in traffic.flows.enumerated() {
            let x = f.counters, y = b.flows[i]
            let dp = Double(x.deliveredPackets - y.deliveredPackets)
            let sent = Double(x.sentPackets - y.sentPackets)
            m(.flow, f.name, "goodput", Double(x.deliveredBytes - y.deliveredBytes) * 8 / T / 1e9, "Gbps")
            m(.flow, f.name, "packet_rate", perSecond(dp), "pps")
            m(.flow, f.name, "sent_packets", sent, "packets")
            m(.flow, f.name, "delivered_packets", dp, "packets")
            m(.flow, f.name, "drops", Double(x.drops - y.drops), "packets")
            for c in DropCause.allCases {
                let j = i * DropCause.count + c.rawValue
                let d = accounting.flowDrops[j] - b.flowDrops[j]
                if d > 0 { m(.flow, f.name, "drops.\(c.name)", Double(d), "packets") }
            }
            m(.flow, f.name, "loss_ratio", ratio(Double(x.drops - y.drops), sent), "fraction")
            m(.flow, f.name, "offered_messages", Double(x.messages - y.messages), "messages")
            let split = billed(accounting.flowCycles, b.flowCycles, i)
            let fc = split.reduce(0, +)
            let fb = Double(x.deliveredBytes - y.deliveredBytes)
            domainMetrics(.flow, f.name, split, packets: dp + Double(x.acks - y.acks))  // cycles_per_packet: all domains
            m(.flow, f.name, "cycles_per_byte", ratio(fc, fb), "cycles/byte")
            m(.flow, f.name, "cpu_cores", fc / (hz * T), "cores")
            if f.pattern == .bulk { m(.flow, f.name, "acks", Double(x.acks - y.acks), "packets") }
            if f.pattern == .requestResponse {
                let tr = Double(x.transactions - y.transactions)
                m(.flow, f.name, "transactions", tr, "transactions")
                m(.flow, f.name, "transaction_rate", perSecond(tr), "tps")
                m(.flow, f.name, "failed_transactions", Double(x.failedTransactions - y.failedTransactions), "transactions")
            }
            if let l = latencySummary(f.latency, kind: .flow, entity: f.name) { latencies.append(l) }
        }

        latencies.sort { ($0.kind, $0.entity) < ($1.kind, $1.entity) }
        metrics.sort { a, b in
            if a.kind != b.kind { return a.kind < b.kind }
            if a.entity != b.entity { return a.entity < b.entity }
            return a.metric < b.metric
        }
        var seriesOut: [TimeSeries] = []
        let dt = config.sampleInterval.seconds
        let start = b.time.seconds
        if let r = measurement.series.rootUtilization { seriesOut.append(r.timeSeries(rawInterval: dt, start: start)) }
        seriesOut += measurement.series.rootCoreUtilization.map { $0.timeSeries(rawInterval: dt, start: start) }
        if let h = measurement.series.hypervisorUtilization { seriesOut.append(h.timeSeries(rawInterval: dt, start: start)) }
        seriesOut += measurement.series.nicThroughput.map { $0.timeSeries(rawInterval: dt, start: start) }
        seriesOut += measurement.series.flowGoodput.map { $0.timeSeries(rawInterval: dt, start: start) }

        var notes = [
            "Costs are inputs (MODEL-REFERENCE.md §5, normalised to 3 GHz); throughput, CPU %, signals, interrupts and exits are results."
        ]
        notes.append(
            config.host.vcpuPlacement == .dedicated
                ? "Each vCPU is modelled as a dedicated server at the host clock (no contention with root cores or other vCPUs)."
                : "vCPUs share the non-root cores round-robin, queueing FIFO behind each other (no time slicing).")
        if !adapters.devices.isEmpty {
            notes.append(
                "Emulated-NIC costs rest on KVM/VMware analogs (MODEL-REFERENCE §4): no public Hyper-V legacy-adapter figures exist.")
        }
        let nonRoot = config.host.cores - cores.hosts[0].rootServers.count
        if config.host.vcpuPlacement == .dedicated && Int(vcpuCount) > nonRoot {
            notes.append(
                "The VMs have \(Int(vcpuCount)) vCPUs for \(nonRoot) non-root cores but vCPUs are dedicated servers (vcpu_placement: dedicated); use shared placement to model the contention."
            )
        }
        if stoppedEarly { notes.append("The run was stopped early at \(now) of \(config.duration): a partial report.") }
        if measurement.capturesDropped > 0 {
            notes.append("\(measurement.capturesDropped) captured frames beyond max_captured_frames were counted, not kept.")
        }
        let info = RunInfo(
            scenario: config.name, seed: config.seed, replication: config.replication, duration: now.seconds,
            warmup: measurement.warmup.seconds, events: k.processed, fingerprint: k.fingerprint.description,
            status: stoppedEarly ? .interrupted : .complete, requestedDuration: config.duration.seconds)
        let report = RunReport(
            info: info, metrics: metrics, latencies: latencies, series: seriesOut,
            conservation: conservation, notes: notes, costInputs: config.costInputs())
        return RunOutput(report: report, captures: measurement.captures, capturesDropped: measurement.capturesDropped)
    }

    func latencySummary(_ h: LatencyRecorder, kind: EntityKind, entity: String) -> LatencySummary? {
        guard h.total > 0 else { return nil }
        func us(_ v: UInt64) -> Double { Double(v) / 1_000 }
        // Every percent, then the tail: enough points for a smooth CDF plot (one pass over the histogram).
        let levels: [Double] = (0..<100).map(Double.init) + [99.5, 99.9, 99.99, 100]
        let v = h.values(atPercentiles: levels)
        let cdf = levels.indices.map { CDFPoint(latencyMicroseconds: us(v[$0]), fraction: levels[$0] / 100) }
        func at(_ p: Double) -> Double { us(v[levels.firstIndex(of: p)!]) }
        return LatencySummary(
            kind: kind, entity: entity, samples: h.total, minimum: us(h.minimum), mean: h.mean / 1_000,
            p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), maximum: us(h.maximum), cdf: cdf)
    }
}
