import SimCore

/// A segment the sender puts on the wire: `length` payload bytes from byte offset `sequence`.
@usableFromInline struct TCPSegment: Sendable, Equatable {
    @usableFromInline var sequence: UInt64
    @usableFromInline var length: Int
    /// Whether these bytes were sent before (fast retransmit, a partial ACK's hole, or go-back-N after a timeout).
    @usableFromInline var isRetransmission: Bool

    @inlinable init(sequence: UInt64, length: Int, isRetransmission: Bool) {
        self.sequence = sequence; self.length = length; self.isRetransmission = isRetransmission
    }

    /// The offset just past the segment.
    @inlinable var end: UInt64 { sequence + UInt64(length) }
}

/// What one ACK did to the sender.
@usableFromInline struct TCPAckResult: Sendable, Equatable {
    @usableFromInline enum Kind: UInt8, Sendable {
        /// It acknowledged new data.
        case newData
        /// A duplicate ACK (RFC 5681 §2: no new data acknowledged while data is outstanding).
        case duplicate
        /// Older than what is already acknowledged, or a repeat with nothing outstanding: ignored.
        case old
    }
    @usableFromInline var kind: Kind
    /// Bytes newly acknowledged (0 unless `newData`).
    @usableFromInline var ackedBytes: Int64
    /// This ACK was the third duplicate: fast retransmit and fast recovery began (a retransmission is ready).
    @usableFromInline var enteredRecovery: Bool
    /// A partial ACK in fast recovery: the next hole's retransmission is ready.
    @usableFromInline var partialACK: Bool
    /// The full ACK: fast recovery ended.
    @usableFromInline var exitedRecovery: Bool

    @inlinable init(
        kind: Kind, ackedBytes: Int64 = 0, enteredRecovery: Bool = false, partialACK: Bool = false, exitedRecovery: Bool = false
    ) {
        self.kind = kind; self.ackedBytes = ackedBytes; self.enteredRecovery = enteredRecovery
        self.partialACK = partialACK; self.exitedRecovery = exitedRecovery
    }
}

/// What one TCP sender did over a run (cumulative).
@usableFromInline struct TCPSenderCounters: Sendable, Equatable {
    /// Segments handed out by `nextSegment`, retransmissions included.
    @usableFromInline var segmentsSent = 0
    /// Of those, the retransmissions: fast retransmits, partial-ACK retransmits and go-back-N resends after a timeout.
    @usableFromInline var retransmissions = 0
    /// Retransmissions made in fast recovery without a timeout: the one on the third duplicate ACK and one per
    /// partial ACK (RFC 6582).
    @usableFromInline var fastRetransmits = 0
    /// Retransmission timeouts that fired (`onTimeout` at or after `rtoDeadline`).
    @usableFromInline var timeouts = 0
    /// Fast-recovery episodes entered (third duplicate ACKs acted on).
    @usableFromInline var recoveries = 0
    /// Partial ACKs in fast recovery.
    @usableFromInline var partialACKs = 0
    /// Duplicate ACKs received.
    @usableFromInline var duplicateACKs = 0
    /// RTT samples taken (one timed segment at a time; never a retransmitted one).
    @usableFromInline var rttSamples = 0

    @inlinable init() {}
}

/// The sending side of one TCP connection of a bulk flow: an endless stream of full segments, sent as the
/// congestion window (``TCPCongestion``, NewReno or CUBIC) and the receiver's window allow, with RFC 5681 fast
/// retransmit, RFC 6582 NewReno fast recovery, and an RFC 6298 retransmission timer.
///
/// A pure state machine, like the DHCP engines: the model owns the packets and the one timer. After every call it
/// calls ``nextSegment(now:)`` until nil and sends what it returns, then makes its RTO timer match ``rtoDeadline``
/// (arm it there, or cancel it when nil). A timer that fires late or stale is harmless: ``onTimeout(now:)`` does
/// nothing before the deadline, so a model may also arm lazily (one event; when it fires early, re-arm at the
/// current deadline). No call allocates: the sender is a plain value with no references.
///
/// Sequence numbers are byte offsets from 0; every segment is `segmentBytes` long. State: snd_una (oldest
/// unacknowledged byte), snd_nxt (next byte to send), snd_max (one past the highest byte ever sent); flight =
/// snd_nxt − snd_una.
///
/// Behaviour:
/// - New data goes out while flight + segment ≤ min(cwnd, rwnd) (RFC 5681 §3.1, RFC 9293's send window). When
///   nothing is in flight one segment may always go, so a receive window below one segment still moves data.
/// - RTT: one segment timed at a time (classic BSD); a sample when an ACK covers it; timing stops on any
///   retransmission, and retransmitted bytes are never timed (Karn's algorithm, RFC 6298 §3).
/// - Timer (RFC 6298 §5): started when a segment goes out and it is not running (5.1); restarted at now + RTO by an
///   ACK of new data (5.3), stopped when everything sent is acknowledged (5.2).
/// - Three duplicate ACKs (RFC 5681 §3.2; duplicate: ack = snd_una with data outstanding) start fast retransmit and
///   NewReno fast recovery (RFC 6582 §3.2) if the ACK is at or past `recover` (step 2: after a timeout, duplicate
///   ACKs for data sent before it do not trigger another); `recover` = snd_max; the segment at snd_una is
///   retransmitted at once, whatever the window. A partial ACK (below `recover`) retransmits the next hole at once;
///   the full ACK ends recovery. Every partial ACK restarts the timer (RFC 6298 5.3; RFC 6582 §4's "Slow-but-Steady").
/// - A timeout (RFC 6298 §5.4–5.6, RFC 5681 §3.1): the loss window, the RTO backed off, recovery abandoned,
///   `recover` = snd_max, and go-back-N: snd_nxt = snd_una, so everything from snd_una is sent again as the window
///   opens (no SACK: the sender does not know what arrived). The timer restarts at now + the backed-off RTO.
/// - An ACK beyond snd_nxt (after go-back-N the receiver may hold data sent before) moves snd_nxt up to it.
///
/// Not modelled: SACK, timestamps, limited transmit (RFC 3042), F-RTO, HyStart, pacing, the persist timer (the
/// receive window is fixed), a shorter last segment (bulk flows never end).
@usableFromInline struct TCPSender: Sendable {
    /// Duplicate ACKs that start fast retransmit (RFC 5681 §3.2).
    @usableFromInline static let duplicateACKThreshold = 3

    /// The segment size in bytes (SMSS for the congestion window).
    @usableFromInline let segmentBytes: Int64
    /// The receiver's window in bytes (fixed: the receiving application reads at once).
    @usableFromInline let receiveWindow: Int64
    @usableFromInline private(set) var congestion: TCPCongestion
    @usableFromInline private(set) var estimator: TCPRTOEstimator

    /// snd_una, snd_nxt, snd_max (byte offsets).
    @usableFromInline private(set) var unacknowledged: UInt64 = 0
    @usableFromInline private(set) var nextToSend: UInt64 = 0
    @usableFromInline private(set) var highestSent: UInt64 = 0
    /// Consecutive duplicate ACKs.
    @usableFromInline private(set) var duplicateACKs = 0
    /// Whether the sender is in NewReno fast recovery, and its `recover` point (one past the highest byte sent when
    /// it began; after a timeout, snd_max then).
    @usableFromInline private(set) var inRecovery = false
    @usableFromInline private(set) var recover: UInt64 = 0
    /// A retransmission of the segment at snd_una owed at once (fast retransmit or a partial ACK).
    @usableFromInline private(set) var retransmitPending = false
    /// The timed segment's offset and send time (nil: none timed).
    @usableFromInline private(set) var timedSequence: UInt64?
    @usableFromInline private(set) var timedAt = SimTime.zero
    /// Timeouts since snd_una last advanced (a repeat holds ssthresh).
    @usableFromInline private(set) var consecutiveTimeouts = 0
    /// When the retransmission timer must fire; nil when nothing is outstanding.
    @usableFromInline private(set) var rtoDeadline: SimTime?
    @usableFromInline private(set) var counters = TCPSenderCounters()

    /// A connection with nothing sent, cwnd = `options.initialWindowSegments` segments, ssthresh unbounded, RTO =
    /// `options.initialRTO`.
    /// - Precondition: `segmentBytes` ≥ 1 (an LSO super-segment may be up to 64 KiB) and `receiveWindow` ≥ 1.
    @inlinable init(options: TCPOptions, segmentBytes: Int, receiveWindow: Int64) {
        precondition(segmentBytes >= 1 && receiveWindow >= 1, "TCPSender: segment and window must be positive")
        self.segmentBytes = Int64(segmentBytes)
        self.receiveWindow = receiveWindow
        self.congestion = TCPCongestion(
            algorithm: options.congestion, segmentBytes: Int64(segmentBytes), initialWindowSegments: options.initialWindowSegments,
            receiveWindow: receiveWindow)
        self.estimator = TCPRTOEstimator(initialRTO: options.initialRTO, minimumRTO: options.minimumRTO)
    }

    // MARK: State for reports and tests

    /// The congestion window in bytes.
    @inlinable var cwnd: Int64 { congestion.cwnd }
    /// The slow-start threshold in bytes (`Int64.max` before the first loss).
    @inlinable var ssthresh: Int64 { congestion.ssthresh }
    /// Bytes sent and not acknowledged: snd_nxt − snd_una (0 right after a timeout's go-back-N).
    @inlinable var flight: Int64 {
        @inline(__always) get { Int64(nextToSend - unacknowledged) }
    }
    /// Bytes acknowledged so far (snd_una).
    @inlinable var ackedBytes: Int64 { Int64(unacknowledged) }
    /// The smoothed RTT (nil before the first sample) and the current RTO.
    @inlinable var srtt: SimTime? { estimator.srtt }
    @inlinable var rto: SimTime { estimator.rto }

    // MARK: Events

    /// The next segment that may go out at `now`, or nil: a retransmission owed by fast retransmit or a partial ACK
    /// first (whatever the window), else the segment at snd_nxt if the window has room (a go-back-N resend while
    /// snd_nxt < snd_max, else new data). Call it in a loop until nil after every event.
    /// - Complexity: O(1).
    @inlinable mutating func nextSegment(now: SimTime) -> TCPSegment? {
        if retransmitPending {
            retransmitPending = false
            counters.fastRetransmits += 1
            return send(at: unacknowledged, now: now)
        }
        let window = Swift.min(congestion.cwnd, receiveWindow)
        let inFlight = flight
        guard inFlight + segmentBytes <= window || inFlight == 0 else { return nil }
        let s = send(at: nextToSend, now: now)
        nextToSend += UInt64(segmentBytes)
        if nextToSend > highestSent { highestSent = nextToSend }
        return s
    }

    /// Accounts one transmission of the segment at `sequence`: counters, RTT timing, the timer (RFC 6298 5.1).
    @inlinable @inline(__always) mutating func send(at sequence: UInt64, now: SimTime) -> TCPSegment {
        let retransmission = sequence < highestSent
        counters.segmentsSent += 1
        if retransmission {
            counters.retransmissions += 1
            timedSequence = nil
        } else if timedSequence == nil {
            timedSequence = sequence
            timedAt = now
        }
        if rtoDeadline == nil { rtoDeadline = now.addingSaturated(estimator.rto) }
        return TCPSegment(sequence: sequence, length: Int(segmentBytes), isRetransmission: retransmission)
    }

    /// A cumulative ACK: the receiver has every byte below `ack`. Grows the window (new data), counts a duplicate
    /// (and at the third starts fast recovery), or ends / continues fast recovery; moves ``rtoDeadline``.
    /// - Precondition: `ack` ≤ snd_max (nothing unsent can be acknowledged).
    /// - Complexity: O(1).
    @inlinable mutating func onACK(_ ack: UInt64, now: SimTime) -> TCPAckResult {
        precondition(ack <= highestSent, "TCPSender.onACK: ACK \(ack) beyond the highest byte sent \(highestSent)")
        if ack > unacknowledged { return newData(ack, now: now) }
        guard ack == unacknowledged, highestSent > unacknowledged else { return TCPAckResult(kind: .old) }
        counters.duplicateACKs += 1
        duplicateACKs += 1
        if inRecovery {
            congestion.inflate()
            return TCPAckResult(kind: .duplicate)
        }
        guard duplicateACKs == Self.duplicateACKThreshold, ack >= recover else { return TCPAckResult(kind: .duplicate) }
        // RFC 6582 §3.2 steps 2–3: fast retransmit, then fast recovery.
        counters.recoveries += 1
        congestion.enterFastRecovery(flight: flight)
        inRecovery = true
        recover = highestSent
        retransmitPending = true
        timedSequence = nil
        return TCPAckResult(kind: .duplicate, enteredRecovery: true)
    }

    /// An ACK of new data (`ack` > snd_una).
    @inlinable mutating func newData(_ ack: UInt64, now: SimTime) -> TCPAckResult {
        let acked = Int64(ack - unacknowledged)
        unacknowledged = ack
        if nextToSend < ack { nextToSend = ack }
        duplicateACKs = 0
        consecutiveTimeouts = 0
        if let t = timedSequence, ack > t {
            estimator.addSample(now - timedAt)
            counters.rttSamples += 1
            timedSequence = nil
        }
        var result = TCPAckResult(kind: .newData, ackedBytes: acked)
        if inRecovery {
            if ack >= recover {
                inRecovery = false
                retransmitPending = false
                congestion.exitFastRecovery()
                result.exitedRecovery = true
            } else {
                counters.partialACKs += 1
                congestion.deflate(partiallyAcked: acked)
                retransmitPending = true
                timedSequence = nil
                result.partialACK = true
            }
        } else {
            congestion.grow(ackedBytes: acked, now: now, rtt: estimator.srtt ?? .zero)
        }
        rtoDeadline = unacknowledged == highestSent ? nil : now.addingSaturated(estimator.rto)
        return result
    }

    /// The retransmission timer fired at `now`. Before ``rtoDeadline`` (or with none) a stale timer: nothing
    /// happens and it returns false. Otherwise (RFC 6298 §5.4–5.6, RFC 5681 §3.1): ssthresh from the flight (held
    /// on a repeated timeout), cwnd = 1 segment, RTO ×2 (≤ 60 s), recovery abandoned with `recover` = snd_max,
    /// timing stopped, snd_nxt = snd_una (go-back-N), and the timer restarted at now + RTO; returns true.
    /// - Complexity: O(1).
    @discardableResult
    @inlinable mutating func onTimeout(now: SimTime) -> Bool {
        guard let d = rtoDeadline, now >= d else { return false }
        counters.timeouts += 1
        congestion.retransmissionTimeout(flight: flight, repeated: consecutiveTimeouts > 0)
        consecutiveTimeouts += 1
        estimator.backOff()
        inRecovery = false
        retransmitPending = false
        duplicateACKs = 0
        recover = highestSent
        timedSequence = nil
        nextToSend = unacknowledged
        rtoDeadline = now.addingSaturated(estimator.rto)
        return true
    }
}
