/// Lazy cancellation of a component's timer by generation counting.
///
/// Arming a timer bumps the generation and schedules an event carrying it in
/// `arg`; cancelling just bumps the generation again. When a timer event
/// arrives, `fires(_:)` tells whether it is still the armed one; stale events
/// are ignored. Nothing is removed from the heap, so cancel is O(1).
@frozen
public struct TimerSlot: Sendable {
    @usableFromInline var _generation: UInt32 = 0
    @inlinable public var generation: UInt32 { _generation }
    @usableFromInline var _isArmed = false
    @inlinable public var isArmed: Bool { _isArmed }
    /// When the armed timer fires (meaningless when not armed).
    @usableFromInline var _deadline: SimTime = .never
    @inlinable public var deadline: SimTime { _deadline }

    @inlinable public init() {}

    /// Arms (or re-arms) the timer; any earlier arming is cancelled.
    ///
    /// Takes the models' `Kernel` rather than any `Scheduler<Q>`: a generic
    /// method on a noncopyable generic argument was left unspecialized across
    /// modules (metadata look-ups on every call in the host model's profile).
    @inlinable @inline(__always)
    public mutating func arm(at time: SimTime, kind: UInt16, target: UInt32, in kernel: inout Kernel) {
        _generation &+= 1
        _isArmed = true
        _deadline = time
        kernel.schedule(at: time, kind: kind, target: target, arg: _generation)
    }

    /// Cancels the armed timer, if any. O(1): its event is ignored when it comes.
    @inlinable public mutating func cancel() {
        if _isArmed { _generation &+= 1; _isArmed = false; _deadline = .never }
    }

    /// `true` if `event` is the currently armed timer; disarms it then.
    @inlinable
    public mutating func fires(_ event: Event) -> Bool {
        guard _isArmed, event.arg == _generation else { return false }
        _isArmed = false
        _deadline = .never
        return true
    }
}
