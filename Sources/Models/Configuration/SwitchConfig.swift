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
    /// How the switch finds a frame's port. Default: `.registered` (Hyper-V); a Virtual Server network: `.learning`.
    public var forwarding: SwitchForwarding
    /// A Virtual Server network's DHCP server (`nil`: none configured, as if disabled). Default: nil.
    public var dhcp: DHCPServerConfig?
    /// Receive Segment Coalescing in the vSwitch (WS2019): consecutive in-order TCP segments of a stream that arrive from
    /// the physical NIC in one receive pass are merged, up to a 64 KiB IP datagram, before they reach a synthetic
    /// adapter or the host vNIC, so the vSwitch, the VSP, the ring and the guest pay per coalesced packet (each merged
    /// segment costs `vswitch_rsc`). Not for legacy adapters (their driver takes MTU frames) or SR-IOV VFs (no
    /// vSwitch). `nil`: on for an external switch, as Windows Server 2019 ships it, off otherwise
    /// (`rsc-in-the-vswitch.md`, MODEL-REFERENCE §1.6). Only an external switch takes frames from a NIC.
    public var rsc: Bool? = nil

    /// Whether the vSwitch coalesces (`rsc`, else its default).
    public var rscEnabled: Bool {
        if let rsc { return rsc }
        if case .external = kind { return true }
        return false
    }

    public init(
        name: String, kind: SwitchKind, hostVNIC: Bool = false, hostVLAN: UInt16 = 0, portQueuePackets: Int = 512,
        forwarding: SwitchForwarding = .registered, dhcp: DHCPServerConfig? = nil
    ) {
        self.name = name; self.kind = kind; self.hostVNIC = hostVNIC; self.hostVLAN = hostVLAN
        self.portQueuePackets = portQueuePackets; self.forwarding = forwarding; self.dhcp = dhcp
    }

    /// A Virtual Server virtual network (MODEL-REFERENCE §2): a switching hub (an 802.1D learning bridge), bound to
    /// host NIC `nic` or internal (VMs only) when nil, with its DHCP server.
    public static func virtualNetwork(
        name: String, nic: String? = nil, portQueuePackets: Int = 512, dhcp: DHCPServerConfig? = nil
    ) -> SwitchConfig {
        SwitchConfig(
            name: name, kind: .network(nic: nic), portQueuePackets: portQueuePackets, forwarding: .learning, dhcp: dhcp)
    }

    /// True for a Virtual Server virtual network.
    public var isVirtualNetwork: Bool {
        if case .network = kind { return true }
        return false
    }

    /// The physical NIC the switch or network is bound to, if any.
    public var boundNIC: String? {
        switch kind {
        case .external(let nic): return nic
        case .network(let nic): return nic
        case .internal, .private: return nil
        }
    }

    /// True if the management OS has a vNIC on this switch.
    public var hasHostVNIC: Bool {
        switch kind {
        case .internal: return true
        case .private, .network: return false
        case .external: return hostVNIC
        }
    }
}

/// The three Hyper-V switch types, and the Virtual Server virtual network.
public enum SwitchKind: Sendable, Equatable {
    /// Bound to the named physical NIC; reaches the external peer beyond it.
    case external(nic: String)
    /// VMs and the host's vNIC; no physical NIC.
    case `internal`
    /// VMs only.
    case `private`
    /// A Virtual Server virtual network (a switching hub): bound to a host NIC, or internal (VMs only) when nil.
    case network(nic: String?)

    public var name: String {
        switch self {
        case .external: return "external"
        case .internal: return "internal"
        case .private: return "private"
        case .network(let nic): return nic == nil ? "network (internal)" : "network"
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
