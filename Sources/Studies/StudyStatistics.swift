import Stochastics

/// A metric's replicated values summarised: the mean with its two-sided Student-t confidence interval.
///
/// Values are in whatever unit the samples were in (a study summarises each metric in its catalog unit).
public struct MetricSummary: Sendable, Equatable {
    /// The number of samples (replications) the summary rests on.
    public var count: Int
    public var mean: Double
    /// The sample standard deviation (n − 1 denominator); 0 with one sample.
    public var standardDeviation: Double
    /// The confidence level, e.g. 0.95.
    public var level: Double
    /// The interval is `mean ± halfWidth`: +∞ with one sample (nothing is known of the spread), 0 when every sample is
    /// equal.
    public var halfWidth: Double

    public init(count: Int, mean: Double, standardDeviation: Double, level: Double, halfWidth: Double) {
        self.count = count; self.mean = mean; self.standardDeviation = standardDeviation; self.level = level
        self.halfWidth = halfWidth
    }

    public var lower: Double { mean - halfWidth }
    public var upper: Double { mean + halfWidth }

    /// `halfWidth / |mean|`: 0 when the half-width is 0, +∞ when the mean is 0 and the half-width is not (or the
    /// half-width is infinite).
    public var relativeHalfWidth: Double {
        if halfWidth == 0 { return 0 }
        if mean == 0 || !halfWidth.isFinite { return .infinity }
        return halfWidth / abs(mean)
    }
}

/// The statistics of a study's replications: confidence intervals of means, of paired differences and of ratios.
///
/// Pure functions of their inputs (Student-t quantiles from GSL via `SampleStatistics`).
public enum StudyStatistics {
    /// The mean of `xs` with its two-sided Student-t confidence interval at `level` (n − 1 degrees of freedom, the
    /// sample standard deviation with an n − 1 denominator).
    ///
    /// - Precondition: `xs` is not empty; `0 < level < 1`.
    public static func summarize(_ xs: [Double], level: Double) -> MetricSummary {
        precondition(!xs.isEmpty, "summarize needs at least one sample")
        precondition(level > 0 && level < 1, "confidence level must be in (0, 1)")
        let mean = SampleStatistics.mean(xs)
        guard xs.count > 1 else {
            return MetricSummary(count: 1, mean: mean, standardDeviation: 0, level: level, halfWidth: .infinity)
        }
        // Every sample equal: exactly no spread (GSL's variance could leave a rounding residue for some values).
        if xs.allSatisfy({ $0 == xs[0] }) {
            return MetricSummary(count: xs.count, mean: xs[0], standardDeviation: 0, level: level, halfWidth: 0)
        }
        let sd = SampleStatistics.variance(xs).squareRoot()
        return MetricSummary(
            count: xs.count, mean: mean, standardDeviation: sd, level: level,
            halfWidth: tFactor(count: xs.count, level: level) * sd / Double(xs.count).squareRoot())
    }

    /// The mean of `other[i] − base[i]` with its confidence interval: the paired (common random numbers) comparison.
    ///
    /// Pairing by index removes the variance the two variants share (the same seed and replication give both the
    /// same random streams), so the interval is narrower than the unpaired one whenever the pairs are positively
    /// correlated: Var(d) = Var(x) + Var(y) − 2 Cov(x, y).
    ///
    /// - Precondition: equal, non-zero counts.
    public static func pairedDifference(_ base: [Double], _ other: [Double], level: Double) -> MetricSummary {
        precondition(base.count == other.count, "paired samples need equal counts (\(base.count) vs \(other.count))")
        return summarize(zip(base, other).map { $1 - $0 }, level: level)
    }

    /// The ratio of means `R = ȳ / x̄` (`other` over `base`) with a confidence interval by the delta method on the
    /// paired samples.
    ///
    /// The delta method linearises R around the means: R̂ − R ≈ (ȳ − R·x̄) / x̄, i.e. the mean of the residuals
    /// `zᵢ = yᵢ − R̂·xᵢ` divided by x̄. So
    ///
    ///     Var(R̂) ≈ s_z² / (n · x̄²),   s_z² = s_y² − 2·R̂·s_xy + R̂²·s_x²   (sample moments, n − 1 denominators)
    ///
    /// and the interval is `R̂ ± t(1 − α/2, n − 1) · s_z / (√n · |x̄|)`. The summary's `standardDeviation` is
    /// `s_z / |x̄|` (the spread of the linearised samples), its `mean` R̂. One pair gives an infinite half-width, as
    /// for a mean. The approximation is good when x̄'s relative error is small (a few percent).
    ///
    /// - Returns: nil when the base mean is 0 (the ratio is undefined).
    /// - Precondition: equal, non-zero counts.
    public static func pairedRatio(_ base: [Double], _ other: [Double], level: Double) -> MetricSummary? {
        precondition(base.count == other.count, "paired samples need equal counts (\(base.count) vs \(other.count))")
        precondition(!base.isEmpty, "pairedRatio needs at least one pair")
        precondition(level > 0 && level < 1, "confidence level must be in (0, 1)")
        let xBar = SampleStatistics.mean(base), yBar = SampleStatistics.mean(other)
        guard xBar != 0 else { return nil }
        let r = yBar / xBar
        let n = base.count
        guard n > 1 else {
            return MetricSummary(count: 1, mean: r, standardDeviation: 0, level: level, halfWidth: .infinity)
        }
        let residuals = zip(base, other).map { x, y in y - r * x }
        let sz = SampleStatistics.variance(residuals).squareRoot()
        let sd = sz / abs(xBar)
        let halfWidth = sd == 0 ? 0 : tFactor(count: n, level: level) * sd / Double(n).squareRoot()
        return MetricSummary(count: n, mean: r, standardDeviation: sd, level: level, halfWidth: halfWidth)
    }

    /// t(1 − (1 − level)/2, n − 1): the two-sided Student-t quantile for `count` samples.
    static func tFactor(count: Int, level: Double) -> Double {
        SampleStatistics.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: Double(count - 1))
    }
}

/// Sequential stopping: run replications until the relative half-width of every watched metric is ≤ `target`, with at
/// least `minimum` (≥ 2) and at most `maximum` replications.
///
/// A pure decision over the summaries of the replications done so far; the study runs the batch it asks for,
/// summarises again and asks again.
public struct SequentialStopping: Sendable, Equatable {
    /// The relative half-width to reach (`halfWidth / |mean|`), e.g. 0.05 for ±5 %.
    public var target: Double
    /// Replications to run before judging (≥ 2: one replication has no confidence interval).
    public var minimum: Int
    /// Replications after which to stop whatever the precision.
    public var maximum: Int

    /// - Precondition: `target > 0`, `2 ≤ minimum ≤ maximum`.
    public init(target: Double, minimum: Int = 3, maximum: Int = 50) {
        precondition(target > 0 && target.isFinite, "the target relative half-width must be > 0 (got \(target))")
        precondition(minimum >= 2, "sequential stopping needs a minimum of at least 2 replications (got \(minimum))")
        precondition(minimum <= maximum, "the minimum (\(minimum)) exceeds the maximum (\(maximum)) replications")
        self.target = target; self.minimum = minimum; self.maximum = maximum
    }

    /// How many replications in total to have next, given the summaries of the `count` done so far; nil when done
    /// (the target is met with at least `minimum`, or `maximum` is reached).
    ///
    /// Below `minimum` the answer is `minimum`. Otherwise, with `rhw` the largest relative half-width among the
    /// summaries, the half-width shrinks about as 1/√n, so `n* = ceil(count · (rhw / target)²)` replications should
    /// reach the target; the next total is `min(maximum, max(count + 1, n*))` — at least one more, never beyond the
    /// maximum. An infinite relative half-width (a zero mean with spread) gives n* = ∞, hence `maximum`.
    public func nextTotal(current count: Int, summaries: [MetricSummary]) -> Int? {
        precondition(count >= 0, "a replication count cannot be negative")
        if count < minimum { return minimum }
        if count >= maximum || isMet(summaries) { return nil }
        let rhw = summaries.map(\.relativeHalfWidth).max() ?? 0
        let estimate = Double(count) * (rhw / target) * (rhw / target)
        let nStar = estimate.isFinite && estimate < Double(maximum) ? Int(estimate.rounded(.up)) : maximum
        return Swift.min(maximum, Swift.max(count + 1, nStar))
    }

    /// Whether every summary's relative half-width is ≤ `target` (true for no summaries).
    public func isMet(_ summaries: [MetricSummary]) -> Bool {
        summaries.allSatisfy { $0.relativeHalfWidth <= target }
    }
}
