import SimCore

// SR-IOV: a vmNIC's virtual function (MODEL-REFERENCE §1.6: "allows VM traffic to move directly from the NIC to the VM
// without passing through the Hyper-V host"). While the VF is active the guest's VF driver talks to the NIC: no
// vSwitch, no VMBus, no root CPU for the data. Transmit: the guest stack and `vf_driver_tx` on the vCPU, then the
// NIC's transmit queue and wire (shared with the host's traffic). Receive: the NIC classifies a frame for the VM to
// the VF's own receive queue (the NIC's interrupt moderation); its interrupt costs the hypervisor `vf_interrupt` on
// the vCPU, then a pass of up to 64 frames (`vf_driver_rx` + the guest stack each) runs there and delivers. The
// timeline's `remove_vf` hot-removes the VF (NVSP v4 datapath switch to synthetic, §1.3): frames in the VF's queues
// drop (`vf_removed`) and new traffic takes the synthetic path at once; `restore_vf` switches back.
extension HostSimulation {
    /// Whether endpoint `e`'s next frame (flags `flags`) goes through its virtual function: the VF is active, the
    /// adapter is attached to a switch of the VF's NIC (a detached vmNIC, or one moved to another switch, has no VF
    /// there), and the frame is unicast (a broadcast goes through the vSwitch, which floods it — simplified: a real
    /// VF would send it to the NIC's embedded switch).
    @inline(__always)
    func sendsThroughVF(_ e: EndpointID, flags: UInt16) -> Bool {
        // Field by field: a copy of the whole EndpointState would retain and release its name and costs.
        adapters.endpoints[e].vfActive && switching.ports[adapters.endpoints[e].port].bound && flags & PacketFlag.broadcast == 0
            && switching.switches[adapters.endpoints[e].switchIndex].nic == net.queues[adapters.endpoints[e].vfQueue].nic
    }

    /// Guest side of a VF send: the guest stack and the VF driver's transmit on the vCPU the VF interrupts, then the
    /// frame waits in the VF's transmit staging until that work is done (`vfTransmit`). A vCPU already backlogged
    /// beyond the socket backlog drops it (`socket_backlog`), as the synthetic path does.
    @usableFromInline
    func sendVF(_ p: PacketID, endpoint e: EndpointID, _ k: inout Kernel) {
        let q = adapters.endpoints[e].vfQueue
        let v = net.queues[q].core
        if busyUntil(v).picoseconds - k.now.picoseconds > traffic.backlogLimit.picoseconds {
            drop(p, .socketBacklog, &k)
            return
        }
        let c = costs.base[e]
        var cyc = guestStackCycles(v, endpoint: e, .guestStackTx, payload: Int64(packets.payloadBytes[p.slot]))
        cyc &+= account(v, .vfDriverTx, cycles(c, .vfDriverTx, Int64(packets.frameBytes[p.slot])))
        bill(p, .send, .guest, cyc)
        let t = occupy(v, cyc, at: k.now)
        packets.flags[p.slot] |= PacketFlag.viaVF
        net.queues[q].vfTx.append(p)
        setStage(p, .vfQueue)
        k.schedule(at: t, kind: EventKind.vfTransmit.rawValue, target: q.target, arg: net.queues[q].vfEpoch)
    }

    /// The VF driver hands the head of its staging to the NIC's transmit queue (its frames are in the order the one
    /// vCPU finished them). An event of an earlier epoch belongs to a frame `remove_vf` dropped: ignored.
    @usableFromInline
    func vfTransmit(_ q: QueueID, epoch: UInt32, _ k: inout Kernel) {
        guard epoch == net.queues[q].vfEpoch, let p = net.queues[q].vfTx.popFirst() else { return }
        net.queues[q].vfTxPackets &+= 1
        nicEnqueue(net.queues[q].nic, p, &k)
    }

    /// A VF's frame for another endpoint of the host, sent by the NIC (VM-to-VM over a VF is limited by the physical
    /// adapter's bandwidth, MODEL-REFERENCE §1.6): the NIC's embedded switch hands it to the host's receive path as if
    /// it had arrived from the wire (the destination's VF, VMQ or the default queue, then the vSwitch). Simplified: it
    /// occupies the transmit wire, not the inbound one, and is not counted as received by the NIC.
    @usableFromInline
    func vfLoopback(_ n: NICID, _ p: PacketID, _ k: inout Kernel) {
        packets.flags[p.slot] &= ~PacketFlag.viaVF
        // It enters the switch through the uplink, under the uplink's binding; its VLAN tag is the sender port's.
        packets.generation[p.slot] = switching.ports[adapters.endpoints[net.nics[n].externalEndpoint].port].generation
        nicClassify(n, p, &k)
    }

    /// The VF queue `q`'s interrupt (its moderation already decided it): the hypervisor delivers it to the VM's vCPU
    /// (`vf_interrupt`, billed to the frame at the head), then the guest's receive pass.
    @usableFromInline
    func vfInterrupt(_ q: QueueID, _ k: inout Kernel) {
        let v = net.queues[q].core
        let ic = cycles(costs.base[net.queues[q].vf], .vfInterrupt, 0)
        if let head = net.queues[q].queue.first { bill(head, .receive, .hypervisor, ic) }
        _ = charge(v, .vfInterrupt, ic, at: k.now)
        vfReceivePass(q, &k)
    }

    /// One pass of the guest's VF driver on the vCPU: `vf_driver_rx` and the guest stack per frame, up to 64 frames
    /// (as the NIC's DPC); `nicDpcDone` delivers them when the vCPU has done the work.
    @usableFromInline
    func vfReceivePass(_ q: QueueID, _ k: inout Kernel) {
        let e = net.queues[q].vf
        let v = net.queues[q].core
        let c = costs.base[e]
        var cyc: Int64 = 0
        var n = 0
        while n < 64, let p = net.queues[q].queue.popFirst() {
            var own = account(v, .vfDriverRx, cycles(c, .vfDriverRx, Int64(packets.frameBytes[p.slot])))
            own &+= guestStackCycles(v, endpoint: e, .guestStackRx, payload: Int64(packets.payloadBytes[p.slot]))
            bill(p, .receive, .guest, own)
            cyc &+= own
            net.queues[q].batch.append(p)
            setStage(p, .vfReceive)
            n &+= 1
        }
        let t = occupy(v, cyc, at: k.now)
        k.schedule(at: t, kind: EventKind.nicDpcDone.rawValue, target: q.target)
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.nicDpcDone, q)
        #endif
    }

    /// `remove_vf`: the guest's datapath switches to synthetic. Frames in the VF's transmit staging and receive queue
    /// drop (`vf_removed`), and so do the VF's frames waiting in the NIC's transmit queue (its queue pairs go with it);
    /// the frame on the wire finishes, and a receive pass already running finishes (its frames are in guest memory).
    func removeVF(_ e: EndpointID, _ k: inout Kernel) {
        guard adapters.endpoints[e].vfActive else { return }
        adapters.endpoints[e].vfActive = false
        let q = adapters.endpoints[e].vfQueue
        while let p = net.queues[q].vfTx.popFirst() { drop(p, .vfRemoved, &k) }
        net.queues[q].vfEpoch &+= 1
        while let p = net.queues[q].queue.popFirst() { drop(p, .vfRemoved, &k) }
        // The VF's frames the NIC has not started sending sit in the VF's queue pairs, which go with it; the one on the
        // wire finishes. (One pass over the transmit queue, in order: those that stay go back to its tail.)
        let n = net.queues[q].nic
        let count = net.nics[n].txQueue.count
        for i in 0..<count {
            let p = net.nics[n].txQueue.removeFirst()
            let onWire = i == 0 && net.nics[n].txBusy
            if !onWire && packets.flags[p.slot] & PacketFlag.viaVF != 0 && source(of: p) == e {
                drop(p, .vfRemoved, &k)
            } else {
                net.nics[n].txQueue.append(p)
            }
        }
        net.queues[q].timer.cancel()
        net.queues[q].unannounced = 0
    }

    /// `restore_vf`: the VF is back; new traffic takes it.
    func restoreVF(_ e: EndpointID) {
        guard adapters.endpoints[e].vfQueue != .none else { return }
        adapters.endpoints[e].vfActive = true
    }

    /// One VF receive queue per adapter with `sriov: true` on a NIC with `sriov: true`, interrupting the vCPU of the
    /// adapter's first channel (one queue pair per VF: no RSS inside the VF, simplified). The VF is active from time 0.
    func buildVirtualFunctions() {
        for (ni, n) in zip(net.nics.indices, config.nics) where n.sriov {
            for vm in config.vms {
                for a in vm.adapters where a.sriov && a.kind == .synthetic {
                    guard let e = adapters.byName["\(vm.name)/\(a.name)"],
                        switching.switches[adapters.endpoints[e].switchIndex].nic == ni
                    else { continue }
                    var rq = ReceiveQueue(
                        nic: ni, core: vmbus.channels[adapters.endpoints[e].firstChannel].vcpu, name: "\(n.name)/vf-\(vm.name)-\(a.name)",
                        limit: n.rxQueuePackets, maxFrames: n.coalescing.maxFrames, maxDelay: n.coalescing.maxDelay)
                    rq.vf = e
                    adapters.endpoints[e].vfQueue = net.queues.append(rq)
                    adapters.endpoints[e].vfActive = true
                }
            }
        }
    }
}

extension HostSimulation {
    /// Every adapter with a virtual function: packets through it each way and its receive interrupts (which the NIC's
    /// and the host's `interrupts` include: the VF's queue is one of the NIC's).
    func reportVirtualFunctions(_ r: inout ReportContext) {
        for e in adapters.endpoints.indices where adapters.endpoints[e].vfQueue != .none {
            let q = adapters.endpoints[e].vfQueue
            let x = net.queues[q], b = r.baseline.queues[q.index]
            let tx = Double(x.vfTxPackets - b.2), rx = Double(x.packets - b.1)
            let name = adapters.endpoints[e].name
            r.add(.adapter, name, MetricCatalog.vfTxPackets, tx)
            r.add(.adapter, name, MetricCatalog.vfRxPackets, rx)
            r.add(.adapter, name, MetricCatalog.vfPackets, tx + rx)
            r.add(.adapter, name, MetricCatalog.vfInterrupts, Double(x.interrupts - b.0))
        }
    }
}
