import Yams

/// Collects diagnostics and source locations while one file is decoded.
///
/// Decoding never stops at the first problem: each accessor reports what is
/// wrong with its key and returns nil, and the caller carries on, so a file's
/// every problem is reported in one run.
final class DiagnosticCollector {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Where each decoded value came from, by spec path (`vms[2].adapters[0].switch`).
    private(set) var locations: [String: SourceLocation] = [:]

    /// The `--set` arguments applied to the tree: a node that came from one is located at that argument.
    var overrideArguments: [String] = []

    init(file: String) { self.file = file }

    func location(_ node: Node?) -> SourceLocation {
        if let node, let i = ScenarioOverrides.overrideIndex(node), overrideArguments.indices.contains(i) {
            return ScenarioOverrides.location(overrideArguments[i])
        }
        guard let m = node?.mark else { return SourceLocation(file: file, line: 1, column: 1) }
        return SourceLocation(file: file, line: m.line, column: m.column)
    }

    func error(_ node: Node?, _ message: String, fix: String) {
        diagnostics.append(Diagnostic(.error, at: location(node), message, fix: fix))
    }

    func error(at location: SourceLocation, _ message: String, fix: String) {
        diagnostics.append(Diagnostic(.error, at: location, message, fix: fix))
    }

    func warning(at location: SourceLocation, _ message: String, fix: String) {
        diagnostics.append(Diagnostic(.warning, at: location, message, fix: fix))
    }

    func record(_ path: String, _ node: Node) { locations[path] = location(node) }
}

/// Reads one YAML mapping against its ``SectionDoc``: typed accessors that
/// report problems with their location, and ``finish()`` which reports every
/// key the section does not know.
final class MappingReader {
    let collector: DiagnosticCollector
    let node: Node
    let path: String
    let section: SectionDoc
    private var pairs: [(key: String, keyNode: Node, value: Node)] = []
    private var used: Set<String> = []
    private var reportedEmpty: Set<String> = []

    /// Nil (after reporting) if `node` is not a mapping.
    init?(_ node: Node, path: String, section: SectionDoc, collector: DiagnosticCollector) {
        self.collector = collector; self.node = node; self.path = path; self.section = section
        guard case .mapping(let m) = node else {
            collector.error(
                node, "\(section.noun) must be a mapping of keys to values, not \(describe(node))",
                fix: "write it as 'key: value' lines, e.g. \(section.fields.first.map { "'\($0.key): …'" } ?? "'name: …'")")
            return nil
        }
        for (k, v) in m {
            guard case .scalar(let s) = k else {
                collector.error(k, "a key in \(section.noun) must be a plain word", fix: "write 'key: value'")
                continue
            }
            pairs.append((s.string, k, v))
        }
        collector.record(path, node)
    }

    var location: SourceLocation { collector.location(node) }

    func has(_ key: String) -> Bool {
        precondition(section.field(key) != nil, "key '\(key)' is read but not documented in section \(section.path)")
        return pairs.contains { $0.key == key }
    }

    /// The raw value node of `key`, marking the key as known.
    func value(_ key: String) -> Node? {
        precondition(section.field(key) != nil, "key '\(key)' is read but not documented in section \(section.path)")
        used.insert(key)
        guard let p = pairs.first(where: { $0.key == key }) else { return nil }
        collector.record(childPath(key), p.value)
        if case .scalar(let s) = p.value, s.style == .plain || s.style == .any, ["", "~", "null", "Null", "NULL"].contains(s.string) {
            if reportedEmpty.insert(key).inserted {
                collector.error(p.keyNode, "'\(key)' has no value", fix: "write a value after '\(key):' or remove the line")
            }
            return nil
        }
        return p.value
    }

    func keyNode(_ key: String) -> Node? { pairs.first { $0.key == key }?.keyNode }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Reports a missing required key at the mapping.
    func require(_ key: String) {
        if !pairs.contains(where: { $0.key == key }) {
            collector.error(
                node, "\(section.noun) has no '\(key)'",
                fix: "add '\(key): …' (\(section.field(key)?.type ?? "value")): \(section.field(key)?.summary ?? "")")
        }
    }

    /// Gives up on this mapping after a fatal problem (already reported): its other keys
    /// are not read, and only unknown keys are still reported by ``finish()``.
    func abandon() {
        for p in pairs where section.field(p.key) != nil { used.insert(p.key) }
    }

    /// Reports each key the section does not know, with a did-you-mean.
    /// Marks keys as read without reading them: an entry abandoned for an error of its own says nothing about them.
    func skip(_ keys: String...) { used.formUnion(keys) }

    func finish() {
        // A documented key the decoder did not read would be a silent no-op: a bug, reported as one.
        for p in pairs where !used.contains(p.key) && section.field(p.key) != nil {
            assertionFailure("documented key '\(p.key)' of \(section.path) was not read by the decoder")
            collector.error(
                p.keyNode, "'\(p.key)' is not supported here by this version (internal error: documented but not read)",
                fix: "remove it, and please report this as a bug")
        }
        for p in pairs where !used.contains(p.key) && section.field(p.key) == nil {
            collector.error(
                p.keyNode, "unknown key '\(p.key)' in \(section.noun)",
                fix: Suggestions.closest(to: p.key, among: section.keys).map { "did you mean '\($0)'?" }
                    ?? "valid keys: \(section.keys.joined(separator: ", "))")
        }
    }

    // MARK: Typed accessors

    func scalar(_ key: String, expected: String) -> (String, Node)? {
        guard let v = value(key) else { return nil }
        guard case .scalar(let s) = v else {
            collector.error(v, "'\(key)' must be \(expected), not \(describe(v))", fix: "write a single value after '\(key):'")
            return nil
        }
        return (s.string, v)
    }

    func string(_ key: String) -> String? {
        guard let (s, v) = scalar(key, expected: "a string") else { return nil }
        if s.isEmpty {
            collector.error(v, "'\(key)' is empty", fix: "write a value or remove the line")
            return nil
        }
        return s
    }

    func bool(_ key: String) -> Bool? {
        guard let (s, v) = scalar(key, expected: "true or false") else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            collector.error(v, "'\(key)' must be true or false, not '\(s)'", fix: "write 'true' or 'false'")
            return nil
        }
    }

    func integer(_ key: String, in range: ClosedRange<Int64>) -> Int64? {
        guard let (s, v) = scalar(key, expected: "a whole number") else { return nil }
        guard let n = Int64(s.filter { $0 != "_" }) else {
            // Suggest the rounded value only when it is itself a valid answer (and converts safely).
            let rounded = UnitParser.number(s).map { $0.rounded() }
            let fix =
                if let r = rounded, r >= Double(range.lowerBound), r <= Double(range.upperBound), r.magnitude < 9.0e18 {
                    "write a whole number, e.g. '\(Int64(r))'"
                } else {
                    "write a whole number between \(range.lowerBound) and \(range.upperBound)"
                }
            collector.error(v, "'\(key)' must be a whole number, not '\(s)'", fix: fix)
            return nil
        }
        guard range.contains(n) else {
            collector.error(v, "'\(key)' is \(n), out of range", fix: "write a value between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return n
    }

    func number(_ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let (s, v) = scalar(key, expected: "a number") else { return nil }
        guard let x = UnitParser.number(s) else {
            collector.error(v, "'\(key)' must be a number, not '\(s)'", fix: "write a plain number such as '0.5'")
            return nil
        }
        guard range.contains(x) else {
            collector.error(
                v, "'\(key)' is \(s), out of range", fix: "write a value between \(fmt(range.lowerBound)) and \(fmt(range.upperBound))")
            return nil
        }
        return x
    }

    /// A fraction written as `50%` or `0.5`.
    func fraction(_ key: String) -> Double? {
        guard let (s, v) = scalar(key, expected: "a fraction") else { return nil }
        var t = s.trimmingSpaces()
        var scale = 1.0
        if t.hasSuffix("%") { t.removeLast(); scale = 100 }
        guard let x = UnitParser.number(t), (0...1).contains(x / scale) else {
            collector.error(v, "'\(key)' must be a fraction between 0 and 1 or a percentage, not '\(s)'", fix: "write e.g. '0.5' or '50%'")
            return nil
        }
        return x / scale
    }

    /// A unit-suffixed quantity in base units (ps, bit/s, Hz, bytes, packets/s).
    func quantity(_ key: String, _ kind: UnitKind, min: Int64 = 0, max: Int64 = .max, minText: String? = nil, maxText: String? = nil)
        -> Int64?
    {
        guard let (s, v) = scalar(key, expected: kind.noun) else { return nil }
        switch UnitParser.parse(s, as: kind) {
        case .failure(let e):
            collector.error(v, "'\(key)': \(e.message)", fix: e.fix)
            return nil
        case .success(let x):
            if x < min {
                collector.error(
                    v, "'\(key)' is \(s), below the minimum \(minText ?? String(min))", fix: "write a value ≥ \(minText ?? String(min))")
                return nil
            }
            if x > max {
                collector.error(
                    v, "'\(key)' is \(s), above the maximum \(maxText ?? String(max))", fix: "write a value ≤ \(maxText ?? String(max))")
                return nil
            }
            return x
        }
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E? where E.RawValue == String {
        let all = E.allCases.map(\.rawValue)
        guard let (s, v) = scalar(key, expected: "one of \(all.joined(separator: ", "))") else { return nil }
        if let e = E(rawValue: s) { return e }
        collector.error(
            v, "'\(key)' is '\(s)', which is not a valid choice",
            fix: Suggestions.closest(to: s, among: all).map { "did you mean '\($0)'? (choices: \(all.joined(separator: ", ")))" }
                ?? "write one of \(all.joined(separator: ", "))")
        return nil
    }

    /// A nested mapping.
    func mapping(_ key: String, _ section: SectionDoc) -> MappingReader? {
        guard let v = value(key) else { return nil }
        return MappingReader(v, path: childPath(key), section: section, collector: collector)
    }

    /// The items of a sequence, each with its path; a single mapping is accepted as a list of one.
    func list(_ key: String) -> [(node: Node, path: String)] {
        guard let v = value(key) else { return [] }
        switch v {
        case .sequence(let seq): return seq.enumerated().map { ($1, "\(childPath(key))[\($0)]") }
        default:
            collector.error(v, "'\(key)' must be a list, not \(describe(v))", fix: "write each item on its own line starting with '- '")
            return []
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    func stringList(_ key: String) -> [String]? {
        guard let v = value(key) else { return nil }
        switch v {
        case .scalar(let s): return [s.string]
        case .sequence(let seq):
            var out: [String] = []
            for item in seq {
                guard case .scalar(let s) = item else {
                    collector.error(item, "each item of '\(key)' must be a name", fix: "write names, e.g. [web1, web2]")
                    return nil
                }
                out.append(s.string)
            }
            return out
        default:
            collector.error(v, "'\(key)' must be a name or a list of names", fix: "write e.g. 'web1' or [web1, web2]")
            return nil
        }
    }
}

func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let s): return "the value '\(s.string)'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
}

func fmt(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
}
