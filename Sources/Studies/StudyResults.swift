import Foundation
import Reports
import Stochastics

/// One metric of one entity at one point of a study, over its complete replications.
public struct PointMetric: Sendable, Equatable {
    public var point: Int
    public var kind: String
    public var entity: String
    public var metric: String
    public var unit: String
    /// The values by replication (index order), of the complete runs only.
    public var values: [Double]
    /// The replications of those values (paired across points).
    public var replications: [Int]
    public var summary: MetricSummary
}

/// A study's results from its database: every complete run's metrics grouped by point, summarized with Student-t
/// intervals at `level`. Deterministic: made from the database in run-index order, whatever order runs finished in.
public struct StudyResults: Sendable {
    public var plan: StudyPlan
    public var level: Double
    public var records: [StudyRunRecord]
    /// By point, then by (kind, entity, metric) in the runs' order.
    public var metrics: [[PointMetric]]

    /// Reads and summarizes the database of a study; with `only`, the metrics of those points alone (a plan judges
    /// one value at a time: reading every earlier value's metrics again would make its search quadratic).
    public init(plan: StudyPlan, database: StudyDatabase, level: Double, only: Set<Int>? = nil) throws(StudyDatabaseError) {
        self.plan = plan; self.level = level
        records = try database.runs()
        let byIndex = Dictionary(uniqueKeysWithValues: records.map { ($0.index, $0) })
        struct Key: Hashable {
            var kind: String, entity: String, metric: String
        }
        var perPoint: [[Key: (unit: String, values: [Double], reps: [Int])]] = Array(repeating: [:], count: plan.points.count)
        var order: [[Key]] = Array(repeating: [], count: plan.points.count)
        var rows: [(run: Int, metric: StudyMetric)] = []
        if let only {
            for r in records where only.contains(r.point) && r.status == StudyRunStatus.complete.rawValue {
                rows += try database.metrics(run: r.index).map { (run: r.index, metric: $0) }
            }
        } else {
            rows = try database.allMetrics()
        }
        for (run, m) in rows {
            guard let r = byIndex[run], r.status == StudyRunStatus.complete.rawValue, r.point < plan.points.count else { continue }
            let k = Key(kind: m.kind, entity: m.entity, metric: m.metric)
            if perPoint[r.point][k] == nil {
                perPoint[r.point][k] = (m.unit, [], [])
                order[r.point].append(k)
            }
            perPoint[r.point][k]!.values.append(m.value)
            perPoint[r.point][k]!.reps.append(r.replication)
        }
        metrics = (0..<plan.points.count).map { p in
            order[p].map { k in
                let e = perPoint[p][k]!
                return PointMetric(
                    point: p, kind: k.kind, entity: k.entity, metric: k.metric, unit: e.unit, values: e.values, replications: e.reps,
                    summary: StudyStatistics.summarize(e.values, level: level))
            }
        }
    }

    /// The records of a point, by replication.
    public func records(point: Int) -> [StudyRunRecord] { records.filter { $0.point == point }.sorted { $0.replication < $1.replication } }

    /// The metric `kind/entity/metric` at `point`, or nil.
    public func metric(point: Int, kind: String, entity: String, metric: String) -> PointMetric? {
        metrics[point].first { $0.kind == kind && $0.entity == entity && $0.metric == metric }
    }

    /// The verdicts of a point's complete runs: each code with the number of replications that had it, in first-seen order
    /// — `saturated:3;drops:1` in the tables.
    public func verdicts(point: Int) -> [(code: String, count: Int)] {
        var out: [(String, Int)] = []
        for r in records(point: point) where r.status == StudyRunStatus.complete.rawValue {
            for c in r.verdicts {
                if let i = out.firstIndex(where: { $0.0 == c }) { out[i].1 += 1 } else { out.append((c, 1)) }
            }
        }
        return out.map { (code: $0.0, count: $0.1) }
    }

    public func verdictText(point: Int) -> String { verdicts(point: point).map { "\($0.code):\($0.count)" }.joined(separator: ";") }

    /// Runs of a point that did not complete (failed, crashed, interrupted), or are missing.
    public func incomplete(point: Int) -> Int {
        plan.replications - records(point: point).filter { $0.status == StudyRunStatus.complete.rawValue }.count
    }

    /// `points.csv`: one row per point × metric — the point, every parameter as its own column, the metric, its unit, the
    /// replications it rests on, mean, standard deviation, the confidence interval's bounds and the point's verdicts.
    /// With one replication the spread and interval are empty (unknown), never 0.
    public var pointsTable: CSVTable {
        var t = CSVTable(
            header: ["point"] + plan.parameterPaths + [
                "entity_kind", "entity", "metric", "unit", "replications", "mean", "sd", "ci_low", "ci_high", "confidence", "verdicts",
            ])
        let level = NumberFormat.exact(self.level)
        for (p, point) in plan.points.enumerated() {
            let verdicts = verdictText(point: p)
            for m in metrics[p] {
                let s = m.summary
                let spread = s.count >= 2
                t.append(
                    [String(p)] + point.assignments.map(\.value) + [
                        m.kind, m.entity, m.metric, m.unit, String(s.count), NumberFormat.exact(s.mean),
                        spread ? NumberFormat.exact(s.standardDeviation) : "", spread ? NumberFormat.exact(s.lower) : "",
                        spread ? NumberFormat.exact(s.upper) : "", level, verdicts,
                    ])
            }
        }
        return t
    }
}
