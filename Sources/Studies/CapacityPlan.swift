import Reports
import Scenario

/// The values a plan may give its grown parameter: `from + k × resolution` for k = 0…K (K unbounded without `to`),
/// so the search runs on whole steps k and every value is exact in the parameter's unit.
public struct PlanGrid: Sendable, Hashable {
    public var from: ScaledValue
    public var resolution: ScaledValue
    /// The last step, nil: unbounded.
    public var lastStep: Int?

    /// - Throws: (at `location`) a bound or resolution that is not a number of one kind, a resolution ≤ 0, `to` below `from`.
    public init(from: String, to: String?, resolution: String?, at location: SourceLocation) throws(StudyDesignError) {
        let texts = [from] + (to.map { [$0] } ?? []) + (resolution.map { [$0] } ?? [])
        func fail(_ m: String, _ fix: String) -> StudyDesignError { StudyDesignError(at: location, m, fix: fix) }
        guard let kind = ScaledNumber.commonKind(texts) else {
            throw fail(
                "the plan's from, to and resolution ('\(texts.joined(separator: "', '"))') are not numbers of one kind",
                "write them in one kind of unit: from: 1, to: 64 — or from: 100Mbps, to: 10Gbps, resolution: 10Mbps")
        }
        let parsed = texts.map { ScaledNumber($0, kind: kind) }
        guard parsed.allSatisfy({ $0 != nil }) else { throw fail("cannot read '\(texts.joined(separator: "', '"))'", "write numbers") }
        var all = ScaledNumber.common(parsed.map { $0! })
        let a = all.removeFirst()
        let b: ScaledNumber? = to == nil ? nil : all.removeFirst()
        var step = resolution == nil ? nil : all.first
        if step == nil {
            guard kind == nil else {
                throw fail(
                    "a plan over \(kind!.noun) needs a resolution", "add resolution (e.g. resolution: 10Mbps): how exact the answer is")
            }
            var one: Int64 = 1
            for _ in 0..<a.scale { one *= 10 }
            step = ScaledNumber(units: one, scale: a.scale, kind: nil)
        }
        guard let step, step.units > 0 else { throw fail("the resolution must be above 0", "write e.g. resolution: 1") }
        if let b {
            guard b.units >= a.units else { throw fail("the plan's 'to' (\(to!)) is below 'from' (\(from))", "swap them") }
            lastStep = Int((b.units - a.units) / step.units)
        } else {
            lastStep = nil
        }
        self.from = ScaledValue(a, example: from)
        self.resolution = ScaledValue(step, example: resolution ?? from)
    }

    /// The value of step k, as `--set` takes it.
    public func value(_ k: Int) -> String {
        let n = ScaledNumber(
            units: from.number.units + Int64(k) * resolution.number.units, scale: from.number.scale, kind: from.number.kind)
        return n.text(preferring: [from.example, resolution.example])
    }

    /// The step whose value is nearest to `text` (for `--start`), or nil if it is not a number of the grid's kind.
    public func step(of text: String) -> Int? {
        guard let x = ScaledNumber(text, kind: from.number.kind) else { return nil }
        let c = ScaledNumber.common([x, from.number, resolution.number])
        let k = Double(c[0].units - c[1].units) / Double(c[2].units)
        return max(0, Int(k.rounded()))
    }
}

/// A number with the text it came from (whose unit the grid's values are written in).
public struct ScaledValue: Sendable, Hashable {
    var number: ScaledNumber
    var example: String
    init(_ number: ScaledNumber, example: String) { self.number = number; self.example = example }
}

/// One objective judged on one entity at one point of a plan.
public struct PlanJudgement: Sendable {
    public var objective: ServiceLevelObjective
    public var entity: String
    public var unit: String
    public var judgement: SLOJudgement
}

/// One measured value of a plan: its runs judged against every objective.
public struct PlanPoint: Sendable {
    public var point: Int
    public var step: Int
    public var value: String
    /// Every objective held on every matching entity, every replication completed and none said it was not in
    /// steady state.
    public var passes: Bool
    public var judgements: [PlanJudgement]
    /// Why the point fails besides its objectives: runs that did not complete, not steady state, an objective that
    /// matched no entity.
    public var problems: [String]
}

/// The judging of a capacity plan: its objectives applied to a point's replications.
public enum CapacityPlanJudge {
    /// Judges point `point` of `results` (its complete runs) at the results' level.
    public static func judge(_ results: StudyResults, point: Int, step: Int, objectives: [ServiceLevelObjective]) -> PlanPoint {
        var judgements: [PlanJudgement] = []
        var problems: [String] = []
        let incomplete = results.incomplete(point: point)
        if incomplete > 0 {
            problems.append("\(incomplete) of \(results.plan.replications) replications did not complete")
        }
        let unsteady = results.records(point: point).filter { $0.verdicts.contains("not_steady_state") }.count
        if unsteady > 0 {
            problems.append("\(unsteady) of \(results.plan.replications) replications were not in steady state")
        }
        for o in objectives {
            let ms = results.metrics[point].filter { $0.kind == o.kind && $0.metric == o.metric && o.matches(entity: $0.entity) }
            if ms.isEmpty {
                problems.append("\(o.text): no \(o.kind) '\(o.entity)' reports \(o.metric) at this point")
                continue
            }
            for m in ms {
                judgements.append(
                    PlanJudgement(
                        objective: o, entity: m.entity, unit: m.unit,
                        judgement: o.judge(values: m.values, unit: m.unit, level: results.level)))
            }
        }
        let passes = problems.isEmpty && judgements.allSatisfy(\.judgement.holds)
        return PlanPoint(
            point: point, step: step, value: results.plan.points[point].assignments[0].value, passes: passes, judgements: judgements,
            problems: problems)
    }
}

extension StudyReport {
    /// The judgement of each objective that decides it at a point: the entity with the smallest margin.
    public static func tightest(_ p: PlanPoint, _ o: ServiceLevelObjective) -> PlanJudgement? {
        p.judgements.filter { $0.objective == o }.min { $0.judgement.margin < $1.judgement.margin }
    }

    /// plan.csv: one row per measured point × objective × entity.
    public static func planCSV(_ points: [PlanPoint], path: String, level: Double) -> CSVTable {
        var t = CSVTable(
            header: [
                "point", path, "passes", "slo", "entity", "unit", "replications", "mean", "ci_low", "ci_high", "bound", "limit", "margin",
                "holds", "confidence", "problems",
            ])
        for p in points {
            let problems = p.problems.joined(separator: "; ")
            if p.judgements.isEmpty {
                t.append([
                    String(p.point), p.value, p.passes ? "1" : "0", "", "", "", "", "", "", "", "", "", "", "", NumberFormat.exact(level),
                    problems,
                ])
            }
            for j in p.judgements {
                let s = j.judgement.summary
                let known = s.count >= 2 && s.halfWidth.isFinite
                t.append(
                    [
                        String(p.point), p.value, p.passes ? "1" : "0", j.objective.text, j.entity, j.unit, String(s.count),
                        NumberFormat.exact(s.mean),
                        known ? NumberFormat.exact(s.lower) : "", known ? NumberFormat.exact(s.upper) : "",
                        NumberFormat.exact(j.judgement.bound),
                        NumberFormat.exact(j.judgement.limit), NumberFormat.exact(j.judgement.margin), j.judgement.holds ? "1" : "0",
                        NumberFormat.exact(level), problems,
                    ])
            }
        }
        return t
    }

    /// One plot per objective: its tightest entity's mean and CI against the grown parameter, pass/fail, the limit.
    public static func planPlots(_ points: [PlanPoint], objectives: [ServiceLevelObjective], path: String, level: Double) -> [PlotFile] {
        let sorted = points.sorted { $0.step < $1.step }
        guard let axis = NumericAxis(sorted.map(\.value)) else { return [] }
        return objectives.enumerated().compactMap { i, o in
            var rows: [String] = []
            var unit = ""
            var limit: Double?
            for (p, x) in zip(sorted, axis.values) {
                guard let j = tightest(p, o) else { continue }
                unit = j.unit
                limit = j.judgement.limit
                rows.append(([NumberFormat.exact(x)] + bounds(j.judgement.summary) + [p.passes ? "1" : "0"]).joined(separator: "\t"))
            }
            guard !rows.isEmpty else { return nil }
            return PlotFile(
                name: "slo\(i + 1)", style: "slo", title: "\(o.text) (mean, \(percent(level)) CI; pass = every objective held)",
                xlabel: path + (axis.unit.isEmpty ? "" : " (\(axis.unit))"), ylabel: "\(o.metric) (\(unit))", limit: limit,
                blocks: [(o.text, rows)])
        }
    }
}
