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
            for (j, c) in n.queueCores.enumerated() where !rootCores.contains(c) {
                add("\(at).queue_cores[\(j)]", "core \(c) is not a root core (root cores: \(rootCores))")
            }
        }
    }
}
