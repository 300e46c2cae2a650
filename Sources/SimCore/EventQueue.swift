/// The pending-event set the scheduler draws from.
///
/// Implementations must return events in `(time, sequence)` order. They need
/// not handle events at the current time specially: the scheduler keeps those
/// in its own FIFO lane.
public protocol EventQueueProtocol {
    init(reservingCapacity: Int)
    var count: Int { get }
    var isEmpty: Bool { get }
    /// The time of the earliest event, if any.
    var minTime: SimTime? { get }
    mutating func insert(_ event: Event)
    /// Removes and returns the earliest event.
    /// - Precondition: the queue is not empty.
    mutating func removeMin() -> Event
}

/// A d-ary min-heap of events (d = 2 or 4).
///
/// The heap itself holds 16-byte keys — the time and `sequence << 24 | slot` —
/// so a sift moves and compares as little memory as possible (like the C
/// reference in ../shared/peers); the rest of each event (kind, target, arg)
/// waits in a slot of a side table and is read once, when the event leaves.
///
/// The heap manages its own (64-byte aligned) memory through raw pointers, so
/// there is no reference counting or uniqueness check on the hot path; a small
/// owner object frees it. It lives inside the noncopyable `Scheduler`, which is
/// what keeps it from being copied and aliased.
///
/// - Complexity: `insert` O(log_d n), `removeMin` O(d log_d n); no allocation
///   once the arrays have grown to the peak number of pending events.
/// - Limits: at most 2^24 (16.7 M) pending events, 2^40 (1.1e12) events
///   scheduled per run, 2^24 targets and 256 kinds; all are checked (the
///   last two by `Scheduler.schedule`).
@frozen
public struct DaryHeap<Arity: HeapArity>: EventQueueProtocol {
    @usableFromInline
    @frozen
    struct Key {
        @usableFromInline var time: Int64
        /// `sequence << 24 | slot`: orders ties by sequence; names the payload slot.
        @usableFromInline var word: UInt64
        @inlinable @inline(__always) init(time: Int64, word: UInt64) { self.time = time; self.word = word }
        @inlinable @inline(__always)
        func precedes(_ o: Key) -> Bool {
            // One 128-bit unsigned compare (time is never negative).
            (UInt128(UInt64(bitPattern: time)) << 64 | UInt128(word)) < (UInt128(UInt64(bitPattern: o.time)) << 64 | UInt128(o.word))
        }
    }

    @usableFromInline
    @frozen
    struct Payload {
        /// `target << 8 | kind`: 8 bytes per payload instead of 12 keeps the
        /// side table small enough to stay in L2 beside the heap.
        @usableFromInline var targetKind: UInt32
        @usableFromInline var arg: UInt32
        @inlinable @inline(__always) init(target: UInt32, arg: UInt32, kind: UInt16) {
            self.targetKind = target &<< 8 | UInt32(truncatingIfNeeded: kind)
            self.arg = arg
        }
        @inlinable @inline(__always) var target: UInt32 { targetKind &>> 8 }
        @inlinable @inline(__always) var kind: UInt16 { UInt16(truncatingIfNeeded: targetKind & 0xFF) }
    }

    @inlinable @inline(__always) static var slotBits: UInt64 { 24 }
    @inlinable @inline(__always) static var slotMask: UInt64 { (1 << 24) - 1 }
    /// Keys before the root, so that the children of every node
    /// (indices d·i+1 … d·i+d) start on a 64-byte cache line.
    @inlinable @inline(__always) static var rootOffset: Int { Arity.d == 4 ? 3 : 0 }

    /// The heap array proper: `keys[0..<count]`, allocated 64-byte aligned.
    @usableFromInline var keys: UnsafeMutablePointer<Key>
    @usableFromInline var allocation: UnsafeMutableRawPointer
    @usableFromInline var keyCapacity: Int
    @usableFromInline var _count: Int = 0
    @usableFromInline var payloads: UnsafeMutablePointer<Payload>
    @usableFromInline var payloadCount: Int = 0
    @usableFromInline var payloadCapacity: Int
    @usableFromInline var freeSlots: UnsafeMutablePointer<UInt32>
    @usableFromInline var freeCount: Int = 0
    /// Owns the three allocations and frees them when the heap goes away.
    @usableFromInline var owner: HeapMemoryOwner

    @inlinable
    public init(reservingCapacity n: Int) {
        let cap = Swift.max(n, 64)
        keyCapacity = cap
        allocation = UnsafeMutableRawPointer.allocate(byteCount: (cap + Self.rootOffset) * MemoryLayout<Key>.stride, alignment: 64)
        keys = (allocation + Self.rootOffset * MemoryLayout<Key>.stride).bindMemory(to: Key.self, capacity: cap)
        payloadCapacity = cap
        payloads = .allocate(capacity: cap)
        freeSlots = .allocate(capacity: cap)
        owner = HeapMemoryOwner()
        owner.pointers = [allocation, UnsafeMutableRawPointer(payloads), UnsafeMutableRawPointer(freeSlots)]
    }

    /// `true` while the root slot is empty: `removeMin` takes the root out
    /// without re-sifting, so that an insert that follows (the common case: a
    /// handler schedules a successor) drops its key into the root and sifts
    /// once — one pass instead of a sift-down plus a sift-up. The C reference
    /// calls this "fused replace-top"; here it is automatic and general.
    @usableFromInline var hole = false

    @inlinable public var count: Int { hole ? _count - 1 : _count }
    @inlinable public var isEmpty: Bool { count == 0 }
    @inlinable public var minTime: SimTime? {
        if !hole { return _count == 0 ? nil : SimTime(picoseconds: keys[0].time) }
        // The root is empty: the minimum is the least of its children.
        let end = Swift.min(_count, 1 + Arity.d)
        if end <= 1 { return nil }
        var best = keys[1]
        var j = 2
        while j < end { if keys[j].precedes(best) { best = keys[j] }; j += 1 }
        return SimTime(picoseconds: best.time)
    }

    @usableFromInline
    mutating func growKeys() {
        let cap = keyCapacity * 2
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (cap + Self.rootOffset) * MemoryLayout<Key>.stride, alignment: 64)
        let k = (raw + Self.rootOffset * MemoryLayout<Key>.stride).bindMemory(to: Key.self, capacity: cap)
        k.moveInitialize(from: keys, count: _count)
        allocation.deallocate()
        allocation = raw
        keys = k
        keyCapacity = cap
        owner.pointers[0] = raw
    }

    @usableFromInline
    mutating func growPayloads() {
        let cap = payloadCapacity * 2
        let p = UnsafeMutablePointer<Payload>.allocate(capacity: cap)
        p.moveInitialize(from: payloads, count: payloadCount)
        payloads.deallocate()
        payloads = p
        let f = UnsafeMutablePointer<UInt32>.allocate(capacity: cap)
        f.moveInitialize(from: freeSlots, count: freeCount)
        freeSlots.deallocate()
        freeSlots = f
        payloadCapacity = cap
        owner.pointers[1] = UnsafeMutableRawPointer(p)
        owner.pointers[2] = UnsafeMutableRawPointer(f)
    }

    @inlinable @inline(__always)
    public mutating func insert(_ event: Event) {
        let slot: UInt32
        let p = Payload(target: event.target, arg: event.arg, kind: event.kind)
        if freeCount > 0 {
            freeCount -= 1
            slot = freeSlots[freeCount]
            payloads[Int(slot)] = p
        } else {
            precondition(payloadCount <= Int(Self.slotMask), "more than 2^24 pending events")
            if payloadCount == payloadCapacity { growPayloads() }
            slot = UInt32(payloadCount)
            (payloads + payloadCount).initialize(to: p)
            payloadCount += 1
        }
        let seq = event.sequence
        precondition(seq < (1 << 40), "more than 2^40 events scheduled in one run")
        let key = Key(time: event.time.picoseconds, word: seq << Self.slotBits | UInt64(slot))
        if hole {
            hole = false
            Self.siftDown(keys, _count, key)
            return
        }
        if _count == keyCapacity { growKeys() }
        let i = _count
        _count &+= 1
        Self.siftUp(keys, from: i, key)
    }

    /// Puts `key` into the empty slot `i` and moves it up past larger parents.
    @inlinable @inline(__always)
    static func siftUp(_ h: UnsafeMutablePointer<Key>, from start: Int, _ key: Key) {
        var i = start
        while i > 0 {
            let parent = (i &- 1) / Arity.d
            let pk = h[parent]
            if !key.precedes(pk) { break }
            h[i] = pk
            i = parent
        }
        h[i] = key
    }

    /// Puts `key` into the empty root of `h[0..<n]` and restores the heap.
    ///
    /// Bottom-up (Wegener's heapsort variant): the hole first walks down to a
    /// leaf along the least children — d − 1 comparisons per level, no
    /// comparison with `key` and no unpredictable exit branch — and `key` then
    /// climbs back up, usually zero or one level, because keys that enter at
    /// the root (the last key of the array, or a handler's new event) mostly
    /// belong near the bottom where most of the nodes are.
    @inlinable @inline(__always)
    static func siftDown(_ h: UnsafeMutablePointer<Key>, _ n: Int, _ key: Key) {
        var i = 0
        while true {
            let c = Arity.d &* i &+ 1
            if c >= n { break }
            var best = c
            if Arity.d == 4 && c &+ 3 < n {
                let k0 = h[c], k1 = h[c &+ 1], k2 = h[c &+ 2], k3 = h[c &+ 3]
                let l1 = k1.precedes(k0)
                let a = l1 ? c &+ 1 : c
                let ak = l1 ? k1 : k0
                let l3 = k3.precedes(k2)
                let b = l3 ? c &+ 3 : c &+ 2
                let bk = l3 ? k3 : k2
                best = bk.precedes(ak) ? b : a
            } else {
                var bk = h[c]
                var j = c &+ 1
                let end = Swift.min(c &+ Arity.d, n)
                while j < end {
                    let kj = h[j]
                    if kj.precedes(bk) { best = j; bk = kj }
                    j &+= 1
                }
            }
            h[i] = h[best]
            i = best
        }
        siftUp(h, from: i, key)
    }

    /// Fills an empty root with the last key.
    @inlinable @inline(__always)
    mutating func fillHole() {
        hole = false
        _count -= 1
        if _count > 0 { Self.siftDown(keys, _count, keys[_count]) }
    }

    @inlinable @inline(__always)
    public mutating func removeMin() -> Event {
        if hole { fillHole() }
        precondition(_count > 0, "removeMin on an empty queue")
        let top = keys[0]
        hole = true
        let slot = UInt32(truncatingIfNeeded: top.word & Self.slotMask)
        freeSlots[freeCount] = slot
        freeCount &+= 1
        let p = payloads[Int(slot)]
        return Event(
            time: SimTime(picoseconds: top.time), sequence: top.word >> Self.slotBits,
            kind: p.kind, target: p.target, arg: p.arg)
    }
}

/// Frees a heap's allocations when the last heap value referring to it goes away.
@usableFromInline
final class HeapMemoryOwner {
    @usableFromInline var pointers: [UnsafeMutableRawPointer] = []
    @usableFromInline init() {}
    deinit { for p in pointers { p.deallocate() } }
}

/// The arity of a `DaryHeap`, as a type so the heap code is specialized for it.
public protocol HeapArity { static var d: Int { get } }
public enum Binary: HeapArity { @inlinable public static var d: Int { 2 } }
public enum Quaternary: HeapArity { @inlinable public static var d: Int { 4 } }

public typealias BinaryHeapQueue = DaryHeap<Binary>
public typealias QuaternaryHeapQueue = DaryHeap<Quaternary>

/// The queue the models use (chosen by measurement, docs/performance.md).
public typealias DefaultEventQueue = QuaternaryHeapQueue
