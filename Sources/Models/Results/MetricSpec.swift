/// A cycle domain a metric can sum: the root partition's cycles, the hypervisor's, the guests'.
///
/// "host" in a metric name means root + hypervisor (the virtualization overhead a host pays), "all" means
/// root + hypervisor + guest.
public enum MetricDomain: String, Sendable, CaseIterable, Comparable {
    case root, hypervisor, guest
    public static func < (a: MetricDomain, b: MetricDomain) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The declaration of one metric, or of a family of metrics with a variable part: its name, unit, the entity
/// kinds that report it, what it means, what it is divided by and which cycle domains it sums.
///
/// Every metric of every output is declared once, in ``MetricCatalog``; the models add values by spec
/// (`ReportContext.add`), and the reports take names, units and labels from it.
public struct MetricSpec: Sendable, Hashable, CustomStringConvertible {
    /// The metric's name, e.g. `root_cycles_per_packet`; a family's prefix, e.g. `drops` (members `drops.<value>`).
    public let name: String
    /// The unit every value is in, e.g. `cycles/packet`, `percent`, `Gbps`.
    public let unit: String
    /// The entity kinds that report it.
    public let kinds: Set<EntityKind>
    /// A short label for people (headlines and column titles), e.g. "Host cycles/packet".
    public let label: String
    /// What the number is, in a sentence.
    public let meaning: String
    /// What it is divided by ("" for a count or a plain quantity), e.g. "the root cores × the measured window".
    public let denominator: String
    /// The cycle domains its cycles sum (empty for a metric that is not made of cycles).
    public let domains: Set<MetricDomain>
    /// A family's allowed values (`name.<value>`), nil for a single metric.
    public let members: [String]?
    /// The name of a family's variable part, e.g. `cause`.
    public let familyVariable: String

    public init(
        _ name: String, _ unit: String, _ kinds: Set<EntityKind>, label: String, meaning: String, per denominator: String = "",
        domains: Set<MetricDomain> = [], family: (variable: String, members: [String])? = nil
    ) {
        self.name = name; self.unit = unit; self.kinds = kinds; self.label = label; self.meaning = meaning
        self.denominator = denominator; self.domains = domains
        self.members = family?.members; self.familyVariable = family?.variable ?? ""
    }

    public var isFamily: Bool { members != nil }

    /// The metric name of a family's member, e.g. `drops.ring_full`.
    public func member(_ value: String) -> String {
        precondition(members?.contains(value) == true, "\(value) is not a member of the metric family \(name)")
        return "\(name).\(value)"
    }

    /// The name as written in a document: `drops.<cause>` for a family.
    public var pattern: String { isFamily ? "\(name).<\(familyVariable)>" : name }

    public var description: String { pattern }
}
