import SimCore

/// Which virtualization product a host runs (a scenario's `host.platform`).
public enum HostPlatform: String, Sendable, Equatable, CaseIterable {
    /// Microsoft Hyper-V: a hypervisor, a root (parent) partition with the VSPs, the virtual switch and the worker
    /// processes, VMBus, synthetic and legacy adapters (MODEL-REFERENCE §1).
    case hyperV = "hyperv"
    /// Microsoft Virtual Server 2005 (R2): a hosted virtual machine monitor on a Windows host OS; emulated DEC 21140
    /// adapters only, Virtual Server virtual networks (switching hubs with a DHCP server), no VMBus (§2).
    case virtualServer = "virtual_server"
}

/// The DHCP server of a Virtual Server virtual network (`IVMDHCPVirtualNetworkServer`, MODEL-REFERENCE §2).
/// Addresses are IPv4 as 32-bit values (10.0.0.1 = 0x0A00_0001). Times are whole seconds.
public struct DHCPServerConfig: Sendable, Equatable {
    /// Whether the server answers. Virtual Server's is disabled by default (§2, cc720344). Default: false.
    public var enabled: Bool
    /// The network address and prefix length the server hands addresses out of.
    public var network: UInt32
    public var prefixLength: Int
    /// First and last address of the pool (the first ≥ network + 16: Virtual Server reserves the first fifteen).
    public var start: UInt32
    public var end: UInt32
    /// The server's own address (its port's address on the network). Default: network + 1.
    public var server: UInt32
    /// Options: default gateway (0 = none), DNS servers, WINS servers (primary, secondary).
    public var gateway: UInt32
    public var dns: [UInt32]
    public var wins: [UInt32]
    /// Lease duration, renewal time T1 and rebinding time T2 (lease ≥ 60 s, T1 ≥ 30 s, T2 ≥ 45 s, T1 < T2 < lease).
    public var lease: SimTime
    public var renewal: SimTime
    public var rebinding: SimTime

    public init(
        enabled: Bool = false, network: UInt32, prefixLength: Int, start: UInt32? = nil, end: UInt32? = nil,
        server: UInt32? = nil, gateway: UInt32 = 0, dns: [UInt32] = [], wins: [UInt32] = [],
        lease: SimTime, renewal: SimTime, rebinding: SimTime
    ) {
        let size: UInt64 = prefixLength >= 32 ? 1 : UInt64(1) << UInt64(32 - prefixLength)
        let broadcast = UInt32(truncatingIfNeeded: UInt64(network) + size - 1)
        self.enabled = enabled; self.network = network; self.prefixLength = prefixLength
        self.start = start ?? network &+ 16
        self.end = end ?? broadcast &- 1
        self.server = server ?? network &+ 1
        self.gateway = gateway; self.dns = dns; self.wins = wins
        self.lease = lease; self.renewal = renewal; self.rebinding = rebinding
    }

    /// The subnet mask of `prefixLength`.
    public var mask: UInt32 { prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefixLength) }
    /// The network's broadcast address.
    public var broadcast: UInt32 { network | ~mask }
    /// Addresses in the pool (`start…end`), not counting the server's own if it falls inside.
    public var poolSize: Int {
        guard end >= start else { return 0 }
        let n = Int(end - start) + 1
        return (start...end).contains(server) ? n - 1 : n
    }
}
