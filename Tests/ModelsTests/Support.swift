import Models
import SimCore
import Testing

/// Builds and runs a configuration, returning its output (tests fail loudly on errors).
func runConfig(_ c: SimulationConfig) throws -> RunOutput {
    let sim = try HostSimulation(config: c)
    return try sim.run()
}

extension RunReport {
    /// A metric that must exist: a missing one fails the calling test (not the whole test process).
    func metric(_ kind: EntityKind, _ entity: String, _ name: String) throws -> Double {
        try #require(value(kind, entity, name), "missing metric \(kind) \(entity) \(name)")
    }
}

/// A one-VM, one-external-NIC host with every cost zero (tests switch single stages on).
func singleVMConfig(
    flow: FlowConfig, costs: CostProfile = .zero, link: DataRate = .gigabits(10),
    kind: AdapterKind = .synthetic, batch: Int = 8, duration: SimTime = .milliseconds(120),
    warmup: SimTime = .milliseconds(20), propagation: SimTime = .zero
) -> SimulationConfig {
    SimulationConfig(
        name: "test", seed: 7, duration: duration, warmup: warmup,
        host: HostConfig(cores: 4, clock: .gigahertz(3.0), rootCores: [0], costs: costs),
        nics: [NICConfig(name: "pnic0", linkRate: link, propagationDelay: propagation)],
        switches: [SwitchConfig(name: "ext", kind: .external(nic: "pnic0"))],
        vms: [VMConfig(name: "vm", vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: kind, switch: "ext", batchPackets: batch)])],
        flows: [flow])
}

/// One vCPU and one root core offered 40 Gb/s with the default costs by a sender without back-pressure
/// (`SocketOptions.unbounded`): both saturate, the socket backlog overflows and the send ring stays full (the
/// physical-bound and verdict tests' overload).
func overloadedVCPUConfig() -> SimulationConfig {
    var c = singleVMConfig(
        flow: FlowConfig(
            name: "out", from: .vm("vm"), to: .external(nic: "pnic0"), pattern: .constant(rate: .gigabits(40)), socket: .unbounded),
        costs: CostProfile(), duration: .milliseconds(20), warmup: .milliseconds(2))
    c.host.rootCores = [0]
    return c
}

/// The peer offers 20 Gb/s of 1472-byte UDP into one VM over a 10 Gb/s link, every cost zero: the inbound wire
/// is the bottleneck (warm-up 2 ms).
func overloadedLinkConfig(duration: SimTime) -> SimulationConfig {
    singleVMConfig(
        flow: FlowConfig(
            name: "in", from: .external(nic: "pnic0"), to: .vm("vm"), pattern: .constant(rate: .gigabits(20)), size: .fixed(1472),
            socket: .unbounded),
        costs: .zero, duration: duration, warmup: .milliseconds(2))
}

extension SocketOptions {
    /// A non-blocking sender whose send buffer never fills (1 GiB): every offered message is made into packets and
    /// goes to the stack — a packet blaster with no back-pressure, whose excess only the backlog guards
    /// (`socket_backlog`, `peer_backlog`) drop.
    static let unbounded = SocketOptions(mode: .drop, sendBuffer: ByteCount(1 << 30))
}
