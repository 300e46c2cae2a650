import SimCore

// Packet conservation: every packet created ends delivered, dropped for a named cause, or in flight.
extension HostSimulation {
    /// Verifies created = delivered + dropped + in flight, and that the packets the structures hold
    /// agree with the packets' recorded stages. - Throws: `SimulationError` with the numbers.
    func checkConservation() throws -> Conservation {
        var byStage = [UInt64](repeating: 0, count: PacketStage.allCases.count)
        // `byStage` counts packet slots (what the structures hold); `heldByStage` also the segments RSC merged into them.
        var heldByStage = byStage
        for id in packets.liveIDs() {
            byStage[Int(packets.stage[Int(id.index)])] += 1
            heldByStage[Int(packets.stage[Int(id.index)])] += 1 + UInt64(packets.merged[Int(id.index)])
        }
        let live = UInt64(packets.liveCount) + accounting.mergedLive
        var dropped: [String: UInt64] = [:]
        var droppedTotal: UInt64 = 0
        for c in DropCause.allCases where accounting.drops[c.rawValue] > 0 {
            dropped[c.name] = accounting.drops[c.rawValue]; droppedTotal += accounting.drops[c.rawValue]
        }
        var inFlight: [String: UInt64] = [:]
        for s in PacketStage.allCases where heldByStage[Int(s.rawValue)] > 0 { inFlight[s.name] = heldByStage[Int(s.rawValue)] }
        let cons = Conservation(
            created: accounting.created, delivered: accounting.delivered, droppedByCause: dropped, inFlight: live, inFlightByStage: inFlight
        )
        var problems: [String] = []
        if !cons.holds {
            problems.append(
                "created \(accounting.created) ≠ delivered \(accounting.delivered) + dropped \(droppedTotal) + in flight \(live)")
        }
        if packets.allocatedTotal != accounting.created {
            problems.append("the packet table allocated \(packets.allocatedTotal) packets but sources created \(accounting.created)")
        }
        // Structures vs stages.
        func check(_ stage: PacketStage, _ held: Int, _ what: String) {
            let n = byStage[Int(stage.rawValue)]
            if UInt64(held) != n { problems.append("\(what) hold \(held) packets but \(n) live packets are at stage \(stage.name)") }
        }
        check(.sendRing, vmbus.channels.reduce(0) { $0 + $1.sendRing.count }, "send rings")
        check(
            .guestQueue, vmbus.channels.reduce(0) { $0 + $1.guestQueue.count } + adapters.devices.reduce(0) { $0 + $1.guestQueue.count },
            "guest transmit queues")
        check(.vsp, vmbus.channels.reduce(0) { $0 + $1.vspBatch.count }, "VSP batches")
        check(.portQueue, vmbus.channels.reduce(0) { $0 + $1.egressQueue.count }, "channel egress queues")
        check(
            .receiveRing, vmbus.channels.reduce(0) { $0 + $1.receiveRing.count } + adapters.devices.reduce(0) { $0 + $1.rxRing.count },
            "receive rings")
        check(.nicRxQueue, net.queues.reduce(0) { $0 + $1.queue.count }, "NIC receive queues")
        check(.dpc, net.queues.reduce(0) { $0 + ($1.vf == .none ? $1.batch.count : 0) }, "DPC batches")
        check(.vfReceive, net.queues.reduce(0) { $0 + ($1.vf == .none ? 0 : $1.batch.count) }, "VF receive passes")
        check(.vfQueue, net.queues.reduce(0) { $0 + $1.vfTx.count }, "VF transmit stagings")
        let txHeld = net.nics.reduce(0) { $0 + $1.txQueue.count }
        let txStaged = byStage[Int(PacketStage.nicTxQueue.rawValue)] + byStage[Int(PacketStage.wireToPeer.rawValue)]
        if UInt64(txHeld) != txStaged {
            problems.append("NIC transmit queues hold \(txHeld) packets but \(txStaged) live packets are queued or on the wire")
        }
        if !problems.isEmpty {
            throw SimulationError(
                message: "packet conservation violated in '\(config.name)': " + problems.joined(separator: "; ")
                    + " (dropped by cause: \(dropped.sorted { $0.key < $1.key }), in flight by stage: \(inFlight.sorted { $0.key < $1.key }))"
            )
        }
        return cons
    }
}
