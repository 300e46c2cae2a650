import ArgumentParser
import SimBench
import SimCore
import Stochastics

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks of the event kernel and of scenarios (release builds only make sense).",
        subcommands: [PholdBench.self, BenchScenario.self]
    )
}

extension PholdHeap: ExpressibleByArgument {}

struct PholdBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phold",
        abstract: "Run the PHOLD kernel benchmark and print one result line.",
        discussion: """
            Each of N logical processes starts with P events at 0.1 + Exp(1.0); handling an event \
            sends one new event, to a uniformly random LP with probability 0.5 (else to itself), \
            at now + 0.1 + Exp(1.0). Stops after E handled events. Prints exactly one line:
              phold impl=vnetsim lps=N pop=P events=E wall_s=X events_per_s=Y
            (wall time of the event loop only, monotonic clock). A '# ...' diagnostic line with \
            the simulated end time, CPU seconds and fingerprint goes to stderr.
            """
    )

    @Option(name: .long, help: "Number of logical processes (N).")
    var lps: UInt32 = 1024
    @Option(name: .long, help: "Initial events per logical process (P).")
    var population: UInt32 = 16
    @Option(name: .long, help: "Events to handle (E).")
    var events: UInt64 = 5_000_000
    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Pending-event heap: \(PholdHeap.allCases.map(\.rawValue).joined(separator: ", ")).")
    var heap: PholdHeap = .quaternary
    @Option(name: .long, help: "GSL generator: \(GeneratorKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var generator: GeneratorKind = .taus2

    @Option(
        name: .long,
        help:
            "Probability (0…1) that a handled event sends its successor to itself with zero delay (0 = standard PHOLD; exercises the current-time lane)."
    )
    var zeroDelay: Double = 0
    @Flag(name: .long, help: "Put zero-delay events in the heap instead of the current-time FIFO lane (to measure the lane).")
    var noLane = false

    func validate() throws {
        guard (0...1).contains(zeroDelay) else { throw ValidationError("--zero-delay must be between 0 and 1") }
        guard lps > 0 else { throw ValidationError("--lps must be at least 1") }
        guard population > 0 else { throw ValidationError("--population must be at least 1") }
        guard events > 0 else { throw ValidationError("--events must be at least 1") }
        guard UInt64(lps) * UInt64(population) < (1 << 24) else {
            throw ValidationError("--lps × --population must stay below 16,777,216 pending events (the kernel's limit)")
        }
    }

    func run() throws {
        let r = Phold.run(
            heap: heap, lps: lps, population: population, events: events, seed: seed,
            generator: generator, zeroDelay: zeroDelay, lane: !noLane)
        printStderr(
            "# sim_time=\(String(format6(r.simulatedSeconds))) cpu_s=\(format6(r.cpuSeconds)) heap=\(heap.rawValue) lane=\(!noLane) zero_delay=\(zeroDelay) generator=\(generator.rawValue) fingerprint=\(r.fingerprint)"
        )
        print(
            "phold impl=vnetsim lps=\(lps) pop=\(population) events=\(r.events) wall_s=\(format6(r.wallSeconds)) events_per_s=\(Int(r.eventsPerSecond.rounded()))"
        )
    }
}

extension GeneratorKind: ExpressibleByArgument {}
