import SimCore

// End of run: the conservation check and the RunReport (tidy metrics after the warm-up). Each subsystem
// reports its own section (`reportCores` in Host/, `reportSyntheticAdapters` in VMBus/, …); this file
// runs them in order and adds the host-wide totals, the time series and the notes.
extension HostSimulation {
    func finish(kernel k: borrowing Kernel, stoppedEarly: Bool) throws -> RunOutput {
        let now = k.now
        for c in vmbus.channels.indices { vmbus.channels[c].noteSend(now); vmbus.channels[c].noteReceive(now) }
        for f in traffic.flows { f.noteBlocked(now) }
        syncTCPCounters()
        let conservation = try checkConservation()
        let b = measurement.baseline ?? snapshot(now)
        // Packets and bytes delivered after warm-up (ACKs included in packets, payload bytes only).
        var payload = 0.0
        for (i, f) in traffic.flows.enumerated() { payload += Double(f.counters.deliveredBytes - b.flows[i].deliveredBytes) }
        var r = ReportContext(
            baseline: b, seconds: Swift.max((now - b.time).seconds, 1e-12), hertz: Double(cores.hosts[HostID(0)].clock.hertz),
            packetsDelivered: Double(accounting.delivered - b.delivered), payloadDelivered: payload)
        r.end = now
        (r.executed, r.domainScale) = executedCycles(b, at: now)

        let cpu = reportCores(&r)
        reportHostCPU(cpu, &r)
        reportComponents(cpu, &r)
        reportVMs(&r)
        reportSyntheticAdapters(&r)
        reportVirtualFunctions(&r)
        reportEmulatedAdapters(&r)
        reportSwitches(&r)
        reportPorts(&r)
        reportNICs(&r)
        reportHostEvents(&r)
        reportFlows(&r)
        reportControl(&r)
        let networks = reportVirtualServer(&r)
        let series = timeSeries()
        try checkPhysicalBounds(r, series: series)
        let (verdicts, bottlenecks) = judge(r, conservation, stoppedEarly: stoppedEarly)

        r.latencies.sort { ($0.kind, $0.entity) < ($1.kind, $1.entity) }
        r.metrics.sort { a, b in
            if a.kind != b.kind { return a.kind < b.kind }
            if a.entity != b.entity { return a.entity < b.entity }
            return a.metric < b.metric
        }
        let info = RunInfo(
            scenario: config.name, seed: config.seed, replication: config.replication, duration: now.seconds,
            warmup: measurement.warmup.seconds, events: k.processed, fingerprint: k.fingerprint.description,
            status: stoppedEarly ? .interrupted : .complete, requestedDuration: config.duration.seconds)
        var report = RunReport(
            info: info, metrics: r.metrics, latencies: r.latencies, series: series,
            conservation: conservation, notes: notes(stoppedEarly: stoppedEarly, at: now) + lostNetworkNotes() + leaseNotes(),
            costInputs: config.costInputs(), verdicts: verdicts, bottlenecks: bottlenecks)
        report.networks = networks
        report.adapterStatus = adapterStatus()
        return RunOutput(report: report, captures: measurement.captures, capturesDropped: measurement.capturesDropped)
    }

    /// Host-wide signals, interrupts, VM exits and emulated accesses (summed by the adapter and NIC sections), and
    /// drops by cause.
    func reportHostEvents(_ r: inout ReportContext) {
        let allInterrupts = r.synicInterrupts + r.emulatedInterrupts + r.nicInterrupts
        let exits = r.signals + r.synicInterrupts + r.emulatedAccesses + r.vfInterrupts
        let packets = r.packetsDelivered
        r.add(.host, "host", MetricCatalog.signals, r.signals)
        r.add(.host, "host", MetricCatalog.signalsPerSecond, r.perSecond(r.signals))
        r.add(.host, "host", MetricCatalog.signalsPerPacket, r.ratio(r.signals, packets))
        r.add(.host, "host", MetricCatalog.interrupts, allInterrupts)
        r.add(.host, "host", MetricCatalog.interruptsPerSecond, r.perSecond(allInterrupts))
        r.add(.host, "host", MetricCatalog.interruptsPerPacket, r.ratio(allInterrupts, packets))
        r.add(.host, "host", MetricCatalog.vmExits, exits)
        r.add(.host, "host", MetricCatalog.vmExitsPerSecond, r.perSecond(exits))
        r.add(.host, "host", MetricCatalog.vmExitsPerPacket, r.ratio(exits, packets))
        r.add(.host, "host", MetricCatalog.registerAccesses, r.emulatedAccesses)
        for cause in DropCause.allCases where cause.applies(to: config.host.platform) {
            r.add(
                .host, "host", MetricCatalog.dropsByCause, cause.name,
                Double(accounting.drops[cause.rawValue] - r.baseline.drops[cause.rawValue]))
        }
    }

    /// What the reader should know about how the numbers were made.
    func notes(stoppedEarly: Bool, at now: SimTime) -> [String] {
        var notes = [
            "Costs are inputs (MODEL-REFERENCE.md §5, normalised to 3 GHz); throughput, CPU %, signals, interrupts and exits are results."
        ]
        let host = cores.hosts[HostID(0)]
        notes.append(
            host.placement == .dedicated
                ? "Each vCPU is modelled as a dedicated server at the host clock (no contention with root cores or other vCPUs)."
                : "vCPUs share the non-root cores round-robin, queueing FIFO behind each other (no time slicing).")
        if virtualServer.enabled {
            notes.append(
                "Virtual Server 2005: a hosted VMM; 'root' is the host OS's cores (the Virtual Server service, its hub and the NIC driver) and 'hypervisor' the VMM. Its costs rest on analogs (MODEL-REFERENCE §4): the VMM's trapped accesses on KVM exit costs (rows 24, 25, 27), the VMM↔host hand-off on VMware Workstation's VMNet path (row 27), the hub on an L2 bridge (row 30), the DHCP server on a host stack [assumption]; no public Virtual Server network figures exist."
            )
            notes.append(
                "A Virtual Server network does not pace the emulated 21140 at its nominal 100 Mb/s: frames move as fast as the CPU path allows (\"data rates which are not limited by physical hardware\", MODEL-REFERENCE §2)."
            )
        } else if !adapters.devices.isEmpty {
            notes.append(
                "Emulated-NIC costs rest on KVM/VMware analogs (MODEL-REFERENCE §4): no public Hyper-V legacy-adapter figures exist.")
        }
        let nonRoot = host.cores - host.rootServers.count, vcpus = host.vcpuServers.count
        if host.placement == .dedicated && vcpus > nonRoot {
            notes.append(
                "The VMs have \(vcpus) vCPUs for \(nonRoot) non-root cores but vCPUs are dedicated servers (vcpu_placement: dedicated); use shared placement to model the contention."
            )
        }
        if stoppedEarly { notes.append("The run was stopped early at \(now) of \(config.duration): a partial report.") }
        if measurement.capturesDropped > 0 {
            notes.append("\(measurement.capturesDropped) captured frames beyond max_captured_frames were counted, not kept.")
        }
        return notes
    }
}
