import Models
import SimCore

/// A classic pcap file (libpcap format, nanosecond timestamps, Ethernet link
/// type) that `tshark -r` and Wireshark read: 24-byte header, then per frame
/// a 16-byte record header and the frame's bytes.
///
/// Timestamps are simulated time (picoseconds, rounded down to nanoseconds)
/// from the Unix epoch, so the first second of a run reads as 1970-01-01.
public struct PcapWriter: Sendable {
    /// The nanosecond-resolution magic (0xA1B23C4D), written little-endian.
    public static let magic: UInt32 = 0xA1B2_3C4D
    public static let snapLength: UInt32 = 262_144
    /// LINKTYPE_ETHERNET.
    public static let linkType: UInt32 = 1

    public private(set) var bytes: [UInt8] = []
    public private(set) var frames = 0

    public init() {
        put32(Self.magic)
        put16(2); put16(4)  // version 2.4
        put32(0); put32(0)  // thiszone, sigfigs
        put32(Self.snapLength)
        put32(Self.linkType)
    }

    /// Appends one frame (without FCS) seen at `time`.
    public mutating func append(frame: [UInt8], at time: SimTime) {
        let ns = max(0, time.picoseconds) / 1_000
        put32(UInt32(truncatingIfNeeded: ns / 1_000_000_000))
        put32(UInt32(truncatingIfNeeded: ns % 1_000_000_000))
        let captured = min(frame.count, Int(Self.snapLength))
        put32(UInt32(captured)); put32(UInt32(frame.count))
        bytes += frame.prefix(captured)
        frames += 1
    }

    private mutating func put16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private mutating func put32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((v >> UInt32(s)) & 0xFF)) } }

    /// A pcap file of captured frames, each rebuilt with valid Ethernet, 802.1Q,
    /// IPv4 and UDP/TCP headers and checksums (payload bytes are zero).
    public static func file(of frames: [CapturedFrame]) -> [UInt8] {
        var w = PcapWriter()
        var builder = FrameBuilder()
        for f in frames { w.append(frame: builder.frame(for: f), at: f.time) }
        return w.bytes
    }
}

/// Builds wire bytes from a ``CapturedFrame``'s header fields.
public struct FrameBuilder: Sendable {
    /// IPv4 identification, counting up per frame (deterministic).
    var ipID: UInt16 = 0

    public init() {}

    public mutating func frame(for f: CapturedFrame) -> [UInt8] {
        if f.transport == .arp { return Self.arp(f) }
        if let d = f.dhcp {
            ipID &+= 1
            return DHCPMessage(wire: d.packed, clientMAC: d.clientMAC, clientAddress: d.clientAddress, server: d.config)
                .frame(serverMAC: d.serverMAC, id: ipID)
        }
        let tcp = f.transport == .tcp
        let l4Header = tcp ? 20 : 8
        // An IPv4 packet is at most 65,535 bytes; an LSO super-frame is cut to fit.
        let payload = max(0, min(f.payloadLength, 65_535 - 20 - l4Header))
        var l4: [UInt8] = []
        if tcp {
            l4 += be16(f.sourcePort) + be16(f.destinationPort) + be32(f.tcpSequence) + be32(f.tcpAcknowledgement)
            l4 += [0x50, f.tcpFlags == 0 ? 0x10 : f.tcpFlags] + be16(65_535) + [0, 0, 0, 0]
        } else {
            l4 += be16(f.sourcePort) + be16(f.destinationPort) + be16(UInt16(8 + payload)) + [0, 0]
        }
        l4 += [UInt8](repeating: 0, count: payload)
        let proto: UInt8 = tcp ? 6 : 17
        var sum = Checksum()
        sum.add(be32(f.sourceIPv4)); sum.add(be32(f.destinationIPv4))
        sum.add([0, proto]); sum.add(be16(UInt16(l4.count)))
        sum.add(Array(l4.prefix(l4Header)))  // the zero payload adds nothing
        var c = sum.value
        if !tcp && c == 0 { c = 0xFFFF }  // UDP: 0 means "no checksum"
        let at = tcp ? 16 : 6
        l4[at] = UInt8(c >> 8); l4[at + 1] = UInt8(c & 0xFF)
        ipID &+= 1
        return Self.ethernet(
            destination: f.destinationMAC, source: f.sourceMAC, vlan: f.vlan,
            ipv4: Self.ipv4(source: f.sourceIPv4, destination: f.destinationIPv4, protocol: proto, id: ipID, payload: l4))
    }

    /// An ARP request over Ethernet for IPv4 (RFC 826) from the frame's source MAC and IPv4 address for its
    /// destination IPv4 address (a gratuitous ARP when the two addresses are the same), in a minimum frame.
    public static func arp(_ f: CapturedFrame) -> [UInt8] {
        func mac(_ m: [UInt8]) -> [UInt8] { m.count == 6 ? m : [UInt8](repeating: 0, count: 6) }
        let body: [UInt8] =
            be16(1) + be16(0x0800) + [6, 4] + be16(1) + mac(f.sourceMAC) + be32(f.sourceIPv4)
            + [UInt8](repeating: 0, count: 6) + be32(f.destinationIPv4)
        return ethernet(destination: f.destinationMAC, source: f.sourceMAC, vlan: f.vlan, etherType: 0x0806, ipv4: body)
    }

    /// An IPv4 packet (no options, DF set, TTL 64) with its header checksum.
    public static func ipv4(source: UInt32, destination: UInt32, protocol p: UInt8, id: UInt16, payload: [UInt8]) -> [UInt8] {
        var h: [UInt8] =
            [0x45, 0] + be16(UInt16(20 + payload.count)) + be16(id) + [0x40, 0] + [64, p, 0, 0] + be32(source) + be32(destination)
        var s = Checksum(); s.add(h)
        h[10] = UInt8(s.value >> 8); h[11] = UInt8(s.value & 0xFF)
        return h + payload
    }

    /// An Ethernet II frame (802.1Q-tagged if `vlan` ≠ 0), padded to the 60-byte minimum.
    public static func ethernet(destination: [UInt8], source: [UInt8], vlan: UInt16, etherType: UInt16 = 0x0800, ipv4 packet: [UInt8])
        -> [UInt8]
    {
        func mac(_ m: [UInt8]) -> [UInt8] { m.count == 6 ? m : [UInt8](repeating: 0, count: 6) }
        var f = mac(destination) + mac(source)
        if vlan != 0 { f += be16(0x8100) + be16(vlan & 0x0FFF) }
        f += be16(etherType) + packet
        if f.count < 60 { f += [UInt8](repeating: 0, count: 60 - f.count) }
        return f
    }

    /// A UDP datagram inside IPv4 with a correct checksum over the real payload.
    public static func udp(source: UInt32, destination: UInt32, sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8], id: UInt16)
        -> [UInt8]
    {
        var l4 = be16(sourcePort) + be16(destinationPort) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
        var s = Checksum()
        s.add(be32(source)); s.add(be32(destination)); s.add([0, 17]); s.add(be16(UInt16(l4.count))); s.add(l4)
        let c = s.value == 0 ? 0xFFFF : s.value
        l4[6] = UInt8(c >> 8); l4[7] = UInt8(c & 0xFF)
        return ipv4(source: source, destination: destination, protocol: 17, id: id, payload: l4)
    }
}

/// The Internet checksum (RFC 1071): one's-complement sum of 16-bit words.
struct Checksum {
    var sum: UInt32 = 0
    var odd: UInt8? = nil
    mutating func add(_ bytes: [UInt8]) {
        var i = 0
        if let o = odd, !bytes.isEmpty { sum += UInt32(o) << 8 | UInt32(bytes[0]); i = 1; odd = nil }
        while i + 1 < bytes.count { sum += UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]); i += 2 }
        if i < bytes.count { odd = bytes[i] }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
    }
    var value: UInt16 {
        var s = sum
        if let o = odd { s += UInt32(o) << 8 }
        while s > 0xFFFF { s = (s & 0xFFFF) + (s >> 16) }
        return ~UInt16(s)
    }
}

func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
