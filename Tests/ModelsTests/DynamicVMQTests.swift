import Models
import SimCore
import Testing

/// Dynamic VMQ (docs/model.md, "Dynamic VMQ"): the queues start on the home processor and move by load, at most one
/// per NIC per interval, by `DynamicVMQConfig`'s rules. Each expectation is derived step by step from those rules.
@Suite struct DynamicVMQTests {
    /// Four 1-vCPU VMs, each with its VMQ queue on pnic0 (vmq0 … vmq3), root cores 0–3, every cost zero but
    /// nic_driver_rx (30,000 cycles per frame at 3 GHz: 10 µs). Each VM receives `heavy` frames/s until 3 ms and
    /// 1,000 frames/s throughout; dynamic VMQ looks every 1 ms.
    static func config(heavy: Double, duration: SimTime) -> SimulationConfig {
        var costs = CostProfile.zero
        costs[.nicDriverRx] = CostModel(fixed: 30_000, source: "test")
        var nic = NICConfig(name: "pnic0", propagationDelay: .zero)
        nic.dynamicVMQ = DynamicVMQConfig(enabled: true, interval: .milliseconds(1))
        var sw = SwitchConfig(name: "ext", kind: .external(nic: "pnic0"))
        sw.rsc = false
        let vms = (1...4).map { VMConfig(name: "vm\($0)", vcpus: 1, adapters: [AdapterConfig(name: "eth0", switch: "ext")]) }
        func rate(_ pps: Double) -> DataRate { DataRate(bitsPerSecond: Int64(pps * 1460 * 8)) }
        let flows = (1...4).flatMap { i in
            [
                FlowConfig(
                    name: "heavy\(i)", from: .external(nic: "pnic0"), to: .vm("vm\(i)"), pattern: .constant(rate: rate(heavy)),
                    stop: .milliseconds(3)),
                FlowConfig(name: "light\(i)", from: .external(nic: "pnic0"), to: .vm("vm\(i)"), pattern: .constant(rate: rate(1_000))),
            ]
        }
        return SimulationConfig(
            name: "dvmq", seed: 1, duration: duration, warmup: .zero,
            host: HostConfig(cores: 8, clock: .gigahertz(3.0), rootCores: [0, 1, 2, 3], costs: costs), nics: [nic], switches: [sw],
            vms: vms, flows: flows)
    }

    @Test func queuesSpreadOffAnOverloadedHomeProcessor() throws {
        // Each queue: 29,000 heavy + 1,000 light frames/s × 10 µs = 30 % of a core; all four start on core 0 (120 %
        // offered; charged ≥ 100 % of the interval). At 1 ms core 0 is above 80 % with 4 queues: the move to the idlest
        // core (core 1, 0 %) that best evens them is any queue (peak max(core0 − 30 %, 30 %)); the first, vmq0, goes.
        // At 2 ms core 0 holds 3 queues at 90 % > 80 %: vmq1 goes to core 2 (the idlest: 0 %). At 3 ms core 0 is at
        // 60 %: below 80 %, and no core other than home is below 10 % with queues — nothing moves. The run ends at 3 ms.
        let r = try runConfig(Self.config(heavy: 29_000, duration: .microseconds(3_500))).report
        #expect(try r.metric(.nic, "pnic0", "vmq_moves") == 2)
        #expect(try r.metric(.nic, "pnic0/vmq0", "queue_core") == 1)
        #expect(try r.metric(.nic, "pnic0/vmq1", "queue_core") == 2)
        #expect(try r.metric(.nic, "pnic0/vmq2", "queue_core") == 0)
        #expect(try r.metric(.nic, "pnic0/vmq3", "queue_core") == 0)
    }

    @Test func queuesComeBackWhenTheLoadFalls() throws {
        // As above until 3 ms, when the heavy flows stop. Over [3, 4) ms each queue carries 1 % (its light flow): core 0
        // 2 % (vmq2, vmq3), cores 1 and 2 1 % each — all below 10 %. At 4 ms the idlest non-home core with queues,
        // core 1 (the first of the two at 1 %), gives its lightest queue (vmq0) to the busiest core that stays below
        // 10 % with it: core 0 (2 % + 1 %). At 5 ms core 2 gives vmq1 to core 0 (3 % + 1 %). Four moves; all home.
        let r = try runConfig(Self.config(heavy: 29_000, duration: .microseconds(5_500))).report
        #expect(try r.metric(.nic, "pnic0", "vmq_moves") == 4)
        for q in 0..<4 { #expect(try r.metric(.nic, "pnic0/vmq\(q)", "queue_core") == 0, "vmq\(q)") }
    }

    @Test func withoutDynamicVMQTheQueuesKeepTheirCores() throws {
        var c = Self.config(heavy: 29_000, duration: .microseconds(3_500))
        c.nics[0].dynamicVMQ.enabled = false
        let r = try runConfig(c).report
        for q in 0..<4 { #expect(try r.metric(.nic, "pnic0/vmq\(q)", "queue_core") == Double(q)) }
        #expect(r.value(.nic, "pnic0", "vmq_moves") == nil)
    }
}
