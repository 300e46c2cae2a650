/// What the checks of every subsystem share while `SimulationConfig.validate()` runs: the configuration, the
/// problems found so far (in the order found) and the lookups by name, built once so that checking stays
/// linear in the size of the configuration. The checks themselves are extensions, one file a subsystem.
struct ConfigurationValidator {
    let config: SimulationConfig
    private(set) var problems: [ConfigurationProblem] = []
    /// Every NIC's name.
    let nicNames: Set<String>
    /// Every flow's name.
    let flowNames: Set<String>
    /// Each VM name's first index in `config.vms`.
    let vmIndex: [String: Int]
    /// The switches timeline `attach`es move each adapter ("vm/adapter") to.
    let movedTo: [String: Set<String>]

    init(_ config: SimulationConfig) {
        self.config = config
        nicNames = Set(config.nics.map(\.name))
        flowNames = Set(config.flows.map(\.name))
        var vmIndex: [String: Int] = [:]
        for (i, vm) in config.vms.enumerated() where vmIndex[vm.name] == nil { vmIndex[vm.name] = i }
        self.vmIndex = vmIndex
        var movedTo: [String: Set<String>] = [:]
        for t in config.timeline {
            if case .attachAdapter(let v, let a, let s?) = t.action { movedTo["\(v)/\(a)", default: []].insert(s) }
        }
        self.movedTo = movedTo
    }

    mutating func add(_ path: String, _ message: String) { problems.append(ConfigurationProblem(path, message)) }

    /// The first NIC with this name.
    func nic(named name: String) -> NICConfig? { config.nics.first { $0.name == name } }
    /// The first switch with this name.
    func switchConfig(named name: String) -> SwitchConfig? { config.switches.first { $0.name == name } }
    /// The first VM with this name.
    func vm(named name: String) -> VMConfig? { vmIndex[name].map { config.vms[$0] } }

    /// A NIC's, switch's, VM's or flow's name: not empty, and not one of `names` (which it joins).
    mutating func checkName(_ name: String, at: String, unique names: inout Set<String>, _ noun: String) {
        if name.isEmpty { add("\(at).name", "must not be empty") }
        if !names.insert(name).inserted { add("\(at).name", "duplicate \(noun) name '\(name)'") }
    }

    /// Adds a problem for each cost override that is not a valid cost model, in the order of the stages' names.
    mutating func checkCostOverrides(_ overrides: [CostStage: CostModel], at path: String) {
        for (s, m) in overrides.sorted(by: { $0.key < $1.key }) {
            if let pr = m.problem { add("\(path).costs.\(s.rawValue)", pr) }
        }
    }

    /// The switches an endpoint has a port on (nil, with a problem added, if it does not exist).
    mutating func endpointSwitches(_ e: Endpoint, path: String) -> Set<String>? {
        switch e {
        case .vm(let v, let a):
            guard let vm = vm(named: v) else { add(path, "no VM named '\(v)'"); return nil }
            guard let ad = vm.adapters.first(where: { $0.name == a }) else {
                add(path, "VM '\(v)' has no adapter '\(a)' (adapters: \(vm.adapters.map(\.name)))"); return nil
            }
            return movedTo["\(v)/\(a)", default: []].union([ad.switch])  // its own, and any it is moved to
        case .host(let s):
            guard let sw = switchConfig(named: s) else { add(path, "no switch named '\(s)'"); return nil }
            if !sw.hasHostVNIC {
                add(path, "switch '\(s)' has no host vNIC (set host_vnic: true on an external switch, or use an internal one)")
                return nil
            }
            return [s]
        case .external(let n):
            guard nicNames.contains(n) else { add(path, "no NIC named '\(n)'"); return nil }
            let bound = config.switches.filter { $0.boundNIC == n }
            if bound.isEmpty { add(path, "NIC '\(n)' is bound to no external switch or network"); return nil }
            return Set(bound.map(\.name))
        }
    }
}
