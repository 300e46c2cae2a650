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
            guard let bytes = socketAdmits(f, ready: ready, &k) else { return }
            arm(f, after: bitsTime(bytes, f.rateBps), &k)
        case .poisson:
            guard socketAdmits(f, ready: ready, &k) != nil else { return }
            let mean = (f.sizeSampler?.distribution.mean ?? Double(f.fixedSize)) * 8 / f.rateBps
            arm(f, after: SampleBounds.time(seconds: f.interarrival!.exponential(mean: mean)), &k)
        case .onOff:
            if f.onUntil == .zero {
                f.onUntil = k.now.addingSaturated(SampleBounds.time(seconds: f.onSampler!.next()))  // the flow starts with an on period
            } else if k.now >= f.onUntil && !f.socketBlocked {
                // An off period, then a new on period.
                let off = SampleBounds.time(seconds: f.offSampler!.next())
                let on = SampleBounds.time(seconds: f.onSampler!.next())
                f.onUntil = k.now.addingSaturated(off + on)
                arm(f, after: off, &k)
                return
            }
            guard let bytes = socketAdmits(f, ready: ready, &k) else { return }
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

    /// An open-loop source offers its next message (or the one a blocking sender waited to send) to its socket:
    /// sent when the send buffer has room for its frames (or is empty: one message always fits), else a blocking
    /// sender sleeps (nil: no next offer is scheduled until `releaseSocket` wakes it) and a non-blocking one has it
    /// refused (`socket_buffer_full`). Returns the message's payload bytes when the source goes on offering.
    @inline(__always)
    func socketAdmits(_ f: FlowState, ready: Bool, _ k: inout Kernel) -> Int? {
        var bytes: Int
        if f.socketBlocked {
            bytes = f.pendingBytes
            f.socketBlocked = false
            f.counters.socketBlockedPs &+= k.now.picoseconds - f.blockedSince.picoseconds
        } else {
            bytes = messageBytes(f)
        }
        guard ready else { f.counters.unsentMessages &+= 1; return bytes }
        if f.socketUsed > 0 && f.socketUsed &+ messageFrameBytes(f, bytes) > f.socketLimit {
            if f.socketBlocking {
                f.socketBlocked = true
                f.pendingBytes = bytes
                f.blockedSince = k.now
                f.counters.socketBlocks &+= 1
                return nil
            }
            refuseMessage(f, bytes: bytes, &k)
            return bytes
        }
        emitMessage(f, from: f.from, to: f.to, bytes: bytes, flags: 0, &k)
        return bytes
    }

    /// The frame bytes a message of `bytes` payload puts into its sender's socket (as `emitMessage` cuts it).
    @inline(__always)
    func messageFrameBytes(_ f: FlowState, _ bytes: Int) -> Int64 {
        let seg = f.segmentBytes
        let full = bytes / seg, rest = bytes % seg
        var total = Int64(full) * Int64(Swift.max(seg + f.headerBytes + 4, 64))
        if rest > 0 { total &+= Int64(Swift.max(rest + f.headerBytes + 4, 64)) }
        return total
    }

    /// A non-blocking sender's message that its full socket refused (`EAGAIN`): its packets are made and dropped at
    /// the socket, so they count as offered and lost with their cause.
    func refuseMessage(_ f: FlowState, bytes: Int, _ k: inout Kernel) {
        f.counters.messages &+= 1
        var left = bytes
        while left > 0 {
            let n = Swift.min(left, f.segmentBytes)
            left -= n
            let p = allocatePacket(
                f, from: f.from, to: f.to, payload: n, flags: left == 0 ? PacketFlag.last : 0, sequence: f.nextSequence, k.now)
            f.nextSequence &+= UInt64(n)
            drop(p, .socketBufferFull, &k)
        }
    }

    /// Frees the socket space packet `p` holds, if it holds any (its adapter completed it, or it was dropped first).
    @inline(__always)
    func releaseSocket(_ p: PacketID, _ k: inout Kernel) {
        let fl = packets.flags[p.slot]
        guard fl & PacketFlag.socketCharged != 0 else { return }
        packets.flags[p.slot] = fl & ~PacketFlag.socketCharged
        releaseSocket(SocketCharge(flow: packets.flow[p.slot], bytes: packets.frameBytes[p.slot]), &k)
    }

    /// Frees `charge`'s bytes in its flow's socket; a sender asleep on the full buffer wakes (its timer fires at once,
    /// never re-entrantly) when its waiting message now fits.
    @usableFromInline
    func releaseSocket(_ charge: SocketCharge, _ k: inout Kernel) {
        let f = traffic.flows[FlowID(Int(charge.flow))]
        f.socketUsed &-= Int64(charge.bytes)
        guard f.socketBlocked, !f.timer.isArmed else { return }
        if f.socketUsed == 0 || f.socketUsed &+ messageFrameBytes(f, f.pendingBytes) <= f.socketLimit {
            if f.active && k.now < f.stop { arm(f, after: .zero, &k) }
        }
    }

    /// Moves packet `p`'s socket charge, if any, to an adapter that holds it until the guest learns of the
    /// completion; returns it (bytes 0: none).
    @inline(__always)
    func takeSocketCharge(_ p: PacketID) -> SocketCharge? {
        let fl = packets.flags[p.slot]
        guard fl & PacketFlag.socketCharged != 0 else { return nil }
        packets.flags[p.slot] = fl & ~PacketFlag.socketCharged
        return SocketCharge(flow: packets.flow[p.slot], bytes: packets.frameBytes[p.slot])
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
        var fl = flags
        if f.usesSocket && from == f.from {
            fl |= PacketFlag.socketCharged
            f.socketUsed &+= Int64(Swift.max(payload + f.headerBytes + 4, 64))
        }
        let p = allocatePacket(f, from: from, to: to, payload: payload, flags: fl, sequence: sequence, k.now)
        switch adapters.endpoints[from].kind {
        case .syntheticAdapter: sendSynthetic(p, endpoint: from, owner: OwnerID(f.id), more: more, &k)
        case .emulatedAdapter: sendEmulated(p, endpoint: from, &k)
        case .hostVNIC: sendHost(p, endpoint: from, owner: OwnerID(f.id), &k)
        case .external: sendExternal(p, nic: adapters.endpoints[from].nic, &k)
        case .networkServer: preconditionFailure("a flow never starts at a network's DHCP server")
        }
    }

    /// Makes one packet of flow `f` at `from` (counted as created and sent; not yet on any path).
    @inline(__always)
    func allocatePacket(
        _ f: FlowState, from: EndpointID, to: EndpointID, payload: Int, flags: UInt16, sequence: UInt64, _ now: SimTime
    ) -> PacketID {
        let frame = Swift.max(payload + f.headerBytes + 4, 64)
        let port = adapters.endpoints[from].port  // the uplink for the external peer
        let p = packets.allocate(
            frameBytes: UInt32(frame), payloadBytes: UInt32(payload), flow: f.id.target,
            source: from.target, destination: to.target, created: now,
            sequence: sequence, flags: flags,
            vlan: adapters.endpoints[from].kind == .external ? 0 : switching.ports[port].vlan, generation: switching.ports[port].generation
        )
        accounting.created &+= 1
        f.counters.sentPackets &+= 1
        f.counters.sentBytes &+= UInt64(payload)
        return p
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
