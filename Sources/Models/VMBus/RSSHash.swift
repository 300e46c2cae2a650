/// Receive Side Scaling's Toeplitz hash and indirection table, as NDIS defines them ("RSS hashing functions",
/// "Verifying the RSS hash calculation"): the hash of a packet's IPv4 4-tuple under a 40-byte secret key picks an
/// entry of the indirection table, which names the queue (a vRSS sub-channel, a VMMQ queue) and so the core that
/// processes it. Pure values: no allocation after `init`.
@usableFromInline
struct RSSHash: Sendable {
    /// The key every Windows miniport and Hyper-V's vSwitch default to (and Linux's `netdev_rss_key` examples use):
    /// the key of Microsoft's verification table.
    @usableFromInline static let defaultKey: [UInt8] = [
        0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
        0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
        0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
    ]

    /// The key as 64-bit windows: `window[i]` holds key bits i…i+63 (the first 32 are what input bit i is
    /// multiplied by), so the hash is one XOR per set input bit.
    @usableFromInline let windows: [UInt64]

    init(key: [UInt8] = RSSHash.defaultKey) {
        precondition(key.count >= 16, "an RSS key of \(key.count) bytes cannot hash a 12-byte 4-tuple")
        var bits: [UInt64] = []
        bits.reserveCapacity(key.count * 8)
        for i in 0..<(key.count * 8 - 63) {
            var w: UInt64 = 0
            for j in 0..<64 {
                let b = i + j
                let bit = (key[b >> 3] >> (7 - UInt8(b & 7))) & 1
                w = w << 1 | UInt64(bit)
            }
            bits.append(w)
        }
        windows = bits
    }

    /// The Toeplitz hash of `input` bytes: for each set bit i of the input (most significant bit of byte 0 first),
    /// the 32 key bits starting at bit i are XORed in.
    @inlinable
    func hash(_ input: some Sequence<UInt8>) -> UInt32 {
        var result: UInt32 = 0
        var i = 0
        for byte in input {
            var b = byte
            for _ in 0..<8 {
                if b & 0x80 != 0 { result ^= UInt32(truncatingIfNeeded: windows[i] >> 32) }
                b <<= 1
                i += 1
            }
        }
        return result
    }

    /// The hash of an IPv4 TCP or UDP 4-tuple, in NDIS's input order: source address, destination address,
    /// source port, destination port, each in network byte order (`NDIS_HASH_TCP_IPV4`).
    @inlinable
    func hash(source: UInt32, destination: UInt32, sourcePort: UInt16, destinationPort: UInt16) -> UInt32 {
        hash(Self.bytes(source, destination, sourcePort, destinationPort))
    }

    /// The hash of an IPv4 address pair only (`NDIS_HASH_IPV4`: what a non-TCP packet gets).
    @inlinable
    func hash(source: UInt32, destination: UInt32) -> UInt32 {
        hash(Self.bytes(source, destination, 0, 0).prefix(8))
    }

    @inlinable
    static func bytes(_ s: UInt32, _ d: UInt32, _ sp: UInt16, _ dp: UInt16) -> [UInt8] {
        [
            UInt8(s >> 24), UInt8(s >> 16 & 0xff), UInt8(s >> 8 & 0xff), UInt8(s & 0xff),
            UInt8(d >> 24), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff),
            UInt8(sp >> 8), UInt8(sp & 0xff), UInt8(dp >> 8), UInt8(dp & 0xff),
        ]
    }
}

/// An RSS indirection table: `entries` slots (a power of two; NDIS allows up to 128, Windows' default size), filled
/// round-robin with the queues 0…queues−1, as `Set-NetAdapterRss` leaves it; the hash's low bits index it.
@usableFromInline
struct RSSIndirectionTable: Sendable {
    @usableFromInline let slots: [UInt16]

    init(queues: Int, entries: Int = 128) {
        precondition(queues >= 1 && entries >= 1 && entries & (entries - 1) == 0, "bad indirection table \(queues)/\(entries)")
        slots = (0..<entries).map { UInt16($0 % queues) }
    }

    /// The queue for a packet of hash `h`.
    @inlinable func queue(for h: UInt32) -> Int { Int(slots[Int(h) & (slots.count - 1)]) }
}
