/// A DHCP (RFC 2131) message as a Virtual Server network's DHCP server and
/// clients exchange them (DISCOVER, OFFER, REQUEST, ACK), encoded as a real
/// BOOTP packet with the magic cookie and options, for pcap files.
public struct DHCPMessage: Sendable, Equatable {
    public enum Kind: UInt8, Sendable { case discover = 1, offer = 2, request = 3, decline = 4, ack = 5, nak = 6, release = 7 }

    public var kind: Kind
    public var transactionID: UInt32
    public var clientMAC: [UInt8]
    /// The address offered or acknowledged ("yiaddr"), 0 in client messages.
    public var yourAddress: UInt32
    public var serverAddress: UInt32
    /// The address a REQUEST asks for (option 50), 0 for none.
    public var requestedAddress: UInt32
    public var subnetMask: UInt32
    /// Lease, renewal (T1) and rebinding (T2) times in seconds (options 51, 58, 59); used in OFFER and ACK.
    public var leaseSeconds: UInt32
    public var renewalSeconds: UInt32
    public var rebindingSeconds: UInt32

    public init(
        kind: Kind, transactionID: UInt32, clientMAC: [UInt8], yourAddress: UInt32 = 0, serverAddress: UInt32 = 0,
        requestedAddress: UInt32 = 0, subnetMask: UInt32 = 0, leaseSeconds: UInt32 = 0, renewalSeconds: UInt32 = 0,
        rebindingSeconds: UInt32 = 0
    ) {
        self.kind = kind; self.transactionID = transactionID; self.clientMAC = clientMAC; self.yourAddress = yourAddress
        self.serverAddress = serverAddress; self.requestedAddress = requestedAddress; self.subnetMask = subnetMask
        self.leaseSeconds = leaseSeconds; self.renewalSeconds = renewalSeconds; self.rebindingSeconds = rebindingSeconds
    }

    var fromServer: Bool { kind == .offer || kind == .ack || kind == .nak }

    /// The BOOTP payload (UDP data).
    public var payload: [UInt8] {
        var p: [UInt8] = [fromServer ? 2 : 1, 1, 6, 0]  // op, htype Ethernet, hlen 6, hops
        p += be32(transactionID) + [0, 0] + [0x80, 0]  // xid, secs, flags: broadcast
        p += be32(0) + be32(yourAddress) + be32(fromServer ? serverAddress : 0) + be32(0)  // ciaddr yiaddr siaddr giaddr
        p += clientMAC.prefix(6) + [UInt8](repeating: 0, count: 16 - min(6, clientMAC.count))  // chaddr
        p += [UInt8](repeating: 0, count: 64 + 128)  // sname, file
        p += [99, 130, 83, 99]  // magic cookie
        p += [53, 1, kind.rawValue]
        if serverAddress != 0 && kind != .discover { p += [54, 4] + be32(serverAddress) }
        if requestedAddress != 0 { p += [50, 4] + be32(requestedAddress) }
        if fromServer && kind != .nak {
            if subnetMask != 0 { p += [1, 4] + be32(subnetMask) }
            if leaseSeconds != 0 { p += [51, 4] + be32(leaseSeconds) }
            if renewalSeconds != 0 { p += [58, 4] + be32(renewalSeconds) }
            if rebindingSeconds != 0 { p += [59, 4] + be32(rebindingSeconds) }
        }
        p.append(255)
        if p.count < 300 { p += [UInt8](repeating: 0, count: 300 - p.count) }  // BOOTP minimum
        return p
    }

    /// The whole Ethernet frame: server → broadcast from port 67, client → broadcast from 68.
    public func frame(serverMAC: [UInt8], id: UInt16) -> [UInt8] {
        let broadcastMAC: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        let src: UInt32 = fromServer ? serverAddress : 0
        let packet = FrameBuilder.udp(
            source: src, destination: 0xFFFF_FFFF, sourcePort: fromServer ? 67 : 68,
            destinationPort: fromServer ? 68 : 67, payload: payload, id: id)
        return FrameBuilder.ethernet(destination: broadcastMAC, source: fromServer ? serverMAC : clientMAC, vlan: 0, ipv4: packet)
    }
}
