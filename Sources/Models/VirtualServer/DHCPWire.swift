import SimCore

// The DHCP messages of a Virtual Server virtual network (RFC 2131, RFC 2132; MODEL-REFERENCE §2) as the model
// carries them: everything the engines need, packed into a packet's 64-bit `sequence` column.

/// A DHCP message type (option 53, RFC 2132 §9.6); the raw values are the option's.
@usableFromInline enum DHCPKind: UInt8, Sendable, CaseIterable {
    case discover = 1, offer, request, decline, ack, nak, release

    /// Whether a server sends it (OFFER, ACK, NAK) rather than a client.
    @inlinable var fromServer: Bool { self == .offer || self == .ack || self == .nak }
}

/// Which client state a REQUEST comes from. RFC 2131 §4.3.2 tells them apart by the fields a REQUEST carries:
/// SELECTING has a server identifier (option 54) and a requested address (option 50); INIT-REBOOT a requested
/// address only; RENEWING (unicast) and REBINDING (broadcast) a client address (`ciaddr`) only.
@usableFromInline enum DHCPRequestPhase: UInt8, Sendable, CaseIterable {
    case selecting, initReboot, renewing, rebinding
}

/// One DHCP message between a network's server and one client (adapter).
///
/// The client is known to the model by the packet's endpoint (a dense client id), so the message carries no
/// hardware address; the server is the network's one server, so it carries no server identifier either.
///
/// `packed` layout (bit 0 = least significant): bits 0–2 kind, 3–4 phase, 5 broadcast, 6–7 zero,
/// 8–31 transaction id (24 bits), 32–63 address.
@usableFromInline struct DHCPWire: Sendable, Equatable {
    @usableFromInline var kind: DHCPKind
    /// Meaningful for `.request` only (`.selecting` for every other kind).
    @usableFromInline var phase: DHCPRequestPhase
    /// Sent to 255.255.255.255 / ff:ff:ff:ff:ff:ff; else unicast to the server (client messages) or to the
    /// client's hardware address (server replies, RFC 2131 §4.1).
    @usableFromInline var broadcast: Bool
    /// The transaction id (`xid`), 24 bits kept (`xid & 0xFF_FFFF`).
    @usableFromInline var transactionID: UInt32
    /// OFFER/ACK: `yiaddr`; REQUEST selecting/initReboot: the requested address (option 50); REQUEST
    /// renewing/rebinding and RELEASE: `ciaddr`; DECLINE: the declined address (option 50); DISCOVER and NAK: 0.
    @usableFromInline var address: UInt32

    /// The 24-bit transaction id mask.
    @usableFromInline static let transactionMask: UInt32 = 0xFF_FFFF

    /// A message; `transactionID` is cut to 24 bits; `phase` is forced to `.selecting` for kinds other than REQUEST.
    @inlinable
    init(kind: DHCPKind, phase: DHCPRequestPhase = .selecting, broadcast: Bool, transactionID: UInt32, address: UInt32 = 0) {
        self.kind = kind
        self.phase = kind == .request ? phase : .selecting
        self.broadcast = broadcast
        self.transactionID = transactionID & Self.transactionMask
        self.address = address
    }

    /// Unpacks a value made by `packed`.
    /// - Precondition: bits 0–2 hold a valid kind (1…7).
    @inlinable
    init(packed p: UInt64) {
        guard let k = DHCPKind(rawValue: UInt8(truncatingIfNeeded: p & 0x7)) else {
            preconditionFailure("DHCPWire(packed:): no message kind in \(p)")
        }
        kind = k
        phase = DHCPRequestPhase(rawValue: UInt8(truncatingIfNeeded: (p >> 3) & 0x3))!  // 2 bits: all four are cases
        broadcast = (p >> 5) & 1 == 1
        transactionID = UInt32(truncatingIfNeeded: p >> 8) & Self.transactionMask
        address = UInt32(truncatingIfNeeded: p >> 32)
    }

    /// The message in 64 bits (see the layout above); `DHCPWire(packed: m.packed) == m`.
    @inlinable
    var packed: UInt64 {
        UInt64(address) << 32 | UInt64(transactionID & Self.transactionMask) << 8 | (broadcast ? 1 << 5 : 0)
            | UInt64(phase.rawValue) << 3 | UInt64(kind.rawValue)
    }
}

/// The lease times a server grants, as spans (the ACK's options 51, 58 and 59, RFC 2132 §9.2, §9.11, §9.12).
/// The wire has no room for them: the model passes the server's with each ACK it delivers to a client.
@usableFromInline struct DHCPLeaseTimes: Sendable, Equatable {
    /// Lease duration, renewal time T1 and rebinding time T2, each counted from the start of the lease.
    @usableFromInline var lease: SimTime
    @usableFromInline var renewal: SimTime
    @usableFromInline var rebinding: SimTime

    @inlinable init(lease: SimTime, renewal: SimTime, rebinding: SimTime) {
        self.lease = lease; self.renewal = renewal; self.rebinding = rebinding
    }

    /// The times a server with configuration `c` grants.
    @inlinable init(_ c: DHCPServerConfig) { self.init(lease: c.lease, renewal: c.renewal, rebinding: c.rebinding) }
}
