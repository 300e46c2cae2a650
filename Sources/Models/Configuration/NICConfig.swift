import SimCore

/// A physical NIC in the root partition, bound to at most one external switch.
/// The network beyond it is modelled as one external peer per NIC: a sink and a source at line rate.
public struct NICConfig: Sendable, Equatable {
    /// Unique name, e.g. "pnic0".
    public var name: String
    /// Line rate. Default: 10 Gb/s.
    public var linkRate: DataRate
    /// Largest IP packet (MTU) in bytes; frames add 18 B of Ethernet header+FCS. Default: 1500 (9000 for jumbo).
    public var mtu: Int
    /// Transmit queue (descriptors); a full queue drops with cause `nic_tx_queue_full`. Unit: packets. Default: 1024.
    public var txQueuePackets: Int
    /// Each receive queue (the default queue and each VMQ queue); full → `nic_rx_queue_full`. Unit: packets. Default: 1024.
    public var rxQueuePackets: Int
    /// Receive interrupt moderation. Default: 32 frames or 50 µs (MODEL-REFERENCE §5 'Physical NIC driver': ≈1 interrupt per 8–64 pkts at load).
    public var coalescing: InterruptCoalescing
    /// VMQ: one hardware receive queue per vmNIC (filtered on MAC+VLAN) mapped to a root core; off → every frame in the
    /// default queue on one core (MODEL-REFERENCE §1.6). Default: true.
    public var vmq: Bool
    /// Root cores the VMQ queues are spread over, round-robin in vmNIC order; the first also takes the default queue.
    /// Empty = the host's root cores. Default: [] (MODEL-REFERENCE §1.6: dVMQ, avoid core 0 — list the cores to do so).
    public var queueCores: [Int]
    /// Large send offload in the NIC: the vSwitch hands super-segments to the NIC, which cuts them at the MSS. Default: true.
    public var lso: Bool
    /// One-way propagation delay to the external peer. Default: 1 µs.
    public var propagationDelay: SimTime
    /// SR-IOV: the NIC offers virtual functions, one per vmNIC with `sriov: true` on its switch (MODEL-REFERENCE §1.6).
    /// Each VF has its own receive queue with the NIC's interrupt moderation, interrupting the VM's vCPU. Default: false.
    public var sriov: Bool = false

    public init(
        name: String, linkRate: DataRate = .gigabits(10), mtu: Int = 1500, txQueuePackets: Int = 1024,
        rxQueuePackets: Int = 1024, coalescing: InterruptCoalescing = InterruptCoalescing(), vmq: Bool = true,
        queueCores: [Int] = [], lso: Bool = true, propagationDelay: SimTime = .microseconds(1)
    ) {
        self.name = name; self.linkRate = linkRate; self.mtu = mtu; self.txQueuePackets = txQueuePackets
        self.rxQueuePackets = rxQueuePackets; self.coalescing = coalescing; self.vmq = vmq; self.queueCores = queueCores
        self.lso = lso; self.propagationDelay = propagationDelay
    }
}

/// Receive interrupt moderation: an interrupt when `maxFrames` frames wait, or `maxDelay` after the first unannounced frame.
public struct InterruptCoalescing: Sendable, Equatable {
    /// Frames per interrupt at most. Unit: packets. Default: 32. 1 = an interrupt per frame.
    public var maxFrames: Int
    /// Longest a frame waits for its interrupt. Default: 50 µs.
    public var maxDelay: SimTime
    public init(maxFrames: Int = 32, maxDelay: SimTime = .microseconds(50)) {
        self.maxFrames = maxFrames; self.maxDelay = maxDelay
    }
}
