import SimCore

// The legacy adapter (emulated DEC 21140, MODEL-REFERENCE §1.4): every trapped register access is a
// VM exit served by the VM's worker process on a root core while the vCPU waits; the device model
// walks descriptors and copies frames; the link is 100 Mb/s; TX-done interrupts every
// `txInterruptEvery` packets and one RX interrupt per ISR run (the 21140 has no mitigation).
extension HostSimulation {
    /// One send on the vCPU, as the guest runs it: the stack, then at once the driver's transmit (a descriptor and
    /// the CSR1 transmit-demand write, `emuStartTx`) — or, with every descriptor held, the guest's transmit queue.
    @usableFromInline
    func sendEmulated(_ p: PacketID, endpoint e: EndpointID, _ k: inout Kernel) {
        let dev = adapters.endpoints[e].device
        let v = adapters.devices[dev].vcpu
        if _slowPath(adapters.devices[dev].stopped) { drop(p, .vmStopped, &k); return }
        if busyUntil(v).picoseconds - k.now.picoseconds > traffic.backlogLimit.picoseconds {
            drop(p, .socketBacklog, &k); return
        }
        let cyc = guestStackCycles(v, endpoint: e, .guestStackTx, payload: Int64(packets.payloadBytes[p.slot]))
        bill(p, .send, .guest, cyc)
        let t = occupy(v, cyc, at: k.now)
        setStage(p, .guestStack)
        if adapters.devices[dev].txDescriptorsHeld >= adapters.devices[dev].txRing || !adapters.devices[dev].guestQueue.isEmpty {
            if adapters.devices[dev].guestQueue.count >= adapters.settings[e].txQueuePackets {
                drop(p, .guestTxQueueFull, &k); return
            }
            adapters.devices[dev].guestQueue.append(p)
            setStage(p, .guestQueue)
            return
        }
        emuStartTx(dev, p, at: t, &k)
    }

    /// `count` trapped accesses by the vCPU starting at `t`: served by the worker process (root core)
    /// or in the hypervisor; the vCPU is stalled until they complete. Returns the completion time.
    @usableFromInline
    func emulatedAccesses(_ dev: DeviceID, _ count: Int, at t: SimTime, billing p: PacketID, _ side: PathSide) -> SimTime {
        guard count > 0 else { return t }
        let e = adapters.devices[dev].endpoint
        let c = costs.base[e]
        let v = adapters.devices[dev].vcpu
        adapters.devices[dev].counters.accesses &+= UInt64(count)
        let begin = Swift.max(t, busyUntil(v))
        let end: SimTime
        if adapters.devices[dev].viaHypervisor {
            let ac = Int64(count) &* cycles(c, .emulatedAccessKernel, 0)
            bill(p, side, .hypervisor, ac)
            end = charge(v, .emulatedAccessKernel, ac, at: begin)
        } else {
            let w = adapters.devices[dev].worker
            var cyc = account(w, .workerWakeup, cycles(c, .workerWakeup, 0))
            cyc &+= account(w, .emulatedAccessWorker, Int64(count) &* cycles(c, .emulatedAccessWorker, 0))
            bill(p, side, .root, cyc)
            end = occupy(w, cyc, at: begin)
            let o = cores.servers[v].clockOwner
            if end > cores.servers[o].busyUntil {
                cores.servers[v].stalledPs &+= end.picoseconds - begin.picoseconds
                cores.servers[v].stall.record(begin, end)
                cores.servers[o].busyUntil = end
            }
        }
        return end
    }

    /// An emulated interrupt: injection (hypervisor time on the vCPU) and the ISR's register accesses.
    @usableFromInline
    func emulatedInterrupt(_ dev: DeviceID, accesses: Int, billing p: PacketID, _ side: PathSide, _ k: inout Kernel) -> SimTime {
        let c = costs.base[adapters.devices[dev].endpoint]
        let ic = cycles(c, .emulatedInterruptInjection, 0)
        bill(p, side, .hypervisor, ic)
        let t = charge(adapters.devices[dev].vcpu, .emulatedInterruptInjection, ic, at: k.now)
        adapters.devices[dev].counters.interrupts &+= 1
        return emulatedAccesses(dev, accesses, at: t, billing: p, side)
    }

    /// The driver posts a descriptor and writes CSR1 (from `t`, when the vCPU gets there), then the device model walks
    /// it and copies the frame and the frame crosses the 100 Mb/s link.
    @usableFromInline
    func emuStartTx(_ dev: DeviceID, _ p: PacketID, at t: SimTime, _ k: inout Kernel) {
        adapters.devices[dev].txInFlight &+= 1
        let perPacket = adapters.devices[dev].txAccesses
        let t1 = emulatedAccesses(dev, perPacket, at: t, billing: p, .send)
        let done = deviceModelAndLink(dev, p, .send, at: t1, linkFree: adapters.devices[dev].txLinkBusyUntil)
        adapters.devices[dev].txLinkBusyUntil = done
        setStage(p, .emulatedWire)
        k.schedule(at: done, kind: EventKind.emuTxWire.rawValue, target: dev.target, arg: p.arg)
    }

    /// The frame left the emulated NIC: its descriptor is finished (the guest reclaims it at the next TX-done
    /// interrupt, and only then frees the packet's socket space); the vSwitch (on the worker's root core) takes the frame.
    ///
    /// The TX-done interrupt, as Linux's tulip driver sets the 21140 up: requested on every `txInterruptEvery`-th
    /// descriptor (tulip: at half the ring), and raised too when the transmit process suspends because the ring is
    /// empty (TU, "transmit buffer unavailable", enabled in tulip's CSR7 mask `0x0001ebef`) — so at light load each
    /// frame costs an interrupt, under load one per `txInterruptEvery` (MODEL-REFERENCE §1.4).
    @usableFromInline
    func emuTxWire(_ dev: DeviceID, _ p: PacketID, _ k: inout Kernel) {
        adapters.devices[dev].txInFlight &-= 1
        adapters.devices[dev].txUnreclaimed &+= 1
        if let charge = takeSocketCharge(p) { adapters.devices[dev].txCharges.append(charge) }
        adapters.devices[dev].txSinceInterrupt &+= 1
        let every = adapters.devices[dev].txSinceInterrupt >= adapters.devices[dev].txInterruptEvery
        if (every || adapters.devices[dev].txInFlight == 0) && !adapters.devices[dev].txReclaimPending {
            adapters.devices[dev].txSinceInterrupt = 0
            adapters.devices[dev].txReclaimPending = true
            adapters.devices[dev].counters.txInterrupts &+= 1
            let t = emulatedInterrupt(dev, accesses: adapters.devices[dev].interruptAccesses, billing: p, .send, &k)
            k.schedule(at: t, kind: EventKind.emuTxReclaim.rawValue, target: dev.target)
            #if VNETSIM_INTERNAL_CHECKS
                checks.scheduled(.emuTxReclaim, dev)
            #endif
        }
        if droppedIfAbandoned(p, &k) { return }
        adapters.devices[dev].counters.txPackets &+= 1
        let e = adapters.devices[dev].endpoint
        let w = adapters.devices[dev].worker
        if adapters.devices[dev].hosted && !switching.ports[adapters.endpoints[e].port].bound {
            // Virtual Server: a detached adapter is plugged into no network; the service has nowhere to hand the frame.
            drop(p, .detached, &k)
            return
        }
        let sc = switchPathCycles(p, ingress: e, server: w, now: k.now)
        let t = occupy(w, sc, at: k.now)
        setStage(p, .switching)
        k.schedule(at: t, kind: EventKind.forward.rawValue, target: e.target, arg: p.arg)
    }

    /// The TX-done interrupt's handler ran: the driver reclaims every finished descriptor (their packets' socket space
    /// is freed) and posts what waited in its transmit queue.
    @usableFromInline
    func emuTxReclaim(_ dev: DeviceID, _ k: inout Kernel) {
        adapters.devices[dev].txReclaimPending = false
        adapters.devices[dev].txUnreclaimed = 0
        while let c = adapters.devices[dev].txCharges.popFirst() { releaseSocket(c, &k) }
        emuStartQueued(dev, &k)
    }

    /// Drops a lost packet (`droppedIfAbandoned`) that holds one of the device's receive descriptors, freeing it; true
    /// if it was lost.
    @inline(__always)
    func droppedFromReceive(_ dev: DeviceID, _ p: PacketID, _ k: inout Kernel) -> Bool {
        guard _slowPath(packets.flags[p.slot] & PacketFlag.abandoned != 0) else { return false }
        adapters.devices[dev].rxOccupied &-= 1
        return droppedIfAbandoned(p, &k)
    }

    /// The packets waiting in the guest for descriptors get the ones just reclaimed (lost ones are dropped on the way).
    @inline(__always)
    func emuStartQueued(_ dev: DeviceID, _ k: inout Kernel) {
        while adapters.devices[dev].txDescriptorsHeld < adapters.devices[dev].txRing,
            let q = adapters.devices[dev].guestQueue.popFirst()
        {
            if droppedIfAbandoned(q, &k) { continue }
            emuStartTx(dev, q, at: k.now, &k)
        }
    }

    /// A frame for the emulated NIC: device model DMA into a guest RX descriptor, over the 100 Mb/s link.
    @usableFromInline
    func emuReceive(_ dev: DeviceID, _ p: PacketID, _ k: inout Kernel) {
        if _slowPath(adapters.devices[dev].stopped) { drop(p, .vmStopped, &k); return }
        if adapters.devices[dev].rxOccupied >= adapters.devices[dev].rxRingSize { drop(p, .emulatedRxRingFull, &k); return }
        adapters.devices[dev].rxOccupied &+= 1
        let done = deviceModelAndLink(dev, p, .receive, at: k.now, linkFree: adapters.devices[dev].rxLinkBusyUntil)
        adapters.devices[dev].rxLinkBusyUntil = done
        setStage(p, .emulatedDevice)
        k.schedule(at: done, kind: EventKind.emuRxDma.rawValue, target: dev.target, arg: p.arg)
    }

    /// The device model (descriptor walk + frame copy on the worker core, and on Hyper-V the hand-off between the
    /// worker process and the kernel-mode vSwitch) handles the frame from `t`, then the frame crosses the emulated link (TX or RX direction, free from `linkFree`); returns when it has crossed.
    @inline(__always)
    func deviceModelAndLink(_ dev: DeviceID, _ p: PacketID, _ side: PathSide, at t: SimTime, linkFree: SimTime) -> SimTime {
        let frame = Int64(packets.frameBytes[p.slot])
        let c = costs.base[adapters.devices[dev].endpoint]
        let w = adapters.devices[dev].worker
        var dm = account(w, .emulatedDeviceModel, cycles(c, .emulatedDeviceModel, frame))
        if adapters.devices[dev].hosted {
            // Virtual Server: the VMM's world switch to the host and the service's hand-off, then an unpaced "link".
            dm &+= account(w, .vmmHostSwitch, cycles(c, .vmmHostSwitch, 0))
            bill(p, side, .root, dm)
            return occupy(w, dm, at: t)
        }
        // Hyper-V: the worker process (user mode) and the vSwitch (kernel) hand the frame across, each way.
        dm &+= account(w, .workerSwitchHandoff, cycles(c, .workerSwitchHandoff, frame))
        bill(p, side, .root, dm)
        let modelled = occupy(w, dm, at: t)
        let start = Swift.max(modelled, linkFree)
        let end = start + adapters.devices[dev].linkRate.transmissionTime(bytes: Swift.max(frame, 64) + 20)
        if side == .send { adapters.devices[dev].txLink.record(start, end) } else { adapters.devices[dev].rxLink.record(start, end) }
        return end
    }

    @usableFromInline
    func emuRxDma(_ dev: DeviceID, _ p: PacketID, _ k: inout Kernel) {
        if droppedFromReceive(dev, p, &k) { return }
        adapters.devices[dev].rxRing.append(p)
        adapters.devices[dev].counters.rxPackets &+= 1
        setStage(p, .receiveRing)
        guard !adapters.devices[dev].isrRunning else { return }  // the running ISR loops on CSR5 and finds it
        adapters.devices[dev].isrRunning = true
        let t = emulatedInterrupt(dev, accesses: adapters.devices[dev].interruptAccesses, billing: p, .receive, &k)
        emuIsrPass(dev, at: t, &k)
    }

    /// The guest ISR takes every frame in the RX ring through the guest stack.
    @usableFromInline
    func emuIsrPass(_ dev: DeviceID, at t: SimTime, _ k: inout Kernel) {
        let e = adapters.devices[dev].endpoint
        let v = adapters.devices[dev].vcpu
        var cyc: Int64 = 0
        while let p = adapters.devices[dev].rxRing.popFirst() {
            if droppedFromReceive(dev, p, &k) { continue }
            let stack = guestStackCycles(v, endpoint: e, .guestStackRx, payload: Int64(packets.payloadBytes[p.slot]))
            bill(p, .receive, .guest, stack)
            cyc &+= stack
            adapters.devices[dev].isrBatch.append(p)
            setStage(p, .guestReceive)
        }
        let done = occupy(v, cyc, at: t)
        k.schedule(at: done, kind: EventKind.emuIsrDone.rawValue, target: dev.target)
        #if VNETSIM_INTERNAL_CHECKS
            checks.scheduled(.emuIsrDone, dev)
        #endif
    }

    @usableFromInline
    func emuIsrDone(_ dev: DeviceID, _ k: inout Kernel) {
        var i = 0
        while i < adapters.devices[dev].isrBatch.count {
            let p = adapters.devices[dev].isrBatch[i]
            if !droppedIfAbandoned(p, &k) { deliver(p, extraLatency: .zero, &k) }
            i &+= 1
        }
        adapters.devices[dev].rxOccupied &-= adapters.devices[dev].isrBatch.count
        adapters.devices[dev].isrBatch.removeAll(keepingCapacity: true)
        if adapters.devices[dev].rxRing.isEmpty {
            adapters.devices[dev].isrRunning = false
        } else {
            // The ISR's CSR5 re-read finds more work: one more access, another pass.
            let t = emulatedAccesses(dev, 1, at: k.now, billing: adapters.devices[dev].rxRing.first.unsafelyUnwrapped, .receive)
            emuIsrPass(dev, at: t, &k)
        }
    }
}
