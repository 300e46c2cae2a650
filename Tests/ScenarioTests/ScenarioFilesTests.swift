import Foundation
import Models
import SimCore
import Testing

@testable import Scenario

/// Every file in Scenarios/ validates, and runs (cut to a few milliseconds).
@Suite struct ScenarioFilesTests {
    static let scenarios = files(in: "Scenarios", withExtension: "yaml")

    @Test func thereAreScenarios() {
        let names = Set(Self.scenarios.map(\.lastPathComponent))
        for required in ["quickstart.yaml", "adapter-comparison.yaml", "vm-to-vm-private.yaml", "reference-64vm.yaml"] {
            #expect(names.contains(required), "Scenarios/\(required) is missing")
        }
    }

    @Test(arguments: scenarios)
    func validates(_ url: URL) throws {
        let diagnostics = ScenarioLoader.validate(paths: [url.path])
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
    }

    @Test(arguments: scenarios)
    func runsBriefly(_ url: URL) throws {
        let s = try ScenarioLoader.load(path: url.path).shortened(to: .milliseconds(5))
        let out = try HostSimulation(config: s.config).run()
        #expect(out.report.conservation.holds)
        #expect(out.report.info.scenario == s.name)
        #expect(out.report.conservation.created > 0, "\(url.lastPathComponent) created no packet in 5 ms")
    }

    @Test func everyScenarioIsListedInTheReadme() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/README.md"), encoding: .utf8)
        for url in Self.scenarios {
            #expect(readme.contains("`\(url.lastPathComponent)`"), "Scenarios/README.md does not list \(url.lastPathComponent)")
        }
    }
}
