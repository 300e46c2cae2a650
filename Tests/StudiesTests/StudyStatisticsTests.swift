import Stochastics
import Testing

@testable import Studies

/// Confidence intervals of means, paired differences and ratios, and the sequential-stopping rule.
@Suite struct StudyStatisticsTests {
    // MARK: Known values

    @Test func aFixedSampleMatchesTheHandComputation() {
        // xs = 1…5: mean 3; s² = (4 + 1 + 0 + 1 + 4) / 4 = 2.5, s = 1.58113883; t(0.975, 4) = 2.776445105;
        // half-width = 2.776445105 · 1.58113883 / √5 = 1.96324316.
        let s = StudyStatistics.summarize([1, 2, 3, 4, 5], level: 0.95)
        #expect(s.count == 5)
        #expect(abs(s.mean - 3) < 1e-12)
        #expect(abs(s.standardDeviation - 1.5811388300841898) < 1e-12)
        #expect(abs(s.halfWidth - 1.963243161337696) < 1e-8)
        #expect(abs(s.lower - (3 - 1.963243161337696)) < 1e-8 && abs(s.upper - (3 + 1.963243161337696)) < 1e-8)
        // Relative half-width: 1.96324316 / 3.
        #expect(abs(s.relativeHalfWidth - 1.963243161337696 / 3) < 1e-8)
        #expect(s.level == 0.95)
    }

    @Test func oneSampleHasAnInfiniteIntervalAndEqualSamplesAZeroOne() {
        let one = StudyStatistics.summarize([4.2], level: 0.95)
        #expect(one.count == 1 && one.mean == 4.2 && one.standardDeviation == 0)
        #expect(one.halfWidth == .infinity && one.relativeHalfWidth == .infinity)
        // 0.1 is not exact in binary: equal samples still give exactly no spread.
        let equal = StudyStatistics.summarize([0.1, 0.1, 0.1], level: 0.95)
        #expect(equal.mean == 0.1 && equal.halfWidth == 0 && equal.standardDeviation == 0)
        #expect(equal.relativeHalfWidth == 0)
        // A zero mean with spread: relative precision is unattainable.
        let zeroMean = StudyStatistics.summarize([-1, 1], level: 0.95)
        #expect(zeroMean.mean == 0 && zeroMean.halfWidth > 0 && zeroMean.relativeHalfWidth == .infinity)
    }

    // MARK: Coverage

    /// The fraction of `trials` intervals of `n` samples each that contain `trueMean`.
    func coverage(n: Int, trials: Int, trueMean: Double, seed: UInt64, draw: (RandomStream) -> Double) -> Double {
        let stream = RandomStream(seed: seed, replication: 0, stream: 1)
        var hits = 0
        for _ in 0..<trials {
            let s = StudyStatistics.summarize((0..<n).map { _ in draw(stream) }, level: 0.95)
            if s.lower <= trueMean && trueMean <= s.upper { hits += 1 }
        }
        return Double(hits) / Double(trials)
    }

    @Test func studentTIntervalsOfNormalDataCoverTheMean95PercentOfTheTime() {
        // For normal data the t interval is exact: each of the 2000 intervals (n = 5) contains the true mean with
        // probability 0.95, independently, so the hit count is Binomial(2000, 0.95): the fraction's sd is
        // √(0.95 · 0.05 / 2000) = 0.00487, and ±0.015 is ±3.1 sd (a correct implementation fails 1 time in 500; a
        // z interval instead of t, which covers 0.88 at n = 5, or an n denominator, fails by far).
        for seed: UInt64 in [11, 12, 13] {
            let c = coverage(n: 5, trials: 2000, trueMean: 7, seed: seed) { $0.normal(mean: 7, standardDeviation: 3) }
            #expect(abs(c - 0.95) <= 0.015, "seed \(seed): coverage \(c)")
        }
    }

    @Test func studentTIntervalsOfExponentialDataUndercoverAsKnown() {
        // Exponential data are skewed, so the t interval undercovers, less so as n grows. Its true coverage, from
        // 400 000 intervals each in numpy/scipy (sd < 0.0005): 0.883 at n = 5, 0.927 at n = 30. With 2000 intervals the
        // fraction's sd is √(0.93 · 0.07 / 2000) ≈ 0.0057, so ±0.02 is ±3.5 sd around those values; n = 30 is
        // also within 0.95 − 0.03.
        let at30 = coverage(n: 30, trials: 2000, trueMean: 2, seed: 21) { $0.exponential(mean: 2) }
        #expect(abs(at30 - 0.927) <= 0.02, "n = 30: coverage \(at30)")
        #expect(abs(at30 - 0.95) <= 0.03)
        let at5 = coverage(n: 5, trials: 2000, trueMean: 2, seed: 22) { $0.exponential(mean: 2) }
        #expect(abs(at5 - 0.883) <= 0.025, "n = 5: coverage \(at5)")
        #expect(at5 < at30)
    }

    // MARK: Paired comparisons

    @Test func aPairedDifferenceIsNarrowerThanAnUnpairedOneForCorrelatedSamples() {
        // Common random numbers: both variants see the same per-replication load c_i (sd 5), plus their own small
        // noise (sd 0.2); the other variant is 1 higher. Var(d) = 2 · 0.04 while the unpaired difference carries
        // 2 · 25: the paired half-width is about √(0.08 / 50) ≈ 0.04 of the unpaired one; assert < 0.2.
        let stream = RandomStream(seed: 5, replication: 0, stream: 2)
        var base: [Double] = [], other: [Double] = []
        for _ in 0..<10 {
            let c = stream.normal(mean: 100, standardDeviation: 5)
            base.append(c + stream.normal(mean: 0, standardDeviation: 0.2))
            other.append(c + 1 + stream.normal(mean: 0, standardDeviation: 0.2))
        }
        let paired = StudyStatistics.pairedDifference(base, other, level: 0.95)
        let b = StudyStatistics.summarize(base, level: 0.95), o = StudyStatistics.summarize(other, level: 0.95)
        let unpaired = (b.halfWidth * b.halfWidth + o.halfWidth * o.halfWidth).squareRoot()
        #expect(paired.halfWidth < 0.2 * unpaired)
        #expect(abs(paired.mean - (o.mean - b.mean)) < 1e-9)
        // The CI of the true difference, 1, contains it (sd of d ≈ 0.28, half-width ≈ 0.2).
        #expect(paired.lower <= 1 && 1 <= paired.upper)
    }

    @Test func aPairedDifferenceIsOtherMinusBase() {
        // d = [1, 2, 3]: mean 2, s = 1, half-width t(0.975, 2) · 1/√3 = 4.30265273 / 1.7320508 = 2.48413771.
        let d = StudyStatistics.pairedDifference([10, 10, 10], [11, 12, 13], level: 0.95)
        #expect(d.mean == 2 && abs(d.standardDeviation - 1) < 1e-12)
        #expect(abs(d.halfWidth - 2.4841377118) < 1e-8)
    }

    @Test func theRatioOfMeansHasADeltaMethodInterval() {
        // base [1, 2, 3], other [2, 3, 5]: x̄ = 2, ȳ = 10/3, R = 5/3; residuals z = y − R·x = [1/3, −1/3, 0], s_z = 1/3;
        // sd = s_z/x̄ = 1/6; half-width = t(0.975, 2) · (1/6) / √3 = 4.30265273 / 6 / 1.7320508 = 0.41402295.
        let r = StudyStatistics.pairedRatio([1, 2, 3], [2, 3, 5], level: 0.95)!
        #expect(abs(r.mean - 5.0 / 3.0) < 1e-12)
        #expect(abs(r.standardDeviation - 1.0 / 6.0) < 1e-12)
        #expect(abs(r.halfWidth - 0.4140229519) < 1e-8)
        // An exact multiple: the ratio is known exactly.
        let exact = StudyStatistics.pairedRatio([10, 12, 8, 10], [20, 24, 16, 20], level: 0.95)!
        #expect(exact.mean == 2 && exact.halfWidth == 0)
        #expect(StudyStatistics.pairedRatio([1, -1], [3, 4], level: 0.95) == nil)
        #expect(StudyStatistics.pairedRatio([2], [3], level: 0.95)?.halfWidth == .infinity)
    }

    @Test func theRatioIntervalCoversTheTrueRatio() {
        // x ~ N(10, 1), y = 1.5·x + N(0, 1), n = 30: the delta-method interval's coverage of 1.5, from 200 000 intervals
        // in numpy, is 0.951; with 1000 intervals the fraction's sd is 0.0069, so ±0.025 is ±3.6 sd.
        let stream = RandomStream(seed: 9, replication: 0, stream: 3)
        var hits = 0
        for _ in 0..<1000 {
            let x = (0..<30).map { _ in stream.normal(mean: 10, standardDeviation: 1) }
            let y = x.map { 1.5 * $0 + stream.normal(mean: 0, standardDeviation: 1) }
            let r = StudyStatistics.pairedRatio(x, y, level: 0.95)!
            if r.lower <= 1.5 && 1.5 <= r.upper { hits += 1 }
        }
        #expect(abs(Double(hits) / 1000 - 0.951) <= 0.025, "coverage \(Double(hits) / 1000)")
    }

    // MARK: Sequential stopping

    /// A summary of mean 100 with the given relative half-width.
    func summary(rhw: Double, count: Int = 3) -> MetricSummary {
        MetricSummary(count: count, mean: 100, standardDeviation: 1, level: 0.95, halfWidth: 100 * rhw)
    }

    @Test func sequentialStoppingAsksForTheMinimumThenForTheEstimate() {
        let rule = SequentialStopping(target: 0.05, minimum: 3, maximum: 50)
        // Below the minimum: the minimum, whatever the summaries.
        #expect(rule.nextTotal(current: 0, summaries: []) == 3)
        #expect(rule.nextTotal(current: 2, summaries: [summary(rhw: 0.01)]) == 3)
        // rhw 0.1 at 3: n* = ⌈3 · (0.1/0.05)²⌉ = 12.
        #expect(rule.nextTotal(current: 3, summaries: [summary(rhw: 0.1)]) == 12)
        // The worst metric decides: 0.1 beside 0.02.
        #expect(rule.nextTotal(current: 3, summaries: [summary(rhw: 0.02), summary(rhw: 0.1)]) == 12)
        // rhw 0.0502 at 10: n* = ⌈10 · 1.008⌉ = 11 = count + 1.
        #expect(rule.nextTotal(current: 10, summaries: [summary(rhw: 0.0502)]) == 11)
        // n* = ⌈40 · 100⌉ = 4000: capped at the maximum.
        #expect(rule.nextTotal(current: 40, summaries: [summary(rhw: 0.5)]) == 50)
        // A zero mean with spread: n* = ∞ → the maximum.
        let zero = MetricSummary(count: 3, mean: 0, standardDeviation: 1, level: 0.95, halfWidth: 2)
        #expect(rule.nextTotal(current: 3, summaries: [zero]) == 50)
    }

    @Test func sequentialStoppingStopsWhenMetOrAtTheMaximum() {
        let rule = SequentialStopping(target: 0.05, minimum: 3, maximum: 50)
        #expect(rule.isMet([summary(rhw: 0.05), summary(rhw: 0.01)]))
        #expect(!rule.isMet([summary(rhw: 0.05), summary(rhw: 0.0500001)]))
        #expect(rule.nextTotal(current: 5, summaries: [summary(rhw: 0.04)]) == nil)
        #expect(rule.nextTotal(current: 50, summaries: [summary(rhw: 0.5)]) == nil)
        #expect(rule.nextTotal(current: 60, summaries: [summary(rhw: 0.5)]) == nil)
        // Equal samples (half-width 0) meet any target.
        #expect(rule.isMet([StudyStatistics.summarize([3, 3, 3], level: 0.95)]))
        #expect(SequentialStopping(target: 0.1) == SequentialStopping(target: 0.1, minimum: 3, maximum: 50))
    }
}
