import SimCore

/// A switch's learned MAC addresses: which port each (MAC, VLAN) was last seen on, aged out after `agingTime`.
///
/// The learning bridge of IEEE 802.1D, as ns-3's `BridgeNetDevice` does it (`Learn` records the source MAC's
/// port and an expiration time; `GetLearnedState` answers a destination's port while it has not expired;
/// `ForwardUnicast` sends to the learned port and floods otherwise; its default `ExpirationTime` is 300 s).
/// Unlike ns-3's map this is keyed per VLAN as well, has a fixed capacity (a full table learns nothing more,
/// and counts the miss: the caller floods) and never allocates after `init`: a power-of-two open-addressing
/// table with linear probing, at most half full, whose deletions shift the following entries back
/// (no tombstones, so lookups stay short however many entries come and go).
///
/// Registered addresses (`register`) are static: they never age, learning does not move them, `removeAll(port:)`
/// and `expire` leave them, and their generation is `anyGeneration`; a switch keeps its ports' configured
/// addresses and the learned ones in one table, so a frame's destination costs one lookup.
///
/// An entry is aged when `now - lastSeen > agingTime`. `lookup` treats an aged entry as absent without removing
/// it; `learn` replaces it; `expire(now:)` sweeps all of them (call it now and then, e.g. every `agingTime`,
/// so that aged entries do not keep a full table full).
@usableFromInline
struct MACTable {
    /// What `learn` did.
    @usableFromInline
    enum LearnResult: Equatable, Sendable {
        /// The address was not in the table (or only aged out): it is now, on this port.
        case new
        /// The address was already learned on this port (same generation): its age starts again.
        case refreshed
        /// The address was learned on another port (or an earlier generation of the same port slot): it is on
        /// this one now.
        case moved(from: Int32)
        /// The table holds `capacity` entries: the address was not learned.
        case full
    }

    /// One slot: the key (MAC << 16 | VLAN), the port slot (`emptyPort` when free), its generation when learned,
    /// and when the address was last seen — 24 bytes, so a probe reads one cache line.
    @usableFromInline
    struct Entry {
        @usableFromInline var key: UInt64
        @usableFromInline var port: Int32
        @usableFromInline var generation: UInt32
        @usableFromInline var lastSeen: SimTime

        @usableFromInline
        init(key: UInt64, port: Int32, generation: UInt32, lastSeen: SimTime) {
            self.key = key; self.port = port; self.generation = generation; self.lastSeen = lastSeen
        }
    }

    /// The most entries the table holds.
    @usableFromInline let capacity: Int
    /// How long an entry lives without being seen again.
    @usableFromInline let agingTime: SimTime
    /// Slots - 1 (the slot count is a power of two ≥ 2 × capacity), and 64 − log2(slots).
    @usableFromInline let mask: Int
    @usableFromInline let shift: UInt64
    /// The slots, allocated once (no reference counting on the forwarding path; `deallocate()` frees them).
    @usableFromInline let slots: UnsafeMutablePointer<Entry>
    @usableFromInline static var emptyPort: Int32 { -1 }
    /// The generation of a registered entry: it matches any binding of its port.
    @usableFromInline static var anyGeneration: UInt32 { .max }

    /// Entries held (aged ones included until `expire` or `learn` removes or replaces them).
    @usableFromInline var count = 0
    /// Addresses learned as new entries.
    @usableFromInline var learned: UInt64 = 0
    /// Addresses that moved to another port.
    @usableFromInline var moved: UInt64 = 0
    /// Entries removed or replaced because they aged out.
    @usableFromInline var aged: UInt64 = 0
    /// New addresses not learned because the table was full.
    @usableFromInline var fullMisses: UInt64 = 0

    /// - Parameters:
    ///   - capacity: the most entries (≥ 1); the table has the next power of two ≥ 2 × capacity slots.
    ///   - agingTime: how long an entry lives without being seen again.
    init(capacity: Int, agingTime: SimTime) {
        precondition(capacity >= 1 && capacity <= Int(Int32.max) / 2, "MAC table capacity must be in 1…2^30")
        self.capacity = capacity
        self.agingTime = agingTime
        var slots = 1
        while slots < 2 * capacity { slots <<= 1 }
        mask = slots - 1
        shift = UInt64(64 - slots.trailingZeroBitCount)
        self.slots = .allocate(capacity: slots)
        self.slots.initialize(repeating: Entry(key: 0, port: Self.emptyPort, generation: 0, lastSeen: .zero), count: slots)
    }

    /// Frees the slots. Like `FixedTable`, the table is not a value type: copies share the slots, and the owner
    /// (`Switching.deallocate()`) frees them once.
    func deallocate() { slots.deallocate() }

    /// Learns that `mac` on `vlan` was seen on `port` (of that port slot's `generation`) at `now`.
    /// - Complexity: O(1) expected.
    @inlinable @inline(__always)
    mutating func learn(mac: UInt64, vlan: UInt16, port: Int32, generation: UInt32, now: SimTime) -> LearnResult {
        precondition(port >= 0, "a port slot index is ≥ 0")
        let key = Self.key(mac: mac, vlan: vlan)
        var i = home(key)
        while slots[i].port != Self.emptyPort {
            if slots[i].key == key { return relearn(at: i, port: port, generation: generation, now: now) }
            i = (i &+ 1) & mask
        }
        if count == capacity {
            fullMisses &+= 1
            return .full
        }
        slots[i] = Entry(key: key, port: port, generation: generation, lastSeen: now)
        count += 1
        learned &+= 1
        return .new
    }

    /// Registers `mac` on `vlan` as always at `port` (a static entry, not counted as learned).
    /// - Returns: false if the table is full or the address is already in it.
    @discardableResult
    mutating func register(mac: UInt64, vlan: UInt16, port: Int32) -> Bool {
        precondition(port >= 0, "a port slot index is ≥ 0")
        let key = Self.key(mac: mac, vlan: vlan)
        var i = home(key)
        while slots[i].port != Self.emptyPort {
            if slots[i].key == key { return false }
            i = (i &+ 1) & mask
        }
        guard count < capacity else { return false }
        slots[i] = Entry(key: key, port: port, generation: Self.anyGeneration, lastSeen: SimTime(picoseconds: .max))
        count += 1
        return true
    }

    /// `learn` for an address already in slot `i`.
    @inlinable @inline(__always)
    mutating func relearn(at i: Int, port: Int32, generation: UInt32, now: SimTime) -> LearnResult {
        if slots[i].lastSeen.picoseconds == Int64.max { return .refreshed }  // registered: learning does not move it
        let wasAged = Self.isAged(slots[i].lastSeen, now: now, agingTime: agingTime)
        let from = slots[i].port
        let same = from == port && slots[i].generation == generation
        slots[i].port = port; slots[i].generation = generation; slots[i].lastSeen = now
        if wasAged {
            aged &+= 1
            learned &+= 1
            return .new
        }
        if same { return .refreshed }
        moved &+= 1
        return .moved(from: from)
    }

    /// The port (and its generation when learned) that `mac` on `vlan` was last seen on, or nil if it was not
    /// learned or has aged out.
    /// - Complexity: O(1) expected.
    @inlinable @inline(__always)
    func lookup(mac: UInt64, vlan: UInt16, now: SimTime) -> (port: Int32, generation: UInt32)? {
        let key = Self.key(mac: mac, vlan: vlan)
        var i = home(key)
        while slots[i].port != Self.emptyPort {
            if slots[i].key == key {
                return Self.isAged(slots[i].lastSeen, now: now, agingTime: agingTime) ? nil : (slots[i].port, slots[i].generation)
            }
            i = (i &+ 1) & mask
        }
        return nil
    }

    /// Forgets every address learned on `port` (when its port slot is unbound).
    /// - Complexity: O(slots).
    mutating func removeAll(port: Int32) {
        removeAll { p, seen in p == port && seen.picoseconds != Int64.max }
    }

    /// Removes every aged entry.
    /// - Complexity: O(slots).
    mutating func expire(now: SimTime) {
        let before = count
        let agingTime = agingTime
        removeAll { _, seen in Self.isAged(seen, now: now, agingTime: agingTime) }
        aged &+= UInt64(before - count)
    }

    /// Removes every entry for whose port and last sighting `shouldRemove` is true, in one sweep that starts after an empty slot (so
    /// no probe sequence wraps across its start): a removal shifts a later entry into the slot, which is then
    /// examined again.
    private mutating func removeAll(where shouldRemove: (_ port: Int32, _ lastSeen: SimTime) -> Bool) {
        guard count > 0 else { return }
        var start = 0
        while slots[start].port != Self.emptyPort { start += 1 }
        for step in 1...mask {
            let i = (start + step) & mask
            while slots[i].port != Self.emptyPort && shouldRemove(slots[i].port, slots[i].lastSeen) { remove(at: i) }
        }
    }

    /// Empties slot `i`, shifting back the entries after it that probed past it (backward-shift deletion).
    private mutating func remove(at slot: Int) {
        var hole = slot
        var j = slot
        while true {
            j = (j &+ 1) & mask
            if slots[j].port == Self.emptyPort { break }
            let h = home(slots[j].key)
            // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
            let homeAfterHole = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j)
            if !homeAfterHole {
                slots[hole] = slots[j]
                hole = j
            }
        }
        slots[hole].port = Self.emptyPort
        count -= 1
    }

    /// Last seen at `seen`, the entry has aged out by `now`.
    @inlinable
    static func isAged(_ seen: SimTime, now: SimTime, agingTime: SimTime) -> Bool {
        now.picoseconds - seen.picoseconds > agingTime.picoseconds
    }

    @inlinable
    static func key(mac: UInt64, vlan: UInt16) -> UInt64 { (mac & 0xFFFF_FFFF_FFFF) << 16 | UInt64(vlan) }

    /// The key's first slot: Fibonacci hashing (Knuth 6.4; the key times 2^64/φ, its top log2(slots) bits), one
    /// multiplication, which spreads consecutive addresses evenly.
    @inline(__always) @usableFromInline
    func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// `ff:ff:ff:ff:ff:ff`.
    @inlinable
    static func isBroadcast(_ mac: UInt64) -> Bool { mac & 0xFFFF_FFFF_FFFF == 0xFFFF_FFFF_FFFF }

    /// The I/G bit (the least significant bit of the first octet) is set: a group address, multicast or broadcast,
    /// which is flooded, never learned.
    @inlinable
    static func isMulticast(_ mac: UInt64) -> Bool { mac & (1 << 40) != 0 }
}
