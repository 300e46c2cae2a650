import SimCore
import Stochastics

// Traffic sources and sinks: open-loop (constant, Poisson, on/off), request/response and
// closed-loop bulk flows with a window and ACKs on the reverse path.
extension HostSimulation {
    /// A flow's timer fired: offer the next message (or, for bulk, refill the window).
    @usableFromInline
    func flowGenerate(_ fi: FlowID, _ e: Event, _ k: inout Kernel) {
        let f = traffic.flows[fi]
        guard f.timer.fires(e), f.active else { return }
        if k.now >= f.stop { f.active = false; return }
        // Virtual Server: an end that cannot send (no adapter, VM stopped, no lease). Open-loop sources go on offering
        // (each offer counted, not sent); closed-loop ones wait until `refreshReady` resumes them.
        let ready = flowReady(f)
        switch f.pattern {
        case .constant:
            let bytes = messageBytes(f)
            if ready { emitMessage(f, from: f.from, to: f.to, bytes: bytes, flags: 0, &k) } else { f.counters.unsentMessages &+= 1 }
            arm(f, after: bitsTime(bytes, f.rateBps), &k)
        case .poisson:
            let bytes = messageBytes(f)
            if ready { emitMessage(f, from: f.from, to: f.to, bytes: bytes, flags: 0, &k) } else { f.counters.unsentMessages &+= 1 }
            let mean = (f.sizeSampler?.distribution.mean ?? Double(f.fixedSize)) * 8 / f.rateBps
            arm(f, after: SampleBounds.time(seconds: f.interarrival!.exponential(mean: mean)), &k)
        case .onOff:
            if f.onUntil == .zero {
                f.onUntil = k.now.addingSaturated(SampleBounds.time(seconds: f.onSampler!.next()))  // the flow starts with an on period
            } else if k.now >= f.onUntil {
                // An off period, then a new on period.
                let off = SampleBounds.time(seconds: f.offSampler!.next())
                let on = SampleBounds.time(seconds: f.onSampler!.next())
                f.onUntil = k.now.addingSaturated(off + on)
                arm(f, after: off, &k)
                return
            }
            let bytes = messageBytes(f)
            if ready { emitMessage(f, from: f.from, to: f.to, bytes: bytes, flags: 0, &k) } else { f.counters.unsentMessages &+= 1 }
            arm(f, after: bitsTime(bytes, f.rateBps), &k)
        case .requestResponse:
            guard ready else { return }
            f.requestStart = k.now
            f.transactionOpen = true
            emitMessage(f, from: f.from, to: f.to, bytes: messageBytes(f), flags: 0, &k)
        case .bulk:
            bulkSend(f, &k)
        }
    }

    @inline(__always)
    func arm(_ f: FlowState, after d: SimTime, _ k: inout Kernel) {
        f.timer.arm(
            at: k.now.addingSaturated(Swift.max(d, SimTime(picoseconds: 1))), kind: EventKind.flowGenerate.rawValue,
            target: f.id.target, in: &k)
    }

    /// At most 2^20 B × 8 / 1 b/s = 8.4·10^18 ps for a valid flow (sizes ≤ 1 MiB, rates ≥ 1 b/s): no overflow.
    @inline(__always)
    func bitsTime(_ bytes: Int, _ bps: Double) -> SimTime {
        SimTime(picoseconds: Int64((Double(bytes) * 8 / bps * 1e12).rounded()))
    }

    @inline(__always)
    func messageBytes(_ f: FlowState) -> Int {
        guard let s = f.sizeSampler else { return f.fixedSize }
        return SampleBounds.messageBytes(s.next())
    }

    /// Cuts a message into packets (MSS, or LSO super-segments when the sender offloads) and sends them.
    @usableFromInline
    func emitMessage(_ f: FlowState, from: EndpointID, to: EndpointID, bytes: Int, flags: UInt16, _ k: inout Kernel) {
        f.counters.messages &+= 1
        let seg = from == f.from ? f.segmentBytes : f.reverseSegmentBytes
        var left = bytes
        while left > 0 {
            let n = Swift.min(left, seg)
            left -= n
            var fl = flags
            if left == 0 { fl |= PacketFlag.last }
            if n > f.mss { fl |= PacketFlag.lso }
            emit(f, from: from, to: to, payload: n, flags: fl, sequence: f.nextSequence, more: left > 0, &k)
            f.nextSequence &+= UInt64(n)
        }
    }

    /// Creates one packet at `from` and starts it on the sender's path. `more` is the stack's `xmit_more`:
    /// another packet of the same burst follows at once (NetVSC may pack them into one VMBus message).
    @usableFromInline
    func emit(
        _ f: FlowState, from: EndpointID, to: EndpointID, payload: Int, flags: UInt16, sequence: UInt64, more: Bool = false,
        _ k: inout Kernel
    ) {
        let frame = Swift.max(payload + f.headerBytes + 4, 64)
        let port = adapters.endpoints[from].port  // the uplink for the external peer
        let p = packets.allocate(
            frameBytes: UInt32(frame), payloadBytes: UInt32(payload), flow: f.id.target,
            source: from.target, destination: to.target, created: k.now,
            sequence: sequence, flags: flags,
            vlan: adapters.endpoints[from].kind == .external ? 0 : switching.ports[port].vlan, generation: switching.ports[port].generation
        )
        accounting.created &+= 1
        f.counters.sentPackets &+= 1
        f.counters.sentBytes &+= UInt64(payload)
        switch adapters.endpoints[from].kind {
        case .syntheticAdapter: sendSynthetic(p, endpoint: from, owner: OwnerID(f.id), more: more, &k)
        case .emulatedAdapter: sendEmulated(p, endpoint: from, &k)
        case .hostVNIC: sendHost(p, endpoint: from, owner: OwnerID(f.id), &k)
        case .external: sendExternal(p, nic: adapters.endpoints[from].nic, &k)
        case .networkServer: preconditionFailure("a flow never starts at a network's DHCP server")
        }
    }

    /// Bulk: send while the window has room; the last packet of a burst carries PSH.
    @usableFromInline
    func bulkSend(_ f: FlowState, _ k: inout Kernel) {
        guard f.active, k.now < f.stop, flowReady(f) else { return }
        let seg = Int64(f.segmentBytes)
        // At most one window's worth of packets per call: a packet dropped on the spot (a full queue on the
        // sender's own path) frees its window space at once, and without this bound the loop would never end.
        // The drop arms the retransmission timer (`flowLost`), which sends the rest.
        var budget = Swift.max(1, f.window / seg)
        while f.sentBytes - f.ackedBytes - f.lostBytes + seg <= f.window && budget > 0 {
            budget -= 1
            f.sentBytes &+= seg
            let more = f.sentBytes - f.ackedBytes - f.lostBytes + seg <= f.window
            var fl: UInt16 = more ? 0 : PacketFlag.push
            if seg > Int64(f.mss) { fl |= PacketFlag.lso }
            emit(f, from: f.from, to: f.to, payload: Int(seg), flags: fl, sequence: UInt64(f.sentBytes), more: more, &k)
        }
    }

    /// A packet reached its destination endpoint (after `extraLatency` more on a wire).
    @usableFromInline
    func deliver(_ p: PacketID, extraLatency: SimTime, _ k: inout Kernel) {
        guard isFlowTraffic(p) else { controlDeliver(p, &k); return }
        let i = p.slot
        let f = traffic.flows[flow(of: p)]
        let flags = packets.flags[i]
        if flags & PacketFlag.ack != 0 {
            f.counters.acks &+= 1
            let acked = Int64(packets.sequence[i])
            finish(p)
            if acked > f.ackedBytes { f.ackedBytes = acked }
            bulkSend(f, &k)
            return
        }
        let payload = UInt64(packets.payloadBytes[i])
        f.counters.deliveredPackets &+= 1
        f.counters.deliveredBytes &+= payload
        f.counters.intervalBytes &+= payload
        if measurement.measuring && f.pattern != .requestResponse {
            let ns = UInt64(Swift.max((k.now.picoseconds + extraLatency.picoseconds - packets.created[i].picoseconds) / 1_000, 1))
            f.latency.record(ns)
            if k.now < measurement.midpoint { f.firstHalf.add(ns) } else { f.secondHalf.add(ns) }
        }
        switch f.pattern {
        case .bulk:
            f.receivedBytes &+= Int64(payload)
            f.packetsSinceAck &+= 1
            if f.packetsSinceAck >= f.ackEvery || flags & PacketFlag.push != 0 {
                f.packetsSinceAck = 0
                finish(p)
                emit(f, from: f.to, to: f.from, payload: 0, flags: PacketFlag.ack, sequence: UInt64(f.receivedBytes), &k)
                return
            }
        case .requestResponse:
            if flags & PacketFlag.last != 0 {
                if flags & PacketFlag.response != 0 {
                    finish(p)
                    completeTransaction(f, failed: false, &k)
                    return
                }
                finish(p)
                emitMessage(f, from: f.to, to: f.from, bytes: f.responseBytes, flags: PacketFlag.response, &k)
                return
            }
        default: break
        }
        finish(p)
    }

    @usableFromInline
    func completeTransaction(_ f: FlowState, failed: Bool, _ k: inout Kernel) {
        guard f.transactionOpen else { return }
        f.transactionOpen = false
        if failed {
            f.counters.failedTransactions &+= 1
        } else {
            f.counters.transactions &+= 1
            if measurement.measuring {
                let ns = UInt64(Swift.max((k.now.picoseconds - f.requestStart.picoseconds) / 1_000, 1))
                f.latency.record(ns)
                if k.now < measurement.midpoint { f.firstHalf.add(ns) } else { f.secondHalf.add(ns) }
            }
        }
        guard f.active, k.now < f.stop else { return }
        let think = SampleBounds.time(seconds: f.thinkSampler?.next() ?? 0)
        arm(f, after: think, &k)
    }

    /// A flow's packet was dropped: closed-loop flows learn it at once (idealized loss detection).
    @usableFromInline
    func flowLost(_ f: FlowState, _ p: PacketID, _ k: inout Kernel) {
        let i = p.slot
        switch f.pattern {
        case .bulk:
            if packets.flags[i] & PacketFlag.ack != 0 {
                // Cumulative ACKs: a later one would carry the same news.
                let acked = Int64(packets.sequence[i])
                if acked > f.ackedBytes { f.ackedBytes = acked }
            } else {
                f.lostBytes &+= Int64(packets.payloadBytes[i])
            }
            // Retransmission after a short timeout, never synchronously (no re-entrant sends).
            if !f.timer.isArmed && f.active { arm(f, after: .microseconds(200), &k) }
        case .requestResponse:
            if packets.flags[i] & PacketFlag.last != 0 && f.transactionOpen {
                f.transactionOpen = false
                f.counters.failedTransactions &+= 1
                if f.active && k.now < f.stop { arm(f, after: .microseconds(200), &k) }
            }
        default: break
        }
    }
}
