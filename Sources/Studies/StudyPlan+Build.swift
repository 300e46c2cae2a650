import Scenario
import SimCore

/// What a command asks of a study, beside the scenario file's own study sections.
public struct StudyRequest: Sendable {
    public var kind: StudyKind
    /// The scenario, its `--set` changes, seed, duration and warm-up.
    public var base: RunSpec
    /// `--sweep path=values` or `--vary path=values`, each located at its argument: they replace the file's parameter of
    /// the same path and add to the others.
    public var parameters: [StudyAxis]
    public var zips: [[LocatedText]]
    public var constraints: [LocatedText]
    /// `--replications N`; nil: the file's `replications`.
    public var replications: Int?
    public var independentStreams: Bool

    public init(
        kind: StudyKind, base: RunSpec, parameters: [StudyAxis] = [], zips: [[LocatedText]] = [], constraints: [LocatedText] = [],
        replications: Int? = nil, independentStreams: Bool = false
    ) {
        self.kind = kind; self.base = base; self.parameters = parameters; self.zips = zips; self.constraints = constraints
        self.replications = replications; self.independentStreams = independentStreams
    }
}

extension StudyPlan {
    /// The study of a sweep (`sweep:` and `--sweep`) or a comparison (`compare:` and `--vary`, whose parameters vary
    /// together: one point per variant), with its parameter values expanded, checked and filtered by the constraints.
    /// - Throws: every problem of the definition, located in the file or at the argument: no parameters, a range that
    ///   cannot expand, a zip or constraint that is wrong, a parameter none of whose values the scenario accepts.
    public static func make(_ request: StudyRequest, scenario: LoadedScenario) throws(StudyDesignError) -> StudyPlan {
        let fileAxes: [StudyAxis]
        var zips = request.zips
        var constraints = request.constraints
        switch request.kind {
        case .sweep:
            fileAxes = scenario.study.sweep?.parameters ?? []
            zips = (scenario.study.sweep?.zips ?? []) + zips
            constraints = (scenario.study.sweep?.constraints ?? []) + constraints
        case .compare:
            fileAxes = scenario.study.compare?.parameters ?? []
        case .plan:
            preconditionFailure("a plan's points are found by its search (CapacityPlan)")
        }
        var axes = fileAxes
        for a in request.parameters {
            if let i = axes.firstIndex(where: { $0.path == a.path }) { axes[i] = a } else { axes.append(a) }
        }
        let top = SourceLocation(file: scenario.path, line: 1, column: 1)
        let replications = request.replications ?? scenario.replications
        if axes.isEmpty, request.kind == .sweep, replications >= 2 {
            // Replications of the scenario as it is: one point.
            return StudyPlan(
                kind: .sweep, base: request.base, scenarioName: scenario.name, parameterPaths: [],
                points: [StudyPoint(index: 0, assignments: [])], replications: replications, independentStreams: request.independentStreams)
        }
        guard !axes.isEmpty else {
            switch request.kind {
            case .sweep:
                throw StudyDesignError(
                    at: top, "nothing to sweep: the scenario has no 'sweep:', no --sweep was given and it runs 1 replication",
                    fix:
                        "add --sweep PATH=VALUES (e.g. --sweep vms.web.count=8,16,32), a 'sweep:' section (docs/studies.md), or --replications N to replicate it as it is"
                )
            default:
                throw StudyDesignError(
                    at: top, "nothing to compare: the scenario has no 'compare:' and no --vary was given",
                    fix: "add --vary PATH=VALUES (e.g. --vary vms.vm.adapters.eth0.type=synthetic,emulated) or a 'compare:' section")
            }
        }
        var parameters: [StudyParameter] = []
        var problems: [Diagnostic] = []
        // A parameter varied alone lists each value once; one that varies together with others (a comparison's
        // variants, a sweep's zip group) may repeat a value, as long as no two points are the same (checked below).
        let together: Set<String> =
            request.kind == .compare && axes.count > 1 ? Set(axes.map(\.path)) : Set(zips.flatMap { $0.map(\.text) })
        for a in axes {
            do throws(StudyDesignError) {
                let values = try a.values.expand(path: a.path, at: a.location)
                if !together.contains(a.path) && Set(values).count != values.count {
                    throw StudyDesignError(at: a.location, "'\(a.path)' lists a value twice", fix: "give each value once")
                }
                parameters.append(StudyParameter(path: a.path, values: values, location: a.location))
            } catch {
                problems += error.diagnostics
            }
        }
        if !problems.isEmpty { throw StudyDesignError(problems) }
        if request.kind == .compare, parameters.count > 1 {
            // Variants: every parameter gives one value per variant.
            zips = [parameters.map { LocatedText($0.path, at: $0.location) }]
        }
        let design = StudyDesign(parameters: parameters, zips: zips, constraints: constraints)
        let combinations = try design.combinations()
        let kept = try design.filter(combinations)
        guard !kept.isEmpty else {
            throw StudyDesignError(
                at: constraints.first?.location ?? top, "the constraints rule out every point of the sweep",
                fix: "relax a 'where' condition or widen the parameters' values")
        }
        if let twice = kept.indices.first(where: { i in kept[..<i].contains(kept[i]) }) {
            let first = kept.firstIndex(of: kept[twice])!
            let what = request.kind == .compare ? "variants" : "points"
            throw StudyDesignError(
                at: parameters[0].location,
                "\(what) \(first + 1) and \(twice + 1) are the same (\(kept[twice].map { "\($0.path)=\($0.value)" }.joined(separator: ", ")))",
                fix: "make every \(what.dropLast()) differ from the others in at least one value")
        }
        if request.kind == .compare, kept.count < 2 {
            throw StudyDesignError(
                at: parameters[0].location, "a comparison needs two or more variants; '\(parameters[0].path)' has one",
                fix: "give two or more values, e.g. synthetic,emulated")
        }
        try checkParameters(parameters, base: request.base)
        return StudyPlan(
            kind: request.kind, base: request.base, scenarioName: scenario.name, parameterPaths: design.paths,
            points: kept.enumerated().map { StudyPoint(index: $0.offset, assignments: $0.element) }, replications: replications,
            independentStreams: request.independentStreams)
    }

    /// Refuses a grown path that no value makes a valid scenario (located at the path's argument or entry).
    public static func checkPath(_ path: String, values: [String], at location: SourceLocation, base: RunSpec) throws(StudyDesignError) {
        try checkParameters([StudyParameter(path: path, values: values, location: location)], base: base)
    }

    /// Checks that the scenario accepts each parameter: a path that names nothing (or a value that no point could
    /// run) refuses the study before it starts, located at the parameter; a parameter with some bad values is kept
    /// (each run of a bad value fails alone and is recorded with its error).
    static func checkParameters(_ parameters: [StudyParameter], base: RunSpec) throws(StudyDesignError) {
        var problems: [Diagnostic] = []
        for p in parameters {
            var first: [Diagnostic]?
            for v in p.values {
                let a = Assignment(path: p.path, value: v)
                let (_, diagnostics) = ScenarioLoader.diagnose(
                    yaml: base.scenarioText, file: base.scenarioPath, overrides: base.overrides + [a.override])
                let errors = diagnostics.filter { $0.severity == .error }
                if errors.isEmpty {
                    first = nil
                    break
                }
                if first == nil { first = errors }
            }
            guard let first else { continue }
            // The override's diagnostics are located at its `--set` argument: say them at the parameter.
            for d in first {
                let fromOverride = d.location.file.hasPrefix("--set ")
                problems.append(
                    Diagnostic(
                        at: fromOverride ? p.location : d.location, "'\(p.path)' (every value fails): \(d.message)", fix: d.fix))
            }
        }
        if !problems.isEmpty { throw StudyDesignError(problems) }
    }
}
