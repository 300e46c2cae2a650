import SimCore

// Internal consistency checks in the style of swift-collections' `COLLECTIONS_INTERNAL_CHECKS`: built with
// `-Xswiftc -DVNETSIM_INTERNAL_CHECKS`, `handle` checks every subsystem's invariants after each event and
// traps (`precondition`, in any configuration) with the component and the values at the first violation.
// Without the flag none of this is compiled: `handle` and the data path are the same code as before.

extension HostSimulation {
    /// True if the model was built with `VNETSIM_INTERNAL_CHECKS`: every event is followed by an invariant
    /// check, so runs are slower (the performance figures of docs/performance.md do not apply).
    public static var isInternalCheckingEnabled: Bool {
        #if VNETSIM_INTERNAL_CHECKS
            true
        #else
            false
        #endif
    }
}

#if VNETSIM_INTERNAL_CHECKS
    /// What the checks need that the model does not keep: the drain events outstanding per reader (a masked reader
    /// must have exactly one), counted where they are scheduled and where they are handled.
    @usableFromInline
    struct InternalChecks {
        /// Off only in tests that break the model on purpose and expect the end-of-run conservation error instead.
        @usableFromInline var enabled = true
        /// Events handled since the last full sweep.
        @usableFromInline var sinceSweep = 0
        /// Outstanding `vspDrain`/`vspBatchDone` and `guestRxDrain`/`guestRxDone` events per channel,
        /// `nicDpcDone` per receive queue, `emuIsrDone` and `emuTxReclaim` per emulated device.
        @usableFromInline var sendDrains = ContiguousArray<Int>()
        @usableFromInline var receiveDrains = ContiguousArray<Int>()
        @usableFromInline var dpcs = ContiguousArray<Int>()
        @usableFromInline var isrs = ContiguousArray<Int>()
        @usableFromInline var reclaims = ContiguousArray<Int>()

        /// Every this many events the checks sweep every component and the packet table (the per-event check looks
        /// only at the event's target and the global counts, so that a host of thousands of adapters stays usable).
        @usableFromInline static let sweepEvery = 1024

        init(channels: Int, queues: Int, devices: Int) {
            sendDrains = ContiguousArray(repeating: 0, count: channels)
            receiveDrains = ContiguousArray(repeating: 0, count: channels)
            dpcs = ContiguousArray(repeating: 0, count: queues)
            isrs = ContiguousArray(repeating: 0, count: devices)
            reclaims = ContiguousArray(repeating: 0, count: devices)
        }

        init() {}

        /// Notes that a drain event of `kind` for `target` was scheduled.
        @inline(never)
        mutating func scheduled(_ kind: EventKind, _ target: some ComponentID) { adjust(kind, target.index, by: 1) }

        /// Notes that an event is being handled (a drain event is no longer outstanding).
        @inline(__always)
        mutating func handling(_ e: Event) {
            switch EventKind(rawValue: e.kind).unsafelyUnwrapped {
            case .vspDrain, .vspBatchDone, .guestRxDrain, .guestRxDone, .nicDpcDone, .emuIsrDone, .emuTxReclaim:
                adjust(EventKind(rawValue: e.kind).unsafelyUnwrapped, Int(e.target), by: -1)
            default: break
            }
        }

        private mutating func adjust(_ kind: EventKind, _ t: Int, by d: Int) {
            switch kind {
            case .vspDrain, .vspBatchDone: sendDrains[t] &+= d
            case .guestRxDrain, .guestRxDone: receiveDrains[t] &+= d
            case .nicDpcDone: dpcs[t] &+= d
            case .emuIsrDone: isrs[t] &+= d
            case .emuTxReclaim: reclaims[t] &+= d
            default: preconditionFailure("\(kind) is not a drain event")
            }
        }
    }

    extension HostSimulation {
        /// Checks the invariants touched by event `e` (its target component and the global packet and cycle counts)
        /// and, every `InternalChecks.sweepEvery` events, every component and the packet table's stages.
        @inline(never)
        func checkInvariants(after e: Event) {
            guard checks.enabled else { return }
            checkPacketCounts()
            let t = e.target
            switch EventKind(rawValue: e.kind).unsafelyUnwrapped {
            case .vscWrite, .vspDrain, .vspBatchDone, .guestRxDrain, .guestRxDone: checkChannel(ChannelID(target: t))
            case .nicTxDone, .nicRxArrive: checkNIC(NICID(target: t))
            case .nicCoalesceTimer, .nicDpcDone: checkReceiveQueue(QueueID(target: t))
            case .emuTxReclaim, .emuTxWire, .emuRxDma, .emuIsrDone: checkDevice(DeviceID(target: t))
            default: break
            }
            checks.sinceSweep &+= 1
            if checks.sinceSweep >= InternalChecks.sweepEvery {
                checks.sinceSweep = 0
                checkInvariants()
            }
        }

        /// Checks every subsystem's invariants: channels, emulated devices, ports, NICs and their receive queues,
        /// cores, the packet counts, every live packet's stage against the structures holding it, and the cycle
        /// accounting (per core = per flow = per adapter, by domain).
        @inline(never)
        func checkInvariants() {
            checkPacketCounts()
            for c in vmbus.channels.indices { checkChannel(c) }
            for d in adapters.devices.indices { checkDevice(d) }
            for c in vmbus.channels.indices { checkEgress(c) }
            for n in net.nics.indices { checkNIC(n) }
            for q in net.queues.indices { checkReceiveQueue(q) }
            for s in cores.servers.indices { checkServer(s) }
            checkStages()
            checkCycleAccounting()
        }

        /// The packet table's live count = created − delivered − dropped, and it allocated exactly what sources created.
        func checkPacketCounts() {
            var dropped: UInt64 = 0
            for d in accounting.drops { dropped &+= d }
            let live = UInt64(packets.liveCount) &+ accounting.mergedLive
            precondition(
                packets.allocatedTotal == accounting.created,
                "packets: the table allocated \(packets.allocatedTotal) but sources created \(accounting.created)")
            precondition(
                accounting.created == accounting.delivered &+ dropped &+ live,
                "packets: created \(accounting.created) ≠ delivered \(accounting.delivered) + dropped \(dropped) + live \(live)")
        }

        func checkChannel(_ c: ChannelID) {
            vmbus.channels[c].checkInvariants(
                index: c.index, sendDrains: checks.sendDrains[c.index], receiveDrains: checks.receiveDrains[c.index],
                txQueueLimit: adapters.settings[vmbus.channels[c].endpoint].txQueuePackets, packetQuota: vmbus.drain.packetQuota)
        }

        /// An emulated device: transmit descriptors in use within the ring, packets wait in the guest queue only while
        /// all are in use; the receive ring and the ISR batch fit in the occupied descriptors, which fit in the ring;
        /// the ISR runs exactly while its completion event is outstanding.
        func checkDevice(_ d: DeviceID) {
            let dev = adapters.devices[d]
            let name = "emulated device \(d) (endpoint \(dev.endpoint))"
            dev.guestQueue.checkInvariants("\(name) guest queue")
            dev.rxRing.checkInvariants("\(name) receive ring")
            precondition(
                dev.txInFlight >= 0 && dev.txUnreclaimed >= 0 && dev.txDescriptorsHeld <= dev.txRing,
                "\(name): \(dev.txInFlight) transmit descriptors posted and \(dev.txUnreclaimed) unreclaimed of \(dev.txRing)")
            precondition(
                dev.guestQueue.isEmpty || dev.txDescriptorsHeld == dev.txRing || dev.txReclaimPending,
                "\(name): \(dev.guestQueue.count) packets queued with \(dev.txDescriptorsHeld) of \(dev.txRing) descriptors held")
            precondition(
                dev.txCharges.count <= dev.txUnreclaimed,
                "\(name): \(dev.txCharges.count) socket charges held by \(dev.txUnreclaimed) unreclaimed descriptors")
            precondition(
                checks.reclaims[d.index] == (dev.txReclaimPending ? 1 : 0),
                "\(name): TX reclaim pending \(dev.txReclaimPending) with \(checks.reclaims[d.index]) reclaim events outstanding")
            precondition(
                dev.txReclaimPending || dev.txInFlight > 0 || dev.txUnreclaimed == 0,
                "\(name): \(dev.txUnreclaimed) finished descriptors with none posted and no TX-done interrupt pending")
            let limit = adapters.settings[dev.endpoint].txQueuePackets
            precondition(dev.guestQueue.count <= limit, "\(name): guest queue holds \(dev.guestQueue.count), over its limit \(limit)")
            precondition(
                dev.rxRing.count &+ dev.isrBatch.count <= dev.rxOccupied && dev.rxOccupied <= dev.rxRingSize,
                "\(name): receive ring \(dev.rxRing.count) + ISR batch \(dev.isrBatch.count) packets, \(dev.rxOccupied) descriptors occupied of \(dev.rxRingSize)"
            )
            precondition(
                checks.isrs[d.index] == (dev.isrRunning ? 1 : 0),
                "\(name): ISR running \(dev.isrRunning) with \(checks.isrs[d.index]) completion events outstanding")
            precondition(
                dev.isrRunning || (dev.rxRing.isEmpty && dev.isrBatch.isEmpty),
                "\(name): \(dev.rxRing.count) received and \(dev.isrBatch.count) batched packets but no ISR running")
        }

        /// A channel's egress queue is within its adapter's port's limit, and holds frames only while its adapter is
        /// attached (unbinding drops them).
        func checkEgress(_ c: ChannelID) {
            let ch = vmbus.channels[c]
            let port = switching.ports[adapters.endpoints[ch.endpoint].port]
            ch.egressQueue.checkInvariants("channel \(c.index) egress queue")
            precondition(
                ch.egressQueue.count <= port.queueLimit,
                "channel \(c.index) at port \(port.name): egress queue holds \(ch.egressQueue.count), over its limit \(port.queueLimit)")
            precondition(
                ch.egressQueue.isEmpty || port.bound,
                "channel \(c.index): egress queue holds \(ch.egressQueue.count) but port \(port.name) is unbound")
        }

        /// A NIC's transmit queue is within its limit and the wire is busy exactly while it is not empty.
        func checkNIC(_ n: NICID) {
            let nic = net.nics[n]
            nic.txQueue.checkInvariants("NIC \(nic.name) transmit queue")
            precondition(
                nic.txQueue.count <= nic.txLimit,
                "NIC \(nic.name): transmit queue holds \(nic.txQueue.count), over its limit \(nic.txLimit)")
            precondition(
                nic.txBusy == !nic.txQueue.isEmpty,
                "NIC \(nic.name): wire busy \(nic.txBusy) with \(nic.txQueue.count) packets queued")
        }

        /// A receive queue is within its limit; its DPC runs exactly while its completion event is outstanding (and
        /// holds a batch only then, of at most 64 frames); while no DPC runs, every queued frame is unannounced
        /// (waiting for the moderation threshold or timer).
        func checkReceiveQueue(_ q: QueueID) {
            let rq = net.queues[q]
            let name = "receive queue \(rq.name)"
            rq.queue.checkInvariants("\(name) queue")
            rq.batch.checkInvariants("\(name) DPC batch")
            precondition(rq.queue.count <= rq.limit, "\(name): holds \(rq.queue.count), over its limit \(rq.limit)")
            precondition(
                checks.dpcs[q.index] == (rq.dpcRunning ? 1 : 0),
                "\(name): DPC running \(rq.dpcRunning) with \(checks.dpcs[q.index]) completion events outstanding")
            precondition(
                rq.batch.count <= 64 && (rq.dpcRunning || rq.batch.isEmpty),
                "\(name): DPC batch of \(rq.batch.count) with DPC running \(rq.dpcRunning)")
            precondition(
                rq.dpcRunning || rq.unannounced == rq.queue.count,
                "\(name): no DPC running, \(rq.queue.count) frames queued but \(rq.unannounced) unannounced")
        }

        /// A core's backlog is never negative and stops at `busyHorizon`; its clock owner owns itself; its cycle and
        /// stall counters never go negative.
        func checkServer(_ s: CoreID) {
            let server = cores.servers[s]
            let o = server.clockOwner
            precondition(
                o >= cores.servers.startIndex && o < cores.servers.endIndex,
                "core \(server.name): clock owner \(o) out of 0..<\(cores.servers.count)")
            precondition(
                cores.servers[o].clockOwner == o, "core \(server.name): clock owner \(o) is owned by \(cores.servers[o].clockOwner)")
            precondition(
                server.busyUntil >= .zero && server.busyUntil <= Self.busyHorizon,
                "core \(server.name): busy until \(server.busyUntil.picoseconds) ps, outside 0…\(Self.busyHorizon.picoseconds)")
            precondition(server.stalledPs >= 0, "core \(server.name): stalled \(server.stalledPs) ps")
            precondition(server.intervalCycles >= 0, "core \(server.name): \(server.intervalCycles) cycles this interval")
            for st in CostStage.allCases {
                let c = cores.cycles(s, st)
                precondition(c >= 0, "core \(server.name): \(c) cycles of \(st.name)")
            }
        }

        /// Every live packet is at exactly one stage, and the structures agree with the stages (the end-of-run
        /// conservation check, run in the middle of the run).
        func checkStages() {
            do { _ = try checkConservation() } catch { preconditionFailure("\(error)") }
        }

        /// Cycle accounting: by domain, the cycles charged to cores (hypervisor stages; other stages on root cores;
        /// other stages on vCPUs) = the cycles billed to flows = the cycles billed to adapters.
        func checkCycleAccounting() {
            var byCore = [Int64](repeating: 0, count: CycleDomain.count)
            for s in cores.servers.indices {
                for st in CostStage.allCases {
                    let d = st.isHypervisor ? CycleDomain.hypervisor : domain(s)
                    byCore[Int(d.rawValue)] &+= cores.cycles(s, st)
                }
            }
            var byFlow = [Int64](repeating: 0, count: CycleDomain.count)
            for (i, c) in accounting.ownerCycles.enumerated() { byFlow[i % CycleDomain.count] &+= c }
            var byAdapter = [Int64](repeating: 0, count: CycleDomain.count)
            for (i, c) in accounting.adapterCycles.enumerated() { byAdapter[i % CycleDomain.count] &+= c }
            for d in CycleDomain.allCases {
                let i = Int(d.rawValue)
                precondition(
                    byCore[i] == byFlow[i] && byCore[i] == byAdapter[i],
                    "cycles (\(d)): cores \(byCore[i]), flows \(byFlow[i]), adapters \(byAdapter[i])")
            }
        }
    }
#endif  // VNETSIM_INTERNAL_CHECKS
