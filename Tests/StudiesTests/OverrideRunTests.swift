import Foundation
import Reports
import Scenario
import SimCore
import TestSupport
import Testing

@testable import Studies

/// A spec's overrides (`--set`) change the scenario the run loads, its id (only when given) and its provenance.
@Suite struct OverrideRunTests {
    let quickstart = testRepositoryRoot.appendingPathComponent("Scenarios/quickstart.yaml").path

    @Test func overridesAreAppliedAndNameAnotherRun() throws {
        let plain = try RunSpec.file(quickstart)
        let set = try RunSpec.file(quickstart, overrides: ["duration=20ms", "warmup=2ms"])
        let a = try RunExecutor.load(plain), b = try RunExecutor.load(set)
        #expect(a.config.duration == .milliseconds(200) && a.config.warmup == .milliseconds(20))
        #expect(b.config.duration == .milliseconds(20) && b.config.warmup == .milliseconds(2))
        #expect(a.id != b.id)
        // The order given is part of the id.
        let swapped = try RunExecutor.load(try RunSpec.file(quickstart, overrides: ["warmup=2ms", "duration=20ms"]))
        #expect(swapped.id != b.id && swapped.config.duration == b.config.duration)
        // Without overrides the id is the one it always was (README, Scenarios/quickstart.yaml).
        #expect(a.id.description == "seed1-r0-2e312facb65e3d0a")
    }

    /// The diagnostics of a spec that fails to load as a scenario error, nil if it loads or fails otherwise.
    func scenarioDiagnostics(_ spec: RunSpec) -> [String]? {
        let result = Result { () throws(RunSetupError) -> LoadedRun in try RunExecutor.load(spec) }
        if case .failure(.scenario(let d)) = result { return d.map { $0.description } }
        return nil
    }

    @Test func aBadOverrideIsAScenarioErrorAtItsArgument() throws {
        let spec = try RunSpec.file(quickstart, overrides: ["vms.vm[1-3].vcpus=4"])
        #expect(scenarioDiagnostics(spec) == ["--set vms.vm[1-3].vcpus=4: error: no VM named 'vm[1-3]'; did you mean 'vm[1-2]'?"])
    }

    @Test func overridesAreRecordedInTheSummary() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vnetsim-override-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let loaded = try RunExecutor.load(try RunSpec.file(quickstart, overrides: ["duration=2ms", "warmup=0s"]))
        let outcome = try RunExecutor(results: root, tool: ToolInfo(version: "test", gitRevision: "unknown")).execute(loaded)
        #expect(outcome.document.scenario.overrides == ["duration=2ms", "warmup=0s"])
        let json = try String(contentsOf: outcome.directory.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(try SummaryDocument.decode(json: json).scenario.overrides == ["duration=2ms", "warmup=0s"])
        let md = try String(contentsOf: outcome.directory.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(md.contains("| Overrides ") && md.contains("`--set duration=2ms` `--set warmup=0s`"), "\(md)")
    }

    @Test func aSummaryWithoutOverridesHasNoKeyAndStillDecodes() throws {
        let info = ScenarioInfo(name: "q", file: "q.yaml")
        let data = try JSONEncoder().encode(info)
        #expect(!String(decoding: data, as: UTF8.self).contains("overrides"))
        #expect(try JSONDecoder().decode(ScenarioInfo.self, from: data) == info)
    }
}
