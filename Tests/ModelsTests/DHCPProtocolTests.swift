import SimCore
import Testing

@testable import Models

/// The DHCP engines of a Virtual Server network (RFC 2131): the wire packing, the server's lease table, the
/// client's state machine, and the two talking to each other with exact times.
@Suite("DHCP protocol")
struct DHCPProtocolTests {
    /// 10.237.0.0/24, pool .16–.254, server .1; lease 3600 s, T1 1800 s, T2 3150 s.
    static func config(start: UInt32? = nil, end: UInt32? = nil, server: UInt32? = nil, network: UInt32 = 0x0AED_0000)
        -> DHCPServerConfig
    {
        DHCPServerConfig(
            enabled: true, network: network, prefixLength: 24, start: start, end: end, server: server,
            lease: .seconds(3600), renewal: .seconds(1800), rebinding: .seconds(3150))
    }
    static let net: UInt32 = 0x0AED_0000
    static func s(_ x: Double) -> SimTime { SimTime(seconds: x) }

    /// Delivers a client's message to the server and the reply back at the same instant; returns the reply.
    @discardableResult
    static func exchange(_ out: DHCPClient.Output, _ client: inout DHCPClient, _ server: inout DHCPServer, now: SimTime)
        -> (reply: DHCPWire?, out: DHCPClient.Output)
    {
        guard let m = out.send, let r = server.receive(m, from: client.id, now: now) else { return (nil, DHCPClient.Output()) }
        return (r, client.receive(r, times: server.leaseTimes, now: now, jitter: 0))
    }

    /// DORA at `now` with no delay: DISCOVER, OFFER, REQUEST, ACK.
    static func dora(_ client: inout DHCPClient, _ server: inout DHCPServer, now: SimTime) {
        let d = client.linkUp(now: now, jitter: 0)
        let o = exchange(d, &client, &server, now: now)
        exchange(o.out, &client, &server, now: now)
    }

    // MARK: Wire

    @Test func packedRoundTripsExactly() throws {
        // Every kind × phase × flag × a spread of ids and addresses survives packed → DHCPWire(packed:).
        for k in DHCPKind.allCases {
            for p in DHCPRequestPhase.allCases {
                for b in [false, true] {
                    for x: UInt32 in [0, 1, 0x12_3456, 0xFF_FFFF] {
                        for a: UInt32 in [0, 1, 0x0AED_0010, 0xFFFF_FFFF] {
                            let m = DHCPWire(kind: k, phase: p, broadcast: b, transactionID: x, address: a)
                            #expect(DHCPWire(packed: m.packed) == m, "\(m)")
                        }
                    }
                }
            }
        }
        // The layout: address in bits 32–63, xid 8–31, broadcast bit 5, phase 3–4, kind 0–2; xid cut to 24 bits.
        let m = DHCPWire(kind: .request, phase: .rebinding, broadcast: true, transactionID: 0xAB12_3456, address: 0x0AED_0010)
        #expect(m.transactionID == 0x12_3456)
        #expect(m.packed == 0x0AED_0010_1234_5600 | 1 << 5 | 3 << 3 | 3)
        // A phase is a REQUEST's only.
        #expect(DHCPWire(kind: .ack, phase: .renewing, broadcast: false, transactionID: 1).phase == .selecting)
    }

    // MARK: Client and server together

    @Test func fullDORAGrantsALeaseWithExactTimes() throws {
        // Expected: DISCOVER (broadcast) at 10 s, OFFER of .16 (the pool's lowest), REQUEST(selecting) for .16 sent
        // at 10.001 s, ACK at 10.002 s. The client counts its times from the REQUEST (RFC 2131 §4.4.1):
        // T1 = 10.001 + 1800, T2 = 10.001 + 3150, end = 10.001 + 3600; the server's lease ends at 10.002 + 3600.
        var server = DHCPServer(config: Self.config(), clients: 1)
        var client = DHCPClient(id: 0)
        let d = client.linkUp(now: Self.s(10), jitter: 0)
        let discover = try unwrap(d.send)
        #expect(discover.kind == .discover && discover.broadcast && discover.address == 0)
        #expect(client.state == .selecting && client.timer == Self.s(14))
        let offer = try unwrap(server.receive(discover, from: 0, now: Self.s(10)))
        #expect(offer == DHCPWire(kind: .offer, broadcast: false, transactionID: discover.transactionID, address: Self.net + 16))
        let r = client.receive(offer, times: nil, now: Self.s(10.001), jitter: 0)
        let request = try unwrap(r.send)
        #expect(
            request
                == DHCPWire(
                    kind: .request, phase: .selecting, broadcast: true, transactionID: discover.transactionID, address: Self.net + 16))
        #expect(client.state == .requesting && client.timer == Self.s(14.001))
        let ack = try unwrap(server.receive(request, from: 0, now: Self.s(10.002)))
        #expect(ack.kind == .ack && ack.address == Self.net + 16 && ack.transactionID == discover.transactionID)
        let b = client.receive(ack, times: server.leaseTimes, now: Self.s(10.003), jitter: 0)
        #expect(b == DHCPClient.Output(leaseGained: true))
        #expect(client.state == .bound && client.hasLease && client.address == Self.net + 16)
        #expect(client.leaseObtained == Self.s(10.001))
        #expect(client.renewalTime == Self.s(1810.001) && client.rebindingTime == Self.s(3160.001))
        #expect(client.leaseExpires == Self.s(3610.001) && client.timer == Self.s(1810.001))
        #expect(server.lease(of: 0)?.address == Self.net + 16 && server.lease(of: 0)?.expires == Self.s(3610.002))
        #expect(server.nextExpiry == Self.s(3610.002))
        var sc = DHCPServerCounters()
        sc.discovers = 1; sc.offers = 1; sc.requests = 1; sc.acks = 1; sc.activeLeases = 1; sc.peakLeases = 1
        #expect(server.counters == sc)
        var cc = DHCPClientCounters()
        cc.discovers = 1; cc.requests = 1; cc.leasesGained = 1
        #expect(client.counters == cc)
    }

    @Test func renewalAtT1IsUnicastAndTheACKExtendsTheLease() throws {
        // Expected: bound at 0 → at T1 = 1800 s a REQUEST(renewing), unicast, ciaddr .16, a new xid; the ACK moves
        // T1/T2/end to 1800 + 1800/3150/3600 and the server's lease end to 5400 s.
        var server = DHCPServer(config: Self.config(), clients: 1)
        var client = DHCPClient(id: 0)
        Self.dora(&client, &server, now: .zero)
        let firstXID = client.transactionID
        #expect(client.timer == Self.s(1800))
        let t1 = client.timerFired(now: Self.s(1800), jitter: 0.7)
        let renew = try unwrap(t1.send)
        #expect(renew.kind == .request && renew.phase == .renewing && !renew.broadcast && renew.address == Self.net + 16)
        #expect(renew.transactionID != firstXID && client.state == .renewing)
        // No reply yet: the retransmission after half the time left to T2, (3150 − 1800) / 2 = 675 s (no jitter).
        #expect(client.timer == Self.s(2475))
        let ack = try unwrap(server.receive(renew, from: 0, now: Self.s(1800)))
        #expect(ack.kind == .ack && !ack.broadcast && ack.address == Self.net + 16)
        #expect(client.receive(ack, times: server.leaseTimes, now: Self.s(1800), jitter: 0) == DHCPClient.Output())
        #expect(client.state == .bound && client.renewalTime == Self.s(3600) && client.rebindingTime == Self.s(4950))
        #expect(client.leaseExpires == Self.s(5400) && server.lease(of: 0)?.expires == Self.s(5400))
        #expect(client.counters.renewals == 1 && server.counters.acks == 2)
    }

    @Test func rebindingAtT2AndExpiryWhenTheServerIsSilent() throws {
        // Expected (jitter 0; lease 3600, T1 1800, T2 3150 from 0): RENEWING REQUESTs at 1800 and after half the time
        // left to T2 (≥ 60 s): 2475, 2812.5, 2981.25, 3065.625, 3125.625 (half 12.1875 < 60 → 60); the next, 3185.625,
        // is past T2, so the timer stops at T2 = 3150: REBINDING, broadcast. Its REQUESTs: 3150, then half the lease
        // left: 3375, 3487.5, 3547.5 (half 26.25 → 60); the next, 3607.5, is past the end: the timer stops at 3600,
        // the lease is lost and a DISCOVER goes out.
        var server = DHCPServer(config: Self.config(), clients: 1)
        var client = DHCPClient(id: 0)
        Self.dora(&client, &server, now: .zero)
        var sent: [(SimTime, DHCPWire)] = []
        var last = DHCPClient.Output()
        while client.state != .selecting, let t = client.timer {
            last = client.timerFired(now: t, jitter: 0)
            if let m = last.send { sent.append((t, m)) }
        }
        let renewing = [1800, 2475, 2812.5, 2981.25, 3065.625, 3125.625].map(Self.s)
        let rebinding = [3150, 3375, 3487.5, 3547.5].map(Self.s)
        #expect(sent.filter { $0.1.phase == .renewing && $0.1.kind == .request }.map(\.0) == renewing)
        #expect(sent.filter { $0.1.phase == .rebinding && $0.1.kind == .request }.map(\.0) == rebinding)
        #expect(sent.allSatisfy { $0.1.kind != .request || $0.1.broadcast == ($0.1.phase == .rebinding) })
        #expect(sent.last.map { ($0.0, $0.1.kind) } ?? (.zero, .ack) == (Self.s(3600), .discover))
        #expect(last.leaseLost && !client.hasLease && client.address == 0 && client.timer == Self.s(3604))
        #expect(client.counters.expiries == 1 && client.counters.requests == 1 + 6 + 4 && client.counters.discovers == 2)
        // The server frees the lease at its end.
        #expect(server.nextExpiry == Self.s(3600))
        server.expire(now: Self.s(3600))
        #expect(server.lease(of: 0) == nil && server.counters.expired == 1 && server.counters.activeLeases == 0)
        #expect(server.nextExpiry == nil)
    }

    @Test func aRebindingACKKeepsTheLease() throws {
        // Expected: the client lets T1 pass unanswered, at T2 = 3150 s it broadcasts REQUEST(rebinding); the server
        // answers (it still holds the lease): bound again, lease end 3150 + 3600 = 6750 s, one rebind counted.
        var server = DHCPServer(config: Self.config(), clients: 1)
        var client = DHCPClient(id: 0)
        Self.dora(&client, &server, now: .zero)
        while let t = client.timer, t < Self.s(3150) { _ = client.timerFired(now: t, jitter: 0) }
        let out = client.timerFired(now: Self.s(3150), jitter: 0)
        #expect(client.state == .rebinding)
        Self.exchange(out, &client, &server, now: Self.s(3150))
        #expect(client.state == .bound && client.leaseExpires == Self.s(6750) && client.counters.rebinds == 1)
    }

    @Test func retransmissionsBackOffWithJitterAndAnUnansweredRequestStartsOver() throws {
        // Expected (RFC 2131 §4.1): DISCOVERs at 0, then +4, +8, +16, +32, +64, +64 s, each + jitter:
        // jitter 0 → 0, 4, 12, 28, 60, 124, 188; jitter −0.5 → each wait 0.5 s shorter: 0, 3.5, 11, 26.5, 58, 121.5, 185.
        for (jitter, times) in [(0.0, [0, 4, 12, 28, 60, 124, 188]), (-0.5, [0, 3.5, 11, 26.5, 58, 121.5, 185])] {
            var client = DHCPClient(id: 3)
            var at = [SimTime.zero]
            let xid = client.linkUp(now: .zero, jitter: jitter).send?.transactionID
            while at.count < 7, let t = client.timer {
                #expect(client.timerFired(now: t, jitter: jitter).send?.transactionID == xid)
                at.append(t)
            }
            #expect(at == times.map(Self.s), "jitter \(jitter)")
            #expect(client.counters.discovers == 7 && client.counters.retransmissions == 6)
        }
        // REQUEST(selecting) at 0, 4, 12, 28, 60 (4 retransmissions); at 124 s the client gives up: a new DISCOVER.
        var client = DHCPClient(id: 1)
        let xid = client.linkUp(now: .zero, jitter: 0).send!.transactionID
        _ = client.receive(
            DHCPWire(kind: .offer, broadcast: false, transactionID: xid, address: Self.net + 20), times: nil, now: .zero, jitter: 0)
        var requests: [SimTime] = [.zero]
        while client.state == .requesting, let t = client.timer {
            let m = client.timerFired(now: t, jitter: 0).send!
            if m.kind == .request { requests.append(t) } else { #expect(m.kind == .discover && m.transactionID != xid && t == Self.s(124)) }
        }
        #expect(requests == [0, 4, 12, 28, 60].map(Self.s))
        #expect(client.state == .selecting && client.timer == Self.s(128))
    }

    @Test func poolExhaustionLeavesTheThirdClientWithoutAnAddress() throws {
        // Expected: a pool of two (.16, .17), three clients: the first two are bound to .16 and .17, the third's
        // DISCOVER gets no reply and counts as exhausted; its retransmission (still no address) counts again.
        var server = DHCPServer(config: Self.config(start: Self.net + 16, end: Self.net + 17), clients: 3)
        var clients = (0..<3).map { DHCPClient(id: $0) }
        for i in 0..<2 { Self.dora(&clients[i], &server, now: .zero) }
        #expect(clients[0].address == Self.net + 16 && clients[1].address == Self.net + 17)
        let d = clients[2].linkUp(now: .zero, jitter: 0).send!
        #expect(server.receive(d, from: 2, now: .zero) == nil)
        let again = clients[2].timerFired(now: Self.s(4), jitter: 0).send!
        #expect(server.receive(again, from: 2, now: Self.s(4)) == nil)
        #expect(server.counters.exhausted == 2 && server.counters.offers == 2 && server.counters.peakLeases == 2)
        #expect(clients[2].state == .selecting && !clients[2].hasLease)
    }

    @Test func initRebootOnAnotherNetworkIsRefusedThenANewAddressIsLeased() throws {
        // Expected: bound to 10.237.0.16 on network A; unplugged and plugged into network B (192.168.131.0/24):
        // INIT-REBOOT REQUEST for 10.237.0.16 → B's NAK (wrong subnet) → lease lost, DISCOVER → 192.168.131.16.
        var a = DHCPServer(config: Self.config(), clients: 1)
        var b = DHCPServer(config: Self.config(network: 0xC0A8_8300), clients: 1)
        var client = DHCPClient(id: 0)
        Self.dora(&client, &a, now: .zero)
        client.linkDown()
        #expect(client.state == .stopped && client.hasLease && client.timer == nil)
        let reboot = client.linkUp(now: Self.s(100), jitter: 0)
        #expect(
            reboot.send
                == DHCPWire(
                    kind: .request, phase: .initReboot, broadcast: true, transactionID: client.transactionID, address: Self.net + 16))
        let nak = try unwrap(b.receive(reboot.send!, from: 0, now: Self.s(100)))
        #expect(nak.kind == .nak && nak.broadcast && nak.address == 0)
        let rediscover = client.receive(nak, times: nil, now: Self.s(100), jitter: 0)
        #expect(rediscover.leaseLost && rediscover.send?.kind == .discover && !client.hasLease)
        let o = Self.exchange(rediscover, &client, &b, now: Self.s(100))
        Self.exchange(o.out, &client, &b, now: Self.s(100))
        #expect(client.state == .bound && client.address == 0xC0A8_8310)
        #expect(client.counters.naksReceived == 1 && client.counters.leasesGained == 2 && b.counters.naks == 1)
    }

    @Test func initRebootOnTheSameNetworkKeepsTheAddress() throws {
        // Expected: unplugged at 100 s, plugged back at 200 s into the same network: REQUEST(initReboot) → ACK
        // for .16, the lease restarting from 200 s (end 3800 s); and unanswered (a silent server) after 4
        // retransmissions (200, 204, 212, 228, 260; gives up at 324 s) the client goes on with its lease: bound, T1 2000 s.
        var server = DHCPServer(config: Self.config(), clients: 1)
        var client = DHCPClient(id: 0)
        Self.dora(&client, &server, now: .zero)
        client.linkDown()
        let out = client.linkUp(now: Self.s(200), jitter: 0)
        #expect(client.state == .rebooting)
        Self.exchange(out, &client, &server, now: Self.s(200))
        #expect(client.state == .bound && client.address == Self.net + 16 && client.leaseExpires == Self.s(3800))
        #expect(server.lease(of: 0)?.expires == Self.s(3800))

        var silent = DHCPClient(id: 0)
        Self.dora(&silent, &server, now: .zero)
        silent.linkDown()
        _ = silent.linkUp(now: Self.s(200), jitter: 0)
        var sent: [SimTime] = [Self.s(200)]
        while silent.state == .rebooting, let t = silent.timer {
            if silent.timerFired(now: t, jitter: 0).send != nil { sent.append(t) }
        }
        #expect(sent == [200, 204, 212, 228, 260].map(Self.s))
        #expect(silent.state == .bound && silent.hasLease && silent.timer == Self.s(1800))
    }

    @Test func initRebootForATakenAddressIsRefused() throws {
        // Expected: client 1 asks (INIT-REBOOT) for .16, which client 0 holds → NAK; for .40 (free) → ACK;
        // for .5 (on the network, outside the pool) → NAK.
        var server = DHCPServer(config: Self.config(), clients: 2)
        var c0 = DHCPClient(id: 0)
        Self.dora(&c0, &server, now: .zero)
        func reboot(_ a: UInt32) -> DHCPKind? {
            server.receive(
                DHCPWire(kind: .request, phase: .initReboot, broadcast: true, transactionID: 9, address: a), from: 1, now: .zero)?.kind
        }
        #expect(reboot(Self.net + 16) == .nak)
        #expect(reboot(Self.net + 40) == .ack && server.lease(of: 1)?.address == Self.net + 40)
        #expect(reboot(Self.net + 5) == .nak)
    }

    @Test func releaseFreesTheAddress() throws {
        // Expected: a RELEASE (unicast, ciaddr .16) ends client 0's lease: the server holds none, and client 1's
        // DISCOVER is offered .16 (the lowest free again).
        var server = DHCPServer(config: Self.config(), clients: 2)
        var c0 = DHCPClient(id: 0)
        Self.dora(&c0, &server, now: .zero)
        let r = c0.release(now: Self.s(5))
        #expect(r.send?.kind == .release && r.send?.broadcast == false && r.send?.address == Self.net + 16)
        #expect(c0.state == .initial && !c0.hasLease && c0.timer == nil)
        #expect(server.receive(r.send!, from: 0, now: Self.s(5)) == nil)
        #expect(server.lease(of: 0) == nil && server.counters.releases == 1 && server.counters.activeLeases == 0)
        #expect(
            server.receive(DHCPWire(kind: .discover, broadcast: true, transactionID: 2), from: 1, now: Self.s(6))?.address == Self.net + 16)
        // Idle after the release, the client starts over at the next link up (no lease left to INIT-REBOOT with).
        let up = c0.linkUp(now: Self.s(7), jitter: 0)
        #expect(up.send?.kind == .discover && c0.state == .selecting)
    }

    @Test func addressChoicePrefersTheBindingThenThePreviousThenTheRequested() throws {
        // Expected (RFC 2131 §4.3.1): clients 0 and 1 bound to .16 and .17, both release; client 1 is offered
        // .17 again (its previous binding) though .16 is lower; a bound client re-DISCOVERing is offered its
        // binding; client 2 (no history) asking for .30 gets .30, and asking for .16 once it is taken gets the
        // lowest free, .18.
        var server = DHCPServer(config: Self.config(), clients: 4)
        func discover(_ c: Int, _ requested: UInt32 = 0) -> UInt32? {
            server.receive(DHCPWire(kind: .discover, broadcast: true, transactionID: 1, address: requested), from: c, now: .zero)?.address
        }
        func request(_ c: Int, _ a: UInt32) -> DHCPKind? {
            server.receive(DHCPWire(kind: .request, phase: .selecting, broadcast: true, transactionID: 1, address: a), from: c, now: .zero)?
                .kind
        }
        #expect(discover(0) == Self.net + 16 && request(0, Self.net + 16) == .ack)
        #expect(discover(1) == Self.net + 17 && request(1, Self.net + 17) == .ack)
        for c in 0..<2 {
            _ = server.receive(
                DHCPWire(kind: .release, broadcast: false, transactionID: 2, address: server.lease(of: c)!.address), from: c, now: .zero)
        }
        #expect(discover(1) == Self.net + 17 && request(1, Self.net + 17) == .ack)
        #expect(discover(1) == Self.net + 17)
        #expect(discover(2, Self.net + 30) == Self.net + 30)
        #expect(discover(0) == Self.net + 16 && request(0, Self.net + 16) == .ack)
        #expect(discover(3, Self.net + 16) == Self.net + 18)
        // A REQUEST(selecting) for an address not offered to that client is refused.
        #expect(request(3, Self.net + 30) == .nak && request(3, Self.net + 18) == .ack)
    }

    @Test func noAddressOutsideThePoolOrEqualToTheServers() throws {
        // Expected: pool .16–.40 with the server at .20 inside it: 24 addresses; 24 clients get 24 distinct
        // addresses in .16–.40, none .20; the 25th gets nothing.
        let c = Self.config(start: Self.net + 16, end: Self.net + 40, server: Self.net + 20)
        #expect(c.poolSize == 24)
        var server = DHCPServer(config: c, clients: 25)
        var got: Set<UInt32> = []
        for i in 0..<24 {
            var client = DHCPClient(id: i)
            Self.dora(&client, &server, now: .zero)
            #expect(client.hasLease)
            got.insert(client.address)
        }
        #expect(got.count == 24 && got.allSatisfy { $0 >= Self.net + 16 && $0 <= Self.net + 40 && $0 != Self.net + 20 })
        #expect(server.receive(DHCPWire(kind: .discover, broadcast: true, transactionID: 5), from: 24, now: .zero) == nil)
        #expect(server.counters.exhausted == 1 && server.counters.activeLeases == 24)
    }

    @Test func anOfferReservesItsAddressForTheHoldOnly() throws {
        // Expected: client 0 is offered .16 at 0 and never requests; client 1 is offered .17 while the hold lasts;
        // the reservation ends at 120 s (nextExpiry); after it client 2 is offered .16.
        var server = DHCPServer(config: Self.config(), clients: 3)
        let d = DHCPWire(kind: .discover, broadcast: true, transactionID: 1)
        #expect(server.receive(d, from: 0, now: .zero)?.address == Self.net + 16)
        #expect(server.receive(d, from: 1, now: Self.s(1))?.address == Self.net + 17)
        #expect(server.nextExpiry == DHCPServer.offerHold)
        server.expire(now: DHCPServer.offerHold)
        #expect(server.receive(d, from: 2, now: DHCPServer.offerHold)?.address == Self.net + 16)
        #expect(server.lease(of: 0) == nil && server.counters.expired == 0)
    }

    @Test func aDeclinedAddressLeavesThePool() throws {
        // Expected: client 0 declines .16 after its ACK: it is never offered again (client 1 gets .17, client 0 .18),
        // until the network is deleted (forgetLeases): then .16 is offered first again.
        var server = DHCPServer(config: Self.config(), clients: 2)
        let d = DHCPWire(kind: .discover, broadcast: true, transactionID: 1)
        #expect(server.receive(d, from: 0, now: .zero)?.address == Self.net + 16)
        _ = server.receive(
            DHCPWire(kind: .request, phase: .selecting, broadcast: true, transactionID: 1, address: Self.net + 16), from: 0, now: .zero)
        #expect(
            server.receive(DHCPWire(kind: .decline, broadcast: true, transactionID: 1, address: Self.net + 16), from: 0, now: .zero) == nil)
        #expect(server.lease(of: 0) == nil && server.counters.declines == 1)
        #expect(server.receive(d, from: 1, now: .zero)?.address == Self.net + 17)
        #expect(server.receive(d, from: 0, now: .zero)?.address == Self.net + 18)
        server.forgetLeases()
        #expect(server.nextExpiry == nil && server.counters.activeLeases == 0)
        #expect(server.receive(d, from: 0, now: .zero)?.address == Self.net + 16)
    }

    @Test func aDisabledServerAndStrangersAreIgnored() throws {
        // Expected: a disabled server answers nothing and counts nothing; a renewal for a lease the client does not
        // hold is refused; a server's message sent to a server is ignored.
        var c = Self.config()
        c.enabled = false
        var off = DHCPServer(config: c, clients: 1)
        #expect(off.receive(DHCPWire(kind: .discover, broadcast: true, transactionID: 1), from: 0, now: .zero) == nil)
        #expect(off.counters == DHCPServerCounters())
        var on = DHCPServer(config: Self.config(), clients: 1)
        #expect(
            on.receive(
                DHCPWire(kind: .request, phase: .renewing, broadcast: false, transactionID: 1, address: Self.net + 16), from: 0, now: .zero)?
                .kind == .nak)
        #expect(on.receive(DHCPWire(kind: .offer, broadcast: false, transactionID: 1, address: Self.net + 16), from: 0, now: .zero) == nil)
    }

    @Test func aRememberedLeaseThatRanOutIsDroppedAtLinkUp() throws {
        // Expected: bound at 0 (end 3600 s), unplugged; plugged in at 4000 s: the lease is gone (lost, one expiry),
        // and the client DISCOVERs instead of INIT-REBOOT. Messages with a stale xid are ignored.
        var server = DHCPServer(config: Self.config(), clients: 1)
        var client = DHCPClient(id: 0)
        Self.dora(&client, &server, now: .zero)
        client.linkDown()
        let out = client.linkUp(now: Self.s(4000), jitter: 0)
        #expect(out.leaseLost && out.send?.kind == .discover && client.counters.expiries == 1)
        let stale = DHCPWire(kind: .offer, broadcast: false, transactionID: client.transactionID ^ 1, address: Self.net + 16)
        #expect(client.receive(stale, times: nil, now: Self.s(4000), jitter: 0) == DHCPClient.Output())
        #expect(client.state == .selecting)
        // Transaction ids differ between clients and between a client's exchanges.
        var other = DHCPClient(id: 1)
        #expect(other.linkUp(now: .zero, jitter: 0).send?.transactionID != DHCPClient(id: 0).transactionIDAfterLinkUp)
    }
}

extension DHCPClient {
    /// The xid of a fresh client's first DISCOVER.
    fileprivate var transactionIDAfterLinkUp: UInt32 {
        var c = self
        return c.linkUp(now: .zero, jitter: 0).send!.transactionID
    }
}

/// `#require` for a value made by a mutating call (the macro cannot take one).
private func unwrap<T>(_ x: T?, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
    try #require(x, sourceLocation: sourceLocation)
}

/// Many clients on two small networks, links going up and down and clients moving between the networks at random,
/// a fifth of the client messages lost, replies delivered at once: the lease tables stay consistent and no two clients
/// ever use the same address.
@Suite("DHCP protocol, randomized")
struct DHCPProtocolSoakTests {
    @Test func clientsNeverShareAnAddress() {
        // Expected, after every step and for every seed: `brokenInvariant()` is nil on both servers; the clients in
        // BOUND, RENEWING or REBINDING on a network have distinct addresses, each the one its server leases them.
        var total = (exhausted: 0, naks: 0, expired: 0, releases: 0, renewals: 0, rebinds: 0)
        for seed: UInt64 in 1...10 {
            var rng = seed &* 0x9E37_79B9_7F4A_7C15
            func next(_ n: Int) -> Int {
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int((rng >> 33) % UInt64(n))
            }
            var servers = [0x0AED_0000, 0xC0A8_8300].map { (n: UInt32) in
                DHCPServer(
                    config: DHCPServerConfig(
                        enabled: true, network: n, prefixLength: 24, start: n + 16, end: n + 19, lease: .seconds(300),
                        renewal: .seconds(150), rebinding: .seconds(260)),
                    clients: 6)
            }
            var clients = (0..<6).map { DHCPClient(id: $0) }
            var network = [Int](repeating: 0, count: 6)
            var now = SimTime.zero
            func deliver(_ first: DHCPClient.Output, _ i: Int) {
                var out = first
                while let m = out.send, next(5) != 0, let r = servers[network[i]].receive(m, from: i, now: now) {
                    out = clients[i].receive(r, times: servers[network[i]].leaseTimes, now: now, jitter: 0)
                }
            }
            for _ in 0..<500 {
                let i = next(6)
                switch next(12) {
                case 0: clients[i].linkDown()
                case 1: deliver(clients[i].linkUp(now: now, jitter: 0), i)
                case 2: deliver(clients[i].release(now: now), i)
                case 3:
                    clients[i].linkDown()
                    network[i] = 1 - network[i]
                    deliver(clients[i].linkUp(now: now, jitter: 0), i)
                default:
                    let t = (servers.map(\.nextExpiry) + clients.map(\.timer)).compactMap { $0 }.min()
                    guard let t else { continue }
                    now = max(now, t)
                    for k in servers.indices { servers[k].expire(now: now) }
                    for j in clients.indices where clients[j].timer.map({ $0 <= now }) ?? false {
                        deliver(clients[j].timerFired(now: now, jitter: Double(next(201) - 100) / 100), j)
                    }
                }
                if let broken = servers.compactMap({ $0.brokenInvariant() }).first {
                    Issue.record("seed \(seed): \(broken)")
                    break
                }
                for n in servers.indices {
                    let using = clients.filter { network[$0.id] == n && [.bound, .renewing, .rebinding].contains($0.state) }
                    #expect(Set(using.map(\.address)).count == using.count, "seed \(seed): shared address")
                    for u in using {
                        #expect(servers[n].lease(of: u.id)?.address == u.address, "seed \(seed): client \(u.id) not leased")
                    }
                }
            }
            for s in servers {
                total.exhausted += s.counters.exhausted; total.naks += s.counters.naks
                total.expired += s.counters.expired; total.releases += s.counters.releases
            }
            for k in clients { total.renewals += k.counters.renewals; total.rebinds += k.counters.rebinds }
        }
        // The runs went through the paths checked: exhaustion, NAKs, expiries, releases, renewals, rebinds.
        #expect(total.exhausted > 0 && total.naks > 0 && total.expired > 0 && total.releases > 0, "\(total)")
        #expect(total.renewals > 0 && total.rebinds > 0, "\(total)")
    }
}
