import Yams

/// Reads the study sections (`sweep`, `compare`, `plan`, `confidence`): their shape, with every problem located.
/// What they mean (a path that changes nothing, a range that never ends) is checked by Studies, at these locations.
extension ScenarioDecoder {
    func readStudySections(_ top: MappingReader) {
        if let v = top.value("confidence") { study.confidence = confidence(v, key: "confidence") }
        if top.has("confidence") { study.confidenceLocation = c.location(top.value("confidence")) }
        if let m = top.mapping("sweep", ScenarioSchema.sweepSection) {
            let axes = readAxes(m, key: "parameters")
            var zips: [[LocatedText]] = []
            for (item, _) in m.list("zip") {
                guard case .sequence(let seq) = item, seq.count >= 2 else {
                    c.error(
                        item, "each 'zip' entry must be a list of two or more parameter paths",
                        fix: "write e.g. [flows.a.rate, flows.b.rate]")
                    continue
                }
                var group: [LocatedText] = []
                for p in seq {
                    guard case .scalar(let s) = p else {
                        c.error(
                            p, "a 'zip' entry lists parameter paths, not \(describe(p))",
                            fix: "write the paths as they appear under 'parameters'")
                        continue
                    }
                    group.append(LocatedText(s.string, at: c.location(p)))
                }
                zips.append(group)
            }
            let constraints = texts(m, key: "where")
            m.require("parameters")
            m.finish()
            study.sweep = SweepSection(parameters: axes, zips: zips, constraints: constraints, location: m.location)
        }
        if let m = top.mapping("compare", ScenarioSchema.compareSection) {
            let axes = readAxes(m, key: "parameters")
            m.require("parameters")
            m.finish()
            study.compare = CompareSection(parameters: axes, location: m.location)
        }
        if let m = top.mapping("plan", ScenarioSchema.planSection) {
            func text(_ key: String) -> LocatedText? {
                guard let (s, node) = m.scalar(key, expected: "a value") else { return nil }
                return LocatedText(s, at: c.location(node))
            }
            let grow = text("grow")
            let from = text("from"), to = text("to"), resolution = text("resolution")
            let objectives = texts(m, key: "slo")
            m.require("grow")
            m.require("slo")
            m.finish()
            if let grow {
                study.plan = PlanSection(
                    grow: grow, from: from, to: to, resolution: resolution, objectives: objectives, location: m.location)
            }
        }
    }

    /// A confidence level: `95%` or `0.95`, strictly between 0 and 1.
    func confidence(_ v: Node, key: String) -> Double? {
        guard case .scalar(let s) = v else {
            c.error(v, "'\(key)' must be a percentage, not \(describe(v))", fix: "write e.g. '95%'")
            return nil
        }
        var t = s.string.trimmingSpaces()
        var scale = 1.0
        if t.hasSuffix("%") {
            t.removeLast()
            t = t.trimmingSpaces()
            scale = 100
        }
        guard let x = UnitParser.number(t), x / scale > 0, x / scale < 1 else {
            c.error(v, "'\(key)' must be a level between 0% and 100% (exclusive), not '\(s.string)'", fix: "write e.g. '95%' or '0.99'")
            return nil
        }
        return x / scale
    }

    /// A list of texts (or one), each with its location.
    func texts(_ m: MappingReader, key: String) -> [LocatedText] {
        guard let v = m.value(key) else { return [] }
        let items: [Node]
        switch v {
        case .scalar: items = [v]
        case .sequence(let seq): items = Array(seq)
        default:
            c.error(v, "'\(key)' must be a text or a list of texts, not \(describe(v))", fix: "write e.g. [\"a <= 10\", \"b >= 1\"]")
            return []
        }
        var out: [LocatedText] = []
        for item in items {
            guard case .scalar(let s) = item, !s.string.trimmingSpaces().isEmpty else {
                c.error(
                    item, "each entry of '\(key)' must be a text such as 'a <= 10', not \(describe(item))", fix: "quote it: \"a <= 10\"")
                continue
            }
            out.append(LocatedText(s.string, at: c.location(item)))
        }
        return out
    }

    /// `parameters:` — a mapping of `--set` paths to values.
    func readAxes(_ m: MappingReader, key: String) -> [StudyAxis] {
        guard let v = m.value(key) else { return [] }
        guard case .mapping(let map) = v, !map.isEmpty else {
            c.error(
                v, "'\(key)' must be a mapping of parameter paths to values, not \(describe(v))",
                fix: "write e.g. 'vms.web.count: [8, 16, 32]' under '\(key):'")
            return []
        }
        var out: [StudyAxis] = []
        var seen: [String: SourceLocation] = [:]
        for (k, value) in map {
            guard case .scalar(let ks) = k, !ks.string.isEmpty else {
                c.error(k, "a parameter must be a path such as vms.web.count", fix: "write 'path: [values]'")
                continue
            }
            let here = c.location(k)
            if let first = seen[ks.string] {
                c.error(k, "parameter '\(ks.string)' is given twice (first at line \(first.line))", fix: "give each parameter once")
                continue
            }
            seen[ks.string] = here
            if let values = studyValues(value, path: ks.string) { out.append(StudyAxis(path: ks.string, values: values, location: here)) }
        }
        return out
    }

    /// A parameter's values: a list, a `{from, to, step|factor}` range, or the command line's text (`8..64/8`, `a,b`).
    func studyValues(_ v: Node, path: String) -> StudyValues? {
        switch v {
        case .sequence(let seq):
            var values: [String] = []
            for item in seq {
                guard let t = Self.valueText(item) else {
                    c.error(
                        item, "a value of '\(path)' must be a scalar or a list of scalars, not \(describe(item))", fix: "write e.g. [8, 16]"
                    )
                    return nil
                }
                values.append(t)
            }
            if values.isEmpty {
                c.error(v, "'\(path)' has no values", fix: "write at least one value, e.g. [8, 16]")
                return nil
            }
            return .list(values)
        case .mapping:
            guard let r = MappingReader(v, path: "sweep.parameters.\(path)", section: ScenarioSchema.studyValues, collector: c) else {
                return nil
            }
            let from = r.scalar("from", expected: "a value")?.0, to = r.scalar("to", expected: "a value")?.0
            let step = r.scalar("step", expected: "a value")?.0, factor = r.scalar("factor", expected: "a value")?.0
            r.require("from")
            r.require("to")
            if step == nil && factor == nil {
                c.error(
                    v, "the range of '\(path)' has neither 'step' nor 'factor'", fix: "add 'step: …' (added) or 'factor: …' (multiplied)")
            }
            if step != nil && factor != nil {
                c.error(v, "the range of '\(path)' has both 'step' and 'factor'", fix: "keep one: 'step' adds, 'factor' multiplies")
            }
            r.finish()
            guard let from, let to, (step == nil) != (factor == nil) else { return nil }
            return .range(from: from, to: to, step: step, factor: factor)
        case .scalar(let s):
            switch StudyValues.parse(s.string) {
            case .success(let values): return values
            case .failure(let e):
                c.error(v, "'\(path)': \(e.message)", fix: e.fix)
                return nil
            }
        case .alias:
            c.error(v, "'\(path)' must be a list of values or a range, not an alias", fix: "write the values")
            return nil
        }
    }

    /// The text `--set` takes for one value node: a scalar as written, a list of scalars in flow style.
    static func valueText(_ node: Node) -> String? {
        switch node {
        case .scalar(let s): return s.string
        case .sequence(let seq):
            var items: [String] = []
            for i in seq {
                guard case .scalar(let s) = i else { return nil }
                items.append(s.string)
            }
            return "[" + items.joined(separator: ", ") + "]"
        default: return nil
        }
    }
}

/// What is wrong with a parameter's values as text, and how to fix it.
public struct StudyValuesError: Error, Sendable, Equatable {
    public var message: String
    public var fix: String
}

extension StudyValues {
    /// The command line's form (also a scalar under `parameters:`): `a,b,c` (a list, split at commas outside brackets),
    /// `FROM..TO/STEP` (added) or `FROM..TO*FACTOR` (multiplied).
    public static func parse(_ text: String) -> Result<StudyValues, StudyValuesError> {
        let t = text.trimmingSpaces()
        if t.isEmpty { return .failure(StudyValuesError(message: "no values", fix: "write values such as 8,16,32 or a range 8..64/8")) }
        if let dots = t.range(of: "..") {
            let from = String(t[..<dots.lowerBound]).trimmingSpaces()
            let rest = t[dots.upperBound...]
            let sep = rest.firstIndex { $0 == "/" || $0 == "*" }
            guard let sep, !from.isEmpty else {
                return .failure(
                    StudyValuesError(
                        message: "the range '\(t)' has no step", fix: "write FROM..TO/STEP (e.g. 8..64/8) or FROM..TO*FACTOR (e.g. 1..64*2)"
                    ))
            }
            let to = String(rest[..<sep]).trimmingSpaces()
            let by = String(rest[rest.index(after: sep)...]).trimmingSpaces()
            guard !to.isEmpty, !by.isEmpty else {
                return .failure(
                    StudyValuesError(message: "the range '\(t)' is incomplete", fix: "write FROM..TO/STEP, e.g. 100Mbps..1Gbps/100Mbps"))
            }
            return .success(
                rest[sep] == "/" ? .range(from: from, to: to, step: by, factor: nil) : .range(from: from, to: to, step: nil, factor: by))
        }
        var items: [String] = []
        var depth = 0
        var current = ""
        for ch in t {
            if ch == "[" || ch == "{" { depth += 1 }
            if ch == "]" || ch == "}" { depth -= 1 }
            if ch == "," && depth == 0 {
                items.append(current.trimmingSpaces())
                current = ""
            } else {
                current.append(ch)
            }
        }
        items.append(current.trimmingSpaces())
        if items.contains(where: \.isEmpty) {
            return .failure(StudyValuesError(message: "an empty value in '\(t)'", fix: "separate values by single commas: 8,16,32"))
        }
        return .success(.list(items))
    }
}
