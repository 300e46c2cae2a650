/// A 48-bit Ethernet MAC address.
public struct MACAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8) { bytes = (b0, b1, b2, b3, b4, b5) }
    public static func == (a: MACAddress, b: MACAddress) -> Bool { a.array == b.array }
    /// `ff:ff:ff:ff:ff:ff`, every station of the segment.
    public static let broadcast = MACAddress(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
    public func hash(into h: inout Hasher) { h.combine(array) }
    public var array: [UInt8] { [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5] }
    public var description: String {
        array.map {
            let s = String($0, radix: 16); return s.count == 1 ? "0" + s : s
        }.joined(separator: ":")
    }
}

/// An IPv4 address as a 32-bit big-endian value.
public struct IPv4Address: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var value: UInt32
    public init(_ value: UInt32) { self.value = value }
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }
    public var description: String { "\(value >> 24).\((value >> 16) & 255).\((value >> 8) & 255).\(value & 255)" }
}

/// The deterministic addresses of the endpoints.
///
/// VM adapters and host vNICs get MACs in Hyper-V's OUI 00:15:5D (the range Hyper-V assigns dynamic MACs from)
/// and IPv4 addresses in 10.0.0.0/16; external peers get locally administered MACs 02:00:00:… and 10.255.x.y.
public enum Addressing {
    public static func mac(internalIndex i: Int) -> MACAddress {
        MACAddress(0x00, 0x15, 0x5D, UInt8((i >> 16) & 255), UInt8((i >> 8) & 255), UInt8(i & 255))
    }
    public static func ipv4(internalIndex i: Int) -> IPv4Address { IPv4Address(0x0A00_0000 | UInt32(i + 1)) }
    public static func mac(externalIndex i: Int) -> MACAddress {
        MACAddress(0x02, 0x00, 0x00, 0x00, UInt8((i >> 8) & 255), UInt8(i & 255))
    }
    public static func ipv4(externalIndex i: Int) -> IPv4Address { IPv4Address(0x0AFF_0000 | UInt32(i + 1)) }
}

extension MACAddress {
    /// The address as the low 48 bits of an integer, the first octet most significant (`00:15:5d:00:00:01` is
    /// 0x0015_5D00_0001), as the MAC table keys it.
    public init(uint64 v: UInt64) {
        self.init(
            UInt8(truncatingIfNeeded: v >> 40), UInt8(truncatingIfNeeded: v >> 32), UInt8(truncatingIfNeeded: v >> 24),
            UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v))
    }

    /// The address as the low 48 bits of an integer, the first octet most significant.
    public var uint64: UInt64 {
        UInt64(bytes.0) << 40 | UInt64(bytes.1) << 32 | UInt64(bytes.2) << 24 | UInt64(bytes.3) << 16
            | UInt64(bytes.4) << 8 | UInt64(bytes.5)
    }
}
