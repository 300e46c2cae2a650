import Foundation
import TestSupport
import Testing

@testable import Scenario

/// docs/scenarios.md cannot drift from the code: its reference section is the
/// schema's rendering, every YAML example validates (or, for a broken one, gives
/// exactly the output shown), and every scenario key is documented.
///
/// After changing the schema, regenerate the reference with
/// `VNETSIM_UPDATE_DOCS=1 swift test --filter DocsTests`.
@Suite struct DocsTests {
    static let docURL = repositoryRoot.appendingPathComponent("docs/scenarios.md")

    @Test func referenceIsGeneratedFromTheSchema() throws {
        let text = try String(contentsOf: Self.docURL, encoding: .utf8)
        guard let b = text.range(of: ScenarioSchema.beginMarker), let e = text.range(of: ScenarioSchema.endMarker) else {
            Issue.record("docs/scenarios.md lacks the generated-reference markers")
            return
        }
        let expected = "\n\n" + ScenarioSchema.markdownReference() + "\n"
        let actual = String(text[b.upperBound..<e.lowerBound])
        if actual != expected {
            if ProcessInfo.processInfo.environment["VNETSIM_UPDATE_DOCS"] == "1" {
                let updated = String(text[..<b.upperBound]) + expected + String(text[e.lowerBound...])
                try updated.write(to: Self.docURL, atomically: true, encoding: .utf8)
            } else {
                Issue.record("docs/scenarios.md's reference is out of date: run VNETSIM_UPDATE_DOCS=1 swift test --filter DocsTests")
            }
        }
    }

    @Test func examplesValidate() throws {
        let text = try String(contentsOf: Self.docURL, encoding: .utf8)
        let examples = DocExamples.blocks(text, marker: "example")
        let outputs = Dictionary(uniqueKeysWithValues: DocExamples.blocks(text, marker: "output"))
        #expect(examples.count >= 8)
        for (name, yaml) in examples {
            let (_, diagnostics) = ScenarioLoader.diagnose(yaml: yaml, file: name)
            if let shown = outputs[name] {
                // A broken example: the page shows exactly what validate prints.
                let printed = "$ vnetsim validate \(name)\n" + diagnostics.map(\.description).joined(separator: "\n") + "\n"
                #expect(printed == shown, "docs/scenarios.md shows for \(name):\n\(shown)\nbut validate prints:\n\(printed)")
            } else {
                #expect(
                    diagnostics.isEmpty, "example \(name) in docs/scenarios.md: \(diagnostics.map(\.description).joined(separator: "\n"))")
            }
        }
    }

    @Test func everyKeyIsDocumented() throws {
        let text = try String(contentsOf: Self.docURL, encoding: .utf8)
        for s in ScenarioSchema.sections {
            #expect(text.contains("### `\(s.path)`"), "section \(s.path) is not documented")
            for f in s.fields { #expect(text.contains("| `\(f.key)` |"), "key \(f.key) of \(s.path) is not documented") }
        }
    }
}
