/// A point in simulated time, or a span of it, in integer picoseconds.
///
/// Integer time makes every run reproducible bit for bit: no rounding drift
/// accumulates, and equal timestamps are exactly equal. 2^63 ps is about
/// 106 days of simulated time, far beyond any scenario; conversions that could
/// overflow (bytes at a rate, cycles at a clock) use 128-bit intermediates.
@frozen
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Picoseconds since the start of the run (or the length of a span).
    public var picoseconds: Int64

    @inlinable @inline(__always)
    public init(picoseconds: Int64) { self.picoseconds = picoseconds }

    public static let zero = SimTime(picoseconds: 0)
    /// The largest representable time: "never".
    public static let never = SimTime(picoseconds: .max)

    public static let picosecondsPerNanosecond: Int64 = 1_000
    public static let picosecondsPerMicrosecond: Int64 = 1_000_000
    public static let picosecondsPerMillisecond: Int64 = 1_000_000_000
    public static let picosecondsPerSecond: Int64 = 1_000_000_000_000

    @inlinable public static func nanoseconds(_ n: Int64) -> SimTime { SimTime(picoseconds: n * picosecondsPerNanosecond) }
    @inlinable public static func microseconds(_ n: Int64) -> SimTime { SimTime(picoseconds: n * picosecondsPerMicrosecond) }
    @inlinable public static func milliseconds(_ n: Int64) -> SimTime { SimTime(picoseconds: n * picosecondsPerMillisecond) }
    @inlinable public static func seconds(_ n: Int64) -> SimTime { SimTime(picoseconds: n * picosecondsPerSecond) }

    /// Converts a number of seconds, rounding to the nearest picosecond.
    /// - Precondition: `s` is finite, non-negative-or-negative within ±106 days.
    @inlinable
    public init(seconds s: Double) {
        let ps = (s * 1e12).rounded()
        precondition(ps.isFinite && abs(ps) < 9.2e18, "SimTime(seconds:) out of range: \(s)")
        self.picoseconds = Int64(ps)
    }

    /// The time in seconds, as a `Double` (for reports only; never for ordering).
    @inlinable public var seconds: Double { Double(picoseconds) * 1e-12 }

    @inlinable @inline(__always)
    public static func < (a: SimTime, b: SimTime) -> Bool { a.picoseconds < b.picoseconds }
    @inlinable @inline(__always)
    public static func + (a: SimTime, b: SimTime) -> SimTime { SimTime(picoseconds: a.picoseconds + b.picoseconds) }
    @inlinable @inline(__always)
    public static func - (a: SimTime, b: SimTime) -> SimTime { SimTime(picoseconds: a.picoseconds - b.picoseconds) }
    @inlinable @inline(__always)
    public static func += (a: inout SimTime, b: SimTime) { a.picoseconds += b.picoseconds }
    @inlinable @inline(__always)
    public static func -= (a: inout SimTime, b: SimTime) { a.picoseconds -= b.picoseconds }
    @inlinable
    public static func * (a: SimTime, k: Int64) -> SimTime { SimTime(picoseconds: a.picoseconds * k) }

    /// A human-readable rendering with a unit chosen for the magnitude, e.g. `1.5us`.
    public var description: String {
        let p = picoseconds
        if p == .max { return "never" }
        let a = abs(p)
        func fmt(_ div: Int64, _ unit: String) -> String {
            if p % div == 0 { return "\(p / div)\(unit)" }
            let v = Double(p) / Double(div)
            var s = String(v)
            if s.count > 12 { s = String(format3(v)) }
            return s + unit
        }
        if a >= SimTime.picosecondsPerSecond { return fmt(SimTime.picosecondsPerSecond, "s") }
        if a >= SimTime.picosecondsPerMillisecond { return fmt(SimTime.picosecondsPerMillisecond, "ms") }
        if a >= SimTime.picosecondsPerMicrosecond { return fmt(SimTime.picosecondsPerMicrosecond, "us") }
        if a >= SimTime.picosecondsPerNanosecond { return fmt(SimTime.picosecondsPerNanosecond, "ns") }
        return "\(p)ps"
    }
}

@usableFromInline
func format3(_ v: Double) -> String {
    let scaled = (v * 1000).rounded() / 1000
    return String(scaled)
}

/// Rounds `a * b / c` up, exactly, with a 128-bit intermediate.
/// - Precondition: all operands non-negative, `c > 0`, and the result fits in Int64.
@inlinable
public func mulDivCeil(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
    precondition(a >= 0 && b >= 0 && c > 0, "mulDivCeil needs non-negative operands and a positive divisor")
    let (hi, lo) = UInt64(a).multipliedFullWidth(by: UInt64(b))
    let uc = UInt64(c)
    precondition(hi < uc, "mulDivCeil overflow: \(a) * \(b) / \(c) does not fit in 64 bits")
    let (q, r) = uc.dividingFullWidth((hi, lo))
    let result = r == 0 ? q : q + 1
    precondition(result <= UInt64(Int64.max), "mulDivCeil overflow: \(a) * \(b) / \(c)")
    return Int64(result)
}

/// `mulDivCeil` for inputs that may not fit: `Int64.max` when `a * b / c` (rounded up) does not fit in Int64,
/// 0 when `a` or `b` is negative. Exact otherwise. For run-time conversions that must never trap.
@inlinable
public func mulDivCeilSaturating(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
    guard a > 0, b > 0 else { return 0 }
    guard c > 0 else { return .max }
    let (hi, lo) = UInt64(a).multipliedFullWidth(by: UInt64(b))
    let uc = UInt64(c)
    guard hi < uc else { return .max }
    let (q, r) = uc.dividingFullWidth((hi, lo))
    let result = r == 0 ? q : q + 1
    return result <= UInt64(Int64.max) ? Int64(result) : .max
}

extension SimTime {
    /// `self + d`, or ``never`` if that is beyond the representable range (a timer that never fires).
    @inlinable @inline(__always)
    public func addingSaturated(_ d: SimTime) -> SimTime {
        let (s, o) = picoseconds.addingReportingOverflow(d.picoseconds)
        return o ? .never : SimTime(picoseconds: s)
    }
}
