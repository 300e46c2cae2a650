import SimCore

// The physical NIC: a transmit queue serialized at line rate (LSO super-segments cut at the MSS
// by the NIC), an inbound wire from the external peer, and receive queues (VMQ: one per vmNIC,
// else the default queue) with interrupt moderation and a DPC on the queue's root core.
extension HostSimulation {
    /// Bytes a packet occupies on the wire: its frames (segmented at the NIC MSS) + 20 B preamble/IFG each.
    @inline(__always)
    func wireBytes(_ p: UInt32, nic n: Int) -> (bytes: Int64, segments: Int64) {
        let frame = Int64(packets.frameBytes[Int(p)])
        let payload = Int64(packets.payloadBytes[Int(p)])
        let header = frame - payload  // L2-L4 headers + FCS
        let mss = Int64(nics[n].mtu) - (header - 18)
        if payload <= mss { return (Swift.max(frame, 64) + 20, 1) }
        let segs = (payload + mss - 1) / mss
        return (payload + segs * (header + 20), segs)
    }

    @usableFromInline
    func nicEnqueue(_ n: Int, _ p: UInt32, _ k: inout Kernel) {
        if nics[n].txQueue.count >= nics[n].txLimit { drop(p, .nicTxQueueFull, &k); return }
        nics[n].txQueue.append(p)
        setStage(p, .nicTxQueue)
        if !nics[n].txBusy { nicStartTx(n, &k) }
    }

    @inline(__always)
    func nicStartTx(_ n: Int, _ k: inout Kernel) {
        guard let p = nics[n].txQueue.first else { return }
        let w = wireBytes(p, nic: n)
        let d = wireTime(n, bytes: w.bytes)
        nics[n].txBusy = true
        nics[n].counters.txWireBytes &+= UInt64(w.bytes)
        nics[n].counters.txSegments &+= UInt64(w.segments)
        nics[n].counters.txBusyPs &+= d.picoseconds
        setStage(p, .wireToPeer)
        k.schedule(after: d, kind: EventKind.nicTxDone.rawValue, target: UInt32(n))
    }

    @usableFromInline
    func nicTxDone(_ n: Int, _ k: inout Kernel) {
        let p = nics[n].txQueue.removeFirst()
        nics[n].txBusy = false
        nics[n].counters.txPackets &+= 1
        let prop = nics[n].propagation
        if prop > .zero && closedLoop(Int(packets.flow[Int(p)])) {
            setStage(p, .propagating)
            k.schedule(after: prop, kind: EventKind.deliver.rawValue, target: UInt32(nics[n].externalEndpoint), arg: p)
        } else {
            deliver(p, extraLatency: prop, &k)  // open loop: nothing depends on the arrival time
        }
        if !nics[n].txQueue.isEmpty { nicStartTx(n, &k) }
    }

    /// The external peer sends: the frame crosses the inbound wire (serialized at line rate after the propagation delay).
    @usableFromInline
    func sendExternal(_ p: UInt32, nic n: Int, _ k: inout Kernel) {
        if nics[n].rxWireBusyUntil.picoseconds - k.now.picoseconds > backlogLimit.picoseconds {
            drop(p, .peerBacklog, &k); return
        }
        let d = Int(packets.destination[Int(p)])
        packets.vlan[Int(p)] = ports[endpoints[d].port].vlan
        let w = wireBytes(p, nic: n)
        let start = Swift.max(k.now + nics[n].propagation, nics[n].rxWireBusyUntil)
        let arrival = start + wireTime(n, bytes: w.bytes)
        nics[n].rxWireBusyUntil = arrival
        nics[n].counters.rxWireBytes &+= UInt64(w.bytes)
        setStage(p, .wireFromPeer)
        k.schedule(at: arrival, kind: EventKind.nicRxArrive.rawValue, target: UInt32(n), arg: p)
    }

    @usableFromInline
    func nicRxArrive(_ n: Int, _ p: UInt32, _ k: inout Kernel) {
        nics[n].counters.rxPackets &+= 1
        let d = Int(packets.destination[Int(p)])
        let q = endpoints[d].rxQueue >= 0 ? endpoints[d].rxQueue : nics[n].defaultQueue
        if queues[q].queue.count >= queues[q].limit { drop(p, .nicRxQueueFull, &k); return }
        queues[q].queue.append(p)
        queues[q].packets &+= 1
        setStage(p, .nicRxQueue)
        guard !queues[q].dpcRunning else { return }  // the running DPC polls it
        queues[q].unannounced &+= 1
        if queues[q].unannounced >= queues[q].maxFrames || queues[q].maxDelay == .zero {
            nicInterrupt(q, &k)
        } else if queues[q].unannounced == 1 {
            queues[q].timer.arm(
                at: k.now + queues[q].maxDelay, kind: EventKind.nicCoalesceTimer.rawValue,
                target: UInt32(q), in: &k)
        }
    }

    @usableFromInline
    func nicInterrupt(_ q: Int, _ k: inout Kernel) {
        queues[q].timer.cancel()
        queues[q].unannounced = 0
        queues[q].interrupts &+= 1
        nics[queues[q].nic].counters.interrupts &+= 1
        queues[q].dpcRunning = true
        dpcPass(q, &k)
    }

    /// One DPC pass on the queue's core: NIC driver receive + vSwitch + destination root stage per frame.
    @usableFromInline
    func dpcPass(_ q: Int, _ k: inout Kernel) {
        let core = queues[q].core
        let ext = nics[queues[q].nic].externalEndpoint
        let c = costBase[ext]
        var cyc: Int64 = 0
        var n = 0
        while n < 64, let p = queues[q].queue.popFirst() {
            let driver = account(core, .nicDriverRx, cycles(c, .nicDriverRx, Int64(packets.frameBytes[Int(p)])))
            cyc &+= driver &+ switchPathCycles(p, ingress: ext, server: core, senderCycles: driver)  // the peer's side
            queues[q].batch.append(p)
            setStage(p, .dpc)
            n &+= 1
        }
        let t = occupy(core, cyc, at: k.now)
        k.schedule(at: t, kind: EventKind.nicDpcDone.rawValue, target: UInt32(q))
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.nicDpcDone, q)
        #endif
    }

    @usableFromInline
    func nicDpcDone(_ q: Int, _ k: inout Kernel) {
        let ext = nics[queues[q].nic].externalEndpoint
        while let p = queues[q].batch.popFirst() { forward(p, from: ext, &k) }
        if queues[q].queue.isEmpty { queues[q].dpcRunning = false } else { dpcPass(q, &k) }
    }
}
