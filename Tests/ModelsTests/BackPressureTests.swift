import SimCore
import Testing

@testable import Models

/// Issue 12, items 1 and 2: a sender's socket, send completions and the 21140's TX-done handling. Each expectation is
/// derived in its comment; the costs are the defaults unless a test says otherwise.
@Suite struct BackPressureTests {
    /// One VM → the external peer, 1,460-B UDP messages at `rate`, the defaults otherwise (one root core).
    func sender(_ kind: AdapterKind, rate: DataRate, socket: SocketOptions = SocketOptions()) -> SimulationConfig {
        var c = singleVMConfig(
            flow: FlowConfig(name: "out", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: rate), socket: socket),
            costs: CostProfile(), kind: kind, duration: .milliseconds(60), warmup: .milliseconds(10))
        c.host.rootCores = [0]
        return c
    }

    @Test func aBlockingSenderHoldsTheEmulatedAdapterAtItsSaturationThroughput() throws {
        // The 21140's 100 Mb/s link carries 1,506-B frames + 20 B preamble/gap ⇒ 8,191 frames/s, 1,460 B of payload
        // each ⇒ 95.7 Mb/s of goodput at most. The worker (≈ 26 k cycles per frame) and the vCPU (≈ 23 k) have room
        // for over 100 k frames/s, so the link is the bound. Offered 1 Gb/s or 10 Gb/s, the sender sleeps on its full
        // socket and the adapter carries the same: goodput within 1 % of each other and of the link's 95.7 Mb/s, no
        // drops. (Before the socket, every offered message paid the guest stack first, each transmit demand waited
        // behind the stack work of later messages, and 10 Gb/s offered carried 41 Mb/s.)
        let low = try runConfig(sender(.emulated, rate: .gigabits(1))).report
        let high = try runConfig(sender(.emulated, rate: .gigabits(10))).report
        let a = try low.metric(.flow, "out", "goodput"), b = try high.metric(.flow, "out", "goodput")
        let link = 100e6 * 1_460 / (1_506 + 20) / 1e9
        #expect(abs(a - b) <= 0.01 * a, "1 Gb/s offered: \(a) Gb/s, 10 Gb/s offered: \(b) Gb/s")
        #expect(abs(b - link) <= 0.01 * link, "\(b) Gb/s against the link's \(link)")
        #expect(try high.metric(.flow, "out", "drops") == 0)
        #expect(try high.metric(.flow, "out", "socket_blocked_share") > 90)
        #expect(try low.metric(.flow, "out", "socket_blocked_share") > 50)
    }

    @Test func aBlockingSenderHoldsTheSyntheticAdapterAtItsSaturationThroughput() throws {
        // One root core runs NetVSP, the vSwitch and the NIC driver for every frame (≈ 6,300 cycles) and saturates
        // near 3e9 / 6,300 ≈ 476 k frames/s (5.6 Gb/s of payload), below the 10 Gb/s wire. Offered 8 Gb/s or 40 Gb/s,
        // the blocking sender keeps that core busy and the goodput is the same within 1 %, with no drops.
        let low = try runConfig(sender(.synthetic, rate: .gigabits(8))).report
        let high = try runConfig(sender(.synthetic, rate: .gigabits(40))).report
        let a = try low.metric(.flow, "out", "goodput"), b = try high.metric(.flow, "out", "goodput")
        #expect(abs(a - b) <= 0.01 * a, "8 Gb/s offered: \(a) Gb/s, 40 Gb/s offered: \(b) Gb/s")
        #expect(try high.metric(.flow, "out", "drops") == 0 && low.metric(.flow, "out", "drops") == 0)
        #expect(try high.metric(.core, "core0", "cpu_utilization") > 99)
        #expect(try high.metric(.flow, "out", "socket_blocked_share") > 50)
    }

    @Test func aNonBlockingSenderDropsAtItsSocket() throws {
        // The same emulated adapter with a non-blocking sender: what the full socket refuses is dropped there
        // (`socket_buffer_full`); what it takes still fills the link (within 1 % of 95.7 Mb/s), and nothing is lost
        // further on (no guest queue or backlog drops).
        let r = try runConfig(sender(.emulated, rate: .gigabits(1), socket: SocketOptions(mode: .drop))).report
        let link = 100e6 * 1_460 / (1_506 + 20) / 1e9
        let b = try r.metric(.flow, "out", "goodput")
        #expect(abs(b - link) <= 0.01 * link, "\(b) Gb/s against the link's \(link)")
        let refused = try r.metric(.flow, "out", "drops.socket_buffer_full")
        // Offered 1 Gb/s ≈ 85.6 k messages/s, carried ≈ 8.2 k/s ⇒ about 90 % refused.
        #expect(refused > 0.85 * (try r.metric(.flow, "out", "sent_packets")), "refused \(refused)")
        #expect(try r.metric(.flow, "out", "drops") == refused)
    }

    @Test func eachSyntheticSendIsCompletedAndInterruptsAnIdleGuest() throws {
        // 10 packets 1 ms apart (1,460 B at 11.68 Mb/s, stop at 9.5 ms), only the signal (1,500) and the SynIC
        // injection (2,500) cost. Each packet is its own send message; NetVSP completes it into the guest's empty
        // receive ring, which interrupts the guest: 10 completions, 10 interrupts (1 per packet sent), and per packet
        // one signal + one interrupt = 4,000 hypervisor cycles.
        var costs = CostProfile.zero
        costs[.signalGuest] = CostModel(fixed: 1_500, source: "test")
        costs[.interruptInjection] = CostModel(fixed: 2_500, source: "test")
        let flow = FlowConfig(
            name: "out", from: .vm("vm"), to: .external(nic: "pnic0"),
            pattern: .constant(rate: DataRate(bitsPerSecond: 11_680_000)), stop: .microseconds(9_500))
        let r = try runConfig(singleVMConfig(flow: flow, costs: costs, duration: .milliseconds(20), warmup: .zero)).report
        #expect(try r.metric(.flow, "out", "delivered_packets") == 10)
        #expect(try r.metric(.adapter, "vm/eth0", "send_completions") == 10)
        #expect(try r.metric(.adapter, "vm/eth0", "interrupts") == 10)
        #expect(try r.metric(.adapter, "vm/eth0", "interrupts_per_packet") == 1)
        #expect(try r.metric(.flow, "out", "hypervisor_cycles") == 40_000)
    }

    @Test func completionsCostTheGuestAndTheHostTheirRingWorkAndHandler() throws {
        // One packet; only ring_write (150 + 1/B), ring_read (150 + 1/B) and vsc_send_completion (300) cost. The
        // guest writes the 136-B descriptor (286) and NetVSP reads it (286); NetVSP writes the 32-B completion (182,
        // root) and the guest reads it (182) and handles it (300). Guest 286 + 182 + 300 = 768, root 286 + 182 = 468.
        var costs = CostProfile.zero
        costs[.ringWrite] = CostModel(fixed: 150, perByte: 1, source: "test")
        costs[.ringRead] = CostModel(fixed: 150, perByte: 1, source: "test")
        costs[.vscSendCompletion] = CostModel(fixed: 300, source: "test")
        let flow = FlowConfig(
            name: "out", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(1)), stop: .microseconds(1))
        let r = try runConfig(singleVMConfig(flow: flow, costs: costs, duration: .milliseconds(1), warmup: .zero)).report
        #expect(try r.metric(.flow, "out", "guest_cycles") == 768)
        #expect(try r.metric(.flow, "out", "root_cycles") == 468)
        #expect(try r.metric(.component, "vsc", "guest_cycles") == 300)
    }

    @Test func theTransmitDoneInterruptComesEverySixteenthFrameUnderLoad() throws {
        // Saturated, the 21140's ring never empties (the socket keeps the driver posting), so the TX-done interrupt
        // comes on every 16th finished descriptor only, never from a suspended transmit process: interrupts per frame
        // ≈ 1/16 (the window's edges may add one). At light load each frame empties the ring: one interrupt per frame
        // (AnalyticTests.emulatedPacketCostsConfiguredAccesses).
        let r = try runConfig(sender(.emulated, rate: .gigabits(1))).report
        let frames = try r.metric(.adapter, "vm/eth0", "send_packets")
        let irq = try r.metric(.adapter, "vm/eth0", "interrupts")
        #expect(abs(irq - frames / 16) <= 2, "\(irq) interrupts for \(frames) frames")
    }
}

/// Issue 12, items 3 and 5: the receive path's host work and the emulated adapter's hand-off to the vSwitch.
@Suite struct ReceivePathCostTests {
    @Test func aSyntheticReceiveCostsTheDescriptorTheCompletionAndTheRepost() throws {
        // One 1,460-B packet from the peer to the VM; only ring_write and ring_read (150 + 1/B), receive_buffer_repost
        // (100), nic_isr (2,000) and nic_dpc (1,000) cost, VMQ off (the default queue on core 0). Root: the NIC's
        // interrupt 2,000 + 1,000; NetVSP writes the 136-B XFER_PAGES descriptor (286); reads the guest's 32-B receive
        // completion (182) and re-posts its section (100) ⇒ 3,568. Guest: reads the descriptor (286) and writes the
        // completion (182) ⇒ 468.
        var costs = CostProfile.zero
        costs[.ringWrite] = CostModel(fixed: 150, perByte: 1, source: "test")
        costs[.ringRead] = CostModel(fixed: 150, perByte: 1, source: "test")
        costs[.receiveBufferRepost] = CostModel(fixed: 100, source: "test")
        costs[.nicISR] = CostModel(fixed: 2_000, source: "test")
        costs[.nicDPC] = CostModel(fixed: 1_000, source: "test")
        let flow = FlowConfig(
            name: "in", from: .external(nic: "pnic0"), to: .vm("vm"), pattern: .constant(rate: .megabits(1)), stop: .microseconds(1))
        let r = try runConfig(singleVMConfig(flow: flow, costs: costs, duration: .milliseconds(1), warmup: .zero)).report
        #expect(try r.metric(.flow, "in", "root_cycles") == 3_568)
        #expect(try r.metric(.flow, "in", "guest_cycles") == 468)
        #expect(try r.metric(.component, "nic_interrupt", "root_cycles") == 3_000)
        #expect(try r.metric(.adapter, "vm/eth0", "receive_completions") == 1)
    }

    @Test func theEmulatedWorkerHandsEachFrameToTheSwitch() throws {
        // One frame each way through a legacy adapter with only worker_switch_handoff costing (1,500 + 1/B): out,
        // 1,500 + 1,506 = 3,006 on the worker's core; the peer's answer-free UDP flow back in, the same. Both billed
        // to the adapter as root work: 6,012.
        var costs = CostProfile.zero
        costs[.workerSwitchHandoff] = CostModel(fixed: 1_500, perByte: 1, source: "test")
        var c = singleVMConfig(
            flow: FlowConfig(
                name: "out", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .megabits(1)), stop: .microseconds(1)),
            costs: costs, kind: .emulated, duration: .milliseconds(1), warmup: .zero)
        c.flows.append(
            FlowConfig(
                name: "in", from: .external(nic: "pnic0"), to: .vm("vm"), pattern: .constant(rate: .megabits(1)), stop: .microseconds(1)))
        let r = try runConfig(c).report
        #expect(try r.metric(.flow, "out", "root_cycles") == 3_006)
        #expect(try r.metric(.flow, "in", "root_cycles") == 3_006)
        #expect(try r.metric(.adapter, "vm/eth0", "root_cycles") == 6_012)
    }
}
