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

    /// NIC receive queues: the default queue, plus one VMQ queue per vmNIC of the NIC's switch when VMQ is on — with
    /// VMMQ, min(channels, `vmmqQueuePairs`) for a vmNIC with vRSS sub-channels — spread round-robin over the NIC's
    /// queue cores (default: the root cores) in vmNIC order.
    func buildReceiveQueues() {
        let host = cores.hosts[HostID(0)]
        for (ni, n) in zip(net.nics.indices, config.nics) {
            let queueCores = (n.queueCores.isEmpty ? host.rootCores : n.queueCores).map { host.rootServer(core: $0) }
            func addQueue(_ name: String, core: CoreID) -> QueueID {
                net.queues.append(
                    ReceiveQueue(
                        nic: ni, core: core, name: name, limit: n.rxQueuePackets,
                        maxFrames: n.coalescing.maxFrames, maxDelay: n.coalescing.maxDelay, rsc: n.rsc))
            }
            net.nics[ni].defaultQueue = addQueue("\(n.name)/default", core: queueCores[0])
            net.nics[ni].dynamicVMQ = n.dynamicVMQ
            net.nics[ni].queueCores = ContiguousArray(queueCores)
            net.nics[ni].coreCyclesSeen = ContiguousArray(repeating: 0, count: queueCores.count)
            net.nics[ni].coreLoad = ContiguousArray(repeating: 0, count: queueCores.count)
            net.nics[ni].coreQueues = ContiguousArray(repeating: 0, count: queueCores.count)
            guard n.vmq else { continue }
            let firstVMQ = net.queues.nextID
            defer { net.nics[ni].vmqQueues = firstVMQ..<net.queues.nextID }
            var q = 0, c = 0
            for e in adapters.endpoints.indices where adapters.isVMAdapter(e) {
                guard switching.switches[adapters.endpoints[e].switchIndex].nic == ni else { continue }
                let channels = adapters.endpoints[e].kind == .syntheticAdapter ? adapters.endpoints[e].channelCount : 1
                let count = n.vmmq ? Swift.min(channels, n.vmmqQueuePairs) : 1
                for j in 0..<count {
                    let id = addQueue(count > 1 ? "\(n.name)/vmq\(q).\(j)" : "\(n.name)/vmq\(q)", core: queueCores[c % queueCores.count])
                    if j == 0 { adapters.endpoints[e].rxQueue = id }
                    c += 1
                }
                adapters.endpoints[e].rxQueueCount = count
                q += 1
            }
        }
    }
}
