/// A FIFO of plain values (packet ids, message sizes) in a ring buffer of power-of-two capacity that doubles
/// when full: what the model's rings and queues need of `Deque`, with `append` and `popFirst` inlined and no
/// copy-on-write uniqueness check (a runtime call) per operation. swift-collections' `Deque` behind the
/// same API measured 3–10 % slower on the 64-VM benchmark (same fingerprint), which is why the model keeps
/// this small ring instead.
///
/// Not a value type: copies share the buffer, so only the component that owns a queue (in a `FixedTable`)
/// mutates it, and the model frees it with `deallocate()` (`HostSimulation.deinit`).
@usableFromInline
struct PacketQueue<Element: BitwiseCopyable> {
    @usableFromInline var base: UnsafeMutablePointer<Element>? = nil
    /// Capacity − 1 (−1 while nothing is allocated).
    @usableFromInline var mask = -1
    @usableFromInline var head = 0
    @usableFromInline var count = 0

    init() {}

    @inline(__always) var isEmpty: Bool { count == 0 }

    @inline(__always) var first: Element? { count > 0 ? base.unsafelyUnwrapped[head] : nil }

    /// The `i`-th element from the head (0 is `first`).
    @inline(__always) subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "PacketQueue index out of range")
        return base.unsafelyUnwrapped[(head &+ i) & mask]
    }

    @inline(__always)
    mutating func append(_ x: Element) {
        if count > mask { grow() }
        base.unsafelyUnwrapped[(head &+ count) & mask] = x
        count &+= 1
    }

    @inline(__always)
    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let x = base.unsafelyUnwrapped[head]
        head = (head &+ 1) & mask
        count &-= 1
        return x
    }

    @inline(__always)
    mutating func removeFirst() -> Element {
        precondition(count > 0, "removeFirst on an empty PacketQueue")
        return popFirst().unsafelyUnwrapped
    }

    /// Doubles the capacity (16 at first), keeping the order.
    @inline(never)
    mutating func grow() {
        let capacity = Swift.max(16, (mask &+ 1) &* 2)
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        if let old = base {
            for i in 0..<count { (fresh + i).initialize(to: old[(head &+ i) & mask]) }
            old.deallocate()
        }
        base = fresh
        head = 0
        mask = capacity &- 1
    }

    /// Frees the buffer; the queue must not be used afterwards.
    func deallocate() { base?.deallocate() }
}
