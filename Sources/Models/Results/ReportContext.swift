import SimCore

/// What every report section needs: the warm-up baseline, the measured window, the metrics and latency summaries
/// collected so far, and the host-wide event totals the sections add up (signals, interrupts, exits).
struct ReportContext {
    let baseline: Baseline
    /// Seconds measured (after the warm-up), at least 1 ps.
    let seconds: Double
    /// The host's clock rate in cycles per second.
    let hertz: Double
    /// Packets delivered after the warm-up (ACKs included) and their payload bytes.
    let packetsDelivered: Double
    let payloadDelivered: Double
    /// The run's end (the time reached, if it stopped early).
    var end = SimTime.zero
    /// Cycles each core executed in the window by stage (`executedCycles`), flat: `server * CostStage.count + stage`.
    var executed: [Double] = []
    /// Executed over charged cycles in the window, by `CycleDomain`: turns the cycles billed to a flow or adapter
    /// (charged when queued) into the cores it kept busy, so that those sum to the per-core figures.
    var domainScale = [Double](repeating: 1, count: CycleDomain.count)
    var metrics: [Metric] = []
    var latencies: [LatencySummary] = []
    /// Host-wide sums, filled by the adapter and NIC sections and reported by `reportHostEvents`.
    var signals = 0.0, synicInterrupts = 0.0, emulatedAccesses = 0.0, emulatedInterrupts = 0.0, nicInterrupts = 0.0
    /// SR-IOV VF receive interrupts (also in `nicInterrupts`): each a VM exit.
    var vfInterrupts = 0.0

    /// Adds one metric, named and in the unit of its `MetricCatalog` spec (a non-finite value is reported as 0).
    mutating func add(_ kind: EntityKind, _ entity: String, _ spec: MetricSpec, _ v: Double) {
        assert(!spec.isFamily && spec.kinds.contains(kind), "\(spec) is not declared for a \(kind.rawValue)")
        metrics.append(Metric(kind, entity, spec.name, v.isFinite ? v : 0, spec.unit))
    }

    /// Adds one member of a metric family, e.g. `drops.<cause>` (a non-finite value is reported as 0).
    mutating func add(_ kind: EntityKind, _ entity: String, _ family: MetricSpec, _ member: String, _ v: Double) {
        assert(family.isFamily && family.kinds.contains(kind), "\(family) is not declared for a \(kind.rawValue)")
        metrics.append(Metric(kind, entity, family.member(member), v.isFinite ? v : 0, family.unit))
    }

    func perSecond(_ x: Double) -> Double { x / seconds }
    func ratio(_ a: Double, _ d: Double) -> Double { d > 0 ? a / d : 0 }
    /// Cycles as cores busy over the window.
    func cores(_ cycles: Double) -> Double { cycles / (hertz * seconds) }
    /// Cycles as percent of `n` cores over the window.
    func percent(_ cycles: Double, of n: Double = 1) -> Double { cycles / (n * hertz * seconds) * 100 }
    /// Bytes over the window in Gb/s.
    func gbps(_ bytes: Double) -> Double { bytes * 8 / seconds / 1e9 }

    /// Cycles billed to entry `i` of a flat per-domain table since the warm-up, by domain.
    func billed(_ now: FixedTable<Int, Int64>, _ base: ContiguousArray<Int64>, _ i: Int) -> [Double] {
        CycleDomain.allCases.map { d in
            let j = i * CycleDomain.count + Int(d.rawValue)
            return Double(now[j] - base[j])
        }
    }

    /// The three-way split of the cycles billed to a flow or adapter, per `packets` packets.
    mutating func addDomainMetrics(_ kind: EntityKind, _ name: String, _ c: [Double], packets: Double) {
        let root = c[Int(CycleDomain.root.rawValue)], hyp = c[Int(CycleDomain.hypervisor.rawValue)]
        let guest = c[Int(CycleDomain.guest.rawValue)]
        add(kind, name, MetricCatalog.rootCycles, root)
        add(kind, name, MetricCatalog.hypervisorCycles, hyp)
        add(kind, name, MetricCatalog.guestCycles, guest)
        add(kind, name, MetricCatalog.rootCyclesPerPacket, ratio(root, packets))
        add(kind, name, MetricCatalog.hypervisorCyclesPerPacket, ratio(hyp, packets))
        add(kind, name, MetricCatalog.guestCyclesPerPacket, ratio(guest, packets))
        add(kind, name, MetricCatalog.hostCyclesPerPacket, ratio(root + hyp, packets))
        add(kind, name, MetricCatalog.allCyclesPerPacket, ratio(root + hyp + guest, packets))
        let busy = root * domainScale[Int(CycleDomain.root.rawValue)] + hyp * domainScale[Int(CycleDomain.hypervisor.rawValue)]
        add(kind, name, MetricCatalog.hostCPUCores, cores(busy))
    }

    /// Adds the latency summary of `h` (if it has samples).
    mutating func addLatency(_ h: LatencyRecorder, kind: EntityKind, entity: String) {
        if let l = LatencySummary(h, kind: kind, entity: entity) { latencies.append(l) }
    }
}

extension LatencySummary {
    /// Every percent, then the tail: enough points for a smooth CDF plot (one pass over the histogram); nil if
    /// `h` has no samples.
    init?(_ h: LatencyRecorder, kind: EntityKind, entity: String) {
        guard h.total > 0 else { return nil }
        func us(_ v: UInt64) -> Double { Double(v) / 1_000 }
        let levels: [Double] = (0..<100).map(Double.init) + [99.5, 99.9, 99.99, 100]
        let v = h.values(atPercentiles: levels)
        let cdf = levels.indices.map { CDFPoint(latencyMicroseconds: us(v[$0]), fraction: levels[$0] / 100) }
        func at(_ p: Double) -> Double { us(v[levels.firstIndex(of: p)!]) }
        self.init(
            kind: kind, entity: entity, samples: h.total, minimum: us(h.minimum), mean: h.mean / 1_000,
            p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), maximum: us(h.maximum), cdf: cdf)
    }
}
