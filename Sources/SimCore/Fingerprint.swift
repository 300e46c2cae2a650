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
        // Two words per event, folded in with one multiply on the carried
        // state: order-sensitive (a multiply does not commute with the next
        // xor), and cheap enough to leave on in every run.
        let a = UInt64(bitPattern: e.time.picoseconds) ^ (UInt64(e.kind) &<< 48)
        let b = UInt64(e.target) &<< 32 | UInt64(e.arg)
        let m = (_value ^ a) &* 0x9E37_79B9_7F4A_7C15
        // Every step is a bijection of the state, so a single divergent event
        // always changes the final value; the rotation carries high bits down.
        _value = (m &<< 29 | m &>> 35) ^ b
    }

    public var description: String {
        let hex = String(_value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
