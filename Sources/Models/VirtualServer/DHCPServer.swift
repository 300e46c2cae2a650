import SimCore

/// What a network's DHCP server did over a run.
@usableFromInline struct DHCPServerCounters: Sendable, Equatable {
    /// Messages received, by kind (for this server: a disabled server counts nothing).
    @usableFromInline var discovers = 0, requests = 0, releases = 0, declines = 0
    /// Replies sent, by kind.
    @usableFromInline var offers = 0, acks = 0, naks = 0
    /// DISCOVERs that found no address to offer (the pool was exhausted); they got no reply.
    @usableFromInline var exhausted = 0
    /// Bound leases now and at most at once.
    @usableFromInline var activeLeases = 0, peakLeases = 0
    /// Leases that ran out (not renewed before lease start + lease time).
    @usableFromInline var expired = 0

    @inlinable init() {}
}

/// The DHCP server of one Virtual Server virtual network (`IVMDHCPVirtualNetworkServer`, MODEL-REFERENCE §2):
/// a lease table over the configured pool and a handler per message kind (RFC 2131 §4.3), as ns-3's `DhcpServer`.
///
/// Clients are dense ids `0..<clients` (the adapters that can ever attach to the network). The table is sized at
/// `init` — per-client arrays and one owner per pool address — so no message or expiry allocates.
///
/// Rules:
/// - Address choice for a DISCOVER (RFC 2131 §4.3.1): the client's current binding (or its outstanding offer), else
///   its previous binding if still free, else the requested address (option 50, if the message carries one) if in
///   the pool and free, else the lowest free address of `start…end` (the server's own address is never handed out).
/// - An OFFER reserves its address for the client for ``offerHold`` (120 s: longer than a client's whole REQUEST
///   retransmission sequence, 4 + 8 + 16 + 32 s ± 4 s of jitter, RFC 2131 §4.1).
/// - REQUEST (selecting) for the address offered or leased to that client → ACK (a lease of the configured time
///   from now); otherwise NAK. INIT-REBOOT: ACK if the address is this client's or free in the pool; NAK if it is not
///   on this network or is taken (or outside the pool). RENEWING/REBINDING: ACK (extending the lease from now) if the
///   client holds that lease, NAK otherwise.
/// - RELEASE frees the client's lease; DECLINE takes the address out of the pool for the rest of the run (until
///   ``forgetLeases()``).
/// - A lease ends at its (last) start + the lease time; ``expire(now:)`` frees every lease and reservation due.
/// - A disabled server (`config.enabled == false`) ignores every message.
@usableFromInline struct DHCPServer: Sendable {
    /// How long an OFFER reserves its address for the client.
    @usableFromInline static let offerHold = SimTime.seconds(120)

    /// `owner` values besides client ids.
    @usableFromInline static let free: Int32 = -1
    @usableFromInline static let unusable: Int32 = -2

    @usableFromInline var config: DHCPServerConfig
    @usableFromInline let clients: Int
    /// Whether OFFER and ACK go to the broadcast address (clients that set the BOOTP broadcast flag). Default false:
    /// Windows clients clear the flag, so replies are unicast to the client's hardware address (RFC 2131 §4.1).
    /// NAKs are always broadcast.
    @usableFromInline var broadcastReplies = false
    @usableFromInline private(set) var counters = DHCPServerCounters()

    /// Per pool address (`start + i`): the client holding it (lease or offer), ``free`` or ``unusable``.
    @usableFromInline var owner: [Int32]
    /// Per client: its bound lease's address (0: none) and end; its offer's address (0: none) and end; the address of
    /// its last binding (kept after release or expiry, for the §4.3.1 choice).
    @usableFromInline var leased: [UInt32]
    @usableFromInline var leaseEnds: [SimTime]
    @usableFromInline var offered: [UInt32]
    @usableFromInline var offerEnds: [SimTime]
    @usableFromInline var previous: [UInt32]

    /// A server for `config` with `clients` possible clients; an empty lease table.
    /// - Precondition: `clients >= 0`; the configuration passed validation (`start ≤ end`, pool ≤ the limit).
    init(config: DHCPServerConfig, clients: Int) {
        precondition(clients >= 0, "DHCPServer: negative client count")
        self.config = config
        self.clients = clients
        let size = config.end >= config.start ? Int(config.end - config.start) + 1 : 0
        owner = [Int32](repeating: Self.free, count: size)
        leased = [UInt32](repeating: 0, count: clients)
        leaseEnds = [SimTime](repeating: .zero, count: clients)
        offered = [UInt32](repeating: 0, count: clients)
        offerEnds = [SimTime](repeating: .zero, count: clients)
        previous = [UInt32](repeating: 0, count: clients)
        markServerAddress()
    }

    /// The lease times this server grants (to pass with each ACK to the client).
    @inlinable var leaseTimes: DHCPLeaseTimes { DHCPLeaseTimes(config) }

    // MARK: Messages

    /// Handles message `m` from client `c` at `now` (RFC 2131 §4.3); returns the reply to send, or nil (a disabled
    /// server, a server's message, an exhausted pool, a RELEASE or DECLINE).
    /// - Precondition: `0 <= c < clients`.
    /// - Complexity: O(1), except a DISCOVER that falls back to the lowest free address: O(pool) at worst.
    mutating func receive(_ m: DHCPWire, from c: Int, now: SimTime) -> DHCPWire? {
        precondition(c >= 0 && c < clients, "DHCPServer.receive: client \(c) outside 0..<\(clients)")
        guard config.enabled, !m.kind.fromServer else { return nil }
        expireClient(c, now: now)
        switch m.kind {
        case .discover:
            counters.discovers += 1
            guard let a = chooseAddress(for: c, requested: m.address, now: now) else {
                counters.exhausted += 1
                return nil
            }
            setOffer(c, a, until: now + Self.offerHold)
            counters.offers += 1
            return DHCPWire(kind: .offer, broadcast: broadcastReplies, transactionID: m.transactionID, address: a)
        case .request:
            counters.requests += 1
            let a = m.address
            let grant: Bool
            switch m.phase {
            case .selecting: grant = a != 0 && (offered[c] == a || leased[c] == a)
            case .initReboot:
                if let i = index(of: a) {
                    reclaimIfExpired(i, now: now)
                    grant = owner[i] == Int32(c) || owner[i] == Self.free
                } else {
                    grant = false  // not on this network, or on it but outside the pool
                }
            case .renewing, .rebinding: grant = a != 0 && leased[c] == a
            }
            guard grant else {
                counters.naks += 1
                return DHCPWire(kind: .nak, broadcast: true, transactionID: m.transactionID)
            }
            setLease(c, a, until: now + config.lease)
            counters.acks += 1
            return DHCPWire(kind: .ack, broadcast: broadcastReplies, transactionID: m.transactionID, address: a)
        case .release:
            counters.releases += 1
            if m.address != 0 && leased[c] == m.address { clearLease(c) }
            return nil
        case .decline:
            counters.declines += 1
            let a = m.address
            guard let i = index(of: a), owner[i] == Int32(c) else { return nil }
            if leased[c] == a { clearLease(c) }
            if offered[c] == a { clearOffer(c) }
            owner[i] = Self.unusable
            return nil
        case .offer, .ack, .nak:
            return nil
        }
    }

    // MARK: Expiry

    /// The earliest end of a lease or an offer reservation (nil if none): the model arms one timer at it.
    /// - Complexity: O(clients).
    var nextExpiry: SimTime? {
        var t: SimTime? = nil
        for c in 0..<clients {
            if leased[c] != 0, t.map({ leaseEnds[c] < $0 }) ?? true { t = leaseEnds[c] }
            if offered[c] != 0, t.map({ offerEnds[c] < $0 }) ?? true { t = offerEnds[c] }
        }
        return t
    }

    /// Frees every lease and reservation that ends at or before `now`.
    /// - Complexity: O(clients).
    mutating func expire(now: SimTime) {
        for c in 0..<clients { expireClient(c, now: now) }
    }

    /// Client `c`'s bound lease, if any (an outstanding offer is not a lease).
    func lease(of c: Int) -> (address: UInt32, expires: SimTime)? {
        precondition(c >= 0 && c < clients, "DHCPServer.lease(of:): client \(c) outside 0..<\(clients)")
        return leased[c] == 0 ? nil : (leased[c], leaseEnds[c])
    }

    /// Forgets every lease, offer, previous binding and declined address: the network was deleted, and a server
    /// created again starts empty. The counters stay (they are the run's).
    mutating func forgetLeases() {
        for i in owner.indices { owner[i] = Self.free }
        for c in 0..<clients {
            leased[c] = 0; offered[c] = 0; previous[c] = 0
            leaseEnds[c] = .zero; offerEnds[c] = .zero
        }
        counters.activeLeases = 0
        markServerAddress()
    }

    /// The table's invariants, for tests: every held pool address is held by its owner's lease or offer and vice
    /// versa; `activeLeases` counts the leases; the server's own address is never held. Returns the first broken one.
    /// - Complexity: O(pool + clients).
    func brokenInvariant() -> String? {
        for (i, o) in owner.enumerated() where o >= 0 {
            let a = config.start + UInt32(i)
            if Int(o) >= clients || (leased[Int(o)] != a && offered[Int(o)] != a) { return "address \(a) owned by \(o), who has none" }
        }
        for c in 0..<clients {
            for a in [leased[c], offered[c]] where a != 0 {
                guard let i = index(of: a) else { return "client \(c) holds \(a), outside the pool" }
                if owner[i] != Int32(c) { return "client \(c) holds \(a), owned by \(owner[i])" }
            }
        }
        if let i = index(of: config.server), owner[i] != Self.unusable { return "the server's address is held" }
        let n = leased.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
        return n == counters.activeLeases ? nil : "activeLeases \(counters.activeLeases), leases \(n)"
    }

    // MARK: The table

    /// The pool index of `a`, or nil if `a` is outside `start…end`.
    @inlinable func index(of a: UInt32) -> Int? {
        a >= config.start && a <= config.end && !owner.isEmpty ? Int(a - config.start) : nil
    }

    private mutating func markServerAddress() {
        if let i = index(of: config.server) { owner[i] = Self.unusable }
    }

    /// RFC 2131 §4.3.1's choice, or nil if no address is free.
    private mutating func chooseAddress(for c: Int, requested: UInt32, now: SimTime) -> UInt32? {
        if leased[c] != 0 { return leased[c] }
        if offered[c] != 0 { return offered[c] }
        if isFree(previous[c], now: now) { return previous[c] }
        if isFree(requested, now: now) { return requested }
        for i in owner.indices {
            reclaimIfExpired(i, now: now)
            if owner[i] == Self.free { return config.start + UInt32(i) }
        }
        return nil
    }

    /// Whether `a` is a pool address no live lease or offer holds (reclaiming one that has ended).
    private mutating func isFree(_ a: UInt32, now: SimTime) -> Bool {
        guard a != 0, let i = index(of: a) else { return false }
        reclaimIfExpired(i, now: now)
        return owner[i] == Self.free
    }

    /// If pool address `i` is held by a client whose lease and offer of it have both ended, frees it.
    private mutating func reclaimIfExpired(_ i: Int, now: SimTime) {
        let o = owner[i]
        if o >= 0 { expireClient(Int(o), now: now) }
    }

    /// Ends client `c`'s lease and offer if due at `now`.
    private mutating func expireClient(_ c: Int, now: SimTime) {
        if leased[c] != 0 && leaseEnds[c] <= now {
            clearLease(c)
            counters.expired += 1
        }
        if offered[c] != 0 && offerEnds[c] <= now { clearOffer(c) }
    }

    private mutating func setOffer(_ c: Int, _ a: UInt32, until t: SimTime) {
        if offered[c] != 0 && offered[c] != a { clearOffer(c) }
        offered[c] = a
        offerEnds[c] = t
        take(a, for: c)
    }

    private mutating func setLease(_ c: Int, _ a: UInt32, until t: SimTime) {
        if offered[c] != 0 { clearOffer(c, keeping: a) }
        if leased[c] != 0 && leased[c] != a { clearLease(c) }
        if leased[c] == 0 {
            counters.activeLeases += 1
            counters.peakLeases = max(counters.peakLeases, counters.activeLeases)
        }
        leased[c] = a
        leaseEnds[c] = t
        previous[c] = a
        take(a, for: c)
    }

    private mutating func clearLease(_ c: Int) {
        let a = leased[c]
        leased[c] = 0
        counters.activeLeases -= 1
        if offered[c] != a { give(a) }
    }

    /// Drops client `c`'s offer; its address is freed unless `c` holds it otherwise (or it is `keeping`).
    private mutating func clearOffer(_ c: Int, keeping k: UInt32 = 0) {
        let a = offered[c]
        offered[c] = 0
        if a != leased[c] && a != k { give(a) }
    }

    private mutating func take(_ a: UInt32, for c: Int) {
        guard let i = index(of: a) else { return }
        assert(owner[i] == Self.free || owner[i] == Int32(c), "DHCPServer: \(a) handed to \(c) while held by \(owner[i])")
        owner[i] = Int32(c)
    }

    private mutating func give(_ a: UInt32) {
        guard let i = index(of: a), owner[i] >= 0 else { return }
        owner[i] = Self.free
    }
}
