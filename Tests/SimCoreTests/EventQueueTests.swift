import TestSupport
import Testing

@testable import SimCore

/// Collects the events it handles, in order.
final class Recorder: EventHandler {
    var seen: [Event] = []
    /// Events to schedule when a given (kind) is handled: (delay ps, kind, target).
    var onHandle: [UInt16: [(Int64, UInt16, UInt32)]] = [:]
    func handle(_ event: Event, _ kernel: inout Kernel) {
        seen.append(event)
        for (d, k, t) in onHandle[event.kind] ?? [] {
            kernel.schedule(after: SimTime(picoseconds: d), kind: k, target: t)
        }
    }
}

/// A tiny deterministic generator for test inputs (not the model's randomness).
struct TestRNG {
    var mix: SplitMix64
    init(state: UInt64) { mix = SplitMix64(state: state) }
    mutating func next() -> UInt64 { mix.next() }
    mutating func below(_ n: UInt64) -> UInt64 { next() % n }
}

@Suite("Event queue and scheduler")
struct EventQueueTests {
    @Test func eventIsSmall() {
        // time (8) + sequence/kind (8) + target (4) + arg (4).
        #expect(MemoryLayout<Event>.size == 24)
        #expect(MemoryLayout<Event>.stride == 24)
        // The heap moves only 16-byte keys; payloads are 8 bytes.
        #expect(MemoryLayout<QuaternaryHeapQueue.Key>.stride == 16)
        #expect(MemoryLayout<QuaternaryHeapQueue.Payload>.stride == 8)
    }

    /// Random interleavings of inserts and removals against a sorted reference.
    func checkAgainstReference<Q: EventQueueProtocol>(_ type: Q.Type, seed: UInt64) -> String? {
        var rng = TestRNG(state: seed)
        var q = Q(reservingCapacity: 4)  // forces growth
        var reference: [(Int64, UInt64, UInt32)] = []  // (time, seq, target)
        var seq: UInt64 = 0
        var floor: Int64 = 0
        for step in 0..<3000 {
            if rng.below(100) < 55 || reference.isEmpty {
                // Few distinct times, so ties are common.
                let t = floor + Int64(rng.below(50))
                let target = UInt32(rng.below(1 << 20))
                q.insert(
                    Event(time: SimTime(picoseconds: t), sequence: seq, kind: UInt16(rng.below(256)), target: target, arg: UInt32(step)))
                reference.append((t, seq, target))
                seq += 1
            } else {
                reference.sort { ($0.0, $0.1) < ($1.0, $1.1) }
                let expected = reference.removeFirst()
                if q.minTime?.picoseconds != expected.0 {
                    return "seed \(seed) step \(step): minTime \(String(describing: q.minTime)) != \(expected.0)"
                }
                let e = q.removeMin()
                if e.time.picoseconds != expected.0 || e.sequence != expected.1 || e.target != expected.2 {
                    return "seed \(seed) step \(step): got (\(e.time.picoseconds), \(e.sequence), \(e.target)), expected \(expected)"
                }
                floor = e.time.picoseconds  // a scheduler never goes back in time
            }
            if q.count != reference.count { return "seed \(seed) step \(step): count \(q.count) != \(reference.count)" }
        }
        return nil
    }

    @Test(arguments: 0..<40)
    func quaternaryHeapMatchesSortedReference(seed: Int) {
        let failure = checkAgainstReference(QuaternaryHeapQueue.self, seed: UInt64(seed))
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test(arguments: 0..<40)
    func binaryHeapMatchesSortedReference(seed: Int) {
        let failure = checkAgainstReference(BinaryHeapQueue.self, seed: UInt64(seed))
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test func tiesRunFirstInFirstOut() {
        let r = Recorder()
        var k = Kernel()
        for i in 0..<100 { k.schedule(at: .microseconds(5), kind: 1, target: UInt32(i)) }
        k.run(r, until: .seconds(1))
        #expect(r.seen.map(\.target) == (0..<100).map(UInt32.init))
    }

    @Test func zeroDelayEventsRunAfterEarlierEventsAtTheSameTime() {
        // At t=10 three events wait in the heap: A(kind 1), B(kind 2), C(kind 3).
        // A schedules Z (kind 9) with zero delay: Z goes to the lane and must
        // run after B and C, which were scheduled before it.
        let r = Recorder()
        r.onHandle[1] = [(0, 9, 99)]
        var k = Kernel()
        k.schedule(at: SimTime(picoseconds: 10), kind: 1, target: 0)
        k.schedule(at: SimTime(picoseconds: 10), kind: 2, target: 0)
        k.schedule(at: SimTime(picoseconds: 10), kind: 3, target: 0)
        k.schedule(at: SimTime(picoseconds: 11), kind: 4, target: 0)
        k.run(r, until: .seconds(1))
        #expect(r.seen.map(\.kind) == [1, 2, 3, 9, 4])
    }

    @Test func runUntilStopsAtTheLimitAndAdvancesTheClock() {
        let r = Recorder()
        var k = Kernel()
        k.schedule(at: .microseconds(1), kind: 1, target: 0)
        k.schedule(at: .microseconds(2), kind: 1, target: 0)
        k.schedule(at: .microseconds(3), kind: 1, target: 0)
        #expect(k.run(r, until: .microseconds(2)) == .timeLimit)
        #expect(r.seen.count == 2)  // events at the limit run
        #expect(k.now == .microseconds(2))
        #expect(k.pendingCount == 1)
        #expect(k.run(r, until: .microseconds(10)) == .empty)
        #expect(k.now == .microseconds(10))
        #expect(k.processed == 3)
    }

    @Test func runEventsHandlesExactlyThatMany() {
        let r = Recorder()
        r.onHandle[1] = [(1000, 1, 0)]  // each event schedules its successor
        var k = Kernel()
        k.schedule(at: .zero, kind: 1, target: 0)
        #expect(k.run(r, events: 1234) == .eventLimit)
        #expect(k.processed == 1234)
        #expect(r.seen.count == 1234)
    }

    @Test func timerSlotCancelsLazily() {
        final class TimerOwner: EventHandler {
            var timer = TimerSlot()
            var fired: [SimTime] = []
            var stale = 0
            func handle(_ event: Event, _ kernel: inout Kernel) {
                switch event.kind {
                case 1:  // the timer
                    if timer.fires(event) { fired.append(kernel.now) } else { stale += 1 }
                case 2:  // re-arm request: cancels the armed timer and arms a later one
                    timer.arm(at: kernel.now + .microseconds(10), kind: 1, target: 0, in: &kernel)
                case 3:  // cancel request
                    timer.cancel()
                default: break
                }
            }
        }
        let o = TimerOwner()
        var k = Kernel()
        o.timer.arm(at: .microseconds(5), kind: 1, target: 0, in: &k)  // cancelled by the re-arm at 2 µs
        k.schedule(at: .microseconds(2), kind: 2, target: 0)  // re-arms for 12 µs
        k.schedule(at: .microseconds(20), kind: 2, target: 0)  // arms for 30 µs
        k.schedule(at: .microseconds(25), kind: 3, target: 0)  // cancels it
        k.run(o, until: .seconds(1))
        #expect(o.fired == [.microseconds(12)])
        #expect(o.stale == 2)  // the events at 5 µs and 30 µs arrived and were ignored
        #expect(!o.timer.isArmed)
    }

    @Test func schedulingInThePastTraps() async {
        await #expect(processExitsWith: .failure) {
            final class Back: EventHandler {
                func handle(_ event: Event, _ kernel: inout Kernel) {
                    kernel.schedule(at: .zero, kind: 0, target: 0)
                }
            }
            var k = Kernel()
            k.schedule(at: .microseconds(1), kind: 0, target: 0)
            k.run(Back(), until: .seconds(1))
        }
    }

    @Test func anEventBudgetCutsARunWithoutReorderingIt() {
        // A self-sustaining chain: every event of kind 1 schedules two more at +3 and +5 ps (kind 1
        // and 2), so there are ties and lane events. Running to 40 ps in one call and in stretches
        // of at most 7 events must handle the same events in the same order and end at 40 ps.
        func recorder() -> Recorder {
            let r = Recorder()
            r.onHandle[1] = [(3, 1, 0), (5, 2, 1), (0, 3, 2)]
            return r
        }
        let whole = recorder(), cut = recorder()
        var k1 = Kernel()
        k1.schedule(at: .zero, kind: 1, target: 0)
        k1.run(whole, until: SimTime(picoseconds: 40))
        var k2 = Kernel()
        k2.schedule(at: .zero, kind: 1, target: 0)
        var calls = 0
        while k2.run(cut, until: SimTime(picoseconds: 40), events: 7) == .eventLimit { calls += 1 }
        #expect(calls > 3)
        func trace(_ r: Recorder) -> [String] { r.seen.map { "\($0.time.picoseconds) \($0.kind) \($0.target)" } }
        #expect(trace(cut) == trace(whole))
        #expect(k2.now == k1.now)
        #expect(k2.now == SimTime(picoseconds: 40))
        #expect(k2.fingerprint.value == k1.fingerprint.value)
    }
}
