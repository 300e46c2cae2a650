import SimCore

/// Which partition a core server works for.
@usableFromInline
enum CoreRole: UInt8, Sendable {
    /// A physical core of the root (parent) partition.
    case root
    /// A virtual processor of a child partition.
    case vcpu
    /// A non-root physical core that shared vCPUs run on (a clock only; their cycles are accounted on the vCPUs).
    case physical
}

/// A core as a non-preemptive FIFO server: work is charged in cycles and starts when
/// both it has arrived and the core has finished everything charged before.
///
/// A saturated core delays everything queued on it because `busyUntil` runs ahead of
/// the clock; no event is needed for the queue itself (the caller schedules one event
/// at the completion time the charge returns).
@usableFromInline
struct CoreServer: Sendable {
    @usableFromInline var name: String
    @usableFromInline var role: CoreRole
    /// The VM a vCPU belongs to (-1 for root cores).
    @usableFromInline var vm: VMID
    /// The host the core belongs to, and its clock rate (cycles per second; copied from the host, read per charge).
    @usableFromInline var host: HostID
    @usableFromInline var hertz: Int64
    /// When the core finishes the work charged so far (meaningful on the clock owner).
    @usableFromInline var busyUntil: SimTime = .zero
    /// The server whose `busyUntil` this one queues on: itself, or the physical core a shared vCPU runs on.
    @usableFromInline var clockOwner = CoreID(0)
    /// Time a vCPU spent stalled on emulated-device exits served in the root (ps).
    @usableFromInline var stalledPs: Int64 = 0
    /// Cycles charged since the last sample (for the utilization time series).
    @usableFromInline var intervalCycles: Int64 = 0
    /// The time this server (as a clock owner) is busy executing work, measured as it passes (`BusyMeter`).
    @usableFromInline var busy: BusyMeter
    /// The time a vCPU is stalled on emulated-device exits, measured the same way (window only).
    @usableFromInline var stall: BusyMeter

    init(name: String, role: CoreRole, vm: VMID, host: HostID, hertz: Int64, window: Range<SimTime>, interval: SimTime) {
        self.name = name; self.role = role; self.vm = vm; self.host = host; self.hertz = hertz
        busy = BusyMeter(window: window, interval: interval)
        stall = BusyMeter(window: window, interval: .zero)
    }
}
