extension SimulationConfig {
    /// The cost inputs of this configuration, for reports: every stage of the host profile that its platform has
    /// (`CostStage.applies(to:)`, in declaration order), then the overrides of each VM and adapter, each in
    /// declaration order.
    public func costInputs() -> [CostInput] {
        func input(_ scope: String, _ stage: CostStage, _ m: CostModel) -> CostInput {
            let pieces = m.pieces.map { p in "≤\(p.upToBytes)B: \(p.fixed) + \(p.perByte)/B" }.joined(separator: "; ")
            return CostInput(
                scope: scope, stage: stage.name, fixedCycles: m.fixed, cyclesPerByte: m.perByte, pieces: pieces,
                source: m.source)
        }
        var out = CostStage.allCases.filter { $0.applies(to: host.platform) }.map { input("host", $0, host.costs[$0]) }
        for vm in vms {
            for (stage, m) in vm.costOverrides.sorted(by: { $0.key < $1.key }) { out.append(input("vm:\(vm.name)", stage, m)) }
            for a in vm.adapters {
                for (stage, m) in a.costOverrides.sorted(by: { $0.key < $1.key }) {
                    out.append(input("adapter:\(vm.name)/\(a.name)", stage, m))
                }
            }
        }
        return out
    }
}
