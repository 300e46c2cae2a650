import SimCore

// The VMBus data path of synthetic adapters: NetVSC writes into the send ring and signals
// only on an empty→non-empty transition while the VSP has not masked; NetVSP drains in
// passes of up to `batchPackets`, re-checks before unmasking, and wakes a writer blocked on
// a full ring. The receive ring works the same way host→guest with SynIC interrupts
// (MODEL-REFERENCE §1.2, §1.3).
extension HostSimulation {
    /// Guest side of a synthetic send: stack + NetVSC (+ copy into a send section) + ring write on the vCPU.
    /// Packets of one burst (`more` = xmit_more) are packed into one VMBus message of up to `batchPackets`
    /// packets, written (and signalled) once when the last of them is ready.
    @usableFromInline
    func sendSynthetic(_ p: UInt32, endpoint e: Int, flow f: Int, more: Bool, _ k: inout Kernel) {
        let ch = endpoints[e].firstChannel &+ f % endpoints[e].channelCount
        let v = channels[ch].vcpu
        if busyUntil(v).picoseconds - k.now.picoseconds > backlogLimit.picoseconds {
            drop(p, .socketBacklog, &k)
            if !more && channels[ch].assembling > 0 { closeMessage(ch, at: busyUntil(v), &k) }
            return
        }
        let frame = Int64(packets.frameBytes[Int(p)])
        let payload = Int64(packets.payloadBytes[Int(p)])
        let c = costBase[e]
        var cyc = guestStackCycles(v, endpoint: e, .guestStackTx, payload: payload)
        cyc &+= account(v, .vscTx, cycles(c, .vscTx, frame))
        if frame <= Int64(sendSection[e]) { cyc &+= account(v, .vscCopy, cycles(c, .vscCopy, frame)) }
        cyc &+= account(v, .ringWrite, cycles(c, .ringWrite, Int64(channels[ch].entry)))
        bill(p, .send, .guest, cyc)
        let t = occupy(v, cyc, at: k.now)
        setStage(p, .guestStack)
        channels[ch].staging.append(p)
        channels[ch].assembling &+= 1
        if !more || channels[ch].assembling >= batchLimit[e] { closeMessage(ch, at: t, &k) }
    }

    /// Closes the message being assembled; NetVSC writes it into the ring at `t`.
    @inline(__always)
    func closeMessage(_ ch: Int, at t: SimTime, _ k: inout Kernel) {
        channels[ch].messages.append(channels[ch].assembling)
        channels[ch].assembling = 0
        k.schedule(at: t, kind: EventKind.vscWrite.rawValue, target: UInt32(ch))
    }

    /// NetVSC writes the next message's packets into the send ring (one transition, so at most one
    /// signal per message), or queues them while the writer is blocked.
    @usableFromInline
    func vscWrite(_ ch: Int, _ k: inout Kernel) {
        let n = channels[ch].messages.removeFirst()
        channels[ch].counters.messages &+= 1
        for _ in 0..<n {
            let p = channels[ch].staging.removeFirst()
            if channels[ch].writerBlocked || !channels[ch].sendHasRoom {
                if channels[ch].guestQueue.count >= txQueueLimit[channels[ch].endpoint] {
                    drop(p, .guestTxQueueFull, &k); continue
                }
                channels[ch].guestQueue.append(p)
                channels[ch].writerBlocked = true
                setStage(p, .guestQueue)
                continue
            }
            sendRingPush(ch, p, &k)
        }
    }

    /// Appends to the send ring; signals the host on an empty→non-empty transition when unmasked.
    @inline(__always)
    func sendRingPush(_ ch: Int, _ p: UInt32, _ k: inout Kernel) {
        channels[ch].noteSend(k.now)
        let wasEmpty = channels[ch].sendRing.isEmpty
        channels[ch].sendRing.append(p)
        channels[ch].sendUsed &+= channels[ch].entry
        if channels[ch].sendUsed > channels[ch].counters.maxSendUsed { channels[ch].counters.maxSendUsed = channels[ch].sendUsed }
        channels[ch].counters.sendPackets &+= 1
        setStage(p, .sendRing)
        guard wasEmpty else { return }
        channels[ch].counters.sendTransitions &+= 1
        guard !channels[ch].sendMasked else { channels[ch].counters.maskedTransitions &+= 1; return }
        // HvSignalEvent: a fast hypercall exit on the vCPU, then the root wakes NetVSP.
        let c = costBase[channels[ch].endpoint]
        let v = channels[ch].vcpu, r = channels[ch].root
        let sc = cycles(c, .signalGuest, 0), wc = cycles(c, .signalRootWake, 0)
        bill(p, .send, .hypervisor, sc)
        bill(p, .send, .root, wc)
        _ = charge(v, .signalGuest, sc, at: k.now)
        let wake = charge(r, .signalRootWake, wc, at: k.now)
        channels[ch].counters.signals &+= 1
        channels[ch].sendMasked = true
        k.schedule(at: wake, kind: EventKind.vspDrain.rawValue, target: UInt32(ch))
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.vspDrain, ch)
        #endif
    }

    /// One NetVSP drain pass: up to `batchPackets` from the send ring, with all their root work
    /// (ring read, VSP, vSwitch and the destination's root-side stage) charged to the VSP's core.
    @usableFromInline
    func vspPass(_ ch: Int, _ k: inout Kernel) {
        let e = channels[ch].endpoint
        let r = channels[ch].root
        let c = costBase[e]
        let entry = Int64(channels[ch].entry)
        let section = Int64(sendSection[e])
        let limit = batchLimit[e]
        channels[ch].noteSend(k.now)
        var cyc: Int64 = 0
        var n = 0
        while n < limit, let p = channels[ch].sendRing.popFirst() {
            channels[ch].sendUsed &-= channels[ch].entry
            let frame = Int64(packets.frameBytes[Int(p)])
            var own = account(r, .ringRead, cycles(c, .ringRead, entry))
            own &+= account(r, .vspTx, cycles(c, .vspTx, frame))
            if frame <= section { own &+= account(r, .vspTxCopy, cycles(c, .vspTxCopy, frame)) }
            cyc &+= own &+ switchPathCycles(p, ingress: e, server: r, senderCycles: own)
            channels[ch].vspBatch.append(p)
            setStage(p, .vsp)
            n &+= 1
        }
        channels[ch].counters.drains &+= 1
        channels[ch].counters.drained &+= UInt64(n)
        let t = occupy(r, cyc, at: k.now)
        k.schedule(at: t, kind: EventKind.vspBatchDone.rawValue, target: UInt32(ch))
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.vspBatchDone, ch)
        #endif
        if channels[ch].writerBlocked && channels[ch].sendHasRoom { wakeWriter(ch, &k) }
    }

    /// The ring went from full to non-full under a blocked writer: the host interrupts the guest,
    /// which moves its queued packets into the ring (pending_send_sz protocol, §1.2). The interrupt is
    /// billed to the first packet it lets in.
    @usableFromInline
    func wakeWriter(_ ch: Int, _ k: inout Kernel) {
        let c = costBase[channels[ch].endpoint]
        let ic = cycles(c, .interruptInjection, 0)
        if let head = channels[ch].guestQueue.first { bill(head, .send, .hypervisor, ic) }
        _ = charge(channels[ch].vcpu, .interruptInjection, ic, at: k.now)
        channels[ch].counters.writerWakeups &+= 1
        while channels[ch].sendHasRoom, let p = channels[ch].guestQueue.popFirst() {
            sendRingPush(ch, p, &k)
        }
        if channels[ch].guestQueue.isEmpty { channels[ch].writerBlocked = false }
    }

    /// NetVSP finished a pass: forward its packets, then drain again or unmask.
    @usableFromInline
    func vspBatchDone(_ ch: Int, _ k: inout Kernel) {
        let e = channels[ch].endpoint
        while let p = channels[ch].vspBatch.popFirst() { forward(p, from: e, &k) }
        if channels[ch].sendRing.isEmpty {
            channels[ch].sendMasked = false  // re-checked empty before unmasking: the next write signals
        } else {
            vspPass(ch, &k)
        }
    }

    /// NetVSP (already charged) puts a received packet in the guest's receive ring, or in the port's
    /// egress queue while the ring is full.
    @usableFromInline
    func receiveSynthetic(_ p: UInt32, endpoint e: Int, port: Int, _ k: inout Kernel) {
        let f = Int(packets.flow[Int(p)])
        let ch = endpoints[e].firstChannel &+ f % endpoints[e].channelCount
        if channels[ch].receiveHasRoom && ports[port].egressQueue.isEmpty {
            receiveRingPush(ch, p, &k)
        } else if ports[port].egressQueue.count < ports[port].queueLimit {
            ports[port].egressQueue.append(p)
            setStage(p, .portQueue)
        } else {
            drop(p, .portQueueFull, port: port, &k)
        }
    }

    @inline(__always)
    func receiveRingPush(_ ch: Int, _ p: UInt32, _ k: inout Kernel) {
        channels[ch].noteReceive(k.now)
        let wasEmpty = channels[ch].receiveRing.isEmpty
        channels[ch].receiveRing.append(p)
        channels[ch].receiveUsed &+= channels[ch].entry
        if channels[ch].receiveUsed > channels[ch].counters.maxReceiveUsed {
            channels[ch].counters.maxReceiveUsed = channels[ch].receiveUsed
        }
        channels[ch].counters.receivePackets &+= 1
        setStage(p, .receiveRing)
        guard wasEmpty, !channels[ch].receiveMasked else { return }
        // SynIC interrupt (SINT2) injected into the guest.
        let c = costBase[channels[ch].endpoint]
        let ic = cycles(c, .interruptInjection, 0)
        bill(p, .receive, .hypervisor, ic)
        let t = charge(channels[ch].vcpu, .interruptInjection, ic, at: k.now)
        channels[ch].counters.interrupts &+= 1
        channels[ch].receiveMasked = true
        k.schedule(at: t, kind: EventKind.guestRxDrain.rawValue, target: UInt32(ch))
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.guestRxDrain, ch)
        #endif
    }

    /// One NetVSC receive pass on the vCPU: ring read + VSC + guest stack for up to `batchPackets`.
    @usableFromInline
    func guestPass(_ ch: Int, _ k: inout Kernel) {
        let e = channels[ch].endpoint
        let v = channels[ch].vcpu
        let c = costBase[e]
        let entry = Int64(channels[ch].entry)
        let limit = batchLimit[e]
        channels[ch].noteReceive(k.now)
        var cyc: Int64 = 0
        var n = 0
        while n < limit, let p = channels[ch].receiveRing.popFirst() {
            channels[ch].receiveUsed &-= channels[ch].entry
            let payload = Int64(packets.payloadBytes[Int(p)])
            let before = cyc
            cyc &+= account(v, .ringRead, cycles(c, .ringRead, entry))
            cyc &+= account(v, .vscRx, cycles(c, .vscRx, Int64(packets.frameBytes[Int(p)])))
            cyc &+= guestStackCycles(v, endpoint: e, .guestStackRx, payload: payload)
            bill(p, .receive, .guest, cyc &- before)
            channels[ch].guestBatch.append(p)
            setStage(p, .guestReceive)
            n &+= 1
        }
        // Frames the VSP held in the port queue move into the freed ring space.
        let port = endpoints[e].port
        while channels[ch].receiveHasRoom, let p = ports[port].egressQueue.popFirst() {
            receiveRingPush(ch, p, &k)
        }
        channels[ch].counters.guestDrains &+= 1
        channels[ch].counters.guestDrained &+= UInt64(n)
        let t = occupy(v, cyc, at: k.now)
        k.schedule(at: t, kind: EventKind.guestRxDone.rawValue, target: UInt32(ch))
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.guestRxDone, ch)
        #endif
    }

    @usableFromInline
    func guestRxDone(_ ch: Int, _ k: inout Kernel) {
        while let p = channels[ch].guestBatch.popFirst() { deliver(p, extraLatency: .zero, &k) }
        if channels[ch].receiveRing.isEmpty {
            channels[ch].receiveMasked = false
        } else {
            guestPass(ch, &k)
        }
    }
}
