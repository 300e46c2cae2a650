import TestSupport

/// The fuzzer's only source of randomness: SplitMix64 (Steele, Lea, Flood 2014), seeded by an
/// integer, so a (seed, index) pair names one mutant for ever — on every machine and every run.
/// Never the system RNG.
struct FuzzRNG {
    private var mix: SplitMix64

    init(seed: UInt64) { mix = SplitMix64(state: seed) }

    /// The generator of mutant `index` of campaign `seed`: independent streams per index, so mutant
    /// 1234 can be rebuilt without generating the 1233 before it.
    init(seed: UInt64, index: Int) {
        var mixer = FuzzRNG(seed: seed ^ 0x5EED_F022_0000_0000)
        for _ in 0...(index & 3) { _ = mixer.next() }
        mix = SplitMix64(state: mixer.next() &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        _ = next()
    }

    mutating func next() -> UInt64 { mix.next() }

    /// A whole number in 0..<n (n ≥ 1); the modulo bias is irrelevant here.
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next() % UInt64(n))
    }

    /// True with probability `percent`/100.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
