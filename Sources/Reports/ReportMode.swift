import Models

/// How much of a run summary.md and summary.json hold (`vnetsim run --report brief|full`); the CSVs always hold
/// everything.
///
/// * `brief` (the default) is sized for a person: no latency CDF points (they are in latency_cdf.csv), and an
///   entity kind with more than ``entityLimit`` entities (64 VMs' flows, VMs, adapters, channels, ports, vCPUs) keeps
///   only its ``keptHighest`` highest and ``keptLowest`` lowest entities by its lead metric, plus a
///   ``MetricDistribution`` (min, median, max across all its entities) of every metric.
/// * `full` keeps every row, series and CDF point.
public enum ReportMode: String, Codable, Sendable, CaseIterable {
    case brief, full

    /// A kind with more entities than this is aggregated in brief mode.
    public static let entityLimit = 16
    /// The entities of an aggregated kind that brief mode keeps: the highest and the lowest by the lead metric.
    public static let keptHighest = 3
    public static let keptLowest = 2
}

/// One metric of an entity kind across all its entities (brief mode): how many report it, the lowest, median and
/// highest value, and the entities that have the extremes.
public struct MetricDistribution: Codable, Sendable, Equatable {
    public var kind: EntityKind
    /// A catalog name (`MetricCatalog`), e.g. `guest_cpu_utilization` or `latency_p99`.
    public var metric: String
    public var unit: String
    public var entities: Int
    public var minimum: Double
    /// The lower median.
    public var median: Double
    public var maximum: Double
    public var minimumEntity: String
    public var maximumEntity: String

    public init(kind: EntityKind, metric: String, unit: String, values: [(entity: String, value: Double)]) {
        precondition(!values.isEmpty, "a distribution of no values")
        let sorted = values.sorted { ($0.value, $0.entity) < ($1.value, $1.entity) }
        self.kind = kind; self.metric = metric; self.unit = unit; entities = values.count
        minimum = sorted[0].value; maximum = sorted[sorted.count - 1].value; median = sorted[(sorted.count - 1) / 2].value
        minimumEntity = sorted[0].entity; maximumEntity = sorted[sorted.count - 1].entity
    }
}

/// A report cut to brief mode (``ReportMode/brief``): what summary.json and summary.md hold.
public struct BriefReport: Sendable, Equatable {
    public var report: RunReport
    public var distributions: [MetricDistribution]

    public init(_ full: RunReport) {
        var r = full
        var distributions: [MetricDistribution] = []
        var keep: [EntityKind: Set<String>] = [:]
        for kind in EntityKind.reportOrder {
            let pivot = MarkdownReport.readingOrder(MetricPivot(kind: kind, metrics: full.metrics))
            let latencyEntities = full.latencies.filter { $0.kind == kind }
            guard pivot.entities.count > ReportMode.entityLimit || latencyEntities.count > ReportMode.entityLimit else { continue }
            var kept = Set(BriefReport.extremes(pivot))
            // The worst latency of the kind stays too (the headline may name it).
            if let worst = latencyEntities.max(by: { ($0.p99, $1.entity) < ($1.p99, $0.entity) }) { kept.insert(worst.entity) }
            keep[kind] = kept
            for (j, col) in pivot.columns.enumerated() {
                let values = pivot.entities.indices.compactMap { e in pivot.values[e][j].map { (entity: pivot.entities[e], value: $0) } }
                if !values.isEmpty {
                    distributions.append(MetricDistribution(kind: kind, metric: col.metric, unit: col.unit, values: values))
                }
            }
            if !latencyEntities.isEmpty {
                for (spec, value) in [(MetricCatalog.latencyP50, \LatencySummary.p50), (MetricCatalog.latencyP99, \LatencySummary.p99)] {
                    distributions.append(
                        MetricDistribution(
                            kind: kind, metric: spec.name, unit: spec.unit, values: latencyEntities.map { ($0.entity, $0[keyPath: value]) })
                    )
                }
            }
        }
        func kept(_ kind: EntityKind, _ entity: String) -> Bool { keep[kind].map { $0.contains(entity) } ?? true }
        r.metrics.removeAll { !kept($0.kind, $0.entity) }
        r.latencies.removeAll { !kept($0.kind, $0.entity) }
        r.series.removeAll { !kept($0.kind, $0.entity) }
        for i in r.latencies.indices { r.latencies[i].cdf = [] }
        report = r
        self.distributions = distributions
    }

    /// The highest and lowest entities of a pivot by its first column (ties by name).
    static func extremes(_ p: MetricPivot) -> [String] {
        guard !p.columns.isEmpty else { return Array(p.entities.prefix(ReportMode.keptHighest + ReportMode.keptLowest)) }
        let order = p.entities.indices.sorted {
            (p.values[$0][0] ?? -.infinity, p.entities[$1]) > (p.values[$1][0] ?? -.infinity, p.entities[$0])
        }
        let top = order.prefix(ReportMode.keptHighest), bottom = order.suffix(ReportMode.keptLowest)
        var out: [String] = []
        for i in top + bottom where !out.contains(p.entities[i]) { out.append(p.entities[i]) }
        return out
    }
}
