import SimCore
import Testing

@testable import Models

/// Issue 12, item 4: NetVSP drains a send ring in DPCs ended by a packet quota or a cycle budget
/// (`VMBusDrainConfig`); a DPC that stops with packets left unmasks, re-checks and queues a new DPC behind the work
/// already on its core, paying `vsp_dpc`. Each expectation is derived in its comment; every cost is zero but the
/// stages a test names.
@Suite struct DrainQuotaTests {
    /// NetVSP 6,000 cycles per packet (`vsp_tx`) and 1,000 per DPC (`vsp_dpc`), nothing else.
    static var vspCosts: CostProfile {
        var costs = CostProfile.zero
        costs[.vspTx] = CostModel(fixed: 6_000, source: "test")
        costs[.vspDPC] = CostModel(fixed: 1_000, source: "test")
        return costs
    }

    /// One VM → the external peer, 1,460-B UDP messages at 40 Gb/s from a blocking sender (its socket holds 212,992 B
    /// ≈ 145 packets), run 5 ms from the start (no warm-up, so the counters cover the whole run).
    static func saturated(_ drain: VMBusDrainConfig) -> SimulationConfig {
        var c = singleVMConfig(
            flow: FlowConfig(name: "out", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .gigabits(40))),
            costs: vspCosts, duration: .milliseconds(5), warmup: .zero)
        c.host.vmbusDrain = drain
        return c
    }

    /// Runs `c` and returns its report with the counters of its first channel and its `vsp_dpc` root cycles.
    static func run(_ c: SimulationConfig) throws -> (report: RunReport, channel: ChannelCounters, dpcCycles: Int64) {
        let sim = try HostSimulation(config: c)
        let report = try sim.run().report
        let ch = sim.vmbus.channels[ChannelID(0)]
        return (report, ch.counters, sim.cores.cycles(ch.root, .vspDPC))
    }

    @Test func aSaturatedVSPEndsEveryDPCAtItsQuota() throws {
        // Quota 16, budget 1,000,000 (never reached: 16 × 6,000 = 96,000 cycles a DPC), batch 8 ⇒ DPCs of two full
        // passes. The root core spends 16 × 6,000 + 1,000 = 97,000 cycles per DPC ⇒ 494.8 k packets/s, far below
        // what the sender offers (3.4 M/s) and the 10 Gb/s wire carries (819 k frames/s), so the ≈ 145 packets the
        // socket lets out sit in the ring and it never empties after the first write: one signal (at 0), one DPC
        // after it, then each DPC stops at its quota with packets left and queues the next. Expected: every DPC but
        // the running one is a quota hit (quota hits = DPCs − signals, the DPCs that ended empty being 0, ±1 for the
        // running one), no budget hit; drained = 16 per ended DPC + 0, 8 or 16 by the running one ⇒ DPCs =
        // ⌈drained / 16⌉ ± 1; `vsp_dpc` charged DPCs × 1,000 exactly; about 5 ms × 494.8 k ≈ 2,474 packets drained
        // (≈ 155 DPCs), within 1 %.
        let (r, ch, dpcCycles) = try Self.run(Self.saturated(VMBusDrainConfig(packetQuota: 16, cycleBudget: Cycles(1_000_000))))
        let dpcs = try r.metric(.adapter, "vm/eth0", "vsp_dpcs")
        let quotaHits = try r.metric(.adapter, "vm/eth0", "vsp_quota_hits")
        let signals = try r.metric(.adapter, "vm/eth0", "signals")
        let drained = Double(ch.drained)
        #expect(signals == 1)
        #expect(abs(quotaHits - (dpcs - signals)) <= 1, "\(quotaHits) quota hits of \(dpcs) DPCs, \(signals) signals")
        #expect(try r.metric(.adapter, "vm/eth0", "vsp_budget_hits") == 0)
        #expect(abs(dpcs - (drained / 16).rounded(.up)) <= 1, "\(dpcs) DPCs for \(drained) packets")
        #expect(Double(dpcCycles) == dpcs * 1_000, "vsp_dpc \(dpcCycles) cycles for \(dpcs) DPCs")
        #expect(abs(drained - 2_474) <= 0.01 * 2_474, "\(drained) packets drained")
        // The component `vsp` holds `vsp_tx` and `vsp_dpc`: 6,000 per packet drained + 1,000 per DPC.
        #expect(try r.metric(.component, "vsp", "root_cycles") == 6_000 * drained + 1_000 * dpcs)
    }

    @Test func aBudgetBelowOnePassEndsEveryDPCAfterOnePass() throws {
        // Budget 1,000 cycles (the minimum), quota 64: a full pass of 8 charges 48,000 cycles, past the budget, so
        // every DPC stops after its first pass. Saturated as above (the ring never empties after the first write).
        // Expected: passes = DPCs (±1: the last DPC may not have run its pass yet), each of 8 but the first, which
        // starts right after the first write and may find as few as 1 packet (so 8 × passes − drained ≤ 7), budget
        // hits = DPCs − signals ± 1 and no quota hit.
        let (r, ch, _) = try Self.run(Self.saturated(VMBusDrainConfig(packetQuota: 64, cycleBudget: Cycles(1_000))))
        let dpcs = try r.metric(.adapter, "vm/eth0", "vsp_dpcs")
        let signals = try r.metric(.adapter, "vm/eth0", "signals")
        #expect(abs(Double(ch.drains) - dpcs) <= 1, "\(ch.drains) passes in \(dpcs) DPCs")
        let batch = try r.metric(.adapter, "vm/eth0", "vsp_batch_mean")
        #expect(abs(batch - Double(ch.drained) / Double(ch.drains)) < 1e-9)
        #expect(8 * ch.drains - ch.drained <= 7, "\(ch.drains) passes took \(ch.drained) packets")
        #expect(abs(try r.metric(.adapter, "vm/eth0", "vsp_budget_hits") - (dpcs - signals)) <= 1)
        #expect(try r.metric(.adapter, "vm/eth0", "vsp_quota_hits") == 0)
    }

    @Test func twoSaturatingChannelsOnOneRootCoreShareIt() throws {
        // Two VMs each send 1,460-B UDP at 40 Gb/s (blocking); their channels' NetVSP both run on the one root core.
        // Quota 8 (one pass per DPC): each DPC that stops at its quota queues its successor behind the other channel's
        // DPC already queued on the core, so the core alternates between them. Per channel and round: 8 × 6,000 +
        // 1,000 cycles; the core carries 2 × 8 packets per 98,000 cycles ⇒ 489.8 k packets/s in all, 244.9 k each
        // (2.86 Gb/s of payload each; the wire's 10 Gb/s is not the bound). Expected: goodputs within 10 % of each
        // other, and their sum within 2 % of 2 × 2.86 = 5.72 Gb/s.
        let flows = ["vm1", "vm2"].map { v in
            FlowConfig(name: v, from: .vm(v), to: .external(nic: "pnic0"), pattern: .constant(rate: .gigabits(40)))
        }
        let c = SimulationConfig(
            name: "test", seed: 7, duration: .milliseconds(6), warmup: .milliseconds(1),
            host: HostConfig(
                cores: 4, clock: .gigahertz(3.0), rootCores: [0], costs: Self.vspCosts,
                vmbusDrain: VMBusDrainConfig(packetQuota: 8)),
            nics: [NICConfig(name: "pnic0", linkRate: .gigabits(10), propagationDelay: .zero)],
            switches: [SwitchConfig(name: "ext", kind: .external(nic: "pnic0"))],
            vms: ["vm1", "vm2"].map { VMConfig(name: $0, vcpus: 1, adapters: [AdapterConfig(name: "eth0", switch: "ext")]) },
            flows: flows)
        let r = try runConfig(c).report
        let a = try r.metric(.flow, "vm1", "goodput"), b = try r.metric(.flow, "vm2", "goodput")
        #expect(abs(a - b) <= 0.1 * Swift.max(a, b), "vm1 \(a) Gb/s, vm2 \(b) Gb/s")
        let total = 2 * 244_898 * 1_460 * 8 / 1e9
        #expect(abs(a + b - total) <= 0.02 * total, "\(a + b) Gb/s against \(total)")
        #expect(try r.metric(.adapter, "vm1/eth0", "vsp_quota_hits") > 0)
        #expect(try r.metric(.adapter, "vm2/eth0", "vsp_quota_hits") > 0)
    }

    @Test func aLightLoadSignalsOncePerMessageWhateverTheQuota() throws {
        // 5,840-B UDP messages (4 packets of 1,460 B, one VMBus message) every 50 µs (934.4 Mb/s), stopped at 1 ms:
        // 20 messages. The guest stack costs 3,000 cycles a packet, so a message is written 4 µs after it is
        // offered; NetVSP costs 600 cycles a packet and 1,000 a DPC. Quota 64: one DPC of one pass takes the 4 packets
        // (3,400 cycles ≈ 1.1 µs) and finds the ring empty; quota 1: 4 DPCs of 1 packet (4 × 1,600 = 6,400 cycles ≈
        // 2.1 µs), the first 3 stopping at the quota, the last finding the ring empty. Either way the ring is empty
        // and unmasked long before the next message (50 µs later), whose write signals again. Expected with both
        // quotas: 20 signals, 0.25 signals per packet (1 / packets per message); DPCs 20 (quota 64) and 80, with
        // 60 quota hits (quota 1).
        var costs = CostProfile.zero
        costs[.guestStackTx] = CostModel(fixed: 3_000, source: "test")
        costs[.vspTx] = CostModel(fixed: 600, source: "test")
        costs[.vspDPC] = CostModel(fixed: 1_000, source: "test")
        func light(quota: Int) throws -> RunReport {
            var c = singleVMConfig(
                flow: FlowConfig(
                    name: "out", from: .vm("vm"), to: .external(nic: "pnic0"),
                    pattern: .constant(rate: DataRate(bitsPerSecond: 934_400_000)), size: .fixed(5_840), stop: .microseconds(990)),
                costs: costs, duration: .milliseconds(2), warmup: .zero)
            c.host.vmbusDrain = VMBusDrainConfig(packetQuota: quota)
            return try runConfig(c).report
        }
        let one = try light(quota: 1), many = try light(quota: 64)
        for r in [one, many] {
            #expect(try r.metric(.flow, "out", "delivered_packets") == 80)
            #expect(try r.metric(.adapter, "vm/eth0", "send_messages") == 20)
            #expect(try r.metric(.adapter, "vm/eth0", "signals") == 20)
            #expect(try r.metric(.adapter, "vm/eth0", "signals_per_packet") == 0.25)
        }
        #expect(try many.metric(.adapter, "vm/eth0", "vsp_dpcs") == 20)
        #expect(try many.metric(.adapter, "vm/eth0", "vsp_quota_hits") == 0)
        #expect(try one.metric(.adapter, "vm/eth0", "vsp_dpcs") == 80)
        #expect(try one.metric(.adapter, "vm/eth0", "vsp_quota_hits") == 60)
        #expect(try one.metric(.adapter, "vm/eth0", "vsp_budget_hits") == 0)
    }

    @Test func theQuotaAndBudgetAreValidated() {
        // Quota 1…65,536 packets, budget ≥ 1,000 cycles: 0 and 65,537 packets and 999 cycles are each refused at
        // their path; the defaults (64, 100,000) and the bounds pass.
        func paths(_ d: VMBusDrainConfig) -> Set<String> {
            var c = singleVMConfig(
                flow: FlowConfig(name: "out", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(1))))
            c.host.vmbusDrain = d
            return Set(c.validate().map(\.path))
        }
        #expect(paths(VMBusDrainConfig(packetQuota: 0)) == ["host.vmbus_drain.packet_quota"])
        #expect(paths(VMBusDrainConfig(packetQuota: 65_537)) == ["host.vmbus_drain.packet_quota"])
        #expect(paths(VMBusDrainConfig(cycleBudget: Cycles(999))) == ["host.vmbus_drain.cycle_budget"])
        #expect(paths(VMBusDrainConfig()).isEmpty)
        #expect(paths(VMBusDrainConfig(packetQuota: 1, cycleBudget: Cycles(1_000))).isEmpty)
        #expect(paths(VMBusDrainConfig(packetQuota: 65_536)).isEmpty)
        #expect(VMBusDrainConfig() == VMBusDrainConfig(packetQuota: 64, cycleBudget: Cycles(100_000)))
    }
}
