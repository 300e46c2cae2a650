/// A scheduled event: a small plain value, 24 bytes, no references.
///
/// Events are ordered by `(time, sequence)`: the sequence number is assigned
/// by the scheduler at insertion, so events at the same time run first-in
/// first-out. The sequence shares a word with the event kind
/// (`order = sequence << 16 | kind`); because sequences are unique, comparing
/// `order` compares sequences.
///
/// Limits: `kind < 256`, `target < 2^24` (checked when scheduling).
///
/// The meaning of `target` and `arg` belongs to the model: typically `target`
/// is the index of a component in a typed array and `arg` a packet id or a
/// timer generation (see `TimerSlot`).
@frozen
public struct Event: Sendable {
    public var time: SimTime
    @usableFromInline var order: UInt64
    /// Component index the event is addressed to.
    public var target: UInt32
    /// A model-defined argument: a packet id, a timer generation, a port number.
    public var arg: UInt32

    @inlinable @inline(__always)
    public init(time: SimTime, sequence: UInt64, kind: UInt16, target: UInt32, arg: UInt32) {
        self.time = time
        self.order = sequence &<< 16 | UInt64(kind)
        self.target = target
        self.arg = arg
    }

    /// The model-defined kind of event, used to dispatch it with a `switch`.
    @inlinable @inline(__always) public var kind: UInt16 { UInt16(truncatingIfNeeded: order) }
    /// The insertion sequence number (unique within a run).
    @inlinable @inline(__always) public var sequence: UInt64 { order &>> 16 }

    /// `true` if `self` runs before `other`.
    @inlinable @inline(__always)
    public func precedes(_ other: Event) -> Bool {
        // Branch-light lexicographic compare on (time, order).
        if time.picoseconds != other.time.picoseconds { return time.picoseconds < other.time.picoseconds }
        return order < other.order
    }
}
