extension ConfigurationValidator {
    /// The configuration's total size against `ConfigurationLimits`, then the flows' offered packet rate.
    mutating func checkLimits() {
        let c = config
        limit("vms", c.vms.count, ConfigurationLimits.vms, "VMs")
        limit("vms", c.vms.reduce(0) { $0 + $1.adapters.count }, ConfigurationLimits.adapters, "adapters")
        limit("vms", c.vms.reduce(0) { $0 + $1.vcpus }, ConfigurationLimits.vcpus, "vCPUs")
        limit(
            "vms", c.vms.reduce(0) { n, vm in n + vm.adapters.reduce(0) { $0 + ($1.kind == .synthetic ? c.channels(of: $1, in: vm) : 0) } },
            ConfigurationLimits.channels, "VMBus channels")
        limit("flows", c.flows.count, ConfigurationLimits.flows, "flows")
        limit("switches", c.switches.count, ConfigurationLimits.switches, "switches")
        limit("nics", c.nics.count, ConfigurationLimits.nics, "NICs")
        limit("timeline", c.timeline.count, ConfigurationLimits.timelineActions, "timeline actions")
        checkOfferedRate()
    }

    private mutating func limit(_ path: String, _ count: Int, _ max: Int, _ noun: String) {
        if count > max {
            add(path, "\(count) \(noun), more than the limit of \(max); \(ConfigurationLimits.why) (docs/scenarios.md, Limits)")
        }
    }

    /// The first flow at which the flows' offered packet rates together pass the limit (at most one problem).
    private mutating func checkOfferedRate() {
        var offered = 0.0
        for (i, f) in config.flows.enumerated() {
            guard let r = f.offeredPacketRate else { continue }
            offered += r
            if offered > ConfigurationLimits.offeredPacketRate {
                add(
                    "flows[\(i)].rate",
                    "the flows up to this one offer \(Int64(offered.rounded())) packets/s together, more than the limit of "
                        + "10^9 packets/s (about 11 minutes of wall-clock time per simulated second); "
                        + "lower the rates or use larger messages")
                break
            }
        }
    }
}
