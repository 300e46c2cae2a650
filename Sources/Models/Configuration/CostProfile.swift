import SimCore

/// The per-stage CPU costs of a host, a VM or an adapter: one `CostModel` per `CostStage`.
///
/// A new profile holds the built-in defaults (`CostStage.Info.defaultCost`: MODEL-REFERENCE.md §5, normalised
/// to a 3.0 GHz x86 core), each with its source. Overridable per host, per VM and per adapter. Read and set
/// one stage with the subscript: `profile[.vSwitch] = CostModel(fixed: 3_000, source: "scenario")`.
public struct CostProfile: Sendable, Equatable {
    /// One cost per stage, indexed by `CostStage.rawValue`. Invariant: `models.count == CostStage.count`.
    private var models: [CostModel]

    /// The built-in profile (`default` in scenarios).
    public init() { models = Self.defaultModels }

    /// The built-in profile of a platform: Hyper-V's defaults, or Virtual Server 2005's (each stage's
    /// `virtualServerCost` where it has one, MODEL-REFERENCE §2, §3, §5).
    public init(platform: HostPlatform) {
        switch platform {
        case .hyperV: models = Self.defaultModels
        case .virtualServer: models = Self.virtualServerModels
        }
    }

    private static let defaultModels = CostStage.table.map(\.defaultCost)
    private static let virtualServerModels = CostStage.table.map { $0.virtualServerCost ?? $0.defaultCost }

    /// The cost of one stage.
    ///
    /// - Complexity: O(1), an array index.
    public subscript(stage: CostStage) -> CostModel {
        get { models[Int(stage.rawValue)] }
        set { models[Int(stage.rawValue)] = newValue }
    }

    /// This profile with some stages replaced (a VM's or an adapter's overrides).
    public func applying(_ overrides: [CostStage: CostModel]) -> CostProfile {
        var p = self
        for (stage, c) in overrides { p[stage] = c }
        return p
    }

    /// A profile in which every stage costs nothing (for analytic tests that switch stages on one by one).
    public static var zero: CostProfile {
        var p = CostProfile()
        for s in CostStage.allCases { p[s] = .free }
        return p
    }
}
