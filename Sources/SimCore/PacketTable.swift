/// A packet's handle: an index into a `PacketTable`.
@frozen
public struct PacketID: Hashable, Sendable {
    public var index: UInt32
    @inlinable public init(_ index: UInt32) { self.index = index }
    @inlinable public init(arg: UInt32) { self.index = arg }
    /// The value to put in an event's `arg`.
    @inlinable public var arg: UInt32 { index }
}

/// Every packet alive in a run, as a struct of arrays with a free list.
///
/// Packets travel through the model as `PacketID`s (4 bytes in an event's
/// `arg`); their fields live here, one array per field, so the hot path reads
/// only the fields it needs. Freed slots are reused LIFO, so after warm-up the
/// table stops growing and allocation per packet is zero.
public struct PacketTable {
    /// Frame size on the wire in bytes (headers included, no preamble/IFG).
    public var frameBytes: ContiguousArray<UInt32> = []
    /// Application payload bytes carried (for goodput).
    public var payloadBytes: ContiguousArray<UInt32> = []
    /// The flow the packet belongs to.
    public var flow: ContiguousArray<UInt32> = []
    /// Source and destination endpoint indices (model-defined).
    public var source: ContiguousArray<UInt32> = []
    public var destination: ContiguousArray<UInt32> = []
    /// When the packet was created by its source.
    public var created: ContiguousArray<SimTime> = []
    /// Per-flow sequence number (or the acknowledged sequence for ACKs).
    public var sequence: ContiguousArray<UInt64> = []
    /// Model-defined flags (e.g. ACK, DHCP, LSO).
    public var flags: ContiguousArray<UInt16> = []
    /// VLAN id, 0 = untagged.
    public var vlan: ContiguousArray<UInt16> = []
    /// The model's current stage/position for the packet (for in-flight accounting).
    public var stage: ContiguousArray<UInt16> = []
    /// Model-defined: the generation of the port slot the packet was sent through (stale packets are recognised).
    public var generation: ContiguousArray<UInt32> = []
    @usableFromInline var live: ContiguousArray<Bool> = []
    @usableFromInline var freeList: ContiguousArray<UInt32> = []

    /// Packets allocated and not yet freed.
    @usableFromInline var _liveCount: Int = 0
    @inlinable public var liveCount: Int { _liveCount }
    /// Packets allocated since the table was created.
    @usableFromInline var _allocatedTotal: UInt64 = 0
    @inlinable public var allocatedTotal: UInt64 { _allocatedTotal }

    public init(reservingCapacity n: Int = 1024) {
        reserve(n)
    }

    /// Slots ever created (the high-water mark of live packets).
    public var capacity: Int { frameBytes.count }

    mutating func reserve(_ n: Int) {
        frameBytes.reserveCapacity(n); payloadBytes.reserveCapacity(n); flow.reserveCapacity(n)
        source.reserveCapacity(n); destination.reserveCapacity(n); created.reserveCapacity(n)
        sequence.reserveCapacity(n); flags.reserveCapacity(n); vlan.reserveCapacity(n)
        stage.reserveCapacity(n); generation.reserveCapacity(n); live.reserveCapacity(n); freeList.reserveCapacity(n)
    }

    /// Allocates a packet and sets its identifying fields.
    /// - Complexity: O(1) amortized; O(1) without allocation once warmed up.
    @inlinable
    public mutating func allocate(
        frameBytes fb: UInt32, payloadBytes pb: UInt32, flow f: UInt32,
        source s: UInt32, destination d: UInt32, created t: SimTime,
        sequence q: UInt64 = 0, flags fl: UInt16 = 0, vlan v: UInt16 = 0, generation g: UInt32 = 0
    ) -> PacketID {
        let i: Int
        if let slot = freeList.popLast() {
            i = Int(slot)
            frameBytes[i] = fb; payloadBytes[i] = pb; flow[i] = f; source[i] = s; destination[i] = d
            created[i] = t; sequence[i] = q; flags[i] = fl; vlan[i] = v; stage[i] = 0; generation[i] = g
            live[i] = true
        } else {
            i = frameBytes.count
            precondition(i < Int(UInt32.max), "packet table full")
            frameBytes.append(fb); payloadBytes.append(pb); flow.append(f); source.append(s); destination.append(d)
            created.append(t); sequence.append(q); flags.append(fl); vlan.append(v); stage.append(0); generation.append(g)
            live.append(true)
        }
        _liveCount += 1
        _allocatedTotal &+= 1
        return PacketID(UInt32(i))
    }

    /// A copy of a live packet in a slot of its own (a flooded frame's copies): every field the same, counted
    /// as an allocation. The fields are read before the new slot is taken, as taking it may grow the arrays.
    /// - Precondition: `id` is live.
    /// - Complexity: as `allocate`.
    @inlinable
    public mutating func clone(_ id: PacketID) -> PacketID {
        let i = Int(id.index)
        precondition(isLive(id), "packet \(i) cloned while not live")
        let st = stage[i]
        let copy = allocate(
            frameBytes: frameBytes[i], payloadBytes: payloadBytes[i], flow: flow[i], source: source[i],
            destination: destination[i], created: created[i], sequence: sequence[i], flags: flags[i], vlan: vlan[i],
            generation: generation[i])
        stage[Int(copy.index)] = st
        return copy
    }

    /// Returns a packet's slot to the free list.
    /// - Precondition: the packet is live (a double free traps).
    @inlinable
    public mutating func free(_ id: PacketID) {
        let i = Int(id.index)
        precondition(live[i], "packet \(i) freed twice")
        live[i] = false
        freeList.append(id.index)
        _liveCount -= 1
    }

    /// `true` if `id` refers to a live packet.
    @inlinable public func isLive(_ id: PacketID) -> Bool {
        Int(id.index) < live.count && live[Int(id.index)]
    }

    /// The ids of all live packets, in index order (for end-of-run accounting; allocates).
    public func liveIDs() -> [PacketID] {
        var out: [PacketID] = []
        out.reserveCapacity(_liveCount)
        for i in 0..<live.count where live[i] { out.append(PacketID(UInt32(i))) }
        return out
    }
}
