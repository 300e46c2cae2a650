import SimCore

// The VMBus data path of synthetic adapters: NetVSC writes into the send ring and signals
// only on an empty→non-empty transition while the VSP has not masked; NetVSP drains in
// DPCs of passes of up to `batchPackets`, each DPC ended by an empty ring, its packet quota
// or its cycle budget (`VMBusDrainConfig`), re-checks before unmasking (and queues a new DPC
// when the re-check finds packets), and wakes a writer blocked on a full ring. The receive
// ring works the same way host→guest with SynIC interrupts (MODEL-REFERENCE §1.2, §1.3).
extension HostSimulation {
    /// Guest side of a synthetic send: stack + NetVSC (+ copy into a send section) + ring write on the vCPU.
    /// Packets of one burst (`more` = xmit_more) are packed into one VMBus message of up to `batchPackets`
    /// packets, written (and signalled) once when the last of them is ready.
    @usableFromInline
    func sendSynthetic(_ p: PacketID, endpoint e: EndpointID, more: Bool, _ k: inout Kernel) {
        let ch = sendChannel(p, endpoint: e)
        let v = vmbus.channels[ch].vcpu
        if busyUntil(v).picoseconds - k.now.picoseconds > traffic.backlogLimit.picoseconds {
            drop(p, .socketBacklog, &k)
            if !more && vmbus.channels[ch].assembling > 0 { closeMessage(ch, at: busyUntil(v), &k) }
            return
        }
        let frame = Int64(packets.frameBytes[p.slot])
        let payload = Int64(packets.payloadBytes[p.slot])
        let c = costs.base[e]
        var cyc = guestStackCycles(v, endpoint: e, .guestStackTx, payload: payload)
        cyc &+= account(v, .vscTx, cycles(c, .vscTx, frame))
        if frame <= Int64(adapters.settings[e].sendSectionBytes) { cyc &+= account(v, .vscCopy, cycles(c, .vscCopy, frame)) }
        cyc &+= account(v, .ringWrite, cycles(c, .ringWrite, Int64(vmbus.channels[ch].entry)))
        bill(p, .send, .guest, cyc)
        let t = occupy(v, cyc, at: k.now)
        setStage(p, .guestStack)
        vmbus.channels[ch].staging.append(p)
        vmbus.channels[ch].assembling &+= 1
        if !more || vmbus.channels[ch].assembling >= adapters.settings[e].batchPackets { closeMessage(ch, at: t, &k) }
    }

    /// Closes the message being assembled; NetVSC writes it into the ring at `t`.
    @inline(__always)
    func closeMessage(_ ch: ChannelID, at t: SimTime, _ k: inout Kernel) {
        vmbus.channels[ch].messages.append(vmbus.channels[ch].assembling)
        vmbus.channels[ch].assembling = 0
        k.schedule(at: t, kind: EventKind.vscWrite.rawValue, target: ch.target)
    }

    /// NetVSC writes the next message's packets into the send ring (one transition, so at most one
    /// signal per message), or queues them while the writer is blocked.
    @usableFromInline
    func vscWrite(_ ch: ChannelID, _ k: inout Kernel) {
        let n = vmbus.channels[ch].messages.removeFirst()
        var written = 0
        var last = PacketID(0)
        for _ in 0..<n {
            let p = vmbus.channels[ch].staging.removeFirst()
            if vmbus.channels[ch].writerBlocked || !vmbus.channels[ch].sendHasRoom {
                if vmbus.channels[ch].guestQueue.count >= adapters.settings[vmbus.channels[ch].endpoint].txQueuePackets {
                    drop(p, .guestTxQueueFull, &k); continue
                }
                vmbus.channels[ch].guestQueue.append(p)
                vmbus.channels[ch].writerBlocked = true
                setStage(p, .guestQueue)
                continue
            }
            sendRingPush(ch, p, &k)
            written &+= 1
            last = p
        }
        // A message is what one write put into the ring: none if every packet was queued or dropped (the queued
        // ones go in later, in the write after the wake-up), so packets per message is never below 1.
        if written > 0 {
            vmbus.channels[ch].counters.messages &+= 1
            packets.flags[last.slot] |= PacketFlag.messageEnd
        }
    }

    /// Appends to the send ring; signals the host on an empty→non-empty transition when unmasked.
    @inline(__always)
    func sendRingPush(_ ch: ChannelID, _ p: PacketID, _ k: inout Kernel) {
        vmbus.channels[ch].noteSend(k.now)
        let wasEmpty = vmbus.channels[ch].sendRing.isEmpty
        vmbus.channels[ch].sendRing.append(p)
        vmbus.channels[ch].sendUsed &+= vmbus.channels[ch].entry
        if vmbus.channels[ch].sendUsed > vmbus.channels[ch].counters.maxSendUsed {
            vmbus.channels[ch].counters.maxSendUsed = vmbus.channels[ch].sendUsed
        }
        vmbus.channels[ch].counters.sendPackets &+= 1
        setStage(p, .sendRing)
        guard wasEmpty else { return }
        vmbus.channels[ch].counters.sendTransitions &+= 1
        guard !vmbus.channels[ch].sendMasked else { vmbus.channels[ch].counters.maskedTransitions &+= 1; return }
        // HvSignalEvent: a fast hypercall exit on the vCPU, then the root wakes NetVSP.
        let c = costs.base[vmbus.channels[ch].endpoint]
        let v = vmbus.channels[ch].vcpu, r = vmbus.channels[ch].root
        let sc = cycles(c, .signalGuest, 0), wc = cycles(c, .signalRootWake, 0)
        bill(p, .send, .hypervisor, sc)
        bill(p, .send, .root, wc)
        _ = charge(v, .signalGuest, sc, at: k.now)
        _ = charge(r, .signalRootWake, wc, at: k.now)
        vmbus.channels[ch].counters.signals &+= 1
        vmbus.channels[ch].sendMasked = true
        queueDrainDPC(ch, billing: p, &k)
    }

    /// Queues a NetVSP drain DPC for channel `ch` (its reader already masked): the `vsp_dpc` dispatch on the VSP's core,
    /// billed to `p` (the packet at the ring's head), after the work already queued there (the core's FIFO), then the
    /// DPC's first pass (`vspDrain`). The DPC starts with no packets taken and no cycles charged.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    func queueDrainDPC(_ ch: ChannelID, billing p: PacketID, _ k: inout Kernel) {
        let dc = cycles(costs.base[vmbus.channels[ch].endpoint], .vspDPC, 0)
        bill(p, .send, .root, dc)
        let start = charge(vmbus.channels[ch].root, .vspDPC, dc, at: k.now)
        vmbus.channels[ch].dpcPackets = 0
        vmbus.channels[ch].dpcCycles = 0
        vmbus.channels[ch].counters.vspDPCs &+= 1
        k.schedule(at: start, kind: EventKind.vspDrain.rawValue, target: ch.target)
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.vspDrain, ch)
        #endif
    }

    /// One NetVSP drain pass of the running DPC: up to `batchPackets` from the send ring (fewer if the DPC's packet
    /// quota is nearer), with all their root work (ring read, VSP, vSwitch and the destination's root-side stage)
    /// charged to the VSP's core and counted against the DPC's cycle budget.
    @usableFromInline
    func vspPass(_ ch: ChannelID, _ k: inout Kernel) {
        let e = vmbus.channels[ch].endpoint
        let r = vmbus.channels[ch].root
        let c = costs.base[e]
        let entry = Int64(vmbus.channels[ch].entry)
        let section = Int64(adapters.settings[e].sendSectionBytes)
        let limit = Swift.min(adapters.settings[e].batchPackets, vmbus.drain.packetQuota &- vmbus.channels[ch].dpcPackets)
        vmbus.channels[ch].noteSend(k.now)
        var cyc: Int64 = 0
        var n = 0
        while n < limit, let p = vmbus.channels[ch].sendRing.popFirst() {
            vmbus.channels[ch].sendUsed &-= vmbus.channels[ch].entry
            let frame = Int64(packets.frameBytes[p.slot])
            var own = account(r, .ringRead, cycles(c, .ringRead, entry))
            own &+= account(r, .vspTx, cycles(c, .vspTx, frame))
            if frame <= section { own &+= account(r, .vspTxCopy, cycles(c, .vspTxCopy, frame)) }
            cyc &+= own &+ switchPathCycles(p, ingress: e, server: r, now: k.now, senderCycles: own)
            vmbus.channels[ch].vspBatch.append(p)
            setStage(p, .vsp)
            n &+= 1
            // NetVSP owes the guest a completion for each message it takes; the packets' socket space is freed when
            // the guest processes it.
            if let charge = takeSocketCharge(p) {
                vmbus.channels[ch].completionCharges.append(charge)
                vmbus.channels[ch].chargesUnwritten &+= 1
            }
            let fl = packets.flags[p.slot]
            if fl & PacketFlag.messageEnd != 0 {
                packets.flags[p.slot] = fl & ~PacketFlag.messageEnd
                vmbus.channels[ch].completionOwners.append(packets.flow[p.slot])
                vmbus.channels[ch].completionsUnwritten &+= 1
            }
        }
        vmbus.channels[ch].counters.drains &+= 1
        vmbus.channels[ch].counters.drained &+= UInt64(n)
        vmbus.channels[ch].dpcPackets &+= n
        vmbus.channels[ch].dpcCycles &+= cyc
        let t = occupy(r, cyc, at: k.now)
        k.schedule(at: t, kind: EventKind.vspBatchDone.rawValue, target: ch.target)
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.vspBatchDone, ch)
        #endif
        if vmbus.channels[ch].writerBlocked && vmbus.channels[ch].sendHasRoom { wakeWriter(ch, &k) }
    }

    /// The ring went from full to non-full under a blocked writer: the host interrupts the guest,
    /// which moves its queued packets into the ring (pending_send_sz protocol, §1.2). The interrupt is
    /// billed to the first packet it lets in.
    @usableFromInline
    func wakeWriter(_ ch: ChannelID, _ k: inout Kernel) {
        let c = costs.base[vmbus.channels[ch].endpoint]
        let ic = cycles(c, .interruptInjection, 0)
        if let head = vmbus.channels[ch].guestQueue.first { bill(head, .send, .hypervisor, ic) }
        _ = charge(vmbus.channels[ch].vcpu, .interruptInjection, ic, at: k.now)
        vmbus.channels[ch].counters.writerWakeups &+= 1
        // The queued packets go in as messages of up to batchPackets each.
        let batch = adapters.settings[vmbus.channels[ch].endpoint].batchPackets
        var written = 0
        while vmbus.channels[ch].sendHasRoom, let p = vmbus.channels[ch].guestQueue.popFirst() {
            sendRingPush(ch, p, &k)
            written &+= 1
            let ends = written % batch == 0 || vmbus.channels[ch].guestQueue.isEmpty || !vmbus.channels[ch].sendHasRoom
            if ends { packets.flags[p.slot] |= PacketFlag.messageEnd }
        }
        vmbus.channels[ch].counters.messages &+= UInt64((written + batch - 1) / batch)
        if vmbus.channels[ch].guestQueue.isEmpty { vmbus.channels[ch].writerBlocked = false }
    }

    /// NetVSP finished a pass: write its completions, forward its packets, then end the DPC or run its next pass.
    ///
    /// The DPC goes on while the ring holds packets and neither its packet quota nor its cycle budget is reached
    /// (`VMBusDrainConfig`). Ending, it unmasks and re-checks the ring: empty, it stays unmasked (the next write
    /// signals); not empty (the DPC stopped at its quota or budget), it masks again and queues a new DPC behind the
    /// work already queued on its core — the ring's packets wait for it, and a new write into the non-empty ring needs
    /// no signal. Each such end counts as a quota hit (the quota reached) or else a budget hit.
    @usableFromInline
    func vspBatchDone(_ ch: ChannelID, _ k: inout Kernel) {
        let e = vmbus.channels[ch].endpoint
        if vmbus.channels[ch].completionsUnwritten > 0 || vmbus.channels[ch].chargesUnwritten > 0 {
            vmbus.channels[ch].dpcCycles &+= writeCompletions(ch, &k)
        }
        while let p = vmbus.channels[ch].vspBatch.popFirst() { forward(p, from: e, &k) }
        guard let head = vmbus.channels[ch].sendRing.first else {
            vmbus.channels[ch].sendMasked = false  // re-checked empty before unmasking: the next write signals
            return
        }
        let quotaHit = vmbus.channels[ch].dpcPackets >= vmbus.drain.packetQuota
        if !quotaHit && vmbus.channels[ch].dpcCycles < vmbus.drain.cycleBudget.count {
            vspPass(ch, &k)
            return
        }
        if quotaHit { vmbus.channels[ch].counters.vspQuotaHits &+= 1 } else { vmbus.channels[ch].counters.vspBudgetHits &+= 1 }
        // Unmask, re-check: the ring holds packets (only NetVSP reads it), so mask again and queue the next DPC.
        queueDrainDPC(ch, billing: head, &k)
    }

    /// The guest returns a completion for each packet of its receive pass, written together at the pass's end (Linux
    /// netvsc's `multi_recv_comp`): `ring_write` of `Channel.completionBytes` each on the vCPU, and — the write being
    /// an ordinary VMBus write — a signal when the send ring was empty and NetVSP not draining (§1.2). NetVSP reads
    /// each (`ring_read`) and re-posts its receive-buffer section (`receive_buffer_repost`) on its core. Each packet
    /// is billed its own completion; the signal, its first packet.
    ///
    /// Simplified: the completions take no send-ring space and are read at once (the host's drain is not modelled
    /// for them), so they never delay or block the guest's sends.
    @usableFromInline
    func returnReceiveCompletions(_ ch: ChannelID, _ k: inout Kernel) {
        let e = vmbus.channels[ch].endpoint
        let c = costs.base[e]
        let v = vmbus.channels[ch].vcpu, r = vmbus.channels[ch].root
        let n = vmbus.channels[ch].guestBatch.count
        let write = cycles(c, .ringWrite, Int64(Channel.completionBytes))
        let read = cycles(c, .ringRead, Int64(Channel.completionBytes))
        let repost = cycles(c, .receiveBufferRepost, 0)
        for i in 0..<n {
            let p = vmbus.channels[ch].guestBatch[i]
            bill(p, .receive, .guest, write)
            bill(p, .receive, .root, read &+ repost)
        }
        _ = charge(v, .ringWrite, Int64(n) &* write, at: k.now)
        _ = account(r, .ringRead, Int64(n) &* read)
        var host = account(r, .receiveBufferRepost, Int64(n) &* repost) &+ Int64(n) &* read
        vmbus.channels[ch].counters.receiveCompletions &+= UInt64(n)
        if vmbus.channels[ch].sendRing.isEmpty && !vmbus.channels[ch].sendMasked {
            let sc = cycles(c, .signalGuest, 0), wc = cycles(c, .signalRootWake, 0)
            let head = vmbus.channels[ch].guestBatch[0]
            bill(head, .receive, .hypervisor, sc)
            bill(head, .receive, .root, wc)
            _ = charge(v, .signalGuest, sc, at: k.now)
            host &+= account(r, .signalRootWake, wc)
            vmbus.channels[ch].counters.signals &+= 1
        }
        _ = occupy(r, host, at: k.now)
    }

    /// NetVSP completes the messages of its pass: a VM_PKT_COMP each into the guest's receive ring (`ring_write` of
    /// `Channel.completionBytes` on the VSP's core, billed to the message's owner), with a SynIC interrupt when the ring
    /// was empty and the guest not masked — as Linux netvsc receives them (`netvsc_send_completion`, §1.2).
    ///
    /// Completions are never refused for want of ring space (the host reserves room for them; not modelled).
    /// Returns the root cycles charged.
    @usableFromInline @discardableResult
    func writeCompletions(_ ch: ChannelID, _ k: inout Kernel) -> Int64 {
        let e = vmbus.channels[ch].endpoint
        let r = vmbus.channels[ch].root
        let c = costs.base[e]
        let n = vmbus.channels[ch].completionsUnwritten
        let first = vmbus.channels[ch].completionOwners.count &- n
        let each = cycles(c, .ringWrite, Int64(Channel.completionBytes))
        for i in 0..<n {
            billOwner(vmbus.channels[ch].completionOwners[first &+ i], adapter: e, .root, each)
        }
        let total = Int64(n) &* each
        _ = charge(r, .ringWrite, total, at: k.now)
        let wasEmpty = !vmbus.channels[ch].receivePending
        vmbus.channels[ch].noteReceive(k.now)
        vmbus.channels[ch].completionsInRing &+= n
        vmbus.channels[ch].chargesInRing &+= vmbus.channels[ch].chargesUnwritten
        vmbus.channels[ch].completionsUnwritten = 0
        vmbus.channels[ch].chargesUnwritten = 0
        vmbus.channels[ch].counters.sendCompletions &+= UInt64(n)
        guard wasEmpty, vmbus.channels[ch].receivePending, !vmbus.channels[ch].receiveMasked else { return total }
        billOwner(vmbus.channels[ch].completionOwners[first], adapter: e, .hypervisor, interruptGuest(ch, &k))
        return total
    }

    /// A SynIC interrupt (SINT2) into the guest for channel `ch`'s receive ring: the injection on the vCPU, then the
    /// guest masks and drains. Returns the injection's cycles, for the caller to bill.
    @inline(__always)
    func interruptGuest(_ ch: ChannelID, _ k: inout Kernel) -> Int64 {
        let ic = cycles(costs.base[vmbus.channels[ch].endpoint], .interruptInjection, 0)
        let t = charge(vmbus.channels[ch].vcpu, .interruptInjection, ic, at: k.now)
        vmbus.channels[ch].counters.interrupts &+= 1
        vmbus.channels[ch].receiveMasked = true
        k.schedule(at: t, kind: EventKind.guestRxDrain.rawValue, target: ch.target)
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.guestRxDrain, ch)
        #endif
        return ic
    }

    /// NetVSP (already charged) puts a received packet in the receive ring of the channel its RSS hash picks (vRSS,
    /// `receiveChannel`), or in that channel's egress queue while the ring is full.
    @usableFromInline
    func receiveSynthetic(_ p: PacketID, endpoint e: EndpointID, port: PortID, _ k: inout Kernel) {
        let ch = receiveChannel(p, endpoint: e)
        if vmbus.channels[ch].receiveHasRoom && vmbus.channels[ch].egressQueue.isEmpty {
            receiveRingPush(ch, p, &k)
        } else if vmbus.channels[ch].egressQueue.count < switching.ports[port].queueLimit {
            vmbus.channels[ch].egressQueue.append(p)
            setStage(p, .portQueue)
        } else {
            drop(p, .portQueueFull, port: port, &k)
        }
    }

    @inline(__always)
    func receiveRingPush(_ ch: ChannelID, _ p: PacketID, _ k: inout Kernel) {
        vmbus.channels[ch].noteReceive(k.now)
        let wasEmpty = !vmbus.channels[ch].receivePending
        vmbus.channels[ch].receiveRing.append(p)
        vmbus.channels[ch].receiveUsed &+= vmbus.channels[ch].entry
        if vmbus.channels[ch].receiveUsed > vmbus.channels[ch].counters.maxReceiveUsed {
            vmbus.channels[ch].counters.maxReceiveUsed = vmbus.channels[ch].receiveUsed
        }
        vmbus.channels[ch].counters.receivePackets &+= 1
        setStage(p, .receiveRing)
        guard wasEmpty, !vmbus.channels[ch].receiveMasked else { return }
        bill(p, .receive, .hypervisor, interruptGuest(ch, &k))
    }

    /// One NetVSC receive pass on the vCPU: ring read + VSC + guest stack for up to `batchPackets`.
    @usableFromInline
    func guestPass(_ ch: ChannelID, _ k: inout Kernel) {
        let e = vmbus.channels[ch].endpoint
        let v = vmbus.channels[ch].vcpu
        let c = costs.base[e]
        let entry = Int64(vmbus.channels[ch].entry)
        let limit = adapters.settings[e].batchPackets
        vmbus.channels[ch].noteReceive(k.now)
        var cyc: Int64 = 0
        // Send completions first (netvsc_poll takes the ring in order; they are small and few), each billed to its
        // message's owner.
        let m = vmbus.channels[ch].completionsInRing
        if m > 0 {
            let each = cycles(c, .ringRead, Int64(Channel.completionBytes))
            let handler = cycles(c, .vscSendCompletion, 0)
            _ = account(v, .ringRead, Int64(m) &* each)
            _ = account(v, .vscSendCompletion, Int64(m) &* handler)
            let first = vmbus.channels[ch].completionsProcessing
            for i in 0..<m { billOwner(vmbus.channels[ch].completionOwners[first &+ i], adapter: e, .guest, each &+ handler) }
            cyc &+= Int64(m) &* (each &+ handler)
            vmbus.channels[ch].completionsProcessing &+= m
            vmbus.channels[ch].completionsInRing = 0
            vmbus.channels[ch].chargesProcessing &+= vmbus.channels[ch].chargesInRing
            vmbus.channels[ch].chargesInRing = 0
        }
        var n = 0
        while n < limit, let p = vmbus.channels[ch].receiveRing.popFirst() {
            vmbus.channels[ch].receiveUsed &-= vmbus.channels[ch].entry
            let payload = Int64(packets.payloadBytes[p.slot])
            let before = cyc
            cyc &+= account(v, .ringRead, cycles(c, .ringRead, entry))
            cyc &+= account(v, .vscRx, cycles(c, .vscRx, Int64(packets.frameBytes[p.slot])))
            cyc &+= guestStackCycles(v, endpoint: e, .guestStackRx, payload: payload)
            bill(p, .receive, .guest, cyc &- before)
            vmbus.channels[ch].guestBatch.append(p)
            setStage(p, .guestReceive)
            n &+= 1
        }
        // Frames the VSP held for this channel move into the freed ring space.
        while vmbus.channels[ch].receiveHasRoom, let p = vmbus.channels[ch].egressQueue.popFirst() {
            receiveRingPush(ch, p, &k)
        }
        vmbus.channels[ch].counters.guestDrains &+= 1
        vmbus.channels[ch].counters.guestDrained &+= UInt64(n)
        let t = occupy(v, cyc, at: k.now)
        k.schedule(at: t, kind: EventKind.guestRxDone.rawValue, target: ch.target)
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.guestRxDone, ch)
        #endif
    }

    @usableFromInline
    func guestRxDone(_ ch: ChannelID, _ k: inout Kernel) {
        // The pass's send completions are done: their messages' packets free their socket space.
        for _ in 0..<vmbus.channels[ch].completionsProcessing { _ = vmbus.channels[ch].completionOwners.popFirst() }
        vmbus.channels[ch].completionsProcessing = 0
        for _ in 0..<vmbus.channels[ch].chargesProcessing {
            releaseSocket(vmbus.channels[ch].completionCharges.popFirst().unsafelyUnwrapped, &k)
        }
        vmbus.channels[ch].chargesProcessing = 0
        if !vmbus.channels[ch].guestBatch.isEmpty { returnReceiveCompletions(ch, &k) }
        while let p = vmbus.channels[ch].guestBatch.popFirst() { deliver(p, extraLatency: .zero, &k) }
        if !vmbus.channels[ch].receivePending {
            vmbus.channels[ch].receiveMasked = false
        } else {
            guestPass(ch, &k)
        }
    }
}
