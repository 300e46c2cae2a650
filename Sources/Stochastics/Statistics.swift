import CGSL

/// Online mean and variance (Welford), for hot-path accumulation without storing samples.
public struct RunningStatistics: Sendable {
    public private(set) var count: Int = 0
    public private(set) var mean: Double = 0
    var m2: Double = 0
    public private(set) var minimum: Double = .infinity
    public private(set) var maximum: Double = -.infinity

    public init() {}

    public mutating func add(_ x: Double) {
        count += 1
        let d = x - mean
        mean += d / Double(count)
        m2 += d * (x - mean)
        if x < minimum { minimum = x }
        if x > maximum { maximum = x }
    }

    /// Sample variance (n − 1 denominator); 0 for fewer than two samples.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }
    public var standardDeviation: Double { variance.squareRoot() }
}

/// A confidence interval for a mean.
public struct ConfidenceInterval: Sendable, Equatable, Codable {
    public var mean: Double
    /// Half-width: the interval is mean ± halfWidth.
    public var halfWidth: Double
    /// Confidence level, e.g. 0.95.
    public var level: Double
    /// Number of samples it rests on.
    public var samples: Int
    public var lower: Double { mean - halfWidth }
    public var upper: Double { mean + halfWidth }
}

/// Statistics over a finished sample, computed with GSL.
public enum SampleStatistics {
    public static func mean(_ xs: [Double]) -> Double {
        precondition(!xs.isEmpty, "mean of an empty sample")
        return xs.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, xs.count) }
    }

    /// Sample variance (n − 1 denominator).
    public static func variance(_ xs: [Double]) -> Double {
        guard xs.count > 1 else { return 0 }
        return xs.withUnsafeBufferPointer { gsl_stats_variance($0.baseAddress, 1, xs.count) }
    }

    /// The `q` quantile (0...1) by GSL's linear interpolation on sorted data.
    public static func quantile(_ xs: [Double], _ q: Double) -> Double {
        precondition(!xs.isEmpty, "quantile of an empty sample")
        precondition((0...1).contains(q), "quantile needs 0 ≤ q ≤ 1")
        var sorted = xs
        sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, xs.count) }
        return sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, xs.count, q) }
    }

    /// The two-sided Student-t confidence interval for the mean of `xs`.
    /// With one sample the half-width is infinite (nothing is known of the spread).
    public static func confidenceInterval(_ xs: [Double], level: Double = 0.95) -> ConfidenceInterval {
        precondition(level > 0 && level < 1, "confidence level must be in (0, 1)")
        let m = mean(xs)
        guard xs.count > 1 else { return ConfidenceInterval(mean: m, halfWidth: .infinity, level: level, samples: xs.count) }
        let sd = variance(xs).squareRoot()
        let t = studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: Double(xs.count - 1))
        return ConfidenceInterval(mean: m, halfWidth: t * sd / Double(xs.count).squareRoot(), level: level, samples: xs.count)
    }

    /// The inverse CDF of Student's t distribution (GSL `gsl_cdf_tdist_Pinv`).
    public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        _ = GSL.initialize
        return gsl_cdf_tdist_Pinv(p, nu)
    }
}
