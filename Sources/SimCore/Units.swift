/// A count of bytes.
@frozen
public struct ByteCount: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var bytes: Int64
    @inlinable public init(_ bytes: Int64) { self.bytes = bytes }
    @inlinable public static func < (a: ByteCount, b: ByteCount) -> Bool { a.bytes < b.bytes }
    @inlinable public static func kibibytes(_ n: Int64) -> ByteCount { ByteCount(n * 1024) }
    @inlinable public static func mebibytes(_ n: Int64) -> ByteCount { ByteCount(n * 1024 * 1024) }
    public var description: String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20)MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10)KiB" }
        return "\(bytes)B"
    }
}

/// A data rate in bits per second (integer, so 10 Gb/s is exactly 10_000_000_000).
@frozen
public struct DataRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var bitsPerSecond: Int64
    @inlinable public init(bitsPerSecond: Int64) {
        precondition(bitsPerSecond > 0, "a data rate must be positive")
        self.bitsPerSecond = bitsPerSecond
    }
    @inlinable public static func megabits(_ n: Int64) -> DataRate { DataRate(bitsPerSecond: n * 1_000_000) }
    @inlinable public static func gigabits(_ n: Int64) -> DataRate { DataRate(bitsPerSecond: n * 1_000_000_000) }
    @inlinable public static func < (a: DataRate, b: DataRate) -> Bool { a.bitsPerSecond < b.bitsPerSecond }

    /// Time to serialize `bytes` at this rate, rounded up to a whole picosecond.
    /// Exact for any frame size (128-bit intermediate): 64 KiB at 1 b/s is 5.2e17 ps.
    @inlinable
    public func transmissionTime(bytes: Int64) -> SimTime {
        SimTime(picoseconds: mulDivCeil(bytes * 8, SimTime.picosecondsPerSecond, bitsPerSecond))
    }

    /// Rate as a `Double` in Gb/s, for reports.
    public var gigabitsPerSecond: Double { Double(bitsPerSecond) / 1e9 }

    public var description: String {
        let b = bitsPerSecond
        if b % 1_000_000_000 == 0 { return "\(b / 1_000_000_000)Gbps" }
        if b % 1_000_000 == 0 { return "\(b / 1_000_000)Mbps" }
        if b % 1_000 == 0 { return "\(b / 1_000)Kbps" }
        return "\(b)bps"
    }
}

/// A processor clock rate in hertz.
@frozen
public struct ClockRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var hertz: Int64
    @inlinable public init(hertz: Int64) {
        precondition(hertz > 0, "a clock rate must be positive")
        self.hertz = hertz
    }
    @inlinable public static func gigahertz(_ g: Double) -> ClockRate { ClockRate(hertz: Int64((g * 1e9).rounded())) }
    @inlinable public static func < (a: ClockRate, b: ClockRate) -> Bool { a.hertz < b.hertz }

    /// Time to execute `cycles` at this clock, rounded up to a whole picosecond.
    /// Exact for billions of cycles (128-bit intermediate); saturates at `SimTime.never` rather than trap
    /// when the time is beyond the representable range (and is zero for a negative count).
    @inlinable @inline(__always)
    public func time(for cycles: Cycles) -> SimTime {
        SimTime(picoseconds: mulDivCeilSaturating(cycles.count, SimTime.picosecondsPerSecond, hertz))
    }

    /// Whole cycles elapsed in `time` (rounded down), e.g. to turn busy time back into cycles.
    @inlinable
    public func cycles(in time: SimTime) -> Cycles {
        let (hi, lo) = UInt64(time.picoseconds).multipliedFullWidth(by: UInt64(hertz))
        let (q, _) = UInt64(SimTime.picosecondsPerSecond).dividingFullWidth((hi, lo))
        return Cycles(Int64(q))
    }

    public var description: String {
        if hertz % 1_000_000_000 == 0 { return "\(hertz / 1_000_000_000)GHz" }
        if hertz % 1_000_000 == 0 { return "\(hertz / 1_000_000)MHz" }
        return "\(hertz)Hz"
    }
}

/// A number of processor cycles.
@frozen
public struct Cycles: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    public var count: Int64
    @inlinable @inline(__always) public init(_ count: Int64) { self.count = count }
    public static let zero = Cycles(0)
    @inlinable @inline(__always) public static func < (a: Cycles, b: Cycles) -> Bool { a.count < b.count }
    @inlinable @inline(__always) public static func + (a: Cycles, b: Cycles) -> Cycles { Cycles(a.count + b.count) }
    @inlinable @inline(__always) public static func - (a: Cycles, b: Cycles) -> Cycles { Cycles(a.count - b.count) }
    public var description: String { "\(count)cyc" }
}
