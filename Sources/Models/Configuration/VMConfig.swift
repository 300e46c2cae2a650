import SimCore

/// A child partition.
public struct VMConfig: Sendable, Equatable {
    /// Unique name, e.g. "web1".
    public var name: String
    /// Virtual processors. Each vCPU is a server at the host clock. Unit: count. Default: 2.
    public var vcpus: Int
    /// Network adapters (Hyper-V allows up to 8 synthetic, MODEL-REFERENCE §1.5). Default: one synthetic "eth0".
    public var adapters: [AdapterConfig]
    /// Cost overrides for every adapter of this VM, on top of the host profile. Default: none.
    public var costOverrides: [CostStage: CostModel]
    /// Whether the VM is running at time 0 (timeline `power_on`, `power_off`, `reset`, `save`, `restore` change it).
    /// Default: true.
    public var running: Bool
    /// The Hyper-V VM generation: 1 (BIOS, emulated devices, the legacy network adapter) or 2 (UEFI, synthetic
    /// devices only: no legacy network adapter). Microsoft, "Should I create a generation 1 or 2 virtual machine in
    /// Hyper-V?": the legacy network adapter is a generation 1 device. Default: 1 (Hyper-V Manager's default).
    /// Virtual Server's VMs are BIOS machines: generation 1 only.
    public var generation: Int
    /// Whether the guest runs Hyper-V's Integration Services, whose VMBus and network VSC (netvsc) drive a synthetic
    /// adapter: without them a synthetic adapter has no driver, so validation refuses one (the emulated 21140 needs
    /// none). Default: true (the seed guide assumes them throughout). Not used on Virtual Server, whose Virtual
    /// Machine Additions do not change its emulated adapters (the scenario format refuses the key there).
    public var integrationServices: Bool

    public init(
        name: String, vcpus: Int = 2, adapters: [AdapterConfig] = [AdapterConfig(name: "eth0", switch: "external")],
        costOverrides: [CostStage: CostModel] = [:], running: Bool = true, generation: Int = 1, integrationServices: Bool = true
    ) {
        self.name = name; self.vcpus = vcpus; self.adapters = adapters; self.costOverrides = costOverrides
        self.running = running; self.generation = generation; self.integrationServices = integrationServices
    }
}
