import SimCore

/// The CPU cost of one stage of the packet path: `fixed + perByte × bytes` cycles,
/// optionally piecewise by size.
///
/// Costs are model *inputs*; throughput, CPU % and signals are *results*.
/// Every default carries its `source` (a row of ../shared/MODEL-REFERENCE.md).
public struct CostModel: Sendable, Equatable {
    /// Cycles charged once per packet (or per operation). Unit: cycles. Default: 0.
    public var fixed: Int64
    /// Cycles charged per byte the stage touches. Unit: cycles/byte. Default: 0.
    public var perByte: Double
    /// Optional size classes: the first piece whose `upToBytes` is ≥ the size
    /// replaces `fixed`/`perByte`. Sorted ascending by `upToBytes`. Default: none.
    public var pieces: [CostPiece]
    /// Where the numbers come from (a MODEL-REFERENCE.md row, or "scenario").
    public var source: String

    public init(fixed: Int64 = 0, perByte: Double = 0, pieces: [CostPiece] = [], source: String = "scenario") {
        self.fixed = fixed; self.perByte = perByte; self.pieces = pieces; self.source = source
    }

    /// A cost of zero cycles.
    public static let free = CostModel(fixed: 0, perByte: 0, source: "none")

    /// The cycles this stage costs for `bytes` bytes.
    public func cycles(bytes: Int64) -> Int64 {
        for p in pieces where bytes <= p.upToBytes {
            return p.fixed + Int64((p.perByte * Double(bytes)).rounded())
        }
        return fixed + Int64((perByte * Double(bytes)).rounded())
    }

    /// The most fixed cycles a stage may cost: 10^9 (a third of a second at 3 GHz, 1000 s at the slowest
    /// clock, 1 MHz). With `maxCyclesPerByte`, any charge of any packet converts to a time that fits easily.
    public static let maxFixedCycles: Int64 = 1_000_000_000
    /// The most cycles per byte a stage may cost: 10^4 (a 64 KiB frame: 6.6·10^8 cycles).
    public static let maxCyclesPerByte = 10_000.0

    /// A problem with the parameters, or nil.
    public var problem: String? {
        if fixed < 0 { return "fixed cycles must be ≥ 0 (got \(fixed))" }
        if !perByte.isFinite || perByte < 0 { return "perByte cycles must be finite and ≥ 0 (got \(perByte))" }
        if fixed > Self.maxFixedCycles {
            return "fixed is \(fixed) cycles, above the maximum \(Self.maxFixedCycles) cycles per stage"
        }
        if perByte > Self.maxCyclesPerByte {
            return "perByte is \(perByte) cycles/B, above the maximum \(Int(Self.maxCyclesPerByte)) cycles/B per stage"
        }
        for (i, p) in pieces.enumerated() {
            if p.fixed < 0 || !p.perByte.isFinite || p.perByte < 0 { return "piece \(i) has a negative or non-finite cost" }
            if p.fixed > Self.maxFixedCycles || p.perByte > Self.maxCyclesPerByte {
                return "piece \(i) costs more than \(Self.maxFixedCycles) cycles or \(Int(Self.maxCyclesPerByte)) cycles/B"
            }
            if i > 0 && pieces[i - 1].upToBytes >= p.upToBytes { return "pieces must be sorted by strictly increasing upToBytes" }
        }
        return nil
    }
}

/// One size class of a piecewise `CostModel`.
public struct CostPiece: Sendable, Equatable {
    /// The largest size (bytes, inclusive) this piece applies to.
    public var upToBytes: Int64
    /// Cycles per packet for this size class.
    public var fixed: Int64
    /// Cycles per byte for this size class.
    public var perByte: Double
    public init(upToBytes: Int64, fixed: Int64, perByte: Double) {
        self.upToBytes = upToBytes; self.fixed = fixed; self.perByte = perByte
    }
}
