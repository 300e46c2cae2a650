import Models

/// Metrics of one entity kind arranged as a table: one row per entity, one
/// column per metric, both in the order the report lists them.
public struct MetricPivot: Sendable, Equatable {
    public var kind: EntityKind
    public var entities: [String]
    /// (metric, unit) per column.
    public var columns: [(metric: String, unit: String)]
    /// values[entity][column], nil where the entity lacks the metric.
    public var values: [[Double?]]

    public static func == (a: MetricPivot, b: MetricPivot) -> Bool {
        a.kind == b.kind && a.entities == b.entities && a.values == b.values
            && a.columns.map(\.metric) == b.columns.map(\.metric) && a.columns.map(\.unit) == b.columns.map(\.unit)
    }

    public init(kind: EntityKind, metrics: [Metric], where include: (Metric) -> Bool = { _ in true }) {
        self.kind = kind
        var entities: [String] = [], entityIndex: [String: Int] = [:]
        var columns: [(String, String)] = [], columnIndex: [String: Int] = [:]
        var cells: [(Int, Int, Double)] = []
        for m in metrics where m.kind == kind && include(m) {
            let e =
                entityIndex[m.entity]
                ?? {
                    entities.append(m.entity); entityIndex[m.entity] = entities.count - 1; return entities.count - 1
                }()
            let c =
                columnIndex[m.metric]
                ?? {
                    columns.append((m.metric, m.unit)); columnIndex[m.metric] = columns.count - 1; return columns.count - 1
                }()
            cells.append((e, c, m.value))
        }
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: columns.count), count: entities.count)
        for (e, c, v) in cells { values[e][c] = v }
        self.entities = entities; self.columns = columns; self.values = values
    }

    public var isEmpty: Bool { entities.isEmpty }

    /// The column of `metric`, if present.
    public func column(_ metric: String) -> Int? { columns.firstIndex { $0.metric == metric } }
}

extension EntityKind {
    /// A section title for reports.
    public var title: String {
        switch self {
        case .host: return "Host overhead"
        case .core: return "CPU by core"
        case .component: return "CPU by component"
        case .vm: return "VMs"
        case .adapter: return "Adapters: host CPU, signals, interrupts and exits"
        case .channel: return "VMBus channels"
        case .port: return "Switch ports"
        case .vswitch: return "Switches"
        case .nic: return "Physical NICs"
        case .flow: return "Throughput by flow"
        case .network: return "Virtual networks"
        case .control: return "Control traffic (announcements)"
        }
    }
}
