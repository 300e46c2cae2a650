import SimCore

// The congestion state of one TCP connection (a bulk flow's stream) and its retransmission-timeout estimator. Pure
// values with no references: the sender (TCPSender.swift) owns one of each and drives them.

// MARK: - RTO estimator

/// The retransmission timeout of one connection, estimated as RFC 6298 §2 says.
///
/// - Before the first sample: RTO = `initialRTO` (RFC 6298 §2.1: 1 s; `TCPOptions.initialRTO`).
/// - The first sample R: SRTT = R, RTTVAR = R/2 (§2.2). Each later sample R′: RTTVAR = ¾·RTTVAR + ¼·|SRTT − R′|,
///   then SRTT = ⅞·SRTT + ⅛·R′ (§2.3, β = ¼, α = ⅛; RTTVAR first, from the old SRTT). Integer picoseconds, each
///   division rounding down.
/// - RTO = SRTT + max(G, 4·RTTVAR), clamped to [`minimumRTO`, 60 s] (§2.4's 1 s floor is `TCPOptions.minimumRTO`:
///   Windows uses 300 ms, Linux 200 ms; §2.5 allows a 60 s ceiling).
/// - ``backOff()`` (a timeout) doubles the RTO, to at most 60 s (§5.5). The backed-off value stands until the next
///   sample recomputes it from SRTT and RTTVAR (Karn's algorithm, RFC 6298 §3: the caller never samples a
///   retransmitted segment).
@usableFromInline struct TCPRTOEstimator: Sendable, Equatable {
    /// RFC 6298's clock granularity G. An assumption: the simulator measures RTTs exactly, so on a path whose RTT
    /// never varies RTTVAR decays to 0 and G alone keeps the RTO above the RTT; real stacks' TCP timers tick in
    /// milliseconds (Windows and Linux keep RTTs in ms or µs and time out on ms-class ticks), so G is 1 ms.
    @usableFromInline static let clockGranularity = SimTime.milliseconds(1)
    /// The largest RTO (RFC 6298 §2.5: at least 60 s).
    @usableFromInline static let maximumRTO = SimTime.seconds(60)

    @usableFromInline let minimumRTO: SimTime
    /// The smoothed RTT, nil before the first sample.
    @usableFromInline private(set) var srtt: SimTime?
    /// The RTT variation (0 before the first sample).
    @usableFromInline private(set) var rttvar: SimTime = .zero
    /// The current retransmission timeout (backed off after timeouts).
    @usableFromInline private(set) var rto: SimTime
    /// Timeouts since the last sample (each doubled the RTO).
    @usableFromInline private(set) var backoffs = 0
    /// RTT samples taken.
    @usableFromInline private(set) var samples = 0

    /// - Precondition: `minimumRTO` > 0 and `initialRTO` ≥ `minimumRTO` (the validator keeps both in 1 ms…60 s).
    @inlinable init(initialRTO: SimTime, minimumRTO: SimTime) {
        precondition(minimumRTO > .zero && initialRTO >= minimumRTO, "TCPRTOEstimator: need 0 < minimumRTO ≤ initialRTO")
        self.minimumRTO = minimumRTO
        self.rto = Swift.min(initialRTO, Self.maximumRTO)
    }

    /// Takes one RTT measurement `r` (of a segment sent once) and recomputes the RTO, clearing any backoff.
    /// - Precondition: `r` ≥ 0.
    @inlinable mutating func addSample(_ r: SimTime) {
        precondition(r >= .zero, "TCPRTOEstimator.addSample: a negative RTT")
        if let s = srtt {
            let delta = SimTime(picoseconds: abs(s.picoseconds - r.picoseconds))
            rttvar = SimTime(picoseconds: (3 * rttvar.picoseconds + delta.picoseconds) / 4)
            srtt = SimTime(picoseconds: (7 * s.picoseconds + r.picoseconds) / 8)
        } else {
            srtt = r
            rttvar = SimTime(picoseconds: r.picoseconds / 2)
        }
        samples += 1
        backoffs = 0
        let variation = Swift.max(Self.clockGranularity, SimTime(picoseconds: 4 * rttvar.picoseconds))
        rto = Swift.min(Swift.max(srtt!.addingSaturated(variation), minimumRTO), Self.maximumRTO)
    }

    /// A retransmission timeout: the RTO doubles, to at most 60 s (RFC 6298 §5.5).
    @inlinable mutating func backOff() {
        backoffs += 1
        rto = rto.picoseconds >= Self.maximumRTO.picoseconds / 2 ? Self.maximumRTO : rto * 2
    }
}

// MARK: - Congestion control

/// The congestion window of one connection under NewReno or CUBIC, in bytes, counted in segments of the
/// connection's fixed segment size (SMSS below; an LSO super-segment counts as one segment).
///
/// The sender calls ``grow(ackedBytes:now:rtt:)`` for every ACK of new data outside fast recovery, and the loss
/// hooks (``enterFastRecovery(flight:)``, ``inflate()``, ``deflate(partiallyAcked:)``, ``exitFastRecovery()``,
/// ``retransmissionTimeout(flight:repeated:)``) as RFC 5681 and RFC 6582 order them.
///
/// Growth:
/// - Slow start (cwnd < ssthresh), both algorithms: cwnd += acked bytes per ACK — byte counting (RFC 3465; RFC 5681
///   §3.1 allows it) without RFC 3465's per-ACK limit L, as Linux's `tcp_slow_start` counts every segment acked:
///   the model's ACKs of LSO super-segments and coalesced (RSC) receives cover many segments each, and L = 2 would
///   starve slow start where a real stack's would double per RTT.
/// - NewReno congestion avoidance: cwnd += SMSS·acked/cwnd per ACK (RFC 5681 §3.1 eq. 3 with byte counting,
///   RFC 3465 §2.1, as Linux's `tcp_cong_avoid_ai` counts segments acked), the remainder carried exactly to the
///   next ACK (so no growth is lost to rounding): +1 SMSS per RTT whatever the ACK ratio.
/// - CUBIC congestion avoidance (RFC 9438 §4.2–4.5, in segments and seconds): an epoch starts at the first ACK in
///   congestion avoidance, with cwnd_epoch = cwnd, W_max′ = max(W_max, cwnd_epoch) and
///   K = ∛((W_max′ − cwnd_epoch)/C) (0 when cwnd_epoch ≥ W_max); W_cubic(t) = C·(t − K)³ + W_max′ with t the time
///   since the epoch began. Per ACK: target = W_cubic(t + SRTT) clamped to [cwnd, 1.5·cwnd]; the Reno-friendly
///   estimate W_est (from cwnd_epoch) += α·acked/cwnd with α = 3(1 − β)/(1 + β), or 1 once W_est ≥ cwnd_prior
///   (§4.3); if W_cubic(t) < W_est, cwnd = max(cwnd, W_est) (the Reno-friendly region), else
///   cwnd += acked·(target − cwnd)/cwnd, at most to target (concave and convex regions, §4.4–4.5; scaled by the
///   segments the ACK covers, as Linux does, so the curve does not depend on the ACK ratio). C = 0.4, β = 0.7.
/// - The window never grows past the receive window (a window the receiver would refuse cannot be used; RFC 7661's
///   concern about an unvalidated window, Linux's `tcp_is_cwnd_limited`), but an initial window above it stands.
///
/// Loss:
/// - Fast retransmit: ssthresh = max(FlightSize/2, 2·SMSS) (RFC 5681 eq. 4) or, for CUBIC,
///   max(FlightSize·β, 2·SMSS) (RFC 9438 §4.6); cwnd = ssthresh + 3·SMSS (RFC 6582 §3.2 step 3). CUBIC also sets
///   W_max = cwnd before the reduction, or cwnd·(1 + β)/2 if that is below the previous W_max (fast convergence,
///   §4.7), and cwnd_prior = cwnd.
/// - Each further duplicate ACK inflates cwnd by SMSS; a partial ACK deflates it by the bytes acked, adding SMSS back
///   if at least SMSS was acked (RFC 6582 step 5); the full ACK sets cwnd = ssthresh (step 6's second option).
/// - Timeout: ssthresh as for fast retransmit, held if this is a repeated timeout of the same segment (RFC 5681
///   §3.1); cwnd = 1·SMSS (the loss window). CUBIC forgets W_max: the first epoch after a timeout starts with K = 0
///   and W_max = the cwnd it starts at (RFC 9438 §4.8).
@usableFromInline struct TCPCongestion: Sendable {
    /// CUBIC's C (segments/s³) and β (RFC 9438 §5.1, §4.6); β as the exact fraction 7/10 for byte arithmetic.
    @usableFromInline static let cubicC = 0.4
    @usableFromInline static let cubicBeta = 0.7
    @usableFromInline static let cubicBetaNumerator: Int64 = 7, cubicBetaDenominator: Int64 = 10
    /// CUBIC's Reno-friendly additive increase α_cubic = 3(1 − β)/(1 + β) ≈ 0.529 (RFC 9438 §4.3).
    @usableFromInline static let cubicAlpha = 3 * (1 - cubicBeta) / (1 + cubicBeta)

    @usableFromInline let algorithm: CongestionControl
    /// SMSS: the segment size in bytes.
    @usableFromInline let segmentBytes: Int64
    /// The receiver's window in bytes (cwnd does not grow past it).
    @usableFromInline let receiveWindow: Int64
    /// The congestion window in bytes (≥ 1 segment).
    @usableFromInline private(set) var cwnd: Int64
    /// The slow-start threshold in bytes; `Int64.max` (unbounded) until the first loss (RFC 5681 §3.1).
    @usableFromInline private(set) var ssthresh: Int64 = .max
    /// NewReno's congestion-avoidance remainder: SMSS² numerators not yet worth a whole byte of cwnd.
    @usableFromInline var avoidanceCarry: Int64 = 0
    /// CUBIC's remainder of a byte (cwnd is whole bytes; the curve is not).
    @usableFromInline var cubicCarry: Double = 0

    // CUBIC state, in segments and seconds.
    /// W_max: the window before the last reduction (0: none yet, or forgotten by a timeout).
    @usableFromInline private(set) var wMax: Double = 0
    /// cwnd_prior: the window at the last reduction (W_est ≥ it switches α to 1).
    @usableFromInline private(set) var cwndPrior: Double = 0
    /// When the current congestion-avoidance epoch began; nil until the first ACK in congestion avoidance after a
    /// reduction (or the start).
    @usableFromInline private(set) var epochStart: SimTime?
    /// The epoch's cwnd_epoch, its plateau W_max′ (the curve's origin) and K (seconds).
    @usableFromInline private(set) var cwndEpoch: Double = 0
    @usableFromInline private(set) var plateau: Double = 0
    @usableFromInline private(set) var k: Double = 0
    /// The Reno-friendly estimate W_est.
    @usableFromInline private(set) var wEst: Double = 0

    /// - Precondition: `segmentBytes` ≥ 1, `initialWindowSegments` ≥ 1, `receiveWindow` ≥ 1.
    @inlinable init(algorithm: CongestionControl, segmentBytes: Int64, initialWindowSegments: Int, receiveWindow: Int64) {
        precondition(segmentBytes >= 1 && initialWindowSegments >= 1 && receiveWindow >= 1, "TCPCongestion: sizes must be positive")
        self.algorithm = algorithm
        self.segmentBytes = segmentBytes
        self.receiveWindow = receiveWindow
        self.cwnd = Int64(initialWindowSegments) * segmentBytes
    }

    @inlinable var inSlowStart: Bool {
        @inline(__always) get { cwnd < ssthresh }
    }

    /// W_cubic(t) of the current epoch, in segments, `t` in seconds since the epoch began.
    @inlinable @inline(__always) func cubicWindow(at t: Double) -> Double {
        let d = t - k
        return Self.cubicC * d * d * d + plateau
    }

    // MARK: Growth

    /// An ACK of `ackedBytes` new bytes outside fast recovery, at `now`, with the smoothed RTT `rtt` (CUBIC's
    /// look-ahead; zero before the first sample).
    /// - Complexity: O(1); CUBIC's first ACK of an epoch takes a cube root (a few Newton steps).
    @inlinable mutating func grow(ackedBytes: Int64, now: SimTime, rtt: SimTime) {
        guard ackedBytes > 0 else { return }
        let increase: Int64
        if inSlowStart {
            increase = ackedBytes
        } else if algorithm == .newreno {
            avoidanceCarry += segmentBytes * ackedBytes
            increase = avoidanceCarry / cwnd
            avoidanceCarry -= increase * cwnd
        } else {
            increase = cubicIncrease(ackedBytes: ackedBytes, now: now, rtt: rtt)
        }
        let ceiling = Swift.max(cwnd, receiveWindow)
        cwnd = Swift.min(cwnd + increase, ceiling)
    }

    /// CUBIC's congestion-avoidance increase for one ACK, in whole bytes (the fraction carried).
    @inlinable mutating func cubicIncrease(ackedBytes: Int64, now: SimTime, rtt: SimTime) -> Int64 {
        let smss = Double(segmentBytes)
        let w = Double(cwnd) / smss
        if epochStart == nil {
            epochStart = now
            cwndEpoch = w
            plateau = Swift.max(wMax, w)
            k = plateau > w ? cubeRoot((plateau - w) / Self.cubicC) : 0
            wEst = w
        }
        let t = (now - epochStart!).seconds
        let acked = Double(ackedBytes) / smss
        wEst += (wEst >= cwndPrior ? 1 : Self.cubicAlpha) * acked / w
        let next: Double
        if cubicWindow(at: t) < wEst {
            next = Swift.max(w, wEst)
        } else {
            let target = Swift.min(Swift.max(cubicWindow(at: t + rtt.seconds), w), 1.5 * w)
            next = Swift.min(w + acked * (target - w) / w, target)
        }
        let bytes = (next - w) * smss + cubicCarry
        let whole = bytes.rounded(.down)
        cubicCarry = bytes - whole
        return Int64(whole)
    }

    // MARK: Loss

    /// The slow-start threshold after a loss with `flight` bytes outstanding (RFC 5681 eq. 4; RFC 9438 §4.6), the
    /// flight taken as at most cwnd: right after a long recovery the bytes outstanding (sent under the inflated
    /// window) can be many times the window, and a loss among them must not raise ssthresh above the window it
    /// struck — Linux computes it from cwnd (`tcp_reno_ssthresh`, CUBIC's `bictcp_recalc_ssthresh`), which RFC 9438
    /// §4.6 notes "some implementations" do.
    @inlinable func lossThreshold(flight: Int64) -> Int64 {
        let flight = Swift.min(flight, cwnd)
        let reduced = algorithm == .newreno ? flight / 2 : flight * Self.cubicBetaNumerator / Self.cubicBetaDenominator
        return Swift.max(reduced, 2 * segmentBytes)
    }

    /// CUBIC's bookkeeping at a reduction: W_max with fast convergence, cwnd_prior, a new epoch to come.
    @inlinable mutating func recordCubicReduction() {
        let w = Double(cwnd) / Double(segmentBytes)
        wMax = w < wMax ? w * (1 + Self.cubicBeta) / 2 : w
        cwndPrior = w
        epochStart = nil
        cubicCarry = 0
    }

    /// The third duplicate ACK (fast retransmit, RFC 5681 §3.2 step 2–3; RFC 6582 §3.2 step 3): ssthresh from the
    /// flight, cwnd = ssthresh + 3·SMSS.
    @inlinable mutating func enterFastRecovery(flight: Int64) {
        if algorithm == .cubic { recordCubicReduction() }
        ssthresh = lossThreshold(flight: flight)
        cwnd = ssthresh + 3 * segmentBytes
        avoidanceCarry = 0
    }

    /// A further duplicate ACK in fast recovery: cwnd += SMSS (RFC 6582 step 4).
    @inlinable @inline(__always) mutating func inflate() { cwnd += segmentBytes }

    /// A partial ACK of `partiallyAcked` bytes in fast recovery: deflate by the bytes acked, add SMSS back if at
    /// least SMSS was acked (RFC 6582 step 5); never below one segment.
    @inlinable mutating func deflate(partiallyAcked: Int64) {
        let back = partiallyAcked >= segmentBytes ? segmentBytes : 0
        cwnd = Swift.max(cwnd - partiallyAcked + back, segmentBytes)
    }

    /// The full ACK: cwnd = ssthresh (RFC 6582 step 6, second option); congestion avoidance from here.
    @inlinable mutating func exitFastRecovery() {
        cwnd = ssthresh
        avoidanceCarry = 0
    }

    /// A retransmission timeout with `flight` bytes outstanding: ssthresh from the flight unless `repeated` (the
    /// same segment timed out before: RFC 5681 §3.1 holds ssthresh), cwnd = 1 segment (RFC 5681's loss window).
    @inlinable mutating func retransmissionTimeout(flight: Int64, repeated: Bool) {
        if !repeated {
            ssthresh = lossThreshold(flight: flight)
            if algorithm == .cubic {
                cwndPrior = Double(cwnd) / Double(segmentBytes)
            }
        }
        if algorithm == .cubic {
            wMax = 0
            epochStart = nil
            cubicCarry = 0
        }
        cwnd = segmentBytes
        avoidanceCarry = 0
    }
}

/// The real cube root of `x` ≥ 0 (0 for x ≤ 0), by Newton's method from above: exact to the last bit or two. Models
/// does not import Foundation or RealModule, and CUBIC needs ∛ once per epoch.
@inlinable func cubeRoot(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return x.isFinite ? 0 : x }
    // 2^(⌊e/3⌋ + 1) ≥ ∛x for x in [2^e, 2^(e+1)): Newton's iteration on y³ − x decreases monotonically from above.
    var y = Double(sign: .plus, exponent: x.exponent / 3 + 1, significand: 1)
    for _ in 0..<64 {
        let next = (2 * y + x / (y * y)) / 3
        if next >= y { break }
        y = next
    }
    return y
}
