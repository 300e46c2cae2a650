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

    public init(name: String, kind: SwitchKind, hostVNIC: Bool = false, hostVLAN: UInt16 = 0, portQueuePackets: Int = 512) {
        self.name = name; self.kind = kind; self.hostVNIC = hostVNIC; self.hostVLAN = hostVLAN
        self.portQueuePackets = portQueuePackets
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
