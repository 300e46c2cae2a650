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
    /// VMMQ (WS2016): a vmNIC with vRSS sub-channels (`channels` > 1) gets several hardware receive queues instead of
    /// one VMQ queue — min(channels, `vmmqQueuePairs`), on successive queue cores — and the NIC picks one per frame by
    /// the Toeplitz hash of its 4-tuple through a 128-entry indirection table, so a vmNIC's receive work spreads over
    /// root cores. Needs `vmq`. Default: false (WMI `DefaultQueueVmmqEnabled = FALSE`, MODEL-REFERENCE §1.6).
    public var vmmq: Bool = false
    /// VMMQ queues per vmNIC at most. Default: 16 (WMI `DefaultQueueVmmqQueuePairs = 16`, §1.6).
    public var vmmqQueuePairs: Int = 16
    /// Receive Segment Coalescing in the NIC (hardware RSC, WS2012): consecutive in-order TCP segments of a stream that
    /// land in one receive queue are merged, up to a 64 KiB IP datagram, before the driver sees them, so the driver and
    /// everything after it pay per coalesced packet. Default: false — Hyper-V disables it "once a physical network
    /// adapter is attached to a vSwitch" (`rsc-in-the-vswitch.md`, §1.6); the vSwitch's own RSC is `SwitchConfig.rsc`.
    public var rsc: Bool = false
    /// Dynamic VMQ (WS2012): the VMQ queues start on the home processor (the first queue core) and move between the
    /// queue cores by processor load. Default: off — Hyper-V runs it whenever VMQ is on, but publishes neither its
    /// thresholds nor its interval, so the model's default is the static assignment (one queue per queue core in
    /// turn, where dVMQ's spreading ends under sustained load), and this turns the mechanism on with stated, assumed
    /// parameters (MODEL-REFERENCE §1.6; Microsoft's "VMQ Deep Dive, 2 of 3", 2013).
    public var dynamicVMQ = DynamicVMQConfig()

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

/// Dynamic VMQ's rebalancing ("VMQ Deep Dive, 2 of 3": all VMQs start on the home processor; "when the network traffic
/// and processor utilization increases and reaches a set threshold the networking load will be distributed to more
/// processors", and below a threshold it is gathered onto fewer). Every `interval`, per NIC, at most one queue moves:
/// * spread: off the busiest queue core holding two or more of the NIC's VMQ queues, when its utilization over the
///   interval is above `spreadAbove`, the queue whose move to the least-loaded queue core best evens the two (only if
///   it lowers the busier of them);
/// * else coalesce: off the least-loaded queue core other than the home processor, when it is below `coalesceBelow`,
///   its lightest queue onto the busiest queue core that stays below `coalesceBelow` with it.
/// A core's utilization is the cycles charged to it in the interval (all its work, not only the NIC's), a queue's load
/// the cycles its ISR and DPC passes charged. The values are not public: every default is an assumption.
public struct DynamicVMQConfig: Sendable, Equatable {
    /// Whether dVMQ runs. Default: false (see `NICConfig.dynamicVMQ`).
    public var enabled: Bool
    /// How often the queues are re-examined. Default: 100 ms (assumption).
    public var interval: SimTime
    /// A core busier than this fraction spreads a queue away. Default: 0.8 (assumption).
    public var spreadAbove: Double
    /// A core idler than this fraction gives its queues to busier ones. Default: 0.1 (assumption).
    public var coalesceBelow: Double
    public init(enabled: Bool = false, interval: SimTime = .milliseconds(100), spreadAbove: Double = 0.8, coalesceBelow: Double = 0.1) {
        self.enabled = enabled; self.interval = interval; self.spreadAbove = spreadAbove; self.coalesceBelow = coalesceBelow
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
