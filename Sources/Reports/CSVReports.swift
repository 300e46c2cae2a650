import Models

/// The tidy CSV files of a run: one row per observation, ready for pandas or R
/// (`pd.read_csv("metrics.csv")`, `read.csv(...)`). Each row carries the
/// scenario, seed and replication so files from many runs can be concatenated.
public enum CSVReports {
    static func keyColumns(_ r: RunReport) -> [String] {
        [r.info.scenario, String(r.info.seed), String(r.info.replication)]
    }
    static let keyHeader = ["scenario", "seed", "replication"]

    /// `run.csv`: one row, scenario, seed, replication, run_id, status, simulated_s, requested_s, stop_cause, error.
    public static func run(_ record: RunRecord) -> CSVTable {
        var t = CSVTable(header: keyHeader + ["run_id", "status", "simulated_s", "requested_s", "stop_cause", "error"])
        t.append(
            [record.scenario, String(record.seed), String(record.replication), record.runID, record.status]
                + [NumberFormat.exact(record.simulatedSeconds), NumberFormat.exact(record.requestedSeconds)]
                + [record.stopCause ?? "", record.error ?? ""])
        return t
    }

    /// `metrics.csv`: scenario, seed, replication, entity_kind, entity, metric, value, unit.
    public static func metrics(_ r: RunReport) -> CSVTable {
        var t = CSVTable(header: keyHeader + ["entity_kind", "entity", "metric", "value", "unit"])
        let k = keyColumns(r)
        for m in r.metrics { t.append(k + [m.kind.rawValue, m.entity, m.metric, NumberFormat.exact(m.value), m.unit]) }
        return t
    }

    /// `latency.csv`: one row per entity with its percentiles (microseconds).
    public static func latency(_ r: RunReport) -> CSVTable {
        var t = CSVTable(
            header: keyHeader + [
                "entity_kind", "entity", "samples", "min_us", "mean_us", "p50_us", "p90_us", "p99_us", "p999_us", "max_us",
            ])
        let k = keyColumns(r)
        for l in r.latencies {
            t.append(
                k + [l.kind.rawValue, l.entity, String(l.samples)]
                    + [l.minimum, l.mean, l.p50, l.p90, l.p99, l.p999, l.maximum].map(NumberFormat.exact))
        }
        return t
    }

    /// `latency_cdf.csv`: the cumulative distribution points, for CDF plots.
    public static func latencyCDF(_ r: RunReport) -> CSVTable {
        var t = CSVTable(header: keyHeader + ["entity_kind", "entity", "latency_us", "fraction"])
        let k = keyColumns(r)
        for l in r.latencies {
            for p in l.cdf {
                t.append(k + [l.kind.rawValue, l.entity, NumberFormat.exact(p.latencyMicroseconds), NumberFormat.exact(p.fraction)])
            }
        }
        return t
    }

    /// `timeseries.csv`: one row per point; `time_s` is the start of the point's interval. The series run from time
    /// 0: `phase` is `warmup` for a point that ends at or before the warm-up's end, `measured` for one wholly inside
    /// the measured window, `both` for the one that straddles the warm-up's end.
    public static func timeSeries(_ r: RunReport) -> CSVTable {
        var t = CSVTable(header: keyHeader + ["entity_kind", "entity", "metric", "unit", "time_s", "interval_s", "value", "phase"])
        let k = keyColumns(r)
        for s in r.series {
            let measured = s.measuredPoints
            for (i, v) in s.values.enumerated() {
                let start = s.start + Double(i) * s.interval
                let phase = measured.contains(i) ? "measured" : start + s.interval <= s.measuredFrom + 1e-12 ? "warmup" : "both"
                t.append(
                    k + [
                        s.kind.rawValue, s.entity, s.metric, s.unit, NumberFormat.exact(start), NumberFormat.exact(s.interval),
                        NumberFormat.exact(v), phase,
                    ])
            }
        }
        return t
    }

    /// `conservation.csv`: the packet balance, one row per term.
    public static func conservation(_ r: RunReport) -> CSVTable {
        var t = CSVTable(header: keyHeader + ["term", "cause", "packets"])
        let k = keyColumns(r), c = r.conservation
        t.append(k + ["created", "", String(c.created)])
        t.append(k + ["delivered", "", String(c.delivered)])
        for (cause, n) in c.droppedByCause.sorted(by: { $0.key < $1.key }) { t.append(k + ["dropped", cause, String(n)]) }
        for (stage, n) in c.inFlightByStage.sorted(by: { $0.key < $1.key }) { t.append(k + ["in_flight", stage, String(n)]) }
        if c.inFlightByStage.isEmpty { t.append(k + ["in_flight", "", String(c.inFlight)]) }
        return t
    }

    /// The cost inputs: one row per (scope, stage).
    public static func costs(_ r: RunReport) -> CSVTable {
        var t = CSVTable(header: keyHeader + ["scope", "stage", "cycles_per_packet", "cycles_per_byte", "by_size", "source"])
        let k = keyColumns(r)
        for c in r.costInputs {
            t.append(k + [c.scope, c.stage, String(c.fixedCycles), NumberFormat.exact(c.cyclesPerByte), c.pieces, c.source])
        }
        return t
    }
}

/// The row of `run.csv`. `status` is a `RunStatus` (complete, interrupted, failed) in a finished
/// run folder; in a `.partial` folder it is `running` (written when the run starts: if no process
/// is running it, the process was killed) or `failed` (the results could not be written; `error`
/// says why).
public struct RunRecord: Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    public var replication: UInt32
    /// The run's deterministic id (its folder's name); empty if the caller has none.
    public var runID: String
    public var status: String
    public var simulatedSeconds: Double
    public var requestedSeconds: Double
    public var stopCause: String?
    public var error: String?

    public init(
        scenario: String, seed: UInt64, replication: UInt32, runID: String = "", status: String, simulatedSeconds: Double,
        requestedSeconds: Double, stopCause: String? = nil, error: String? = nil
    ) {
        self.scenario = scenario; self.seed = seed; self.replication = replication; self.runID = runID; self.status = status
        self.simulatedSeconds = simulatedSeconds; self.requestedSeconds = requestedSeconds
        self.stopCause = stopCause; self.error = error
    }

    /// The record of a finished report.
    public init(_ info: RunInfo, runID: String = "") {
        self.init(
            scenario: info.scenario, seed: info.seed, replication: info.replication, runID: runID, status: info.status.rawValue,
            simulatedSeconds: info.duration, requestedSeconds: info.requestedDuration, stopCause: info.stopCause)
    }
}
