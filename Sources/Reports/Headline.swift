import Models

/// The few numbers a user asked for: the host rows of ``MetricCatalog/headline``, under their catalog names and in
/// their catalog units, so that summary.json's `headline.metrics.host_cycles_per_packet` is metrics.csv's
/// `host,host,host_cycles_per_packet` — the same number under the same name.
///
/// A report without host rows (a hand-built one) gets goodput and the flows' packets per second summed over its
/// flows.
public struct Headline: Codable, Sendable, Equatable {
    /// Catalog name → value in the spec's unit, for each ``MetricCatalog/headline`` metric the report has.
    public var metrics: [String: Double]
    /// The flow with the highest 99th-percentile latency (end-to-end latency is the flows'; other kinds only when
    /// no flow has latencies), and the highest median over the same entities.
    public var worstLatency: WorstLatency?
    /// Packets delivered and dropped over the whole run (the conservation check's terms).
    public var delivered: UInt64
    public var dropped: UInt64

    public struct WorstLatency: Codable, Sendable, Equatable {
        public var entity: String
        public var p50Microseconds: Double
        public var p99Microseconds: Double
    }

    /// The headline value of `spec`, in `spec.unit`.
    public subscript(_ spec: MetricSpec) -> Double? { metrics[spec.name] }

    public init(_ r: RunReport) {
        var m: [String: Double] = [:]
        for s in MetricCatalog.headline {
            if let row = r.metrics.first(where: { $0.kind == .host && $0.metric == s.name }) { m[s.name] = row.value }
        }
        /// The flows' values of `spec` summed, each converted from its row's unit to the spec's.
        func flowSum(_ spec: MetricSpec) -> Double? {
            let rows = r.metrics.filter { $0.kind == .flow && $0.metric == spec.name }
            guard !rows.isEmpty else { return nil }
            let factor = Quantity.base(of: spec.unit).factor
            return rows.reduce(0) { $0 + Quantity.normalized($1.value, unit: $1.unit).value } / factor
        }
        if m[MetricCatalog.goodput.name] == nil { m[MetricCatalog.goodput.name] = flowSum(MetricCatalog.goodput) }
        if m[MetricCatalog.flowDeliveredPacketsPerSecond.name] == nil {
            m[MetricCatalog.flowDeliveredPacketsPerSecond.name] = flowSum(MetricCatalog.deliveredPacketsPerSecond)
        }
        metrics = m
        let measured = r.latencies.filter { $0.samples > 0 }
        let flows = measured.contains { $0.kind == .flow } ? measured.filter { $0.kind == .flow } : measured
        if let worst = flows.max(by: { ($0.p99, $1.entity) < ($1.p99, $0.entity) }) {
            worstLatency = WorstLatency(
                entity: worst.entity, p50Microseconds: flows.map(\.p50).max() ?? worst.p50, p99Microseconds: worst.p99)
        }
        delivered = r.conservation.delivered
        dropped = r.conservation.dropped
    }

    /// `spec`'s headline value for people, e.g. "4 Gbps", "42.9 %".
    public func human(_ spec: MetricSpec) -> String? { self[spec].map { Quantity.human($0, unit: spec.unit) } }

    /// Packets per second as the flow table counts them, and what the host delivered beside them:
    /// "342 kpps", or "342 kpps data (+ 12 kpps ACKs and control)" when the host delivered more.
    public var packetsText: String? {
        let data = self[MetricCatalog.flowDeliveredPacketsPerSecond], all = self[MetricCatalog.deliveredPacketsPerSecond]
        guard let shown = data ?? all else { return nil }
        let text = Quantity.human(shown, unit: MetricCatalog.deliveredPacketsPerSecond.unit)
        guard let data, let all, all - data >= max(1, 0.0005 * all) else { return text }
        return "\(text) data (+ \(Quantity.human(all - data, unit: MetricCatalog.deliveredPacketsPerSecond.unit)) ACKs and control)"
    }

    /// The CPU figures side by side, each with its own denominator: "root 42.9 % of 2 cores · hypervisor 1.19 % of 8
    /// cores · guest 13.1 % of 4 vCPUs".
    public var cpuParts: [String] {
        func part(_ s: MetricSpec, _ count: MetricSpec, _ noun: String) -> String? {
            guard let v = human(s) else { return nil }
            guard let n = self[count] else { return "\(s.label) \(v)" }
            return "\(s.label) \(v) of \(NumberFormat.significant(n, 4)) \(noun)"
        }
        return [
            part(MetricCatalog.rootCPUUtilization, MetricCatalog.rootCoreCount, "root cores"),
            part(MetricCatalog.hypervisorCPUUtilization, MetricCatalog.coreCount, "cores"),
            part(MetricCatalog.guestCPUUtilization, MetricCatalog.vcpuCount, "vCPUs"),
        ].compactMap { $0 }
    }
}
