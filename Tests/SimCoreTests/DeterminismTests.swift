import SimBench
import Testing

@testable import SimCore

@Suite("Fingerprints and PHOLD")
struct DeterminismTests {
    @Test func sameSeedSameFingerprintDifferentSeedDifferent() {
        let a = Phold.run(heap: .quaternary, lps: 64, population: 4, events: 20_000, seed: 7)
        let b = Phold.run(heap: .quaternary, lps: 64, population: 4, events: 20_000, seed: 7)
        let c = Phold.run(heap: .quaternary, lps: 64, population: 4, events: 20_000, seed: 8)
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.simulatedSeconds == b.simulatedSeconds)
        #expect(a.fingerprint != c.fingerprint)
    }

    @Test func bothHeapsProcessTheSameEventsInTheSameOrder() {
        // The heaps differ in shape, not in the order they return: same fingerprint.
        let q = Phold.run(heap: .quaternary, lps: 128, population: 8, events: 50_000, seed: 3)
        let b = Phold.run(heap: .binary, lps: 128, population: 8, events: 50_000, seed: 3)
        #expect(q.fingerprint == b.fingerprint)
        #expect(q.events == 50_000)
    }

    @Test func pholdEndTimeIsPlausible() {
        // In steady state N·P events are handled per (lookahead + mean) = 1.1 time
        // units, so E events take about E·1.1/(N·P): 200000·1.1/(256·16) = 53.7 s.
        let r = Phold.run(heap: .quaternary, lps: 256, population: 16, events: 200_000, seed: 1)
        #expect(abs(r.simulatedSeconds - 53.71) / 53.71 < 0.03)
    }

    @Test func fingerprintSeesEveryField() {
        func fp(_ e: Event) -> UInt64 { var f = Fingerprint(); f.absorb(e); return f.value }
        let base = Event(time: .microseconds(1), sequence: 0, kind: 1, target: 2, arg: 3)
        let variants = [
            Event(time: .microseconds(2), sequence: 0, kind: 1, target: 2, arg: 3),
            Event(time: .microseconds(1), sequence: 0, kind: 2, target: 2, arg: 3),
            Event(time: .microseconds(1), sequence: 0, kind: 1, target: 3, arg: 3),
            Event(time: .microseconds(1), sequence: 0, kind: 1, target: 2, arg: 4),
        ]
        for v in variants { #expect(fp(v) != fp(base)) }
        // Order matters.
        var f1 = Fingerprint(); f1.absorb(base); f1.absorb(variants[0])
        var f2 = Fingerprint(); f2.absorb(variants[0]); f2.absorb(base)
        #expect(f1 != f2)
    }
}
