import Foundation
import Models
import SimCore
import Yams

/// A scenario file, read and validated: what the CLI runs.
public struct LoadedScenario: Sendable {
    /// The file it came from (as given).
    public var path: String
    public var name: String
    public var description: String
    /// The file's text, kept so results record exactly what produced them.
    public var source: String
    /// How many replications a study should run (`run` runs replication 0).
    public var replications: Int
    /// The configuration of replication 0.
    public var config: SimulationConfig
    /// The file's study sections (`sweep`, `compare`, `plan`, `confidence`); `run` ignores them.
    public var study = StudySections()
    /// Problems that do not stop the run.
    public var warnings: [Diagnostic]
    /// Where the file sets `warmup`; nil when the run uses the default (``ScenarioLoader/defaultWarmup(for:)``).
    public var warmupLocation: SourceLocation? = nil
    /// The file's VM groups, so that a port named on the command line (`--pcap`) may name a group as `captures` does.
    var vmGroups = VMGroups()
    /// Where the configuration's parts are in the file, for diagnostics about the run's changes to them (`--duration`).
    var sourceMap = SourceMap()

    /// One line for `vnetsim validate`: "quickstart: 2 VMs (2 synthetic adapters), 1 switch, 2 flows, 200ms (warm-up 20ms), seed 1".
    public var overview: String {
        let c = config
        let adapters = c.vms.flatMap(\.adapters)
        let syn = adapters.filter { $0.kind == .synthetic }.count, emu = adapters.count - syn
        var kinds: [String] = []
        if syn > 0 { kinds.append("\(syn) synthetic") }
        if emu > 0 { kinds.append("\(emu) emulated") }
        func n(_ k: Int, _ w: String) -> String { "\(k) \(w)\(k == 1 ? "" : "s")" }
        return "\(name): \(n(c.vms.count, "VM"))\(kinds.isEmpty ? "" : " (" + kinds.joined(separator: ", ") + " adapters)"), "
            + (c.host.platform == .virtualServer
                ? "Virtual Server, \(n(c.switches.count, "network")), "
                : "\(n(c.switches.count, "switch").replacingOccurrences(of: "switchs", with: "switches")), ")
            + "\(n(c.flows.count, "flow")), "
            + "\(c.duration.scenarioText) (warm-up \(c.warmup.scenarioText)), seed \(c.seed)"
            + (replications > 1 ? ", \(replications) replications" : "")
    }

    /// The configuration of one replication (same scenario, derived random streams).
    public func config(replication: Int) -> SimulationConfig {
        var c = config
        c.replication = UInt32(replication)
        return c
    }
}

/// Reads scenario files: YAML (Yams) → validated ``SimulationConfig``, with every problem
/// reported as `file:line:col: error: what is wrong; how to fix it`.
public enum ScenarioLoader {
    /// Loads and validates one file.
    /// - Throws: ``ScenarioErrors`` with every error (and warning) found; never for warnings alone.
    /// `overrides` (`path=value`, ``ScenarioOverrides``) change the file's YAML tree before it is decoded.
    public static func load(path: String, overrides: [String] = []) throws(ScenarioErrors) -> LoadedScenario {
        try load(yaml: try readText(path: path), file: path, overrides: overrides)
    }

    /// Reads a scenario file's text, with the same diagnostics as `load(path:)` (no such file, a
    /// directory, not readable, not UTF-8), each at `path:1:1`.
    public static func readText(path: String) throws(ScenarioErrors) -> String {
        func fail(_ what: String, _ fix: String) -> ScenarioErrors {
            ScenarioErrors([Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), what, fix: fix)])
        }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("no such file", "check the path (scenarios live in Scenarios/)")
        }
        if isDirectory.boolValue {
            // The default scenario first when the directory has it (the shipped Scenarios/), then the rest in order.
            let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted { ($0 == "quickstart.yaml" ? 0 : 1, $0) < ($1 == "quickstart.yaml" ? 0 : 1, $1) }
            let dir = path.hasSuffix("/") ? path : path + "/"
            let shown = names.prefix(5).map { "'\(dir)\($0)'" }.joined(separator: ", ")
            throw fail(
                "this is a directory, not a scenario file",
                names.isEmpty
                    ? "name a .yaml file (scenarios live in Scenarios/)"
                    : "name a file in it, e.g. \(shown)\(names.count > 5 ? ", …" : "")")
        }
        guard fm.isReadableFile(atPath: path), let data = fm.contents(atPath: path) else {
            throw fail("cannot read the file: permission denied", "make it readable (chmod u+r), or run as its owner")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw fail("the file is not UTF-8 text", "save it as UTF-8")
        }
        return text
    }

    /// Loads and validates scenario text; `file` names it in diagnostics and gives the default scenario name.
    public static func load(yaml: String, file: String, overrides: [String] = []) throws(ScenarioErrors) -> LoadedScenario {
        let (scenario, diagnostics) = diagnose(yaml: yaml, file: file, overrides: overrides)
        guard let scenario, !diagnostics.hasErrors else { throw ScenarioErrors(diagnostics.sortedByLocation()) }
        return scenario
    }

    /// Checks files without running them: every problem of every file, in file order.
    /// `vnetsim validate` prints them and exits non-zero if any is an error.
    public static func validate(paths: [String], overrides: [String] = []) -> [Diagnostic] {
        var all: [Diagnostic] = []
        for p in paths {
            do {
                let s = try load(path: p, overrides: overrides)
                all += s.warnings
            } catch {
                all += error.diagnostics
            }
        }
        return all
    }

    /// The longest run (`duration`, or `--duration`): `ConfigurationLimits.maxDuration`, 10^6 s.
    public static let longestRun = ConfigurationLimits.maxDuration

    /// The largest scenario file, in bytes (4 MiB): a maximal scenario written one entry per VM and flow
    /// takes under 1 MiB, and the YAML parser needs about 1 s per MiB (debug build).
    public static let maxFileBytes = 4 << 20

    /// Decodes and validates; returns the scenario (nil if it could not be built) and every diagnostic.
    /// `overrides` (`path=value`) are applied to the YAML tree first; a diagnostic about an overridden value is at its
    /// `--set` argument (``ScenarioOverrides``).
    public static func diagnose(yaml: String, file: String, overrides: [String] = []) -> (LoadedScenario?, [Diagnostic]) {
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let size = yaml.utf8.count
        guard size <= maxFileBytes else {
            return (
                nil,
                [
                    Diagnostic(
                        at: SourceLocation(file: file, line: 1, column: 1),
                        "the file is \(size) bytes, more than the limit of \(maxFileBytes) bytes (4 MiB); "
                            + "\(ConfigurationLimits.why) (docs/scenarios.md, Limits)",
                        fix: "describe groups of VMs and flows with patterns ('name: web[1-64]', 'count: 64') instead of one entry each")
                ]
            )
        }
        var root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            return (nil, [yamlDiagnostic(error, yaml: yaml, file: file)])
        }
        if !overrides.isEmpty {
            switch ScenarioOverrides.apply(overrides, to: root) {
            case .success(let tree): root = tree
            case .failure(let problems): return (nil, problems.diagnostics)
            }
        }
        let d = ScenarioDecoder(file: file, defaultName: stem.isEmpty ? "scenario" : stem)
        d.c.overrideArguments = overrides
        d.decode(root)
        var diagnostics = d.c.diagnostics
        // The model's own checks catch what the decoder does not know (cross-entity rules); report
        // each at the place in the file it concerns, unless the decoder already reported there.
        let reported = Set(diagnostics.filter { $0.severity == .error }.map(\.location))
        var seen = Set<String>()
        for p in d.config.validate() {
            let loc = location(ofConfigPath: p.path, decoder: d)
            let key = "\(loc)|\(p.message)"
            guard !reported.contains(loc), seen.insert(key).inserted else { continue }
            let (what, fix) = splitProblem(p.message)
            diagnostics.append(Diagnostic(.error, at: loc, what.hasPrefix("must") ? "'\(specKey(p.path))' \(what)" : what, fix: fix))
        }
        if d.config.flows.isEmpty && !diagnostics.hasErrors {
            diagnostics.append(
                Diagnostic(
                    .warning, at: SourceLocation(file: file, line: 1, column: 1),
                    "the scenario has no flows, so nothing will be measured",
                    fix: "add a flow under 'flows', e.g. '- {from: vm1, to: external, pattern: constant, rate: 1Gbps}'"))
        }
        var scenario = LoadedScenario(
            path: file, name: d.name, description: d.description, source: yaml,
            replications: d.replications, config: d.config,
            warnings: diagnostics.filter { $0.severity == .warning }, warmupLocation: d.warmupLocation,
            vmGroups: VMGroups(
                counted: d.countGroups, patterns: d.patternGroups.map { VMGroups.Pattern(pattern: $0.pattern, members: $0.members) }),
            sourceMap: SourceMap(d))
        scenario.study = d.study
        return (scenario, diagnostics.sortedByLocation())
    }

    /// Resolves a `--pcap PORT` argument against a configuration alone: its first port (see
    /// ``LoadedScenario/capturePorts(_:in:)``, which also knows the file's VM groups, for every port it names).
    public static func capturePort(_ text: String, in config: SimulationConfig) -> Result<CapturePort, Diagnostic> {
        capturePorts(text, in: config, groups: VMGroups()).map { $0[0] }
    }

    /// The ports a `--pcap PORT` argument names in `config`, read as an entry of `captures` is (`SWITCH:` is its `switch`).
    static func capturePorts(_ text: String, in config: SimulationConfig, groups: VMGroups) -> Result<[CapturePort], Diagnostic> {
        let at = SourceLocation(file: "--pcap", line: 1, column: 1)
        guard !text.isEmpty else {
            return .failure(
                Diagnostic(at: at, "an empty port", fix: "write e.g. 'web1/eth0', 'web[1-4]', 'host@internal' or 'external@pnic0'"))
        }
        // The entry as nodes, not as YAML text: the port's text is never parsed as YAML (quotes, escapes, newlines).
        var entry: [(Node, Node)] = []
        if let colon = text.firstIndex(of: ":") {
            entry = [
                (Node("endpoint"), Node(String(text[text.index(after: colon)...]), .implicit, .doubleQuoted)),
                (Node("switch"), Node(String(text[..<colon]), .implicit, .doubleQuoted)),
            ]
        } else {
            entry = [(Node("endpoint"), Node(text, .implicit, .doubleQuoted))]
        }
        let d = ScenarioDecoder(file: "--pcap", defaultName: config.name)
        d.config = config
        let nowhere = SourceLocation(file: "", line: 0, column: 0)
        for n in config.nics { d.nicAt[n.name] = nowhere }
        for s in config.switches { d.switchAt[s.name] = nowhere }
        for (i, v) in config.vms.enumerated() {
            d.vmAt[v.name] = nowhere
            d.vmAdapters[v.name] = v.adapters.map(\.name)
            d.vmIndex[v.name] = i
        }
        d.countGroups = groups.counted
        d.patternGroups = groups.patterns.map { ($0.pattern, $0.members) }
        d.config.captures = []
        let list = Node.sequence(Node.Sequence([Node.mapping(Node.Mapping(entry))]))
        let top = MappingReader(.mapping(Node.Mapping([(Node("captures"), list)])), path: "", section: ScenarioSchema.top, collector: d.c)!
        d.readCaptures(top)
        if let first = d.c.diagnostics.first {
            var e = first
            e.location = at
            return .failure(e)
        }
        guard !d.config.captures.isEmpty else { return .failure(Diagnostic(at: at, "'\(text)' names no port", fix: "name one port")) }
        return .success(d.config.captures)
    }

    // MARK: - Helpers

    /// Model configuration key → scenario key, where the scenario spells a value with its unit.
    static let renamedKeys: [String: String] = [
        "ring_bytes": "ring_size", "descriptor_bytes": "descriptor_size", "send_section_bytes": "send_section_size",
        "lso_max_bytes": "lso_max_size", "response_bytes": "response_size", "kind": "type",
    ]

    static func specKey(_ path: String) -> String {
        var last = String(path.split(separator: ".").last ?? Substring(path))
        if let b = last.firstIndex(of: "[") { last = String(last[..<b]) }
        return renamedKeys[last] ?? last
    }

    static func location(ofConfigPath path: String, decoder d: ScenarioDecoder) -> SourceLocation {
        SourceMap(d).location(ofConfigPath: path)
    }
}

extension LoadedScenario {
    /// The ports a `--pcap PORT` argument names in `config` (this scenario's, with the run's changes), read as an
    /// entry of `captures` is: `VM/ADAPTER`, `VM` (its first adapter), a pattern (`vm[1-4]`, `vm[1-4]/eth1`) or the
    /// name of a group made with `count` (`vm`) for each of its VMs, `host`, `host@SWITCH`, `external` or
    /// `external@NIC`, optionally prefixed `SWITCH:` (the entry's `switch`). A name that misses gets the same
    /// suggestion as in the file (a group's name for its members, the group a near name belongs to).
    public func capturePorts(_ text: String, in config: SimulationConfig) -> Result<[CapturePort], Diagnostic> {
        ScenarioLoader.capturePorts(text, in: config, groups: vmGroups)
    }
}

/// A scenario's VM groups, as the decoder names them.
struct VMGroups: Sendable {
    struct Pattern: Sendable {
        var pattern: String
        var members: [String]
    }
    /// The VMs of each group made with `count`, by the group's name (`vm` → vm1 … vm16).
    var counted: [String: [String]] = [:]
    /// The groups named by a pattern (`web[1-8]`), in file order.
    var patterns: [Pattern] = []
}

/// Where the parts of a decoded configuration are in its file: the decoder's config path → file path map and
/// the locations it recorded, kept so that a later change to the configuration (an override) can be reported at
/// the line it concerns.
struct SourceMap: Sendable {
    var file = ""
    /// Config path prefix (`vms[5]`, `timeline[3]`) → spec path in the file (`vms[1]`, `timeline[0]`).
    var pathMap: [String: String] = [:]
    /// Spec path → where its value is.
    var locations: [String: SourceLocation] = [:]

    init() {}
    init(_ d: ScenarioDecoder) {
        file = d.c.file
        pathMap = d.pathMap
        locations = d.c.locations
    }

    /// Where the value at a configuration path (`flows[3].start`) is in the file: the most specific location recorded
    /// for it or a part of it, else the file's first line.
    func location(ofConfigPath path: String) -> SourceLocation {
        // Translate the longest mapped prefix (vms[5] → vms[1], the group it came from).
        var specPath = path
        let boundaries = path.indices.filter { path[$0] == "." || path[$0] == "[" } + [path.endIndex]
        for end in boundaries.reversed() {
            var prefix = String(path[..<end])
            if path[end...].hasPrefix("["), let close = path[end...].firstIndex(of: "]") {
                prefix = String(path[...close])
            }
            if let mapped = pathMap[prefix] {
                specPath = mapped + path[prefix.endIndex...]
                break
            }
        }
        for (from, to) in ScenarioLoader.renamedKeys { specPath = specPath.replacingOccurrences(of: "." + from, with: "." + to) }
        // The most specific recorded location.
        var candidate = specPath
        while !candidate.isEmpty {
            if let loc = locations[candidate] { return loc }
            if let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) { candidate = String(candidate[..<cut]) } else { break }
        }
        return locations[candidate] ?? SourceLocation(file: file, line: 1, column: 1)
    }
}

extension ScenarioLoader {

    static func splitProblem(_ message: String) -> (String, String) {
        if let semi = message.range(of: "; ") {
            return (String(message[..<semi.lowerBound]), String(message[semi.upperBound...]))
        }
        if message.hasPrefix("must ") { return (message, "change the value accordingly (see docs/scenarios.md)") }
        return (message, "change the scenario so that this no longer holds (see docs/scenarios.md)")
    }

    static func yamlDiagnostic(_ error: Error, yaml: String, file: String) -> Diagnostic {
        func at(_ m: Mark) -> SourceLocation { SourceLocation(file: file, line: m.line, column: m.column) }
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        func fix(_ problem: String, _ mark: Mark) -> String {
            if mark.line - 1 < lines.count, lines[mark.line - 1].contains("\t") {
                return "YAML indents with spaces, not tabs: replace the tabs on this line"
            }
            if problem.contains("another document") {
                return "a scenario file holds one YAML document: remove the '---' line and what follows, or split the file"
            }
            if problem.contains("end of stream") || problem.contains("found unexpected end") {
                return "a quoted string or a bracket is not closed before the end of the file"
            }
            if problem.contains("mapping values are not allowed") {
                return "a value containing ': ' must be quoted, or the line is indented wrongly"
            }
            if problem.contains("did not find expected key") || problem.contains("expected <block end>") {
                return "check that this line is indented like its siblings"
            }
            return "check the indentation and quoting here"
        }
        if let e = error as? YamlError {
            switch e {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                let what = problem.hasPrefix("but ") ? String(problem.dropFirst(4)) : problem
                return Diagnostic(at: at(mark), "YAML syntax: \(what)", fix: fix(problem, mark))
            case .duplicatedKeysInMapping(let dups, let context):
                return Diagnostic(
                    at: at(context.mark), "duplicate key \(dups.map { "'\($0)'" }.joined(separator: ", ")) in one mapping",
                    fix: "keep one of them")
            case .reader(let problem, _, _, _):
                return Diagnostic(
                    at: SourceLocation(file: file, line: 1, column: 1), "cannot read the file: \(problem)", fix: "save it as UTF-8 text")
            default: break
            }
        }
        return Diagnostic(
            at: SourceLocation(file: file, line: 1, column: 1), "cannot parse the YAML: \(error)", fix: "check the file's syntax")
    }
}
