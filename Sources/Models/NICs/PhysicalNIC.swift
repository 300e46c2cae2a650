import SimCore

/// A physical NIC: the transmit queue and wire, the inbound wire from the external peer,
/// and its receive queues (the default queue plus one VMQ queue per vmNIC).
@usableFromInline
struct NICState {
    @usableFromInline var name: String
    @usableFromInline var linkRate: DataRate
    @usableFromInline var mtu: Int
    @usableFromInline var lso: Bool
    @usableFromInline var propagation: SimTime
    @usableFromInline var txQueue = PacketQueue<PacketID>()
    @usableFromInline var txLimit: Int
    @usableFromInline var txBusy = false
    /// When the inbound wire (peer → NIC) is free again.
    @usableFromInline var rxWireBusyUntil: SimTime = .zero
    @usableFromInline var externalEndpoint = EndpointID.none
    @usableFromInline var defaultQueue = QueueID.none
    @usableFromInline var counters = NICCounters()
    /// The time each wire is busy serializing frames (preamble and gap included), measured as it passes: the
    /// throughput each way is this time at the link rate, so it cannot exceed the rate.
    @usableFromInline var txWire: BusyMeter
    @usableFromInline var rxWire: BusyMeter
    /// Dynamic VMQ (`NICConfig.dynamicVMQ`; `dynamicVMQ.enabled` false: the queues keep their cores), the NIC's VMQ
    /// queues, and the scratch of each rebalancing: per queue core, the cycles charged to it at the last one and its
    /// load since (allocated at build, so a rebalancing allocates nothing).
    @usableFromInline var dynamicVMQ = DynamicVMQConfig()
    @usableFromInline var vmqQueues: Range<QueueID> = QueueID(0)..<QueueID(0)
    @usableFromInline var queueCores = ContiguousArray<CoreID>()
    @usableFromInline var coreCyclesSeen = ContiguousArray<Int64>()
    @usableFromInline var coreLoad = ContiguousArray<Double>()
    @usableFromInline var coreQueues = ContiguousArray<Int>()
}

@usableFromInline
struct NICCounters: Sendable {
    @usableFromInline var txPackets: UInt64 = 0
    @usableFromInline var txWireBytes: UInt64 = 0
    @usableFromInline var txSegments: UInt64 = 0
    @usableFromInline var rxPackets: UInt64 = 0
    @usableFromInline var rxWireBytes: UInt64 = 0
    @usableFromInline var interrupts: UInt64 = 0
    @usableFromInline var txBusyPs: Int64 = 0
    /// TCP segments hardware RSC merged into a segment waiting in a receive queue.
    @usableFromInline var rscMerged: UInt64 = 0
    /// Dynamic VMQ: queues moved to another core.
    @usableFromInline var vmqMoves: UInt64 = 0
}

/// One NIC receive queue with its interrupt moderation and the root core its DPC runs on.
@usableFromInline
struct ReceiveQueue {
    @usableFromInline var nic: NICID
    @usableFromInline var core: CoreID
    @usableFromInline var name: String
    @usableFromInline var queue = PacketQueue<PacketID>()
    @usableFromInline var limit: Int
    @usableFromInline var maxFrames: Int
    @usableFromInline var maxDelay: SimTime
    /// Hardware RSC (`NICConfig.rsc`): an arriving TCP segment merges into a segment of its stream waiting here.
    @usableFromInline var rsc = false
    /// Frames that arrived since the last interrupt while no DPC ran.
    @usableFromInline var unannounced = 0
    @usableFromInline var timer = TimerSlot()
    @usableFromInline var dpcRunning = false
    @usableFromInline var batch = PacketQueue<PacketID>()
    @usableFromInline var interrupts: UInt64 = 0
    @usableFromInline var packets: UInt64 = 0
    /// Root cycles its ISR and DPC passes charged (cumulative), and at dynamic VMQ's last look.
    @usableFromInline var cycles: Int64 = 0
    @usableFromInline var cyclesSeen: Int64 = 0
    /// SR-IOV: the VM adapter whose virtual function this queue is (`.none`: a host queue). A VF's queue interrupts
    /// the VM's vCPU (`core`), and its pass (VF driver + guest stack) runs there and delivers.
    @usableFromInline var vf = EndpointID.none
    /// SR-IOV: the VF's frames between the guest's transmit work and the NIC (FIFO: one vCPU writes them), each
    /// handed to the NIC by a `vfTransmit` event of the current `vfEpoch`.
    @usableFromInline var vfTx = PacketQueue<PacketID>()
    /// SR-IOV: bumped when the VF is removed, so that the `vfTransmit` events of the frames it dropped are ignored.
    @usableFromInline var vfEpoch: UInt32 = 0
    /// SR-IOV: frames the VF handed to the NIC.
    @usableFromInline var vfTxPackets: UInt64 = 0
}
