/// The pending-event set the scheduler draws from.
///
/// Implementations must return events in `(time, sequence)` order. They need
/// not handle events at the current time specially: the scheduler keeps those
/// in its own FIFO lane.
public protocol EventQueueProtocol {
    init(reservingCapacity: Int)
    var count: Int { get }
    var isEmpty: Bool { get }
    /// The earliest event, without removing it.
    var min: Event? { get }
    mutating func insert(_ event: Event)
    /// Removes and returns the earliest event.
    /// - Precondition: the queue is not empty.
    mutating func removeMin() -> Event
}

/// A d-ary min-heap of events in a contiguous array (d = 2 or 4).
///
/// - Complexity: `insert` O(log_d n), `removeMin` O(d log_d n); no allocation
///   once the array has grown to the peak number of pending events.
///
/// A 4-ary heap is shallower (half the levels of a binary one) and its four
/// children sit next to each other in memory; see docs/performance.md for the
/// measured comparison that picked the default.
@frozen
public struct DaryHeap<Arity: HeapArity>: EventQueueProtocol {
    @usableFromInline var storage: ContiguousArray<Event>

    @inlinable
    public init(reservingCapacity n: Int) {
        storage = []
        storage.reserveCapacity(Swift.max(n, 16))
    }

    @inlinable public var count: Int { storage.count }
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    @inlinable public var min: Event? { storage.first }

    @inlinable @inline(__always)
    public mutating func insert(_ event: Event) {
        storage.append(event)
        let n = storage.count
        storage.withUnsafeMutableBufferPointer { buf in
            let h = buf.baseAddress.unsafelyUnwrapped
            var i = n - 1
            while i > 0 {
                let p = (i - 1) / Arity.d
                let pe = h[p]
                if !event.precedes(pe) { break }
                h[i] = pe
                i = p
            }
            h[i] = event
        }
    }

    @inlinable @inline(__always)
    public mutating func removeMin() -> Event {
        let last = storage.removeLast()
        let n = storage.count
        if n == 0 { return last }
        return storage.withUnsafeMutableBufferPointer { buf -> Event in
            let h = buf.baseAddress.unsafelyUnwrapped
            let top = h[0]
            var i = 0
            while true {
                let c = Arity.d * i + 1
                if c >= n { break }
                var best = c
                var be = h[c]
                if Arity.d == 4 && c + 3 < n {
                    let e1 = h[c + 1], e2 = h[c + 2], e3 = h[c + 3]
                    var a = c, ae = be
                    if e1.precedes(ae) { a = c + 1; ae = e1 }
                    var b = c + 2, bb = e2
                    if e3.precedes(bb) { b = c + 3; bb = e3 }
                    if bb.precedes(ae) { best = b; be = bb } else { best = a; be = ae }
                } else {
                    var j = c + 1
                    let end = Swift.min(c + Arity.d, n)
                    while j < end {
                        let ej = h[j]
                        if ej.precedes(be) { best = j; be = ej }
                        j += 1
                    }
                }
                if !be.precedes(last) { break }
                h[i] = be
                i = best
            }
            h[i] = last
            return top
        }
    }
}

/// The arity of a `DaryHeap`, as a type so the heap code is specialized for it.
public protocol HeapArity { static var d: Int { get } }
public enum Binary: HeapArity { @inlinable public static var d: Int { 2 } }
public enum Quaternary: HeapArity { @inlinable public static var d: Int { 4 } }

public typealias BinaryHeapQueue = DaryHeap<Binary>
public typealias QuaternaryHeapQueue = DaryHeap<Quaternary>

/// The queue the models use (chosen by measurement, docs/performance.md).
public typealias DefaultEventQueue = QuaternaryHeapQueue
