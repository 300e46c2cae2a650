import CGSL
import RealModule

/// Deterministic derivation of seeds: SplitMix64 (Steele, Lea, Flood 2014),
/// the standard way to expand one 64-bit seed into well-mixed words.
@frozen
public struct SplitMix64: Sendable {
    public var state: UInt64
    @inlinable public init(seed: UInt64) { state = seed }
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Identifies one random stream of a run: ns-3's (seed, run, stream) triple.
///
/// Every component that draws random numbers owns a stream of its own, so
/// adding a component or a draw in one place never shifts the numbers
/// another component sees, and replications differ only by `replication`.
@frozen
public struct StreamKey: Hashable, Sendable, CustomStringConvertible {
    public var seed: UInt64
    public var replication: UInt32
    public var stream: UInt32
    @inlinable public init(seed: UInt64, replication: UInt32 = 0, stream: UInt32) {
        self.seed = seed; self.replication = replication; self.stream = stream
    }
    /// A 64-bit key mixing all three fields.
    @inlinable public var mixed: UInt64 {
        var s = SplitMix64(seed: seed)
        var h = s.next()
        h ^= UInt64(replication) &* 0xD6E8_FEB8_6659_FD93
        var s2 = SplitMix64(seed: h)
        h = s2.next() ^ (UInt64(stream) &* 0xA076_1D64_78BD_642F)
        var s3 = SplitMix64(seed: h)
        return s3.next()
    }
    public var description: String { "seed=\(seed) rep=\(replication) stream=\(stream)" }
}

/// The GSL generator algorithm behind a stream.
///
/// The default is `taus2`: GSL's documentation calls it "one of the fastest
/// simulation quality generators available", and its state is 24 bytes, so a
/// model with a stream per component keeps them all in cache (an MT19937
/// state is 5 KB).
public enum GeneratorKind: String, CaseIterable, Sendable, Codable {
    /// L'Ecuyer's maximally equidistributed combined Tausworthe (taus2): period 2^88, very fast, tiny state.
    case taus2
    /// Mersenne Twister MT19937 (GSL's default): period 2^19937−1.
    case mt19937
    /// RANLUX at luxury level 2 (double precision): slow, of the highest statistical quality.
    case ranlxd2

    var gslType: UnsafePointer<gsl_rng_type> {
        switch self {
        case .mt19937: return vnetsim_rng_mt19937()
        case .taus2: return vnetsim_rng_taus2()
        case .ranlxd2: return vnetsim_rng_ranlxd2()
        }
    }
}

/// One seeded stream of random numbers, backed by a GSL generator.
///
/// The stream owns its `gsl_rng` and frees it on deinit. Seeding: for MT19937
/// the whole 624-word state is filled from SplitMix64 of the stream key (so
/// distinct keys give distinct, decorrelated states across the full 64-bit
/// key space); the other generators take GSL's 32-bit seed derived from the
/// same key.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    /// The generator's own functions and state, looked up once (GSL's inline
    /// `gsl_rng_uniform` loads them from the `gsl_rng` on every draw).
    @usableFromInline let getDouble: @convention(c) (UnsafeMutableRawPointer?) -> Double
    @usableFromInline let getRaw: @convention(c) (UnsafeMutableRawPointer?) -> UInt
    @usableFromInline let state: UnsafeMutableRawPointer?
    /// The generator returns integers in [0, range]: 2^32 − 1 for taus2 and MT19937.
    @usableFromInline let rawMax: UInt
    /// For taus2: GSL's own state words `{s1, s2, s3}`, stepped inline (see `next32`).
    @usableFromInline let taus: UnsafeMutablePointer<UInt>?
    /// True when GSL's `get_double` is exactly `get() / 2^32` (taus2, MT19937),
    /// so `uniform()` may multiply the raw output instead of calling it.
    @usableFromInline let doubleIsRawOver2to32: Bool
    public let key: StreamKey
    public let kind: GeneratorKind

    public init(_ key: StreamKey, kind: GeneratorKind = .taus2) {
        _ = GSL.initialize
        guard let r = gsl_rng_alloc(kind.gslType) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        self.rng = r
        self.key = key
        self.kind = kind
        self.getDouble = r.pointee.type.pointee.get_double
        self.getRaw = r.pointee.type.pointee.get
        self.state = r.pointee.state
        self.rawMax = r.pointee.type.pointee.max
        self.doubleIsRawOver2to32 = kind == .taus2 || kind == .mt19937
        if kind == .taus2, gsl_rng_size(r) == 3 * MemoryLayout<UInt>.stride, let st = r.pointee.state {
            self.taus = st.bindMemory(to: UInt.self, capacity: 3)
        } else {
            self.taus = nil
        }
        var sm = SplitMix64(seed: key.mixed)
        gsl_rng_set(r, UInt(truncatingIfNeeded: sm.next() | 1))
        if kind == .mt19937 {
            // GSL's mt_state_t is { unsigned long mt[624]; int mti; }.
            let n = 624
            if gsl_rng_size(r) >= n * MemoryLayout<UInt>.stride + MemoryLayout<Int32>.size,
                let raw = gsl_rng_state(r)
            {
                let words = raw.bindMemory(to: UInt.self, capacity: n)
                for i in 0..<n { words[i] = UInt(truncatingIfNeeded: sm.next() & 0xFFFF_FFFF) }
                words[0] |= 0x8000_0000  // MT needs a non-zero state; set the top bit as init_by_array does
                let mti = (raw + n * MemoryLayout<UInt>.stride).bindMemory(to: Int32.self, capacity: 1)
                mti.pointee = Int32(n)  // regenerate on the next draw
            }
        }
    }

    public convenience init(seed: UInt64, replication: UInt32 = 0, stream: UInt32, kind: GeneratorKind = .taus2) {
        self.init(StreamKey(seed: seed, replication: replication, stream: stream), kind: kind)
    }

    deinit { gsl_rng_free(rng) }

    /// The generator's next 32-bit output: exactly `gsl_rng_get`.
    ///
    /// For taus2 the step is done here, inline, on GSL's own state words —
    /// the same three Tausworthe recurrences as GSL's `taus_get` (taus.c),
    /// bit for bit (checked against `gsl_rng_get` in StochasticsTests) —
    /// because a call through GSL's function pointer costs as much as the
    /// step itself on the PHOLD hot path. GSL still seeds the state and
    /// defines the generator; other generators are called through GSL.
    @inlinable @inline(__always)
    public func next32() -> UInt32 {
        if let t = taus {
            // TAUSWORTHE(s,a,b,c,d) = (((s & c) << d) & MASK) ^ ((((s << a) & MASK) ^ s) >> b)
            let m: UInt = 0xFFFF_FFFF
            var s1 = t[0], s2 = t[1], s3 = t[2]
            s1 = (((s1 & 4_294_967_294) << 12) & m) ^ ((((s1 << 13) & m) ^ s1) >> 19)
            s2 = (((s2 & 4_294_967_288) << 4) & m) ^ ((((s2 << 2) & m) ^ s2) >> 25)
            s3 = (((s3 & 4_294_967_280) << 17) & m) ^ ((((s3 << 3) & m) ^ s3) >> 11)
            t[0] = s1; t[1] = s2; t[2] = s3
            return UInt32(truncatingIfNeeded: s1 ^ s2 ^ s3)
        }
        return UInt32(truncatingIfNeeded: getRaw(state))
    }

    /// A uniform double in [0, 1).
    @inlinable @inline(__always)
    public func uniform() -> Double {
        // For 32-bit generators, the same value as GSL's get_double (x / 2^32),
        // computed with an exact multiply instead of a division.
        doubleIsRawOver2to32 ? Double(next32()) * 0x1p-32 : getDouble(state)
    }

    /// A uniform double in (0, 1).
    @inlinable @inline(__always)
    public func uniformPositive() -> Double { vnetsim_rng_uniform_pos(rng) }

    /// A uniform integer in `0..<n`, exactly unbiased.
    ///
    /// Lemire's nearly divisionless method ("Fast random integer generation
    /// in an interval", ACM TOMACS 2019) on the generator's 32-bit outputs:
    /// one multiply in the common case, a division and rejection only when
    /// the low word falls in the biased zone. Same distribution as GSL's
    /// `gsl_rng_uniform_int`, without its division on every draw.
    /// - Precondition: `n > 0`; the generator yields 32 random bits (taus2, MT19937).
    @inlinable @inline(__always)
    public func integer(below n: UInt32) -> UInt32 {
        precondition(n > 0, "integer(below:) needs n > 0")
        if rawMax != 0xFFFF_FFFF {
            return UInt32(truncatingIfNeeded: gsl_rng_uniform_int(rng, UInt(n)))
        }
        var m = UInt64(next32()) &* UInt64(n)
        var low = UInt32(truncatingIfNeeded: m)
        if low < n {
            let threshold = (0 &- n) % n
            while low < threshold {
                m = UInt64(next32()) &* UInt64(n)
                low = UInt32(truncatingIfNeeded: m)
            }
        }
        return UInt32(truncatingIfNeeded: m >> 32)
    }

    /// An exponential variate with the given mean, by inversion: −μ·log(1 − u)
    /// with u uniform on [0, 1) from the stream's GSL generator.
    ///
    /// This is `gsl_ran_exponential`'s method with `log(1 − u)` in place of
    /// `log1p(−u)`: the two agree to within an ulp for the u a 32-bit
    /// generator can return, and glibc's `log` costs half of `log1p`
    /// (measured in the PHOLD profile, docs/performance.md).
    @inlinable @inline(__always)
    public func exponential(mean: Double) -> Double { -mean * Double.log(1.0 - uniform()) }

    /// A normal variate (GSL's ratio method, `gsl_ran_gaussian_ziggurat`).
    @inlinable public func normal(mean: Double, standardDeviation sd: Double) -> Double {
        mean + gsl_ran_gaussian_ziggurat(rng, sd)
    }

    /// A lognormal variate: exp(N(mu, sigma)).
    @inlinable public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, mu, sigma) }

    /// A Pareto variate with shape `a` and scale (minimum) `b`.
    @inlinable public func pareto(shape a: Double, scale b: Double) -> Double { gsl_ran_pareto(rng, a, b) }

    /// A uniform double in [a, b).
    @inlinable public func uniform(_ a: Double, _ b: Double) -> Double { gsl_ran_flat(rng, a, b) }

    /// `gsl_rng_get` through GSL itself (for tests that check the inline step).
    public func gslGet() -> UInt { gsl_rng_get(rng) }
    /// `gsl_rng_uniform` through GSL itself.
    public func gslUniform() -> Double { gsl_rng_uniform(rng) }

    /// Raw access for the module's samplers.
    @usableFromInline var raw: UnsafeMutablePointer<gsl_rng> { rng }
}
