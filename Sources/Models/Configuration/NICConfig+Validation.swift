extension ConfigurationValidator {
    /// Every physical NIC: a unique name, the MTU, the queues, interrupt coalescing, the wire's delay and the
    /// cores its queues run on (root cores only).
    mutating func checkNICs() {
        var names = Set<String>()
        let rootCores = config.host.rootCores
        for (i, n) in config.nics.enumerated() {
            let at = "nics[\(i)]"
            checkName(n.name, at: at, unique: &names, "NIC")
            if n.mtu < 576 || n.mtu > 9216 { add("\(at).mtu", "must be in 576…9216 (got \(n.mtu))") }
            if n.txQueuePackets < 1 { add("\(at).tx_queue", "must be ≥ 1") }
            if n.rxQueuePackets < 1 { add("\(at).rx_queue", "must be ≥ 1") }
            if n.coalescing.maxFrames < 1 { add("\(at).coalescing.max_frames", "must be ≥ 1") }
            if n.coalescing.maxDelay < .zero || n.coalescing.maxDelay > ConfigurationLimits.maxNICDelay {
                add("\(at).coalescing.max_delay", "must be in 0…10s")
            }
            if n.propagationDelay < .zero || n.propagationDelay > ConfigurationLimits.maxNICDelay {
                add("\(at).propagation_delay", "must be in 0…10s")
            }
            if n.sriov && config.host.platform == .virtualServer {
                add("\(at).sriov", "Virtual Server has no SR-IOV; remove sriov or set host.platform: hyperv")
            }
            if n.vmmq && !n.vmq { add("\(at).vmmq", "VMMQ spreads a vmNIC over several VMQ queues: set vmq: true, or remove vmmq") }
            if n.vmmqQueuePairs < 1 || n.vmmqQueuePairs > 64 {
                add("\(at).vmmq_queue_pairs", "must be in 1…64, a vmNIC's most channels (got \(n.vmmqQueuePairs))")
            }
            if (n.vmmq || n.rsc) && config.host.platform == .virtualServer {
                add("\(at).\(n.vmmq ? "vmmq" : "rsc")", "Virtual Server has no VMMQ or RSC; remove it or set host.platform: hyperv")
            }
            if n.dynamicVMQ.enabled {
                let d = n.dynamicVMQ
                if !n.vmq { add("\(at).dynamic_vmq.enabled", "dynamic VMQ moves VMQ queues: set vmq: true, or remove dynamic_vmq") }
                if config.host.platform == .virtualServer {
                    add("\(at).dynamic_vmq.enabled", "Virtual Server has no VMQ; remove dynamic_vmq or set host.platform: hyperv")
                }
                if d.interval < .microseconds(1) || d.interval > ConfigurationLimits.maxNICDelay {
                    add("\(at).dynamic_vmq.interval", "must be in 1µs…10s")
                }
                if !(d.spreadAbove > 0 && d.spreadAbove <= 1) { add("\(at).dynamic_vmq.spread_above", "must be in (0%, 100%]") }
                if !(d.coalesceBelow >= 0 && d.coalesceBelow < d.spreadAbove) {
                    add(
                        "\(at).dynamic_vmq.coalesce_below",
                        "must be at least 0% and below spread_above (\(Int((d.spreadAbove * 100).rounded()))%)")
                }
            }
            for (j, c) in n.queueCores.enumerated() where !rootCores.contains(c) {
                add("\(at).queue_cores[\(j)]", "core \(c) is not a root core (root cores: \(rootCores))")
            }
        }
    }
}
