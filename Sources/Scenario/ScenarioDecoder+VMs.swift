import Models
import SimCore
import Yams

extension ScenarioDecoder {
    /// A VM's power at time 0 (`state:`).
    enum VMState: String, CaseIterable { case running, off }

    func readVMs(_ top: MappingReader) {
        var adapterCount = 0, vcpuCount = 0, channelCount = 0
        for (node, path) in top.list("vms") {
            guard let m = MappingReader(node, path: path, section: ScenarioSchema.vmSection, collector: c) else { continue }
            defer { m.finish() }
            m.require("name")
            guard let pattern = m.string("name") else { m.abandon(); continue }
            let nameNode = m.value("name")
            var names: [String]
            switch NamePattern.expand(pattern) {
            case .failure(let e):
                c.error(nameNode, e.message, fix: e.fix)
                m.abandon()
                continue
            case .success(let n): names = n
            }
            if let count = m.integer("count", in: 1...Int64(NamePattern.limit)) {
                if NamePattern.isPattern(pattern) {
                    c.error(
                        m.value("count"), "'count' and the pattern '\(pattern)' both say how many VMs to make",
                        fix: "remove 'count', or write 'name: \(pattern.prefix { $0 != "[" })' with 'count'")
                } else {
                    names = (1...count).map { "\(pattern)\($0)" }
                }
            }
            if config.vms.count + names.count > ConfigurationLimits.vms {
                reportOverLimit(
                    m.value("count") ?? nameNode, "this group makes \(config.vms.count + names.count) VMs in all",
                    limit: ConfigurationLimits.vms)
                m.abandon()
                break
            }
            guard names.allSatisfy({ checkName($0, node: nameNode, noun: "VM") }) else { m.abandon(); continue }

            var template = VMConfig(name: names[0])
            // A Virtual Server 2005 guest has one CPU.
            if platform == .virtualServer { template.vcpus = 1 }
            if let v = m.integer("vcpus", in: 1...64) { template.vcpus = Int(v) }
            readGuest(m, &template, path: path)
            if let st = m.choice("state", VMState.self) {
                template.running = st == .running
                if st == .off && platform == .hyperV {
                    c.error(
                        m.value("state"), "a VM that starts turned off needs a timeline 'power_on', which is Virtual Server's",
                        fix: "remove 'state', or set host.platform: virtual_server")
                }
            }
            var vmCosts = config.host.costs
            if let (pn, pnode) = m.scalar("cost_profile", expected: "a profile name") {
                vmCosts = profile(pn, at: pnode) ?? vmCosts
            }
            if let cm = m.mapping("costs", costsSection) { vmCosts = readCosts(cm, base: vmCosts) }
            template.costOverrides = overrides(vmCosts, over: config.host.costs)

            if m.has("adapters") {
                var adapters: [AdapterConfig] = []
                var adapterPaths: [String] = []
                var adapterNames: [String: Node] = [:]
                let items = m.list("adapters")
                for (an, ap) in items {
                    if let a = readAdapter(an, path: ap, index: adapters.count, vmCosts: vmCosts) {
                        // A Virtual Server adapter without a network takes its first `attach`'s (resolveUnnetworkedAdapters).
                        if platform == .virtualServer && a.switch.isEmpty { pendingUnnetworked.append((adapters.count, an)) }
                        if adapterNames[a.name] != nil {
                            c.error(
                                an, "duplicate adapter name '\(a.name)' in VM '\(pattern)'", fix: "give each adapter of a VM its own name")
                            continue
                        }
                        adapterNames[a.name] = an
                        adapters.append(a)
                        adapterPaths.append(ap)
                    }
                }
                if items.isEmpty, let v = m.value("adapters"), case .sequence = v {
                    c.error(
                        v, "VM '\(pattern)' has an empty adapter list",
                        fix: platform == .virtualServer
                            ? "add an adapter, e.g. '- {network: …}'" : "add an adapter, e.g. '- {type: synthetic, switch: …}'")
                }
                let synthetic = adapters.filter { $0.kind == .synthetic }.count
                if synthetic > 8 {
                    c.error(
                        m.value("adapters"), "VM '\(pattern)' has \(synthetic) synthetic adapters; Hyper-V allows at most 8",
                        fix: "remove adapters or spread them over more VMs")
                }
                template.adapters = adapters
                for (j, ap) in adapterPaths.enumerated() { pendingAdapterPaths.append((j, ap)) }
            } else {
                let what = "VM '\(pattern)' has no 'adapters'"
                guard let sw = platform == .virtualServer ? onlyNetwork(for: m.node, what: what) : onlySwitch(for: m.node, what: what)
                else {
                    template.adapters = []
                    finishVMGroup(names, template, path: path, nameNode: nameNode)
                    continue
                }
                template.adapters = [AdapterConfig(name: "eth0", kind: platform == .virtualServer ? .emulated : .synthetic, switch: sw)]
            }
            if adapterCount + names.count * template.adapters.count > ConfigurationLimits.adapters {
                reportOverLimit(
                    m.value("adapters") ?? nameNode,
                    "this group makes \(adapterCount + names.count * template.adapters.count) adapters in all",
                    limit: ConfigurationLimits.adapters)
                break
            }
            let vcpus = names.count * template.vcpus
            // At most: a default (vRSS) adapter has min(8, vCPUs) channels.
            let channels =
                names.count * template.adapters.reduce(0) { $0 + ($1.kind == .synthetic ? $1.channels ?? Swift.min(8, template.vcpus) : 0) }
            if vcpuCount + vcpus > ConfigurationLimits.vcpus {
                reportOverLimit(
                    m.value("vcpus") ?? nameNode, "this group makes \(vcpuCount + vcpus) vCPUs in all", limit: ConfigurationLimits.vcpus)
                break
            }
            if channelCount + channels > ConfigurationLimits.channels {
                reportOverLimit(
                    m.value("adapters") ?? nameNode, "this group makes \(channelCount + channels) VMBus channels in all",
                    limit: ConfigurationLimits.channels)
                break
            }
            adapterCount += names.count * template.adapters.count
            vcpuCount += vcpus
            channelCount += channels
            finishVMGroup(names, template, path: path, nameNode: nameNode)
            recordGroup(pattern, names, counted: m.has("count"))
        }
    }

    /// A VM's `generation` and `integration_services` (Hyper-V's; the model's validation checks them against the
    /// adapters). On Virtual Server, generation 2 and `integration_services` are refused here.
    func readGuest(_ m: MappingReader, _ vm: inout VMConfig, path: String) {
        if let g = m.integer("generation", in: 1...2) {
            vm.generation = Int(g)
            if g == 2 && platform == .virtualServer {
                c.error(
                    m.value("generation"), "Virtual Server's VMs are BIOS machines with emulated devices only: there is no generation 2",
                    fix: "remove 'generation' (Virtual Server's VMs are generation 1 machines)")
            }
        }
        guard m.has("integration_services") else { return }
        if platform == .virtualServer {
            c.error(
                m.keyNode("integration_services"),
                "'integration_services' is Hyper-V's (the VMBus drivers a synthetic adapter needs), and Virtual Server's Virtual Machine "
                    + "Additions do not change its emulated 21140, the only adapter it has",
                fix: "remove 'integration_services'")
            _ = m.value("integration_services")
            return
        }
        guard let b = m.bool("integration_services") else { return }
        vm.integrationServices = b
        // The model's rule about a synthetic adapter without them names the adapter's type; the default adapter has
        // none written, so point at this value instead.
        if !b && !m.has("adapters"), let v = m.value("integration_services") { c.record("\(path).adapters[0].type", v) }
    }

    /// Remembers a group of VMs: one made with `count` by its name (which then names all of them), one named
    /// by a pattern by the pattern (for suggestions).
    func recordGroup(_ pattern: String, _ names: [String], counted: Bool) {
        if NamePattern.isPattern(pattern) {
            if names.count > 1 { patternGroups.append((pattern, names)) }
        } else if counted && names != [pattern] && countGroups[pattern] == nil {
            countGroups[pattern] = names
        }
    }

    /// Appends the VMs of one group and maps their config paths to the group's spec path.
    func finishVMGroup(_ names: [String], _ template: VMConfig, path: String, nameNode: Node?) {
        let adapterPaths = pendingAdapterPaths, unnetworked = pendingUnnetworked
        pendingAdapterPaths = []
        pendingUnnetworked = []
        for n in names {
            guard define(n, in: &vmAt, node: nameNode, noun: "VM") else { continue }
            var vm = template
            vm.name = n
            let i = config.vms.count
            vmIndex[n] = i
            pathMap["vms[\(i)]"] = path
            for (j, ap) in adapterPaths { pathMap["vms[\(i)].adapters[\(j)]"] = ap }
            for (j, node) in unnetworked { unnetworkedAdapters.append((vm: i, adapter: j, node: node)) }
            config.vms.append(vm)
            vmAdapters[n] = vm.adapters.map(\.name)
        }
    }

    /// The only switch, for an adapter that names none; reports an error (saying `what`) when there is not exactly one.
    func onlySwitch(for node: Node?, what: String) -> String? {
        let names = switchAt.keys.sorted()
        if names.count == 1 { return names[0] }
        c.error(
            node, names.isEmpty ? "\(what) and no switch is defined" : "\(what) and there are \(names.count) switches to choose from",
            fix: names.isEmpty ? "define a switch under 'switches'" : "add 'switch: NAME' (switches: \(names.joined(separator: ", ")))")
        return nil
    }

    /// The only Virtual Server network, for a VM that lists no adapters; reports an error (saying `what`) when there is
    /// not exactly one.
    func onlyNetwork(for node: Node?, what: String) -> String? {
        let names = networkAt.keys.sorted()
        if names.count == 1 { return names[0] }
        c.error(
            node, names.isEmpty ? "\(what) and no network is defined" : "\(what) and there are \(names.count) networks to choose from",
            fix: names.isEmpty
                ? "define a network under 'networks'"
                : "list its adapters with 'network: NAME' (networks: \(names.joined(separator: ", ")))")
        return nil
    }

    /// Gives each Virtual Server adapter that names no network the network of its first timeline `attach` (it is
    /// detached until then); reports one that no `attach` gives a network, once per adapter entry.
    func resolveUnnetworkedAdapters(_ top: MappingReader) {
        var firstAttach: [String: String?] = [:]
        for t in config.timeline {
            if case .attachAdapter(let v, let a, let s) = t.action, firstAttach["\(v)/\(a)"] == nil { firstAttach["\(v)/\(a)"] = s }
        }
        var reported = Set<String>()
        for (i, j, node) in unnetworkedAdapters {
            let vm = config.vms[i].name, a = config.vms[i].adapters[j].name
            if case .some(.some(let s)) = firstAttach["\(vm)/\(a)"] {
                config.vms[i].adapters[j].switch = s
                config.vms[i].adapters[j].attached = false
                continue
            }
            let key = c.location(node).description
            guard reported.insert(key).inserted else { continue }
            let nets = networkAt.keys.sorted()
            c.error(
                node,
                firstAttach["\(vm)/\(a)"] == nil
                    ? "adapter '\(a)' of VM '\(vm)' has no 'network', and no timeline 'attach' connects it to one"
                    : "adapter '\(a)' of VM '\(vm)' has no 'network', and its first 'attach' names none",
                fix: "add 'network: \(nets.first ?? "NAME")' to the adapter, or give its first 'attach: \(vm)/\(a)' a 'network: NAME'")
        }
    }

    static let syntheticOnly = ["ring_size", "batch_packets", "channels", "descriptor_size", "send_section_size"]

    func readAdapter(_ node: Node, path: String, index: Int, vmCosts: CostProfile) -> AdapterConfig? {
        guard let m = MappingReader(node, path: path, section: ScenarioSchema.adapterSection, collector: c) else { return nil }
        defer { m.finish() }
        let name = m.string("name") ?? "eth\(index)"
        guard checkName(name, node: m.value("name") ?? node, noun: "adapter") else { m.abandon(); return nil }
        // Virtual Server has emulated adapters only (a synthetic one is the model's checkPlatform error).
        let kind = m.choice("type", AdapterKind.self) ?? (platform == .virtualServer ? .emulated : .synthetic)
        var sw = ""
        switch platform {
        case .hyperV:
            if m.has("network") {
                c.error(
                    m.keyNode("network"), "'network' names a Virtual Server network, and this host is Hyper-V",
                    fix: "write 'switch: NAME' for a Hyper-V switch, or set host.platform: virtual_server")
                // Counted as the adapter's switch, so that no second error says it has none.
                sw = m.string("network") ?? "?"
            }
            if let s = m.string("switch") {
                _ = reference(s, in: switchAt, node: m.value("switch"), noun: "switch", defineHint: "switches")
                sw = s
            } else if sw.isEmpty, let only = onlySwitch(for: node, what: "adapter '\(name)' has no 'switch'") {
                sw = only
            }
        case .virtualServer:
            if m.has("switch") {
                let s = m.string("switch")
                c.error(
                    m.value("switch") ?? m.keyNode("switch"), "a Virtual Server adapter is connected to a network, not a switch",
                    fix: "write 'network: \(s.map { networkAt[$0] != nil ? $0 : "NAME" } ?? "NAME")' instead of 'switch: …'")
                // Counted as given, so that no second error says the adapter has no network.
                sw = s ?? "?"
            }
            if let n = m.string("network") {
                // The model names it `switch` (AdapterConfig.switch): its problems there are at this value.
                if let v = m.value("network") { c.record(m.childPath("switch"), v) }
                _ = reference(n, in: networkAt, node: m.value("network"), noun: "network", defineHint: "networks")
                sw = n
            }
        }
        var a = AdapterConfig(name: name, kind: kind, switch: sw)
        if let p = m.bool("present") {
            a.present = p
            if !p {
                a.attached = false
                if platform == .hyperV {
                    c.error(
                        m.value("present"), "an adapter added later ('add_adapter') is Virtual Server's",
                        fix: "remove 'present', or set host.platform: virtual_server")
                }
            }
        }
        if let v = m.integer("vlan", in: 0...4094) {
            a.vlan = UInt16(v)
            if kind == .emulated && v != 0 {
                c.error(
                    m.value("vlan"), "the emulated DEC 21140 does not support VLAN tags",
                    fix: "remove 'vlan' or use 'type: synthetic'")
            }
        }
        if let b = m.bool("attached") {
            if b && !a.present {
                c.error(
                    m.value("attached"), "an adapter with 'present: false' does not exist at time 0, so it cannot be attached then",
                    fix: "remove 'attached'; attach it on the timeline after its 'add_adapter'")
            } else if b && platform == .virtualServer && sw.isEmpty {
                c.error(
                    m.value("attached"), "an adapter with no 'network' is detached until its first 'attach'",
                    fix: "add 'network: NAME', or remove 'attached'")
            }
            a.attached = b && a.present
        }
        if let b = m.bool("announce") { a.announce = b }
        if let b = m.bool("sriov") { a.sriov = b }  // the rule (synthetic, external switch, SR-IOV NIC) is the model's
        if kind == .emulated {
            for key in Self.syntheticOnly where m.has(key) {
                c.error(
                    m.keyNode(key), "'\(key)' applies only to synthetic adapters, and this one is emulated",
                    fix: "remove '\(key)' or use 'type: synthetic'")
                _ = m.value(key)
            }
        } else {
            if let r = m.quantity("ring_size", .byteCount, min: 8192, max: 256 << 20, minText: "8KiB", maxText: "256MiB") {
                if r % 4096 != 0 {
                    c.error(
                        m.value("ring_size"), "'ring_size' must be a whole number of 4 KiB pages", fix: "write e.g. '512KiB' (128 pages)")
                } else {
                    a.ringBytes = Int(r)
                }
            }
            if let b = m.integer("batch_packets", in: 1...4096) { a.batchPackets = Int(b) }
            if let ch = m.integer("channels", in: 1...64) { a.channels = Int(ch) }
            if let d = m.quantity("descriptor_size", .byteCount, min: 16, max: 4096, minText: "16B", maxText: "4096B") {
                if d % 8 != 0 {
                    c.error(
                        m.value("descriptor_size"), "'descriptor_size' must be a multiple of 8B (VMBus lengths are in 8-byte units)",
                        fix: "write '\((d + 7) / 8 * 8)B'")
                } else {
                    a.descriptorBytes = Int(d)
                }
            }
            if let s = m.quantity("send_section_size", .byteCount, max: 16 << 20, maxText: "16MiB") { a.sendSectionBytes = Int(s) }
        }
        if let q = m.integer("tx_queue", in: 1...1_000_000) { a.txQueuePackets = Int(q) }
        if let o = m.mapping("offloads", ScenarioSchema.offloads) {
            if let b = o.bool("lso") { a.offloads.lso = b }
            if let b = o.bool("checksum") { a.offloads.checksum = b }
            if let mtu = o.quantity(
                "mtu", .byteCount, min: 576, max: kind == .emulated ? 1500 : 9216, minText: "576B",
                maxText: kind == .emulated ? "1500B (the emulated DEC 21140 has no jumbo frames)" : "9216B")
            {
                a.offloads.mtu = Int(mtu)
            }
            if let l = o.quantity("lso_max_size", .byteCount, min: 576, max: 65_535, minText: "576B", maxText: "65535B") {
                a.offloads.lsoMaxBytes = Int(l)
                if Int(l) < a.offloads.mtu {
                    c.error(
                        o.value("lso_max_size"), "'lso_max_size' (\(l)B) is below the MTU (\(a.offloads.mtu)B)",
                        fix: "make it at least the MTU")
                }
            }
            o.finish()
        }
        if m.has("emulated") {
            if kind != .emulated {
                c.error(
                    m.keyNode("emulated"), "'emulated' parameters apply only to 'type: emulated' adapters",
                    fix: "remove 'emulated', or set 'type: emulated'")
                _ = m.value("emulated")
            } else if let e = m.mapping("emulated", ScenarioSchema.emulated) {
                if let r = e.quantity("link_rate", .dataRate, min: 1, max: 10_000_000_000_000, minText: "1bps", maxText: "10Tbps") {
                    a.emulated.linkRate = DataRate(bitsPerSecond: r)
                }
                if let n = e.integer("tx_accesses_per_packet", in: 0...1000) { a.emulated.txAccessesPerPacket = Int(n) }
                if let n = e.integer("tx_interrupt_every", in: 1...65_536) { a.emulated.txInterruptEvery = Int(n) }
                if let n = e.integer("accesses_per_interrupt", in: 0...1000) { a.emulated.accessesPerInterrupt = Int(n) }
                if let n = e.integer("tx_ring", in: 1...65_536) { a.emulated.txRing = Int(n) }
                if let n = e.integer("rx_ring", in: 1...65_536) { a.emulated.rxRing = Int(n) }
                if let p = e.choice("access_path", EmulatedAccessPath.self) { a.emulated.accessPath = p }
                e.finish()
            }
        }
        var costs = vmCosts
        if let (pn, pnode) = m.scalar("cost_profile", expected: "a profile name") { costs = profile(pn, at: pnode) ?? costs }
        if let cm = m.mapping("costs", costsSection) { costs = readCosts(cm, base: costs) }
        a.costOverrides = overrides(costs, over: vmCosts)
        return a
    }
}
