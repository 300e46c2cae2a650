import SimCore
import Stochastics

/// PHOLD, the standard benchmark of a sequential event kernel (Fujimoto 1990).
///
/// `lps` logical processes each start with `population` events at time
/// 0.1 + Exp(1.0). Handling an event at LP i draws u; with probability
/// `remote` (0.5) it sends one new event to a uniformly random LP, else to i
/// itself, at now + 0.1 + Exp(1.0). One time unit is one simulated second.
/// The same definition is implemented in C, ns-3 and SimPy in ../shared/peers.
public final class PholdModel<Queue: EventQueueProtocol>: EventHandler {
    public let lps: UInt32
    public let population: UInt32
    public let remote: Double
    /// Probability that an event's successor is sent to the same LP with zero
    /// delay (0 in standard PHOLD); exercises the current-time lane.
    public let zeroDelay: Double
    let lookahead: Int64 = 100_000_000_000  // 0.1 s in ps
    let random: RandomStream
    /// Events handled per LP (touches LP state like a real model).
    let received: UnsafeMutablePointer<UInt64>

    public init(lps: UInt32, population: UInt32, remote: Double = 0.5, zeroDelay: Double = 0, seed: UInt64, generator: GeneratorKind) {
        precondition(lps > 0 && population > 0)
        self.lps = lps
        self.population = population
        self.remote = remote
        self.zeroDelay = zeroDelay
        self.random = RandomStream(seed: seed, stream: 0, kind: generator)
        self.received = .allocate(capacity: Int(lps))
        self.received.initialize(repeating: 0, count: Int(lps))
    }

    deinit { received.deallocate() }

    /// Events handled by all LPs together.
    public var totalReceived: UInt64 { (0..<Int(lps)).reduce(0) { $0 + received[$1] } }

    @inline(__always)
    func delay() -> SimTime {
        SimTime(picoseconds: lookahead &+ Int64(random.exponential(mean: 1.0) * 1e12))
    }

    /// Schedules the initial population (not part of the timed loop).
    public func start(_ kernel: inout Scheduler<Queue>) {
        for lp in 0..<lps {
            for _ in 0..<population {
                kernel.schedule(at: delay(), kind: 0, target: lp)
            }
        }
    }

    @inline(__always)
    public func handle(_ event: Event, _ kernel: inout Scheduler<Queue>) {
        let lp = event.target
        received[Int(lp)] &+= 1
        if zeroDelay > 0 && random.uniform() < zeroDelay {
            kernel.schedule(at: kernel.now, kind: 0, target: lp)
            return
        }
        let u = random.uniform()
        let dest = u < remote ? random.integer(below: lps) : lp
        kernel.schedule(at: kernel.now + delay(), kind: 0, target: dest)
    }
}

/// The outcome of a PHOLD run.
public struct PholdResult: Sendable {
    public var events: UInt64
    public var wallSeconds: Double
    public var cpuSeconds: Double
    public var simulatedSeconds: Double
    public var fingerprint: Fingerprint
    public var eventsPerSecond: Double { Double(events) / wallSeconds }
}

/// The pending-event heap a PHOLD run uses.
public enum PholdHeap: String, CaseIterable, Sendable {
    case quaternary, binary
}

public enum Phold {
    /// Runs PHOLD for exactly `events` handled events and times the loop only.
    ///
    /// Dispatches to a concrete heap type here, inside the module, so the
    /// whole loop is specialized (a generic entry point called from another
    /// module would run unspecialized, with metadata look-ups per event).
    public static func run(
        heap: PholdHeap, lps: UInt32, population: UInt32, events: UInt64, seed: UInt64,
        generator: GeneratorKind = .taus2, zeroDelay: Double = 0, lane: Bool = true
    ) -> PholdResult {
        switch heap {
        case .quaternary:
            return run(
                queue: QuaternaryHeapQueue.self, lps: lps, population: population, events: events, seed: seed,
                generator: generator, zeroDelay: zeroDelay, lane: lane)
        case .binary:
            return run(
                queue: BinaryHeapQueue.self, lps: lps, population: population, events: events, seed: seed,
                generator: generator, zeroDelay: zeroDelay, lane: lane)
        }
    }

    static func run<Q: EventQueueProtocol>(
        queue: Q.Type, lps: UInt32, population: UInt32, events: UInt64, seed: UInt64,
        generator: GeneratorKind, zeroDelay: Double, lane: Bool
    ) -> PholdResult {
        let model = PholdModel<Q>(lps: lps, population: population, zeroDelay: zeroDelay, seed: seed, generator: generator)
        var kernel = Scheduler<Q>(reservingCapacity: Int(lps) * Int(population) + 16)
        kernel.usesCurrentTimeLane = lane
        model.start(&kernel)
        let c0 = WallClock.processCPUSeconds()
        let t0 = WallClock.monotonicSeconds()
        kernel.run(model, events: events)
        let wall = WallClock.monotonicSeconds() - t0
        let cpu = WallClock.processCPUSeconds() - c0
        let total = model.totalReceived
        precondition(total == kernel.processed, "PHOLD: per-LP counters (\(total)) disagree with the kernel (\(kernel.processed))")
        return PholdResult(
            events: kernel.processed, wallSeconds: wall, cpuSeconds: cpu,
            simulatedSeconds: kernel.now.seconds, fingerprint: kernel.fingerprint)
    }
}
