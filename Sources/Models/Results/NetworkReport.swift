/// A Virtual Server network's statistics as `IVMVirtualNetwork` exposes them (MODEL-REFERENCE §2): totals, the
/// per-second values and the history of the last 60 one-second samples, plus its removals and its DHCP server.
public struct NetworkReport: Codable, Sendable, Equatable {
    public var name: String
    /// The host NIC it is bound to, or nil for an internal network (VMs only).
    public var nic: String?
    /// Whether it exists at the end of the run (not deleted or unregistered, or created again since).
    public var existsAtEnd: Bool
    /// The adapters attached to it at the end ("vm/adapter").
    public var attachedAtEnd: [String]
    /// Each deletion or unregistration, in time order.
    public var removals: [NetworkRemovalReport]
    /// The last (up to) 60 one-second samples before the end of the run, oldest first (`*History`).
    public var history: [NetworkSample]
    /// Every one-second sample of the run, oldest first (networks.csv).
    public var perSecond: [NetworkSample]
    /// Its DHCP server, if one is configured.
    public var dhcp: DHCPServerReport?

    public init(
        name: String, nic: String?, existsAtEnd: Bool, attachedAtEnd: [String], removals: [NetworkRemovalReport],
        history: [NetworkSample], perSecond: [NetworkSample], dhcp: DHCPServerReport?
    ) {
        self.name = name; self.nic = nic; self.existsAtEnd = existsAtEnd; self.attachedAtEnd = attachedAtEnd
        self.removals = removals; self.history = history; self.perSecond = perSecond; self.dhcp = dhcp
    }
}

/// One second of a network's traffic: bytes and packets it took from its connections (sent), handed to them
/// (received) and dropped, in the second ending at `time`.
public struct NetworkSample: Codable, Sendable, Equatable {
    /// The end of the second, in seconds since the start of the run.
    public var time: Double
    public var bytesSent: UInt64, packetsSent: UInt64
    public var bytesReceived: UInt64, packetsReceived: UInt64
    public var bytesDropped: UInt64, packetsDropped: UInt64

    public init(
        time: Double, bytesSent: UInt64, packetsSent: UInt64, bytesReceived: UInt64, packetsReceived: UInt64,
        bytesDropped: UInt64, packetsDropped: UInt64
    ) {
        self.time = time; self.bytesSent = bytesSent; self.packetsSent = packetsSent; self.bytesReceived = bytesReceived
        self.packetsReceived = packetsReceived; self.bytesDropped = bytesDropped; self.packetsDropped = packetsDropped
    }
}

/// A network deleted or unregistered while the run went on.
public struct NetworkRemovalReport: Codable, Sendable, Equatable {
    /// When, in seconds.
    public var time: Double
    /// Deleted (configuration removed) rather than unregistered.
    public var deleted: Bool
    /// Packets in flight on it at that instant, lost as incomplete transmissions, and their frame bytes.
    public var incompletePackets: UInt64
    public var incompleteBytes: UInt64
    /// The adapters that were attached and were logically detached.
    public var detachedAdapters: [String]

    public init(time: Double, deleted: Bool, incompletePackets: UInt64, incompleteBytes: UInt64, detachedAdapters: [String]) {
        self.time = time; self.deleted = deleted; self.incompletePackets = incompletePackets; self.incompleteBytes = incompleteBytes
        self.detachedAdapters = detachedAdapters
    }
}

/// A network's DHCP server at the end of the run: its pool, its leases and the messages it handled.
public struct DHCPServerReport: Codable, Sendable, Equatable {
    public var enabled: Bool
    /// The pool, "first–last", and its size.
    public var pool: String
    public var poolSize: Int
    /// Leases held at the end, "vm/adapter" → address (dotted), with when each expires (seconds).
    public var leases: [DHCPLeaseReport]
    /// Messages by kind: received (discover, request, release, decline) and sent (offer, ack, nak).
    public var messages: [String: UInt64]
    /// DISCOVERs that found no free address (the pool was exhausted).
    public var exhausted: UInt64
    /// The most leases held at once.
    public var peakLeases: Int

    public init(
        enabled: Bool, pool: String, poolSize: Int, leases: [DHCPLeaseReport], messages: [String: UInt64], exhausted: UInt64,
        peakLeases: Int
    ) {
        self.enabled = enabled; self.pool = pool; self.poolSize = poolSize; self.leases = leases; self.messages = messages
        self.exhausted = exhausted; self.peakLeases = peakLeases
    }
}

/// One lease a DHCP server holds.
public struct DHCPLeaseReport: Codable, Sendable, Equatable {
    public var client: String
    public var address: String
    public var expires: Double

    public init(client: String, address: String, expires: Double) {
        self.client = client; self.address = address; self.expires = expires
    }
}

/// A Virtual Server adapter at the end of the run: the network it is attached to — none once detached, since after
/// `DetachFromVirtualNetwork` its network reference "is not valid" (MODEL-REFERENCE §2) — and its address.
public struct AdapterStatus: Codable, Sendable, Equatable {
    /// "vm/adapter".
    public var adapter: String
    /// Its network, or nil: detached (or removed).
    public var network: String?
    /// False once removed (or never added).
    public var present: Bool
    /// Whether its VM is running.
    public var vmRunning: Bool
    /// Its IPv4 address (dotted), or nil: none (on a network with a DHCP server, without a lease).
    public var address: String?
    /// "static" (a network without a DHCP server), "leased" or "none".
    public var addressing: String

    public init(adapter: String, network: String?, present: Bool, vmRunning: Bool, address: String?, addressing: String) {
        self.adapter = adapter; self.network = network; self.present = present; self.vmRunning = vmRunning
        self.address = address; self.addressing = addressing
    }
}
