import SimCore

/// The traffic subsystem: every flow's source and sink state.
@usableFromInline
struct Traffic {
    @usableFromInline var flows = FixedTable<FlowID, FlowState>()
    /// Each flow's pattern, beside `flows` (read on paths that need nothing else of the flow).
    @usableFromInline var patterns = FixedTable<FlowID, PatternCode>()
    /// The flow of each bulk stream, by global stream index (the target of TCP timer events).
    @usableFromInline var streamFlows = ContiguousArray<FlowID>()
    /// Each flow stream's RSS hash, forward and reverse (`HostSimulation.buildRSSHashes`), and each flow's first.
    @usableFromInline var rssHashes = ContiguousArray<UInt32>()
    @usableFromInline var rssBase = FixedTable<FlowID, Int32>()
    /// A sender whose core is more than this far behind drops (`socket_backlog`, `peer_backlog`).
    @usableFromInline var backlogLimit: SimTime = .zero

    /// Whether flow `fi` is closed-loop (bulk or request/response: its sender waits on deliveries).
    @inline(__always) func closedLoop(_ fi: FlowID) -> Bool {
        let pattern = patterns[fi]
        return pattern == .bulk || pattern == .requestResponse
    }

    func deallocate() {
        flows.deallocate()
        patterns.deallocate()
        rssBase.deallocate()
    }
}
