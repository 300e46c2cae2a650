import SimCore

/// A snapshot of every cumulative counter at the end of the warm-up; reports subtract it.
@usableFromInline
struct Baseline {
    var time: SimTime
    var stageCycles: ContiguousArray<Int64>
    var stalled: [Int64]
    var channels: [ChannelCounters]
    var sendArea: [Double]
    var receiveArea: [Double]
    var devices: [EmulatedCounters]
    var ports: [PortCounters]
    var switchForwarded: [(UInt64, UInt64, UInt64, UInt64)]
    var nics: [NICCounters]
    var queues: [(UInt64, UInt64, UInt64)]
    var flows: [FlowCounters]
    var control: [ControlCounters]
    var drops: ContiguousArray<UInt64>
    var ownerDrops: ContiguousArray<UInt64>
    var portDrops: ContiguousArray<UInt64>
    var ownerCycles: ContiguousArray<Int64>
    var adapterCycles: ContiguousArray<Int64>
    var created: UInt64
    var delivered: UInt64
    /// Packets alive at the snapshot, by `PacketStage` raw value.
    var inFlightByStage: [UInt64]
    /// Virtual Server: each network's totals and each owner's incomplete-transmission bytes.
    var networks: [NetworkTotals] = []
    var incompleteBytes = ContiguousArray<UInt64>()
}
