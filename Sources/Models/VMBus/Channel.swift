import SimCore

/// One VMBus channel of a synthetic adapter (the primary or a vRSS sub-channel): a send ring
/// (guest → host, drained by NetVSP) and a receive ring (host → guest, drained by NetVSC),
/// each of bounded bytes, with the signalling state of MODEL-REFERENCE §1.2.
///
/// Ring entries are descriptors (`descriptorBytes` each, already 8-byte aligned with the trailer):
/// frame data travels in the send buffer / page lists and the receive buffer, not in the ring.
/// A write needs `free > entry` (the ring is never filled completely, `hv_ringbuffer_write`).
@usableFromInline
struct Channel {
    /// The synthetic adapter's endpoint.
    @usableFromInline var endpoint: EndpointID
    /// The guest vCPU (core server) that runs NetVSC for this channel.
    @usableFromInline var vcpu: CoreID
    /// The root core (core server) that runs NetVSP for this channel.
    @usableFromInline var root: CoreID
    /// Data bytes of each ring (ring size − the 4 KiB header page).
    @usableFromInline var capacity: Int
    @usableFromInline var entry: Int

    // Send ring (guest → host).
    @usableFromInline var sendRing = PacketQueue<PacketID>()
    @usableFromInline var sendUsed = 0
    /// The reader (VSP) has set interrupt_mask: it is draining, writers do not signal.
    @usableFromInline var sendMasked = false
    /// The writer is blocked on a full ring (pending_send_sz set); waiting packets sit in `guestQueue`.
    @usableFromInline var writerBlocked = false
    /// The guest's transmit queue in front of the ring while the writer is blocked.
    @usableFromInline var guestQueue = PacketQueue<PacketID>()
    /// Packets NetVSC has processed (or is processing) on the vCPU and not yet written, in order, and the
    /// sizes of the VMBus messages they form (up to `batchPackets` each, RNDIS multi-send, §1.3).
    @usableFromInline var staging = PacketQueue<PacketID>()
    @usableFromInline var messages = PacketQueue<Int>()
    /// Packets staged for the message being assembled (not yet closed).
    @usableFromInline var assembling = 0
    /// Packets the VSP is processing in the current drain pass.
    @usableFromInline var vspBatch = PacketQueue<PacketID>()
    /// Packets the running (or last) drain DPC has taken, and the root cycles its passes and their completions
    /// charged: checked against `VMBusDrainConfig`'s quota and budget at the end of each pass.
    @usableFromInline var dpcPackets = 0
    @usableFromInline var dpcCycles: Int64 = 0

    // Send completions (host → guest on the receive ring, one VM_PKT_COMP per send message, §1.2–1.3). Both queues
    // are in order: [taken by the guest's running pass][in the ring][of NetVSP's running pass, not yet written].
    /// The owner of each completion's message (its cycles are billed to it).
    @usableFromInline var completionOwners = PacketQueue<UInt32>()
    /// The socket charges the completions free when the guest processes them.
    @usableFromInline var completionCharges = PacketQueue<SocketCharge>()
    @usableFromInline var completionsUnwritten = 0, completionsInRing = 0, completionsProcessing = 0
    @usableFromInline var chargesUnwritten = 0, chargesInRing = 0, chargesProcessing = 0

    // Receive ring (host → guest).
    @usableFromInline var receiveRing = PacketQueue<PacketID>()
    @usableFromInline var receiveUsed = 0
    /// The guest (VSC) is draining the receive ring with interrupts masked.
    @usableFromInline var receiveMasked = false
    @usableFromInline var guestBatch = PacketQueue<PacketID>()
    /// Frames NetVSP holds for this channel while its receive ring is full: each sub-channel has its own (its vRSS
    /// queue), bounded by the switch's `port_queue`; full → `port_queue_full`.
    @usableFromInline var egressQueue = PacketQueue<PacketID>()

    // Counters (cumulative; reports subtract the warm-up snapshot).
    @usableFromInline var counters = ChannelCounters()
    /// Time-weighted occupancy integrals (byte·ps) and the time of the last change.
    @usableFromInline var sendOccupancyArea: Double = 0
    @usableFromInline var receiveOccupancyArea: Double = 0
    @usableFromInline var lastSendChange: SimTime = .zero
    @usableFromInline var lastReceiveChange: SimTime = .zero

    init(endpoint: EndpointID, vcpu: CoreID, root: CoreID, ringBytes: Int, entry: Int) {
        self.endpoint = endpoint; self.vcpu = vcpu; self.root = root
        self.capacity = ringBytes - 4096; self.entry = entry
    }

    /// Bytes of one send completion in the ring: a 16-B `vmpacket_descriptor`, the 8-B NVSP
    /// `send_rndis_packet_complete` message and the 8-B trailer (hyperv_net.h, ring_buffer.c).
    @usableFromInline static let completionBytes = 32

    /// The receive ring holds something for the guest: received packets or send completions.
    @inline(__always) var receivePending: Bool { !receiveRing.isEmpty || completionsInRing > 0 }
    @inline(__always) var sendHasRoom: Bool { capacity - sendUsed > entry }
    @inline(__always) var receiveHasRoom: Bool { capacity - receiveUsed > entry }

    @inline(__always) mutating func noteSend(_ now: SimTime) {
        sendOccupancyArea += Double(sendUsed) * Double(now.picoseconds - lastSendChange.picoseconds)
        lastSendChange = now
    }
    @inline(__always) mutating func noteReceive(_ now: SimTime) {
        receiveOccupancyArea += Double(receiveUsed) * Double(now.picoseconds - lastReceiveChange.picoseconds)
        lastReceiveChange = now
    }
}

/// Event counts of one channel.
@usableFromInline
struct ChannelCounters: Sendable {
    /// VMBus messages written by NetVSC (each carries 1…batchPackets packets).
    @usableFromInline var messages: UInt64 = 0
    /// Guest→host signals (HvSignalEvent hypercalls): one per empty→non-empty transition seen unmasked.
    @usableFromInline var signals: UInt64 = 0
    /// Empty→non-empty transitions of the send ring (signalled or not).
    @usableFromInline var sendTransitions: UInt64 = 0
    /// Transitions seen while the VSP had interrupts masked (it was mid-drain): no signal needed.
    @usableFromInline var maskedTransitions: UInt64 = 0
    /// Host→guest SynIC interrupts: one per empty→non-empty transition of the receive ring (received data or send
    /// completions) seen while the guest had not masked.
    @usableFromInline var interrupts: UInt64 = 0
    /// Send completions NetVSP wrote (one per send message).
    @usableFromInline var sendCompletions: UInt64 = 0
    /// Receive completions the guest returned (one per received packet) — their signals are in `signals`.
    @usableFromInline var receiveCompletions: UInt64 = 0
    /// Host→guest interrupts that woke a writer blocked on a full send ring.
    @usableFromInline var writerWakeups: UInt64 = 0
    /// VSP drain passes and the packets they took (mean batch = packets / passes).
    @usableFromInline var drains: UInt64 = 0
    @usableFromInline var drained: UInt64 = 0
    /// VSP drain DPCs queued (after a signal, or after a DPC that stopped at its quota or budget with packets left),
    /// and the DPCs that stopped at their packet quota and at their cycle budget. The DPCs that ended with the ring
    /// empty are the rest: `vspDPCs − vspQuotaHits − vspBudgetHits` (less the one running, if any).
    @usableFromInline var vspDPCs: UInt64 = 0
    @usableFromInline var vspQuotaHits: UInt64 = 0
    @usableFromInline var vspBudgetHits: UInt64 = 0
    @usableFromInline var guestDrains: UInt64 = 0
    @usableFromInline var guestDrained: UInt64 = 0
    @usableFromInline var sendPackets: UInt64 = 0
    @usableFromInline var receivePackets: UInt64 = 0
    @usableFromInline var maxSendUsed: Int = 0
    @usableFromInline var maxReceiveUsed: Int = 0
}
