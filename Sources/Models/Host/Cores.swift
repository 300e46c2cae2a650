import SimCore

/// One physical host: its clock, its cores and its NICs. Scenarios describe one host today; the model keeps a
/// list of them so that several hosts are more entries here, not a rewrite of every subsystem.
@usableFromInline
struct HostEntity {
    @usableFromInline var name: String
    @usableFromInline var clock: ClockRate
    /// Physical cores (logical processors).
    @usableFromInline var cores: Int
    /// The root partition's cores by physical core number, in `rootServers` order.
    @usableFromInline var rootCores: [Int]
    @usableFromInline var placement: VCPUPlacement
    /// Core-server indices of the root cores, of the VMs' vCPUs, and of the physical cores shared vCPUs run on.
    @usableFromInline var rootServers: Range<Int>
    @usableFromInline var vcpuServers: Range<Int> = 0..<0
    @usableFromInline var physicalServers: Range<Int> = 0..<0
    /// The host's NICs (indices into `NICs.nics`).
    @usableFromInline var nics: Range<Int> = 0..<0

    /// The root core server that runs work for key `k` (a flow, a VM, a channel counter), round-robin.
    @inline(__always) func rootServer(_ k: Int) -> Int { rootServers.lowerBound &+ k % rootServers.count }
}

/// A child partition (VM): its host and its virtual processors (core-server indices).
@usableFromInline
struct Partition {
    @usableFromInline var name: String
    @usableFromInline var host: Int
    @usableFromInline var vcpus: [Int]
}

/// The cores subsystem: hosts, partitions, every core as a FIFO server (`CoreServer`), and the cycles charged
/// to each core by cost stage, flat: `stageCycles[server * CostStage.count + stage]`.
@usableFromInline
struct Cores {
    @usableFromInline var hosts = ContiguousArray<HostEntity>()
    @usableFromInline var partitions: [Partition] = []
    @usableFromInline var servers = FixedTable<CoreServer>()
    @usableFromInline var stageCycles = FixedTable<Int64>()

    init() {}

    /// Builds the host of `config` (root cores first, in `host.rootCores` order; then every VM's vCPUs; then,
    /// with shared placement, the non-root physical cores the vCPUs queue on round-robin).
    init(config: SimulationConfig) {
        let h = config.host
        var host = HostEntity(
            name: "host", clock: h.clock, cores: h.cores, rootCores: h.rootCores, placement: h.vcpuPlacement,
            rootServers: 0..<h.rootCores.count, nics: 0..<config.nics.count)
        for c in h.rootCores { addServer("core\(c)", .root, vm: -1, host: 0, clock: h.clock) }
        for (i, vm) in config.vms.enumerated() {
            let vcpus = (0..<vm.vcpus).map { j in addServer("\(vm.name)/vcpu\(j)", .vcpu, vm: i, host: 0, clock: h.clock) }
            partitions.append(Partition(name: vm.name, host: 0, vcpus: vcpus))
        }
        host.vcpuServers = host.rootServers.upperBound..<servers.count
        if h.vcpuPlacement == .shared {
            let free = (0..<h.cores).filter { !h.rootCores.contains($0) }
            let first = servers.count
            for c in free { addServer("core\(c)", .physical, vm: -1, host: 0, clock: h.clock) }
            for (k, v) in host.vcpuServers.enumerated() { servers[v].clockOwner = first + k % free.count }
            host.physicalServers = first..<servers.count
        }
        hosts.append(host)
        stageCycles = FixedTable(repeating: 0, count: servers.count * CostStage.count)
    }

    @discardableResult
    private mutating func addServer(_ name: String, _ role: CoreRole, vm: Int, host: Int, clock: ClockRate) -> Int {
        var s = CoreServer(name: name, role: role, vm: vm, host: host, hertz: clock.hertz)
        s.clockOwner = servers.count
        return servers.append(s)
    }

    /// Cycles of `stage` charged to `server` so far.
    @inline(__always) func cycles(_ server: Int, _ stage: CostStage) -> Int64 {
        stageCycles[server &* CostStage.count &+ Int(stage.rawValue)]
    }

    func deallocate() {
        servers.deallocate()
        stageCycles.deallocate()
    }
}
