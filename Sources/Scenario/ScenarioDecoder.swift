import Models
import SimCore
import Yams

/// Turns one scenario file's YAML tree into a ``SimulationConfig``, reporting
/// every problem with its location.
///
/// Reading is forgiving so that one mistake does not hide the next: a value
/// that fails to decode keeps its default and is reported; an entity without a
/// usable name is skipped (and reported) so references to it do not cascade.
final class ScenarioDecoder {
    let c: DiagnosticCollector
    var config = SimulationConfig()
    var name: String
    var description = ""
    var replications = 1
    /// Config path prefix (as the model's validation names it) → spec path in the file.
    var pathMap: [String: String] = [:]

    // Name tables with the location of each definition, for duplicate and reference checks.
    var nicAt: [String: SourceLocation] = [:]
    var switchAt: [String: SourceLocation] = [:]
    var vmAt: [String: SourceLocation] = [:]
    var flowAt: [String: SourceLocation] = [:]
    var networkAt: [String: SourceLocation] = [:]

    // Cost profiles: raw nodes by name, resolved lazily (a profile may build on another).
    var profileNodes: [String: (node: Node, path: String, keyNode: Node)] = [:]
    var resolvedProfiles: [String: CostProfile] = ["default": CostProfile()]
    var resolving: Set<String> = []
    /// Adapter spec paths of the VM group being read (index in the group's adapter list, path).
    var pendingAdapterPaths: [(Int, String)] = []
    /// The adapters of the VM group being read that name no Virtual Server network (index in the list, node).
    var pendingUnnetworked: [(Int, Node)] = []
    /// Every Virtual Server adapter that names no network (VM index, adapter index, its entry): it takes the network
    /// of its first `attach`.
    var unnetworkedAdapters: [(vm: Int, adapter: Int, node: Node)] = []
    /// Adapter names of each VM, in order (the first is a VM's default endpoint).
    var vmAdapters: [String: [String]] = [:]
    /// Members of each named group flow, in order.
    var flowGroups: [String: [String]] = [:]
    /// The VMs of each group made with `count` (`name: vm, count: 16` → "vm": vm1 … vm16), by the group's name,
    /// which names them all in a flow, capture or timeline action.
    var countGroups: [String: [String]] = [:]
    /// The VMs of each group named by a pattern (`web[1-8]`), in file order: for suggestions.
    var patternGroups: [(pattern: String, members: [String])] = []
    /// Index of each VM in `config.vms`, by name.
    var vmIndex: [String: Int] = [:]
    /// Flows whose two ends must share a switch, checked once the timeline (which can move adapters) is read.
    var pendingTopology: [(node: Node?, from: Endpoint, to: Endpoint)] = []
    /// Where the file sets `warmup`; nil when the run uses the default warm-up.
    var warmupLocation: SourceLocation?
    /// The study sections (`sweep`, `compare`, `plan`, `confidence`), as written.
    var study = StudySections()
    /// A section went past a size limit (``reportOverLimit(_:_:limit:)``): later sections are not read.
    var overLimit = false

    init(file: String, defaultName: String) {
        c = DiagnosticCollector(file: file)
        name = defaultName
    }

    func decode(_ root: Node?) {
        guard let root else {
            c.error(
                at: SourceLocation(file: c.file, line: 1, column: 1), "the file is empty",
                fix: "write a scenario; see Scenarios/quickstart.yaml or docs/scenarios.md")
            return
        }
        guard let top = MappingReader(root, path: "", section: ScenarioSchema.top, collector: c) else { return }
        // The name becomes a directory under Results/, so it is a plain name.
        if let n = top.string("name"), checkName(n, node: top.value("name"), noun: "scenario"),
            checkFolderName(n, node: top.value("name"))
        {
            name = n
        }
        config.name = name
        description = top.string("description") ?? ""
        if let s = top.integer("seed", in: 0...Int64.max) { config.seed = UInt64(s) }
        if let r = top.integer("replications", in: 1...10_000) { replications = Int(r) }
        if let d = top.quantity(
            "duration", .duration, min: 1, max: ConfigurationLimits.maxDuration.picoseconds, minText: "1ps",
            maxText: "1000000s (about 11.6 days)")
        {
            config.duration = SimTime(picoseconds: d)
        }
        if let w = top.quantity("warmup", .duration) {
            config.warmup = SimTime(picoseconds: w)
            warmupLocation = c.location(top.value("warmup"))
            if config.warmup >= config.duration, let v = top.value("warmup") {
                c.error(
                    v, "'warmup' (\(config.warmup.scenarioText)) is not shorter than 'duration' (\(config.duration.scenarioText))",
                    fix:
                        "make warmup shorter than duration, e.g. warmup: \(ScenarioLoader.defaultWarmup(for: config.duration).scenarioText), "
                        + "or remove it for the default"
                )
            }
        } else if !top.has("warmup") {
            // The documented default: the smaller of 100ms and a tenth of the run.
            config.warmup = ScenarioLoader.defaultWarmup(for: config.duration)
        }
        if let s = top.quantity(
            "sample_interval", .duration, min: 1, max: ConfigurationLimits.maxDuration.picoseconds, minText: "1ps",
            maxText: "1000000s")
        {
            config.sampleInterval = SimTime(picoseconds: s)
        }
        if let m = top.integer("max_series_points", in: 2...Int64(ConfigurationLimits.seriesPoints)) { config.maxSeriesPoints = Int(m) }
        if let m = top.integer("max_captured_frames", in: 0...Int64(ConfigurationLimits.capturedFrames)) {
            config.maxCapturedFrames = Int(m)
        }
        if let s = top.quantity(
            "socket_backlog_limit", .duration, min: 1, max: ConfigurationLimits.maxDuration.picoseconds, minText: "1ps",
            maxText: "1000000s")
        {
            config.socketBacklogLimit = SimTime(picoseconds: s)
        }
        // The model's sample-count rule names 'sample_interval'; with the default interval, point at 'duration'.
        if !top.has("sample_interval"), let d = top.value("duration") { c.record("sample_interval", d) }

        readStudySections(top)
        readCostProfiles(top)
        readHost(top)
        // Past a size limit, the sections that may refer to what was not read are skipped (not checked).
        // Networks before VMs: a Virtual Server adapter names its network; adapters without one take the network of
        // their first `attach`, known once the timeline is read.
        for read in [
            readNICs, readSwitches, readNetworks, readVMs, readFlows, readTimeline, resolveUnnetworkedAdapters, readCaptures,
            checkFlowTopology,
        ]
        where !overLimit {
            read(top)
        }
        if overLimit { top.abandon() }
        // Profiles nobody refers to are still checked.
        for n in profileNodes.keys.sorted() { _ = profile(n, at: nil) }
        top.finish()
    }

    // MARK: Names

    /// Records a definition; reports a duplicate (pointing at the first) and returns false.
    func define(_ name: String, in table: inout [String: SourceLocation], node: Node?, noun: String) -> Bool {
        let here = c.location(node)
        if let first = table[name] {
            c.error(
                node, "duplicate \(noun) name '\(name)' (first defined at line \(first.line))",
                fix: "give each \(noun) a unique name")
            return false
        }
        table[name] = here
        return true
    }

    func checkName(_ s: String, node: Node?, noun: String) -> Bool {
        let ok = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) } && !s.hasPrefix("-") && !s.hasPrefix(".")
        if !ok {
            c.error(
                node, "'\(s)' is not a valid \(noun) name",
                fix: "use letters, digits, '_', '-' and '.' only, not first '-' or '.' (no '/', '@', spaces or brackets)")
        } else if noun != "scenario" && s.count > Self.maxNameLength {
            // Capture files are named after ports (VM_ADAPTER.pcap, SWITCH_uplink.pcap): two names must fit in 255 bytes.
            c.error(
                node, "the \(noun) name is \(s.count) characters long, more than the limit of \(Self.maxNameLength)",
                fix: "shorten it (capture files are named after a VM and its adapter, and a file name has at most 255 bytes)")
            return false
        }
        return ok
    }

    /// The longest name of a VM, adapter, switch, NIC, flow or profile, in characters.
    static let maxNameLength = 100

    /// Reports that a section goes past a limit of ``ConfigurationLimits`` (at `node`, the entry that does) and
    /// stops reading: the sections after it, which may refer to what was not read, are not checked.
    func reportOverLimit(_ node: Node?, _ what: String, limit: Int) {
        c.error(
            node, "\(what), more than the limit of \(limit); \(ConfigurationLimits.why) (docs/scenarios.md, Limits)",
            fix: "split the scenario or make it smaller (what follows this entry is not checked)")
        overLimit = true
    }

    /// The longest scenario name, in characters: the results folder `Results/NAME/` is the name with every
    /// character other than an ASCII letter, digit, `_`, `-` or `.` replaced by one `_` (ReportWriter's
    /// `makeRunDirectory`, through `PlotData.sanitize`), and file systems refuse a folder name beyond 255 bytes.
    static let maxScenarioNameLength = 200

    /// A scenario name must make a folder name the results writer can create; false (reported) if not.
    func checkFolderName(_ s: String, node: Node?) -> Bool {
        if s.count > Self.maxScenarioNameLength {
            c.error(
                node,
                "the scenario name is \(s.count) characters long, but it names the results folder (Results/NAME/), "
                    + "which must be at most \(Self.maxScenarioNameLength) characters (file systems allow 255 bytes)",
                fix: "shorten 'name' to at most \(Self.maxScenarioNameLength) characters, e.g. '\(String(s.prefix(40)))'")
            return false
        }
        if s.allSatisfy({ $0 == "." }) {
            c.error(node, "'\(s)' cannot name the results folder", fix: "use a name with a letter or digit")
            return false
        }
        return true
    }

    /// Errors after this many get no did-you-mean (each searches every name): validation stays linear in the file.
    static let maxSuggestedErrors = 100

    /// Reports a reference to an undefined name with a did-you-mean; true if it exists.
    func reference(_ name: String, in table: [String: SourceLocation], node: Node?, noun: String, defineHint: String) -> Bool {
        if table[name] != nil { return true }
        guard c.diagnostics.count < Self.maxSuggestedErrors else {
            c.error(node, "no \(noun) named '\(name)'", fix: "define it under '\(defineHint)'")
            return false
        }
        let names = table.keys.sorted()
        let fix =
            Suggestions.closest(to: name, among: names).map { "did you mean '\($0)'?" }
            ?? (names.isEmpty
                ? "define it under '\(defineHint)'"
                : "define it under '\(defineHint)' or use one of: \(names.prefix(10).joined(separator: ", "))\(names.count > 10 ? ", …" : "")")
        c.error(node, "no \(noun) named '\(name)'", fix: fix)
        return false
    }

    // MARK: Host, NICs, switches

    /// The host's platform (`host.platform`), read first: it sets the defaults of everything else.
    var platform: HostPlatform { config.host.platform }

    /// The built-in cost profile of the host's platform (`default` in the file).
    var platformCosts: CostProfile { CostProfile(platform: platform) }

    func readHost(_ top: MappingReader) {
        guard let h = top.mapping("host", ScenarioSchema.hostSection) else {
            config.host.costs = platformCosts
            return
        }
        if let p = h.choice("platform", HostPlatform.self) { config.host.platform = p }
        // On Virtual Server, `default` (and so every profile's default `base`) is Virtual Server 2005's profile.
        resolvedProfiles["default"] = platformCosts
        if let n = h.integer("cores", in: 1...1024) { config.host.cores = Int(n) }
        if let hz = h.quantity("clock", .clockRate, min: 1_000_000, max: 100_000_000_000, minText: "1MHz", maxText: "100GHz") {
            config.host.clock = ClockRate(hertz: hz)
        }
        if let v = h.value("root_cores") {
            if let cores = coreList(v, key: "root_cores") {
                config.host.rootCores = cores
                if cores.isEmpty { c.error(v, "'root_cores' is empty", fix: "list at least one core, e.g. [0, 1]") }
            }
        }
        for (i, core) in config.host.rootCores.enumerated() where core >= config.host.cores {
            c.error(
                h.value("root_cores").flatMap { if case .sequence(let s) = $0, i < s.count { return s[i] } else { return $0 } },
                "root core \(core) does not exist (the host has cores 0…\(config.host.cores - 1))",
                fix: "use core numbers below \(config.host.cores), or raise 'cores'")
        }
        if let p = h.choice("vcpu_placement", VCPUPlacement.self) { config.host.vcpuPlacement = p }
        if let d = h.mapping("vmbus_drain", ScenarioSchema.vmbusDrain) {
            if let q = d.integer("packet_quota", in: 1...Int64(VMBusDrainConfig.maxPacketQuota)) {
                config.host.vmbusDrain.packetQuota = Int(q)
            }
            if let (s, node) = d.scalar("cycle_budget", expected: "a number of cycles"), let b = cycles(s, node: node, key: "cycle_budget")
            {
                if b < VMBusDrainConfig.minCycleBudget.count {
                    c.error(
                        node, "'cycle_budget' is \(b) cycles, below the minimum \(VMBusDrainConfig.minCycleBudget.count)",
                        fix: "write at least \(VMBusDrainConfig.minCycleBudget.count), e.g. '\(VMBusDrainConfig.defaultCycleBudget.count)'")
                } else {
                    config.host.vmbusDrain.cycleBudget = Cycles(b)
                }
            }
            d.finish()
        }
        var costs = platformCosts
        if let (pn, node) = h.scalar("cost_profile", expected: "a profile name") {
            costs = profile(pn, at: node) ?? platformCosts
        }
        if let m = h.mapping("costs", costsSection) { costs = readCosts(m, base: costs) }
        config.host.costs = costs
        h.finish()
    }

    /// The items of a list value (a single scalar is a list of one); nil, reported, for anything else.
    func listItems(_ v: Node, key: String, of noun: String, example: String) -> [Node]? {
        switch v {
        case .sequence(let s): return Array(s)
        case .scalar: return [v]
        default:
            c.error(v, "'\(key)' must be a list of \(noun)", fix: "write e.g. \(example)")
            return nil
        }
    }

    func coreList(_ v: Node, key: String) -> [Int]? {
        guard let items = listItems(v, key: key, of: "core numbers", example: "[0, 1, 2, 3]") else { return nil }
        var out: [Int] = []
        for item in items {
            guard case .scalar(let s) = item, let n = Int(s.string), n >= 0 else {
                c.error(item, "'\(describe(item))' is not a core number", fix: "write zero-based core numbers, e.g. [0, 1]")
                return nil
            }
            if out.contains(n) { c.error(item, "core \(n) is listed twice in '\(key)'", fix: "list each core once") }
            out.append(n)
        }
        return out
    }

    func readNICs(_ top: MappingReader) {
        for (node, path) in top.list("nics") {
            if config.nics.count >= ConfigurationLimits.nics {
                reportOverLimit(node, "this is NIC \(config.nics.count + 1)", limit: ConfigurationLimits.nics)
                break
            }
            guard let m = MappingReader(node, path: path, section: ScenarioSchema.nicSection, collector: c) else { continue }
            defer { m.finish() }
            m.require("name")
            guard let name = m.string("name"), checkName(name, node: m.value("name"), noun: "NIC"),
                define(name, in: &nicAt, node: m.value("name"), noun: "NIC")
            else { m.abandon(); continue }
            var nic = NICConfig(name: name)
            if let r = m.quantity("link_rate", .dataRate, min: 1, max: 10_000_000_000_000, minText: "1bps", maxText: "10Tbps") {
                nic.linkRate = DataRate(bitsPerSecond: r)
            }
            if let b = m.quantity("mtu", .byteCount, min: 576, max: 9216, minText: "576B", maxText: "9216B") { nic.mtu = Int(b) }
            if let q = m.integer("tx_queue", in: 1...1_000_000) { nic.txQueuePackets = Int(q) }
            if let q = m.integer("rx_queue", in: 1...1_000_000) { nic.rxQueuePackets = Int(q) }
            if let co = m.mapping("coalescing", ScenarioSchema.coalescing) {
                if let f = co.integer("max_frames", in: 1...65_536) { nic.coalescing.maxFrames = Int(f) }
                if let d = co.quantity("max_delay", .duration, max: ConfigurationLimits.maxNICDelay.picoseconds, maxText: "10s") {
                    nic.coalescing.maxDelay = SimTime(picoseconds: d)
                }
                co.finish()
            }
            if let b = m.bool("vmq") { nic.vmq = b }
            if let b = m.bool("sriov") { nic.sriov = b }
            if let b = m.bool("vmmq") { nic.vmmq = b }
            if let q = m.integer("vmmq_queue_pairs", in: 1...64) { nic.vmmqQueuePairs = Int(q) }
            if let b = m.bool("rsc") { nic.rsc = b }
            if let d = m.mapping("dynamic_vmq", ScenarioSchema.dynamicVMQ) {
                if let b = d.bool("enabled") { nic.dynamicVMQ.enabled = b }
                if let t = d.quantity(
                    "interval", .duration, min: 1_000_000, max: ConfigurationLimits.maxNICDelay.picoseconds, minText: "1µs", maxText: "10s")
                {
                    nic.dynamicVMQ.interval = SimTime(picoseconds: t)
                }
                if let x = d.fraction("spread_above") { nic.dynamicVMQ.spreadAbove = x }
                if let x = d.fraction("coalesce_below") { nic.dynamicVMQ.coalesceBelow = x }
                d.finish()
            }
            if let v = m.value("queue_cores"), let cores = coreList(v, key: "queue_cores") {
                nic.queueCores = cores
                for core in cores where !config.host.rootCores.contains(core) {
                    c.error(
                        v,
                        "queue core \(core) is not a root core (root cores: \(config.host.rootCores.map(String.init).joined(separator: ", ")))",
                        fix: "list only root cores, or add \(core) to host.root_cores")
                }
            }
            if let b = m.bool("lso") { nic.lso = b }
            if let d = m.quantity("propagation_delay", .duration, max: ConfigurationLimits.maxNICDelay.picoseconds, maxText: "10s") {
                nic.propagationDelay = SimTime(picoseconds: d)
            }
            pathMap["nics[\(config.nics.count)]"] = path
            config.nics.append(nic)
        }
    }

    enum SwitchType: String, CaseIterable { case external, `internal`, `private` }

    func readSwitches(_ top: MappingReader) {
        var boundBy: [String: String] = [:]
        for (node, path) in top.list("switches") {
            if config.switches.count >= ConfigurationLimits.switches {
                reportOverLimit(node, "this is switch \(config.switches.count + 1)", limit: ConfigurationLimits.switches)
                break
            }
            guard let m = MappingReader(node, path: path, section: ScenarioSchema.switchSection, collector: c) else { continue }
            defer { m.finish() }
            m.require("name")
            m.require("type")
            guard let name = m.string("name"), checkName(name, node: m.value("name"), noun: "switch"),
                define(name, in: &switchAt, node: m.value("name"), noun: "switch")
            else { m.abandon(); continue }
            let type = m.choice("type", SwitchType.self) ?? .private
            var kind = SwitchKind.private
            switch type {
            case .external:
                if let nic = m.string("nic") {
                    if reference(nic, in: nicAt, node: m.value("nic"), noun: "NIC", defineHint: "nics") {
                        if let other = boundBy[nic] {
                            c.error(
                                m.value("nic"), "NIC '\(nic)' is already bound to external switch '\(other)'",
                                fix: "bind each NIC to one external switch (add another NIC for a second one)")
                        }
                        boundBy[nic] = name
                    }
                    kind = .external(nic: nic)
                } else {
                    let nics = nicAt.keys.sorted()
                    c.error(
                        m.node, "external switch '\(name)' has no 'nic'",
                        fix: nics.isEmpty ? "define a NIC under 'nics' and add 'nic: NAME'" : "add 'nic: \(nics[0])'")
                    kind = .external(nic: nics.first ?? "")
                }
            case .internal, .private:
                if m.has("nic") {
                    c.error(
                        m.keyNode("nic"), "a \(type.rawValue) switch has no NIC",
                        fix: "remove 'nic', or make the switch 'type: external'")
                    _ = m.value("nic")
                }
                kind = type == .internal ? .internal : .private
            }
            var sw = SwitchConfig(name: name, kind: kind)
            if let b = m.bool("host_vnic") {
                if b && type == .private {
                    c.error(
                        m.value("host_vnic"), "a private switch cannot have a host vNIC",
                        fix: "use 'type: internal' to connect the host, or remove 'host_vnic'")
                }
                sw.hostVNIC = b && type != .private
            }
            if let v = m.integer("host_vlan", in: 0...4094) { sw.hostVLAN = UInt16(v) }
            if let q = m.integer("port_queue", in: 1...1_000_000) { sw.portQueuePackets = Int(q) }
            if let f = m.choice("forwarding", SwitchForwarding.self) { sw.forwarding = f }
            if let b = m.bool("rsc") { sw.rsc = b }
            pathMap["switches[\(config.switches.count)]"] = path
            config.switches.append(sw)
        }
    }
}
