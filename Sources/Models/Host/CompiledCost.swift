import SimCore

/// A `CostModel` prepared for the hot path: integer fixed cycles and a per-byte
/// factor in 1/1024 cycles, so `cycles(bytes:)` is two integer operations.
/// Piecewise models keep their pieces (evaluated only when present).
@usableFromInline
struct CompiledCost: Sendable {
    @usableFromInline var fixed: Int64
    @usableFromInline var perByteQ10: Int64
    @usableFromInline var pieces: [CostPiece]

    init(_ m: CostModel) {
        fixed = m.fixed
        perByteQ10 = Int64((m.perByte * 1024).rounded())
        pieces = m.pieces
    }

    /// Cycles for `bytes` bytes (per-byte term rounded to the nearest cycle).
    @inlinable @inline(__always)
    func cycles(_ bytes: Int64) -> Int64 {
        if !pieces.isEmpty { return slow(bytes) }
        return fixed &+ ((perByteQ10 &* bytes &+ 512) >> 10)
    }

    @usableFromInline func slow(_ bytes: Int64) -> Int64 {
        for p in pieces where bytes <= p.upToBytes {
            return p.fixed + ((Int64((p.perByte * 1024).rounded()) * bytes + 512) >> 10)
        }
        return fixed &+ ((perByteQ10 &* bytes &+ 512) >> 10)
    }
}

/// One entry of the model's flat cost table (`HostSimulation.costTable`): a `CompiledCost` without its
/// pieces array, so reading it costs one load and no reference counting. A piecewise model keeps
/// `perByteQ10 == FlatCost.piecewise` and is evaluated by its `CompiledCost` (`HostSimulation.piecewiseCosts`).
@usableFromInline
struct FlatCost: Sendable {
    @usableFromInline var fixed: Int64
    @usableFromInline var perByteQ10: Int64
    @usableFromInline static let piecewise = Int64.min

    init(_ c: CompiledCost) {
        fixed = c.fixed
        perByteQ10 = c.pieces.isEmpty ? c.perByteQ10 : FlatCost.piecewise
    }
}

/// A whole `CostProfile` compiled, indexed by `CostStage.rawValue` (the dense index).
@usableFromInline
struct CompiledProfile: Sendable {
    @usableFromInline var costs: ContiguousArray<CompiledCost>
    init(_ p: CostProfile) {
        costs = ContiguousArray(CostStage.allCases.map { CompiledCost(p[$0]) })
    }
    @inlinable @inline(__always)
    func cycles(_ s: CostStage, _ bytes: Int64) -> Int64 { costs[Int(s.rawValue)].cycles(bytes) }
}

/// Where charged cycles run, for the three-way split of host overhead (MODEL-REFERENCE §1.1): root virtual
/// processors, the hypervisor (exits, hypercalls, injections, whatever core they are charged on) and guest vCPUs.
@usableFromInline
enum CycleDomain: UInt8, CaseIterable, Sendable {
    case root, hypervisor, guest
    static let count = CycleDomain.allCases.count
}

/// The side of the switch a stage works on for a packet: the sender's (its stack, VSC/VSP transmit, vSwitch,
/// NIC receive for frames from the peer) or the receiver's (VSP receive copy, guest receive, NIC transmit,
/// host stack receive). Per-adapter attribution bills each side to the adapter there.
@usableFromInline
enum PathSide: UInt8, Sendable { case send, receive }
