/// The model's event kinds (the `kind` of a kernel `Event`), dispatched by `HostSimulation.handle`.
@usableFromInline
enum EventKind: UInt16 {
    /// A flow's source offers its next message. target = flow, arg = timer generation.
    case flowGenerate = 0
    /// NetVSC writes a packet into the send ring. target = channel, arg = packet.
    case vscWrite
    /// NetVSP starts a drain pass of the send ring (after a signal). target = channel.
    case vspDrain
    /// NetVSP finished the pass's root work; the packets go to the switch. target = channel.
    case vspBatchDone
    /// NetVSC starts draining the receive ring (after the SynIC interrupt). target = channel.
    case guestRxDrain
    /// NetVSC + guest stack finished the pass; packets are delivered. target = channel.
    case guestRxDone
    /// A packet whose root-side switch work is done is forwarded. target = ingress endpoint, arg = packet.
    case forward
    /// The NIC finished serializing the head of its transmit queue. target = NIC.
    case nicTxDone
    /// A frame from the external peer reached the NIC. target = NIC, arg = packet.
    case nicRxArrive
    /// A receive queue's interrupt-moderation timer. target = queue, arg = generation.
    case nicCoalesceTimer
    /// A receive queue's DPC finished its pass. target = queue.
    case nicDpcDone
    /// The emulated NIC's transmit demand (CSR1 write) for a packet. target = device, arg = packet.
    case emuTxKick
    /// The emulated NIC put a frame on its 100 Mb/s link. target = device, arg = packet.
    case emuTxWire
    /// The emulated NIC DMA'd a received frame into guest memory. target = device, arg = packet.
    case emuRxDma
    /// The guest's emulated-NIC interrupt handler finished a pass. target = device.
    case emuIsrDone
    /// A packet reaches its final endpoint. target = endpoint, arg = packet.
    case deliver
    /// Periodic time-series sample.
    case sample
    /// A timeline action. target = action index.
    case timeline
    /// End of the warm-up: counters are snapshotted.
    case warmupEnd
}

/// Why a packet was dropped (the `drops.<cause>` metric names).
@usableFromInline
enum DropCause: Int, CaseIterable, Sendable {
    case socketBacklog, guestTxQueueFull, portQueueFull, nicTxQueueFull, nicRxQueueFull, emulatedRxRingFull,
        vlanMismatch, detached, noRoute, peerBacklog

    static let count = DropCause.allCases.count

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
        }
    }
}

/// Where a live packet is (for the in-flight part of the conservation check).
@usableFromInline
enum PacketStage: UInt16, CaseIterable, Sendable {
    case guestStack, guestQueue, sendRing, vsp, switching, portQueue, receiveRing, guestReceive, nicTxQueue,
        wireToPeer, wireFromPeer, nicRxQueue, dpc, emulatedDevice, emulatedWire, hostStack, propagating

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
        }
    }
}
