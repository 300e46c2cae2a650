import Yams

/// `--set path=value` changes to a scenario, applied to its YAML tree before it is decoded, so that the decoder's
/// checks and located errors apply to an overridden value exactly as to one in the file.
///
/// A path is dotted: a top-level key (`duration`), a key of a nested mapping (`host.cores`), a list entry by its
/// `name` as written in the file (`vms.web.count`, `vms.vm[01-64].vcpus`) or by its zero-based index
/// (`flows.0.rate`). The value is read as YAML: a scalar (`2s`, `10Gbps`), a flow list (`[0, 1]`) or a flow
/// mapping (`{cores: 4}`). A key missing from an existing mapping may be added only if the format knows it.
enum ScenarioOverrides {
    /// The tag that marks a node as coming from the override at an index: its diagnostics name that `--set` argument.
    static let tagPrefix = "tag:vnetsim.invalid,2026:set/"

    /// Where a diagnostic about an override points: the `--set` argument itself (line 0: shown without line and column).
    static func location(_ argument: String) -> SourceLocation {
        SourceLocation(file: "--set \(argument)", line: 0, column: 0)
    }

    /// The index of the override a node came from, if it did.
    static func overrideIndex(_ node: Node) -> Int? {
        let raw = node.tag.rawValue
        guard raw.hasPrefix(tagPrefix) else { return nil }
        return Int(raw.dropFirst(tagPrefix.count))
    }

    /// `root` with every override applied in order, or the diagnostics of those that could not be applied.
    static func apply(_ overrides: [String], to root: Node?) -> Result<Node, ScenarioErrors> {
        var tree = root ?? Node.mapping(Node.Mapping([]))
        var problems: [Diagnostic] = []
        for (i, argument) in overrides.enumerated() {
            switch applyOne(argument, index: i, to: tree) {
            case .success(let t): tree = t
            case .failure(let d): problems.append(d)
            }
        }
        return problems.isEmpty ? .success(tree) : .failure(ScenarioErrors(problems))
    }

    static func applyOne(_ argument: String, index: Int, to tree: Node) -> Result<Node, Diagnostic> {
        let at = location(argument)
        func fail(_ what: String, _ fix: String) -> Result<Node, Diagnostic> { .failure(Diagnostic(at: at, what, fix: fix)) }
        guard let eq = argument.firstIndex(of: "=") else {
            return fail("not of the form path=value", "write e.g. '--set duration=2s' or '--set vms.web.count=32'")
        }
        let path = split(String(argument[..<eq]))
        let text = String(argument[argument.index(after: eq)...])
        guard !path.isEmpty, !path.contains(where: \.isEmpty) else {
            return fail("the path is empty or has an empty part", "write a dotted path, e.g. 'host.cores=16'")
        }
        let value: Node
        do {
            value = mark(try Yams.compose(yaml: text) ?? Node("", .implicit, .plain), index: index)
        } catch {
            return fail(
                "the value '\(text)' is not valid YAML", "quote it, or write a scalar such as '2s', a list '[0, 1]' or a mapping '{a: 1}'")
        }
        do {
            return .success(try set(value, at: path[...], in: tree, section: ScenarioSchema.top, where: ""))
        } catch {
            return .failure(Diagnostic(at: at, error.what, fix: error.fix))
        }
    }

    struct PathError: Error {
        var what: String
        var fix: String
    }

    /// The path's parts: split at dots outside brackets (`vms.vm[1.5].x` keeps `vm[1.5]`, should a name hold a dot).
    static func split(_ path: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for ch in path {
            if ch == "[" { depth += 1 }
            if ch == "]" { depth = max(0, depth - 1) }
            if ch == ".", depth == 0 {
                parts.append(current); current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts
    }

    /// A copy of `node` whose every node carries the override's tag (marks are dropped with it).
    static func mark(_ node: Node, index: Int) -> Node {
        let tag = Tag(Tag.Name(rawValue: tagPrefix + String(index)))
        switch node {
        case .scalar(let s): return .scalar(Node.Scalar(s.string, tag, s.style))
        case .mapping(let m):
            return .mapping(Node.Mapping(m.map { (mark($0.key, index: index), mark($0.value, index: index)) }, tag, m.style))
        case .sequence(let q): return .sequence(Node.Sequence(q.map { mark($0, index: index) }, tag, q.style))
        case .alias: return node
        }
    }

    /// The section a key of `section` holds, if the format documents it (`host`, `vms[]`, `vms[].adapters[]`).
    static func childSection(_ key: String, of section: SectionDoc) -> SectionDoc? {
        let base = section.path == ScenarioSchema.top.path ? key : "\(section.path).\(key)"
        return ScenarioSchema.sections.first { $0.path == base || $0.path == base + "[]" }
            ?? ScenarioSchema.sections.first { $0.path == key }  // shared sections (`costs`)
    }

    /// What a message calls an entry of a list: "VM" for `vms`.
    static func entryNoun(_ section: SectionDoc?, key: String) -> String {
        guard var noun = section?.noun else { return "entry of '\(key)'" }
        for article in ["a ", "an "] where noun.hasPrefix(article) { noun.removeFirst(article.count) }
        return noun
    }

    static func set(_ value: Node, at path: ArraySlice<String>, in node: Node, section: SectionDoc?, where here: String) throws(PathError)
        -> Node
    {
        let key = path.first!
        let rest = path.dropFirst()
        let place = here.isEmpty ? "the scenario" : here
        let childPlace = here.isEmpty ? key : "\(here).\(key)"
        switch node {
        case .mapping(let m):
            let child = childSection(key, of: section ?? ScenarioSchema.top)
            var pairs: [(Node, Node)] = m.map { ($0.key, $0.value) }
            if let i = pairs.firstIndex(where: { $0.0.string == key }) {
                pairs[i].1 = rest.isEmpty ? value : try set(value, at: rest, in: pairs[i].1, section: child, where: childPlace)
                return .mapping(Node.Mapping(pairs, m.tag, m.style))
            }
            guard let section, section.field(key) != nil else {
                let keys = section?.keys ?? m.compactMap(\.key.string)
                throw PathError(
                    what: "unknown key '\(key)' in \(place)",
                    fix: Suggestions.closest(to: key, among: keys).map { "did you mean '\($0)'?" }
                        ?? "valid keys: \(keys.joined(separator: ", "))")
            }
            guard rest.isEmpty else {
                throw PathError(
                    what: "\(place) has no '\(key)' to set '\(rest.joined(separator: "."))' in",
                    fix: "set the whole value instead, e.g. '\(childPlace)={\(rest.first!): …}'")
            }
            pairs.append((Node(key), value))
            return .mapping(Node.Mapping(pairs, m.tag, m.style))
        case .sequence(var q):
            let noun = entryNoun(section, key: here)
            let names = q.map { item -> String? in
                if case .mapping(let e) = item, let n = e.first(where: { $0.key.string == "name" })?.value.string { return n }
                return nil
            }
            let position: Int
            if let i = names.firstIndex(where: { $0 == key }) {
                position = i
            } else if let i = Int(key), i >= 0 {
                guard i < q.count else {
                    throw PathError(
                        what: "'\(here)' has \(q.count) entr\(q.count == 1 ? "y" : "ies"), so there is no index \(i)",
                        fix: q.isEmpty ? "add the entry to the file" : "use an index from 0 to \(q.count - 1), or the entry's name")
                }
                position = i
            } else {
                throw PathError(
                    what: "no \(noun) named '\(key)'", fix: Suggestions.fix(for: key, among: names.compactMap { $0 }, noun: "name"))
            }
            q[position] = rest.isEmpty ? value : try set(value, at: rest, in: q[position], section: section, where: "\(here).\(key)")
            return .sequence(q)
        case .scalar, .alias:
            throw PathError(
                what: "'\(here)' is a single value, so it has no '\(key)'",
                fix: "set '\(here)' itself, e.g. '--set \(here)=…'")
        }
    }
}
