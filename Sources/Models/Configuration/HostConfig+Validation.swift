extension ConfigurationValidator {
    /// The host: cores, clock, the root partition's cores, the vCPU placement, NetVSP's drain quota and budget and the cost
    /// profile.
    mutating func checkHost() {
        let host = config.host
        if host.cores < 1 { add("host.cores", "must be ≥ 1 (got \(host.cores))") }
        if host.clock.hertz < ConfigurationLimits.minClockHertz || host.clock.hertz > ConfigurationLimits.maxClockHertz {
            add(
                "host.clock",
                "must be between 1MHz and 100GHz (got \(host.clock)); a faster clock rounds every stage to the kernel's "
                    + "1 ps resolution, so closed loops would spin at picosecond steps")
        }
        if host.rootCores.isEmpty { add("host.root_cores", "the root partition needs at least one core") }
        for (i, c) in host.rootCores.enumerated() where c < 0 || c >= host.cores {
            add("host.root_cores[\(i)]", "core \(c) does not exist (the host has cores 0..<\(host.cores))")
        }
        if Set(host.rootCores).count != host.rootCores.count { add("host.root_cores", "lists a core twice") }
        if host.vcpuPlacement == .shared && Set(host.rootCores).count >= host.cores {
            add("host.vcpu_placement", "shared vCPUs need at least one core outside root_cores")
        }
        let drain = host.vmbusDrain
        if drain.packetQuota < 1 || drain.packetQuota > VMBusDrainConfig.maxPacketQuota {
            add(
                "host.vmbus_drain.packet_quota",
                "must be between 1 and \(VMBusDrainConfig.maxPacketQuota) packets (got \(drain.packetQuota))")
        }
        if drain.cycleBudget < VMBusDrainConfig.minCycleBudget || drain.cycleBudget.count > CostModel.maxFixedCycles {
            add(
                "host.vmbus_drain.cycle_budget",
                "must be between \(VMBusDrainConfig.minCycleBudget.count) and \(CostModel.maxFixedCycles) cycles (got \(drain.cycleBudget.count))"
            )
        }
        for s in CostStage.allCases {
            if let m = host.costs[s].problem { add("host.costs.\(s.name)", m) }
        }
    }
}
