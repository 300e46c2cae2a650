import SimCore
import Stochastics

/// The Hyper-V host model: one event handler that holds the model's subsystems — cores, costs, adapters,
/// VMBus, switching, NICs, traffic, control, accounting, measurement — each a struct owning its components in fixed
/// tables, and dispatches kernel events to them by kind and target index.
///
/// Usage:
/// ```swift
/// let sim = try HostSimulation(config: config)       // validates, throws ConfigurationError
/// let out = try sim.run()                              // RunOutput: report + captured frames
/// ```
/// A simulation runs once. The packet walk, the cores each stage is charged to and the sources of
/// the costs are in docs/model.md.
public final class HostSimulation: EventHandler {
    public let config: SimulationConfig

    // MARK: Subsystems (each owns its state; their build steps, reports and checks are in their own files)
    @usableFromInline var cores = Cores()
    @usableFromInline var costs = CostTables()
    @usableFromInline var adapters = Adapters()
    @usableFromInline var vmbus = VMBus()
    @usableFromInline var switching = Switching()
    @usableFromInline var net = NICs()
    @usableFromInline var traffic = Traffic()
    @usableFromInline var control = Control()
    @usableFromInline var virtualServer = VirtualServer()
    @usableFromInline var accounting = Accounting()
    @usableFromInline var measurement = Measurement()
    /// Every packet alive, as ids into this table (shared by every subsystem).
    @usableFromInline var packets = PacketTable(reservingCapacity: 4096)
    @usableFromInline var hasRun = false
    #if DEBUG
        /// Test-only fault: when non-zero, every Nth delivered packet is freed without being counted as delivered, so
        /// conservation must fail (ModelsTests). Debug builds only; release builds have no such branch.
        var debugLosePacketEveryN = 0
        var debugDeliveries = 0
    #endif
    #if VNETSIM_INTERNAL_CHECKS
        /// State of the internal checks (HostSimulation+Invariants.swift).
        @usableFromInline var checks = InternalChecks()
    #endif

    /// Builds the model. - Throws: `ConfigurationError` listing every problem of an invalid configuration.
    public init(config: SimulationConfig) throws {
        let problems = config.validate()
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        self.config = config
        try build()
        #if VNETSIM_INTERNAL_CHECKS
            checks = InternalChecks(channels: vmbus.channels.count, queues: net.queues.count, devices: adapters.devices.count)
        #endif
    }

    deinit {
        cores.deallocate()
        adapters.deallocate()
        vmbus.deallocate()
        switching.deallocate()
        net.deallocate()
        accounting.deallocate()
        traffic.deallocate()
        control.deallocate()
        virtualServer.deallocate()
        costs.deallocate()
    }

    /// Packet slots the run ever needed (the high-water mark of packets in flight). It stops growing once
    /// queues reach their steady state, so memory does not grow with the simulated duration.
    public var packetSlots: Int { packets.capacity }

    // MARK: Event dispatch

    public func handle(_ e: Event, _ k: inout Kernel) {
        #if VNETSIM_INTERNAL_CHECKS
            checks.handling(e)
            defer { checkInvariants(after: e) }
        #endif
        switch EventKind(rawValue: e.kind).unsafelyUnwrapped {
        case .flowGenerate: flowGenerate(FlowID(target: e.target), e, &k)
        case .vscWrite: vscWrite(ChannelID(target: e.target), &k)
        case .vspDrain: vspPass(ChannelID(target: e.target), &k)
        case .vspBatchDone: vspBatchDone(ChannelID(target: e.target), &k)
        case .guestRxDrain: guestPass(ChannelID(target: e.target), &k)
        case .guestRxDone: guestRxDone(ChannelID(target: e.target), &k)
        case .forward: forward(PacketID(arg: e.arg), from: EndpointID(target: e.target), &k)
        case .nicTxDone: nicTxDone(NICID(target: e.target), &k)
        case .nicRxArrive: nicRxArrive(NICID(target: e.target), PacketID(arg: e.arg), &k)
        case .nicCoalesceTimer:
            let q = QueueID(target: e.target)
            if net.queues[q].timer.fires(e), !net.queues[q].dpcRunning, net.queues[q].unannounced > 0 { nicInterrupt(q, &k) }
        case .nicDpcDone: nicDpcDone(QueueID(target: e.target), &k)
        case .emuTxReclaim: emuTxReclaim(DeviceID(target: e.target), &k)
        case .emuTxWire: emuTxWire(DeviceID(target: e.target), PacketID(arg: e.arg), &k)
        case .emuRxDma: emuRxDma(DeviceID(target: e.target), PacketID(arg: e.arg), &k)
        case .emuIsrDone: emuIsrDone(DeviceID(target: e.target), &k)
        case .deliver: deliver(PacketID(arg: e.arg), extraLatency: .zero, &k)
        case .sample: takeSample(&k)
        case .timeline: applyTimeline(Int(e.target), &k)
        case .warmupEnd: startMeasuring(&k)
        case .controlSend: controlSend(ControlID(target: e.target), &k)
        case .networkSample: sampleNetworks(&k)
        case .dhcpTimer: dhcpTimer(ControlID(target: e.target), e, &k)
        case .linkUp: dhcpLinkUp(EndpointID(target: e.target), &k)
        case .tcpRetransmit: tcpRetransmitTimer(Int(e.target), &k)
        case .tcpDelayedACK: tcpDelayedACKTimer(Int(e.target), &k)
        case .vfTransmit: vfTransmit(QueueID(target: e.target), epoch: e.arg, &k)
        case .dynamicVMQ: rebalanceVMQ(NICID(target: e.target), &k)
        }
    }

    // MARK: Cores

    /// Adds `cycles` of `stage` to `server`'s accounting and returns them (to be summed into one `occupy`).
    @inline(__always)
    func account(_ server: CoreID, _ stage: CostStage, _ cycles: Int64) -> Int64 {
        cores.stageCycles[server.index &* CostStage.count &+ Int(stage.rawValue)] &+= cycles
        return cycles
    }

    /// Occupies `server` for `cycles` starting when it is free and `t` has come; returns the completion time.
    /// - Complexity: O(1); the core's queue is implicit in `busyUntil`.
    @inline(__always)
    func occupy(_ server: CoreID, _ cycles: Int64, at t: SimTime) -> SimTime {
        let o = cores.servers[server].clockOwner
        let start = Swift.max(t, cores.servers[o].busyUntil)
        // Saturating: a core's backlog stops at `busyHorizon` instead of overflowing (validated costs never get
        // near it; see `CostModel.maxFixedCycles`).
        let end =
            cycles > 0
            ? Swift.min(start.addingSaturated(SimTime(picoseconds: picosecondsCeil(cycles, per: cores.servers[o].hertz))), Self.busyHorizon)
            : start
        cores.servers[o].busyUntil = end
        cores.servers[o].busy.record(start, end)
        cores.servers[server].intervalCycles &+= cycles
        return end
    }

    /// The latest time a core's work can end: 2^62 ps (about 53 days), so that adding any delay to it cannot overflow.
    @usableFromInline static let busyHorizon = SimTime(picoseconds: 1 << 62)

    /// ⌈units · 10^12 / rate⌉ — `ClockRate.time(for:)` and `DataRate.transmissionTime(bytes:)` (with units in
    /// bits) — computed inline in 64 bits when the product fits, which it does for every realistic charge and
    /// frame; otherwise SimCore's 128-bit `mulDivCeilSaturating` (`Int64.max` if the result does not fit).
    /// The same value either way.
    @inline(__always)
    func picosecondsCeil(_ units: Int64, per rate: Int64) -> Int64 {
        let (hi, lo) = UInt64(truncatingIfNeeded: units).multipliedFullWidth(by: UInt64(SimTime.picosecondsPerSecond))
        guard units >= 0, rate > 0, hi == 0, lo <= UInt64(Int64.max) else {
            return mulDivCeilSaturating(units, SimTime.picosecondsPerSecond, rate)
        }
        let r = UInt64(rate)
        let q = lo / r
        return Int64(q * r == lo ? q : q + 1)
    }

    /// Serialization time of `bytes` on NIC `n`'s link (`DataRate.transmissionTime`).
    @inline(__always)
    func wireTime(_ n: NICID, bytes: Int64) -> SimTime {
        SimTime(picoseconds: picosecondsCeil(bytes * 8, per: net.nics[n].linkRate.bitsPerSecond))
    }

    /// When `server` (or the physical core it shares) finishes the work charged so far.
    @inline(__always) func busyUntil(_ server: CoreID) -> SimTime { cores.servers[cores.servers[server].clockOwner].busyUntil }

    /// Bills `cycles` of `domain`, just charged for packet `p` on its `side` of the switch, to the packet's flow
    /// and to an adapter: the one at that side, else the one at the other end (VM ↔ external, VM ↔ host vNIC),
    /// else the adapter-less slot. Every charged cycle is billed once, so flows and adapters (with that slot)
    /// each sum to the per-core accounting of `account`. Two array increments, no allocation.
    @inline(__always) func bill(_ p: PacketID, _ side: PathSide, _ domain: CycleDomain, _ cycles: Int64) {
        let d = Int(domain.rawValue)
        accounting.ownerCycles[owner(of: p).index &* CycleDomain.count &+ d] &+= cycles
        let s = Int(accounting.adapterSlot[source(of: p)]), t = Int(accounting.adapterSlot[destination(of: p)])
        let first = side == .send ? s : t, second = side == .send ? t : s
        let slot = first >= 0 ? first : (second >= 0 ? second : accounting.adapterSlotCount)
        accounting.adapterCycles[slot &* CycleDomain.count &+ d] &+= cycles
    }

    /// Bills `cycles` of `domain` done for owner `owner` (a flow or control component) at adapter `e` without a packet in
    /// hand (a VMBus send completion, whose packets have moved on): the same two increments as `bill`.
    @inline(__always) func billOwner(_ owner: UInt32, adapter e: EndpointID, _ domain: CycleDomain, _ cycles: Int64) {
        let d = Int(domain.rawValue)
        accounting.ownerCycles[Int(owner) &* CycleDomain.count &+ d] &+= cycles
        let s = Int(accounting.adapterSlot[e])
        accounting.adapterCycles[(s >= 0 ? s : accounting.adapterSlotCount) &* CycleDomain.count &+ d] &+= cycles
    }

    /// Bills root-side work of packet `p` done on both sides of the switch in one pass (`bill` twice, with the
    /// slots looked up once): `send` cycles to the sender's side, `receive` to the receiver's.
    @inline(__always) func bill(_ p: PacketID, _ domain: CycleDomain, send: Int64, receive: Int64) {
        let d = Int(domain.rawValue)
        accounting.ownerCycles[owner(of: p).index &* CycleDomain.count &+ d] &+= send &+ receive
        let s = Int(accounting.adapterSlot[source(of: p)]), t = Int(accounting.adapterSlot[destination(of: p)])
        let none = accounting.adapterSlotCount
        accounting.adapterCycles[(s >= 0 ? s : (t >= 0 ? t : none)) &* CycleDomain.count &+ d] &+= send
        accounting.adapterCycles[(t >= 0 ? t : (s >= 0 ? s : none)) &* CycleDomain.count &+ d] &+= receive
    }

    /// Cycles of `stage` for `bytes` bytes in the cost profile at `base` (an endpoint's `costBase`): the same
    /// arithmetic as `CompiledCost.cycles`, read from the flat table.
    @inline(__always)
    func cycles(_ base: Int, _ stage: CostStage, _ bytes: Int64) -> Int64 {
        let i = base &+ Int(stage.rawValue)
        let c = costs.flat[i]
        if c.perByteQ10 == FlatCost.piecewise { return piecewiseCycles(i, bytes) }
        return c.fixed &+ ((c.perByteQ10 &* bytes &+ 512) >> 10)
    }

    @inline(never)
    func piecewiseCycles(_ i: Int, _ bytes: Int64) -> Int64 { costs.piecewise[i]!.cycles(bytes) }

    /// The domain of non-hypervisor work on `server`: root for root cores, guest for vCPUs.
    @inline(__always) func domain(_ server: CoreID) -> CycleDomain { cores.servers[server].role == .root ? .root : .guest }

    /// The guest stack's `stage` (transmit or receive) for `payload` bytes on vCPU `v`, plus the software checksum
    /// when endpoint `e` does not offload it; accounted (not billed, not occupied) and returned.
    @inline(__always)
    func guestStackCycles(_ v: CoreID, endpoint e: EndpointID, _ stage: CostStage, payload: Int64) -> Int64 {
        let c = costs.base[e]
        var cyc = account(v, stage, cycles(c, stage, payload))
        if !adapters.endpoints[e].checksumOffload { cyc &+= account(v, .checksum, cycles(c, .checksum, payload)) }
        return cyc
    }

    /// Charges one stage on one server at `t`; returns the completion time.
    @inline(__always)
    func charge(_ server: CoreID, _ stage: CostStage, _ cycles: Int64, at t: SimTime) -> SimTime {
        occupy(server, account(server, stage, cycles), at: t)
    }

    // MARK: Packet fate

    /// Drops a packet for a named cause (the only place besides `finish` that frees packets);
    /// `port` is the switch port that dropped it, if any.
    @usableFromInline
    func drop(_ p: PacketID, _ cause: DropCause, port: PortID = .none, _ k: inout Kernel) {
        // A packet RSC coalesced stands for its merged segments too: they are dropped with it, for its cause.
        let merged = UInt64(packets.merged[p.slot])
        let n = 1 &+ merged
        accounting.mergedLive &-= merged
        accounting.drops[cause.rawValue] &+= n
        releaseSocket(p, &k)
        let o = owner(of: p)
        if _slowPath(cause == .incompleteTransmission) {
            accounting.incompleteBytes[o.index] &+= UInt64(packets.frameBytes[p.slot])
        }
        accounting.ownerDrops[o.index &* DropCause.count &+ cause.rawValue] &+= n
        if port != .none {
            switching.ports[port].counters.drops &+= n
            switching.ports[port].counters.dropBytes &+= UInt64(packets.frameBytes[p.slot])
            accounting.portDrops[port.index &* DropCause.count &+ cause.rawValue] &+= n
        }
        if o.index < control.firstOwner {
            let f = traffic.flows[FlowID(o.index)]
            f.counters.drops &+= n
            flowLost(f, p, &k)
        } else {
            control.components[control.component(of: o)].counters.drops &+= 1
        }
        packets.free(p)
    }

    /// Frees a delivered packet (and the segments RSC merged into it, delivered with it).
    @inline(__always) func finish(_ p: PacketID) {
        #if DEBUG
            if _slowPath(debugLosePacketEveryN != 0) {
                debugDeliveries &+= 1
                if debugDeliveries % debugLosePacketEveryN == 0 { packets.free(p); return }  // lost, uncounted
            }
        #endif
        let merged = UInt64(packets.merged[p.slot])
        accounting.mergedLive &-= merged
        accounting.delivered &+= 1 &+ merged
        packets.free(p)
    }

    @inline(__always) func setStage(_ p: PacketID, _ s: PacketStage) { packets.stage[p.slot] = s.rawValue }

    /// The flow packet `p` belongs to, and its source and destination endpoints.
    @inline(__always) func flow(of p: PacketID) -> FlowID { FlowID(Int(packets.flow[p.slot])) }
    @inline(__always) func source(of p: PacketID) -> EndpointID { EndpointID(Int(packets.source[p.slot])) }
    @inline(__always) func destination(of p: PacketID) -> EndpointID { EndpointID(Int(packets.destination[p.slot])) }
}
