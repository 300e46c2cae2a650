import SimCore

extension SimulationConfig {
    /// Whether Virtual Server network `name` exists at time 0: unless its first network action creates it.
    public func networkExistsAtStart(_ name: String) -> Bool {
        for t in timeline {
            switch t.action {
            case .createNetwork(let n) where n == name: return false
            case .deleteNetwork(let n) where n == name, .unregisterNetwork(let n) where n == name, .registerNetwork(let n) where n == name:
                return true
            default: continue
            }
        }
        return true
    }
}

// Virtual Server's rules (MODEL-REFERENCE §2): what a Virtual Server host has and lacks, its DHCP server's
// configuration rules, and the order its timeline actions must come in (an adapter is added, then attached; it is
// removed only from a stopped VM; a network exists between its creation and its deletion).
extension ConfigurationValidator {
    /// What each platform has: Virtual Server has virtual networks, emulated adapters only (one to four per VM, no
    /// VLAN tags) and single-CPU guests; Hyper-V has virtual switches and no Virtual Server networks.
    mutating func checkPlatform() {
        switch config.host.platform {
        case .hyperV:
            for (i, s) in config.switches.enumerated() where s.isVirtualNetwork {
                add(
                    "switches[\(i)]",
                    "'\(s.name)' is a Virtual Server network, and this host is Hyper-V; set host.platform: virtual_server, or use a Hyper-V switch"
                )
            }
        case .virtualServer:
            for (i, s) in config.switches.enumerated() where !s.isVirtualNetwork {
                add(
                    "switches[\(i)]",
                    "Virtual Server has no Hyper-V \(s.kind.name) switch ('\(s.name)'); declare a Virtual Server network under 'networks'"
                )
            }
            for (i, vm) in config.vms.enumerated() {
                let at = "vms[\(i)]"
                if vm.vcpus != 1 {
                    add("\(at).vcpus", "a Virtual Server 2005 guest has a single CPU (got \(vm.vcpus)); set vcpus: 1")
                }
                if vm.adapters.count > 4 {
                    add(
                        "\(at).adapters",
                        "Virtual Server's emulated DEC 21140 has one to four network connections (got \(vm.adapters.count) adapters); keep at most four adapters"
                    )
                }
                for (j, a) in vm.adapters.enumerated() {
                    if a.kind != .emulated {
                        add(
                            "\(at).adapters[\(j)].type",
                            "Virtual Server has emulated (DEC 21140) adapters only (a synthetic adapter needs Hyper-V's VMBus); use type: emulated"
                        )
                    }
                    if a.vlan != 0 {
                        add("\(at).adapters[\(j)].vlan", "Virtual Server's emulated 21140 does not support VLAN tags; remove 'vlan'")
                    }
                }
            }
        }
    }

    /// A DHCP server's configuration (`IVMDHCPVirtualNetworkServer::ConfigureDHCPServer`, `ConfigureDHCPLeaseTimes`).
    mutating func checkDHCP(_ d: DHCPServerConfig, at: String) {
        if d.prefixLength < 0 || d.prefixLength > 27 {
            add(
                "\(at).network",
                "a /\(d.prefixLength) network leaves no address after the fifteen Virtual Server reserves; use /27 or shorter")
            return
        }
        if d.network & ~d.mask != 0 { add("\(at).network", "the network address has host bits set") }
        let first = d.network &+ 16
        if d.start < first || d.start >= d.broadcast {
            add("\(at).start", "must be in network+16 … broadcast−1 (Virtual Server reserves the first fifteen addresses)")
        }
        if d.end <= d.network || d.end >= d.broadcast { add("\(at).end", "must be a host address of the network") }
        if d.end < d.start { add("\(at).end", "must not be before start") }
        if d.server & d.mask != d.network || d.server == d.network || d.server == d.broadcast {
            add("\(at).server", "must be a host address of the network")
        }
        if d.poolSize < 1 { add("\(at).end", "the pool (start…end, without the server's address) is empty") }
        if d.poolSize > ConfigurationLimits.dhcpPool {
            add("\(at).end", "a pool of \(d.poolSize) addresses exceeds the limit of \(ConfigurationLimits.dhcpPool)")
        }
        let hosts = [("gateway", d.gateway)] + d.dns.map({ ("dns", $0) }) + d.wins.map({ ("wins", $0) })
        for (key, a) in hosts where a != 0 {
            if a == d.network || a == d.broadcast { add("\(at).\(key)", "must be a host address") }
        }
        if d.wins.count > 2 { add("\(at).wins", "Virtual Server takes a primary and a secondary WINS server, no more") }
        let s = SimTime.picosecondsPerSecond
        func whole(_ t: SimTime, _ key: String, min: Int64) {
            if t.picoseconds % s != 0 { add("\(at).\(key)", "must be a whole number of seconds") }
            if t.picoseconds < min * s { add("\(at).\(key)", "must be at least \(min)s (Virtual Server's minimum)") }
            if t.picoseconds / s >= Int64(UInt32.max) { add("\(at).\(key)", "must be below 2^32 s") }
        }
        whole(d.lease, "lease", min: 60)
        whole(d.renewal, "renewal", min: 30)
        whole(d.rebinding, "rebinding", min: 45)
        if d.renewal >= d.rebinding { add("\(at).renewal", "must be shorter than rebinding (renewal < rebinding < lease)") }
        if d.rebinding >= d.lease { add("\(at).rebinding", "must be shorter than the lease (renewal < rebinding < lease)") }
    }

    /// The Virtual Server timeline in order: each action must find the state it needs.
    ///
    /// - A network exists from the start, unless its first network action is `create_network`; it exists between
    ///   `create_network` (or `register_network`) and `delete_network` (or `unregister_network`); only an unregistered
    ///   network can be registered again, and only a missing one created.
    /// - An adapter exists from the start when `present`; `add_adapter` adds one that does not exist;
    ///   `remove_adapter` removes one from a turned-off VM (`RemoveNetworkAdapter` needs a stopped VM).
    /// - `attach` needs an existing adapter and network; `detach` an existing adapter.
    /// - Power: `power_on` a turned-off VM, `restore` a saved one, `power_off`, `reset` and `save` a running one.
    mutating func checkTimelineStates() {
        enum NetworkState { case present, unregistered, deleted, notCreated }
        enum PowerState { case running, off, saved }
        var network: [String: NetworkState] = [:]
        for s in config.switches where s.isVirtualNetwork {
            network[s.name] = config.networkExistsAtStart(s.name) ? .present : .notCreated
        }
        var power: [String: PowerState] = [:]
        var present: [String: Bool] = [:]
        for vm in config.vms {
            power[vm.name] = vm.running ? .running : .off
            for a in vm.adapters { present["\(vm.name)/\(a.name)"] = a.present }
        }
        func needsNetwork(_ n: String, _ at: String, _ what: String) -> Bool {
            guard let st = network[n] else {
                add(at, "no Virtual Server network named '\(n)'"); return false
            }
            switch st {
            case .present: return true
            case .notCreated: add(at, "network '\(n)' does not exist yet at this time (its create_network comes later); \(what)")
            case .deleted: add(at, "network '\(n)' was deleted earlier; \(what)")
            case .unregistered: add(at, "network '\(n)' is unregistered at this time; register_network it first")
            }
            return false
        }
        for (i, t) in config.timeline.enumerated() {
            let at = "timeline[\(i)]"
            switch t.action {
            case .attachAdapter(let v, let a, let s):
                if present["\(v)/\(a)"] == false {
                    add(
                        at,
                        "adapter '\(v)/\(a)' does not exist at this time (Virtual Server adds an adapter, then attaches it); add_adapter it first"
                    )
                }
                let target = s ?? vm(named: v)?.adapters.first { $0.name == a }?.switch
                if config.host.platform == .virtualServer, let n = target { _ = needsNetwork(n, at, "attach to a network that exists") }
            case .detachAdapter(let v, let a):
                if present["\(v)/\(a)"] == false {
                    add(at, "adapter '\(v)/\(a)' does not exist at this time; add_adapter it before this entry")
                }
            case .addAdapter(let v, let a):
                guard let p = present["\(v)/\(a)"] else { add("\(at).adapter", "no adapter '\(a)' on VM '\(v)'"); continue }
                if p { add(at, "adapter '\(v)/\(a)' already exists at this time; declare it with 'present: false' to add it later") }
                present["\(v)/\(a)"] = true
            case .removeAdapter(let v, let a):
                guard let p = present["\(v)/\(a)"] else { add("\(at).adapter", "no adapter '\(a)' on VM '\(v)'"); continue }
                if !p { add(at, "adapter '\(v)/\(a)' does not exist at this time; remove it only after it is added") }
                switch power[v] {
                case .running?:
                    add(
                        at,
                        "VM '\(v)' is running: Virtual Server removes an adapter only from a stopped VM (RemoveNetworkAdapter); power_off it first"
                    )
                case .saved?: add(at, "VM '\(v)' is saved: its hardware cannot change; restore it and power_off it first")
                default: break
                }
                present["\(v)/\(a)"] = false
            case .createNetwork(let n):
                guard let st = network[n] else { add(at, "no Virtual Server network named '\(n)' is declared under 'networks'"); continue }
                if st == .present || st == .unregistered {
                    add(at, "network '\(n)' already exists at this time; delete_network it first, or drop this entry")
                }
                network[n] = .present
            case .deleteNetwork(let n):
                if needsNetwork(n, at, "there is nothing to delete") { network[n] = .deleted }
            case .unregisterNetwork(let n):
                if needsNetwork(n, at, "there is nothing to unregister") { network[n] = .unregistered }
            case .registerNetwork(let n):
                guard let st = network[n] else { add(at, "no Virtual Server network named '\(n)'"); continue }
                if st != .unregistered {
                    add(
                        at,
                        "network '\(n)' is not unregistered at this time (only an unregistered network can be registered again); unregister_network it first"
                    )
                }
                network[n] = .present
            case .power(let v, let action):
                guard let st = power[v] else { add("\(at).vm", "no VM named '\(v)'"); continue }
                switch (action, st) {
                case (.powerOn, .off): power[v] = .running
                case (.powerOn, .saved): add(at, "VM '\(v)' is saved (power_on starts a turned-off VM); restore it instead")
                case (.restore, .saved): power[v] = .running
                case (.powerOff, .running), (.reset, .running), (.save, .running):
                    power[v] = action == .powerOff ? .off : action == .save ? .saved : .running
                case (.powerOn, .running), (.restore, .running):
                    add(at, "VM '\(v)' is already running at this time; drop this entry, or power_off it first")
                default:
                    let state = st == .off ? "turned off" : st == .saved ? "saved" : "running"
                    let needs = action == .restore ? "saved" : "running"
                    add(
                        at,
                        "VM '\(v)' is \(state) at this time (\(action.rawValue) needs a \(needs) VM); \(st == .off ? "power_on" : "restore") it first"
                    )
                }
            case .startFlow, .stopFlow, .setDHCPServer, .removeVF, .restoreVF: break
            }
            if config.host.platform == .hyperV {
                switch t.action {
                case .addAdapter, .removeAdapter, .createNetwork, .deleteNetwork, .unregisterNetwork, .registerNetwork, .power,
                    .setDHCPServer:
                    add(at, "this action is Virtual Server's; set host.platform: virtual_server")
                default: break
                }
            } else {
                switch t.action {
                case .removeVF, .restoreVF:
                    add(
                        at,
                        "Virtual Server has no SR-IOV (its VMs have emulated adapters only); remove this entry or set host.platform: hyperv"
                    )
                default: break
                }
            }
        }
    }
}
