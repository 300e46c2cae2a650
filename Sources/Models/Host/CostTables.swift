/// The cost subsystem: every endpoint's compiled cost profile (the host's, with its VM's and adapter's
/// overrides), flat: `flat[base[endpoint] + stage]`, read by `HostSimulation.cycles` on every charge.
@usableFromInline
struct CostTables {
    @usableFromInline var flat = ContiguousArray<FlatCost>()
    @usableFromInline var base = FixedTable<EndpointID, Int>()
    /// The piecewise entries of `flat`, by table index (evaluated off the fast path).
    @usableFromInline var piecewise: [Int: CompiledCost] = [:]

    init() {}

    func deallocate() { base.deallocate() }

    /// One profile per endpoint, in endpoint order.
    init(profiles: some Sequence<CompiledProfile>) {
        for profile in profiles {
            base.append(flat.count)  // build time only
            for (j, c) in profile.costs.enumerated() where !c.pieces.isEmpty { piecewise[flat.count + j] = c }
            flat.append(contentsOf: profile.costs.map(FlatCost.init))
        }
    }
}
