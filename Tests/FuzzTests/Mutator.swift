import Scenario
import Yams

/// One mutant: which seed file it came from, the mutations applied and the resulting text.
struct Mutant: Sendable {
    var campaignSeed: UInt64
    var index: Int
    var seedName: String
    var mutations: [String]
    var text: String

    /// A file name that says how to rebuild it: `mutant-S<seed>-<index>.yaml`.
    var fileName: String { "mutant-S\(campaignSeed)-\(String(format6: index)).yaml" }

    /// What a failing test prints: how to reproduce it, then the text.
    var reproduction: String {
        """
        mutant \(index) of seed \(campaignSeed) (from \(seedName); \(mutations.joined(separator: " → ")))
        reproduce: VNETSIM_FUZZ_SEED=\(campaignSeed) VNETSIM_FUZZ_ONLY=\(index) swift test --filter FuzzTests.mutantsAreLocatedErrorsOrValidRuns
        ----- mutant text -----
        \(text)
        ----- end -----
        """
    }
}

extension String {
    init(format6 n: Int) {
        let s = String(n)
        self = String(repeating: "0", count: Swift.max(0, 6 - s.count)) + s
    }
}

/// Deterministic mutations of scenario text: text-level (bytes and lines) and tree-level (a scalar,
/// key or mapping of the composed YAML, edited in place in the text so comments and layout survive).
enum Mutator {
    /// Mutant `index` of campaign `seed` over `seeds` (name, text): 1–3 stacked mutations.
    static func mutant(seed: UInt64, index: Int, seeds: [(name: String, text: String)]) -> Mutant {
        var rng = FuzzRNG(seed: seed, index: index)
        let (name, original) = seeds[rng.below(seeds.count)]
        var text = original
        var applied: [String] = []
        // Mostly one mutation: a stack of them is nearly always a syntax error, which tests little.
        let roll = rng.below(100)
        if roll < 35, let (t, what) = treeMutation(text, &rng, dangerousOnly: true) {
            // One extreme but often valid value where it reaches the model: most crashers live there.
            return Mutant(campaignSeed: seed, index: index, seedName: name, mutations: [what], text: t)
        }
        let rounds = roll < 65 ? 1 : roll < 88 ? 2 : 3
        for _ in 0..<rounds {
            let (t, what) = rng.chance(75) ? treeMutation(text, &rng) ?? textMutation(text, &rng) : textMutation(text, &rng)
            text = t
            applied.append(what)
        }
        return Mutant(campaignSeed: seed, index: index, seedName: name, mutations: applied, text: text)
    }

    // MARK: - Hostile values

    static let numbers = [
        "0", "-1", "1e-39", "1e39", "999999999999999999999999999999", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "18446744073709551615", "18446744073709551616", "1e308", "4.9e-324", "1e-12", "0.0000001",
        "NaN", ".nan", ".inf", "-.inf", "inf", "-0", "0.5", "1.5", "0x7fffffffffffffff", "1_000_000", "+1", "1.", ".5",
    ]
    static let units = [
        "ps", "ns", "us", "µs", "ms", "s", "min", "h", "bps", "Gbps", "Tbps", "Hz", "GHz", "B", "KiB", "GiB", "pps", "Gpps",
    ]
    static let hostileScalars = [
        "0", "-1", "1e-39", "1e39", "999999999999999999999999999999", "9223372036854775807", "NaN", ".inf", "-.inf", "", "''", "\"\"",
        "1e-39s", "1e39s", "1e-39µs", "999999999999999999999999999999h", "9223372036854775807B", "9223372036854775807ps",
        "10parsecs", "5Gbps", "3GHz", "64KiB", "1ms", "-5ms", "NaNms", "infs", "1 ms", "0.5B", "0.1bps", "1e-9pps", "1e-39Hz",
        "100000", "10000000", "vm[1-999999]", "null", "~", "true", "yes", "[]", "{}", "[1, 2]", "{a: 1}", "[[[[[]]]]]",
        "\"\\0\"", "\"\\u202Eabc\"", "wéb", "🦄", "\"\u{202E}rtl\"", "\"\\uFEFFbom\"", "!!binary aGVsbG8=", "!!timestamp 2001-12-14",
        "!custom x", "!!int x", "!!float ''", "\"<<\"", "*undefined", "'a''b'", "\"a\\\"b\"", "|", ">", "- x",
        String(repeating: "a", count: 300), String(repeating: "x", count: 70_000), String(repeating: "9", count: 5000) + "ms",
    ]
    /// Distributions at their extremes, in the unit of sizes and of durations.
    static let distributions = [
        "{lognormal: {mu: 1000, sigma: 1}}", "{lognormal: {mu: 100, sigma: 1}}", "{lognormal: {mu: -1000, sigma: 1000}}",
        "{lognormal: {mu: 0, sigma: 1e300}}", "{lognormal: {mu: NaN, sigma: 1}}", "{pareto: {shape: 1e-9, scale: 1ms}}",
        "{pareto: {shape: 1e-9, scale: 1B}}", "{pareto: {shape: 1e9, scale: 1e30B}}", "{pareto: {shape: 0, scale: 1ms}}",
        "{uniform: [0B, 9223372036854775807B]}", "{uniform: [0s, 999999999h]}", "{uniform: [1ms, 0ms]}", "{uniform: [1B]}",
        "{exponential: 9223372036854775807B}", "{exponential: 999999999h}", "{exponential: 1e-39s}", "{exponential: 0B}",
        "{normal: [0B, 1e30B]}", "{normal: [1ms, -1ms]}", "{normal: [9223372036854775807B, 9223372036854775807B]}",
        "{constant: 1e-39s}", "{constant: 9223372036854775807B}", "{empirical: {values: [], weights: []}}",
        "{empirical: {values: [1B], weights: [0]}}", "{empirical: {values: [1B, 2B], weights: [1e308, 1e308]}}",
        "{empirical: {values: [1ms], weights: [NaN]}}", "{empirical: {values: [9223372036854775807B], weights: [1]}}",
        "{lognormal: 1ms}", "{pareto: [1, 2]}", "{uniform: {min: 1B}}", "{exponential: 1ms, uniform: [1ms, 2ms]}", "{weibull: 1ms}",
    ]
    /// Keys whose extreme values reach deep into the model, by the schema section they belong to.
    static let dangerous: [String: [(String, [String])]] = [
        "": [
            ("max_series_points", ["10000000", "2", "9223372036854775807", "1"]),
            ("max_captured_frames", ["9223372036854775807", "0"]),
            ("sample_interval", ["1ps", "1e-39s", "999999h", "0s"]),
            ("socket_backlog_limit", ["0s", "1ps", "999999h"]),
            ("replications", ["10000", "0", "9223372036854775807"]),
            ("seed", ["18446744073709551615", "-1"]),
            ("duration", ["1e-39s", "999999999999999999999999999999h", "1ps", "9223372036854775807ps", "2562047h"]),
            ("warmup", ["1e-39s", "999999h", "1ps"]),
        ],
        "host": [
            ("clock", ["1Hz", "1MHz", "1e-39Hz", "1e39Hz", "9223372036854775807Hz"]),
            (
                "costs",
                [
                    "{vswitch: 1e15}", "{vswitch: {fixed: 9223372036854775807}}", "{vswitch: {per_byte: 1e300}}",
                    "{vsp_rx: {pieces: [{up_to: 0B, fixed: 1}]}}", "{vswitch: -1}", "{vswitch: NaN}", "{ring_write: {per_byte: 1e15}}",
                ]
            ),
            ("cores", ["1024", "1", "0"]),
            ("root_cores", ["[0]", "[1023]", "[0, 0, 0]", "[]", "[9223372036854775807]"]),
            ("vcpu_placement", ["shared"]),
        ],
        "nics[]": [
            ("link_rate", ["1bps", "10Tbps", "1e-39bps"]),
            ("tx_queue", ["0", "1", "9223372036854775807", "100000000"]),
            ("rx_queue", ["0", "1", "9223372036854775807", "100000000"]),
            ("coalescing", ["{max_frames: 1, max_delay: 1ps}", "{max_frames: 9223372036854775807, max_delay: 999999h}"]),
            ("propagation_delay", ["999999h", "0s", "9223372036854775807ps"]),
            ("mtu", ["576B", "9216B", "1B"]),
        ],
        "switches[]": [("port_queue", ["0", "1", "9223372036854775807", "100000000"]), ("host_vlan", ["4094", "4095"])],
        "vms[]": [
            ("count", ["100000", "0", "99999", "9223372036854775807"]), ("vcpus", ["64", "0"]),
            ("costs", ["{vswitch: 1e15}", "{guest_stack_tx: {per_byte: 1e300}}"]),
        ],
        "vms[].adapters[]": [
            ("ring_size", ["4KiB", "4097B", "1GiB", "9223372036854775807B", "8KiB"]),
            ("batch_packets", ["1", "1000000000", "9223372036854775807"]), ("channels", ["64", "0"]),
            ("descriptor_size", ["8B", "0B", "512KiB"]), ("send_section_size", ["0B", "9223372036854775807B"]),
            ("tx_queue", ["0", "1", "9223372036854775807", "100000000"]),
            ("offloads", ["{lso: false, checksum: false, mtu: 576B}", "{lso_max_size: 9223372036854775807B}", "{lso_max_size: 1B}"]),
            (
                "emulated",
                ["{tx_ring: 1, rx_ring: 1, tx_interrupt_every: 9223372036854775807, accesses_per_interrupt: 9223372036854775807}"]
            ),
            ("type", ["emulated"]), ("vlan", ["4094"]),
        ],
        "flows[]": [
            ("size", ["1B", "0B", "9223372036854775807B", "4GiB", "1e39B"]), ("response_size", ["0B", "9223372036854775807B"]),
            ("think_time", ["1e-39s", "999999h"]), ("on", ["{exponential: 1ps}"]), ("off", ["{exponential: 1ps}"]),
            ("rate", ["1bps", "10Tbps", "1e-39bps", "0bps"]), ("packet_rate", ["1pps", "10Gpps", "1e-39pps"]),
            ("window", ["1B", "0B", "9223372036854775807B"]), ("ack_every", ["1000000000", "9223372036854775807"]),
            ("start", ["999999h", "1e-39s", "9223372036854775807ps"]), ("stop", ["1ps", "0s", "999999h"]),
            ("transport", ["tcp", "udp"]), ("pattern", ["bulk", "on_off", "request_response", "poisson", "constant"]),
        ],
        "timeline[]": [("at", ["1e-39µs", "0s", "999999h", "9223372036854775807ps"])],
    ]

    /// A hostile replacement for the scalar `original` (value of `key`): same unit with an extreme number,
    /// another unit, a generic hostile scalar, a distribution, or a huge name pattern.
    static func hostileValue(for original: String, key: String, section: String, _ rng: inout FuzzRNG) -> String {
        let unit = unitSuffix(original)
        switch rng.below(10) {
        case 0, 1:
            if let u = unit { return rng.pick(numbers) + u }
            return rng.pick(numbers) + (rng.chance(50) ? "" : rng.pick(units))
        case 2:
            return rng.pick(numbers) + rng.pick(units)
        case 3:
            if let u = unit {
                return String(original.dropLast(u.count)) + rng.pick(units.filter { $0 != u } + ["parsecs", "Gbs", "b", "m"])
            }
            return rng.pick(hostileScalars)
        case 4:
            return rng.pick(distributions)
        case 5:
            if key == "name" || key == "from" || key == "to" || key == "stop_flow" || key == "attach" {
                return rng.pick([
                    "vm[1-999999]", "vm[0-9223372036854775807]", "vm[01-99999999999999999999]", "vm[5-1]", "vm[1-2,1-2]", "vm[]",
                    "vm[1-3", "vm[-1-2]", "\(original)[1-100000]", "\(original)/eth9", "host@\(original)", "external@\(original)",
                    String(repeating: "n", count: 100_000), "\"\u{202E}\(original)\"", "\(original)🦄",
                ])
            }
            return rng.pick(hostileScalars)
        case 6:
            if let list = dangerous[section]?.first(where: { $0.0 == key })?.1 { return rng.pick(list) }
            return rng.pick(hostileScalars)
        default:
            return rng.pick(hostileScalars)
        }
    }

    /// The unit of a quantity such as `10Gbps` or `1.5us`, if the scalar is one.
    static func unitSuffix(_ s: String) -> String? {
        guard let first = s.unicodeScalars.first, "0123456789.-+".unicodeScalars.contains(first) else { return nil }
        let unit = String(s.unicodeScalars.reversed().prefix { !"0123456789.".unicodeScalars.contains($0) }.reversed().map(Character.init))
        return unit.isEmpty || unit.count == s.count ? nil : unit
    }

    // MARK: - Text-level mutations

    static let oddInsertions = [
        "\u{0}", "\u{202E}", "🦄", "\u{FEFF}", "é", "\r", "\r\n", "\u{2028}", "\u{85}", "\\", "#", "&", "*", "!", "%", "@", "`", "|", ">",
        "? ", "- ", ": ", "{", "}", "[", "]", "'", "\"", ",", "\t", String(repeating: "x", count: 10_000), "\u{1F}", "\u{7F}", "\u{FFFD}",
        "&a ", "*a", "<<: ", "!!str ", "\u{0301}", "\u{200B}",
    ]

    static func textMutation(_ text: String, _ rng: inout FuzzRNG) -> (String, String) {
        var lines = text.components(separatedBy: "\n")
        let n = lines.count
        func randomLine() -> Int { rng.below(max(1, n)) }
        switch rng.below(13) {
        case 0:
            let bytes = Array(text.utf8)
            let cut = rng.below(bytes.count + 1)
            return (String(decoding: bytes.prefix(cut), as: UTF8.self), "truncate at byte \(cut)")
        case 1:
            let i = randomLine()
            lines.remove(at: i)
            return (lines.joined(separator: "\n"), "delete line \(i + 1)")
        case 2:
            let i = randomLine()
            let times = rng.chance(80) ? 1 : 1 + rng.below(200)
            lines.insert(contentsOf: Array(repeating: lines[i], count: times), at: i)
            return (lines.joined(separator: "\n"), "duplicate line \(i + 1) ×\(times)")
        case 3:
            let i = randomLine(), j = randomLine()
            lines.swapAt(i, j)
            return (lines.joined(separator: "\n"), "swap lines \(i + 1) and \(j + 1)")
        case 4:
            let i = randomLine()
            let k = 1 + rng.below(3)
            if rng.chance(50) {
                lines[i] = String(repeating: " ", count: k) + lines[i]
                return (lines.joined(separator: "\n"), "indent line \(i + 1) by \(k)")
            }
            lines[i] = String(lines[i].dropFirst(min(k, lines[i].prefix { $0 == " " }.count)))
            return (lines.joined(separator: "\n"), "dedent line \(i + 1) by \(k)")
        case 5:
            let i = randomLine()
            if rng.chance(50) {
                lines[i] = "\t" + lines[i]
            } else {
                lines[i] = lines[i].replacingOccurrences(of: "  ", with: "\t")
            }
            return (lines.joined(separator: "\n"), "tab on line \(i + 1)")
        case 6, 7:
            let scalars = Array(text.unicodeScalars)
            let at = rng.below(scalars.count + 1)
            let what = rng.pick(oddInsertions)
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars[..<at])
            out.append(contentsOf: what.unicodeScalars)
            out.append(contentsOf: scalars[at...])
            return (String(out), "insert \(what.debugDescription.prefix(20)) at scalar \(at)")
        case 8:
            let i = randomLine()
            let doc = rng.pick(["---", "...", "--- |", "---\nname: second", "%YAML 1.2\n---", "--- !!map", "---\n- a\n- b", "--- &x"])
            lines.insert(doc, at: i)
            return (lines.joined(separator: "\n"), "document marker \(doc.debugDescription) at line \(i + 1)")
        case 9:
            // An unclosed quote or bracket after a ': '.
            let i = randomLine()
            let opener = rng.pick(["\"", "'", "[", "{", "[{", "{[", "\"\\"])
            if let r = lines[i].range(of: ": ") {
                lines[i].insert(contentsOf: opener, at: r.upperBound)
            } else {
                lines[i] += " " + opener
            }
            return (lines.joined(separator: "\n"), "unclosed \(opener) on line \(i + 1)")
        case 10:
            let i = randomLine(), j = min(n, i + 1 + rng.below(10))
            let block = Array(lines[i..<j])
            let times = rng.chance(70) ? 1 : 2 + rng.below(50)
            for _ in 0..<times { lines.insert(contentsOf: block, at: j) }
            return (lines.joined(separator: "\n"), "repeat lines \(i + 1)–\(j) ×\(times)")
        case 11:
            // A random printable ASCII byte replaces one character.
            var chars = Array(text)
            guard !chars.isEmpty else { return (text + "x", "append x") }
            let at = rng.below(chars.count)
            let c = Character(Unicode.Scalar(UInt8(32 + rng.below(95))))
            chars[at] = c
            return (String(chars), "replace char \(at) with \(String(c).debugDescription)")
        default:
            let i = randomLine()
            let j = min(n, i + 1 + rng.below(8))
            lines.removeSubrange(i..<j)
            return (lines.joined(separator: "\n"), "delete lines \(i + 1)–\(j)")
        }
    }

    // MARK: - Tree-level mutations

    struct ScalarSite {
        var line: Int, column: Int, length: Int
        var value: String
        var isKey: Bool
        /// The mapping's section path (`vms[].adapters[]`; "" for the top level) and the key.
        var section: String
        var key: String
    }

    struct MappingSite {
        var line: Int, column: Int
        var flow: Bool
        var section: String
        var keys: [String]
        var keySites: [Int]
    }

    struct Sites {
        var scalars: [ScalarSite] = []
        var mappings: [MappingSite] = []
    }

    static func sites(of root: Node, lines: [String]) -> Sites {
        var s = Sites()
        func span(_ scalar: Node.Scalar) -> (Int, Int, Int)? {
            guard let m = scalar.mark, m.line >= 1, m.line <= lines.count, m.column >= 1 else { return nil }
            let rest = lines[m.line - 1].unicodeScalars.dropFirst(m.column - 1)
            let candidates: [String]
            switch scalar.style {
            case .plain: candidates = [scalar.string]
            case .singleQuoted: candidates = ["'" + scalar.string.replacingOccurrences(of: "'", with: "''") + "'"]
            case .doubleQuoted: candidates = ["\"" + scalar.string + "\""]
            default: return nil
            }
            for c in candidates where !c.isEmpty && rest.starts(with: c.unicodeScalars) {
                return (m.line, m.column, c.unicodeScalars.count)
            }
            return nil
        }
        // Aliases are expanded by compose, so an alias bomb is a tree of billions of nodes: stop early.
        var budget = 20_000
        func walk(_ node: Node, section: String, key: String) {
            budget -= 1
            guard budget > 0 else { return }
            switch node {
            case .scalar(let sc):
                if let (l, c, n) = span(sc) {
                    s.scalars.append(ScalarSite(line: l, column: c, length: n, value: sc.string, isKey: false, section: section, key: key))
                }
            case .mapping(let m):
                var site = MappingSite(
                    line: m.mark?.line ?? 0, column: m.mark?.column ?? 0, flow: m.style == .flow, section: section, keys: [], keySites: [])
                for (k, v) in m {
                    let name = k.scalar?.string ?? "?"
                    site.keys.append(name)
                    if case .scalar(let ks) = k, let (l, c, n) = span(ks) {
                        site.keySites.append(s.scalars.count)
                        s.scalars.append(
                            ScalarSite(line: l, column: c, length: n, value: ks.string, isKey: true, section: section, key: name))
                    }
                    walk(v, section: section.isEmpty ? name : section + "." + name, key: name)
                }
                if site.line > 0 { s.mappings.append(site) }
            case .sequence(let q):
                for e in q { walk(e, section: section + "[]", key: key) }
            case .alias:
                break
            }
        }
        walk(root, section: "", key: "")
        return s
    }

    /// Replaces `length` scalars at (line, column) with `replacement`.
    static func replace(_ lines: inout [String], line: Int, column: Int, length: Int, with replacement: String) {
        let chars = Array(lines[line - 1].unicodeScalars)
        let from = min(column - 1, chars.count), to = min(chars.count, from + length)
        var out = String.UnicodeScalarView()
        out.append(contentsOf: chars[..<from])
        out.append(contentsOf: replacement.unicodeScalars)
        out.append(contentsOf: chars[to...])
        lines[line - 1] = String(out)
    }

    static func insertPair(_ lines: inout [String], _ m: MappingSite, key: String, value: String) {
        if m.flow {
            replace(&lines, line: m.line, column: m.column + 1, length: 0, with: "\(key): \(value), ")
        } else {
            let indent = String(repeating: " ", count: m.column - 1)
            replace(&lines, line: m.line, column: m.column, length: 0, with: "\(key): \(value)\n" + indent)
        }
    }

    static func treeMutation(_ text: String, _ rng: inout FuzzRNG, dangerousOnly: Bool = false) -> (String, String)? {
        guard let root = (try? Yams.compose(yaml: text)) ?? nil else { return nil }
        var lines = text.components(separatedBy: "\n")
        let s = sites(of: root, lines: lines)
        let values = s.scalars.filter { !$0.isKey }
        let keys = s.scalars.filter(\.isKey)
        switch dangerousOnly ? 8 : rng.below(22) {
        case 0...7:
            guard !values.isEmpty else { return nil }
            let v = rng.pick(values)
            let h = hostileValue(for: v.value, key: v.key, section: v.section, &rng)
            replace(&lines, line: v.line, column: v.column, length: v.length, with: h)
            return (lines.joined(separator: "\n"), "\(v.key) (\(v.line):\(v.column)) := \(h.prefix(60))")
        case 8, 9, 20, 21:
            // A key of the schema's section, with a dangerous or hostile value.
            let candidates = dangerousOnly ? s.mappings.filter { dangerous[$0.section] != nil } : s.mappings
            guard !candidates.isEmpty else { return nil }
            let m = rng.pick(candidates)
            let (key, value): (String, String)
            if let table = dangerous[m.section], dangerousOnly || rng.chance(80) {
                let (k, vs) = rng.pick(table)
                (key, value) = (k, rng.pick(vs))
            } else {
                let section = ScenarioSchema.sections.first { $0.path == m.section } ?? ScenarioSchema.top
                key = rng.pick(section.keys + ["unknown_key", "\u{202E}name", "🦄", "<<", "? x"])
                value = rng.pick(hostileScalars + distributions)
            }
            if let existing = m.keys.firstIndex(of: key), existing < m.keySites.count, rng.chance(70) {
                // Replace the existing value if it is a scalar right after the key; else a duplicate key.
                let k = s.scalars[m.keySites[existing]]
                if let v = values.first(where: { $0.key == key && $0.section == (m.section.isEmpty ? key : m.section + "." + key) }),
                    v.line == k.line
                {
                    replace(&lines, line: v.line, column: v.column, length: v.length, with: value)
                    return (lines.joined(separator: "\n"), "set \(m.section).\(key) := \(value.prefix(60))")
                }
            }
            insertPair(&lines, m, key: key, value: value)
            return (lines.joined(separator: "\n"), "add \(m.section).\(key): \(value.prefix(60))")
        case 10, 11:
            guard !values.isEmpty else { return nil }
            let v = rng.pick(values.filter { ["size", "on", "off", "think_time", "response_size", "rate"].contains($0.key) } + values)
            let d = rng.pick(distributions)
            replace(&lines, line: v.line, column: v.column, length: v.length, with: d)
            return (lines.joined(separator: "\n"), "\(v.key) (\(v.line):\(v.column)) := \(d)")
        case 12:
            // Rename a key: a sibling's name (duplicate key), an unknown one, unicode, a merge key.
            guard !keys.isEmpty else { return nil }
            let k = rng.pick(keys)
            let siblings = keys.filter { $0.section == k.section }.map(\.value)
            let to = rng.pick(
                siblings + [
                    "<<", "🦄", "na\u{0301}me", "\u{202E}" + k.value, String(repeating: "k", count: 1000), k.value.uppercased(), "\"\"",
                ])
            replace(&lines, line: k.line, column: k.column, length: k.length, with: to)
            return (lines.joined(separator: "\n"), "rename key \(k.value) (\(k.line):\(k.column)) → \(to.prefix(40))")
        case 13, 14:
            // An anchor on one value and an alias to it later (a mapping key's value of another type).
            guard values.count >= 2 else { return nil }
            let a = rng.below(values.count - 1)
            let b = a + 1 + rng.below(values.count - a - 1)
            let (va, vb) = (values[a], values[b])
            guard (vb.line, vb.column) > (va.line, va.column) else { return nil }
            replace(&lines, line: vb.line, column: vb.column, length: vb.length, with: "*fz")
            replace(&lines, line: va.line, column: va.column, length: 0, with: "&fz ")
            return (lines.joined(separator: "\n"), "alias \(vb.key) (\(vb.line)) → anchor on \(va.key) (\(va.line))")
        case 15, 16:
            // A billion-laughs alias bomb in place of a value: nested lists (or mappings) of aliases.
            guard !values.isEmpty else { return nil }
            let v = rng.pick(values)
            let depth = 3 + rng.below(7), width = 2 + rng.below(9)
            let leaf = rng.pick(["lol", "1ms", "vm1", "{name: x}", "{from: a, to: b, pattern: constant, rate: 1Gbps}", "0"])
            var bomb = "[&b0 [" + Array(repeating: leaf, count: width).joined(separator: ", ") + "]"
            for d in 1..<depth { bomb += ", &b\(d) [" + Array(repeating: "*b\(d - 1)", count: width).joined(separator: ", ") + "]" }
            bomb += "]"
            replace(&lines, line: v.line, column: v.column, length: v.length, with: bomb)
            return (lines.joined(separator: "\n"), "alias bomb \(width)^\(depth) of \(leaf) at \(v.key) (\(v.line))")
        case 17:
            // Duplicate a key with a different value (flow or block).
            guard !s.mappings.isEmpty else { return nil }
            let m = rng.pick(s.mappings)
            guard let key = m.keys.first else { return nil }
            insertPair(&lines, m, key: key, value: rng.pick(hostileScalars))
            return (lines.joined(separator: "\n"), "duplicate key \(m.section).\(key)")
        case 18:
            // Merge keys and a self-referencing anchor.
            guard !s.mappings.isEmpty else { return nil }
            let m = rng.pick(s.mappings)
            let value = rng.pick(["{duration: 1ms}", "[{a: 1}, {b: 2}]", "1ms", "*undefined", "&self {x: 1}"])
            insertPair(&lines, m, key: "<<", value: value)
            return (lines.joined(separator: "\n"), "merge key in \(m.section): \(value)")
        default:
            // Wrong types: a list or mapping for a scalar.
            guard !values.isEmpty else { return nil }
            let v = rng.pick(values)
            let w = rng.pick([
                "[\(v.value)]", "{\(v.key): \(v.value)}", "[\(v.value), \(v.value)]", "{}", "[]", "[[\(v.value)]]", "{a: {b: {c: d}}}",
            ])
            replace(&lines, line: v.line, column: v.column, length: v.length, with: w)
            return (lines.joined(separator: "\n"), "\(v.key) (\(v.line)) := \(w.prefix(60))")
        }
    }
}
