// Where a packet ends: delivered, dropped for a named cause, or still in flight at a stage.

/// Why a packet was dropped (the `drops.<cause>` metric names).
@usableFromInline
enum DropCause: Int, CaseIterable, Sendable {
    case socketBacklog, guestTxQueueFull, portQueueFull, nicTxQueueFull, nicRxQueueFull, emulatedRxRingFull,
        vlanMismatch, detached, noRoute, peerBacklog, notAddressed, incompleteTransmission, noNetwork, vmStopped,
        socketBufferFull, vfRemoved

    static let count = DropCause.allCases.count

    /// Whether a host of `platform` can drop for this cause (the host's zero rows list only these).
    func applies(to platform: HostPlatform) -> Bool {
        switch self {
        case .incompleteTransmission, .noNetwork, .vmStopped: return platform == .virtualServer
        case .vfRemoved: return platform == .hyperV
        default: return true
        }
    }

    var name: String {
        switch self {
        case .socketBacklog: return "socket_backlog"
        case .guestTxQueueFull: return "guest_tx_queue_full"
        case .portQueueFull: return "port_queue_full"
        case .nicTxQueueFull: return "nic_tx_queue_full"
        case .nicRxQueueFull: return "nic_rx_queue_full"
        case .emulatedRxRingFull: return "emulated_rx_ring_full"
        case .vlanMismatch: return "vlan_mismatch"
        case .detached: return "detached"
        case .noRoute: return "no_route"
        case .peerBacklog: return "peer_backlog"
        case .notAddressed: return "not_addressed"
        case .incompleteTransmission: return "incomplete_transmission"
        case .noNetwork: return "no_network"
        case .vmStopped: return "vm_stopped"
        case .socketBufferFull: return "socket_buffer_full"
        case .vfRemoved: return "vf_removed"
        }
    }
}

/// Where a live packet is (for the in-flight part of the conservation check).
@usableFromInline
enum PacketStage: UInt16, CaseIterable, Sendable {
    case guestStack, guestQueue, sendRing, vsp, switching, portQueue, receiveRing, guestReceive, nicTxQueue,
        wireToPeer, wireFromPeer, nicRxQueue, dpc, emulatedDevice, emulatedWire, hostStack, propagating, networkServer,
        /// SR-IOV: in the guest's VF driver on its way to the NIC (after the stack's and driver's work on the vCPU).
        vfQueue,
        /// SR-IOV: in the guest's VF receive pass (VF driver + stack on the vCPU).
        vfReceive

    var name: String {
        switch self {
        case .guestStack: return "guest_stack"
        case .guestQueue: return "guest_tx_queue"
        case .sendRing: return "send_ring"
        case .vsp: return "vsp"
        case .switching: return "vswitch"
        case .portQueue: return "port_queue"
        case .receiveRing: return "receive_ring"
        case .guestReceive: return "guest_receive"
        case .nicTxQueue: return "nic_tx_queue"
        case .wireToPeer: return "wire_to_peer"
        case .wireFromPeer: return "wire_from_peer"
        case .nicRxQueue: return "nic_rx_queue"
        case .dpc: return "nic_dpc"
        case .emulatedDevice: return "emulated_device"
        case .emulatedWire: return "emulated_wire"
        case .hostStack: return "host_stack"
        case .propagating: return "propagating_to_peer"
        case .networkServer: return "network_server"
        case .vfQueue: return "vf_tx_queue"
        case .vfReceive: return "vf_receive"
        }
    }
}
