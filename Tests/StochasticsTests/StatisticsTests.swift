import Testing

@testable import Stochastics

@Suite("Statistics")
struct StatisticsTests {
    @Test func meanVarianceQuantile() {
        let xs: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(SampleStatistics.mean(xs) == 5)
        // Sample variance: Σ(x−5)² = 32, / 7.
        #expect(abs(SampleStatistics.variance(xs) - 32.0 / 7.0) < 1e-12)
        #expect(SampleStatistics.quantile(xs, 0.5) == 4.5)
        #expect(SampleStatistics.quantile(xs, 0) == 2)
        #expect(SampleStatistics.quantile(xs, 1) == 9)
    }

    @Test func studentTQuantilesMatchTables() {
        // Two-sided 95 %: t(0.975, 9) = 2.262157, t(0.975, 1) = 12.7062, t(0.975, ∞) → 1.959964.
        #expect(abs(SampleStatistics.studentTQuantile(0.975, degreesOfFreedom: 9) - 2.262157) < 1e-6)
        #expect(abs(SampleStatistics.studentTQuantile(0.975, degreesOfFreedom: 1) - 12.706205) < 1e-5)
        #expect(abs(SampleStatistics.studentTQuantile(0.975, degreesOfFreedom: 1e7) - 1.959964) < 1e-5)
    }

    @Test func confidenceIntervalOfTenSamples() {
        // mean 10.5, sd of 1…… let the numbers be 1…10 + 5: mean 10.5, s = 3.02765,
        // half-width = 2.262157 · 3.02765 / √10 = 2.16585.
        let xs = (1...10).map { Double($0) + 5 }
        let ci = SampleStatistics.confidenceInterval(xs, level: 0.95)
        #expect(abs(ci.mean - 10.5) < 1e-12)
        #expect(abs(ci.halfWidth - 2.16585) < 1e-4)
        #expect(ci.samples == 10)
        #expect(SampleStatistics.confidenceInterval([3.0]).halfWidth == .infinity)
    }

    @Test func runningStatisticsMatchesBatch() {
        let xs: [Double] = (0..<1000).map { Double(($0 * 7919) % 1000) / 10 }
        var r = RunningStatistics()
        xs.forEach { r.add($0) }
        #expect(abs(r.mean - SampleStatistics.mean(xs)) < 1e-9)
        #expect(abs(r.variance - SampleStatistics.variance(xs)) < 1e-6)
        #expect(r.minimum == 0 && r.maximum == 99.9)
    }

    @Test func gslErrorsBecomeSwiftErrors() {
        _ = GSL.initialize
        #expect(throws: GSLError.self) { try GSL.check(4, "test operation") }  // GSL_EINVAL
        #expect((try? GSL.check(0, "fine")) != nil)
        #expect(GSL.version.hasPrefix("2."))
    }
}
