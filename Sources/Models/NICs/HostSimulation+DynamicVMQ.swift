import SimCore

// Dynamic VMQ (Windows Server 2012; MODEL-REFERENCE §1.6 and Microsoft's "VMQ Deep Dive, 2 of 3", 2013): "To start all
// VMQ are associated with a single processor we call the 'Home Processor.' The number of CPUs used for network
// processing will automatically scale up and scale down based on the network load." The rules and their assumed
// parameters are `DynamicVMQConfig`'s. A queue moves between two of its passes: the DPC pass running when it moves
// finishes where it was charged, its next ISR or pass runs on the new core.
extension HostSimulation {
    /// Every NIC with dynamic VMQ: its VMQ queues go to the home processor (the first queue core), and its first
    /// re-examination is scheduled one interval on.
    func startDynamicVMQ(_ k: inout Kernel) {
        for n in net.nics.indices where net.nics[n].dynamicVMQ.enabled && !net.nics[n].vmqQueues.isEmpty {
            let home = net.nics[n].queueCores[0]
            for q in net.nics[n].vmqQueues { net.queues[q].core = home }
            noteVMQLoads(n, seconds: 0)
            k.schedule(after: net.nics[n].dynamicVMQ.interval, kind: EventKind.dynamicVMQ.rawValue, target: n.target)
        }
    }

    /// The cycles charged to core `c` so far (all its stages).
    @inline(__always)
    func chargedCycles(_ c: CoreID) -> Int64 {
        var sum: Int64 = 0
        for s in 0..<CostStage.count { sum &+= cores.stageCycles[c.index &* CostStage.count &+ s] }
        return sum
    }

    /// Each queue core's utilization over the last `seconds` (`coreLoad`, a fraction of the core), how many of the NIC's
    /// VMQ queues it holds (`coreQueues`), and new marks for the next interval; each queue's load since its own mark
    /// is its `cycles − cyclesSeen`, read by the caller before `markVMQQueues`.
    func noteVMQLoads(_ n: NICID, seconds: Double) {
        for i in net.nics[n].queueCores.indices {
            let c = net.nics[n].queueCores[i]
            let now = chargedCycles(c)
            let capacity = Double(cores.servers[c].hertz) * seconds
            net.nics[n].coreLoad[i] = capacity > 0 ? Double(now &- net.nics[n].coreCyclesSeen[i]) / capacity : 0
            net.nics[n].coreCyclesSeen[i] = now
            net.nics[n].coreQueues[i] = 0
        }
        for q in net.nics[n].vmqQueues {
            if let i = net.nics[n].queueCores.firstIndex(of: net.queues[q].core) { net.nics[n].coreQueues[i] &+= 1 }
        }
    }

    /// A queue's load since dynamic VMQ's last look, as a fraction of a core of `hertz` over `seconds`.
    @inline(__always)
    func vmqQueueLoad(_ q: QueueID, capacity: Double) -> Double {
        capacity > 0 ? Double(net.queues[q].cycles &- net.queues[q].cyclesSeen) / capacity : 0
    }

    /// One re-examination of NIC `n`'s VMQ queues: at most one move (spread, else coalesce), then the next in one interval.
    func rebalanceVMQ(_ n: NICID, _ k: inout Kernel) {
        let d = net.nics[n].dynamicVMQ
        let seconds = d.interval.seconds
        noteVMQLoads(n, seconds: seconds)
        let cores = net.nics[n].queueCores
        let capacity = Double(self.cores.servers[cores[0]].hertz) * seconds
        if let (q, to) = vmqSpread(n, capacity: capacity, above: d.spreadAbove)
            ?? vmqCoalesce(n, capacity: capacity, below: d.coalesceBelow)
        {
            net.queues[q].core = cores[to]
            net.nics[n].counters.vmqMoves &+= 1
        }
        for q in net.nics[n].vmqQueues { net.queues[q].cyclesSeen = net.queues[q].cycles }
        k.schedule(after: d.interval, kind: EventKind.dynamicVMQ.rawValue, target: n.target)
    }

    /// Spreading: off the busiest queue core above `above` that holds two or more of the NIC's queues, the queue whose
    /// move to the least-loaded queue core leaves the busier of the two least loaded, if that is below the source's load.
    /// Returns the queue and the index of its new core.
    func vmqSpread(_ n: NICID, capacity: Double, above: Double) -> (QueueID, Int)? {
        let nic = net.nics[n]
        var src = -1, dst = -1
        for i in nic.queueCores.indices {
            if nic.coreQueues[i] >= 2 && nic.coreLoad[i] > above && (src < 0 || nic.coreLoad[i] > nic.coreLoad[src]) { src = i }
            if dst < 0 || nic.coreLoad[i] < nic.coreLoad[dst] { dst = i }
        }
        guard src >= 0, dst != src else { return nil }
        var best: (q: QueueID, peak: Double)? = nil
        for q in nic.vmqQueues where net.queues[q].core == nic.queueCores[src] {
            let l = vmqQueueLoad(q, capacity: capacity)
            guard l > 0 else { continue }
            let peak = Swift.max(nic.coreLoad[src] - l, nic.coreLoad[dst] + l)
            if best == nil || peak < best!.peak { best = (q, peak) }
        }
        guard let b = best, b.peak < nic.coreLoad[src] else { return nil }
        return (b.q, dst)
    }

    /// Coalescing: off the least-loaded queue core other than the home processor that holds queues and is below
    /// `below`, its lightest queue onto the busiest queue core that stays below `below` with it.
    func vmqCoalesce(_ n: NICID, capacity: Double, below: Double) -> (QueueID, Int)? {
        let nic = net.nics[n]
        var src = -1
        for i in nic.queueCores.indices.dropFirst() where nic.coreQueues[i] > 0 && nic.coreLoad[i] < below {
            if src < 0 || nic.coreLoad[i] < nic.coreLoad[src] { src = i }
        }
        guard src >= 0 else { return nil }
        var lightest: (q: QueueID, load: Double)? = nil
        for q in nic.vmqQueues where net.queues[q].core == nic.queueCores[src] {
            let l = vmqQueueLoad(q, capacity: capacity)
            if lightest == nil || l < lightest!.load { lightest = (q, l) }
        }
        guard let light = lightest else { return nil }
        var dst = -1
        for i in nic.queueCores.indices where i != src && nic.queueCores[i] != nic.queueCores[src] {
            guard nic.coreLoad[i] + light.load < below, i == 0 || nic.coreQueues[i] > 0 else { continue }
            if dst < 0 || nic.coreLoad[i] > nic.coreLoad[dst] { dst = i }
        }
        guard dst >= 0 else { return nil }
        return (light.q, dst)
    }
}
