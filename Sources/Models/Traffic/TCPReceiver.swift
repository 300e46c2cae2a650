import SimCore

/// When the receiver acknowledges a segment.
@usableFromInline enum TCPAckDecision: Sendable, Equatable {
    /// No ACK now: a delayed-ACK timer is already pending and still stands.
    case none
    /// Send a cumulative ACK of every byte below `ack` now.
    case now(ack: UInt64)
    /// Hold the ACK back: arm the delayed-ACK timer at `deadline` (then call `onDelayedACKTimer`).
    case delayed(deadline: SimTime)
}

/// A half-open range of byte offsets held out of order.
@usableFromInline struct TCPByteRange: Sendable, Equatable {
    @usableFromInline var start: UInt64
    @usableFromInline var end: UInt64

    @inlinable init(start: UInt64, end: UInt64) { self.start = start; self.end = end }
}

/// What one TCP receiver did over a run (cumulative).
@usableFromInline struct TCPReceiverCounters: Sendable, Equatable {
    /// Segments received, and among them: beyond rcv_nxt (held out of order), wholly below rcv_nxt (duplicates),
    /// and out-of-order segments discarded because the out-of-order store was full.
    @usableFromInline var segments = 0, outOfOrder = 0, duplicates = 0, discarded = 0
    /// ACKs sent at once (`.now`) and by the delayed-ACK timer.
    @usableFromInline var immediateACKs = 0, delayedACKs = 0

    @inlinable init() {}
}

/// The receiving side of one TCP connection of a bulk flow: cumulative ACKs with RFC 5681 §4.2's delayed-ACK rules,
/// and a fixed store of out-of-order ranges. The receive window is fixed (the application reads at once), so ACKs
/// carry no window.
///
/// A pure state machine: the model calls ``onSegment(sequence:length:now:)`` for each arriving data segment and acts
/// on the ``TCPAckDecision``; it arms a delayed-ACK timer when told (`.delayed`) and calls
/// ``onDelayedACKTimer(now:)`` when it fires (a stale timer returns nil). Nothing allocates after `init`, which makes
/// the out-of-order store; keep the receiver where it is mutated in place (`receivers[i].onSegment(…)`, not a copy
/// written back), or the first write after a copy duplicates the store.
///
/// Behaviour:
/// - In order (the segment covers rcv_nxt): rcv_nxt moves to its end, then past every held range it now reaches.
///   If out-of-order data was held, the segment filled (part of) a hole: ACK now. Otherwise it counts as
///   ⌊length / segmentBytes⌋ full segments (a coalesced RSC segment as the segments it holds; a short one as none),
///   and the ACK goes now once `ackEvery` full segments are unacknowledged (RFC 5681 §4.2: at least every second), or at once when
///   `delayedACKTimeout` is 0; else it is delayed: `.delayed(now + delayedACKTimeout)` if no timer is pending,
///   `.none` if one is (the first unacknowledged segment's deadline stands).
/// - Beyond rcv_nxt (out of order): the range is held, and a duplicate ACK goes at once (RFC 5681 §4.2). When the
///   store is full and the range neither overlaps nor touches a held one, the segment is discarded (counted) and the
///   duplicate ACK still goes; the sender will send it again.
/// - Wholly below rcv_nxt (an old duplicate, e.g. a go-back-N resend): an ACK at once.
/// - Any ACK sent acknowledges everything below rcv_nxt, so it clears the count and any pending timer.
@usableFromInline struct TCPReceiver: Sendable {
    /// The default number of out-of-order ranges held.
    @usableFromInline static let defaultOutOfOrderCapacity = 64

    /// The full segment size in bytes (a segment counts ⌊length / segmentBytes⌋ towards `ackEvery`).
    @usableFromInline let segmentBytes: Int64
    /// Full segments per immediate ACK (the bulk pattern's `ack_every`, ≥ 1).
    @usableFromInline let ackEvery: Int
    @usableFromInline let delayedACKTimeout: SimTime
    /// rcv_nxt: every byte below it has arrived.
    @usableFromInline private(set) var nextExpected: UInt64 = 0
    /// Full in-order segments (of `segmentBytes`) since the last ACK.
    @usableFromInline private(set) var unacknowledgedSegments = 0
    /// The pending delayed-ACK deadline (nil: no ACK owed).
    @usableFromInline private(set) var delayedACKDeadline: SimTime?
    @usableFromInline private(set) var counters = TCPReceiverCounters()
    /// Held out-of-order ranges, sorted, disjoint and not touching, all above rcv_nxt: the first `heldRanges` slots of
    /// a store made at `init`.
    @usableFromInline var ranges: [TCPByteRange]
    @usableFromInline private(set) var heldRanges = 0

    /// - Precondition: `segmentBytes` ≥ 1, `ackEvery` ≥ 1, `outOfOrderCapacity` ≥ 1.
    @inlinable init(options: TCPOptions, segmentBytes: Int, ackEvery: Int, outOfOrderCapacity: Int = defaultOutOfOrderCapacity) {
        precondition(segmentBytes >= 1 && ackEvery >= 1 && outOfOrderCapacity >= 1, "TCPReceiver: sizes must be positive")
        self.segmentBytes = Int64(segmentBytes)
        self.ackEvery = ackEvery
        self.delayedACKTimeout = options.delayedACKTimeout
        self.ranges = Array(repeating: TCPByteRange(start: 0, end: 0), count: outOfOrderCapacity)
    }

    /// In-order bytes received: what the application has read (goodput).
    @inlinable var deliveredBytes: Int64 { Int64(nextExpected) }
    /// Bytes held out of order, above `nextExpected` (O(held ranges), at most `outOfOrderCapacity`).
    @inlinable var heldBytes: Int64 {
        var n: UInt64 = 0
        for i in 0..<heldRanges { n &+= ranges[i].end &- ranges[i].start }
        return Int64(n)
    }
    /// Distinct bytes received so far, in order or held: what arrived for the first time (duplicates excluded).
    @inlinable var receivedBytes: Int64 { deliveredBytes &+ heldBytes }
    /// The out-of-order store's capacity in ranges.
    @inlinable var outOfOrderCapacity: Int { ranges.count }
    /// The held ranges, lowest first (for tests and reports; allocates).
    var outOfOrderRanges: [Range<UInt64>] { ranges[0..<heldRanges].map { $0.start..<$0.end } }

    // MARK: Events

    /// A data segment of `length` bytes at offset `sequence` arrived at `now`.
    /// - Precondition: `length` ≥ 1.
    /// - Complexity: O(1) in order with nothing held; O(capacity) when ranges are inserted or released.
    @inlinable mutating func onSegment(sequence: UInt64, length: Int, now: SimTime) -> TCPAckDecision {
        precondition(length >= 1, "TCPReceiver.onSegment: an empty segment")
        counters.segments += 1
        let end = sequence + UInt64(length)
        if end <= nextExpected {
            counters.duplicates += 1
            return acknowledgeNow()
        }
        if sequence > nextExpected {
            counters.outOfOrder += 1
            if !hold(TCPByteRange(start: sequence, end: end)) { counters.discarded += 1 }
            return acknowledgeNow()
        }
        let filledHole = heldRanges > 0
        nextExpected = end
        if filledHole { releaseReached() }
        if filledHole || delayedACKTimeout == .zero { return acknowledgeNow() }
        let full = Int(Int64(length) / segmentBytes)
        if full > 0 {
            unacknowledgedSegments += full
            if unacknowledgedSegments >= ackEvery { return acknowledgeNow() }
        }
        if delayedACKDeadline != nil { return .none }
        let deadline = now.addingSaturated(delayedACKTimeout)
        delayedACKDeadline = deadline
        return .delayed(deadline: deadline)
    }

    /// The delayed-ACK timer fired: the ACK to send if one is still owed and due, else nil (a stale timer).
    @inlinable mutating func onDelayedACKTimer(now: SimTime) -> UInt64? {
        guard let d = delayedACKDeadline, now >= d else { return nil }
        delayedACKDeadline = nil
        unacknowledgedSegments = 0
        counters.delayedACKs += 1
        return nextExpected
    }

    // MARK: Internals

    @inlinable @inline(__always) mutating func acknowledgeNow() -> TCPAckDecision {
        unacknowledgedSegments = 0
        delayedACKDeadline = nil
        counters.immediateACKs += 1
        return .now(ack: nextExpected)
    }

    /// Holds `r` (above rcv_nxt), merging it with every range it overlaps or touches; false if it needed a new slot
    /// and the store is full (nothing changes then).
    @inlinable mutating func hold(_ r: TCPByteRange) -> Bool {
        // The first held range that ends at or after r starts: r merges with it if it also starts at or before r ends.
        var i = 0
        while i < heldRanges && ranges[i].end < r.start { i += 1 }
        if i < heldRanges && ranges[i].start <= r.end {
            var merged = TCPByteRange(start: Swift.min(ranges[i].start, r.start), end: Swift.max(ranges[i].end, r.end))
            var j = i + 1
            while j < heldRanges && ranges[j].start <= merged.end {
                merged.end = Swift.max(merged.end, ranges[j].end)
                j += 1
            }
            ranges[i] = merged
            remove(from: i + 1, count: j - i - 1)
            return true
        }
        guard heldRanges < ranges.count else { return false }
        var m = heldRanges
        while m > i {
            ranges[m] = ranges[m - 1]
            m -= 1
        }
        ranges[i] = r
        heldRanges += 1
        return true
    }

    /// Moves rcv_nxt past every held range it now reaches, and drops those ranges.
    @inlinable mutating func releaseReached() {
        var n = 0
        while n < heldRanges && ranges[n].start <= nextExpected {
            if ranges[n].end > nextExpected { nextExpected = ranges[n].end }
            n += 1
        }
        remove(from: 0, count: n)
    }

    /// Removes `count` held ranges starting at slot `from`, closing the gap.
    @inlinable mutating func remove(from: Int, count: Int) {
        guard count > 0 else { return }
        var s = from
        while s + count < heldRanges {
            ranges[s] = ranges[s + count]
            s += 1
        }
        heldRanges -= count
    }
}
