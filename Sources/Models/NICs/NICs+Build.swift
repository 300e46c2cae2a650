import SimCore

extension HostSimulation {
    /// One `NICState` per configured NIC (their external peers and receive queues come later).
    func buildNICs() {
        let window = config.warmup..<Swift.max(config.duration, config.warmup)
        for n in config.nics {
            net.nics.append(
                NICState(
                    name: n.name, linkRate: n.linkRate, mtu: n.mtu, lso: n.lso, propagation: n.propagationDelay,
                    txLimit: n.txQueuePackets, txWire: BusyMeter(window: window, interval: config.sampleInterval),
                    rxWire: BusyMeter(window: window, interval: config.sampleInterval)))
        }
    }

    /// NIC receive queues: the default queue, plus one VMQ queue per vmNIC of the NIC's switch when VMQ is on,
    /// spread round-robin over the NIC's queue cores (default: the root cores).
    func buildReceiveQueues() {
        let host = cores.hosts[HostID(0)]
        for (ni, n) in zip(net.nics.indices, config.nics) {
            let queueCores = (n.queueCores.isEmpty ? host.rootCores : n.queueCores).map { host.rootServer(core: $0) }
            func addQueue(_ name: String, core: CoreID) -> QueueID {
                net.queues.append(
                    ReceiveQueue(
                        nic: ni, core: core, name: name, limit: n.rxQueuePackets,
                        maxFrames: n.coalescing.maxFrames, maxDelay: n.coalescing.maxDelay))
            }
            net.nics[ni].defaultQueue = addQueue("\(n.name)/default", core: queueCores[0])
            guard n.vmq else { continue }
            var q = 0
            for e in adapters.endpoints.indices where adapters.isVMAdapter(e) {
                guard switching.switches[adapters.endpoints[e].switchIndex].nic == ni else { continue }
                adapters.endpoints[e].rxQueue = addQueue("\(n.name)/vmq\(q)", core: queueCores[q % queueCores.count])
                q += 1
            }
        }
    }
}
