import SimCore
import Testing

@testable import Models

/// The TCP engines (TCPSender, TCPReceiver, TCPCongestion, TCPRTOEstimator) driven without the host model: a path
/// with a fixed one-way delay each way and no bottleneck, losses chosen by sequence number or drawn from a seeded
/// stream. Expectations are derived in the comments first; exact where the arithmetic is exact.
@Suite("TCP engines")
struct TCPEngineTests {
    static func ms(_ n: Int64) -> SimTime { .milliseconds(n) }
    static func options(
        _ cc: CongestionControl = .newreno, iw: Int = 10, minRTO: SimTime = .milliseconds(300), delayedACK: SimTime = .milliseconds(200)
    )
        -> TCPOptions
    {
        TCPOptions(congestion: cc, initialWindowSegments: iw, minimumRTO: minRTO, initialRTO: .seconds(1), delayedACKTimeout: delayedACK)
    }

    // MARK: Harness

    /// SplitMix64 (Steele, Lea & Flood 2014): the seeded stream of the Bernoulli loss pattern.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in [0, 1).
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    }

    /// A sender and a receiver joined by a path of `rtt`/2 each way with no bottleneck: what is sent at t arrives at
    /// t + rtt/2, in the order sent (so each direction is a FIFO). The sender's RTO timer is its `rtoDeadline` and the
    /// receiver's delayed-ACK timer its `delayedACKDeadline`. At equal times: ACK arrivals, then data arrivals, then
    /// the RTO, then the delayed ACK. After every event the sender sends all `nextSegment` allows.
    struct Path {
        var sender: TCPSender
        var receiver: TCPReceiver
        let oneWay: SimTime
        var now = SimTime.zero
        var data: [(at: SimTime, segment: TCPSegment)] = []
        var dataHead = 0
        var acks: [(at: SimTime, ack: UInt64)] = []
        var ackHead = 0
        /// Sequence → how many of its next transmissions are lost.
        var dropSequences: [UInt64: Int] = [:]
        /// Every data transmission is lost with this probability, drawn from `rng`.
        var lossRate = 0.0
        var rng = SplitMix64(state: 1)
        /// ACKs sent at or after this time are lost.
        var dropACKsFrom = SimTime.never
        /// When set, every ACK the sender handles: its time, result and the cwnd after it.
        var logging = false
        var log: [(at: SimTime, result: TCPAckResult, cwnd: Int64)] = []
        var timeouts: [SimTime] = []
        var dataLost = 0

        init(_ options: TCPOptions, segmentBytes: Int = 1000, window: Int64, ackEvery: Int = 1, rtt: SimTime) {
            sender = TCPSender(options: options, segmentBytes: segmentBytes, receiveWindow: window)
            receiver = TCPReceiver(options: options, segmentBytes: segmentBytes, ackEvery: ackEvery)
            oneWay = SimTime(picoseconds: rtt.picoseconds / 2)
        }

        mutating func pump() {
            while let s = sender.nextSegment(now: now) {
                if !dropSequences.isEmpty, let n = dropSequences[s.sequence], n > 0 {
                    dropSequences[s.sequence] = n - 1
                    dataLost += 1
                    continue
                }
                if lossRate > 0 && rng.uniform() < lossRate {
                    dataLost += 1
                    continue
                }
                data.append((now + oneWay, s))
            }
        }

        mutating func sendACK(_ a: UInt64) {
            if now < dropACKsFrom { acks.append((now + oneWay, a)) }
        }

        /// Runs every event at or before `limit`.
        mutating func run(until limit: SimTime) {
            if now == .zero && data.isEmpty { pump() }
            while true {
                var t = SimTime.never
                var kind = 0
                if ackHead < acks.count { t = acks[ackHead].at; kind = 1 }
                if dataHead < data.count, data[dataHead].at < t { t = data[dataHead].at; kind = 2 }
                if let d = sender.rtoDeadline, d < t { t = d; kind = 3 }
                if let d = receiver.delayedACKDeadline, d < t { t = d; kind = 4 }
                guard kind != 0, t <= limit else { break }
                now = t
                switch kind {
                case 1:
                    let a = acks[ackHead].ack
                    ackHead += 1
                    let r = sender.onACK(a, now: now)
                    if logging { log.append((now, r, sender.cwnd)) }
                case 2:
                    let s = data[dataHead].segment
                    dataHead += 1
                    if case .now(let a) = receiver.onSegment(sequence: s.sequence, length: s.length, now: now) { sendACK(a) }
                case 3:
                    if sender.onTimeout(now: now) { timeouts.append(now) }
                default:
                    if let a = receiver.onDelayedACKTimer(now: now) { sendACK(a) }
                }
                pump()
            }
        }

        /// The first logged ACK with `which` set.
        func first(_ which: (TCPAckResult) -> Bool) -> (at: SimTime, result: TCPAckResult, cwnd: Int64)? {
            log.first { which($0.result) }
        }
    }

    // MARK: 1. Slow start

    @Test(arguments: [CongestionControl.newreno, .cubic], [1, 2])
    func slowStartDoublesPerRTT(cc: CongestionControl, ackEvery: Int) {
        // IW 10 segments of 1,000 B, RTT 10 ms, no loss, rwnd 1 GiB. Slow start adds min(acked, 2·SMSS) per ACK
        // (ABC, L = 2): with an ACK per segment, +1 segment per ACK; with an ACK per 2 segments, +2 per ACK. Either
        // way a round of W segments gives W more: cwnd after n RTTs = 10·2^n segments, and the window is full
        // (flight = cwnd). Each round holds an even number of segments, so no ACK waits for the delayed-ACK timer.
        var p = Path(Self.options(cc), window: 1 << 30, ackEvery: ackEvery, rtt: Self.ms(10))
        for n in 0...6 {
            p.run(until: Self.ms(10 * Int64(n)))
            let expected = Int64(10 << n) * 1000
            #expect(p.sender.cwnd == expected, "n = \(n)")
            #expect(p.sender.flight == expected, "n = \(n)")
        }
        // 10 + 20 + … + 320 = 630 segments acked by 630/ackEvery ACKs; no retransmission.
        #expect(p.sender.ackedBytes == 630_000)
        #expect(p.receiver.counters.immediateACKs == 630 / ackEvery)
        #expect(p.sender.counters.retransmissions == 0 && p.sender.counters.timeouts == 0)
        #expect(p.sender.ssthresh == .max)
    }

    @Test func slowStartStopsAtTheReceiveWindow() {
        // rwnd 100 segments: 10, 20, 40, 80, then 160 capped at 100, and it stays there (a window the receiver
        // refuses is not grown).
        var p = Path(Self.options(), window: 100_000, rtt: Self.ms(10))
        for (n, segments) in [10, 20, 40, 80, 100, 100, 100].enumerated() {
            p.run(until: Self.ms(10 * Int64(n)))
            #expect(p.sender.cwnd == Int64(segments) * 1000, "n = \(n)")
        }
        #expect(p.sender.flight == 100_000)
    }

    // MARK: 2. One loss

    @Test func oneLossFastRetransmitHalvesNewReno() throws {
        // 1,000-B segments, IW 10, rwnd 20 segments, RTT 10 ms, an ACK per segment. cwnd: 10 at 0, 20 at 10 ms
        // (capped there); each later round sends 20. Round 3 (sent at 30 ms) is segments 50–69; segment 60 is lost.
        // At 40 ms the ACKs of 50–59 send 70–79 (flight 20 segments), then 9 duplicate ACKs (from 61–69): the 3rd
        // starts fast recovery with ssthresh = max(20/2, 2) = 10 segments, cwnd = 10 + 3 = 13, recover = 80; the
        // other 6 inflate cwnd to 19. At 45 ms 70–79 arrive (10 more duplicates) and then the retransmitted 60,
        // which fills the hole: ACK 80. At 50 ms: cwnd 19 + 10 = 29, then the full ACK 80 ends recovery with
        // cwnd = ssthresh = 10 segments. 19 duplicate ACKs, 1 fast retransmit, no timeout.
        var p = Path(Self.options(.newreno), window: 20_000, rtt: Self.ms(10))
        p.dropSequences[60_000] = 1
        p.logging = true
        p.run(until: Self.ms(50))
        let entered = try #require(p.first { $0.enteredRecovery })
        #expect(entered.at == Self.ms(40) && entered.cwnd == 13_000)
        let exited = try #require(p.first { $0.exitedRecovery })
        #expect(exited.at == Self.ms(50) && exited.cwnd == 10_000)
        let beforeExit = try #require(p.log.last { $0.at == Self.ms(50) && $0.result.kind == .duplicate })
        #expect(beforeExit.cwnd == 29_000)
        #expect(p.sender.ssthresh == 10_000)
        let c = p.sender.counters
        #expect(c.duplicateACKs == 19 && c.recoveries == 1 && c.fastRetransmits == 1 && c.retransmissions == 1)
        #expect(c.timeouts == 0 && c.partialACKs == 0)
        // Congestion avoidance: the next round's 10 ACKs add Σ SMSS²/cwnd with cwnd rising from 10,000 to ~11,000:
        // between 10·10⁶/11,000 = 909 and 1,000 bytes (≈ 995), so cwnd ends in 10,900…11,000.
        p.run(until: Self.ms(60))
        #expect((10_900...11_000).contains(p.sender.cwnd), "\(p.sender.cwnd)")
    }

    @Test func oneLossCUBICReducesToSevenTenths() throws {
        // The same path and loss under CUBIC: ssthresh = max(0.7·20, 2) = 14 segments, cwnd = 14 + 3 = 17 at the 3rd
        // duplicate, 17 + 6 + 10 = 33 before the full ACK, 14 after it. W_max = 20 (the window at the loss; no
        // earlier W_max, so no fast convergence), cwnd_prior = 20. The first ACK in congestion avoidance (60 ms)
        // starts the epoch: cwnd_epoch = 14, K = ∛((20 − 14)/0.4) = ∛15 ≈ 2.466 s.
        var p = Path(Self.options(.cubic), window: 20_000, rtt: Self.ms(10))
        p.dropSequences[60_000] = 1
        p.logging = true
        p.run(until: Self.ms(50))
        #expect(try #require(p.first { $0.enteredRecovery }).cwnd == 17_000)
        let exited = try #require(p.first { $0.exitedRecovery })
        #expect(exited.at == Self.ms(50) && exited.cwnd == 14_000)
        #expect(try #require(p.log.last { $0.result.kind == .duplicate }).cwnd == 33_000)
        #expect(p.sender.ssthresh == 14_000)
        #expect(p.sender.congestion.wMax == 20 && p.sender.congestion.cwndPrior == 20)
        p.run(until: Self.ms(60))
        let cc = p.sender.congestion
        #expect(cc.epochStart == Self.ms(60) && cc.cwndEpoch == 14 && cc.plateau == 20)
        #expect(abs(cc.k - 2.466_212_074_330_470) < 1e-9, "\(cc.k)")
    }

    // MARK: 3. Two losses in one window

    @Test func twoLossesOneRecoveryByPartialACK() throws {
        // The path of the one-loss test; segments 60 and 65 are lost. At 40 ms: 8 duplicates (61–64, 66–69): fast
        // recovery at the 3rd (ssthresh 10, cwnd 13, recover 80), cwnd 18 after the 8th. At 45 ms 70–79 arrive (10
        // duplicates), then the retransmitted 60: ACK 65. At 50 ms: cwnd 18 + 10 = 28; the partial ACK 65 (5
        // segments) deflates it to 28 − 5 + 1 = 24 and retransmits 65 at once; flight is 15, rwnd allows 20: 80–84
        // go too. At 55 ms 65 fills the hole (ACK 80), then 80–84 arrive in order. At 60 ms ACK 80 is the full ACK:
        // cwnd = ssthresh = 10 segments. One recovery, two fast retransmits, no timeout (RFC 6582).
        var p = Path(Self.options(.newreno), window: 20_000, rtt: Self.ms(10))
        p.dropSequences[60_000] = 1
        p.dropSequences[65_000] = 1
        p.logging = true
        p.run(until: Self.ms(60))
        #expect(try #require(p.first { $0.enteredRecovery }).at == Self.ms(40))
        let partial = try #require(p.first { $0.partialACK })
        #expect(partial.at == Self.ms(50) && partial.cwnd == 24_000 && partial.result.ackedBytes == 5_000)
        let exited = try #require(p.first { $0.exitedRecovery })
        #expect(exited.at == Self.ms(60) && exited.cwnd == 10_000)
        let c = p.sender.counters
        #expect(c.recoveries == 1 && c.partialACKs == 1 && c.fastRetransmits == 2 && c.retransmissions == 2)
        #expect(c.timeouts == 0)
        #expect(p.sender.ssthresh == 10_000)
    }

    // MARK: 4. Retransmission timeout

    @Test func lostRetransmissionTimesOutAtTheComputedRTOAndBacksOff() throws {
        // IW 4 = rwnd 4 segments (no growth), RTT 100 ms, min RTO 1 ms. Samples (one timed segment per round):
        // 100 ms at 100 ms → SRTT 100, RTTVAR 50, RTO = 100 + 4·50 = 300 ms; 100 ms at 200 ms → RTTVAR =
        // ¾·50 + ¼·0 = 37.5, RTO = 100 + 150 = 250 ms. The ACKs at 200 ms restart the timer: deadline 450 ms.
        // Segment 8 (sent at 200 ms) is lost, and so are its fast retransmission (300 ms, after the duplicates from
        // 9–11: ssthresh max(4/2, 2) = 2 segments) and its first go-back-N resend. The retransmission does not
        // restart the running timer (RFC 6298 5.1): timeout 1 at 450 ms (cwnd 1 segment, ssthresh 2, RTO 500 ms),
        // timeout 2 at 950 ms (ssthresh held, RTO 1,000 ms). The resend at 950 ms arrives: ACK 12 at 1,050 ms
        // (segments 9–11 were held), no sample (Karn), slow start by the 4 segments acked (byte counting), capped at
        // rwnd: 4 segments; segment 12 is timed and its ACK at
        // 1,150 ms gives RTTVAR = ¾·37.5 = 28.125, RTO = 100 + 112.5 = 212.5 ms, the backoff cleared.
        var p = Path(Self.options(.newreno, iw: 4, minRTO: Self.ms(1)), window: 4_000, rtt: Self.ms(100))
        p.dropSequences[8_000] = 3
        p.run(until: Self.ms(100))
        #expect(p.sender.srtt == Self.ms(100) && p.sender.rto == Self.ms(300))
        p.run(until: Self.ms(200))
        #expect(p.sender.rto == Self.ms(250) && p.sender.rtoDeadline == Self.ms(450))
        p.run(until: Self.ms(449))
        #expect(p.sender.counters.fastRetransmits == 1 && p.timeouts.isEmpty)
        p.run(until: Self.ms(450))
        #expect(p.timeouts == [Self.ms(450)])
        #expect(p.sender.cwnd == 1_000 && p.sender.ssthresh == 2_000 && p.sender.rto == Self.ms(500))
        #expect(!p.sender.inRecovery && p.sender.rtoDeadline == Self.ms(950))
        p.run(until: Self.ms(1_050))
        #expect(p.timeouts == [Self.ms(450), Self.ms(950)])
        #expect(p.sender.ssthresh == 2_000 && p.sender.rto == Self.ms(1_000))
        #expect(p.sender.ackedBytes == 12_000 && p.sender.cwnd == 4_000 && p.sender.counters.rttSamples == 2)
        p.run(until: Self.ms(1_150))
        #expect(p.sender.rto == SimTime(picoseconds: 212_500_000_000))
        #expect(p.sender.estimator.backoffs == 0 && p.sender.counters.rttSamples == 3)
        let c = p.sender.counters
        #expect(c.timeouts == 2 && c.recoveries == 1 && c.fastRetransmits == 1 && c.retransmissions == 3)
    }

    @Test func lostACKsTimeOutAtTheMinimumRTO() {
        // RTT 10 ms, IW = rwnd = 10 segments, min RTO 300 ms. One sample (10 ms at 10 ms): RTO = 10 + 4·5 = 30 ms,
        // raised to 300 ms. Every ACK from 15 ms on is lost, so the last restart was at 10 ms: timeouts at
        // 10 + 300 = 310 ms, then 310 + 600 = 910 ms, then 910 + 1,200 = 2,110 ms (the RTO doubles each time).
        // ssthresh comes from the first timeout's flight (10 segments): 5 segments; the repeats hold it (their flight,
        // the one resent segment, would give 2).
        var p = Path(Self.options(.newreno, iw: 10), window: 10_000, rtt: Self.ms(10))
        p.dropACKsFrom = Self.ms(15)
        p.run(until: Self.ms(3_000))
        #expect(p.timeouts == [Self.ms(310), Self.ms(910), Self.ms(2_110)])
        #expect(p.sender.rto == Self.ms(2_400) && p.sender.cwnd == 1_000)
        #expect(p.sender.ssthresh == 5_000 && p.sender.flight == 1_000)
        #expect(p.sender.counters.retransmissions == 3 && p.sender.counters.segmentsSent == 10 + 10 + 3)
    }

    @Test func rtoEstimatorFollowsRFC6298() {
        // initial 1 s; samples 100, 100, 200 ms: SRTT 100 / RTTVAR 50 (RTO 300); RTTVAR 37.5 (RTO 250); then
        // RTTVAR = ¾·37.5 + ¼·100 = 53.125 and SRTT = ⅞·100 + ⅛·200 = 112.5 → RTO = 112.5 + 212.5 = 325 ms.
        var e = TCPRTOEstimator(initialRTO: .seconds(1), minimumRTO: Self.ms(200))
        #expect(e.rto == .seconds(1) && e.srtt == nil)
        e.addSample(Self.ms(100))
        #expect(e.rto == Self.ms(300))
        e.addSample(Self.ms(100))
        #expect(e.rto == Self.ms(250))
        e.addSample(Self.ms(200))
        #expect(e.srtt == SimTime(picoseconds: 112_500_000_000) && e.rto == Self.ms(325))
        // A constant 1 ms RTT drives RTTVAR to 0: RTO = SRTT + G = 2 ms, below the 200 ms floor → 200 ms.
        for _ in 0..<200 { e.addSample(Self.ms(1)) }
        #expect(e.rto == Self.ms(200))
        // Backoff doubles to the 60 s ceiling: 0.2 · 2^9 = 102.4 s → 60 s at the 9th; a sample clears it.
        for i in 1...9 {
            e.backOff()
            #expect(e.rto == (i < 9 ? Self.ms(200) * Int64(1 << i) : .seconds(60)), "i = \(i)")
        }
        e.addSample(Self.ms(1))
        #expect(e.rto == Self.ms(200) && e.backoffs == 0)
        // Samples above 60 s: RTO capped at 60 s.
        var big = TCPRTOEstimator(initialRTO: .seconds(1), minimumRTO: Self.ms(1))
        big.addSample(.seconds(50))
        #expect(big.rto == .seconds(60))
    }

    // MARK: 5. CUBIC

    @Test func cubicFollowsTheCubicCurveToWMax() throws {
        // IW 100, RTT 100 ms, rwnd 1 GiB; segment 50 of the first window is lost. At 100 ms the ACKs of 0–49 grow
        // cwnd to 150 (slow start) and send 100–199; the 3rd duplicate then finds cwnd = flight = 150: W_max = 150,
        // ssthresh = 0.7·150 = 105 segments, and the full ACK leaves cwnd = 105. The epoch starts at the next ACK:
        // K = ∛((150 − 105)/0.4) = ∛112.5 ≈ 4.827 s. Then W(t) = 0.4·(t − K)³ + 150 segments, and cwnd, which
        // heads for W(t + RTT) each ACK, stays within [W(t) − 1, W(t + RTT) + 1] (measured right after each round)
        // — concave below W_max, flat at t = K (there W(t) = W_max: within a segment), convex after. The
        // Reno-friendly estimate (105 + 0.53 per RTT, ≈ 131 at K) stays below W(t) throughout.
        var p = Path(Self.options(.cubic, iw: 100), window: 1 << 30, rtt: Self.ms(100))
        p.dropSequences[50_000] = 1
        p.run(until: Self.ms(300))
        let cc = p.sender.congestion
        let start = try #require(cc.epochStart)
        #expect(cc.wMax == 150 && p.sender.ssthresh == 105_000 && cc.cwndEpoch == 105)
        let k = 4.827_446_923_028_148
        #expect(abs(cc.k - k) < 1e-9, "\(cc.k)")
        func w(_ t: Double) -> Double { 0.4 * (t - k) * (t - k) * (t - k) + 150 }
        var checked = 0
        var atK = 0.0
        // Rounds arrive at whole multiples of 100 ms; read cwnd after each, up to t = 1.5 K.
        var round = start
        while (round - start).seconds <= 1.5 * k {
            p.run(until: round)
            let t = (round - start).seconds
            let segments = Double(p.sender.cwnd) / 1000
            #expect(segments >= w(t) - 1 && segments <= w(t + 0.1) + 1, "t = \(t): cwnd \(segments), W \(w(t))")
            if abs(t - k) < 0.05 { atK = segments }
            checked += 1
            round = round + Self.ms(100)
        }
        #expect(checked > 70)
        #expect(abs(atK - 150) <= 1, "cwnd at K: \(atK)")
        #expect(p.sender.counters.timeouts == 0 && p.sender.counters.recoveries == 1)
    }

    @Test func cubicIsRenoFriendlyWhenTheRTTIsSmall() throws {
        // RTT 1 ms, IW 20; segment 10 of the first window is lost. At 1 ms the ACKs of 0–9 grow cwnd to 30 and the
        // 3rd duplicate finds flight 30: W_max = cwnd_prior = 30, ssthresh = 21. After the full ACK cwnd = 21 and the
        // epoch starts: K = ∛(9/0.4) ≈ 2.82 s, so over the next 10 ms W_cubic rises by only ≈ 3·0.4·K²·0.01 ≈ 0.1
        // segment, while W_est grows α = 3·0.3/1.7 ≈ 0.529 segment per RTT (an ACK per segment: Σ acked/cwnd ≈ 1
        // per round, a little less since only ⌊cwnd⌋ segments fit). cwnd follows W_est (the Reno-friendly region):
        // after the rounds at start, start + 1 ms, …, start + n ms (n + 1 of them) ≈ 21 + 0.529·(n + 1), within a
        // segment; NewReno would be at 21 + (n + 1), and the cubic curve alone at ≈ 21.
        var p = Path(Self.options(.cubic, iw: 20), window: 1 << 30, rtt: Self.ms(1))
        p.dropSequences[10_000] = 1
        p.run(until: Self.ms(3))
        let start = try #require(p.sender.congestion.epochStart)
        #expect(p.sender.congestion.wMax == 30 && p.sender.congestion.cwndEpoch == 21)
        let n = 10
        p.run(until: start + Self.ms(Int64(n)))
        let segments = Double(p.sender.cwnd) / 1000
        let expected = 21 + TCPCongestion.cubicAlpha * Double(n + 1)
        #expect(abs(segments - expected) <= 1, "cwnd \(segments), expected \(expected)")
        let cc = p.sender.congestion
        #expect(segments > cc.cubicWindow(at: 0.011) + 3)
        #expect(abs(cc.wEst - segments) < 0.01)
    }

    @Test func fastConvergenceLowersWMax() {
        // A second loss below the previous W_max: W_max = cwnd·(1 + 0.7)/2 (RFC 9438 §4.7). Driven directly:
        // cwnd 100 segments → loss: W_max 100; full ACK: cwnd 70; a loss at 80 < 100 → W_max = 80·0.85 = 68.
        var c = TCPCongestion(algorithm: .cubic, segmentBytes: 1000, initialWindowSegments: 100, receiveWindow: 1 << 30)
        c.enterFastRecovery(flight: 100_000)
        #expect(c.wMax == 100 && c.ssthresh == 70_000)
        c.exitFastRecovery()
        #expect(c.cwnd == 70_000)
        var t = SimTime.zero
        while c.cwnd < 80_000 {
            t += .milliseconds(10)
            c.grow(ackedBytes: 1000, now: t, rtt: .milliseconds(100))
        }
        let before = Double(c.cwnd) / 1000
        c.enterFastRecovery(flight: c.cwnd)
        #expect(abs(c.wMax - before * 0.85) < 1e-9)
    }

    @Test func cubicTimeoutForgetsWMax() {
        // A timeout at cwnd = flight = 100 segments: ssthresh = 0.7·100 = 70, cwnd 1, W_max forgotten (RFC 9438
        // §4.8). Slow start (+1 segment per 1-segment ACK) to 70; the first ACK in congestion avoidance starts an
        // epoch with K = 0 and the curve's plateau at the cwnd it starts from (70): W(t) = 0.4·t³ + 70.
        var c = TCPCongestion(algorithm: .cubic, segmentBytes: 1000, initialWindowSegments: 100, receiveWindow: 1 << 30)
        c.retransmissionTimeout(flight: 100_000, repeated: false)
        #expect(c.cwnd == 1_000 && c.ssthresh == 70_000 && c.wMax == 0 && c.cwndPrior == 100)
        var t = SimTime.zero
        while c.inSlowStart {
            c.grow(ackedBytes: 1000, now: t, rtt: .milliseconds(100))
        }
        #expect(c.cwnd == 70_000 && c.epochStart == nil)
        t += .milliseconds(1)
        c.grow(ackedBytes: 1000, now: t, rtt: .milliseconds(100))
        #expect(c.epochStart == t && c.k == 0 && c.plateau == 70 && c.cwndEpoch == 70)
        // A repeated timeout holds ssthresh (RFC 5681 §3.1), for NewReno as for CUBIC.
        c.retransmissionTimeout(flight: 1_000, repeated: true)
        #expect(c.ssthresh == 70_000 && c.cwnd == 1_000)
        var r = TCPCongestion(algorithm: .newreno, segmentBytes: 1000, initialWindowSegments: 20, receiveWindow: 1 << 30)
        r.retransmissionTimeout(flight: 20_000, repeated: false)
        r.retransmissionTimeout(flight: 1_000, repeated: true)
        #expect(r.ssthresh == 10_000 && r.cwnd == 1_000)
    }

    @Test func cubeRootIsExact() {
        for (x, r) in [(27.0, 3.0), (1.0, 1.0), (0.001, 0.1), (1e9, 1000.0), (15.0, 2.466_212_074_330_470)] {
            #expect(abs(cubeRoot(x) - r) <= 4 * r.ulp, "∛\(x) = \(cubeRoot(x))")
        }
        #expect(cubeRoot(0) == 0)
    }

    // MARK: 6. Receiver

    @Test func delayedACKTiming() {
        // ack every 2, 200 ms: segment 0 at 0 → delayed to 200 ms; segment 1 at 1 ms → ACK 2 now (the timer no
        // longer owes anything: a stale fire at 200 ms returns nil); segment 2 at 10 ms → delayed to 210 ms; the
        // timer at 210 ms ACKs 3.
        var r = TCPReceiver(options: Self.options(), segmentBytes: 1000, ackEvery: 2)
        #expect(r.onSegment(sequence: 0, length: 1000, now: .zero) == .delayed(deadline: Self.ms(200)))
        #expect(r.onSegment(sequence: 1000, length: 1000, now: Self.ms(1)) == .now(ack: 2000))
        #expect(r.onDelayedACKTimer(now: Self.ms(200)) == nil)
        #expect(r.onSegment(sequence: 2000, length: 1000, now: Self.ms(10)) == .delayed(deadline: Self.ms(210)))
        #expect(r.onDelayedACKTimer(now: Self.ms(209)) == nil)
        #expect(r.onDelayedACKTimer(now: Self.ms(210)) == 3000)
        #expect(r.onDelayedACKTimer(now: Self.ms(211)) == nil)
        // ack every 3: the first segment's deadline stands for the second (.none), the third ACKs at once.
        var r3 = TCPReceiver(options: Self.options(), segmentBytes: 1000, ackEvery: 3)
        #expect(r3.onSegment(sequence: 0, length: 1000, now: .zero) == .delayed(deadline: Self.ms(200)))
        #expect(r3.onSegment(sequence: 1000, length: 1000, now: Self.ms(50)) == .none)
        #expect(r3.delayedACKDeadline == Self.ms(200))
        #expect(r3.onSegment(sequence: 2000, length: 1000, now: Self.ms(60)) == .now(ack: 3000))
        #expect(r3.delayedACKDeadline == nil)
        // A short segment counts for nothing but still owes an ACK by the timer.
        #expect(r3.onSegment(sequence: 3000, length: 10, now: Self.ms(70)) == .delayed(deadline: Self.ms(270)))
        #expect(r3.unacknowledgedSegments == 0)
        // A coalesced segment (RSC) of 3 full segments counts 3: with ack every 2, an ACK at once.
        var rc = TCPReceiver(options: Self.options(), segmentBytes: 1000, ackEvery: 2)
        #expect(rc.onSegment(sequence: 0, length: 3000, now: .zero) == .now(ack: 3000))
        // delayed_ack 0: every segment at once.
        var r0 = TCPReceiver(options: Self.options(delayedACK: .zero), segmentBytes: 1000, ackEvery: 2)
        #expect(r0.onSegment(sequence: 0, length: 1000, now: .zero) == .now(ack: 1000))
        #expect(r0.onSegment(sequence: 1000, length: 1000, now: .zero) == .now(ack: 2000))
        #expect(r.counters.delayedACKs == 1 && r.counters.immediateACKs == 1)
    }

    @Test func holesGetImmediateACKsAndMerge() {
        // 0 in order (delayed); 2 and 3 out of order → duplicate ACKs of 1 at once, held as [2, 4); 5 → [2, 4) [5, 6);
        // 4 touches both → [2, 6); 1 fills the hole → ACK 6 at once, nothing held. 0 again → an old duplicate: ACK 6.
        var r = TCPReceiver(options: Self.options(), segmentBytes: 1000, ackEvery: 2)
        #expect(r.onSegment(sequence: 0, length: 1000, now: .zero) == .delayed(deadline: Self.ms(200)))
        #expect(r.onSegment(sequence: 2000, length: 1000, now: Self.ms(1)) == .now(ack: 1000))
        #expect(r.delayedACKDeadline == nil)
        #expect(r.onSegment(sequence: 3000, length: 1000, now: Self.ms(2)) == .now(ack: 1000))
        #expect(r.outOfOrderRanges == [2000..<4000])
        #expect(r.onSegment(sequence: 5000, length: 1000, now: Self.ms(3)) == .now(ack: 1000))
        #expect(r.outOfOrderRanges == [2000..<4000, 5000..<6000])
        #expect(r.onSegment(sequence: 4000, length: 1000, now: Self.ms(4)) == .now(ack: 1000))
        #expect(r.outOfOrderRanges == [2000..<6000])
        #expect(r.onSegment(sequence: 1000, length: 1000, now: Self.ms(5)) == .now(ack: 6000))
        #expect(r.outOfOrderRanges.isEmpty && r.deliveredBytes == 6000)
        #expect(r.onSegment(sequence: 0, length: 1000, now: Self.ms(6)) == .now(ack: 6000))
        // Overlapping out-of-order data merges too; a segment straddling rcv_nxt counts as in order.
        #expect(r.onSegment(sequence: 8000, length: 2000, now: Self.ms(7)) == .now(ack: 6000))
        #expect(r.onSegment(sequence: 9000, length: 2000, now: Self.ms(8)) == .now(ack: 6000))
        #expect(r.outOfOrderRanges == [8000..<11000])
        #expect(r.onSegment(sequence: 5500, length: 3000, now: Self.ms(9)) == .now(ack: 11000))
        let c = r.counters
        #expect(c.segments == 10 && c.outOfOrder == 6 && c.duplicates == 1 && c.discarded == 0)
    }

    @Test func fullOutOfOrderStoreDiscards() {
        // Capacity 2: 2 and 4 are held; 6 needs a third slot → discarded (counted), the duplicate ACK still goes; 3
        // touches both held ranges → merged into [2, 5) without a slot; now 6 fits. 1 fills the hole up to 5.
        var r = TCPReceiver(options: Self.options(), segmentBytes: 1000, ackEvery: 2, outOfOrderCapacity: 2)
        let store = r.ranges.withUnsafeBufferPointer { $0.baseAddress }
        #expect(r.onSegment(sequence: 2000, length: 1000, now: .zero) == .now(ack: 0))
        #expect(r.onSegment(sequence: 4000, length: 1000, now: .zero) == .now(ack: 0))
        #expect(r.onSegment(sequence: 6000, length: 1000, now: .zero) == .now(ack: 0))
        #expect(r.counters.discarded == 1 && r.outOfOrderRanges == [2000..<3000, 4000..<5000])
        #expect(r.onSegment(sequence: 3000, length: 1000, now: .zero) == .now(ack: 0))
        #expect(r.outOfOrderRanges == [2000..<5000])
        #expect(r.onSegment(sequence: 6000, length: 1000, now: .zero) == .now(ack: 0))
        #expect(r.outOfOrderRanges == [2000..<5000, 6000..<7000])
        #expect(r.onSegment(sequence: 0, length: 2000, now: .zero) == .now(ack: 5000))
        #expect(r.outOfOrderRanges == [6000..<7000] && r.counters.discarded == 1)
        // The store is the one made at init: never reallocated (nothing allocates per segment).
        #expect(r.ranges.withUnsafeBufferPointer { $0.baseAddress } == store && r.outOfOrderCapacity == 2)
    }

    // MARK: 7. Mathis

    @Test(arguments: [(0.01, 1, 3_000), (0.001, 1, 4_000), (0.01, 2, 3_000)])
    func throughputFollowsMathis(p: Double, ackEvery: Int, rounds: Int) {
        // Mathis et al. 1997: throughput = (MSS/RTT)·C/√p, C = √(3/(2b)) for a window growing 1/b segment per RTT:
        // byte counting (RFC 3465) grows it by one segment per RTT whatever the ACK ratio, so b = 1 and C = √(3/2) ≈
        // 1.22 with an ACK per segment and per two alike. 1,000-B segments, RTT 100 ms, rwnd 1 GiB, each data
        // transmission lost with probability p (SplitMix64, seeded). Expected p = 1 %: 12.2 segments per RTT
        // (122 kB/s), with delayed ACKs too (a 1 ms delayed-ACK timer, so a round's odd last segment does not wait
        // 2 RTTs); p = 0.1 %: 38.7 (387 kB/s). Measured after 100 warm-up RTTs, within ±25 % (the model is periodic
        // loss, this is Bernoulli loss with NewReno recovery and the odd timeout).
        let c = 1.5.squareRoot()
        let expected = 1000.0 / 0.1 * c / p.squareRoot()
        for seed: UInt64 in [1, 2] {
            var path = Path(Self.options(.newreno, delayedACK: Self.ms(1)), window: 1 << 30, ackEvery: ackEvery, rtt: Self.ms(100))
            path.lossRate = p
            path.rng = SplitMix64(state: seed)
            path.run(until: Self.ms(100 * 100))
            let d0 = path.receiver.deliveredBytes
            path.run(until: Self.ms(100 * Int64(rounds)))
            let measured = Double(path.receiver.deliveredBytes - d0) / (Double(rounds - 100) * 0.1)
            #expect(abs(measured / expected - 1) <= 0.25, "seed \(seed), p \(p): \(measured) B/s vs \(expected)")
            #expect(path.sender.counters.recoveries > 20, "seed \(seed)")
        }
    }

    // MARK: Allocation-free layout

    @Test func senderIsAPlainValue() {
        // No references in the sender (nothing to retain or allocate per call); the receiver holds one array.
        #expect(_isPOD(TCPSender.self) && _isPOD(TCPCongestion.self) && _isPOD(TCPRTOEstimator.self))
        #expect(_isPOD(TCPSegment.self) && _isPOD(TCPAckResult.self) && _isPOD(TCPAckDecision.self))
    }
}
