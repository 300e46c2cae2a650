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
    @usableFromInline var rootServers: Range<CoreID>
    @usableFromInline var vcpuServers: Range<CoreID> = CoreID(0)..<CoreID(0)
    @usableFromInline var physicalServers: Range<CoreID> = CoreID(0)..<CoreID(0)
    /// The host's NICs.
    @usableFromInline var nics: Range<NICID> = NICID(0)..<NICID(0)

    /// The root core server that runs work for key `k` (a flow, a VM, a channel counter), round-robin.
    @inline(__always) func rootServer(_ k: Int) -> CoreID { rootServers.lowerBound.advanced(by: k % rootServers.count) }

    /// The core server of root core `core` (a physical core number of `rootCores`), or the first root core.
    func rootServer(core: Int) -> CoreID { rootServers.lowerBound.advanced(by: rootCores.firstIndex(of: core) ?? 0) }

    /// The physical core number of root core server `s`.
    func rootCore(of s: CoreID) -> Int { rootCores[rootServers.lowerBound.distance(to: s)] }
}

/// A child partition (VM): its host and its virtual processors (core-server indices).
@usableFromInline
struct Partition {
    @usableFromInline var name: String
    @usableFromInline var host: HostID
    @usableFromInline var vcpus: [CoreID]
}

/// The cores subsystem: hosts, partitions, every core as a FIFO server (`CoreServer`), and the cycles charged
/// to each core by cost stage, flat: `stageCycles[server * CostStage.count + stage]`.
@usableFromInline
struct Cores {
    @usableFromInline var hosts = FixedTable<HostID, HostEntity>()
    @usableFromInline var partitions = FixedTable<VMID, Partition>()
    @usableFromInline var servers = FixedTable<CoreID, CoreServer>()
    @usableFromInline var stageCycles = FixedTable<Int, Int64>()

    init() {}

    /// Builds the host of `config` (root cores first, in `host.rootCores` order; then every VM's vCPUs; then,
    /// with shared placement, the non-root physical cores the vCPUs queue on round-robin).
    init(config: SimulationConfig) {
        let h = config.host
        var host = HostEntity(
            name: "host", clock: h.clock, cores: h.cores, rootCores: h.rootCores, placement: h.vcpuPlacement,
            rootServers: CoreID(0)..<CoreID(h.rootCores.count), nics: NICID(0)..<NICID(config.nics.count))
        let id = hosts.nextID
        window = config.warmup..<Swift.max(config.duration, config.warmup)
        interval = config.sampleInterval
        for c in h.rootCores { addServer("core\(c)", .root, vm: .none, host: id, hertz: h.clock.hertz) }
        for vm in config.vms {
            let v = partitions.nextID
            let vcpus = (0..<vm.vcpus).map { j in addServer("\(vm.name)/vcpu\(j)", .vcpu, vm: v, host: id, hertz: h.clock.hertz) }
            partitions.append(Partition(name: vm.name, host: id, vcpus: vcpus))
        }
        host.vcpuServers = host.rootServers.upperBound..<servers.endIndex
        if h.vcpuPlacement == .shared {
            let free = (0..<h.cores).filter { !h.rootCores.contains($0) }
            let first = servers.endIndex
            for c in free { addServer("core\(c)", .physical, vm: .none, host: id, hertz: h.clock.hertz) }
            for (k, v) in host.vcpuServers.enumerated() { servers[v].clockOwner = first.advanced(by: k % free.count) }
            host.physicalServers = first..<servers.endIndex
        }
        hosts.append(host)
        stageCycles = FixedTable(repeating: 0, count: servers.count * CostStage.count)
    }

    /// The measured window and the series interval every server's `BusyMeter` uses.
    private var window = SimTime.zero..<SimTime.zero
    private var interval = SimTime.zero

    @discardableResult
    private mutating func addServer(_ name: String, _ role: CoreRole, vm: VMID, host: HostID, hertz: Int64) -> CoreID {
        var s = CoreServer(name: name, role: role, vm: vm, host: host, hertz: hertz, window: window, interval: interval)
        s.clockOwner = servers.nextID
        return servers.append(s)
    }

    /// Cycles of `stage` charged to `server` so far.
    @inline(__always) func cycles(_ server: CoreID, _ stage: CostStage) -> Int64 {
        stageCycles[server.index &* CostStage.count &+ Int(stage.rawValue)]
    }

    func deallocate() {
        for s in servers.indices { servers[s].busy.deallocate(); servers[s].stall.deallocate() }
        hosts.deallocate()
        partitions.deallocate()
        servers.deallocate()
        stageCycles.deallocate()
    }
}
