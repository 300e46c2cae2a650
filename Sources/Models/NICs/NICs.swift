/// The physical-NIC subsystem: every NIC (transmit queue and wire, the inbound wire from its external peer)
/// and every receive queue (each NIC's default queue, plus one VMQ queue per vmNIC when VMQ is on).
@usableFromInline
struct NICs {
    @usableFromInline var nics = FixedTable<NICID, NICState>()
    @usableFromInline var queues = FixedTable<QueueID, ReceiveQueue>()

    func deallocate() {
        for n in nics.indices { nics[n].txQueue.deallocate(); nics[n].txWire.deallocate(); nics[n].rxWire.deallocate() }
        for q in queues.indices { queues[q].queue.deallocate(); queues[q].batch.deallocate(); queues[q].vfTx.deallocate() }
        nics.deallocate()
        queues.deallocate()
    }
}
