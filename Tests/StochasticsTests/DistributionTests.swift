import Testing

@testable import Stochastics

@Suite("Random streams and distributions")
struct DistributionTests {
    /// Draws n samples and checks the sample mean and variance against the
    /// distribution's, within 5 standard errors (a false alarm is < 1e-6 per check).
    func checkMoments(_ d: Distribution, n: Int = 200_000, seed: UInt64 = 42, varianceTolerance: Double = 0.05) throws {
        let s = try Sampler(d, stream: RandomStream(seed: seed, stream: 1))
        var stats = RunningStatistics()
        for _ in 0..<n { stats.add(s.next()) }
        let mean = try #require(d.mean)
        let variance = try #require(d.variance)
        let se = (variance / Double(n)).squareRoot()
        #expect(abs(stats.mean - mean) <= 5 * se + 1e-12, "\(d): mean \(stats.mean) vs \(mean) (se \(se))")
        if variance > 0 {
            #expect(abs(stats.variance - variance) / variance < varianceTolerance, "\(d): variance \(stats.variance) vs \(variance)")
        } else {
            #expect(stats.variance == 0)
        }
    }

    @Test func constant() throws { try checkMoments(.constant(1500)) }
    @Test func uniform() throws { try checkMoments(.uniform(min: 64, max: 1518)) }
    @Test func exponential() throws { try checkMoments(.exponential(mean: 2.5e-6)) }
    @Test func normal() throws { try checkMoments(.normal(mean: 800, standardDeviation: 120)) }
    @Test func lognormal() throws { try checkMoments(.lognormal(mu: 6, sigma: 0.5)) }
    // Shape 5: variance finite (a > 2) but heavy-tailed, so a looser variance tolerance.
    @Test func pareto() throws { try checkMoments(.pareto(shape: 5, scale: 100), varianceTolerance: 0.2) }
    @Test func empirical() throws {
        // IMIX-like: 7 × 64 B, 4 × 594 B, 1 × 1518 B.
        try checkMoments(.empirical(values: [64, 594, 1518], weights: [7, 4, 1]))
    }

    @Test func empiricalHitsOnlyItsValues() throws {
        let s = try Sampler(.empirical(values: [64, 1518], weights: [1, 3]), stream: RandomStream(seed: 1, stream: 0))
        var counts: [Double: Int] = [:]
        for _ in 0..<40_000 { counts[s.next(), default: 0] += 1 }
        #expect(Set(counts.keys) == [64, 1518])
        // P(64) = 1/4: 10000 expected, sd = sqrt(40000·0.25·0.75) ≈ 87.
        #expect(abs(counts[64, default: 0] - 10_000) < 5 * 87)
    }

    @Test func invalidParametersAreRejected() {
        #expect(Distribution.exponential(mean: 0).problem != nil)
        #expect(Distribution.uniform(min: 5, max: 5).problem != nil)
        #expect(Distribution.pareto(shape: -1, scale: 1).problem != nil)
        #expect(Distribution.empirical(values: [1, 2], weights: [1]).problem != nil)
        #expect(Distribution.empirical(values: [1], weights: [0]).problem != nil)
        #expect(Distribution.normal(mean: .nan, standardDeviation: 1).problem != nil)
        #expect(throws: DistributionError.self) { try Sampler(.exponential(mean: -1), stream: RandomStream(seed: 1, stream: 0)) }
    }

    @Test(arguments: GeneratorKind.allCases)
    func integersBelowAreUniform(kind: GeneratorKind) {
        // Chi-square over 10 bins with 100000 draws: 9 degrees of freedom,
        // P(χ² > 27.88) = 0.001.
        let r = RandomStream(seed: 9, stream: 3, kind: kind)
        var bins = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { bins[Int(r.integer(below: 10))] += 1 }
        let expected = 10_000.0
        let chi2 = bins.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chi2 < 27.88, "χ² = \(chi2), bins \(bins)")
    }

    @Test func uniformStaysInItsInterval() {
        for kind in GeneratorKind.allCases {
            let r = RandomStream(seed: 5, stream: 0, kind: kind)
            for _ in 0..<10_000 {
                let u = r.uniform()
                #expect(u >= 0 && u < 1)
                let p = r.uniformPositive()
                #expect(p > 0 && p < 1)
            }
        }
    }

    @Test func streamsAreReproducibleAndDistinct() {
        func draws(_ key: StreamKey) -> [UInt32] {
            let r = RandomStream(key)
            return (0..<16).map { _ in r.integer(below: 1 << 30) }
        }
        let a = StreamKey(seed: 1, replication: 0, stream: 0)
        #expect(draws(a) == draws(a))
        #expect(draws(a) != draws(StreamKey(seed: 1, replication: 0, stream: 1)))
        #expect(draws(a) != draws(StreamKey(seed: 1, replication: 1, stream: 0)))
        #expect(draws(a) != draws(StreamKey(seed: 2, replication: 0, stream: 0)))
        // Mixed keys of many neighbouring streams are all distinct.
        let keys = Set((0..<10_000).map { StreamKey(seed: 1, replication: 0, stream: UInt32($0)).mixed })
        #expect(keys.count == 10_000)
    }

    @Test func mersenneTwisterStreamsAreSeededFromTheFullKey() {
        // Two keys whose GSL 32-bit seeds could collide still give different streams,
        // because the whole MT state is filled from the 64-bit key.
        let r1 = RandomStream(seed: 1, stream: 0, kind: .mt19937)
        let r2 = RandomStream(seed: 1, stream: 1, kind: .mt19937)
        let a = (0..<8).map { _ in r1.uniform() }
        let b = (0..<8).map { _ in r2.uniform() }
        #expect(a != b)
    }
}

@Suite("Generators agree with GSL")
struct GeneratorAgreementTests {
    @Test(arguments: GeneratorKind.allCases)
    func inlineStepMatchesGSL(kind: GeneratorKind) {
        // Two streams with the same key: one stepped by next32() (inline for taus2),
        // the other through gsl_rng_get. Every output must agree, bit for bit.
        let a = RandomStream(seed: 77, stream: 5, kind: kind)
        let b = RandomStream(seed: 77, stream: 5, kind: kind)
        for i in 0..<100_000 {
            let x = a.next32()
            let y = UInt32(truncatingIfNeeded: b.gslGet())
            if x != y { Issue.record("draw \(i): \(x) != gsl_rng_get \(y)"); return }
        }
        // And uniform() is gsl_rng_uniform's value.
        for _ in 0..<1000 { #expect(a.uniform() == b.gslUniform()) }
    }
}
