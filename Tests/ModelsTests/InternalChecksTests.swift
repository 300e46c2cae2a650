import SimCore
import Testing

@testable import Models

/// The checks catch a broken model: a test-only fault (`debugLosePacketEveryN`, debug builds only) frees every
/// Nth delivered packet without counting it, so the packet vanishes from the accounting.
@Suite struct InternalChecksTests {
    /// 1 Gb/s of 1,460-B payloads from the VM to the network for 2 ms, every cost zero: about
    /// 1e9 × 0.002 / (1,514 × 8) ≈ 165 packets, all delivered (nothing queues long enough to drop).
    static func config() -> SimulationConfig {
        let flow = FlowConfig(name: "f", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .gigabits(1)))
        return singleVMConfig(flow: flow, duration: .milliseconds(2), warmup: .zero)
    }

    @Test func theUnbrokenModelConserves() throws {
        let r = try HostSimulation(config: Self.config()).run().report
        #expect(r.conservation.holds)
        #expect(r.conservation.created > 100)
    }

    #if DEBUG
        @Test func conservationFailsWhenTheModelLosesPackets() throws {
            // Every 10th delivery is lost: about 16 of 165 packets are neither delivered, dropped nor in flight,
            // so created > delivered + dropped + in flight, and run() throws the conservation error naming them.
            let sim = try HostSimulation(config: Self.config())
            sim.debugLosePacketEveryN = 10
            #if VNETSIM_INTERNAL_CHECKS
                sim.checks.enabled = false  // else the per-event check traps first (the exit test below)
            #endif
            let error = #expect(throws: SimulationError.self) { try sim.run() }
            let message = error?.message ?? ""
            #expect(message.contains("packet conservation violated in 'test'"), "\(message)")
            #expect(message.contains("≠ delivered"), "\(message)")
            let lost = sim.debugDeliveries / 10
            #expect(lost > 10)
            #expect(
                sim.accounting.created == sim.accounting.delivered + UInt64(lost) + UInt64(sim.packets.liveCount),
                "created \(sim.accounting.created)")
            #expect(message.contains("created \(sim.accounting.created) ≠ delivered \(sim.accounting.delivered) + dropped 0"), "\(message)")
        }
    #endif

    #if DEBUG && VNETSIM_INTERNAL_CHECKS
        @Test func theInternalChecksTrapAtTheFirstLostPacket() async {
            // With the checks on, the 10th delivery breaks created = delivered + dropped + live, and the check
            // after that event traps (a precondition failure: the process exits abnormally).
            #expect(HostSimulation.isInternalCheckingEnabled)
            let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                let sim = try HostSimulation(config: InternalChecksTests.config())
                sim.debugLosePacketEveryN = 10
                _ = try sim.run()
            }
            let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
            #expect(stderr.contains("packets: created"), "\(stderr)")
            #expect(stderr.contains("+ dropped 0 + live"), "\(stderr)")
        }
    #endif
}
