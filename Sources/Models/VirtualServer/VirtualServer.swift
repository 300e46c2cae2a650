import SimCore
import Stochastics

/// A Virtual Server network (`VirtualServer.networks`).
@usableFromInline
struct NetworkID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
    @usableFromInline static let none = NetworkID(-1)
}

/// What a network had at one instant: the totals of its counters (`IVMVirtualNetwork`'s Bytes/Packets
/// Sent/Received/Dropped, MODEL-REFERENCE §2). Sent: frames the network took from its connections (VM adapters, the
/// DHCP server, the host NIC); received: frames it handed to them; dropped: frames it could not deliver.
struct NetworkTotals: Sendable, Equatable {
    var bytesSent: UInt64 = 0, packetsSent: UInt64 = 0
    var bytesReceived: UInt64 = 0, packetsReceived: UInt64 = 0
    var bytesDropped: UInt64 = 0, packetsDropped: UInt64 = 0

    static func - (a: NetworkTotals, b: NetworkTotals) -> NetworkTotals {
        NetworkTotals(
            bytesSent: a.bytesSent &- b.bytesSent, packetsSent: a.packetsSent &- b.packetsSent,
            bytesReceived: a.bytesReceived &- b.bytesReceived, packetsReceived: a.packetsReceived &- b.packetsReceived,
            bytesDropped: a.bytesDropped &- b.bytesDropped, packetsDropped: a.packetsDropped &- b.packetsDropped)
    }
}

/// One deletion or unregistration of a network: when, and what was lost with it.
struct NetworkRemoval: Sendable, Equatable {
    var at: SimTime
    var deleted: Bool
    /// Packets in flight on the network at that instant (queued at a port, being forwarded, on an adapter's way in
    /// or out): each becomes an incomplete transmission when its next stage finds it.
    var inFlightPackets: UInt64
    var inFlightBytes: UInt64
    /// Adapters that were attached and were logically detached.
    var detachedAdapters: [String]
}

/// One Virtual Server network's run-time state.
struct VirtualNetworkState {
    var name: String
    var switchID: SwitchID
    /// The 1-second samples (`IVMVirtualNetwork` keeps the last 60: the `*History` properties): the totals at the
    /// previous sample, and every per-second sample of the run (one `NetworkTotals` of differences per second).
    var lastTotals = NetworkTotals()
    var perSecond: [NetworkTotals] = []
    /// The second `perSecond[0]` ends at (1 unless a run of more than `ConfigurationLimits.seriesPoints` seconds
    /// dropped the oldest).
    var firstSecond = 1
    /// Packets dropped on the network that no port counts (frames for a network that does not exist).
    var unportedDrops: UInt64 = 0
    var unportedDropBytes: UInt64 = 0
    var removals: [NetworkRemoval] = []
}

/// Per-VM network counters (`IVMAccountant::NetworkBytesSent` …): reset to zero when the VM powers on, resets or is
/// restored; kept as the totals at the last reset.
struct VMAccount: Sendable {
    var since: SimTime = .zero
    var base = NetworkTotals()
}

/// The Virtual Server subsystem: networks (hubs are switches; this adds what Virtual Server exposes on top), the
/// VMs' power state and accounts, and which endpoint runs which DHCP client.
@usableFromInline
struct VirtualServer {
    var networks = FixedTable<NetworkID, VirtualNetworkState>()
    /// Whether each VM is running, by VM index.
    @usableFromInline var running: [Bool] = []
    var accounts: [VMAccount] = []
    /// When each endpoint lost its network (deleted or unregistered under it), for the flows' notes.
    var lostNetwork: [EndpointID: (network: String, at: SimTime, deleted: Bool)] = [:]
    /// True on a Virtual Server host.
    @usableFromInline var enabled = false
    /// The DHCP servers (one per network with an enabled server, by its component's `protocolIndex`) and clients
    /// (one per Virtual Server adapter, by `clientIndex`), each with its random stream for the clients' jitter.
    var servers: [DHCPServer] = []
    var clients: [DHCPClient] = []
    var clientStreams: [RandomStream] = []
    /// Each endpoint's client (−1: none) and DHCP client component, by endpoint index.
    var clientIndex: [Int] = []
    var clientComponent: [ControlID] = []
    /// Each switch's DHCP server component, if its network has an enabled server, by switch index.
    var serverComponent: [ControlID?] = []
    /// Each adapter's own address when its network has no DHCP server (static), by endpoint index.
    var staticIP: [IPv4Address] = []

    func deallocate() { networks.deallocate() }
}
