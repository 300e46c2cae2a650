import Models
import Scenario

/// A service-level objective: one catalog metric of one entity (or of every entity a `*` pattern matches) against a
/// limit, e.g. `host.root_cpu_utilization <= 80%`, `flow.*.latency_p99 <= 1ms`, `flow.send.goodput >= 1.5Gbps`.
///
///     SLO text:    METRIC_REF OP LIMIT            OP: <=  <  >=  >
///     METRIC_REF:  host.<metric>  |  <kind>.<entity>.<metric>
///
/// `kind` is an entity kind of metrics.csv (`EntityKind`), `entity` a name or a glob with `*` (each matching entity must
/// hold), `metric` a name in `MetricCatalog` that the kind reports (a family member such as `drops.ring_full`
/// included). Entity names never contain `.`, metric names may. The limit is a number with a unit of the metric's
/// dimension (`StudyExpression`'s grammar: it may be a constant expression such as `2 * 500us`).
///
/// An objective holds when the unfavourable bound of the Student-t confidence interval of the metric's replicated
/// values meets the limit (`judge`).
public struct ServiceLevelObjective: Sendable, Equatable {
    /// The text it was parsed from.
    public var text: String
    /// The entity kind's name as in metrics.csv (`host`, `flow`, `switch`, …).
    public var kind: String
    /// The entity name or pattern (`*` matches any run of characters); `host` for the host.
    public var entity: String
    /// The catalog metric, e.g. `latency_p99`, `drops.ring_full`.
    public var metric: String
    /// `<=`, `<`, `>=` or `>`.
    public var op: ComparisonOperator
    /// The limit in base units (see `Quantity`).
    public var limit: Quantity

    public init(text: String, kind: String, entity: String, metric: String, op: ComparisonOperator, limit: Quantity) {
        self.text = text; self.kind = kind; self.entity = entity; self.metric = metric; self.op = op; self.limit = limit
    }

    /// The entity kind.
    public var entityKind: EntityKind { EntityKind(rawValue: kind)! }

    /// The metric's catalog spec.
    public var spec: MetricSpec { MetricCatalog.spec(named: metric)! }

    /// Whether `entity` is a pattern (contains `*`) rather than one name.
    public var isPattern: Bool { entity.contains("*") }

    /// Parses an SLO; errors carry the 1-based column in `text` and a fix. An unknown kind or metric gets a
    /// did-you-mean among the kinds or the catalog metrics that kind reports; a limit whose dimension does not match
    /// the metric's catalog unit is an error, as is a percentage metric's limit written without `%` (`<= 80` would mean
    /// 8000 %).
    public static func parse(_ text: String) -> Result<ServiceLevelObjective, ExpressionError> {
        do throws(ExpressionError) { return .success(try parseThrowing(text)) } catch { return .failure(error) }
    }

    static func parseThrowing(_ text: String) throws(ExpressionError) -> ServiceLevelObjective {
        let comparison: Comparison
        switch StudyExpression.parseComparison(text) {
        case .success(let c): comparison = c
        case .failure(let e): throw e
        }
        let example = "e.g. 'host.root_cpu_utilization <= 80%' or 'flow.*.latency_p99 <= 1ms'"
        guard [.lessOrEqual, .less, .greaterOrEqual, .greater].contains(comparison.op) else {
            throw ExpressionError(
                column: comparison.operatorColumn, message: "an SLO compares with <=, <, >= or >, not '\(comparison.op.rawValue)'",
                fix: "write a bound, \(example)")
        }
        guard case .reference(let name, let column) = comparison.left else {
            if comparison.right.firstReference != nil {
                throw ExpressionError(
                    column: 1, message: "an SLO names the metric first and the limit second", fix: "swap the sides, \(example)")
            }
            throw ExpressionError(column: 1, message: "an SLO's left side is one metric", fix: "write the metric first, \(example)")
        }
        let chars = Array(text)
        var k = comparison.operatorColumn - 1 + comparison.op.rawValue.count
        while k < chars.count, chars[k].isWhitespace { k += 1 }
        let limitColumn = k + 1
        if let (ref, refColumn) = comparison.right.firstReference {
            throw ExpressionError(
                column: refColumn, message: "the limit names '\(ref)'; it must be a number with a unit",
                fix: "write a constant limit, \(example)")
        }
        let limit: Quantity
        switch comparison.right.evaluate({ _ in nil }) {
        case .success(let q): limit = q
        case .failure(let e): throw e
        }

        // The metric reference.
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let kinds = EntityKind.allCases.map(\.rawValue)
        guard parts.count >= 2 else {
            throw ExpressionError(
                column: column, message: "'\(name)' is not a metric reference",
                fix: "write host.<metric> or <kind>.<entity>.<metric> (\(example))")
        }
        guard let kind = EntityKind(rawValue: parts[0]) else {
            throw ExpressionError(
                column: column, message: "unknown entity kind '\(parts[0])'",
                fix: Suggestions.fix(for: parts[0], among: kinds, noun: "entity kind"))
        }
        let entity: String, metric: String, metricColumn: Int
        if kind == .host {
            entity = "host"
            metric = parts.dropFirst().joined(separator: ".")
            metricColumn = column + parts[0].count + 1
        } else {
            guard parts.count >= 3, !parts[1].isEmpty else {
                throw ExpressionError(
                    column: column, message: "'\(name)' lacks the entity or the metric",
                    fix:
                        "write \(kind.rawValue).<entity>.<metric>, with * for every entity, e.g. '\(kind.rawValue).*.\(candidates(for: kind).first ?? "metric")'"
                )
            }
            entity = parts[1]
            metric = parts.dropFirst(2).joined(separator: ".")
            metricColumn = column + parts[0].count + 1 + parts[1].count + 1
        }
        let spec = try validate(metric: metric, kind: kind, column: metricColumn)

        // The limit's dimension against the metric's unit.
        let unitDimension = StudyExpression.quantity(metricValue: 1, unit: spec.unit).dimension
        var limitText = String(chars.dropFirst(limitColumn - 1))
        while limitText.last?.isWhitespace == true { limitText.removeLast() }
        if Dimension.common(unitDimension, limit.dimension) == nil {
            throw ExpressionError(
                column: limitColumn,
                message:
                    "\(metric) is \(noun(unitDimension, unit: spec.unit)) (\(spec.unit)), but the limit '\(limitText)' is \(limit.dimension)",
                fix: "write the limit with \(limitExample(unitDimension, unit: spec.unit))")
        }
        if spec.unit == "percent", limit.value != 0, !limitText.contains("%") {
            throw ExpressionError(
                column: limitColumn, message: "\(metric) is a percentage, and '\(limitText)' has no '%'",
                fix: "write the limit with %, e.g. '\(limitText)%'")
        }
        return ServiceLevelObjective(
            text: text, kind: kind.rawValue, entity: entity, metric: metric, op: comparison.op, limit: limit)
    }

    /// The catalog spec of `metric` for `kind`, or an error with a did-you-mean among the kind's metrics.
    static func validate(metric: String, kind: EntityKind, column: Int) throws(ExpressionError) -> MetricSpec {
        let valid = candidates(for: kind)
        if metric.isEmpty {
            throw ExpressionError(
                column: column, message: "the metric is missing",
                fix: Suggestions.fix(for: metric, among: valid, noun: "\(kind.rawValue) metric"))
        }
        if let spec = MetricCatalog.spec(named: metric), spec.kinds.contains(kind) { return spec }
        // A family's prefix alone (`host.drops`, while the host reports drops per cause).
        if let family = MetricCatalog.all.first(where: { $0.isFamily && $0.name == metric && $0.kinds.contains(kind) }) {
            let members = (family.members ?? []).prefix(6).joined(separator: ", ")
            throw ExpressionError(
                column: column, message: "a \(kind.rawValue) reports '\(metric)' per \(family.familyVariable) only",
                fix:
                    "write \(metric).<\(family.familyVariable)>, e.g. '\(metric).\(family.members?.first ?? "")' (\(family.familyVariable)s: \(members)…)"
            )
        }
        if let spec = MetricCatalog.spec(named: metric) {
            let by = spec.kinds.sorted().map(\.rawValue).joined(separator: ", ")
            throw ExpressionError(
                column: column, message: "a \(kind.rawValue) does not report '\(metric)' (reported by: \(by))",
                fix: Suggestions.fix(for: metric, among: valid, noun: "\(kind.rawValue) metric"))
        }
        throw ExpressionError(
            column: column, message: "unknown metric '\(metric)'",
            fix: Suggestions.fix(for: metric, among: valid, noun: "\(kind.rawValue) metric"))
    }

    /// The metric names a kind reports, families expanded (`drops.ring_full`, …), in catalog order.
    static func candidates(for kind: EntityKind) -> [String] {
        var seen: Set<String> = []
        return MetricCatalog.all.filter { $0.kinds.contains(kind) }
            .flatMap { s in s.isFamily ? (s.members ?? []).map { "\(s.name).\($0)" } : [s.name] }
            .filter { seen.insert($0).inserted }
    }

    static func noun(_ d: Dimension, unit: String) -> String {
        switch d {
        case .none: return unit == "percent" ? "a percentage" : "a plain number"
        case .time: return "a time"
        case .dataRate: return "a data rate"
        case .bytes: return "a size"
        case .frequency: return "a frequency"
        case .packetRate: return "a packet rate"
        case .other(let u): return "a number of \(u)"
        case .derived: return "\(d)"
        }
    }

    static func limitExample(_ d: Dimension, unit: String) -> String {
        unit == "percent" ? "%, e.g. 80%" : d.example
    }

    // MARK: - Matching and judging

    /// Whether the entity pattern matches `entity`: equal names, or a glob where `*` matches any run of characters
    /// (`*` alone matches every entity of the kind).
    public func matches(entity name: String) -> Bool { Self.glob(Array(entity), Array(name)) }

    /// `*`-only glob matching, greedy with one backtrack point (linear in practice).
    static func glob(_ p: [Character], _ s: [Character]) -> Bool {
        var i = 0, j = 0, star = -1, mark = 0
        while j < s.count {
            if i < p.count, p[i] != "*", p[i] == s[j] {
                i += 1; j += 1
            } else if i < p.count, p[i] == "*" {
                star = i; mark = j; i += 1
            } else if star >= 0 {
                i = star + 1; mark += 1; j = mark
            } else {
                return false
            }
        }
        while i < p.count, p[i] == "*" { i += 1 }
        return i == p.count
    }

    /// Judges one entity's replicated values (in the metric's catalog unit `unit`) at confidence `level`.
    ///
    /// Holds iff the unfavourable bound of the two-sided Student-t interval meets the limit: the upper bound for `<=`
    /// and `<`, the lower bound for `>=` and `>` (comparisons in base units, `ComparisonOperator.holds`). So a pass
    /// means the objective is met with that confidence, not only on average. One value gives an infinite interval:
    /// it does not hold (`reason` says so); no values do not hold either.
    ///
    /// Margin: `(limit − bound) / |limit|` for `<=`/`<` and `(bound − limit) / |limit|` for `>=`/`>`: positive is room to
    /// spare, as a fraction of the limit; with a zero limit it is the plain difference in the metric's unit.
    public func judge(values: [Double], unit: String, level: Double) -> SLOJudgement {
        let upperIsUnfavourable = op == .lessOrEqual || op == .less
        let one = StudyExpression.quantity(metricValue: 1, unit: unit)
        let limitInUnit = StudyExpression.value(limit, inUnit: unit)
        guard !values.isEmpty else {
            return SLOJudgement(
                holds: false, summary: MetricSummary(count: 0, mean: .nan, standardDeviation: .nan, level: level, halfWidth: .infinity),
                bound: upperIsUnfavourable ? .infinity : -.infinity, limit: limitInUnit, margin: -.infinity,
                reason: "no values of \(metric) for this entity")
        }
        let summary = StudyStatistics.summarize(values, level: level)
        let bound = upperIsUnfavourable ? summary.upper : summary.lower
        guard Dimension.common(one.dimension, limit.dimension) != nil else {
            return SLOJudgement(
                holds: false, summary: summary, bound: bound, limit: limitInUnit, margin: -.infinity,
                reason: "the values are in \(unit) (\(one.dimension)) but the limit is \(limit.dimension)")
        }
        let boundBase = StudyExpression.quantity(metricValue: bound, unit: unit).value
        let holds = op.holds(boundBase, limit.value)
        let signed = upperIsUnfavourable ? limitInUnit - bound : bound - limitInUnit
        let margin = limitInUnit == 0 ? signed : signed / abs(limitInUnit)
        let percent = Self.format(level * 100)
        var reason: String?
        if summary.count == 1 {
            reason =
                "one replication: its \(percent)% confidence interval is unbounded, so the objective cannot be shown to hold; run at least 2 replications"
        } else if !holds {
            let side = upperIsUnfavourable ? "upper" : "lower"
            let meanHolds = op.holds(StudyExpression.quantity(metricValue: summary.mean, unit: unit).value, limit.value)
            reason =
                "the \(side) bound of the \(percent)% confidence interval, \(Self.format(bound)) \(unit), does not meet \(op.rawValue) \(Self.format(limitInUnit)) \(unit)"
                + (meanHolds ? " (the mean, \(Self.format(summary.mean)), does: more replications may narrow the interval)" : "")
        }
        return SLOJudgement(holds: holds, summary: summary, bound: bound, limit: limitInUnit, margin: margin, reason: reason)
    }

    /// A number for a message: up to 6 significant digits, no trailing zeros.
    static func format(_ x: Double) -> String {
        guard x.isFinite else { return x > 0 ? "∞" : x < 0 ? "−∞" : "NaN" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        var digits = 6
        var magnitude = 0, a = abs(x)
        while a >= 1 { a /= 10; magnitude += 1 }
        digits = Swift.max(0, digits - magnitude)
        var scaled = (x * pow10(digits)).rounded() / pow10(digits)
        if scaled == 0 { scaled = x }
        var s = "\(scaled)"
        if s.contains("."), !s.contains("e") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    private static func pow10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }
}

extension ServiceLevelObjective {
    /// Judges every entity the pattern matches: `valuesByEntity` maps each entity of the objective's kind to its
    /// replicated values (in `unit`); entities the pattern does not match are ignored.
    ///
    /// The objective holds iff at least one entity matches and every matching one holds (a pattern that matches
    /// nothing, e.g. a misspelt flow name, is a failure, not a vacuous pass).
    public func judge(valuesByEntity: [String: [Double]], unit: String, level: Double) -> SLOVerdict {
        let judgements = valuesByEntity.keys.filter { matches(entity: $0) }.sorted().map {
            (entity: $0, judgement: judge(values: valuesByEntity[$0]!, unit: unit, level: level))
        }
        return SLOVerdict(objective: self, judgements: judgements)
    }
}

/// The verdict of one objective over every entity its pattern matches.
public struct SLOVerdict: Sendable {
    public var objective: ServiceLevelObjective
    /// One judgement per matching entity, by entity name.
    public var judgements: [(entity: String, judgement: SLOJudgement)]

    public init(objective: ServiceLevelObjective, judgements: [(entity: String, judgement: SLOJudgement)]) {
        self.objective = objective; self.judgements = judgements
    }

    /// At least one entity matched and every matching entity holds.
    public var holds: Bool { !judgements.isEmpty && judgements.allSatisfy(\.judgement.holds) }

    /// The entity with the least margin (the first by name among equals): the one that decides, or fails first.
    public var worst: (entity: String, judgement: SLOJudgement)? {
        judgements.min { $0.judgement.margin < $1.judgement.margin }
    }

    /// Why the objective does not hold (nil when it holds).
    public var reason: String? {
        if judgements.isEmpty { return "no \(objective.kind) entity matches '\(objective.entity)'" }
        guard let failing = judgements.first(where: { !$0.judgement.holds }) else { return nil }
        return "\(objective.kind) \(failing.entity): \(failing.judgement.reason ?? "does not hold")"
    }
}

/// The verdict of one objective on one entity's replicated values.
public struct SLOJudgement: Sendable, Equatable {
    /// Whether the unfavourable bound of the confidence interval meets the limit.
    public var holds: Bool
    /// The values' mean and confidence interval, in the metric's unit.
    public var summary: MetricSummary
    /// The unfavourable bound (upper for `<=`/`<`, lower for `>=`/`>`), in the metric's unit.
    public var bound: Double
    /// The limit, in the metric's unit.
    public var limit: Double
    /// Room to spare as a fraction of the limit (negative: the bound is past it); see `ServiceLevelObjective.judge`.
    public var margin: Double
    /// Why it does not hold (nil when it holds).
    public var reason: String?

    public init(holds: Bool, summary: MetricSummary, bound: Double, limit: Double, margin: Double, reason: String?) {
        self.holds = holds; self.summary = summary; self.bound = bound; self.limit = limit; self.margin = margin
        self.reason = reason
    }
}

extension Expr {
    /// The first reference and its column, if any.
    var firstReference: (String, Int)? {
        switch self {
        case .quantity: return nil
        case .reference(let name, let column): return (name, column)
        case .negate(let e): return e.firstReference
        case .binary(_, let a, let b, _): return a.firstReference ?? b.firstReference
        }
    }
}
