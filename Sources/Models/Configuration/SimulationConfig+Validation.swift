import SimCore
import Stochastics

/// One thing wrong with a configuration: where (a key path such as `vms[2].adapters[0].switch`, which the YAML
/// layer maps to file:line:col) and what, with the fix when there is an obvious one.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// A configuration that cannot be simulated.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]
    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension SimulationConfig {
    /// Every problem that makes this configuration impossible to simulate (empty if it is valid).
    public func validate() -> [ConfigurationProblem] {
        var p: [ConfigurationProblem] = []
        func add(_ path: String, _ m: String) { p.append(ConfigurationProblem(path, m)) }

        if duration <= .zero { add("duration", "must be > 0 (got \(duration))") }
        if warmup < .zero || warmup >= duration { add("warmup", "must be ≥ 0 and < duration \(duration) (got \(warmup))") }
        if sampleInterval <= .zero { add("sample_interval", "must be > 0") }
        if maxSeriesPoints < 2 { add("max_series_points", "must be ≥ 2") }
        if maxCapturedFrames < 0 { add("max_captured_frames", "must be ≥ 0") }
        if duration > ConfigurationLimits.maxDuration { add("duration", "must be ≤ 1000000s (about 11.6 days)") }
        if sampleInterval > ConfigurationLimits.maxDuration { add("sample_interval", "must be ≤ 1000000s") }
        if socketBacklogLimit > ConfigurationLimits.maxDuration { add("socket_backlog_limit", "must be ≤ 1000000s") }
        if sampleInterval > .zero, duration.picoseconds / sampleInterval.picoseconds > ConfigurationLimits.samples {
            let least = SimTime(picoseconds: (duration.picoseconds + ConfigurationLimits.samples - 1) / ConfigurationLimits.samples)
            add(
                "sample_interval",
                "sample_interval \(sampleInterval) takes \(duration.picoseconds / sampleInterval.picoseconds) samples in a run of "
                    + "\(duration), more than the limit of \(ConfigurationLimits.samples) (each visits every time series); "
                    + "make sample_interval at least \(least)")
        }
        if maxSeriesPoints > ConfigurationLimits.seriesPoints {
            add("max_series_points", "must be ≤ \(ConfigurationLimits.seriesPoints) (\(ConfigurationLimits.why))")
        }
        if maxCapturedFrames > ConfigurationLimits.capturedFrames {
            add("max_captured_frames", "must be ≤ \(ConfigurationLimits.capturedFrames) (\(ConfigurationLimits.why))")
        }
        func limit(_ path: String, _ count: Int, _ max: Int, _ noun: String) {
            if count > max {
                add(path, "\(count) \(noun), more than the limit of \(max); \(ConfigurationLimits.why) (docs/scenarios.md, Limits)")
            }
        }
        limit("vms", vms.count, ConfigurationLimits.vms, "VMs")
        limit("vms", vms.reduce(0) { $0 + $1.adapters.count }, ConfigurationLimits.adapters, "adapters")
        limit("vms", vms.reduce(0) { $0 + $1.vcpus }, ConfigurationLimits.vcpus, "vCPUs")
        limit(
            "vms", vms.reduce(0) { $0 + $1.adapters.reduce(0) { $0 + ($1.kind == .synthetic ? $1.channels : 0) } },
            ConfigurationLimits.channels, "VMBus channels")
        limit("flows", flows.count, ConfigurationLimits.flows, "flows")
        limit("switches", switches.count, ConfigurationLimits.switches, "switches")
        limit("nics", nics.count, ConfigurationLimits.nics, "NICs")
        limit("timeline", timeline.count, ConfigurationLimits.timelineActions, "timeline actions")
        var offered = 0.0
        for (i, f) in flows.enumerated() {
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
        if socketBacklogLimit <= .zero { add("socket_backlog_limit", "must be > 0") }

        // Host
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
        for s in CostStage.allCases {
            if let m = host.costs[s].problem { add("host.costs.\(s.name)", m) }
        }

        // NICs
        var nicNames = Set<String>()
        for (i, n) in nics.enumerated() {
            let at = "nics[\(i)]"
            if n.name.isEmpty { add("\(at).name", "must not be empty") }
            if !nicNames.insert(n.name).inserted { add("\(at).name", "duplicate NIC name '\(n.name)'") }
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
            for (j, c) in n.queueCores.enumerated() where !host.rootCores.contains(c) {
                add("\(at).queue_cores[\(j)]", "core \(c) is not a root core (root cores: \(host.rootCores))")
            }
        }

        // Switches
        var switchNames = Set<String>()
        var boundNICs = Set<String>()
        for (i, s) in switches.enumerated() {
            let at = "switches[\(i)]"
            if s.name.isEmpty { add("\(at).name", "must not be empty") }
            if !switchNames.insert(s.name).inserted { add("\(at).name", "duplicate switch name '\(s.name)'") }
            if s.portQueuePackets < 1 { add("\(at).port_queue", "must be ≥ 1") }
            if s.hostVLAN > 4094 { add("\(at).host_vlan", "VLAN ids are 0…4094") }
            switch s.kind {
            case .external(let nic):
                if !nicNames.contains(nic) { add("\(at).nic", "no NIC named '\(nic)' (NICs: \(nics.map(\.name)))") }
                if !boundNICs.insert(nic).inserted { add("\(at).nic", "NIC '\(nic)' is already bound to another external switch") }
            case .private:
                if s.hostVNIC { add("\(at).host_vnic", "a private switch has no host vNIC; use an internal switch") }
            case .internal: break
            }
        }
        func switchConfig(_ name: String) -> SwitchConfig? { switches.first { $0.name == name } }

        // VMs and adapters
        var vmNames = Set<String>()
        for (i, vm) in vms.enumerated() {
            let at = "vms[\(i)]"
            if vm.name.isEmpty { add("\(at).name", "must not be empty") }
            if !vmNames.insert(vm.name).inserted { add("\(at).name", "duplicate VM name '\(vm.name)'") }
            if vm.vcpus < 1 || vm.vcpus > 64 { add("\(at).vcpus", "must be in 1…64 (got \(vm.vcpus))") }
            if vm.adapters.isEmpty { add("\(at).adapters", "a VM needs at least one adapter") }
            if vm.adapters.filter({ $0.kind == .synthetic }).count > 8 {
                add("\(at).adapters", "Hyper-V allows at most 8 synthetic adapters per VM")
            }
            for (s, m) in vm.costOverrides.sorted(by: { $0.key < $1.key }) {
                if let pr = m.problem { add("\(at).costs.\(s.rawValue)", pr) }
            }
            var adapterNames = Set<String>()
            for (j, a) in vm.adapters.enumerated() {
                let aat = "\(at).adapters[\(j)]"
                if !adapterNames.insert(a.name).inserted { add("\(aat).name", "duplicate adapter name '\(a.name)' in VM '\(vm.name)'") }
                if let sw = switchConfig(a.switch) {
                    if case .external(let nicName) = sw.kind, let nic = nics.first(where: { $0.name == nicName }),
                        a.offloads.mtu > nic.mtu
                    {
                        add(
                            "\(aat).offloads.mtu",
                            "MTU \(a.offloads.mtu) exceeds the MTU \(nic.mtu) of NIC '\(nicName)'; enable jumbo frames on the NIC or lower it"
                        )
                    }
                } else {
                    add("\(aat).switch", "no switch named '\(a.switch)' (switches: \(switches.map(\.name)))")
                }
                if a.vlan > 4094 { add("\(aat).vlan", "VLAN ids are 0…4094") }
                if a.offloads.mtu < 576 || a.offloads.mtu > 9216 { add("\(aat).offloads.mtu", "must be in 576…9216") }
                if a.offloads.lsoMaxBytes < a.offloads.mtu || a.offloads.lsoMaxBytes > 65_535 {
                    add("\(aat).offloads.lso_max_bytes", "must be in MTU…65535")
                }
                if a.txQueuePackets < 1 { add("\(aat).tx_queue", "must be ≥ 1") }
                for (s, m) in a.costOverrides.sorted(by: { $0.key < $1.key }) {
                    if let pr = m.problem { add("\(aat).costs.\(s.rawValue)", pr) }
                }
                switch a.kind {
                case .synthetic:
                    if a.ringBytes < 8 * 1024 || a.ringBytes % 4096 != 0 {
                        add("\(aat).ring_bytes", "must be a multiple of 4 KiB and ≥ 8 KiB (one header page + data), got \(a.ringBytes)")
                    }
                    if a.descriptorBytes < 16 || a.descriptorBytes % 8 != 0 {
                        add("\(aat).descriptor_bytes", "must be a multiple of 8 and ≥ 16 (VMBus lengths are in 8-byte units)")
                    } else if a.ringBytes - 4096 <= a.descriptorBytes {
                        add("\(aat).ring_bytes", "ring too small for one descriptor")
                    }
                    if a.batchPackets < 1 { add("\(aat).batch_packets", "must be ≥ 1") }
                    if a.channels < 1 || a.channels > 64 { add("\(aat).channels", "must be in 1…64 (VRSS_CHANNEL_MAX)") }
                    if a.sendSectionBytes < 0 { add("\(aat).send_section_bytes", "must be ≥ 0") }
                case .emulated:
                    let e = a.emulated
                    if a.vlan != 0 { add("\(aat).vlan", "the emulated DEC 21140 does not support VLAN tags; use a synthetic adapter") }
                    if a.offloads.mtu > 1500 { add("\(aat).offloads.mtu", "the emulated DEC 21140 has no jumbo frames (MTU ≤ 1500)") }
                    if e.txAccessesPerPacket < 0 { add("\(aat).emulated.tx_accesses_per_packet", "must be ≥ 0") }
                    if e.txInterruptEvery < 1 { add("\(aat).emulated.tx_interrupt_every", "must be ≥ 1") }
                    if e.accessesPerInterrupt < 0 { add("\(aat).emulated.accesses_per_interrupt", "must be ≥ 0") }
                    if e.txRing < 1 { add("\(aat).emulated.tx_ring", "must be ≥ 1") }
                    if e.rxRing < 1 { add("\(aat).emulated.rx_ring", "must be ≥ 1") }
                }
            }
        }

        // Flows (VMs found by name through one index: linear in the number of flows, not quadratic)
        var vmIndex: [String: Int] = [:]
        for (i, vm) in vms.enumerated() where vmIndex[vm.name] == nil { vmIndex[vm.name] = i }
        var flowNames = Set<String>()
        for (i, f) in flows.enumerated() {
            let at = "flows[\(i)]"
            if f.name.isEmpty { add("\(at).name", "must not be empty") }
            if !flowNames.insert(f.name).inserted { add("\(at).name", "duplicate flow name '\(f.name)'") }
            let fromSwitches = endpointSwitches(f.from, problems: &p, path: "\(at).from", vmIndex: vmIndex)
            let toSwitches = endpointSwitches(f.to, problems: &p, path: "\(at).to", vmIndex: vmIndex)
            if f.from == f.to { add("\(at).to", "a flow needs two different endpoints") }
            if case .external = f.from, case .external = f.to {
                add("\(at)", "both endpoints are external: the traffic never enters the host")
            }
            if let a = fromSwitches, let b = toSwitches, a.isDisjoint(with: b) {
                add("\(at).to", "'\(f.from)' and '\(f.to)' share no switch: there is no path between them")
            }
            switch f.size {
            case .fixed(let b): if b < 1 || b > 1_048_576 { add("\(at).size", "must be in 1…1048576 bytes (got \(b))") }
            case .distribution(let d):
                if let pr = d.problem ?? SampleBounds.sizeProblem(d) { add("\(at).size", pr) }
            }
            if f.start < .zero { add("\(at).start", "must be ≥ 0") }
            if let s = f.stop, s <= f.start { add("\(at).stop", "must be after start") }
            switch f.pattern {
            case .constant(let r), .poisson(let r):
                if r.bitsPerSecond <= 0 { add("\(at).rate", "must be > 0") }
                if case .poisson = f.pattern, case .distribution(let d) = f.size, !((d.mean ?? 0) > 0) {
                    add("\(at).size", "a Poisson flow needs a size distribution with a finite positive mean (got \(d))")
                } else if case .poisson = f.pattern, r.bitsPerSecond > 0, let mean = f.size.mean,
                    mean <= Double(SampleBounds.maxMessageBytes)
                {
                    // The gaps between messages are exponential with mean (mean size × 8 / rate) seconds.
                    let gap = Distribution.exponential(mean: mean * 8 / Double(r.bitsPerSecond))
                    let q = gap.quantile(Distribution.checkedQuantile)
                    if !(q <= SampleBounds.maxSampledTime.seconds) {
                        let least = (q * Double(r.bitsPerSecond) / SampleBounds.maxSampledTime.seconds).rounded(.up)
                        add(
                            "\(at).rate",
                            "at \(r) the 99th percentile of the gaps between messages is \(SampleBounds.seconds(q))s, above the "
                                + "maximum 1000000s (gaps are clamped to it); raise the rate to at least \(SampleBounds.bytes(least))bps")
                    }
                }
            case .onOff(_, let on, let off):
                if let pr = on.problem ?? SampleBounds.timeProblem(on) { add("\(at).on", pr) }
                if let pr = off.problem ?? SampleBounds.timeProblem(off) { add("\(at).off", pr) }
            case .requestResponse(let resp, let think):
                if resp < 1 || resp > 1_048_576 { add("\(at).response_bytes", "must be in 1…1048576") }
                if let pr = think.problem ?? SampleBounds.timeProblem(think) { add("\(at).think_time", pr) }
            case .bulk(let window, let ackEvery):
                if f.transport != .tcp { add("\(at).transport", "a bulk flow is a TCP transfer: set transport: tcp") }
                if window.bytes < 1 || window.bytes > ConfigurationLimits.bulkWindowBytes {
                    add("\(at).window", "must be in 1B…1GiB (TCP's largest window; the sender fills it at once)")
                }
                if ackEvery < 1 { add("\(at).ack_every", "must be ≥ 1") }
            }
        }

        // Timeline and captures
        for (i, t) in timeline.enumerated() {
            let at = "timeline[\(i)]"
            if t.at < .zero || t.at > duration { add("\(at).at", "must be within the run (0…\(duration))") }
            switch t.action {
            case .startFlow(let n), .stopFlow(let n):
                if !flowNames.contains(n) { add("\(at).flow", "no flow named '\(n)'") }
            case .attachAdapter(let v, let a), .detachAdapter(let v, let a):
                if !(vmIndex[v].map { vms[$0] }?.adapters.contains { $0.name == a } ?? false) {
                    add("\(at).adapter", "no adapter '\(a)' on VM '\(v)'")
                }
            }
        }
        for (i, c) in captures.enumerated() {
            let at = "captures[\(i)]"
            if let sws = endpointSwitches(c.endpoint, problems: &p, path: "\(at).endpoint", vmIndex: vmIndex), !sws.contains(c.switch) {
                add("\(at).switch", "'\(c.endpoint)' has no port on switch '\(c.switch)'")
            }
        }
        return p
    }

    /// The switches an endpoint has a port on (nil, with a problem added, if it does not exist).
    func endpointSwitches(
        _ e: Endpoint, problems p: inout [ConfigurationProblem], path: String, vmIndex: [String: Int]? = nil
    ) -> Set<String>? {
        switch e {
        case .vm(let v, let a):
            guard let vm = vmIndex.map({ $0[v].map { vms[$0] } }) ?? vms.first(where: { $0.name == v }) else {
                p.append(ConfigurationProblem(path, "no VM named '\(v)'")); return nil
            }
            guard let ad = vm.adapters.first(where: { $0.name == a }) else {
                p.append(ConfigurationProblem(path, "VM '\(v)' has no adapter '\(a)' (adapters: \(vm.adapters.map(\.name)))")); return nil
            }
            return [ad.switch]
        case .host(let s):
            guard let sw = switches.first(where: { $0.name == s }) else {
                p.append(ConfigurationProblem(path, "no switch named '\(s)'")); return nil
            }
            if !sw.hasHostVNIC {
                p.append(
                    ConfigurationProblem(
                        path, "switch '\(s)' has no host vNIC (set host_vnic: true on an external switch, or use an internal one)"))
                return nil
            }
            return [s]
        case .external(let n):
            guard nics.contains(where: { $0.name == n }) else {
                p.append(ConfigurationProblem(path, "no NIC named '\(n)'")); return nil
            }
            let bound = switches.filter { if case .external(let x) = $0.kind { return x == n } else { return false } }
            if bound.isEmpty { p.append(ConfigurationProblem(path, "NIC '\(n)' is bound to no external switch")); return nil }
            return Set(bound.map(\.name))
        }
    }
}
