import Models

/// The few numbers a user asked for, looked up in a report's tidy rows by name.
///
/// Host-level metrics are used when the model reports them; otherwise rates
/// are summed over flows. The names tried are listed in ``Headline/names``;
/// add a synonym there, not a special case in a writer.
public struct Headline: Codable, Sendable, Equatable {
    /// Delivered payload over the measured interval, all flows. Unit: bit/s.
    public var goodputBitsPerSecond: Double?
    /// Delivered packets per second, all flows.
    public var packetsPerSecond: Double?
    /// Root-partition CPU, percent of the root cores.
    public var rootCPUPercent: Double?
    /// Hypervisor CPU, percent of all cores.
    public var hypervisorCPUPercent: Double?
    /// Guest vCPU busy, percent of all vCPUs.
    public var guestCPUPercent: Double?
    /// Host overhead: root-partition plus hypervisor cycles per delivered packet (guest cycles excluded).
    public var cyclesPerPacket: Double?
    /// All cycles (guest, root and hypervisor) per delivered packet.
    public var totalCyclesPerPacket: Double?
    /// Root-partition cycles per delivered payload byte.
    public var cyclesPerByte: Double?
    /// The highest median and 99th percentile latency over flows, microseconds, and the flow.
    public var worstP50Microseconds: Double?
    public var worstP99Microseconds: Double?
    public var worstLatencyEntity: String?
    public var delivered: UInt64
    public var dropped: UInt64

    /// The headlines in reading order (what a user asked for first).
    public static let order = [
        "goodput", "packets", "root_cpu", "hypervisor_cpu", "guest_cpu", "cycles_per_packet", "total_cycles_per_packet",
        "root_cycles_per_packet", "hypervisor_cycles_per_packet", "cycles_per_byte",
    ]

    /// Metric names tried, in order, for each headline.
    public static let names: [String: [String]] = [
        "goodput": ["goodput", "throughput", "goodput_bps"],
        "packets": ["packets_per_second", "packet_rate", "delivered_pps"],
        "root_cpu": ["root_cpu_utilization", "root_cpu", "root_utilization"],
        "hypervisor_cpu": ["hypervisor_cpu_utilization", "hypervisor_cpu", "hypervisor_utilization"],
        "guest_cpu": ["guest_cpu_utilization", "guest_cpu", "vcpu_utilization"],
        "cycles_per_packet": ["host_cycles_per_packet"],
        "total_cycles_per_packet": ["cycles_per_packet", "total_cycles_per_packet"],
        "root_cycles_per_packet": ["root_cycles_per_packet"],
        "hypervisor_cycles_per_packet": ["hypervisor_cycles_per_packet"],
        "cycles_per_byte": ["root_cycles_per_byte", "host_cycles_per_byte"],
    ]

    public init(_ r: RunReport) {
        func find(_ key: String, kind: EntityKind) -> Metric? {
            for n in Headline.names[key] ?? [] {
                if let m = r.metrics.first(where: { $0.kind == kind && $0.metric == n }) { return m }
            }
            return nil
        }
        func sum(_ key: String, kind: EntityKind) -> Double? {
            for n in Headline.names[key] ?? [] {
                let ms = r.metrics.filter { $0.kind == kind && $0.metric == n }
                if !ms.isEmpty { return ms.reduce(0) { $0 + Quantity.normalized($1.value, unit: $1.unit).value } }
            }
            return nil
        }
        func hostValue(_ key: String) -> Double? {
            find(key, kind: .host).map { Quantity.normalized($0.value, unit: $0.unit).value }
        }
        goodputBitsPerSecond = hostValue("goodput") ?? sum("goodput", kind: .flow)
        packetsPerSecond = hostValue("packets") ?? sum("packets", kind: .flow)
        rootCPUPercent = hostValue("root_cpu")
        hypervisorCPUPercent = hostValue("hypervisor_cpu")
        guestCPUPercent = hostValue("guest_cpu")
        // Host overhead per packet: reported directly, or root + hypervisor.
        cyclesPerPacket =
            hostValue("cycles_per_packet")
            ?? hostValue("root_cycles_per_packet").map { $0 + (hostValue("hypervisor_cycles_per_packet") ?? 0) }
        totalCyclesPerPacket = hostValue("total_cycles_per_packet")
        cyclesPerByte = hostValue("cycles_per_byte")
        // End-to-end latency is the flows'; other kinds (ports, VMs) only when there are no flow latencies.
        let measured = r.latencies.filter { $0.samples > 0 }
        let flows = measured.contains { $0.kind == .flow } ? measured.filter { $0.kind == .flow } : measured
        if let worst = flows.max(by: { ($0.p99, $1.entity) < ($1.p99, $0.entity) }) {
            worstP99Microseconds = worst.p99
            worstP50Microseconds = flows.map(\.p50).max()
            worstLatencyEntity = worst.entity
        }
        delivered = r.conservation.delivered
        dropped = r.conservation.dropped
    }
}
