import Models
import SimCore
import Testing

@testable import Scenario

/// A group made with `count` is named by its name wherever a pattern may stand (flows, captures, the
/// timeline); a name that misses a group says which group it missed.
@Suite struct GroupReferenceTests {
    func load(_ yaml: String) throws -> LoadedScenario { try ScenarioLoader.load(yaml: yaml, file: "t.yaml") }
    func errors(_ yaml: String) -> [String] {
        ScenarioLoader.diagnose(yaml: yaml, file: "t.yaml").1.filter { $0.severity == .error }.map(\.description)
    }

    static let hosts = """
        nics: [{name: pnic0, link_rate: 10Gbps}]
        switches: [{name: external, type: external, nic: pnic0}]
        vms:
          - name: vm
            count: 16
          - name: db
            count: 16
          - name: web[1-8]

        """

    func flows(_ entry: String) -> String { Self.hosts + "flows:\n  - {name: f, \(entry), pattern: constant, rate: 10Mbps}\n" }

    @Test func aCountGroupsNameIsEveryVMOfIt() throws {
        // `from: vm` is `from: vm[1-16]`: 16 flows f.vm1 … f.vm16, to the one peer.
        let byName = try load(flows("from: vm, to: external"))
        let byPattern = try load(flows("from: \"vm[1-16]\", to: external"))
        #expect(byName.config.flows.count == 16)
        #expect(byName.config.flows == byPattern.config.flows)
        #expect(byName.config.flows.map(\.name).prefix(2) == ["f.vm1", "f.vm2"])
        #expect(byName.config.flows[15].from == .vm("vm16", adapter: "eth0"))
        // Two groups of equal size pair up in order; an adapter after the name is each VM's.
        let paired = try load(flows("from: vm/eth0, to: db"))
        #expect(paired.config.flows.map { "\($0.from)>\($0.to)" }.prefix(2) == ["vm1/eth0>db1/eth0", "vm2/eth0>db2/eth0"])
        #expect(paired.config.flows.count == 16)
        // A VM of the group's very name comes first.
        let own = try load(
            """
            switches: [{name: lan, type: private}]
            vms:
              - name: vm
              - name: vm
                count: 2
            flows: [{name: f, from: vm, to: vm2, pattern: constant, rate: 10Mbps}]

            """)
        #expect(own.config.vms.map(\.name) == ["vm", "vm1", "vm2"])
        #expect(own.config.flows.map(\.from) == [.vm("vm", adapter: "eth0")])
    }

    @Test func aCountGroupsNameWorksInCapturesAndTheTimeline() throws {
        let s = try load(
            flows("from: vm1, to: external") + """
                captures: [db]
                timeline:
                  - {at: 1ms, detach: vm}

                """)
        #expect(s.config.captures.count == 16 && s.config.captures[0].endpoint == .vm("db1", adapter: "eth0"))
        #expect(s.config.timeline.count == 16)
        #expect(s.config.timeline.last?.action == .detachAdapter(vm: "vm16", adapter: "eth0"))
    }

    @Test func aNameThatMissesAGroupSaysWhichGroup() {
        // Not 'did you mean vm1': the group it is close to, or the one whose member it is not.
        #expect(
            errors(flows("from: vms, to: external"))
                == ["t.yaml:10:21: error: no VM named 'vms'; did you mean 'vm' (the group vm1 … vm16)?"])
        #expect(
            errors(flows("from: vm17, to: external"))
                == ["t.yaml:10:21: error: no VM named 'vm17'; the group 'vm' is vm1 … vm16 (16 VMs): name one of them, or 'vm' for all"])
        #expect(
            errors(flows("from: \"vm[1-20]\", to: external"))
                == ["t.yaml:10:21: error: no VM named 'vm17'; the group 'vm' is vm1 … vm16 (16 VMs): name one of them, or 'vm' for all"])
        // A pattern group has no name of its own: its pattern is how to name it.
        #expect(
            errors(flows("from: web, to: external"))
                == [
                    "t.yaml:10:21: error: no VM named 'web'; the group 'web[1-8]' is web1 … web8: write 'web[1-8]' for all 8, or name one, e.g. 'web1'"
                ])
        #expect(
            errors(flows("from: web9, to: external"))
                == [
                    "t.yaml:10:21: error: no VM named 'web9'; the group 'web[1-8]' is web1 … web8 (8 VMs): name one of them, or 'web[1-8]' for all"
                ])
        // Far from every group, the closest name as before.
        #expect(errors(flows("from: dbb1, to: external")) == ["t.yaml:10:21: error: no VM named 'dbb1'; did you mean 'db1'?"])
    }
}
