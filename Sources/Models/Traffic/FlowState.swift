import SimCore
import Stochastics

/// Pattern codes of a flow (a small integer for the hot-path switch).
@usableFromInline
enum PatternCode: UInt8, Sendable { case constant, poisson, onOff, requestResponse, bulk }

/// Flags carried in `PacketTable.flags`.
@usableFromInline
enum PacketFlag {
    /// A TCP acknowledgement of a bulk flow (travels from `to` back to `from`).
    @usableFromInline static let ack: UInt16 = 1
    /// The last packet of a message (request/response: triggers the answer).
    @usableFromInline static let last: UInt16 = 2
    /// A response of a request/response flow (travels back).
    @usableFromInline static let response: UInt16 = 4
    /// Push: the receiver acknowledges at once (end of a send burst).
    @usableFromInline static let push: UInt16 = 8
    /// An LSO super-segment, segmented by the NIC (or in software).
    @usableFromInline static let lso: UInt16 = 16
    /// Addressed to every station of the VLAN (`ff:ff:ff:ff:ff:ff`): the switch floods it, a copy per port.
    @usableFromInline static let broadcast: UInt16 = 32
    /// Virtual Server: the packet was in flight on a network when it was deleted or unregistered; its next stage drops
    /// it as an incomplete transmission (`HostSimulation.abandon`).
    @usableFromInline static let lostWithNetwork: UInt16 = 64
    /// Virtual Server: the packet was inside a VM (its stack, its adapter) when the VM stopped; its next stage drops it
    /// (`vm_stopped`).
    @usableFromInline static let lostWithVM: UInt16 = 128
    /// Either of the two.
    @usableFromInline static let abandoned: UInt16 = lostWithNetwork | lostWithVM
    /// The packet's frame bytes are charged to its flow's socket send buffer (`FlowState.socketUsed`) until the
    /// sending adapter completes it (or it is dropped first): `HostSimulation.releaseSocket`.
    @usableFromInline static let socketCharged: UInt16 = 256
    /// The last packet of a VMBus send message (NetVSP returns one completion per message).
    @usableFromInline static let messageEnd: UInt16 = 512
    /// SR-IOV: sent through a virtual function (no vSwitch): a frame for another endpoint of the host comes back from
    /// the NIC's embedded switch when the NIC has sent it (`nicTxDone`).
    @usableFromInline static let viaVF: UInt16 = 1024
}

/// A bulk flow's TCP segment or ACK number and its stream, packed in a packet's `sequence`: the stream in the top
/// 8 bits, the byte offset (or the ACK's next expected byte) in the low 56 (64 PiB: no run gets near).
@usableFromInline
enum TCPWire {
    @usableFromInline static let streamShift: UInt64 = 56
    @usableFromInline static let offsetMask: UInt64 = (1 << 56) - 1
    @inline(__always) static func pack(stream: Int, offset: UInt64) -> UInt64 { UInt64(stream) << streamShift | offset & offsetMask }
    @inline(__always) static func stream(_ sequence: UInt64) -> Int { Int(sequence >> streamShift) }
    @inline(__always) static func offset(_ sequence: UInt64) -> UInt64 { sequence & offsetMask }
}

/// Frame bytes of one packet charged to a flow's socket, held by an adapter after the packet left the guest's hands
/// and until the guest learns of its completion (a 21140 TX descriptor not yet reclaimed, a VMBus send not yet
/// completed).
@usableFromInline
struct SocketCharge: Sendable, BitwiseCopyable {
    @usableFromInline var flow: UInt32
    @usableFromInline var bytes: UInt32
    @inlinable init(flow: UInt32, bytes: UInt32) { self.flow = flow; self.bytes = bytes }
}

/// The run-time state of one flow.
@usableFromInline
final class FlowState {
    let name: String
    let id: FlowID
    let from: EndpointID
    let to: EndpointID
    let pattern: PatternCode
    let headerBytes: Int
    let isTCP: Bool
    /// Payload bytes per packet: the MSS, or the LSO super-segment size when the sender offloads.
    let mss: Int
    let segmentBytes: Int
    /// Payload bytes per packet in the reverse direction (responses).
    let reverseSegmentBytes: Int
    var active = false
    let start: SimTime
    let stop: SimTime
    var timer = TimerSlot()
    /// Payload bits per second (open-loop patterns).
    let rateBps: Double
    let fixedSize: Int
    let sizeSampler: Sampler?
    let interarrival: RandomStream?
    let onSampler: Sampler?
    let offSampler: Sampler?
    var onUntil: SimTime = .zero
    let responseBytes: Int
    let thinkSampler: Sampler?
    var requestStart: SimTime = .zero
    var transactionOpen = false
    // Bulk: one TCP connection per stream, each a sender at `from` and a receiver at `to` (TCPSender, TCPReceiver),
    // with its retransmission and delayed-ACK timers (one event outstanding each: `rtoEventAt`, `ackEventAt`).
    let window: Int64
    let ackEvery: Int
    var senders = ContiguousArray<TCPSender>()
    var receivers = ContiguousArray<TCPReceiver>()
    var rtoEventAt = ContiguousArray<SimTime>()
    var ackEventAt = ContiguousArray<SimTime>()
    /// The index of this flow's first stream among every flow's (timer events target it).
    var firstStream = 0
    var nextSequence: UInt64 = 0

    // The sender's socket (open-loop patterns): frame bytes from the stack's hand-off to the adapter's completion.
    /// Whether this flow's messages pass through a socket send buffer (constant, Poisson and on/off sources).
    let usesSocket: Bool
    let socketBlocking: Bool
    let socketLimit: Int64
    var socketUsed: Int64 = 0
    /// A blocking sender asleep in `send`: the message it waits to send (payload bytes), and since when.
    var socketBlocked = false
    var pendingBytes = 0
    var blockedSince: SimTime = .zero

    /// Counts the time a blocking sender has slept so far (at the warm-up's end and the run's, so that the
    /// measured window gets exactly its own part).
    func noteBlocked(_ now: SimTime) {
        guard socketBlocked else { return }
        counters.socketBlockedPs &+= now.picoseconds - blockedSince.picoseconds
        blockedSince = now
    }

    // Measured counters (cumulative; reports subtract the warm-up snapshot).
    var counters = FlowCounters()
    /// Latency in nanoseconds (one-way per packet, or request-to-response for request/response flows).
    var latency = LatencyRecorder()
    /// Latency moments of the measured window's first and second halves (the steady-state check compares them).
    var firstHalf = LatencyMoments(), secondHalf = LatencyMoments()

    init(
        name: String, id: FlowID, from: EndpointID, to: EndpointID, pattern: PatternCode, headerBytes: Int, isTCP: Bool, mss: Int,
        segmentBytes: Int, reverseSegmentBytes: Int, start: SimTime, stop: SimTime, rateBps: Double, fixedSize: Int, sizeSampler: Sampler?,
        interarrival: RandomStream?, onSampler: Sampler?, offSampler: Sampler?, responseBytes: Int,
        thinkSampler: Sampler?, window: Int64, ackEvery: Int, socket: SocketOptions
    ) {
        self.usesSocket = pattern == .constant || pattern == .poisson || pattern == .onOff
        self.socketBlocking = socket.mode == .blocking
        self.socketLimit = socket.sendBuffer.bytes
        self.name = name; self.id = id; self.from = from; self.to = to; self.pattern = pattern
        self.headerBytes = headerBytes; self.isTCP = isTCP; self.mss = mss; self.segmentBytes = segmentBytes
        self.reverseSegmentBytes = reverseSegmentBytes
        self.start = start; self.stop = stop; self.rateBps = rateBps; self.fixedSize = fixedSize
        self.sizeSampler = sizeSampler; self.interarrival = interarrival; self.onSampler = onSampler
        self.offSampler = offSampler; self.responseBytes = responseBytes; self.thinkSampler = thinkSampler
        self.window = window; self.ackEvery = ackEvery
    }
}

/// Counters of a flow.
@usableFromInline
struct FlowCounters: Sendable {
    @usableFromInline var messages: UInt64 = 0
    @usableFromInline var sentPackets: UInt64 = 0
    @usableFromInline var sentBytes: UInt64 = 0
    /// Data packets and payload bytes delivered at the far end (ACKs excluded; responses included).
    @usableFromInline var deliveredPackets: UInt64 = 0
    @usableFromInline var deliveredBytes: UInt64 = 0
    @usableFromInline var acks: UInt64 = 0
    @usableFromInline var transactions: UInt64 = 0
    @usableFromInline var failedTransactions: UInt64 = 0
    @usableFromInline var drops: UInt64 = 0
    @usableFromInline var intervalBytes: UInt64 = 0
    /// Virtual Server: messages an open-loop source offered while an end could not send (no adapter, its VM stopped,
    /// or no DHCP lease): never made into packets (the stack refuses them).
    @usableFromInline var unsentMessages: UInt64 = 0
    /// Bulk, summed over the streams (copied from the senders by `HostSimulation.syncTCPCounters`): segments sent
    /// again, retransmission timeouts, fast retransmits (incl. partial-ACK ones) and fast-recovery episodes.
    @usableFromInline var retransmissions: UInt64 = 0
    @usableFromInline var timeouts: UInt64 = 0
    @usableFromInline var fastRetransmits: UInt64 = 0
    @usableFromInline var recoveries: UInt64 = 0
    /// Times a blocking sender found its socket send buffer full and slept, and the time it slept (ps).
    @usableFromInline var socketBlocks: UInt64 = 0
    @usableFromInline var socketBlockedPs: Int64 = 0
}

/// Count, mean and maximum of latencies in nanoseconds: enough to tell a growing queue from a steady one.
struct LatencyMoments: Sendable {
    var count: UInt64 = 0
    var sum = 0.0
    var maximum: UInt64 = 0
    var mean: Double { count > 0 ? sum / Double(count) : 0 }

    @inline(__always) mutating func add(_ ns: UInt64) {
        count &+= 1
        sum += Double(ns)
        if ns > maximum { maximum = ns }
    }
}
