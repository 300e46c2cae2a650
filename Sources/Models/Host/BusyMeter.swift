import SimCore

/// The busy time of one FIFO server — a core, a wire — measured where the time passes, not where the work is
/// charged.
///
/// A server's work is charged when it is queued: a saturated core's `busyUntil` runs ahead of the clock, and a
/// wire's frame is committed for the whole of its serialization at once. Counting the charge in the interval
/// that queued it lets an interval (or the measured window) hold more work than its length: a core above
/// 100 %, a link above its rate. The meter is given every segment of busy time, `[start, end)`, as it is
/// committed (segments of one server never overlap), and clips it where it crosses a boundary:
///
/// * the measured window `[windowStart, windowEnd)` (the warm-up's end to the run's requested end), whose
///   busy time is exact: `windowBusy` ≤ the window's length by construction;
/// * the grid of the time series, intervals `[i·Δ, (i+1)·Δ)` from time 0, kept in a ring of `ringSize`
///   buckets ahead of the last sample: a bucket holds the busy time inside its interval, exactly, as long as
///   the server's backlog reaches less than `ringSize` intervals ahead. Busy time further ahead waits in
///   `beyond` and enters each bucket that opens, up to the bucket's length (exact for a saturated server,
///   whose far backlog is contiguous).
///
/// A run stopped early ends inside the window: its busy time after the stop is estimated from the backlog
/// (`executedWindow(at:)`), at most the real figure.
///
/// Recording is a few compares and adds (a division only when a segment starts in a later interval); the
/// ring is allocated once, at build time, and freed by `deallocate()`.
@usableFromInline
struct BusyMeter: @unchecked Sendable {  // its ring belongs to one simulation, used on one thread
    @usableFromInline static let ringSize = 64
    @usableFromInline static let ringMask = Int64(ringSize - 1)

    @usableFromInline let windowStart: Int64
    @usableFromInline let windowEnd: Int64
    /// Busy ps inside the measured window.
    @usableFromInline var windowBusy: Int64 = 0
    /// The series interval Δ in ps (0: no series).
    @usableFromInline let interval: Int64
    /// The interval the last recorded segment started in, where it starts and where it ends (the fast path adds
    /// a segment inside it to its bucket directly while that bucket is in the ring).
    @usableFromInline var current: Int64 = 0
    @usableFromInline var currentStart: Int64 = 0
    @usableFromInline var currentEnd: Int64
    /// The first interval not yet sampled (`take()` returns it and moves on).
    @usableFromInline var next: Int64 = 0
    @usableFromInline var beyond: Int64 = 0
    @usableFromInline let ring: UnsafeMutablePointer<Int64>

    /// A meter for the window `[window.lowerBound, window.upperBound)` with series intervals of `interval`
    /// (`.zero`: window only).
    init(window: Range<SimTime>, interval: SimTime) {
        windowStart = window.lowerBound.picoseconds
        windowEnd = window.upperBound.picoseconds
        self.interval = interval.picoseconds
        // Without series, an empty current interval: every segment takes `spread`, which returns at once.
        currentEnd = interval > .zero ? interval.picoseconds : -1
        let n = interval > .zero ? Self.ringSize : 1
        ring = .allocate(capacity: n)
        ring.initialize(repeating: 0, count: n)
    }

    /// Frees the ring (once, by the subsystem that owns the meter).
    func deallocate() { ring.deallocate() }

    /// Adds the busy segment `[start, end)`.
    @inline(__always)
    mutating func record(_ start: SimTime, _ end: SimTime) {
        let s = start.picoseconds, e = end.picoseconds
        guard e > s else { return }
        windowBusy &+= Swift.max(0, Swift.min(e, windowEnd) &- Swift.max(s, windowStart))
        if _fastPath(e <= currentEnd && s >= currentStart && UInt64(bitPattern: current &- next) < UInt64(Self.ringSize)) {
            ring[Int(current & Self.ringMask)] &+= e &- s
        } else {
            spread(s, e)
        }
    }

    /// A segment that starts in another interval than the last one, or crosses a boundary (or a meter without
    /// series, whose `currentEnd` stays below every segment).
    @usableFromInline @inline(never)
    mutating func spread(_ s0: Int64, _ e: Int64) {
        guard interval > 0 else { return }
        defer { currentStart = currentEnd &- interval }
        var s = s0
        while s < e {
            if s >= currentEnd || s < currentEnd &- interval {
                current = s / interval
                currentEnd = (current &+ 1) &* interval
            }
            let piece = Swift.min(e, currentEnd)
            add(piece &- s, to: current)
            s = piece
            if s == currentEnd && s < e {
                current &+= 1
                currentEnd &+= interval
            }
        }
    }

    @inline(__always)
    mutating func add(_ ps: Int64, to i: Int64) {
        // An interval already sampled cannot take more (work is never queued in the past); count it in the open one.
        let j = Swift.max(i, next)
        if j &- next < Int64(Self.ringSize) { ring[Int(j & Self.ringMask)] &+= ps } else { beyond &+= ps }
    }

    /// The busy ps of interval `next` (which must have ended), and moves on to the next interval.
    mutating func take() -> Int64 {
        let slot = Int(next & Self.ringMask)
        let v = ring[slot]
        // The slot now holds the interval `ringSize` ahead: give it what waited beyond the ring.
        let fill = Swift.min(beyond, interval)
        ring[slot] = fill
        beyond &-= fill
        next &+= 1
        return v
    }

    /// The busy ps inside `[windowStart, t)` for a run that stopped at `t` (≤ `windowEnd`): exact for a
    /// complete run; for one stopped early, the window's busy time less the server's backlog after `t`
    /// (`busyUntil`), which counts any idle gap in that backlog as work not done — never more than the real figure.
    func executedWindow(at t: SimTime, busyUntil: SimTime) -> Int64 {
        let stop = Swift.min(t.picoseconds, windowEnd)
        guard stop < windowEnd else { return windowBusy }
        let pending = Swift.max(0, Swift.min(busyUntil.picoseconds, windowEnd) &- Swift.max(stop, windowStart))
        return Swift.max(0, windowBusy &- pending)
    }
}
