/// The accounting subsystem: packets created and delivered, drops by cause (in total, per flow, per port), and
/// every charged cycle billed to a flow and to an adapter by domain, so that flows and adapters each sum to the
/// per-core accounting of `Cores.stageCycles`.
@usableFromInline
struct Accounting {
    @usableFromInline var created: UInt64 = 0
    @usableFromInline var delivered: UInt64 = 0
    /// Packets that RSC merged into a live packet (`PacketTable.merged`): in flight with it, and delivered or dropped
    /// with it.
    @usableFromInline var mergedLive: UInt64 = 0
    @usableFromInline var drops = ContiguousArray<UInt64>(repeating: 0, count: DropCause.count)
    /// Drops by cause per owner (flows, then control components) and per port, flat: `[index * DropCause.count + cause]`.
    @usableFromInline var ownerDrops = ContiguousArray<UInt64>()
    @usableFromInline var portDrops = ContiguousArray<UInt64>()
    /// Frame bytes of each owner's incomplete transmissions (packets lost with a deleted network).
    @usableFromInline var incompleteBytes = ContiguousArray<UInt64>()
    /// Cycles spent on each owner's packets by domain, flat: `ownerCycles[owner * CycleDomain.count + domain]`.
    @usableFromInline var ownerCycles = FixedTable<Int, Int64>()
    /// Cycles attributed to each adapter by domain, flat: `adapterCycles[slot * CycleDomain.count + domain]`;
    /// the last slot (`adapterSlotCount`) holds packets with no adapter on either end (host vNIC ↔ external).
    @usableFromInline var adapterCycles = FixedTable<Int, Int64>()
    /// Adapter slot of each endpoint (its index among the VM adapters), or -1 for host vNICs and external peers.
    @usableFromInline var adapterSlot = FixedTable<EndpointID, Int32>()
    /// Number of VM adapters (synthetic and emulated); also the slot of adapter-less packets.
    @usableFromInline var adapterSlotCount = 0

    init() {}

    /// Counters sized for `owners` packet owners and `ports` ports, with a billing slot for each VM adapter.
    init(owners: Int, ports: Int, adapters: Adapters) {
        ownerDrops = ContiguousArray(repeating: 0, count: owners * DropCause.count)
        portDrops = ContiguousArray(repeating: 0, count: ports * DropCause.count)
        incompleteBytes = ContiguousArray(repeating: 0, count: owners)
        ownerCycles = FixedTable(repeating: 0, count: owners * CycleDomain.count)
        adapterSlot = FixedTable(repeating: -1, count: adapters.endpoints.count)
        for e in adapters.endpoints.indices where adapters.isVMAdapter(e) {
            adapterSlot[e] = Int32(adapterSlotCount)
            adapterSlotCount += 1
        }
        adapterCycles = FixedTable(repeating: 0, count: (adapterSlotCount + 1) * CycleDomain.count)
    }

    func deallocate() {
        ownerCycles.deallocate()
        adapterSlot.deallocate()
        adapterCycles.deallocate()
    }
}
