import SimCore

// Running a simulation: initial events, the event loop in slices (progress and early stop between
// slices, never inside the handler), warm-up, sampling and the timeline.
extension HostSimulation {
    /// Runs the whole simulation once and returns the report and the captured frames.
    ///
    /// - Parameters:
    ///   - progress: called between slices of simulated time (about 100 per run), outside the event loop.
    ///   - shouldStop: checked between slices; returning true ends the run early with a partial report
    ///     (its `notes` say so), still conservation-checked.
    /// - Throws: `SimulationError` if packet conservation does not hold (a model bug, never a warning).
    public func run(progress: ((RunProgress) -> Void)? = nil, shouldStop: (() -> Bool)? = nil) throws -> RunOutput {
        precondition(!hasRun, "a HostSimulation runs once; build a new one for another run")
        hasRun = true
        var k = Kernel(reservingCapacity: 4096)
        let end = config.duration
        // The warm-up mark goes first so that it precedes any event at the same time (warm-up 0 measures everything).
        k.schedule(at: measurement.warmup, kind: EventKind.warmupEnd.rawValue, target: 0)
        for f in traffic.flows where f.start < end {
            f.active = true
            f.timer.arm(at: f.start, kind: EventKind.flowGenerate.rawValue, target: f.id.target, in: &k)
        }
        for c in control.components.indices
        where control.components[c].kind == .linkAnnouncement
            && switching.ports[adapters.endpoints[control.components[c].endpoint].port].bound
        {
            announce(control.components[c].endpoint, &k)  // link up at the start
        }
        // Virtual Server: every adapter whose link is up at the start starts its DHCP client.
        for e in adapters.endpoints.indices where virtualServer.enabled && adapters.isVMAdapter(e) {
            let dev = adapters.endpoints[e].device
            if adapters.endpoints[e].present && switching.ports[adapters.endpoints[e].port].bound
                && (dev == .none || !adapters.devices[dev].stopped)
            {
                k.schedule(at: .zero, kind: EventKind.linkUp.rawValue, target: e.target)  // after the warm-up mark
            }
        }
        for (i, t) in config.timeline.enumerated() {
            k.schedule(at: t.at, kind: EventKind.timeline.rawValue, target: i.target)
        }
        startSeries(&k)
        startDynamicVMQ(&k)
        if !virtualServer.networks.isEmpty && SimTime.seconds(1) <= end {
            k.schedule(at: .seconds(1), kind: EventKind.networkSample.rawValue, target: 0)
        }

        // Slices of about 1 % of the run, each cut into stretches of at most `eventsPerCheck`
        // events, so that a stop request (a signal) and the progress line are seen within a
        // fraction of a wall second however dense the traffic; neither changes the order of events.
        let slice = SimTime(picoseconds: Swift.max(end.picoseconds / 100, SimTime.picosecondsPerMicrosecond))
        var stoppedEarly = false
        var until = Swift.min(slice, end)
        while k.now < end {
            let reason = k.run(self, until: until, events: Self.eventsPerCheck)
            progress?(
                RunProgress(
                    simulatedSeconds: k.now.seconds, durationSeconds: end.seconds, events: k.processed,
                    packetsCreated: accounting.created))
            if k.now < end, shouldStop?() == true { stoppedEarly = true; break }
            if reason != .eventLimit { until = Swift.min(until + slice, end) }
        }
        #if VNETSIM_INTERNAL_CHECKS
            if checks.enabled { checkInvariants() }
        #endif
        var output = try finish(kernel: k, stoppedEarly: stoppedEarly)
        output.captureTruncations = captureTruncations
        return output
    }

    /// The most events run between two looks at `shouldStop` (about 20–50 ms of wall time).
    static let eventsPerCheck: UInt64 = 1 << 18

    @usableFromInline
    func startMeasuring(_ k: inout Kernel) {
        measurement.measuring = true
        for c in vmbus.channels.indices { vmbus.channels[c].noteSend(k.now); vmbus.channels[c].noteReceive(k.now) }
        for f in traffic.flows { f.latency.reset(); f.noteBlocked(k.now) }
        syncTCPCounters()
        measurement.baseline = snapshot(k.now)
    }

    /// Live packets by stage, with the segments RSC merged into them (one pass over the packet table; at the snapshot and the end, never per event).
    func inFlightByStage() -> [UInt64] {
        var byStage = [UInt64](repeating: 0, count: PacketStage.allCases.count)
        for id in packets.liveIDs() { byStage[Int(packets.stage[Int(id.index)])] += 1 + UInt64(packets.merged[Int(id.index)]) }
        return byStage
    }

    func snapshot(_ now: SimTime) -> Baseline {
        Baseline(
            time: now, stageCycles: ContiguousArray(cores.stageCycles), stalled: cores.servers.map(\.stalledPs),
            channels: vmbus.channels.map(\.counters),
            sendArea: vmbus.channels.map(\.sendOccupancyArea), receiveArea: vmbus.channels.map(\.receiveOccupancyArea),
            devices: adapters.devices.map(\.counters), ports: switching.ports.map(\.counters),
            switchForwarded: switching.switches.map { ($0.forwardedPackets, $0.forwardedBytes, $0.floodedPackets, $0.rscMerged) },
            nics: net.nics.map(\.counters), queues: net.queues.map { ($0.interrupts, $0.packets, $0.vfTxPackets) },
            flows: traffic.flows.map(\.counters),
            control: control.components.map(\.counters),
            drops: accounting.drops, ownerDrops: accounting.ownerDrops, portDrops: accounting.portDrops,
            ownerCycles: ContiguousArray(accounting.ownerCycles),
            adapterCycles: ContiguousArray(accounting.adapterCycles), created: accounting.created, delivered: accounting.delivered,
            inFlightByStage: inFlightByStage(), networks: virtualServer.networks.indices.map(networkTotals),
            incompleteBytes: accounting.incompleteBytes)
    }

    @usableFromInline
    func applyTimeline(_ i: Int, _ k: inout Kernel) {
        switch config.timeline[i].action {
        case .startFlow(let name):
            guard let f = traffic.flows.first(where: { $0.name == name }) else { return }
            f.active = true
            if f.pattern == .bulk { bulkSend(f, &k) } else if !f.transactionOpen { arm(f, after: .zero, &k) }
        case .stopFlow(let name):
            guard let f = traffic.flows.first(where: { $0.name == name }) else { return }
            f.active = false
            f.timer.cancel()
        case .attachAdapter(let vm, let a, let s):
            guard let e = adapters.byName["\(vm)/\(a)"] else { return }
            attach(e, to: s.flatMap { n in config.switches.firstIndex { $0.name == n }.map(SwitchID.init) }, &k)
        case .detachAdapter(let vm, let a):
            if let e = adapters.byName["\(vm)/\(a)"] { detach(e, &k) }
        case .removeVF(let vm, let a):
            if let e = adapters.byName["\(vm)/\(a)"] { removeVF(e, &k) }
        case .restoreVF(let vm, let a):
            if let e = adapters.byName["\(vm)/\(a)"] { restoreVF(e) }
        case .addAdapter, .removeAdapter, .createNetwork, .deleteNetwork, .unregisterNetwork, .registerNetwork, .power,
            .setDHCPServer:
            applyVirtualServer(config.timeline[i].action, &k)
        }
    }
}
