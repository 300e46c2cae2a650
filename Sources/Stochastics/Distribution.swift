import CGSL
import RealModule

/// A probability distribution a scenario can ask for (inter-arrival times,
/// packet sizes, on/off periods). Values are in the unit of the field that
/// uses it (seconds, bytes, …).
public enum Distribution: Sendable, Equatable, CustomStringConvertible {
    /// Always `value`.
    case constant(Double)
    /// Uniform on [min, max).
    case uniform(min: Double, max: Double)
    /// Exponential with the given mean.
    case exponential(mean: Double)
    /// Normal (Gaussian) with mean and standard deviation.
    case normal(mean: Double, standardDeviation: Double)
    /// Lognormal: exp(N(mu, sigma)), mean = exp(mu + sigma²/2).
    case lognormal(mu: Double, sigma: Double)
    /// Pareto (type I) with shape `a` > 0 and scale (minimum) `b` > 0.
    case pareto(shape: Double, scale: Double)
    /// A discrete empirical distribution: `values[i]` with probability ∝ `weights[i]`.
    case empirical(values: [Double], weights: [Double])

    /// A problem with the parameters, or nil if they are valid.
    public var problem: String? {
        func finite(_ xs: Double...) -> Bool { xs.allSatisfy(\.isFinite) }
        switch self {
        case .constant(let v): return finite(v) ? nil : "the constant must be finite"
        case .uniform(let a, let b):
            if !finite(a, b) { return "uniform bounds must be finite" }
            return a < b ? nil : "uniform needs min < max (got \(a) and \(b))"
        case .exponential(let m): return finite(m) && m > 0 ? nil : "exponential needs mean > 0 (got \(m))"
        case .normal(let m, let s): return finite(m, s) && s >= 0 ? nil : "normal needs a finite mean and standard deviation ≥ 0"
        case .lognormal(let mu, let s): return finite(mu, s) && s >= 0 ? nil : "lognormal needs finite mu and sigma ≥ 0"
        case .pareto(let a, let b): return finite(a, b) && a > 0 && b > 0 ? nil : "pareto needs shape > 0 and scale > 0"
        case .empirical(let v, let w):
            if v.isEmpty { return "empirical needs at least one value" }
            if v.count != w.count { return "empirical needs as many weights as values (\(v.count) values, \(w.count) weights)" }
            if !v.allSatisfy(\.isFinite) { return "empirical values must be finite" }
            if w.contains(where: { !$0.isFinite || $0 < 0 }) { return "empirical weights must be finite and ≥ 0" }
            if w.reduce(0, +) <= 0 { return "empirical weights must not all be zero" }
            return nil
        }
    }

    /// The distribution's mean, if finite.
    public var mean: Double? {
        switch self {
        case .constant(let v): return v
        case .uniform(let a, let b): return (a + b) / 2
        case .exponential(let m): return m
        case .normal(let m, _): return m
        case .lognormal(let mu, let s): return Double.exp(mu + s * s / 2)
        case .pareto(let a, let b): return a > 1 ? a * b / (a - 1) : nil
        case .empirical(let v, let w):
            let tw = w.reduce(0, +)
            return zip(v, w).reduce(0) { $0 + $1.0 * $1.1 } / tw
        }
    }

    /// The distribution's variance, if finite.
    public var variance: Double? {
        switch self {
        case .constant: return 0
        case .uniform(let a, let b): return (b - a) * (b - a) / 12
        case .exponential(let m): return m * m
        case .normal(_, let s): return s * s
        case .lognormal(let mu, let s): return (Double.exp(s * s) - 1) * Double.exp(2 * mu + s * s)
        case .pareto(let a, let b): return a > 2 ? b * b * a / ((a - 1) * (a - 1) * (a - 2)) : nil
        case .empirical(let v, let w):
            guard let m = mean else { return nil }
            let tw = w.reduce(0, +)
            return zip(v, w).reduce(0) { $0 + ($1.0 - m) * ($1.0 - m) * $1.1 } / tw
        }
    }

    /// The `p`-quantile, 0 < p < 1: the value a fraction `p` of samples stay at or below (+∞ when that
    /// is beyond a `Double`). For an empirical distribution, the largest value (a bound, not the quantile).
    public func quantile(_ p: Double) -> Double {
        switch self {
        case .constant(let v): return v
        case .uniform(let a, let b): return a + p * (b - a)
        case .exponential(let m): return gsl_cdf_exponential_Pinv(p, m)
        case .normal(let m, let s): return s == 0 ? m : m + gsl_cdf_gaussian_Pinv(p, s)
        case .lognormal(let mu, let s): return s == 0 ? Double.exp(mu) : gsl_cdf_lognormal_Pinv(p, mu, s)
        case .pareto(let a, let b):
            // b · (1 − p)^(−1/a), in logarithms so that a tiny shape gives +∞ rather than a NaN.
            let l = Double.log(b) - Double.log(1 - p) / a
            return l > Double.log(Double.greatestFiniteMagnitude) ? .infinity : Double.exp(l)
        case .empirical(let v, _): return v.max() ?? 0
        }
    }

    /// The quantile ``problem(maximum:describe:)`` checks: at most 1% of samples may be clamped.
    public static let checkedQuantile = 0.99

    /// A problem if the samples would routinely exceed `maximum` (the largest value the field that uses the
    /// distribution can take; larger samples are clamped to it): the mean, where finite, or the 99th
    /// percentile is above `maximum`. `describe` spells a value in the field's unit. Nil if they stay within.
    public func problem(maximum: Double, describe: (Double) -> String) -> String? {
        if let m = mean, !(m <= maximum) {
            return "the mean of \(self) is \(describe(m)), above the maximum \(describe(maximum))"
        }
        let q = quantile(Self.checkedQuantile)
        if !(q <= maximum) {
            return "the 99th percentile of \(self) is \(describe(q)), above the maximum \(describe(maximum))"
        }
        return nil
    }

    public var description: String {
        switch self {
        case .constant(let v): return "constant(\(v))"
        case .uniform(let a, let b): return "uniform(\(a), \(b))"
        case .exponential(let m): return "exponential(mean \(m))"
        case .normal(let m, let s): return "normal(\(m), sd \(s))"
        case .lognormal(let mu, let s): return "lognormal(mu \(mu), sigma \(s))"
        case .pareto(let a, let b): return "pareto(shape \(a), scale \(b))"
        case .empirical(let v, _): return "empirical(\(v.count) values)"
        }
    }
}

/// Draws from a `Distribution` using one `RandomStream`.
///
/// A final class so that the empirical table (a GSL `gsl_ran_discrete_t`) is
/// built once and freed with the sampler. `next()` is a `switch` on a small
/// enum: no existential, no allocation per draw.
public final class Sampler {
    public let distribution: Distribution
    @usableFromInline let stream: RandomStream
    @usableFromInline let code: UInt8
    @usableFromInline let p0: Double
    @usableFromInline let p1: Double
    @usableFromInline var table: OpaquePointer?
    @usableFromInline let values: [Double]

    /// - Throws: `DistributionError` if the parameters are invalid.
    public init(_ distribution: Distribution, stream: RandomStream) throws(DistributionError) {
        if let p = distribution.problem { throw DistributionError(message: p) }
        self.distribution = distribution
        self.stream = stream
        switch distribution {
        case .constant(let v): code = 0; p0 = v; p1 = 0; values = []
        case .uniform(let a, let b): code = 1; p0 = a; p1 = b; values = []
        case .exponential(let m): code = 2; p0 = m; p1 = 0; values = []
        case .normal(let m, let s): code = 3; p0 = m; p1 = s; values = []
        case .lognormal(let mu, let s): code = 4; p0 = mu; p1 = s; values = []
        case .pareto(let a, let b): code = 5; p0 = a; p1 = b; values = []
        case .empirical(let v, let w):
            code = 6; p0 = 0; p1 = 0; values = v
            let t = w.withUnsafeBufferPointer { gsl_ran_discrete_preproc(w.count, $0.baseAddress) }
            guard let t else { throw DistributionError(message: "GSL could not build the empirical table") }
            table = OpaquePointer(t)
        }
    }

    deinit {
        if let table { gsl_ran_discrete_free(UnsafeMutablePointer<gsl_ran_discrete_t>(table)) }
    }

    /// The next variate.
    @inlinable
    public func next() -> Double {
        switch code {
        case 0: return p0
        case 1: return gsl_ran_flat(stream.raw, p0, p1)
        case 2: return stream.exponential(mean: p0)
        case 3: return p0 + gsl_ran_gaussian_ziggurat(stream.raw, p1)
        case 4: return gsl_ran_lognormal(stream.raw, p0, p1)
        case 5: return gsl_ran_pareto(stream.raw, p0, p1)
        default:
            let i = gsl_ran_discrete(stream.raw, UnsafeMutablePointer<gsl_ran_discrete_t>(table))
            return values[i]
        }
    }
}

/// Invalid distribution parameters.
public struct DistributionError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
