import Scenario

/// One parameter's value at a point of a study: the `--set` path and the YAML value text it sets.
public struct Assignment: Sendable, Hashable, Codable {
    public var path: String
    public var value: String
    public init(path: String, value: String) { self.path = path; self.value = value }
    /// The override text, `path=value`.
    public var override: String { "\(path)=\(value)" }
}

/// A parameter of a study with its values expanded.
public struct StudyParameter: Sendable, Hashable {
    public var path: String
    /// The values as `--set` takes them, in order.
    public var values: [String]
    /// Where the parameter was given (its key in the file, or its command-line argument).
    public var location: SourceLocation
    public init(path: String, values: [String], location: SourceLocation) {
        self.path = path; self.values = values; self.location = location
    }
}

/// One combination of parameter values: a point of the study.
public struct StudyPoint: Sendable, Hashable {
    /// The point's index, in the study's order (0-based, dense after constraints).
    public var index: Int
    /// One value per parameter, in the study's parameter order.
    public var assignments: [Assignment]
    public init(index: Int, assignments: [Assignment]) { self.index = index; self.assignments = assignments }
    /// `path=value, path=value` — the point as people read it.
    public var label: String { assignments.map { "\($0.path)=\($0.value)" }.joined(separator: ", ") }
}

/// A problem with a study's definition: where, what and how to fix it.
public struct StudyDesignError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(at location: SourceLocation, _ message: String, fix: String) {
        self.diagnostics = [Diagnostic(at: location, message, fix: fix)]
    }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// What a sweep varies: parameters, groups that vary together, and conditions on the points.
///
/// `points()` is the cross product of the parameters — the first varying slowest — where each `zip` group counts as
/// one parameter (its members step together, so their lists have one length), without the points a constraint rules out.
/// Pure: the same design gives the same points in the same order.
public struct StudyDesign: Sendable, Hashable {
    public var parameters: [StudyParameter]
    /// Groups of parameter paths that vary together.
    public var zips: [[LocatedText]]
    /// Comparisons every point must satisfy (see `StudyDesign+Constraints.swift`).
    public var constraints: [LocatedText]

    public init(parameters: [StudyParameter], zips: [[LocatedText]] = [], constraints: [LocatedText] = []) {
        self.parameters = parameters; self.zips = zips; self.constraints = constraints
    }

    /// The most points a study may have (a typo in a range must not plan a billion runs).
    public static let maxPoints = 100_000

    /// The parameter paths in order: the columns of every study table.
    public var paths: [String] { parameters.map(\.path) }

    /// The points of the design, before constraints.
    /// - Throws: a zip group that names an unknown parameter, one twice, or lists of different lengths; too many points.
    public func combinations() throws(StudyDesignError) -> [[Assignment]] {
        // Groups in parameter order: a zip group stands where its first member stands.
        var groupOf: [String: Int] = [:]
        for (g, group) in zips.enumerated() {
            if group.count < 2, let only = group.first {
                throw StudyDesignError(
                    at: only.location, "a zip group needs two or more parameters to vary together, not '\(only.text)' alone",
                    fix: "list the parameters that vary together, separated by commas: --zip flows.a.rate,flows.b.rate")
            }
            var length: Int?
            for member in group {
                guard let p = parameters.first(where: { $0.path == member.text }) else {
                    throw StudyDesignError(
                        at: member.location, "zip names '\(member.text)', which is not a swept parameter",
                        fix: "swept: " + paths.joined(separator: ", "))
                }
                if let other = groupOf[member.text] {
                    throw StudyDesignError(
                        at: member.location, "'\(member.text)' is in two zip groups (\(other + 1) and \(g + 1))", fix: "put it in one group"
                    )
                }
                groupOf[member.text] = g
                if let length, length != p.values.count {
                    throw StudyDesignError(
                        at: member.location,
                        "zipped parameters vary together, but '\(member.text)' has \(p.values.count) values and the group's first has \(length)",
                        fix: "give every parameter of the group the same number of values")
                }
                length = p.values.count
            }
        }
        // Each unit of the product: a list of rows, each row the assignments of its members.
        var units: [[[Assignment]]] = []
        var placed: Set<Int> = []
        for p in parameters {
            if let g = groupOf[p.path] {
                guard placed.insert(g).inserted else { continue }
                let members = parameters.filter { groupOf[$0.path] == g }
                units.append(
                    (0..<p.values.count).map { i in members.map { Assignment(path: $0.path, value: $0.values[i]) } })
            } else {
                units.append(p.values.map { [Assignment(path: p.path, value: $0)] })
            }
        }
        var total = 1
        for u in units {
            let (t, overflow) = total.multipliedReportingOverflow(by: u.count)
            if overflow || t > Self.maxPoints {
                throw StudyDesignError(
                    at: parameters.first?.location ?? SourceLocation(file: "", line: 1, column: 1),
                    "the sweep has more than \(Self.maxPoints) points", fix: "sweep fewer values, or split the study")
            }
            total = t
        }
        var out: [[Assignment]] = [[]]
        for u in units {
            var next: [[Assignment]] = []
            next.reserveCapacity(out.count * u.count)
            for prefix in out { for row in u { next.append(prefix + row) } }
            out = next
        }
        // Back to parameter order within each point (a zip group's members may be apart).
        let order = Dictionary(uniqueKeysWithValues: paths.enumerated().map { ($1, $0) })
        return out.map { $0.sorted { order[$0.path]! < order[$1.path]! } }
    }
}
