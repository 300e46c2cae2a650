import SimCore

/// The physical host: cores, clock, the root partition's cores and the cost profile.
public struct HostConfig: Sendable, Equatable {
    /// Physical cores (logical processors). Unit: count. Default: 16.
    public var cores: Int
    /// Clock rate of every core. Default: 3 GHz (the rate MODEL-REFERENCE §5 costs are normalised to).
    public var clock: ClockRate
    /// The cores the root (parent) partition runs on: VSPs, vSwitch, NIC driver, worker processes.
    /// Zero-based core indices. Default: [0, 1, 2, 3].
    public var rootCores: [Int]
    /// Per-stage CPU costs. Default: the platform's profile, `CostProfile(platform:)` (MODEL-REFERENCE §5).
    public var costs: CostProfile
    /// How vCPUs map onto physical cores. Default: `.dedicated`.
    public var vcpuPlacement: VCPUPlacement
    /// The virtualization product: Hyper-V or Virtual Server 2005. On Virtual Server `rootCores` are the host OS's
    /// cores (the Virtual Server service, the hub, the NIC driver) and the default costs are its profile
    /// (`CostProfile(platform:)`). Default: `.hyperV`.
    public var platform: HostPlatform
    /// NetVSP's drain DPCs on every channel: the packet quota and cycle budget of each (Hyper-V only). Default:
    /// `VMBusDrainConfig()` — 64 packets, 100,000 cycles, both assumptions (MODEL-REFERENCE §1.2).
    public var vmbusDrain: VMBusDrainConfig

    public init(
        cores: Int = 16, clock: ClockRate = .gigahertz(3.0), rootCores: [Int] = [0, 1, 2, 3],
        costs: CostProfile? = nil, vcpuPlacement: VCPUPlacement = .dedicated, platform: HostPlatform = .hyperV,
        vmbusDrain: VMBusDrainConfig = VMBusDrainConfig()
    ) {
        self.cores = cores; self.clock = clock; self.rootCores = rootCores; self.costs = costs ?? CostProfile(platform: platform)
        self.vcpuPlacement = vcpuPlacement; self.platform = platform; self.vmbusDrain = vmbusDrain
    }
}

/// How the hypervisor places virtual processors on physical cores.
public enum VCPUPlacement: String, Sendable, Equatable, CaseIterable {
    /// Every vCPU has a core of its own (no contention between vCPUs): the upper bound of guest capacity.
    case dedicated
    /// vCPUs are spread round-robin over the non-root cores and share them: vCPUs on one core queue
    /// behind each other (FIFO, no time slicing), so an oversubscribed host shows guest CPU contention.
    case shared
}
