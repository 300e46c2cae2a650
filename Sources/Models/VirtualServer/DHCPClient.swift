import SimCore

/// What one adapter's DHCP client did over a run.
@usableFromInline struct DHCPClientCounters: Sendable, Equatable {
    /// Messages sent: DISCOVERs and REQUESTs (each transmission, retransmissions included), and the
    /// retransmissions among them.
    @usableFromInline var discovers = 0, requests = 0, retransmissions = 0
    /// Leases gained (an ACK in REQUESTING or REBOOTING), renewed (an ACK in RENEWING), rebound (an ACK in
    /// REBINDING); leases that ran out; NAKs received.
    @usableFromInline var leasesGained = 0, renewals = 0, rebinds = 0, expiries = 0, naksReceived = 0

    @inlinable init() {}
}

/// The DHCP client of one adapter, behaving as a Windows guest's (RFC 2131 §4.4, Figure 5's state machine).
///
/// A pure state machine: the model delivers messages (`receive`), link changes (`linkUp`, `linkDown`) and the
/// client's one timer (`timerFired` at ``timer``), and sends what ``Output/send`` holds. Nothing allocates.
///
/// Behaviour:
/// - Link up with no remembered lease: DISCOVER at once (broadcast), the INIT → SELECTING transition (§4.4.1).
///   The first OFFER whose `xid` matches is taken: REQUEST(selecting), REQUESTING. ACK → BOUND.
/// - Link up with a remembered, unexpired lease (Windows keeps it across a cable unplug or a restart):
///   INIT-REBOOT, a broadcast REQUEST(initReboot) for it (§3.2, §4.4.2). ACK → BOUND; NAK → INIT → DISCOVER.
///   Unanswered after 4 retransmissions, the client goes on with the remembered lease (§3.2 allows it; Windows
///   does): BOUND, RENEWING or REBINDING by the lease's own times.
/// - Retransmission (§4.1) of DISCOVER and REQUEST(selecting / initReboot): 4, 8, 16, 32, 64, 64 … s after each
///   transmission, each moved by the `jitter` the model passes (seconds, uniform in −1…+1, from the client's
///   random stream). REQUEST(selecting) unanswered after 4 retransmissions → INIT → a new DISCOVER.
/// - The lease's times count from the (last) transmission of the REQUEST the ACK answers (§4.4.1).
/// - At T1: RENEWING, a REQUEST unicast to the server (`ciaddr` set), retransmitted after half the time remaining
///   to T2, at least 60 s (§4.4.5). At T2: REBINDING, a broadcast REQUEST, retransmitted after half the remaining
///   lease, at least 60 s. A retransmission never goes past the next state deadline. At the lease's end: the lease
///   is lost, INIT → DISCOVER. A NAK in RENEWING or REBINDING loses the lease at once (§4.4.5).
/// - `initial` (INIT) is transient: every path through it sends a DISCOVER and leaves for SELECTING in the same call,
///   except ``release(now:)``, after which the client stays in INIT, idle, until the next link up.
@usableFromInline struct DHCPClient: Sendable {
    @usableFromInline enum State: UInt8, Sendable {
        case stopped, initial, selecting, requesting, rebooting, bound, renewing, rebinding
    }

    /// What a call asks the model to do.
    @usableFromInline struct Output: Sendable, Equatable {
        /// A message to send now, if any.
        @usableFromInline var send: DHCPWire?
        /// The client now has a confirmed address (an ACK in REQUESTING or REBOOTING).
        @usableFromInline var leaseGained: Bool
        /// The client no longer has its lease (it expired, or a NAK refused it): `hasLease` went from true to false.
        @usableFromInline var leaseLost: Bool

        @inlinable init(send: DHCPWire? = nil, leaseGained: Bool = false, leaseLost: Bool = false) {
            self.send = send; self.leaseGained = leaseGained; self.leaseLost = leaseLost
        }
    }

    /// REQUEST(selecting) and REQUEST(initReboot) retransmissions before the client gives up on them.
    @usableFromInline static let requestRetransmissions = 4
    /// The shortest RENEWING / REBINDING retransmission interval (§4.4.5).
    @usableFromInline static let minimumRetry = SimTime.seconds(60)

    /// The client's id (its adapter's dense index); it seeds the transaction ids.
    @usableFromInline let id: Int
    @usableFromInline private(set) var state: State = .stopped
    /// The leased address (0 = none). While `stopped`, the remembered lease's.
    @usableFromInline private(set) var address: UInt32 = 0
    /// Whether the client has (or, while `stopped` or `rebooting`, remembers) a lease.
    @usableFromInline private(set) var hasLease = false
    /// The lease's start and its T1, T2 and end, as absolute times (valid while `hasLease`).
    @usableFromInline private(set) var leaseObtained = SimTime.zero
    @usableFromInline private(set) var renewalTime = SimTime.zero
    @usableFromInline private(set) var rebindingTime = SimTime.zero
    @usableFromInline private(set) var leaseExpires = SimTime.zero
    /// The deadline of the client's one timer (retransmission, T1, T2 or the lease's end), or nil.
    @usableFromInline private(set) var timer: SimTime? = nil
    @usableFromInline private(set) var counters = DHCPClientCounters()

    /// The current exchange's transaction id, and how many exchanges began (it derives the next id).
    @usableFromInline private(set) var transactionID: UInt32 = 0
    @usableFromInline var exchanges: UInt32 = 0
    /// Transmissions of the message now being retried (1 after the first), and when the last one went out.
    @usableFromInline var transmissions = 0
    @usableFromInline var sentAt = SimTime.zero
    /// The address of the OFFER taken in SELECTING (what REQUESTING asks for).
    @usableFromInline var offered: UInt32 = 0

    /// A stopped client with no lease.
    @inlinable init(id: Int) { self.id = id }

    // MARK: Events

    /// Link up (attach, power on, the network created again): INIT → DISCOVER, or INIT-REBOOT with a remembered
    /// unexpired lease (RFC 2131 §3.2, §4.4.2). Ignored unless `stopped` (or idle in INIT after a release).
    mutating func linkUp(now: SimTime, jitter: Double) -> Output {
        guard state == .stopped || state == .initial else { return Output() }
        guard hasLease else { return discover(now: now, jitter: jitter) }
        if now >= leaseExpires { return expireLease(now: now, jitter: jitter) }
        newExchange()
        state = .rebooting
        return sendRequest(.initReboot, now: now, jitter: jitter)
    }

    /// Link down (detach, power off, the network deleted): the timer stops; a lease is remembered; no RELEASE is sent.
    mutating func linkDown() {
        state = .stopped
        timer = nil
        transmissions = 0
    }

    /// Forgets the lease and stops (counters and the transaction sequence go on).
    mutating func forget() {
        linkDown()
        hasLease = false
        address = 0
        leaseObtained = .zero; renewalTime = .zero; rebindingTime = .zero; leaseExpires = .zero
    }

    /// `ipconfig /release`: a RELEASE unicast to the server for the lease in use (RFC 2131 §4.4.6), then INIT, idle.
    /// Nothing to send unless BOUND, RENEWING or REBINDING.
    mutating func release(now: SimTime) -> Output {
        guard state == .bound || state == .renewing || state == .rebinding else { return Output() }
        let m = DHCPWire(kind: .release, broadcast: false, transactionID: nextTransactionID(), address: address)
        forget()
        state = .initial
        return Output(send: m)
    }

    /// A message from the server. OFFER in SELECTING (matching `xid`) → REQUEST(selecting); ACK in REQUESTING,
    /// REBOOTING, RENEWING or REBINDING → BOUND with `times` counted from the REQUEST's transmission; NAK there →
    /// INIT → DISCOVER. Anything else is ignored.
    /// - Precondition: `times` is given with every ACK.
    mutating func receive(_ m: DHCPWire, times: DHCPLeaseTimes?, now: SimTime, jitter: Double) -> Output {
        guard m.kind.fromServer, m.transactionID == transactionID else { return Output() }
        switch (m.kind, state) {
        case (.offer, .selecting) where m.address != 0:
            offered = m.address
            transmissions = 0
            state = .requesting
            return sendRequest(.selecting, now: now, jitter: jitter, requested: m.address)
        case (.ack, .requesting), (.ack, .rebooting), (.ack, .renewing), (.ack, .rebinding):
            guard let times else { preconditionFailure("DHCPClient.receive: an ACK without its lease times") }
            precondition(m.address != 0, "DHCPClient.receive: an ACK without an address")
            let from = state
            bind(m.address, times: times)
            switch from {
            case .renewing: counters.renewals += 1
            case .rebinding: counters.rebinds += 1
            default: counters.leasesGained += 1
            }
            return Output(leaseGained: from == .requesting || from == .rebooting)
        case (.nak, .requesting), (.nak, .rebooting), (.nak, .renewing), (.nak, .rebinding):
            counters.naksReceived += 1
            let lost = hasLease
            dropLease()
            var out = discover(now: now, jitter: jitter)
            out.leaseLost = lost
            return out
        default:
            return Output()
        }
    }

    /// The timer came due: a retransmission, T1 (→ RENEWING), T2 (→ REBINDING) or the lease's end (→ DISCOVER).
    /// A stale call (no timer, or `now` before it) does nothing.
    mutating func timerFired(now: SimTime, jitter: Double) -> Output {
        guard let t = timer, now >= t else { return Output() }
        switch state {
        case .stopped, .initial:
            timer = nil
            return Output()
        case .selecting:
            return retransmitDiscover(now: now, jitter: jitter)
        case .requesting:
            if transmissions > Self.requestRetransmissions { return discover(now: now, jitter: jitter) }
            return sendRequest(.selecting, now: now, jitter: jitter, requested: offered)
        case .rebooting:
            if now >= leaseExpires { return expireLease(now: now, jitter: jitter) }
            if transmissions > Self.requestRetransmissions { return resumeLease(now: now, jitter: jitter) }
            return sendRequest(.initReboot, now: now, jitter: jitter)
        case .bound, .renewing, .rebinding:
            return resumeLease(now: now, jitter: jitter)
        }
    }

    // MARK: Transitions

    /// INIT → SELECTING: a new exchange's DISCOVER.
    private mutating func discover(now: SimTime, jitter: Double) -> Output {
        state = .initial
        newExchange()
        state = .selecting
        return retransmitDiscover(now: now, jitter: jitter)
    }

    /// A DISCOVER of the current exchange, the timer at the next backoff.
    private mutating func retransmitDiscover(now: SimTime, jitter: Double) -> Output {
        if transmissions > 0 { counters.retransmissions += 1 }
        counters.discovers += 1
        timer = now + Self.backoff(transmissions, jitter: jitter)
        transmissions += 1
        return Output(send: DHCPWire(kind: .discover, broadcast: true, transactionID: transactionID))
    }

    /// A REQUEST of the current exchange in `phase`, the timer at the next retransmission.
    private mutating func sendRequest(_ phase: DHCPRequestPhase, now: SimTime, jitter: Double, requested: UInt32 = 0)
        -> Output
    {
        if transmissions > 0 { counters.retransmissions += 1 }
        counters.requests += 1
        sentAt = now
        let m: DHCPWire
        switch phase {
        case .selecting:
            m = DHCPWire(kind: .request, phase: .selecting, broadcast: true, transactionID: transactionID, address: requested)
            timer = now + Self.backoff(transmissions, jitter: jitter)
        case .initReboot:
            m = DHCPWire(kind: .request, phase: .initReboot, broadcast: true, transactionID: transactionID, address: address)
            timer = min(now + Self.backoff(transmissions, jitter: jitter), leaseExpires)
        case .renewing:
            m = DHCPWire(kind: .request, phase: .renewing, broadcast: false, transactionID: transactionID, address: address)
            timer = Self.retry(now, before: rebindingTime)
        case .rebinding:
            m = DHCPWire(kind: .request, phase: .rebinding, broadcast: true, transactionID: transactionID, address: address)
            timer = Self.retry(now, before: leaseExpires)
        }
        transmissions += 1
        return Output(send: m)
    }

    /// Goes on with the lease by its times at `now`: BOUND before T1, RENEWING before T2, REBINDING before the end,
    /// else the lease is lost. Entering RENEWING or REBINDING starts an exchange; staying in one retransmits.
    private mutating func resumeLease(now: SimTime, jitter: Double) -> Output {
        if now >= leaseExpires { return expireLease(now: now, jitter: jitter) }
        if now < renewalTime {
            state = .bound
            timer = renewalTime
            transmissions = 0
            return Output()
        }
        let phase: State = now < rebindingTime ? .renewing : .rebinding
        if state != phase {
            state = phase
            newExchange()
        }
        return sendRequest(phase == .renewing ? .renewing : .rebinding, now: now, jitter: jitter)
    }

    /// The lease ran out: lost, INIT → DISCOVER.
    private mutating func expireLease(now: SimTime, jitter: Double) -> Output {
        counters.expiries += 1
        dropLease()
        var out = discover(now: now, jitter: jitter)
        out.leaseLost = true
        return out
    }

    private mutating func bind(_ a: UInt32, times: DHCPLeaseTimes) {
        hasLease = true
        address = a
        leaseObtained = sentAt
        renewalTime = sentAt + times.renewal
        rebindingTime = sentAt + times.rebinding
        leaseExpires = sentAt + times.lease
        state = .bound
        timer = renewalTime
        transmissions = 0
    }

    private mutating func dropLease() {
        hasLease = false
        address = 0
    }

    private mutating func newExchange() {
        transactionID = nextTransactionID()
        transmissions = 0
    }

    /// The next transaction id: a SplitMix64 hash of (client id, exchange number), 24 bits — deterministic, distinct
    /// between clients in practice.
    private mutating func nextTransactionID() -> UInt32 {
        exchanges &+= 1
        var z = UInt64(truncatingIfNeeded: id) << 32 | UInt64(exchanges)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return UInt32(truncatingIfNeeded: z) & DHCPWire.transactionMask
    }

    /// The wait after transmission number `n` (0-based) of a DISCOVER or REQUEST(selecting / initReboot):
    /// min(4 · 2ⁿ, 64) s + `jitter` s (RFC 2131 §4.1).
    /// - Precondition: −1 ≤ `jitter` ≤ 1.
    @inlinable static func backoff(_ n: Int, jitter: Double) -> SimTime {
        precondition(jitter >= -1 && jitter <= 1, "DHCPClient: jitter \(jitter) outside −1…+1 s")
        let base: Int64 = n >= 4 ? 64 : 4 << Int64(n)
        return .seconds(base) + SimTime(seconds: jitter)
    }

    /// The next RENEWING / REBINDING retransmission: after half the time left to `deadline`, at least 60 s, never
    /// past `deadline` (RFC 2131 §4.4.5).
    @inlinable static func retry(_ now: SimTime, before deadline: SimTime) -> SimTime {
        let half = SimTime(picoseconds: (deadline - now).picoseconds / 2)
        return min(now + max(half, minimumRetry), deadline)
    }
}
