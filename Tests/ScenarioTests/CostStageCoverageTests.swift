import Foundation
import Models
import TestSupport
import Testing

@testable import Scenario

/// Every `CostStage` is a scenario key everywhere costs are written (a profile, `host.costs`, a VM's and an
/// adapter's `costs`), lands in the configuration, and is documented in docs/scenarios.md — so a stage added to
/// `CostStage` without its table entry fails to compile, and one that a part of the scenario format missed
/// fails here.
@Suite struct CostStageCoverageTests {
    /// A distinct cost per stage and place: `base + rawValue` cycles.
    func costs(_ base: Int) -> String {
        "{" + CostStage.allCases.map { "\($0.name): \(base + Int($0.rawValue))" }.joined(separator: ", ") + "}"
    }

    @Test func everyStageOverrideIsAcceptedAndLands() throws {
        let yaml = """
            cost_profiles:
              all: \(costs(10_000))
            host: {cost_profile: all, costs: \(costs(20_000))}
            switches: [{name: lan, type: private}]
            vms:
              - name: a
                costs: \(costs(30_000))
                adapters: [{name: eth0, switch: lan, costs: \(costs(40_000))}]
              - name: b
                cost_profile: all
            """
        let errors = ScenarioLoader.diagnose(yaml: yaml, file: "t.yaml").1.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description))")
        let s = try ScenarioLoader.load(yaml: yaml, file: "t.yaml")
        for stage in CostStage.allCases {
            let i = Int64(stage.rawValue)
            // A bare number sets `fixed` and keeps the default's per-byte cost.
            #expect(s.config.host.costs[stage].fixed == 20_000 + i, "host.costs.\(stage.name)")
            #expect(s.config.host.costs[stage].perByte == stage.info.defaultCost.perByte)
            #expect(s.config.host.costs[stage].source == "scenario")
            #expect(s.config.vms[0].costOverrides[stage]?.fixed == 30_000 + i, "vms[0].costs.\(stage.name)")
            #expect(s.config.vms[0].adapters[0].costOverrides[stage]?.fixed == 40_000 + i, "adapters[0].costs.\(stage.name)")
            // VM b uses the profile, which differs from the host's costs in every stage.
            #expect(s.config.vms[1].costOverrides[stage]?.fixed == 10_000 + i, "cost_profiles.all.\(stage.name)")
        }
    }

    /// The schema's cost tables list exactly the stages, in declaration order.
    @Test func schemaKeysAreTheStages() {
        let names = CostStage.allCases.map(\.name)
        #expect(ScenarioSchema.costs.keys == names)
        #expect(Array(ScenarioSchema.costProfile.keys.drop { ["base", "description"].contains($0) }) == names)
    }

    /// docs/scenarios.md documents every stage: in the profile table (with its default and source), the
    /// overrides table and the Cost stages table (with its component, domain, core and meaning).
    @Test func everyStageIsInTheDocs() throws {
        let text = try String(contentsOf: DocsTests.docURL, encoding: .utf8)
        #expect(text.contains("### Cost stages"))
        for s in CostStage.table {
            let d = s.defaultCost
            #expect(text.contains("| `\(s.name)` | Cost | \(d.fixed) + "), "\(s.name) lacks its cost-profile row")
            #expect(text.contains("(source: \(d.source))"), "\(s.name)'s source is not in the docs")
            #expect(text.contains("| `\(s.name)` | Cost | the profile's |"), "\(s.name) lacks its overrides row")
            #expect(
                text.contains("| `\(s.name)` | \(s.component) | \(s.domain.rawValue) | \(s.core.rawValue) | "),
                "\(s.name) lacks its Cost stages row")
            #expect(text.contains(ScenarioSchema.escape(s.summary)), "\(s.name)'s meaning is not in the docs")
        }
    }
}
