import Foundation
import TestSupport
import Testing

@testable import Scenario

/// docs/scenario.schema.json is the schema's rendering, and a standard validator (Python's `jsonschema`) accepts
/// every shipped scenario and runnable docs example with it and rejects known-bad files, so the schema editors
/// use cannot drift from the format.
///
/// After changing the schema, regenerate the file with `VNETSIM_UPDATE_DOCS=1 swift test --filter JSONSchemaTests`
/// (or `vnetsim schema > docs/scenario.schema.json`).
@Suite struct JSONSchemaTests {
    static let schemaURL = repositoryRoot.appendingPathComponent("docs/scenario.schema.json")

    @Test func committedSchemaIsTheGeneratedOne() throws {
        let expected = ScenarioSchema.jsonSchema()
        let actual = (try? String(contentsOf: Self.schemaURL, encoding: .utf8)) ?? ""
        if actual != expected {
            if ProcessInfo.processInfo.environment["VNETSIM_UPDATE_DOCS"] == "1" {
                try expected.write(to: Self.schemaURL, atomically: true, encoding: .utf8)
            } else {
                Issue.record(
                    "docs/scenario.schema.json is out of date: run VNETSIM_UPDATE_DOCS=1 swift test --filter JSONSchemaTests")
            }
        }
    }

    @Test func everyTypeOfTheTablesHasASchema() {
        #expect(ScenarioSchema.unmappedTypes() == [], "add these types to ScenarioSchema.typeSchema")
    }

    @Test func everySectionIsADefinition() {
        let defined = Set(ScenarioSchema.namedSections.map(\.section.path) + [ScenarioSchema.costs.path, ScenarioSchema.distribution.path])
        for s in ScenarioSchema.sections where s.path != ScenarioSchema.top.path {
            #expect(defined.contains(s.path), "section \(s.path) has no definition in the JSON Schema")
        }
    }

    // Derived from UnitParser: a number, an optional space, one of the kind's suffixes.
    @Test func unitPatternsFollowTheUnitParser() throws {
        let cases: [(UnitKind, String, Bool)] = [
            (.duration, "200ms", true), (.duration, "1.5 us", true), (.duration, "2µs", true), (.duration, "2e3ns", true),
            (.duration, "2 parsecs", false), (.duration, "10Gbps", false), (.duration, "ms", false),
            (.dataRate, "10Gbps", true), (.dataRate, "100Mb/s", true), (.dataRate, "10GB", false),
            (.byteCount, "64KiB", true), (.byteCount, "1_500B", true), (.byteCount, "1500", false),
            (.clockRate, "3GHz", true), (.packetRate, "50kpps", true), (.packetRate, "50k", false),
        ]
        for (kind, text, accepted) in cases {
            let regex = try Regex(ScenarioSchema.unitPattern(kind))
            #expect((text.wholeMatch(of: regex) != nil) == accepted, "\(kind) '\(text)'")
            // The parser agrees (the schema checks no ranges, so an accepted text parses).
            if case .success = UnitParser.parse(text, as: kind) {
                #expect(accepted, "\(kind) '\(text)' parses but the pattern rejects it")
            } else {
                #expect(!accepted, "\(kind) '\(text)' does not parse but the pattern accepts it")
            }
        }
    }

    @Test func instancesResolveScalarsAsYAML12Does() {
        let json = ScenarioSchema.jsonInstance(yaml: "a: 8\nb: true\nc: yes\nd: 10Gbps\ne: '8'\nf: 1.5\ng: ~\nh: [0, 1]\n")
        #expect(
            json
                == .object([
                    .init("a", 8), .init("b", true), .init("c", "yes"), .init("d", "10Gbps"), .init("e", "8"), .init("f", .number(1.5)),
                    .init("g", .null), .init("h", .array([0, 1])),
                ]))
    }

    // MARK: With a standard validator

    /// Known-bad files, each with one mistake the schema describes (and the validator's words for it); the decoder
    /// rejects them too.
    static let knownBad: [(name: String, yaml: String, message: String)] = [
        ("unknown-key.yaml", "vms: [{name: a, vcpu: 2}]\n", "'vcpu' was unexpected"),
        ("bad-unit.yaml", "duration: 2 parsecs\n", "'2 parsecs' does not match"),
        ("bad-choice.yaml", "switches: [{name: s, type: privat}]\n", "'privat' is not one of"),
        ("missing-pattern.yaml", "flows: [{from: a, to: b, rate: 1Gbps}]\n", "'pattern' is a required property"),
        ("two-actions.yaml", "timeline: [{at: 1ms, start_flow: f, stop_flow: f}]\n", "is valid under each of"),
        ("not-a-number.yaml", "host: {cores: many}\n", "'many' does not match"),
        ("external-without-nic.yaml", "switches: [{name: s, type: external}]\n", "'nic' is a required property"),
        ("key-of-another-pattern.yaml", "flows: [{from: a, to: b, pattern: bulk, rate: 1Gbps}]\n", "False schema does not allow '1Gbps'"),
        ("no-rate.yaml", "flows: [{from: a, to: b, pattern: constant}]\n", "is not valid under any of the given schemas"),
    ]

    /// A valid scenario in the short forms the decoder accepts: a bare cost, a core number for a list, `yes`, a
    /// quoted count, a bare capture endpoint, a distribution and a bare duration for `on`.
    static let shortForms = """
        name: forms
        host: {cores: 4, root_cores: 0, costs: {vsp_tx: 2500cycles}}
        nics: [{name: pnic0, vmq: yes}]
        switches: [{name: ext, type: external, nic: pnic0}]
        vms: [{name: "vm[1-2]", vcpus: "2"}]
        flows:
          - {from: vm1, to: external, pattern: on_off, rate: 1Gbps, on: 1ms, off: {exponential: 2ms}, size: {uniform: [64B, 1500B]}}
        captures: [vm1]

        """

    @Test func aStandardValidatorAcceptsEveryScenarioAndExampleAndRejectsBadFiles() throws {
        var good: [(String, String)] = files(in: "Scenarios", withExtension: "yaml").map {
            ("Scenarios/\($0.lastPathComponent)", (try? String(contentsOf: $0, encoding: .utf8)) ?? "")
        }
        let docs = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/scenarios.md"), encoding: .utf8)
        good += DocExamples.runnableExamples(docs).map { ("docs/scenarios.md \($0.0)", $0.1) }
        good.append(("short-forms.yaml", Self.shortForms))
        #expect(good.count >= 13)
        for (name, yaml) in good {
            let (_, d) = ScenarioLoader.diagnose(yaml: yaml, file: name)
            #expect(!d.contains { $0.severity == .error }, "\(name) is not a valid scenario")
        }
        for (name, yaml, _) in Self.knownBad {
            let (_, d) = ScenarioLoader.diagnose(yaml: yaml, file: name)
            #expect(d.contains { $0.severity == .error }, "the decoder accepts the known-bad \(name)")
        }
        let verdicts = try JSONSchemaValidator.validate(
            good + Self.knownBad.map { ($0.name, $0.yaml) }, schema: ScenarioSchema.jsonSchema())
        for (name, _) in good { #expect(verdicts[name] == "ok", "jsonschema rejects \(name): \(verdicts[name] ?? "no verdict")") }
        for (name, _, message) in Self.knownBad {
            #expect(verdicts[name]?.contains(message) == true, "jsonschema on the known-bad \(name): \(verdicts[name] ?? "no verdict")")
        }
    }
}

/// Runs Python's `jsonschema` (draft-07) over YAML documents converted to JSON as an editor's YAML reader does.
enum JSONSchemaValidator {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            print("MISSING jsonschema"); sys.exit(3)
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft7Validator.check_schema(schema)
        validator = jsonschema.Draft7Validator(schema)
        for path in sys.argv[2:]:
            error = jsonschema.exceptions.best_match(validator.iter_errors(json.load(open(path))))
            print(json.dumps("ok" if error is None else error.message + " at /" + "/".join(map(str, error.absolute_path))))
        """

    /// The verdict on each document, by name: "ok" or the validator's message.
    static func validate(_ documents: [(String, String)], schema: String) throws -> [String: String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vnetsim-jsonschema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let schemaFile = dir.appendingPathComponent("schema.json")
        try schema.write(to: schemaFile, atomically: true, encoding: .utf8)
        var paths: [String] = []
        for (i, (name, yaml)) in documents.enumerated() {
            guard let json = ScenarioSchema.jsonInstance(yaml: yaml) else {
                throw Missing(description: "\(name) is not YAML JSON can hold")
            }
            let file = dir.appendingPathComponent("\(i).json")
            try json.rendered().write(to: file, atomically: true, encoding: .utf8)
            paths.append(file.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaFile.path] + paths
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let fix = "run scripts/test (it installs it), or: python3 -m pip install --user jsonschema"
        do { try process.run() } catch { throw Missing(description: "cannot run python3 (\(error)); \(fix)") }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 { throw Missing(description: "python3 is not installed; \(fix)") }
        if output.hasPrefix("MISSING") { throw Missing(description: "Python's jsonschema is not installed; \(fix)") }
        guard process.terminationStatus == 0 else {
            throw Missing(description: "python3 jsonschema failed (status \(process.terminationStatus)): \(errors)")
        }
        let lines = output.split(separator: "\n")
        guard lines.count == documents.count else {
            throw Missing(description: "jsonschema gave \(lines.count) verdicts: \(output)\(errors)")
        }
        var verdicts: [String: String] = [:]
        for ((name, _), line) in zip(documents, lines) {
            verdicts[name] = (try? JSONDecoder().decode(String.self, from: Data(line.utf8))) ?? String(line)
        }
        return verdicts
    }
}
