import SimCore

/// How NetVSP drains a synthetic adapter's send ring: in DPCs, each a sequence of passes of up to the adapter's
/// `batchPackets` packets, that ends when the ring is empty, when it has taken `packetQuota` packets or when its
/// own root work has reached `cycleBudget` cycles — whichever comes first. Host level: it applies to every channel.
///
/// The Windows VMBus kernel library drains rings in DPCs with an incoming-packet quota and a DPC cycle limit (its
/// ETW events "Incoming packet quota is hit", "No more packets can be fetched because the quota is met", "DPC cycle
/// limit is exceeded": MODEL-REFERENCE §1.2); their values are not public, so both defaults are **assumptions**.
///
/// A DPC that ends by its quota or budget with packets left unmasks the ring and re-checks it (as
/// `hv_pkt_iter_close` does and the Windows library re-enables the interrupt, then looks again): it finds
/// packets, masks again and queues a new DPC on its core behind the work already queued there, which pays the
/// `vsp_dpc` dispatch cost. A DPC whose last pass empties the ring unmasks after re-checking it empty, so the
/// guest's next write signals.
public struct VMBusDrainConfig: Sendable, Equatable {
    /// Packets one drain DPC takes at most (its passes are cut to fit). Unit: packets. Default: 64
    /// [assumption: Linux's NAPI weight, `NAPI_POLL_WEIGHT` 64, the only public analog of a per-poll packet quota].
    public var packetQuota: Int
    /// Cycles of the DPC's own root work (its passes: ring reads, NetVSP, the vSwitch and the destination's root
    /// stage, and the send completions it writes) after which it stops at the end of the running pass. Default:
    /// 100,000 cycles ≈ 33 µs at 3 GHz [assumption: of the order of Linux's `HV_CALL_BATCHED` budget of 2
    /// jiffies (MODEL-REFERENCE §1.2), scaled down to a DPC; the Windows value is not public].
    public var cycleBudget: Cycles

    /// The default quota, 64 packets [assumption, see ``packetQuota``].
    public static let defaultPacketQuota = 64
    /// The default budget, 100,000 cycles [assumption, see ``cycleBudget``].
    public static let defaultCycleBudget = Cycles(100_000)
    /// The largest quota accepted (packets).
    public static let maxPacketQuota = 65_536
    /// The smallest budget accepted: 1,000 cycles, about one signal's root wake-up (MODEL-REFERENCE §5).
    public static let minCycleBudget = Cycles(1_000)

    public init(packetQuota: Int = Self.defaultPacketQuota, cycleBudget: Cycles = Self.defaultCycleBudget) {
        self.packetQuota = packetQuota; self.cycleBudget = cycleBudget
    }
}
