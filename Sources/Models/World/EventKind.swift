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
    /// The guest's TX-done interrupt handler reclaims the emulated NIC's finished descriptors. target = device.
    case emuTxReclaim
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
    /// A control component sends (an adapter's link-up announcement). target = control component.
    case controlSend
    /// Virtual Server: the one-second sample of every network's statistics (`IVMVirtualNetwork`'s per-second values
    /// and 60-second histories).
    case networkSample
    /// A DHCP client's or server's timer. target = control component, arg = timer generation.
    case dhcpTimer
    /// Virtual Server: an adapter's link is up at the start of the run: its DHCP client starts. target = endpoint.
    case linkUp
    /// A bulk stream's retransmission timer (lazily re-armed: the sender ignores it before its deadline). target = stream.
    case tcpRetransmit
    /// A bulk stream's delayed-ACK timer at its receiver. target = stream.
    case tcpDelayedACK
    /// SR-IOV: the guest's VF driver hands the head of its transmit staging to the NIC. target = VF queue, arg = epoch.
    case vfTransmit
    /// Dynamic VMQ re-examines a NIC's queues. target = NIC.
    case dynamicVMQ
}
