import Models
import SimCore
import Stochastics
import Testing

/// Random samples become sizes and times only through `SampleBounds`, so no draw can trap; and validation
/// refuses distributions that would be clamped often (mean or 99th percentile beyond the maximum).
@Suite struct SampleBoundsTests {
    @Test func sizesAreClampedAndNeverTrap() {
        #expect(SampleBounds.messageBytes(1460.4) == 1460)
        #expect(SampleBounds.messageBytes(1460.5) == 1461)
        #expect(SampleBounds.messageBytes(0.2) == 1)
        #expect(SampleBounds.messageBytes(-1e300) == 1)
        #expect(SampleBounds.messageBytes(.nan) == 1)
        #expect(SampleBounds.messageBytes(9.3e18) == 1_048_576)  // beyond Int.max: Int(x) trapped here
        #expect(SampleBounds.messageBytes(.infinity) == 1_048_576)
    }

    @Test func timesAreClampedAndNeverTrap() {
        #expect(SampleBounds.time(seconds: 1.5e-6) == .nanoseconds(1_500))
        #expect(SampleBounds.time(seconds: 0.4e-12) == .zero)
        #expect(SampleBounds.time(seconds: -3) == .zero)
        #expect(SampleBounds.time(seconds: .nan) == .zero)
        #expect(SampleBounds.time(seconds: 1e7) == .seconds(1_000_000))  // 10^19 ps: SimTime(seconds:) trapped here
        #expect(SampleBounds.time(seconds: .infinity) == .seconds(1_000_000))
    }

    @Test func quantiles() {
        // Exponential: −m·ln(1 − p) = 4.60517 m at p = 0.99; lognormal: exp(mu + 2.32635 sigma); Pareto: b·100^(1/a).
        #expect(abs(Distribution.exponential(mean: 2).quantile(0.99) - 9.21034) < 1e-4)
        #expect(abs(Distribution.lognormal(mu: 1, sigma: 0.5).quantile(0.99) - 8.6988) < 1e-3)
        #expect(abs(Distribution.pareto(shape: 2, scale: 3).quantile(0.99) - 30) < 1e-9)
        #expect(Distribution.pareto(shape: 1e-9, scale: 1e-3).quantile(0.99) == .infinity)
        #expect(Distribution.uniform(min: 0, max: 100).quantile(0.99) == 99)
        #expect(abs(Distribution.normal(mean: 10, standardDeviation: 1).quantile(0.99) - 12.32635) < 1e-4)
    }

    /// The distributions of the issue, each refused at its key.
    @Test(arguments: [
        (MessageSize.distribution(.lognormal(mu: 1000, sigma: 1)), TrafficPattern.constant(rate: .gigabits(1)), "size", "infinite"),
        (.distribution(.exponential(mean: 9_223_372_036_854_775_807)), .constant(rate: .gigabits(1)), "size", "mean"),
        (.distribution(.uniform(min: 0, max: 9_223_372_036_854_775_807)), .poisson(rate: .gigabits(1)), "size", "mean"),
        (.fixed(1460), .requestResponse(responseBytes: 100, thinkTime: .pareto(shape: 1e-9, scale: 1e-3)), "think_time", "99th"),
        (.fixed(1460), .onOff(rate: .gigabits(1), on: .constant(1e-3), off: .lognormal(mu: 100, sigma: 1)), "off", "mean"),
        (.fixed(1_048_576), .poisson(rate: DataRate(bitsPerSecond: 1)), "rate", "at least 39bps"),
    ])
    func outOfRangeDistributionsAreRefused(size: MessageSize, pattern: TrafficPattern, key: String, says: String) {
        var c = ReferenceConfigs.quickstart()
        c.flows[0].size = size
        c.flows[0].pattern = pattern
        let problems = c.validate()
        let hit = problems.first { $0.path == "flows[0].\(key)" }
        #expect(hit != nil, "\(problems)")
        #expect(hit?.message.contains(says) == true, "\(hit?.message ?? "")")
    }

    @Test func typicalHeavyTailsAreAccepted() {
        var c = ReferenceConfigs.quickstart()
        c.flows[0].size = .distribution(.pareto(shape: 1.2, scale: 200))  // 99th percentile 9.3 kB
        c.flows[0].pattern = .onOff(rate: .gigabits(1), on: .pareto(shape: 0.5, scale: 1e-3), off: .exponential(mean: 10))
        #expect(c.validate().isEmpty, "\(c.validate())")
    }

    /// A stage costs at most 10^9 fixed cycles and 10^4 cycles/B; beyond, validation refuses it.
    @Test func costsAreBounded() throws {
        #expect(CostModel(fixed: 1_000_000_000, perByte: 10_000).problem == nil)
        #expect(CostModel(fixed: 1_000_000_000_000_000).problem?.contains("maximum 1000000000") == true)
        #expect(CostModel(perByte: 20_000).problem?.contains("maximum 10000") == true)
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(5))
        c.host.clock = ClockRate(hertz: 1_000_000)
        c.host.costs[.vSwitch] = CostModel(fixed: 1_000_000_000_000_000)
        #expect(c.validate().contains { $0.path == "host.costs.vswitch" }, "\(c.validate())")
        // The largest valid cost at the slowest clock runs (each vSwitch pass takes 1000 s of a core).
        c.host.costs[.vSwitch] = CostModel(fixed: CostModel.maxFixedCycles)
        #expect(c.validate().isEmpty, "\(c.validate())")
        _ = try HostSimulation(config: c).run()
    }
}
