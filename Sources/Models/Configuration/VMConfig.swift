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

    public init(
        name: String, vcpus: Int = 2, adapters: [AdapterConfig] = [AdapterConfig(name: "eth0", switch: "external")],
        costOverrides: [CostStage: CostModel] = [:], running: Bool = true
    ) {
        self.name = name; self.vcpus = vcpus; self.adapters = adapters; self.costOverrides = costOverrides
        self.running = running
    }
}
