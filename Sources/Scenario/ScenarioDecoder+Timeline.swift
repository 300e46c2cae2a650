import Models
import SimCore
import Yams

extension ScenarioDecoder {
    /// The action keys of a timeline entry (exactly one per entry).
    static let actionKeys =
        ["start_flow", "stop_flow", "attach", "detach", "add_adapter", "remove_adapter", "remove_vf", "restore_vf"]
        + networkActionKeys
        + VMPowerAction.allCases.map(\.rawValue)
    /// The Virtual Server network actions, each naming a network.
    static let networkActionKeys = [
        "create_network", "delete_network", "unregister_network", "register_network", "enable_dhcp", "disable_dhcp",
    ]
    /// The actions on a VM's adapter (`VM/ADAPTER`, a VM for its first adapter, a pattern or a group).
    static let adapterActionKeys = ["attach", "detach", "add_adapter", "remove_adapter", "remove_vf", "restore_vf"]

    /// The VMs a power action names: a VM, a pattern (`web[1-4]`) or a group made with `count` (every member);
    /// nil (reported, with a did-you-mean) if one does not exist.
    func timelineVMs(_ text: String, node: Node?, key: String) -> [String]? {
        if text.contains("/") {
            c.error(
                node, "'\(key)' acts on a whole VM, not on one adapter ('\(text)')",
                fix: "write the VM's name, '\(text.prefix { $0 != "/" })'")
            return nil
        }
        var names: [String]
        switch NamePattern.expand(text) {
        case .failure(let e): c.error(node, e.message, fix: e.fix); return nil
        case .success(let n): names = n
        }
        if vmAt[text] == nil, let members = countGroups[text] { names = members }
        for v in names where vmAt[v] == nil {
            c.error(node, "no VM named '\(v)'", fix: unknownVMFix(v, allowSpecial: false))
            return nil
        }
        return names
    }

    func readTimeline(_ top: MappingReader) {
        let built = Set(config.flows.map(\.name))  // once: the flows are all read by now
        entries: for (node, path) in top.list("timeline") {
            guard let m = MappingReader(node, path: path, section: ScenarioSchema.action, collector: c) else { continue }
            defer {
                // An entry given up for its own error (no action, several, a bad target) leaves its modifiers unread.
                m.skip("switch", "network")
                m.finish()
            }
            m.require("at")
            var at = SimTime.zero
            if let t = m.quantity("at", .duration) {
                at = SimTime(picoseconds: t)
                if at > config.duration {
                    c.error(
                        m.value("at"), "'at' (\(at.scenarioText)) is after the end of the run (\(config.duration.scenarioText))",
                        fix: "use a time within the run, or lengthen 'duration'")
                }
            }
            let present = Self.actionKeys.filter { m.has($0) }
            guard present.count == 1, let key = present.first else {
                if present.isEmpty {
                    c.error(
                        m.node, "the action at this time says nothing to do",
                        fix: "add one of: \(Self.actionKeys.joined(separator: ", "))")
                } else {
                    c.error(
                        m.keyNode(present[1]), "one timeline entry has several actions (\(present.joined(separator: ", ")))",
                        fix: "write one action per entry (repeat 'at' for each)")
                    for k in present { _ = m.value(k) }
                }
                continue
            }
            guard let target = m.string(key) else { continue }
            let tnode = m.value(key)
            var actions: [TimelineAction.Action] = []
            if !Self.adapterActionKeys.contains(key) {
                for modifier in ["switch", "network"] where m.has(modifier) {
                    c.error(m.keyNode(modifier), "'\(modifier)' goes with 'attach' only", fix: "remove '\(modifier)'")
                    _ = m.value(modifier)
                }
            }
            switch key {
            case "start_flow", "stop_flow":
                // A group flow (NAME.web1, NAME.web2, …) is started or stopped as a whole by its NAME.
                let members = flowGroups[target] ?? []
                let names = (flowAt[target] != nil ? [target] : members).filter { built.contains($0) }
                if flowAt[target] == nil && members.isEmpty {
                    _ = reference(target, in: flowAt, node: tnode, noun: "flow", defineHint: "flows")
                }
                actions = names.map { key == "start_flow" ? .startFlow($0) : .stopFlow($0) }
            case _ where Self.adapterActionKeys.contains(key):
                // `attach` moves an adapter with `switch:` (Hyper-V) or `network:` (Virtual Server); no other action takes them.
                var toSwitch: String? = nil
                var skip = false
                for (modifier, own) in [("switch", HostPlatform.hyperV), ("network", .virtualServer)] where m.has(modifier) {
                    guard key == "attach" else {
                        c.error(
                            m.keyNode(modifier), "'\(modifier)' goes with 'attach' only", fix: "remove '\(modifier)', or use 'attach'")
                        _ = m.value(modifier)
                        skip = true
                        continue
                    }
                    guard platform == own else {
                        let other = own == .hyperV ? "network" : "switch"
                        c.error(
                            m.keyNode(modifier),
                            own == .hyperV
                                ? "a Virtual Server adapter is attached to a network, not a switch"
                                : "'network' names a Virtual Server network, and this host is Hyper-V",
                            fix: own == .hyperV
                                ? "write '\(other): NAME' instead of '\(modifier): …'"
                                : "write 'switch: NAME' for a Hyper-V switch, or set host.platform: virtual_server")
                        _ = m.value(modifier)
                        skip = true
                        continue
                    }
                    guard let s = m.string(modifier),
                        own == .hyperV
                            ? reference(s, in: switchAt, node: m.value(modifier), noun: "switch", defineHint: "switches")
                            : reference(s, in: networkAt, node: m.value(modifier), noun: "network", defineHint: "networks")
                    else { skip = true; continue }
                    toSwitch = s
                }
                guard !skip, let eps = endpoints(target, node: tnode, allowSpecial: false) else { continue }
                for case .vm(let v, let a) in eps {
                    switch key {
                    case "attach": actions.append(.attachAdapter(vm: v, adapter: a, switch: toSwitch))
                    case "detach": actions.append(.detachAdapter(vm: v, adapter: a))
                    case "add_adapter": actions.append(.addAdapter(vm: v, adapter: a))
                    case "remove_vf": actions.append(.removeVF(vm: v, adapter: a))
                    case "restore_vf": actions.append(.restoreVF(vm: v, adapter: a))
                    default: actions.append(.removeAdapter(vm: v, adapter: a))
                    }
                }
            case _ where Self.networkActionKeys.contains(key):
                // The order of network states (create before delete, …) is the model's checkTimelineStates, at this entry.
                guard reference(target, in: networkAt, node: tnode, noun: "network", defineHint: "networks") else { continue }
                switch key {
                case "create_network": actions = [.createNetwork(target)]
                case "delete_network": actions = [.deleteNetwork(target)]
                case "unregister_network": actions = [.unregisterNetwork(target)]
                case "enable_dhcp", "disable_dhcp": actions = [.setDHCPServer(network: target, enabled: key == "enable_dhcp")]
                default: actions = [.registerNetwork(target)]
                }
            case _ where VMPowerAction(rawValue: key) != nil:
                guard let vms = timelineVMs(target, node: tnode, key: key) else { continue }
                actions = vms.map { .power(vm: $0, VMPowerAction(rawValue: key)!) }
            default: break
            }
            if config.timeline.count + actions.count > ConfigurationLimits.timelineActions {
                reportOverLimit(
                    m.node, "this entry makes \(config.timeline.count + actions.count) timeline actions in all",
                    limit: ConfigurationLimits.timelineActions)
                break entries
            }
            for a in actions {
                pathMap["timeline[\(config.timeline.count)]"] = path
                config.timeline.append(TimelineAction(at: at, a))
            }
        }
        // Actions run in time order; equal times keep file order.
        let order = config.timeline.indices.sorted { (config.timeline[$0].at, $0) < (config.timeline[$1].at, $1) }
        if order != Array(config.timeline.indices) {
            let old = config.timeline
            var newMap: [String: String] = [:]
            for (newIndex, oldIndex) in order.enumerated() { newMap["timeline[\(newIndex)]"] = pathMap["timeline[\(oldIndex)]"] }
            for (k, v) in newMap { pathMap[k] = v }
            config.timeline = order.map { old[$0] }
        }
    }

    func readCaptures(_ top: MappingReader) {
        for (node, path) in top.list("captures") {
            // A bare string is shorthand for '{endpoint: …}'.
            var endpointText: String?
            var endpointNode: Node? = node
            var switchName: String?
            var switchNode: Node?
            if case .scalar(let s) = node {
                endpointText = s.string
            } else {
                guard let m = MappingReader(node, path: path, section: ScenarioSchema.capture, collector: c) else { continue }
                m.require("endpoint")
                endpointText = m.string("endpoint")
                endpointNode = m.value("endpoint")
                switchName = m.string("switch")
                switchNode = m.value("switch")
                m.finish()
            }
            guard let text = endpointText, let eps = endpoints(text, node: endpointNode) else { continue }
            for e in eps {
                let switches = portSwitches(e)
                var sw: String
                if let s = switchName {
                    guard reference(s, in: portTable, node: switchNode, noun: "switch", defineHint: "switches") else { continue }
                    if !switches.contains(s) {
                        c.error(
                            switchNode, "'\(e)' has no port on switch '\(s)'",
                            fix: switches.isEmpty
                                ? "capture a port that exists"
                                : "use switch \(switches.sorted().map { "'\($0)'" }.joined(separator: " or "))")
                        continue
                    }
                    sw = s
                } else if switches.count == 1 {
                    sw = switches.first!
                } else {
                    c.error(endpointNode, "'\(e)' has ports on \(switches.count) switches", fix: "add 'switch: NAME' to say which")
                    continue
                }
                pathMap["captures[\(config.captures.count)]"] = path
                config.captures.append(CapturePort(switch: sw, endpoint: e))
            }
        }
    }

    /// The names a capture's `switch` may take: the switches and the Virtual Server networks.
    var portTable: [String: SourceLocation] { switchAt.merging(networkAt) { first, _ in first } }

    /// The switches a flow's ends share none of: reported at the flow's `to` (after the timeline, whose `attach …
    /// switch:` entries add switches an adapter can be on).
    func checkFlowTopology(_ top: MappingReader) {
        var moves: [String: Set<String>] = [:]
        for t in config.timeline {
            if case .attachAdapter(let v, let a, let s?) = t.action { moves["\(v)/\(a)", default: []].insert(s) }
        }
        for (node, f, t) in pendingTopology {
            let a = portSwitches(f, moves: moves), b = portSwitches(t, moves: moves)
            guard !a.isEmpty, !b.isEmpty, a.isDisjoint(with: b) else { continue }
            c.error(
                node, "'\(f)' and '\(t)' share no switch, so no packet can get from one to the other",
                fix:
                    "connect both to one switch ('\(f)' is on \(a.sorted().joined(separator: ", ")); '\(t)' on \(b.sorted().joined(separator: ", ")))"
            )
        }
    }

    /// The switches an endpoint has a port on, with those `moves` ("vm/adapter" → switches) moves it to.
    func portSwitches(_ e: Endpoint, moves: [String: Set<String>] = [:]) -> Set<String> {
        switch e {
        case .vm(let v, let a):
            let own = Set(vmIndex[v].map { config.vms[$0] }?.adapters.filter { $0.name == a }.map(\.switch) ?? [])
            return own.union(moves["\(v)/\(a)"] ?? [])
        case .host(let s): return [s]
        case .external(let n):
            return Set(config.switches.filter { $0.boundNIC == n }.map(\.name))
        }
    }
}
