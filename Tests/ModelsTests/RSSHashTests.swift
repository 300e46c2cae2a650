import Testing

@testable import Models

/// The Toeplitz hash against Microsoft's published verification table ("Verifying the RSS Hash Calculation",
/// NDIS documentation: the default key, IPv4 with and without the TCP ports). Each row: destination, source, the
/// IPv4-only hash, the IPv4+TCP hash. The hash's input is source address, destination address, source port,
/// destination port.
@Suite struct RSSHashTests {
    static func ip(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> UInt32 { a << 24 | b << 16 | c << 8 | d }

    static let table: [(dst: UInt32, dport: UInt16, src: UInt32, sport: UInt16, ipv4: UInt32, tcp: UInt32)] = [
        (ip(161, 142, 100, 80), 1766, ip(66, 9, 149, 187), 2794, 0x323e_8fc2, 0x51cc_c178),
        (ip(65, 69, 140, 83), 4739, ip(199, 92, 111, 2), 14230, 0xd718_262a, 0xc626_b0ea),
        (ip(12, 22, 207, 184), 38024, ip(24, 19, 198, 95), 12898, 0xd2d0_a5de, 0x5c2b_394a),
        (ip(209, 142, 163, 6), 2217, ip(38, 27, 205, 30), 48228, 0x8298_9176, 0xafc7_327f),
        (ip(202, 188, 127, 2), 1303, ip(153, 39, 163, 191), 44251, 0x5d18_09c5, 0x10e8_28a2),
    ]

    @Test func matchesMicrosoftsVerificationTable() {
        let h = RSSHash()
        for r in Self.table {
            #expect(h.hash(source: r.src, destination: r.dst) == r.ipv4, "IPv4 \(String(r.ipv4, radix: 16))")
            #expect(
                h.hash(source: r.src, destination: r.dst, sourcePort: r.sport, destinationPort: r.dport) == r.tcp,
                "TCP \(String(r.tcp, radix: 16))")
        }
    }

    @Test func theIndirectionTableSpreadsHashesRoundRobin() {
        // 128 slots over 3 queues: slot i holds queue i mod 3, so hash 0x…05 (slot 5) goes to queue 2 and 0x80 wraps to
        // slot 0 (queue 0); every queue holds 42 or 43 slots.
        let t = RSSIndirectionTable(queues: 3)
        #expect(t.queue(for: 5) == 2 && t.queue(for: 0x80) == 0 && t.queue(for: 0xffff_ffff) == 127 % 3)
        let counts = (0..<128).reduce(into: [0, 0, 0]) { c, s in c[t.queue(for: UInt32(s))] += 1 }
        #expect(counts == [43, 43, 42])
    }
}
