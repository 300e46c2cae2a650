import SimCore

// The physical NIC: a transmit queue serialized at line rate (LSO super-segments cut at the MSS
// by the NIC), an inbound wire from the external peer, and receive queues (VMQ: one per vmNIC,
// else the default queue) with interrupt moderation and a DPC on the queue's root core.
extension HostSimulation {
    /// Bytes a packet occupies on the wire: its frames (segmented at the NIC MSS) + 20 B preamble/IFG each.
    @inline(__always)
    func wireBytes(_ p: PacketID, nic n: NICID) -> (bytes: Int64, segments: Int64) {
        EthernetFraming.wireBytes(
            frame: Int64(packets.frameBytes[p.slot]), payload: Int64(packets.payloadBytes[p.slot]), mtu: Int64(net.nics[n].mtu))
    }

    @usableFromInline
    func nicEnqueue(_ n: NICID, _ p: PacketID, _ k: inout Kernel) {
        if net.nics[n].txQueue.count >= net.nics[n].txLimit { drop(p, .nicTxQueueFull, &k); return }
        net.nics[n].txQueue.append(p)
        setStage(p, .nicTxQueue)
        if !net.nics[n].txBusy { nicStartTx(n, &k) }
    }

    @inline(__always)
    func nicStartTx(_ n: NICID, _ k: inout Kernel) {
        guard let p = net.nics[n].txQueue.first else { return }
        let w = wireBytes(p, nic: n)
        let d = wireTime(n, bytes: w.bytes)
        net.nics[n].txBusy = true
        net.nics[n].counters.txWireBytes &+= UInt64(w.bytes)
        net.nics[n].counters.txSegments &+= UInt64(w.segments)
        net.nics[n].counters.txBusyPs &+= d.picoseconds
        net.nics[n].txWire.record(k.now, k.now + d)
        setStage(p, .wireToPeer)
        k.schedule(after: d, kind: EventKind.nicTxDone.rawValue, target: n.target)
    }

    @usableFromInline
    func nicTxDone(_ n: NICID, _ k: inout Kernel) {
        let p = net.nics[n].txQueue.removeFirst()
        net.nics[n].txBusy = false
        net.nics[n].counters.txPackets &+= 1
        let prop = net.nics[n].propagation
        releaseSocket(p, &k)  // an SR-IOV frame's send completes when the NIC has sent it (a no-op for other frames)
        if _slowPath(destination(of: p) != net.nics[n].externalEndpoint) {
            if packets.flags[p.slot] & PacketFlag.viaVF != 0 {
                vfLoopback(n, p, &k)  // a VF's frame for another endpoint of the host: the NIC's embedded switch
            } else {
                // Flooded out of the uplink for an address the network beyond does not have: nobody takes it.
                drop(p, .noRoute, &k)
            }
        } else if prop > .zero && isFlowTraffic(p) && traffic.closedLoop(flow(of: p)) {
            setStage(p, .propagating)
            k.schedule(after: prop, kind: EventKind.deliver.rawValue, target: net.nics[n].externalEndpoint.target, arg: p.arg)
        } else {
            deliver(p, extraLatency: prop, &k)  // open loop: nothing depends on the arrival time
        }
        if !net.nics[n].txQueue.isEmpty { nicStartTx(n, &k) }
    }

    /// The external peer sends: the frame crosses the inbound wire (serialized at line rate after the propagation delay).
    @usableFromInline
    func sendExternal(_ p: PacketID, nic n: NICID, _ k: inout Kernel) {
        if net.nics[n].rxWireBusyUntil.picoseconds - k.now.picoseconds > traffic.backlogLimit.picoseconds {
            drop(p, .peerBacklog, &k); return
        }
        let d = destination(of: p)
        packets.vlan[p.slot] = switching.ports[adapters.endpoints[d].port].vlan
        let w = wireBytes(p, nic: n)
        let start = Swift.max(k.now + net.nics[n].propagation, net.nics[n].rxWireBusyUntil)
        let arrival = start + wireTime(n, bytes: w.bytes)
        net.nics[n].rxWireBusyUntil = arrival
        net.nics[n].rxWire.record(start, arrival)
        setStage(p, .wireFromPeer)
        k.schedule(at: arrival, kind: EventKind.nicRxArrive.rawValue, target: n.target, arg: p.arg)
    }

    @usableFromInline
    func nicRxArrive(_ n: NICID, _ p: PacketID, _ k: inout Kernel) {
        // Counted on arrival, as the packets are: counting at send time (the wire's future) let a window end
        // with frames still on the wire counted in, and the throughput exceed the link rate.
        net.nics[n].counters.rxPackets &+= 1
        net.nics[n].counters.rxWireBytes &+= UInt64(wireBytes(p, nic: n).bytes)
        releaseSocket(p, &k)  // the peer's NIC finished sending it
        nicClassify(n, p, &k)
    }

    /// The NIC puts an arrived frame in a receive queue: the receiver's active SR-IOV virtual function's, else its
    /// VMQ queue (with VMMQ, the one of its queues the frame's RSS hash picks), else the default queue; an interrupt
    /// when its moderation says so.
    @usableFromInline
    func nicClassify(_ n: NICID, _ p: PacketID, _ k: inout Kernel) {
        let d = destination(of: p)
        let vmq = adapters.endpoints[d].rxQueue  // the receiver's VMQ queue, if it has one on this NIC
        var q = vmq != .none && net.queues[vmq].nic == n ? vmmqQueue(p, endpoint: d) : net.nics[n].defaultQueue
        if _slowPath(adapters.endpoints[d].vfActive) {
            let vf = adapters.endpoints[d].vfQueue
            if net.queues[vf].nic == n && sendsThroughVF(d, flags: packets.flags[p.slot]) { q = vf }
        }
        if _slowPath(net.queues[q].rsc) && nicCoalesced(p, queue: q) {
            net.queues[q].packets &+= 1
            return  // merged into a frame already waiting (and announced): no descriptor, no interrupt of its own
        }
        if net.queues[q].queue.count >= net.queues[q].limit { drop(p, .nicRxQueueFull, &k); return }
        net.queues[q].queue.append(p)
        net.queues[q].packets &+= 1
        setStage(p, .nicRxQueue)
        guard !net.queues[q].dpcRunning else { return }  // the running DPC polls it
        net.queues[q].unannounced &+= 1
        if net.queues[q].unannounced >= net.queues[q].maxFrames || net.queues[q].maxDelay == .zero {
            nicInterrupt(q, &k)
        } else if net.queues[q].unannounced == 1 {
            net.queues[q].timer.arm(
                at: k.now + net.queues[q].maxDelay, kind: EventKind.nicCoalesceTimer.rawValue,
                target: q.target, in: &k)
        }
    }

    @usableFromInline
    func nicInterrupt(_ q: QueueID, _ k: inout Kernel) {
        net.queues[q].timer.cancel()
        net.queues[q].unannounced = 0
        net.queues[q].interrupts &+= 1
        net.nics[net.queues[q].nic].counters.interrupts &+= 1
        net.queues[q].dpcRunning = true
        if _slowPath(net.queues[q].vf != .none) { vfInterrupt(q, &k); return }  // a VF's: to the VM's vCPU
        // The ISR and the DPC's dispatch on the queue's core, billed to the frame at the head of the queue.
        let core = net.queues[q].core
        let c = costs.base[net.nics[net.queues[q].nic].externalEndpoint]
        let cyc = account(core, .nicISR, cycles(c, .nicISR, 0)) &+ account(core, .nicDPC, cycles(c, .nicDPC, 0))
        if let head = net.queues[q].queue.first { bill(head, .receive, .root, cyc) }
        _ = occupy(core, cyc, at: k.now)
        net.queues[q].cycles &+= cyc
        dpcPass(q, &k)
    }

    /// One DPC pass on the queue's core: NIC driver receive + vSwitch + destination root stage per frame.
    @usableFromInline
    func dpcPass(_ q: QueueID, _ k: inout Kernel) {
        if _slowPath(net.queues[q].vf != .none) { vfReceivePass(q, &k); return }
        let core = net.queues[q].core
        let ext = net.nics[net.queues[q].nic].externalEndpoint
        let c = costs.base[ext]
        var cyc: Int64 = 0
        if switching.switches[adapters.endpoints[ext].switchIndex].rsc {  // the default on an external switch
            cyc = rscDPCPass(q, core: core, external: ext, &k)
        } else {
            var n = 0
            while n < 64, let p = net.queues[q].queue.popFirst() {
                let driver = account(core, .nicDriverRx, cycles(c, .nicDriverRx, Int64(packets.frameBytes[p.slot])))
                cyc &+= driver &+ switchPathCycles(p, ingress: ext, server: core, now: k.now, senderCycles: driver)  // the peer's side
                net.queues[q].batch.append(p)
                setStage(p, .dpc)
                n &+= 1
            }
        }
        let t = occupy(core, cyc, at: k.now)
        net.queues[q].cycles &+= cyc
        k.schedule(at: t, kind: EventKind.nicDpcDone.rawValue, target: q.target)
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.nicDpcDone, q)
        #endif
    }

    @usableFromInline
    func nicDpcDone(_ q: QueueID, _ k: inout Kernel) {
        let ext = net.nics[net.queues[q].nic].externalEndpoint
        if _slowPath(net.queues[q].vf != .none) {
            while let p = net.queues[q].batch.popFirst() { deliver(p, extraLatency: .zero, &k) }  // the VF's guest pass
        } else {
            while let p = net.queues[q].batch.popFirst() { forward(p, from: ext, &k) }
        }
        if net.queues[q].queue.isEmpty { net.queues[q].dpcRunning = false } else { dpcPass(q, &k) }
    }
}
