import SimCore
import Testing

@testable import Models

/// Issue 12, item 6 through the host model: a bulk flow's TCP reacts to drops anywhere on its path. The engines'
/// own timelines (slow start, halving, recovery, timeouts) and the Mathis check are in TCPEngineTests.
@Suite struct TCPFlowTests {
    /// A VM sending bulk TCP to the peer over a 1 Gb/s NIC whose transmit queue holds `queue` frames; one-way
    /// propagation 100 µs; every cost zero (the wire is the only bound), LSO off (MSS-sized frames).
    func path(queue: Int, congestion: CongestionControl = .cubic, streams: Int = 1, window: ByteCount = .mebibytes(4)) -> SimulationConfig {
        var c = singleVMConfig(
            flow: FlowConfig(
                name: "bulk", from: .vm("vm"), to: .external(nic: "pnic0"), transport: .tcp,
                pattern: .bulk(window: window, ackEvery: 2, tcp: TCPOptions(congestion: congestion, streams: streams))),
            costs: .zero, link: .gigabits(1), duration: .milliseconds(400), warmup: .milliseconds(100), propagation: .microseconds(100))
        c.nics[0].txQueuePackets = queue
        c.vms[0].adapters[0].offloads.lso = false
        return c
    }

    /// 1,460 B of payload per 1,538 B on the wire (1,514-B frame + FCS + preamble and gap).
    static let linePayloadGbps = 1.0 * 1_460 / 1_538
    /// The most a window can count: the line's payload rate plus one frame (a frame whose wire time began before the
    /// window is counted whole when it arrives inside it): 12.3 µs in 300 ms ⇒ × 1.00005.
    static let linePayloadCeiling = linePayloadGbps * 1.00005

    @Test(arguments: [CongestionControl.newreno, .cubic])
    func queueDropsThrottleTheFlowToTheLink(_ cc: CongestionControl) throws {
        // The 4 MiB receive window is far above the path's bandwidth-delay product (1 Gb/s × 0.2 ms = 25 kB) plus the
        // 32-frame queue, so only the congestion window can keep the queue from overflowing: it does overflow
        // (`nic_tx_queue_full`), TCP finds the losses by duplicate ACKs and backs off, and the wire stays busy.
        // Expected: drops > 0 and fast retransmits > 0; the flow's goodput ≥ 90 % of the line's 0.949 Gb/s; the
        // loss ratio below 1 % (one loss per sawtooth of a few hundred segments). With the old fixed window the flow
        // kept 4 MiB in flight and lost what did not fit every round trip.
        let r = try runConfig(path(queue: 32, congestion: cc)).report
        let goodput = try r.metric(.flow, "bulk", "goodput")
        #expect(goodput >= 0.9 * Self.linePayloadGbps && goodput <= Self.linePayloadCeiling, "\(cc): \(goodput) Gb/s")
        #expect(try r.metric(.flow, "bulk", "drops.nic_tx_queue_full") > 0)
        #expect(try r.metric(.flow, "bulk", "fast_retransmits") > 0)
        #expect(try r.metric(.flow, "bulk", "loss_ratio") < 0.01)
        #expect(r.conservation.holds)
    }

    @Test func aWindowBelowTheQueueNeverDrops() throws {
        // A 16 KiB receive window (11 segments) fits in a 32-frame queue: no drop, no retransmission, and the flow is
        // window-limited at 16 KiB per round trip (0.2 ms + the serialization of the window ≈ 0.33 ms) ≈ 0.4 Gb/s,
        // under the line.
        let r = try runConfig(path(queue: 32, window: .kibibytes(16))).report
        #expect(try r.metric(.flow, "bulk", "drops") == 0)
        #expect(try r.metric(.flow, "bulk", "retransmitted_packets") == 0)
        let goodput = try r.metric(.flow, "bulk", "goodput")
        #expect(goodput > 0.25 && goodput < 0.6, "\(goodput) Gb/s")
    }

    @Test func parallelStreamsShareTheLink() throws {
        // Four streams of one flow through the same 32-frame queue: together they fill the wire (≥ 90 % of the line)
        // and each backs off on its own losses; the flow's congestion window is the four streams' together.
        let r = try runConfig(path(queue: 32, streams: 4)).report
        let goodput = try r.metric(.flow, "bulk", "goodput")
        #expect(goodput >= 0.9 * Self.linePayloadGbps && goodput <= Self.linePayloadCeiling, "\(goodput) Gb/s")
        #expect(try r.metric(.flow, "bulk", "fast_retransmits") >= 4)
        #expect(try r.metric(.flow, "bulk", "congestion_window") >= 4 * 1_460)
    }

    @Test func aLostPathTimesOutAndBacksOff() throws {
        // The VM's adapter is detached at 150 ms for the rest of the run: every segment drops (`detached`), no ACK
        // comes back, and the sender's retransmission timer fires with exponential backoff (RFC 6298 §5.5): from a
        // 300 ms minimum RTO, by the end (400 ms) at most one timeout — not a re-send every 200 µs.
        var c = path(queue: 256, window: .kibibytes(64))
        c.timeline = [TimelineAction(at: .milliseconds(150), .detachAdapter(vm: "vm", adapter: "eth0"))]
        let r = try runConfig(c).report
        let detached = try r.metric(.flow, "bulk", "drops.detached")
        #expect(detached > 0 && detached < 100, "\(detached) segments lost into the detached port")
        #expect(try r.metric(.flow, "bulk", "retransmission_timeouts") <= 1)
    }
}
