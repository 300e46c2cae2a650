/// A packet's handle: an index into a `PacketTable`.
@frozen
public struct PacketID: Hashable, Sendable, BitwiseCopyable {
    public var index: UInt32
    @inlinable public init(_ index: UInt32) { self.index = index }
    @inlinable public init(arg: UInt32) { self.index = arg }
    /// The value to put in an event's `arg`.
    @inlinable public var arg: UInt32 { index }
    /// The packet's slot in its table's columns.
    @inlinable public var slot: Int { Int(index) }
}

/// One field of every packet of a `PacketTable`: a buffer indexed by packet slot. Reads and writes are plain
/// bounds-checked loads and stores — no copy-on-write uniqueness check per write, which a `ContiguousArray`
/// stored in a model class costs on every stage change. The table owns the buffer.
@frozen
public struct PacketColumn<Element> {
    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var count: Int

    @inlinable init(_ base: UnsafeMutablePointer<Element>, count: Int) { self.base = base; self.count = count }

    @inlinable
    public subscript(i: Int) -> Element {
        @inline(__always) get {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "packet slot out of range")
            return base[i]
        }
        @inline(__always) nonmutating set {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "packet slot out of range")
            base[i] = newValue
        }
    }
}

/// Every packet alive in a run, as a struct of columns with a free list.
///
/// Packets travel through the model as `PacketID`s (4 bytes in an event's
/// `arg`); their fields live here, one column per field, so the hot path reads
/// only the fields it needs. Freed slots are reused LIFO, so after warm-up the
/// table stops growing and allocation per packet is zero.
///
/// Not a value type: the columns are buffers the table's storage object owns (and frees), so a copy of a table
/// shares them — the model keeps exactly one.
public struct PacketTable {
    /// Frame size on the wire in bytes (headers included, no preamble/IFG).
    public private(set) var frameBytes: PacketColumn<UInt32>
    /// Application payload bytes carried (for goodput).
    public private(set) var payloadBytes: PacketColumn<UInt32>
    /// The owner the packet belongs to (model-defined: a flow or a control component).
    public private(set) var flow: PacketColumn<UInt32>
    /// Source and destination endpoint indices (model-defined).
    public private(set) var source: PacketColumn<UInt32>
    public private(set) var destination: PacketColumn<UInt32>
    /// When the packet was created by its source.
    public private(set) var created: PacketColumn<SimTime>
    /// Per-flow sequence number (or the acknowledged sequence for ACKs).
    public private(set) var sequence: PacketColumn<UInt64>
    /// Model-defined flags (e.g. ACK, broadcast, LSO).
    public private(set) var flags: PacketColumn<UInt16>
    /// VLAN id, 0 = untagged.
    public private(set) var vlan: PacketColumn<UInt16>
    /// The model's current stage/position for the packet (for in-flight accounting).
    public private(set) var stage: PacketColumn<UInt16>
    /// Model-defined: the generation of the port slot the packet was sent through (stale packets are recognised).
    public private(set) var generation: PacketColumn<UInt32>
    /// Model-defined: how many other packets this one stands for (segments coalesced into it); 0 when allocated or cloned.
    public private(set) var merged: PacketColumn<UInt16>
    @usableFromInline var live: PacketColumn<Bool>
    /// Free slots, a stack of `freeCount`.
    @usableFromInline var freeList: PacketColumn<UInt32>
    @usableFromInline var freeCount = 0
    /// Slots the columns have room for.
    @usableFromInline var allocated = 0
    /// Owns the buffers (frees them when the table goes).
    @usableFromInline var storage = PacketStorage()

    /// Packets allocated and not yet freed.
    @usableFromInline var _liveCount: Int = 0
    @inlinable public var liveCount: Int { _liveCount }
    /// Packets allocated since the table was created.
    @usableFromInline var _allocatedTotal: UInt64 = 0
    @inlinable public var allocatedTotal: UInt64 { _allocatedTotal }

    public init(reservingCapacity n: Int = 1024) {
        func empty<T>(_: T.Type) -> PacketColumn<T> { PacketColumn(.allocate(capacity: 1), count: 0) }
        frameBytes = empty(UInt32.self); payloadBytes = empty(UInt32.self); flow = empty(UInt32.self)
        source = empty(UInt32.self); destination = empty(UInt32.self); created = empty(SimTime.self)
        sequence = empty(UInt64.self); flags = empty(UInt16.self); vlan = empty(UInt16.self); stage = empty(UInt16.self)
        generation = empty(UInt32.self); merged = empty(UInt16.self); live = empty(Bool.self); freeList = empty(UInt32.self)
        allocated = 1
        registerBuffers()
        reserve(Swift.max(n, 1))
    }

    /// Slots ever created (the high-water mark of live packets).
    public var capacity: Int { frameBytes.count }

    /// Gives the storage object the current buffers to free.
    mutating func registerBuffers() {
        storage.buffers = [
            UnsafeMutableRawPointer(frameBytes.base), UnsafeMutableRawPointer(payloadBytes.base), UnsafeMutableRawPointer(flow.base),
            UnsafeMutableRawPointer(source.base), UnsafeMutableRawPointer(destination.base), UnsafeMutableRawPointer(created.base),
            UnsafeMutableRawPointer(sequence.base), UnsafeMutableRawPointer(flags.base), UnsafeMutableRawPointer(vlan.base),
            UnsafeMutableRawPointer(stage.base), UnsafeMutableRawPointer(generation.base), UnsafeMutableRawPointer(merged.base),
            UnsafeMutableRawPointer(live.base),
            UnsafeMutableRawPointer(freeList.base),
        ]
    }

    /// Grows every column to room for `n` slots (keeping their contents).
    @usableFromInline
    mutating func reserve(_ n: Int) {
        guard n > allocated else { return }
        func grow<T>(_ c: inout PacketColumn<T>) {
            let b = UnsafeMutablePointer<T>.allocate(capacity: n)
            b.moveInitialize(from: c.base, count: c.count)
            c.base.deallocate()
            c.base = b
        }
        grow(&frameBytes); grow(&payloadBytes); grow(&flow); grow(&source); grow(&destination); grow(&created)
        grow(&sequence); grow(&flags); grow(&vlan); grow(&stage); grow(&generation); grow(&merged); grow(&live)
        grow(&freeList)
        allocated = n
        registerBuffers()
    }

    /// Makes slot `frameBytes.count` exist in every column (uninitialized; `allocate` sets every field).
    @usableFromInline
    mutating func appendSlot() {
        if frameBytes.count == allocated { reserve(allocated * 2) }
        frameBytes.count += 1; payloadBytes.count += 1; flow.count += 1; source.count += 1; destination.count += 1
        created.count += 1; sequence.count += 1; flags.count += 1; vlan.count += 1; stage.count += 1
        generation.count += 1; merged.count += 1; live.count += 1; freeList.count += 1
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
        if freeCount > 0 {
            freeCount -= 1
            i = Int(freeList[freeCount])
        } else {
            i = frameBytes.count
            precondition(i < Int(UInt32.max), "packet table full")
            appendSlot()
        }
        frameBytes[i] = fb; payloadBytes[i] = pb; flow[i] = f; source[i] = s; destination[i] = d
        created[i] = t; sequence[i] = q; flags[i] = fl; vlan[i] = v; stage[i] = 0; generation[i] = g; merged[i] = 0
        live[i] = true
        _liveCount += 1
        _allocatedTotal &+= 1
        return PacketID(UInt32(i))
    }

    /// A copy of live packet `id` in a new slot: every field, stage and generation included (a switch floods a
    /// frame this way). Counts as an allocation (`allocatedTotal`).
    @inlinable
    public mutating func clone(_ id: PacketID) -> PacketID {
        let i = Int(id.index)
        precondition(isLive(id), "packet \(i) cloned while not live")
        let copy = allocate(
            frameBytes: frameBytes[i], payloadBytes: payloadBytes[i], flow: flow[i], source: source[i],
            destination: destination[i], created: created[i], sequence: sequence[i], flags: flags[i], vlan: vlan[i],
            generation: generation[i])
        stage[Int(copy.index)] = stage[i]
        return copy
    }

    /// Returns a packet's slot to the free list.
    /// - Precondition: the packet is live (a double free traps).
    @inlinable
    public mutating func free(_ id: PacketID) {
        let i = Int(id.index)
        precondition(live[i], "packet \(i) freed twice")
        live[i] = false
        freeList[freeCount] = id.index
        freeCount += 1
        _liveCount -= 1
    }

    /// `true` if `id` refers to a live packet.
    @inlinable public func isLive(_ id: PacketID) -> Bool {
        Int(id.index) < live.count && live[Int(id.index)]
    }

    /// The ids of all live packets, in index order (for end-of-run accounting; allocates).
    /// Calls `body` with every live packet, in slot order, without allocating.
    @inlinable
    public func forEachLive(_ body: (PacketID) -> Void) {
        for i in 0..<live.count where live[i] { body(PacketID(UInt32(i))) }
    }

    public func liveIDs() -> [PacketID] {
        var out: [PacketID] = []
        out.reserveCapacity(_liveCount)
        for i in 0..<live.count where live[i] { out.append(PacketID(UInt32(i))) }
        return out
    }
}

/// Frees a packet table's buffers when the table goes (the table itself is a struct).
@usableFromInline
final class PacketStorage {
    @usableFromInline var buffers: [UnsafeMutableRawPointer] = []
    @usableFromInline init() {}
    deinit { for b in buffers { b.deallocate() } }
}
