/// Handles the events addressed to a model.
///
/// A model is one `final class` that owns its components in typed arrays and
/// dispatches each event with a `switch` on `event.kind`, finding the
/// component by `event.target`. The scheduler is generic over the handler, so
/// the call is static: no closure, no existential box, no allocation per event.
public protocol EventHandler<Queue>: AnyObject {
    associatedtype Queue: EventQueueProtocol = DefaultEventQueue
    /// Handles one event. `kernel.now == event.time` during the call.
    func handle(_ event: Event, _ kernel: inout Scheduler<Queue>)
}

/// The scheduler the models use.
public typealias Kernel = Scheduler<DefaultEventQueue>

/// Why a `run` call returned.
public enum StopReason: Sendable, Equatable {
    /// The time limit was reached (events after it remain pending).
    case timeLimit
    /// The requested number of events was processed.
    case eventLimit
    /// No event was left.
    case empty
    /// The model called `stop()`.
    case stopped
}

/// The discrete-event scheduler: the clock, the pending events and the loop.
///
/// Events at the current time go to a FIFO lane instead of the heap (a known
/// win from OMNeT++'s `cEventHeap`): zero-delay hand-offs between components
/// cost an array append instead of a sift. Ordering stays exactly
/// `(time, sequence)`: heap events at `now` were all inserted before `now`
/// was reached, so they precede every lane event.
///
/// The scheduler is noncopyable: it owns the pending events, and a copy of a
/// half-run simulation would be a bug, not a feature.
public struct Scheduler<Queue: EventQueueProtocol>: ~Copyable {
    /// The current simulated time.
    @usableFromInline var _now: SimTime = .zero
    @inlinable public var now: SimTime { _now }
    @usableFromInline var queue: Queue
    /// Events at `now`, in FIFO order: `lane[laneHead..<lane.count]`.
    @usableFromInline var lane: ContiguousArray<Event> = []
    @usableFromInline var laneHead: Int = 0
    @usableFromInline var nextSequence: UInt64 = 0
    @usableFromInline var stopRequested = false
    /// Whether events at `now` take the FIFO lane (default) or the heap like
    /// any other event. Off only to measure what the lane buys (`bench phold --no-lane`).
    public var usesCurrentTimeLane = true
    /// Events handled so far.
    @usableFromInline var _processed: UInt64 = 0
    @inlinable public var processed: UInt64 { _processed }
    /// Digest of every handled event (time, kind, target, arg), in order.
    @usableFromInline var _fingerprint = Fingerprint()
    @inlinable public var fingerprint: Fingerprint { _fingerprint }

    public init(reservingCapacity n: Int = 1024) {
        queue = Queue(reservingCapacity: n)
        lane.reserveCapacity(256)
    }

    /// Pending events (heap plus current-time lane).
    @inlinable public var pendingCount: Int { queue.count + (lane.count - laneHead) }

    /// Schedules an event at an absolute time.
    /// - Precondition: `time >= now`; `kind` is the model's event kind.
    /// - Complexity: O(1) when `time == now`, else O(log n).
    @inlinable @inline(__always)
    public mutating func schedule(at time: SimTime, kind: UInt16, target: UInt32, arg: UInt32 = 0) {
        precondition(time >= _now, "cannot schedule an event in the past (\(time) < \(_now))")
        precondition(kind < 256 && target < (1 << 24), "event kind must be < 256 and target < 2^24")
        let e = Event(time: time, sequence: nextSequence, kind: kind, target: target, arg: arg)
        nextSequence &+= 1
        if time == _now && usesCurrentTimeLane { lane.append(e) } else { queue.insert(e) }
    }

    /// Schedules an event `delay` after now.
    @inlinable @inline(__always)
    public mutating func schedule(after delay: SimTime, kind: UInt16, target: UInt32, arg: UInt32 = 0) {
        schedule(at: _now + delay, kind: kind, target: target, arg: arg)
    }

    /// Asks the loop to return after the event being handled.
    @inlinable public mutating func stop() { stopRequested = true }

    /// The time of the next pending event, if any.
    public var nextEventTime: SimTime? {
        if laneHead < lane.count { return _now }
        return queue.minTime
    }

    /// Removes the next event in (time, sequence) order.
    @inlinable @inline(__always)
    mutating func popNext() -> Event {
        if laneHead < lane.count {
            // Heap events at `now` were inserted before any lane event.
            if let t = queue.minTime, t.picoseconds <= _now.picoseconds { return queue.removeMin() }
            let e = lane[laneHead]
            laneHead += 1
            if laneHead == lane.count { lane.removeAll(keepingCapacity: true); laneHead = 0 }
            return e
        }
        return queue.removeMin()
    }

    /// Runs events with `time <= limit`, in order, then sets the clock to
    /// `limit` (when stopped by the limit or by an empty queue).
    @inlinable
    @discardableResult
    public mutating func run<H: EventHandler>(_ handler: H, until limit: SimTime) -> StopReason
    where H.Queue == Queue {
        run(handler, until: limit, events: .max)  // 2^64 events: the budget never runs out
    }

    /// Runs events with `time <= limit`, in order, but at most `count` of them: a caller that
    /// must react within bounded wall time (a stop request, a progress line) runs a long stretch
    /// of simulated time as several calls without changing the order of events.
    ///
    /// Returns `.eventLimit` with the clock at the last event's time when the budget ran out
    /// first; otherwise behaves exactly like ``run(_:until:)`` (the clock moves to `limit`).
    @inlinable
    @discardableResult
    public mutating func run<H: EventHandler>(_ handler: H, until limit: SimTime, events count: UInt64) -> StopReason
    where H.Queue == Queue {
        stopRequested = false
        var left = count
        while true {
            let hasLane = laneHead < lane.count
            if !hasLane {
                guard let t = queue.minTime else { _now = Swift.max(_now, limit); return .empty }
                if t > limit { _now = Swift.max(_now, limit); return .timeLimit }
            }
            if left == 0 { return .eventLimit }
            left -= 1
            let e = popNext()
            _now = e.time
            _processed &+= 1
            _fingerprint.absorb(e)
            handler.handle(e, &self)
            if stopRequested { return .stopped }
        }
    }

    /// Runs exactly `count` events (fewer if the queue empties or the model stops).
    @inlinable
    @discardableResult
    public mutating func run<H: EventHandler>(_ handler: H, events count: UInt64) -> StopReason
    where H.Queue == Queue {
        stopRequested = false
        var left = count
        while left > 0 {
            if laneHead == lane.count && queue.isEmpty { return .empty }
            let e = popNext()
            _now = e.time
            _processed &+= 1
            _fingerprint.absorb(e)
            handler.handle(e, &self)
            left -= 1
            if stopRequested { return .stopped }
        }
        return .eventLimit
    }
}
