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
        var total = Int64(full) * Int64(EthernetFraming.frameBytes(payload: seg, headerBytes: f.headerBytes))
        if rest > 0 { total &+= Int64(EthernetFraming.frameBytes(payload: rest, headerBytes: f.headerBytes)) }
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
            f.socketUsed &+= Int64(EthernetFraming.frameBytes(payload: payload, headerBytes: f.headerBytes))
        }
        let p = allocatePacket(f, from: from, to: to, payload: payload, flags: fl, sequence: sequence, k.now)
        switch adapters.endpoints[from].kind {
        case .syntheticAdapter:
            if _slowPath(sendsThroughVF(from, flags: fl)) {
                sendVF(p, endpoint: from, &k)  // SR-IOV: the VF datapath, no VMBus
            } else {
                sendSynthetic(p, endpoint: from, more: more, &k)
            }
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
        let frame = EthernetFraming.frameBytes(payload: payload, headerBytes: f.headerBytes)
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

    /// Bulk: every stream sends what its congestion and receive windows allow.
    @usableFromInline
    func bulkSend(_ f: FlowState, _ k: inout Kernel) {
        for s in 0..<f.senders.count { bulkSend(f, stream: s, &k) }
    }

    /// One stream sends what its windows allow (retransmissions first), each packet but the last of the burst marked
    /// `more` (NetVSC packs a burst into VMBus messages); then its retransmission timer is made to match.
    ///
    /// The sender's segments are MSS-sized; consecutive new ones are joined into one packet of up to the flow's
    /// `segmentBytes` — an LSO super-segment when the sender offloads, as a TSO stack hands its NIC as much of the
    /// window as it may send (Linux's `tcp_tso_autosize`). A retransmission goes alone, one MSS.
    @usableFromInline
    func bulkSend(_ f: FlowState, stream s: Int, _ k: inout Kernel) {
        guard f.active, k.now < f.stop, flowReady(f) else { return }
        var next = f.senders[s].nextSegment(now: k.now)
        while let first = next {
            var length = first.length
            next = f.senders[s].nextSegment(now: k.now)
            if !first.isRetransmission {
                while let n = next, !n.isRetransmission, n.sequence == first.sequence &+ UInt64(length),
                    length &+ n.length <= f.segmentBytes
                {
                    length &+= n.length
                    next = f.senders[s].nextSegment(now: k.now)
                }
            }
            var fl: UInt16 = next == nil ? PacketFlag.push : 0
            if length > f.mss { fl |= PacketFlag.lso }
            emit(
                f, from: f.from, to: f.to, payload: length, flags: fl, sequence: TCPWire.pack(stream: s, offset: first.sequence),
                more: next != nil, &k)
        }
        armRetransmit(f, stream: s, &k)
    }

    /// Keeps one retransmission-timer event outstanding at or before the sender's deadline (an ACK that moves the
    /// deadline later needs no new event: the early one finds the timer not due and re-arms).
    @inline(__always)
    func armRetransmit(_ f: FlowState, stream s: Int, _ k: inout Kernel) {
        guard let d = f.senders[s].rtoDeadline, d < f.rtoEventAt[s] else { return }
        f.rtoEventAt[s] = d
        k.schedule(at: d, kind: EventKind.tcpRetransmit.rawValue, target: UInt32(f.firstStream &+ s))
    }

    /// A stream's retransmission timer: if it is due, the sender goes back to its first unacknowledged byte with a
    /// window of one segment (RFC 5681 §3.1, RFC 6298 §5) and sends.
    func tcpRetransmitTimer(_ stream: Int, _ k: inout Kernel) {
        let f = traffic.flows[traffic.streamFlows[stream]]
        let s = stream &- f.firstStream
        if k.now >= f.rtoEventAt[s] { f.rtoEventAt[s] = .never }
        if f.senders[s].onTimeout(now: k.now) {
            bulkSend(f, stream: s, &k)
        }
        armRetransmit(f, stream: s, &k)
    }

    /// A stream's delayed-ACK timer at its receiver: the ACK owed, if it is due; else the timer follows the receiver's
    /// current deadline.
    func tcpDelayedACKTimer(_ stream: Int, _ k: inout Kernel) {
        let f = traffic.flows[traffic.streamFlows[stream]]
        let s = stream &- f.firstStream
        if k.now >= f.ackEventAt[s] { f.ackEventAt[s] = .never }
        if let ack = f.receivers[s].onDelayedACKTimer(now: k.now) { sendACK(f, stream: s, ack, &k) }
        armDelayedACK(f, stream: s, &k)
    }

    @inline(__always)
    func armDelayedACK(_ f: FlowState, stream s: Int, _ k: inout Kernel) {
        guard let d = f.receivers[s].delayedACKDeadline, d < f.ackEventAt[s] else { return }
        f.ackEventAt[s] = d
        k.schedule(at: d, kind: EventKind.tcpDelayedACK.rawValue, target: UInt32(f.firstStream &+ s))
    }

    /// The receiver of stream `s` acknowledges everything before `ack`: a 64-B frame back to the sender.
    @inline(__always)
    func sendACK(_ f: FlowState, stream s: Int, _ ack: UInt64, _ k: inout Kernel) {
        emit(f, from: f.to, to: f.from, payload: 0, flags: PacketFlag.ack, sequence: TCPWire.pack(stream: s, offset: ack), &k)
    }

    /// The senders' TCP counters, summed over the streams, into the flow's counters (before a snapshot and at the end).
    func syncTCPCounters() {
        for f in traffic.flows where !f.senders.isEmpty {
            var c = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            for s in f.senders.indices {
                let x = f.senders[s].counters
                c.0 &+= UInt64(x.retransmissions); c.1 &+= UInt64(x.timeouts)
                c.2 &+= UInt64(x.fastRetransmits); c.3 &+= UInt64(x.recoveries)
            }
            (f.counters.retransmissions, f.counters.timeouts, f.counters.fastRetransmits, f.counters.recoveries) = c
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
            let seq = packets.sequence[i]
            finish(p)
            let s = TCPWire.stream(seq)
            _ = f.senders[s].onACK(TCPWire.offset(seq), now: k.now)
            bulkSend(f, stream: s, &k)
            return
        }
        var payload = UInt64(packets.payloadBytes[i])
        f.counters.deliveredPackets &+= 1 &+ UInt64(packets.merged[i])  // with the segments RSC merged into it
        if f.pattern == .bulk {
            // Goodput counts each byte once, when it first arrives (in order or held for reassembly): duplicates
            // (a retransmission of what had arrived) are not goodput, and a hole's filling does not release a burst
            // of bytes that crossed the link earlier (which could exceed the link's rate in a window).
            let seq = packets.sequence[i]
            let s = TCPWire.stream(seq)
            let before = f.receivers[s].receivedBytes
            let decision = f.receivers[s].onSegment(sequence: TCPWire.offset(seq), length: Int(payload), now: k.now)
            payload = UInt64(f.receivers[s].receivedBytes &- before)
            recordLatency(f, p, extraLatency: extraLatency, k.now)
            finish(p)
            f.counters.deliveredBytes &+= payload
            f.counters.intervalBytes &+= payload
            switch decision {
            case .none: break
            case .now(let ack): sendACK(f, stream: s, ack, &k)
            case .delayed: armDelayedACK(f, stream: s, &k)
            }
            return
        }
        f.counters.deliveredBytes &+= payload
        f.counters.intervalBytes &+= payload
        if f.pattern != .requestResponse { recordLatency(f, p, extraLatency: extraLatency, k.now) }
        switch f.pattern {
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

    /// A delivered data packet's one-way latency into its flow's histogram and window halves (measured window only).
    @inline(__always)
    func recordLatency(_ f: FlowState, _ p: PacketID, extraLatency: SimTime, _ now: SimTime) {
        guard measurement.measuring else { return }
        let ns = UInt64(Swift.max((now.picoseconds + extraLatency.picoseconds - packets.created[p.slot].picoseconds) / 1_000, 1))
        f.latency.record(ns)
        if now < measurement.midpoint { f.firstHalf.add(ns) } else { f.secondHalf.add(ns) }
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

    /// A flow's packet was dropped: a request/response flow's transaction fails at once (its client learns of the
    /// loss: idealized); a bulk flow's TCP learns of it by duplicate ACKs or a timeout.
    @usableFromInline
    func flowLost(_ f: FlowState, _ p: PacketID, _ k: inout Kernel) {
        let i = p.slot
        switch f.pattern {
        case .bulk:
            break  // TCP finds the loss itself: duplicate ACKs or its retransmission timeout
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
