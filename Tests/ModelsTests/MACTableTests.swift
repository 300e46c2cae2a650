import SimCore
import TestSupport
import Testing

@testable import Models

@Suite("MAC table")
struct MACTableTests {
    static let a: UInt64 = 0x0015_5D00_0001
    static let b: UInt64 = 0x0015_5D00_0002

    @Test func learnsRefreshesAndMoves() {
        var t = MACTable(capacity: 8, agingTime: .seconds(300))
        defer { t.deallocate() }
        #expect(t.lookup(mac: Self.a, vlan: 0, now: .zero) == nil)
        #expect(t.learn(mac: Self.a, vlan: 0, port: 1, generation: 0, now: .zero) == .new)
        #expect(t.lookup(mac: Self.a, vlan: 0, now: .zero).map { [$0.port, Int32($0.generation)] } == [1, 0])
        #expect(t.learn(mac: Self.a, vlan: 0, port: 1, generation: 0, now: .seconds(1)) == .refreshed)
        #expect(t.learn(mac: Self.a, vlan: 0, port: 2, generation: 0, now: .seconds(2)) == .moved(from: 1))
        #expect(t.lookup(mac: Self.a, vlan: 0, now: .seconds(2))?.port == 2)
        // The same port slot, unbound and bound again: a new generation is a move.
        #expect(t.learn(mac: Self.a, vlan: 0, port: 2, generation: 1, now: .seconds(3)) == .moved(from: 2))
        #expect(t.lookup(mac: Self.a, vlan: 0, now: .seconds(3))?.generation == 1)
        #expect(t.count == 1)
        #expect((t.learned, t.moved, t.aged, t.fullMisses) == (1, 2, 0, 0))
    }

    @Test func vlansAreSeparate() {
        var t = MACTable(capacity: 8, agingTime: .seconds(300))
        defer { t.deallocate() }
        #expect(t.learn(mac: Self.a, vlan: 10, port: 1, generation: 0, now: .zero) == .new)
        #expect(t.learn(mac: Self.a, vlan: 20, port: 2, generation: 0, now: .zero) == .new)
        #expect(t.lookup(mac: Self.a, vlan: 10, now: .zero)?.port == 1)
        #expect(t.lookup(mac: Self.a, vlan: 20, now: .zero)?.port == 2)
        #expect(t.lookup(mac: Self.a, vlan: 30, now: .zero) == nil)
        #expect(t.lookup(mac: Self.a, vlan: 0, now: .zero) == nil)
        #expect(t.count == 2)
    }

    @Test func entriesAgeOut() {
        var t = MACTable(capacity: 8, agingTime: .seconds(1))
        defer { t.deallocate() }
        _ = t.learn(mac: Self.a, vlan: 0, port: 1, generation: 0, now: .zero)
        _ = t.learn(mac: Self.b, vlan: 0, port: 2, generation: 0, now: .milliseconds(500))
        #expect(t.lookup(mac: Self.a, vlan: 0, now: .seconds(1))?.port == 1)  // aged only after agingTime
        #expect(t.lookup(mac: Self.a, vlan: 0, now: .seconds(1) + SimTime(picoseconds: 1)) == nil)
        #expect(t.count == 2)  // lookup does not remove
        // Learning an aged address is new again.
        #expect(t.learn(mac: Self.a, vlan: 0, port: 3, generation: 0, now: .seconds(2)) == .new)
        #expect((t.learned, t.aged) == (3, 1))
        t.expire(now: .seconds(2))
        #expect(t.count == 1)
        #expect(t.aged == 2)
        #expect(t.lookup(mac: Self.a, vlan: 0, now: .seconds(2))?.port == 3)
        #expect(t.lookup(mac: Self.b, vlan: 0, now: .zero) == nil)  // swept, not only aged
    }

    @Test func removeAllForgetsOnePort() {
        var t = MACTable(capacity: 64, agingTime: .seconds(300))
        defer { t.deallocate() }
        for m in 0..<60 { _ = t.learn(mac: UInt64(m), vlan: 0, port: Int32(m % 3), generation: 0, now: .zero) }
        t.removeAll(port: 1)
        #expect(t.count == 40)
        for m in 0..<60 {
            #expect(t.lookup(mac: UInt64(m), vlan: 0, now: .zero)?.port == (m % 3 == 1 ? nil : Int32(m % 3)))
        }
        #expect(t.aged == 0)
    }

    @Test func aFullTableLearnsNothingNew() {
        var t = MACTable(capacity: 4, agingTime: .seconds(1))
        defer { t.deallocate() }
        for m in 0..<4 { #expect(t.learn(mac: UInt64(m), vlan: 0, port: 0, generation: 0, now: .zero) == .new) }
        #expect(t.learn(mac: 99, vlan: 0, port: 0, generation: 0, now: .zero) == .full)
        #expect(t.lookup(mac: 99, vlan: 0, now: .zero) == nil)
        #expect(t.fullMisses == 1)
        // Known addresses still refresh and move.
        #expect(t.learn(mac: 0, vlan: 0, port: 0, generation: 0, now: .milliseconds(600)) == .refreshed)
        #expect(t.learn(mac: 1, vlan: 0, port: 5, generation: 0, now: .milliseconds(600)) == .moved(from: 0))
        // Sweeping the aged entries makes room.
        t.expire(now: .milliseconds(1500))
        #expect(t.count == 2)
        #expect(t.learn(mac: 99, vlan: 0, port: 0, generation: 0, now: .milliseconds(1500)) == .new)
    }

    @Test func addressHelpers() {
        #expect(MACTable.isBroadcast(0xFFFF_FFFF_FFFF))
        #expect(!MACTable.isBroadcast(0xFFFF_FFFF_FFFE))
        #expect(MACTable.isMulticast(0xFFFF_FFFF_FFFF))
        #expect(MACTable.isMulticast(0x0100_5E00_0001))  // IPv4 multicast
        #expect(!MACTable.isMulticast(Self.a))
        #expect(!MACTable.isMulticast(0x0200_0000_0001))  // locally administered, unicast
        let mac = Addressing.mac(internalIndex: 0x01_0203)
        #expect(mac.uint64 == 0x0015_5D01_0203)
        #expect(MACAddress(uint64: mac.uint64) == mac)
        #expect(MACAddress(uint64: 0xFFFF_FFFF_FFFF).description == "ff:ff:ff:ff:ff:ff")
    }

    /// Random learns, lookups, unbinds, sweeps and clock steps, against a dictionary with the same rules.
    @Test(arguments: [(1, 1), (4, 2), (64, 3), (200, 4)])
    func matchesADictionary(capacity: Int, seed: UInt64) {
        var rng = SplitMix64(state: seed)
        var t = MACTable(capacity: capacity, agingTime: .seconds(1))
        defer { t.deallocate() }
        var model = ReferenceMACTable(capacity: capacity, agingTime: .seconds(1))
        var now = SimTime.zero
        for step in 0..<20_000 {
            let r = rng.next()
            let mac = (r >> 8) % UInt64(3 * capacity + 2)
            let vlan = UInt16((r >> 40) % 3)
            let port = Int32((r >> 48) % 5)
            switch r % 100 {
            case 0..<50:
                let gen = UInt32((r >> 56) % 2)
                let got = t.learn(mac: mac, vlan: vlan, port: port, generation: gen, now: now)
                #expect(got == model.learn(mac: mac, vlan: vlan, port: port, generation: gen, now: now), "step \(step)")
            case 50..<85:
                let got = t.lookup(mac: mac, vlan: vlan, now: now)
                let want = model.lookup(mac: mac, vlan: vlan, now: now)
                #expect(got?.port == want?.port && got?.generation == want?.generation, "step \(step)")
            case 85..<88: t.removeAll(port: port); model.removeAll(port: port)
            case 88..<90: t.expire(now: now); model.expire(now: now)
            default: now += SimTime(picoseconds: Int64((r >> 16) % 200) * SimTime.picosecondsPerMillisecond)
            }
            #expect(t.count == model.entries.count, "step \(step)")
        }
        #expect((t.learned, t.moved, t.aged, t.fullMisses) == (model.learned, model.moved, model.aged, model.fullMisses))
        // Every entry the model holds is reachable from its home slot (the deletions kept the probe chains whole).
        for (k, e) in model.entries {
            let got = t.lookup(mac: k.mac, vlan: k.vlan, now: e.lastSeen)
            #expect(got?.port == e.port && got?.generation == e.generation)
        }
        #expect(model.learned > 0 && model.moved > 0 && model.aged > 0)
    }
}

/// The MAC table's rules over a dictionary.
private struct ReferenceMACTable {
    struct Key: Hashable { var mac: UInt64, vlan: UInt16 }
    struct Entry { var port: Int32, generation: UInt32, lastSeen: SimTime }
    let capacity: Int
    let agingTime: SimTime
    var entries: [Key: Entry] = [:]
    var learned: UInt64 = 0, moved: UInt64 = 0, aged: UInt64 = 0, fullMisses: UInt64 = 0

    func isAged(_ e: Entry, _ now: SimTime) -> Bool { now - e.lastSeen > agingTime }

    mutating func learn(mac: UInt64, vlan: UInt16, port: Int32, generation: UInt32, now: SimTime) -> MACTable.LearnResult {
        let k = Key(mac: mac, vlan: vlan)
        let new = Entry(port: port, generation: generation, lastSeen: now)
        guard let old = entries[k] else {
            if entries.count == capacity { fullMisses += 1; return .full }
            entries[k] = new; learned += 1; return .new
        }
        entries[k] = new
        if isAged(old, now) { aged += 1; learned += 1; return .new }
        if old.port == port && old.generation == generation { return .refreshed }
        moved += 1
        return .moved(from: old.port)
    }

    func lookup(mac: UInt64, vlan: UInt16, now: SimTime) -> Entry? {
        entries[Key(mac: mac, vlan: vlan)].flatMap { isAged($0, now) ? nil : $0 }
    }

    mutating func removeAll(port: Int32) { entries = entries.filter { $0.value.port != port } }

    mutating func expire(now: SimTime) {
        let before = entries.count
        entries = entries.filter { !isAged($0.value, now) }
        aged += UInt64(before - entries.count)
    }
}

@Suite struct MACTableRegistrationTests {
    @Test func aRegisteredAddressIsStatic() {
        // Registered: found under its VLAN for any generation, never aged, not moved by learning, kept by
        // removeAll(port:) and expire, and not counted as learned.
        var t = MACTable(capacity: 8, agingTime: .seconds(1))
        defer { t.deallocate() }
        let first = t.register(mac: 0xA, vlan: 3, port: 2), again = t.register(mac: 0xA, vlan: 3, port: 5)
        #expect(first && !again)  // the second: already there
        let later = SimTime.seconds(100)
        #expect(t.lookup(mac: 0xA, vlan: 3, now: later)?.port == 2)
        #expect(t.lookup(mac: 0xA, vlan: 3, now: later)?.generation == MACTable.anyGeneration)
        #expect(t.lookup(mac: 0xA, vlan: 4, now: later) == nil)
        let relearned = t.learn(mac: 0xA, vlan: 3, port: 7, generation: 1, now: later)
        #expect(relearned == .refreshed)
        #expect(t.lookup(mac: 0xA, vlan: 3, now: later)?.port == 2)
        t.removeAll(port: 2)
        t.expire(now: later)
        #expect(t.lookup(mac: 0xA, vlan: 3, now: later)?.port == 2)
        #expect(t.learned == 0 && t.count == 1)
        // A learned address beside it goes as usual.
        let learned = t.learn(mac: 0xB, vlan: 3, port: 2, generation: 1, now: later)
        #expect(learned == .new)
        t.removeAll(port: 2)
        #expect(t.lookup(mac: 0xB, vlan: 3, now: later) == nil && t.count == 1)
    }
}
