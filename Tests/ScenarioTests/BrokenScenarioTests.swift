import Foundation
import Testing

@testable import Scenario

/// Each file in Tests/ScenarioTests/Broken states the diagnostics it must produce in
/// `# expect: LINE:COL: text` comments (text is a prefix of the rendered message after
/// `file:LINE:COL: error: `). Every expected diagnostic must appear, and nothing else
/// may be reported, so a regression that adds noise or loses a location fails.
@Suite struct BrokenScenarioTests {
    static let corpus = files(in: "Tests/ScenarioTests/Broken", withExtension: "yaml")

    @Test func corpusIsPresent() {
        #expect(Self.corpus.count >= 8)
    }

    @Test(arguments: corpus)
    func reportsExpectedDiagnostics(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let file = "Broken/" + url.lastPathComponent
        let expected = text.split(separator: "\n").compactMap { line -> (Int, Int, String)? in
            guard line.hasPrefix("# expect: ") else { return nil }
            let body = line.dropFirst("# expect: ".count)
            let parts = body.split(separator: ":", maxSplits: 2)
            guard parts.count == 3, let l = Int(parts[0]), let c = Int(parts[1]) else { return nil }
            return (l, c, parts[2].trimmingCharacters(in: .whitespaces))
        }
        #expect(!expected.isEmpty, "\(file) has no '# expect:' lines")
        let diagnostics: [Diagnostic]
        do {
            _ = try ScenarioLoader.load(yaml: text, file: file)
            Issue.record("\(file) loaded without errors")
            return
        } catch {
            diagnostics = error.diagnostics
        }
        let rendered = diagnostics.map(\.description)
        for (l, c, message) in expected {
            let prefix = "\(file):\(l):\(c): error: \(message)"
            #expect(rendered.contains { $0.hasPrefix(prefix) }, "missing: \(prefix)\ngot:\n\(rendered.joined(separator: "\n"))")
        }
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.count == expected.count, "expected \(expected.count) errors, got:\n\(rendered.joined(separator: "\n"))")
        // Every diagnostic says how to fix it.
        for d in diagnostics { #expect(!d.fix.isEmpty, "no fix in: \(d)") }
    }
}
