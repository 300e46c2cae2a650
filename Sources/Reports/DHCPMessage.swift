import Models
import SimCore

/// A DHCP (RFC 2131) message as a Virtual Server network's DHCP server and clients exchange them, encoded as a
/// real BOOTP packet with the magic cookie and options (RFC 2132), for pcap files.
///
/// The fields follow RFC 2131 Tables 3 and 5 by kind and, for a REQUEST, by ``requestPhase``:
/// - `ciaddr` (``clientAddress``) only in REQUEST renewing/rebinding, RELEASE, and an ACK answering those;
/// - option 50 (``requestedAddress``) only in REQUEST selecting/initReboot, DECLINE (and DISCOVER if set);
/// - option 54 (``serverAddress``) in OFFER, ACK, NAK, REQUEST selecting, DECLINE and RELEASE;
/// - options 61 (client id: type 1 + MAC) in every client message, 55 (parameter request list) in DISCOVER and
///   REQUEST; options 1, 3, 6, 44, 51, 58, 59 in OFFER and ACK when set.
public struct DHCPMessage: Sendable, Equatable {
    public enum Kind: UInt8, Sendable { case discover = 1, offer = 2, request = 3, decline = 4, ack = 5, nak = 6, release = 7 }

    /// Which client state a REQUEST comes from (RFC 2131 §4.3.2).
    public enum RequestPhase: UInt8, Sendable { case selecting, initReboot, renewing, rebinding }

    public var kind: Kind
    public var transactionID: UInt32
    public var clientMAC: [UInt8]
    /// The address offered or acknowledged ("yiaddr"), 0 in client messages.
    public var yourAddress: UInt32
    /// The server's address: option 54 where RFC 2131 has it, `siaddr` in OFFER/ACK, the IPv4 source of a server's
    /// message and the destination of a client's unicast (REQUEST renewing, RELEASE).
    public var serverAddress: UInt32
    /// The address a REQUEST (selecting/initReboot) or DECLINE asks about (option 50), 0 for none.
    public var requestedAddress: UInt32
    public var subnetMask: UInt32
    /// Lease, renewal (T1) and rebinding (T2) times in seconds (options 51, 58, 59); used in OFFER and ACK.
    public var leaseSeconds: UInt32
    public var renewalSeconds: UInt32
    public var rebindingSeconds: UInt32
    /// A REQUEST's phase (ignored for other kinds). Default `.selecting`.
    public var requestPhase: RequestPhase
    /// The client's bound address (`ciaddr`): REQUEST renewing/rebinding, RELEASE, and the ACK answering a
    /// renewing/rebinding REQUEST (which goes to it). 0 for none.
    public var clientAddress: UInt32
    /// The BOOTP broadcast flag. Set: the server's OFFER/ACK go to the broadcast address; clear (Windows clients):
    /// unicast to the client's MAC and `yiaddr` (RFC 2131 §4.1). Default true.
    public var broadcastFlag: Bool
    /// Options 3 (router, 0 = none), 6 (DNS servers) and 44 (NetBIOS name servers) in OFFER and ACK.
    public var gateway: UInt32
    public var dns: [UInt32]
    public var wins: [UInt32]

    public init(
        kind: Kind, transactionID: UInt32, clientMAC: [UInt8], yourAddress: UInt32 = 0, serverAddress: UInt32 = 0,
        requestedAddress: UInt32 = 0, subnetMask: UInt32 = 0, leaseSeconds: UInt32 = 0, renewalSeconds: UInt32 = 0,
        rebindingSeconds: UInt32 = 0, requestPhase: RequestPhase = .selecting, clientAddress: UInt32 = 0,
        broadcastFlag: Bool = true, gateway: UInt32 = 0, dns: [UInt32] = [], wins: [UInt32] = []
    ) {
        self.kind = kind; self.transactionID = transactionID; self.clientMAC = clientMAC; self.yourAddress = yourAddress
        self.serverAddress = serverAddress; self.requestedAddress = requestedAddress; self.subnetMask = subnetMask
        self.leaseSeconds = leaseSeconds; self.renewalSeconds = renewalSeconds; self.rebindingSeconds = rebindingSeconds
        self.requestPhase = requestPhase; self.clientAddress = clientAddress; self.broadcastFlag = broadcastFlag
        self.gateway = gateway; self.dns = dns; self.wins = wins
    }

    /// The frame of a model's message: `packed` is the 64-bit value the model carries (Models' `DHCPWire.packed`:
    /// bits 0–2 kind, 3–4 REQUEST phase, 5 broadcast, 8–31 xid, 32–63 address), between the client with hardware
    /// address `clientMAC` and the server configured by `server`.
    ///
    /// `clientAddress` is the `ciaddr` of the exchange: the client's address while it renews or rebinds (for the
    /// REQUEST it is also the wire's address; for the ACK that answers one, pass it), 0 otherwise. Client messages
    /// carry a clear broadcast flag (Windows); server replies set it when the model broadcast them. OFFER and ACK
    /// carry the server's mask, router, DNS, WINS and lease times.
    /// - Precondition: bits 0–2 of `packed` hold a message kind (1…7).
    public init(wire packed: UInt64, clientMAC: [UInt8], clientAddress: UInt32 = 0, server: DHCPServerConfig) {
        guard let kind = Kind(rawValue: UInt8(truncatingIfNeeded: packed & 0x7)) else {
            preconditionFailure("DHCPMessage(wire:): no message kind in \(packed)")
        }
        let phase = RequestPhase(rawValue: UInt8(truncatingIfNeeded: (packed >> 3) & 0x3))!  // all four are cases
        let broadcast = (packed >> 5) & 1 == 1
        let xid = UInt32(truncatingIfNeeded: packed >> 8) & 0xFF_FFFF
        let address = UInt32(truncatingIfNeeded: packed >> 32)
        self.init(kind: kind, transactionID: xid, clientMAC: clientMAC, serverAddress: server.server, broadcastFlag: false)
        switch kind {
        case .discover: requestedAddress = address
        case .offer, .ack:
            yourAddress = address
            subnetMask = server.mask; gateway = server.gateway; dns = server.dns; wins = server.wins
            leaseSeconds = Self.seconds(server.lease)
            renewalSeconds = Self.seconds(server.renewal)
            rebindingSeconds = Self.seconds(server.rebinding)
            broadcastFlag = broadcast
            if kind == .ack { self.clientAddress = clientAddress }
        case .request:
            requestPhase = phase
            if phase == .selecting || phase == .initReboot { requestedAddress = address } else { self.clientAddress = address }
        case .decline: requestedAddress = address
        case .release: self.clientAddress = address
        case .nak: broadcastFlag = true
        }
    }

    /// Whole seconds of a configured time (validation keeps them whole and below 2³²).
    static func seconds(_ t: SimTime) -> UInt32 {
        UInt32(clamping: t.picoseconds / SimTime.picosecondsPerSecond)
    }

    /// The parameter request list (option 55) of a Windows XP / Server 2003 client: subnet mask, domain name,
    /// router, DNS, NetBIOS name server, node type, scope, router discovery, static route, classless static route
    /// (Microsoft), vendor specific.
    public static let parameterRequestList: [UInt8] = [1, 15, 3, 6, 44, 46, 47, 31, 33, 249, 43]

    var fromServer: Bool { kind == .offer || kind == .ack || kind == .nak }
    /// A REQUEST in INIT-REBOOT or SELECTING (it has no `ciaddr`).
    var requestWithoutAddress: Bool { kind == .request && (requestPhase == .selecting || requestPhase == .initReboot) }
    /// The `ciaddr` field (RFC 2131 Tables 3 and 5): 0 where the RFC says so.
    var ciaddr: UInt32 {
        switch kind {
        case .discover, .offer, .decline, .nak: 0
        case .request: requestWithoutAddress ? 0 : clientAddress
        case .ack, .release: clientAddress
        }
    }
    var includesServerID: Bool {
        guard serverAddress != 0 else { return false }
        switch kind {
        case .discover: return false
        case .request: return requestPhase == .selecting
        default: return true
        }
    }
    var includesRequestedAddress: Bool {
        requestedAddress != 0 && (kind == .discover || kind == .decline || requestWithoutAddress)
    }

    /// The BOOTP payload (UDP data).
    public var payload: [UInt8] {
        var p: [UInt8] = [fromServer ? 2 : 1, 1, 6, 0]  // op, htype Ethernet, hlen 6, hops
        p += be32(transactionID) + [0, 0] + [broadcastFlag ? 0x80 : 0, 0]  // xid, secs, flags
        let yiaddr = kind == .offer || kind == .ack ? yourAddress : 0
        let siaddr = kind == .offer || kind == .ack ? serverAddress : 0
        p += be32(ciaddr) + be32(yiaddr) + be32(siaddr) + be32(0)  // ciaddr yiaddr siaddr giaddr
        p += Self.mac(clientMAC) + [UInt8](repeating: 0, count: 10)  // chaddr
        p += [UInt8](repeating: 0, count: 64 + 128)  // sname, file
        p += [99, 130, 83, 99]  // magic cookie
        p += [53, 1, kind.rawValue]
        if includesServerID { p += [54, 4] + be32(serverAddress) }
        if includesRequestedAddress { p += [50, 4] + be32(requestedAddress) }
        if !fromServer {
            p += [61, 7, 1] + Self.mac(clientMAC)
            if kind == .discover || kind == .request {
                p += [55, UInt8(Self.parameterRequestList.count)] + Self.parameterRequestList
            }
        }
        if kind == .offer || kind == .ack {
            if subnetMask != 0 { p += [1, 4] + be32(subnetMask) }
            if gateway != 0 { p += [3, 4] + be32(gateway) }
            if !dns.isEmpty { p += [6, UInt8(4 * dns.count)] + dns.flatMap(be32) }
            if !wins.isEmpty { p += [44, UInt8(4 * wins.count)] + wins.flatMap(be32) }
            if leaseSeconds != 0 { p += [51, 4] + be32(leaseSeconds) }
            if renewalSeconds != 0 { p += [58, 4] + be32(renewalSeconds) }
            if rebindingSeconds != 0 { p += [59, 4] + be32(rebindingSeconds) }
        }
        p.append(255)
        if p.count < 300 { p += [UInt8](repeating: 0, count: 300 - p.count) }  // BOOTP minimum
        return p
    }

    /// Where the message goes and comes from (RFC 2131 §4.1, §4.4.5, §4.4.6): a server's from its MAC and address
    /// (port 67) — a NAK to broadcast; an OFFER/ACK to a client with an address (`ciaddr`) to it, else to
    /// broadcast if the broadcast flag is set, else to the client's MAC and `yiaddr`. A client's (port 68) from its
    /// address once bound (`ciaddr`), else 0.0.0.0 — a renewing REQUEST and a RELEASE to the server's MAC and
    /// address, everything else to broadcast.
    public func addresses(serverMAC: [UInt8]) -> (sourceMAC: [UInt8], destinationMAC: [UInt8], source: UInt32, destination: UInt32) {
        let broadcastMAC: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        if fromServer {
            if kind == .nak { return (serverMAC, broadcastMAC, serverAddress, 0xFFFF_FFFF) }
            if ciaddr != 0 { return (serverMAC, clientMAC, serverAddress, ciaddr) }
            if broadcastFlag { return (serverMAC, broadcastMAC, serverAddress, 0xFFFF_FFFF) }
            return (serverMAC, clientMAC, serverAddress, yourAddress)
        }
        let unicast = kind == .release || (kind == .request && requestPhase == .renewing)
        return unicast ? (clientMAC, serverMAC, ciaddr, serverAddress) : (clientMAC, broadcastMAC, ciaddr, 0xFFFF_FFFF)
    }

    /// The whole Ethernet frame (see ``addresses(serverMAC:)``), with IPv4 identification `id`.
    public func frame(serverMAC: [UInt8], id: UInt16) -> [UInt8] {
        let a = addresses(serverMAC: serverMAC)
        let packet = FrameBuilder.udp(
            source: a.source, destination: a.destination, sourcePort: fromServer ? 67 : 68,
            destinationPort: fromServer ? 68 : 67, payload: payload, id: id)
        return FrameBuilder.ethernet(destination: a.destinationMAC, source: a.sourceMAC, vlan: 0, ipv4: packet)
    }

    static func mac(_ m: [UInt8]) -> [UInt8] { m.count == 6 ? m : Array(m.prefix(6)) + [UInt8](repeating: 0, count: max(0, 6 - m.count)) }
}
