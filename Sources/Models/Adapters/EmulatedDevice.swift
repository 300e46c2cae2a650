import SimCore

/// The state of one emulated DEC 21140 (legacy adapter), served by its VM's worker process
/// on a root core (MODEL-REFERENCE §1.4).
@usableFromInline
struct EmulatedDevice {
    /// The legacy adapter's endpoint.
    @usableFromInline var endpoint: EndpointID
    @usableFromInline var vcpu: CoreID
    /// The root core the VM's worker process (vmwp.exe) runs on.
    @usableFromInline var worker: CoreID
    @usableFromInline var linkRate: DataRate
    /// Trapped register accesses per transmitted packet, per interrupt, and packets per TX-done interrupt.
    @usableFromInline var txAccesses: Int
    @usableFromInline var interruptAccesses: Int
    @usableFromInline var txInterruptEvery: Int
    /// Accesses are served in the hypervisor (kernel-mode emulation) rather than by the worker process.
    @usableFromInline var viaHypervisor: Bool
    /// Virtual Server: a hosted VMM hands each frame to the host (`vmm_host_switch`) each way, and the link is not
    /// paced — a virtual network moves frames "at data rates which are not limited by physical hardware" (§2).
    @usableFromInline var hosted = false
    /// Virtual Server: the VM is stopped (turned off or saved): the device takes no frame (`vm_stopped`).
    @usableFromInline var stopped = false
    /// TX descriptors handed to the device and not yet on the wire.
    @usableFromInline var txInFlight = 0
    /// TX descriptors the device has finished (OWN cleared) that the guest driver has not reclaimed yet: the
    /// driver may post only while `txInFlight + txUnreclaimed < txRing`.
    @usableFromInline var txUnreclaimed = 0
    /// A TX-done interrupt is raised and its handler (which reclaims) has not run yet (`emuTxReclaim` outstanding).
    @usableFromInline var txReclaimPending = false
    /// The socket charges of the finished, unreclaimed descriptors, in order: freed when the driver reclaims.
    @usableFromInline var txCharges = PacketQueue<SocketCharge>()
    @usableFromInline var txRing: Int
    /// Packets waiting in the guest for a free TX descriptor.
    @usableFromInline var guestQueue = PacketQueue<PacketID>()
    @usableFromInline var txLinkBusyUntil: SimTime = .zero
    @usableFromInline var rxLinkBusyUntil: SimTime = .zero
    /// Packets transmitted since the last TX-done interrupt.
    @usableFromInline var txSinceInterrupt = 0
    /// Descriptors the driver holds (posted or awaiting reclaim).
    @inline(__always) var txDescriptorsHeld: Int { txInFlight &+ txUnreclaimed }
    /// Received frames DMA'd into the guest ring and not yet taken by the ISR.
    @usableFromInline var rxRing = PacketQueue<PacketID>()
    /// Frames accepted (DMA pending or in ring or in the ISR) against the RX ring size.
    @usableFromInline var rxOccupied = 0
    @usableFromInline var rxRingSize: Int
    @usableFromInline var isrRunning = false
    @usableFromInline var isrBatch = ContiguousArray<PacketID>()
    @usableFromInline var counters = EmulatedCounters()
    /// The emulated link's busy time each way (`BusyMeter`, window only): the device's own bottleneck.
    @usableFromInline var txLink: BusyMeter
    @usableFromInline var rxLink: BusyMeter

    init(endpoint: EndpointID, vcpu: CoreID, worker: CoreID, config: EmulatedNICConfig, window: Range<SimTime>) {
        self.endpoint = endpoint; self.vcpu = vcpu; self.worker = worker
        txLink = BusyMeter(window: window, interval: .zero)
        rxLink = BusyMeter(window: window, interval: .zero)
        self.linkRate = config.linkRate; self.txRing = config.txRing; self.rxRingSize = config.rxRing
        self.txAccesses = config.txAccessesPerPacket; self.interruptAccesses = config.accessesPerInterrupt
        self.txInterruptEvery = config.txInterruptEvery; self.viaHypervisor = config.accessPath == .hypervisor
    }
}

@usableFromInline
struct EmulatedCounters: Sendable {
    /// Trapped register accesses (each one a VM exit).
    @usableFromInline var accesses: UInt64 = 0
    /// Emulated interrupts injected (TX-done and RX).
    @usableFromInline var interrupts: UInt64 = 0
    /// TX-done interrupts (of `interrupts`): on the `txInterruptEvery`-th finished descriptor, or when the transmit
    /// process suspends with nothing left to send (TU).
    @usableFromInline var txInterrupts: UInt64 = 0
    @usableFromInline var txPackets: UInt64 = 0
    @usableFromInline var rxPackets: UInt64 = 0
}
