import SimCore

/// A Hyper-V virtual switch (MODEL-REFERENCE §1.7).
public struct SwitchConfig: Sendable, Equatable {
    /// Unique name, e.g. "external".
    public var name: String
    /// External (bound to one NIC), internal (VMs and the host) or private (VMs only).
    public var kind: SwitchKind
    /// Give the management OS a vNIC on this switch. External: `-AllowManagementOS`; internal: always has one
    /// (this flag is ignored); private: not allowed. Default: false.
    public var hostVNIC: Bool
    /// VLAN id of the host vNIC's port, 0 = untagged. Default: 0.
    public var hostVLAN: UInt16
    /// Egress queue of each port towards a VM or the host vNIC (waiting for ring space); full → `port_queue_full`.
    /// Unit: packets. Default: 512.
    public var portQueuePackets: Int
    /// How the switch finds a frame's port. Default: `.registered` (Hyper-V).
    public var forwarding: SwitchForwarding

    public init(
        name: String, kind: SwitchKind, hostVNIC: Bool = false, hostVLAN: UInt16 = 0, portQueuePackets: Int = 512,
        forwarding: SwitchForwarding = .registered
    ) {
        self.name = name; self.kind = kind; self.hostVNIC = hostVNIC; self.hostVLAN = hostVLAN
        self.portQueuePackets = portQueuePackets; self.forwarding = forwarding
    }

    /// True if the management OS has a vNIC on this switch.
    public var hasHostVNIC: Bool {
        switch kind {
        case .internal: return true
        case .private: return false
        case .external: return hostVNIC
        }
    }
}

/// The three Hyper-V switch types.
public enum SwitchKind: Sendable, Equatable {
    /// Bound to the named physical NIC; reaches the external peer beyond it.
    case external(nic: String)
    /// VMs and the host's vNIC; no physical NIC.
    case `internal`
    /// VMs only.
    case `private`

    public var name: String {
        switch self {
        case .external: return "external"
        case .internal: return "internal"
        case .private: return "private"
        }
    }
}

/// How a switch learns where addresses are (one bridge either way: Switching/HostSimulation+Switching.swift).
public enum SwitchForwarding: String, Sendable, Equatable, CaseIterable {
    /// Hyper-V's: the vmNICs' and host vNIC's addresses are registered from the port settings and never learned;
    /// only the uplink learns; unknown unicast goes out of the uplink (only), broadcasts to every port of the VLAN.
    case registered
    /// An IEEE 802.1D learning bridge (ns-3's `BridgeNetDevice`, a Virtual Server hub): every port learns the
    /// source addresses of the frames it receives, and unknown unicast is flooded to every other port of the
    /// VLAN, where a station that is not addressed discards its copy (`not_addressed`).
    case learning
}
