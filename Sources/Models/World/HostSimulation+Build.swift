import SimCore

// Turning a validated `SimulationConfig` into the model's subsystems. Runs once, before the event loop;
// allocation and dictionaries are fine here. Each subsystem's build step lives beside the subsystem
// (`Cores.init(config:)`, `buildNICs`, `buildSwitches`, `buildAdapters`, …); this is only their order.
extension HostSimulation {
    func build() throws {
        cores = Cores(config: config)
        traffic.backlogLimit = config.socketBacklogLimit
        measurement.warmup = config.warmup
        measurement.midpoint = SimTime(
            picoseconds: config.warmup.picoseconds + (config.duration.picoseconds - config.warmup.picoseconds) / 2)
        buildNICs()
        buildSwitches()
        vmbus.drain = config.host.vmbusDrain
        buildAdapters()
        buildReceiveQueues()
        buildVirtualFunctions()
        costs = CostTables(profiles: adapters.endpoints.lazy.map(\.costs))
        try buildFlows()
        buildRSSHashes()
        buildControl()
        buildSwitchTables()
        accounting = Accounting(owners: traffic.flows.count + control.components.count, ports: switching.ports.count, adapters: adapters)
        buildVirtualServer()
    }

    /// The endpoint index of a flow or capture endpoint of the (validated) configuration.
    func endpointIndex(_ ep: Endpoint) -> EndpointID {
        switch ep {
        case .vm(let v, let a): return adapters.byName["\(v)/\(a)"]!
        case .host(let s): return switching.switches[SwitchID(config.switches.firstIndex { $0.name == s }!)].hostEndpoint
        case .external(let n): return net.nics[NICID(config.nics.firstIndex { $0.name == n }!)].externalEndpoint
        }
    }
}
