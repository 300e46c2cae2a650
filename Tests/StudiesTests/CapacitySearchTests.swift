import Testing

@testable import Studies

/// The planner's search over synthetic monotone predicates with known answers: the answer, the measurements (how
/// many, in which order, none twice), and the reports of the edges and of non-monotone outcomes.
@Suite struct CapacitySearchTests {
    /// Drives `search` with `passes` until it ends; nil (and an issue) if it asks for more than 200 values.
    func run(
        _ search: inout CapacitySearch, sourceLocation: SourceLocation = #_sourceLocation, _ passes: (Double) -> Bool
    ) -> CapacityResult? {
        for _ in 0..<200 {
            guard let v = search.next() else { break }
            search.record(v, passes: passes(v))
        }
        let values = search.measured.map(\.value)
        #expect(Set(values).count == values.count, "a value was measured twice: \(values)", sourceLocation: sourceLocation)
        #expect(search.result != nil, "the search did not end: \(values)", sourceLocation: sourceLocation)
        return search.result
    }

    /// ⌈log2 x⌉ for x ≥ 1.
    func ceilLog2(_ x: Double) -> Int {
        var n = 0, p = 1.0
        while p < x { p *= 2; n += 1 }
        return n
    }

    @Test func findsThirtySevenFromEight() {
        // Doubling 8 → 16 → 32 pass, 64 fails; bisecting (32, 64): 48 f, 40 f, 36 p, 38 f, 37 p; 37..38 is 1 wide.
        // Bound: ⌈log2(1000 − 1)⌉ + ⌈log2(37/8)⌉ + 2 = 10 + 3 + 2 = 15 measurements.
        var s = CapacitySearch(lower: 1, upper: 1000, start: 8, integer: true, resolution: 1)
        #expect(run(&s) { $0 <= 37 } == .largest(37))
        #expect(s.measured.map(\.value) == [8, 16, 32, 64, 48, 40, 36, 38, 37])
        #expect(s.measured.map(\.passes) == [true, true, true, false, false, false, true, false, true])
        #expect(s.measured.count <= ceilLog2(999) + ceilLog2(37.0 / 8) + 2)
        #expect(s.next() == nil)
    }

    @Test func everyAnswerInTheRangeIsExactWithinTheBound() {
        // Every answer a in [1, 300] from start 20: exact, and at most ⌈log2 299⌉ + ⌈log2(a/20)⌉ + 2 measurements.
        for a in 1...300 {
            var s = CapacitySearch(lower: 1, upper: 300, start: 20, integer: true, resolution: 1)
            let r = run(&s) { $0 <= Double(a) }
            let expected: CapacityResult = a == 300 ? .wholeRange(300) : .largest(Double(a))
            #expect(r == expected, "answer \(a)")
            #expect(s.measured.count <= ceilLog2(299) + ceilLog2(max(1, Double(a) / 20)) + 2, "answer \(a): \(s.measured.count)")
        }
    }

    @Test func anAnswerAtTheLowerBound() {
        // 8 fails, so `lower` is measured directly: 1 passes; bisecting (1, 8): 4 f, 2 f.
        var s = CapacitySearch(lower: 1, upper: 1000, start: 8, integer: true, resolution: 1)
        #expect(run(&s) { $0 <= 1 } == .largest(1))
        #expect(s.measured.map(\.value) == [8, 1, 4, 2])
    }

    @Test func neverMetEndsBelowTheRange() {
        // 8 fails, 1 (lower) fails: two measurements.
        var s = CapacitySearch(lower: 1, upper: 1000, start: 8, integer: true, resolution: 1)
        #expect(run(&s) { _ in false } == .belowRange(firstFailing: 1))
        #expect(s.measured.map(\.value) == [8, 1])
        #expect(s.result?.largestPassing == nil)
        // A start at the lower bound: one measurement.
        var atLower = CapacitySearch(lower: 4, upper: 10, start: 4, integer: true, resolution: 1)
        #expect(run(&atLower) { _ in false } == .belowRange(firstFailing: 4))
        #expect(atLower.measured.count == 1)
    }

    @Test func alwaysMetEndsWithTheWholeRange() {
        // 8, 16, …, 512 pass, then 1024 clamps to 1000, which passes: 8 measurements.
        var s = CapacitySearch(lower: 1, upper: 1000, start: 8, integer: true, resolution: 1)
        #expect(run(&s) { _ in true } == .wholeRange(1000))
        #expect(s.measured.map(\.value) == [8, 16, 32, 64, 128, 256, 512, 1000])
        #expect(s.result?.largestPassing == 1000)
    }

    @Test func aContinuousAnswerToTheResolution() {
        // Answer 3.3 in [0, 10] from 1 at resolution 0.01: the result passes and lies within 0.01 below 3.3.
        // Bound: ⌈log2(10 / 0.01)⌉ + ⌈log2(3.3 / 1)⌉ + 2 = 10 + 2 + 2 = 14 measurements.
        var s = CapacitySearch(lower: 0, upper: 10, start: 1, integer: false, resolution: 0.01)
        guard case .largest(let x)? = run(&s, { $0 <= 3.3 }) else {
            Issue.record("no largest value: \(String(describing: s.result))")
            return
        }
        #expect(x <= 3.3 && x > 3.3 - 0.01, "\(x)")
        #expect(s.measured.count <= ceilLog2(1000) + ceilLog2(3.3) + 2, "\(s.measured.count)")
    }

    @Test func anUnboundedRangeDoublesUntilAFailOrTheCap() {
        // Answer 5000 from 8: doublings to 8192 (11 values), then bisecting (4096, 8192) exactly: 12 more.
        // Bound: ⌈log2(5000 / 8)⌉ + 2 + ⌈log2 4096⌉ = 10 + 2 + 12 = 24.
        var s = CapacitySearch(lower: 1, upper: nil, start: 8, integer: true, resolution: 1)
        #expect(run(&s) { $0 <= 5000 } == .largest(5000))
        #expect(s.measured.count <= 24, "\(s.measured.count)")
        // Always passing: after maxDoublings (5) passes above the start, the search stops and says so.
        var capped = CapacitySearch(lower: 1, upper: nil, start: 8, integer: true, resolution: 1, maxDoublings: 5)
        #expect(run(&capped) { _ in true } == .hitDoublingCap(256))
        #expect(capped.measured.map(\.value) == [8, 16, 32, 64, 128, 256])
        #expect(capped.result?.description.contains("cap") == true)
        // The default cap is 20.
        var deflt = CapacitySearch(lower: 1, upper: nil, start: 1, integer: true, resolution: 1)
        #expect(run(&deflt) { _ in true } == .hitDoublingCap(1_048_576))
    }

    @Test func aStartAtZeroStepsThenDoubles() {
        // 0 passes → 1 → 2 → 4 → 8 pass, 16 fails; bisecting (8, 16): 12 f, 10 p, 11 f.
        var s = CapacitySearch(lower: 0, upper: 100, start: 0, integer: true, resolution: 1)
        #expect(run(&s) { $0 <= 10 } == .largest(10))
        #expect(s.measured.map(\.value) == [0, 1, 2, 4, 8, 16, 12, 10, 11])
        // Continuous: 0 → resolution → doubling; (0.5, 1) is bisected until narrower than 0.25: 0.75 f, 0.625 f.
        var c = CapacitySearch(lower: 0, upper: 1, start: 0, integer: false, resolution: 0.25)
        #expect(run(&c) { $0 <= 0.6 } == .largest(0.5))
        #expect(c.measured.map(\.value) == [0, 0.25, 0.5, 1, 0.75, 0.625])
    }

    @Test func recordedRunsAreReusedAndNeverAskedForAgain() {
        // Earlier runs: 32 passed, 64 failed. The start (8) is below the bracket, so the search bisects (32, 64)
        // at once: 48, 40, 36, 38, 37.
        var s = CapacitySearch(lower: 1, upper: 1000, start: 8, integer: true, resolution: 1)
        s.record(32, passes: true)
        s.record(64, passes: false)
        #expect(run(&s) { $0 <= 37 } == .largest(37))
        #expect(s.measured.map(\.value) == [32, 64, 48, 40, 36, 38, 37])
        // Asking twice without recording gives the same value; a second record of a value keeps the first outcome.
        var t = CapacitySearch(lower: 1, upper: 1000, start: 8, integer: true, resolution: 1)
        #expect(t.next() == 8 && t.next() == 8)
        t.record(8, passes: true)
        t.record(8, passes: false)
        #expect(t.measured.count == 1 && t.measured[0].passes)
        #expect(t.next() == 16)
    }

    @Test func nonMonotoneOutcomesAreReported() {
        // An earlier run passed at 100 above one that failed at 50: the search goes on below 50 and says so, naming the
        // lowest fail at the end (bisecting (8, 50): 29 p, 39 f, 34 p, 36 p, 37 p, 38 f).
        var s = CapacitySearch(lower: 1, upper: 1000, start: 8, integer: true, resolution: 1)
        s.record(100, passes: true)
        s.record(50, passes: false)
        let r = run(&s) { $0 <= 37 || $0 == 100 }
        #expect(r == .nonMonotone(.largest(37), passAbove: 100, lowestFail: 38))
        #expect(r?.isMonotone == false && r?.largestPassing == 37)
        #expect(r?.description.contains("not monotone") == true)
        // Even the lower bound fails, while 100 passed (and 50 failed: a recorded pass alone would be believed, and the
        // search would look above it).
        var t = CapacitySearch(lower: 1, upper: 1000, start: 8, integer: true, resolution: 1)
        t.record(100, passes: true)
        t.record(50, passes: false)
        let below = run(&t) { $0 == 100 }
        #expect(below == .nonMonotone(.belowRange(firstFailing: 1), passAbove: 100, lowestFail: 1))
        #expect(CapacityResult.largest(3).isMonotone)
    }

    @Test func theRangeAndStartAreRoundedForIntegers() {
        var s = CapacitySearch(lower: 0.5, upper: 20.7, start: 7.6, integer: true, resolution: 1)
        #expect(s.lower == 1 && s.upper == 20 && s.start == 8)
        #expect(run(&s) { $0 <= 13 } == .largest(13))
        // A start outside the range is clamped into it.
        let high = CapacitySearch(lower: 1, upper: 10, start: 50, integer: true, resolution: 1)
        #expect(high.start == 10)
    }
}
