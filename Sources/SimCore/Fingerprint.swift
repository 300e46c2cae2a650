/// A 64-bit digest of the events a run processed, in order.
///
/// Two runs with the same scenario and seed process the same events at the
/// same times and so end with the same fingerprint; any divergence in time,
/// kind, target or argument of any event changes it (with overwhelming
/// probability). This is the regression check OMNeT++ calls a fingerprint.
@frozen
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline var _value: UInt64
    @inlinable public var value: UInt64 { _value }

    @inlinable public init(value: UInt64 = 0xcbf2_9ce4_8422_2325) { self._value = value }

    @inlinable @inline(__always)
    public mutating func absorb(_ e: Event) {
        // A multiply-xorshift mix of the event's fields folded into the state.
        var x = UInt64(bitPattern: e.time.picoseconds)
        x ^= (UInt64(e.target) &<< 32 | UInt64(e.arg)) &* 0x9E37_79B9_7F4A_7C15
        x ^= UInt64(e.kind) &* 0xC2B2_AE3D_27D4_EB4F
        x = (x ^ (x &>> 29)) &* 0xBF58_476D_1CE4_E5B9
        _value = (_value ^ x) &* 0x0000_0100_0000_01B3
    }

    public var description: String {
        let hex = String(_value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
