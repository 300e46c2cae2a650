import Models

/// How the reports name verdicts and bottlenecks.
public enum VerdictText {
    public static func title(_ c: Verdict.Code) -> String {
        switch c {
        case .saturated: return "saturated"
        case .notSteadyState: return "NOT STEADY STATE"
        case .backlog: return "backlog"
        case .warmupTooShort: return "warm-up too short"
        case .fewSamples: return "few samples"
        case .drops: return "drops"
        case .partial: return "partial"
        }
    }

    /// Verdicts by code, in the order of `Verdict.Code` (the most serious first), each group in report order.
    public static func grouped(_ v: [Verdict]) -> [[Verdict]] {
        let order: [Verdict.Code] = [.partial, .notSteadyState, .backlog, .saturated, .drops, .warmupTooShort, .fewSamples]
        return order.compactMap { code in
            let g = v.filter { $0.code == code }
            return g.isEmpty ? nil : g
        }
    }

    /// "pnic0 rx at 100 %", "window (busiest: core0 at 43 %)", "offered load (busiest: core0 at 43 %)".
    public static func bottleneck(_ b: Bottleneck) -> String {
        let u = Quantity.human(b.utilization, unit: "percent")
        switch b.resource {
        case .window: return "its window" + (b.name.isEmpty ? "" : " (busiest on the path: \(b.name) at \(u))")
        case .offeredLoad: return "the offered load" + (b.name.isEmpty ? "" : " (busiest: \(b.name) at \(u))")
        case .core, .vcpu, .wire, .link: return "\(b.name) at \(u)"
        }
    }
}

extension EntityKind {
    /// "flows", "cores", …: how a count of entities of this kind reads.
    var plural: String {
        switch self {
        case .host: return "hosts"
        case .vswitch: return "switches"
        default: return rawValue + "s"
        }
    }
}
