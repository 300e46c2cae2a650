/// A time series with bounded memory: when it holds `maxPoints` points, adjacent pairs merge
/// (their mean) and each later point averages twice as many samples, so memory does not grow
/// with the simulated duration.
@usableFromInline
struct SeriesBuffer {
    let kind: EntityKind
    let entity: String
    let metric: String
    let unit: String
    let maxPoints: Int
    var values: [Double] = []
    /// Raw samples per point.
    var factor = 1
    var accumulated = 0.0
    var accumulatedCount = 0

    /// A series of `spec`'s values (its name and unit) for one entity.
    init(kind: EntityKind, entity: String, _ spec: MetricSpec, maxPoints: Int) {
        assert(spec.kinds.contains(kind), "\(spec) is not declared for a \(kind.rawValue)")
        self.kind = kind; self.entity = entity; self.metric = spec.name; self.unit = spec.unit; self.maxPoints = maxPoints
        // No reserve: the buffer grows with the points a run takes (most runs take far fewer than `maxPoints`).
    }

    mutating func add(_ x: Double) {
        accumulated += x
        accumulatedCount += 1
        guard accumulatedCount == factor else { return }
        values.append(accumulated / Double(factor))
        accumulated = 0; accumulatedCount = 0
        if values.count >= maxPoints {
            // In place: the buffer keeps its capacity, so once full it never allocates again.
            var i = 0
            var j = 0
            while i + 1 < values.count { values[j] = (values[i] + values[i + 1]) / 2; i += 2; j += 1 }
            if i < values.count { values[j] = values[i]; j += 1 }
            values.removeLast(values.count - j)
            factor *= 2
        }
    }

    func timeSeries(rawInterval: Double, start: Double, measuredFrom: Double) -> TimeSeries {
        TimeSeries(
            kind: kind, entity: entity, metric: metric, unit: unit, interval: rawInterval * Double(factor),
            start: start, measuredFrom: measuredFrom, values: values)
    }
}

/// The model's time series.
@usableFromInline
struct SeriesSet {
    var flowGoodput: [SeriesBuffer] = []
    var rootUtilization: SeriesBuffer? = nil
    /// Utilization of each root core (server indices 0..<rootCount), in percent.
    var rootCoreUtilization: [SeriesBuffer] = []
    var hypervisorUtilization: SeriesBuffer? = nil
    var nicThroughput: [SeriesBuffer] = []
    var nicRxThroughput: [SeriesBuffer] = []
    /// Packets alive (in flight) at each sample.
    var inFlight: SeriesBuffer? = nil
    /// Hypervisor cycles charged to each server at the last sample, and scratch per clock owner (reused every sample).
    var lastHypervisor: [Int64] = []
    var ownerCharged: [Int64] = []
    var ownerHypervisor: [Int64] = []
    /// Virtual Server: each network's bytes sent, received and dropped per second over each sample interval, and its
    /// totals at the last sample.
    var networkSent: [SeriesBuffer] = []
    var networkReceived: [SeriesBuffer] = []
    var networkDropped: [SeriesBuffer] = []
    var networkLast: [NetworkTotals] = []
}
