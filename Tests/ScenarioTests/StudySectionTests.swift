import Scenario
import Testing

/// The study sections of a scenario file: read as written, every mistake located with a fix.
@Suite struct StudySectionTests {
    static let base = """
        name: s
        # two VMs on a private switch
        vms: [{name: vm, vcpus: 1, adapters: [{name: eth0, type: synthetic, switch: sw}]}, {name: peer, adapters: [{name: eth0, switch: sw}]}]
        switches:
          - {name: sw, type: private}
        flows:
          - {name: f, from: vm, to: peer, pattern: constant, rate: 1Mbps, size: 100B}

        """

    func load(_ extra: String) -> (LoadedScenario?, [Diagnostic]) {
        let (s, d) = ScenarioLoader.diagnose(yaml: Self.base + extra, file: "t.yaml")
        return (s, d.filter { $0.severity == .error })
    }

    @Test func sectionsAreReadAsWritten() throws {
        let (s, errors) = load(
            """
            replications: 4
            confidence: 90%
            sweep:
              parameters:
                vms.vm.vcpus: [1, 2]
                flows.f.rate: {from: 1Mbps, to: 3Mbps, step: 1Mbps}
                host.root_cores: [[0], [0, 1]]
                flows.f.size: 100B..300B/100B
              zip: [[vms.vm.vcpus, host.root_cores]]
              where: ["flows.f.rate >= 2Mbps"]
            compare:
              parameters:
                vms.vm.adapters.eth0.type: [synthetic, emulated]
            plan:
              grow: vms.vm.vcpus
              to: 8
              slo: host.root_cpu_utilization <= 80%
            """)
        #expect(errors.isEmpty, "\(errors)")
        let study = try #require(s?.study)
        #expect(study.confidence == 0.9)
        let sweep = try #require(study.sweep)
        #expect(sweep.parameters.map(\.path) == ["vms.vm.vcpus", "flows.f.rate", "host.root_cores", "flows.f.size"])
        #expect(sweep.parameters[0].values == .list(["1", "2"]))
        #expect(sweep.parameters[1].values == .range(from: "1Mbps", to: "3Mbps", step: "1Mbps", factor: nil))
        #expect(sweep.parameters[2].values == .list(["[0]", "[0, 1]"]))
        #expect(sweep.parameters[3].values == .range(from: "100B", to: "300B", step: "100B", factor: nil))
        #expect(sweep.parameters[0].location.line == 12)
        #expect(sweep.zips.map { $0.map(\.text) } == [["vms.vm.vcpus", "host.root_cores"]])
        #expect(sweep.constraints.map(\.text) == ["flows.f.rate >= 2Mbps"])
        #expect(study.compare?.parameters.first?.values == .list(["synthetic", "emulated"]))
        #expect(study.plan?.grow.text == "vms.vm.vcpus")
        #expect(study.plan?.to?.text == "8")
        #expect(study.plan?.objectives.map(\.text) == ["host.root_cpu_utilization <= 80%"])
    }

    @Test func mistakesAreLocatedWithAFix() {
        let cases: [(String, String, Int)] = [
            ("sweep:\n  parameter:\n    a: [1]\n", "unknown key 'parameter'", 9),
            ("sweep:\n  parameters: [1, 2]\n", "mapping of parameter paths", 9),
            ("sweep:\n  parameters:\n    a: {from: 1, to: 4}\n", "neither 'step' nor 'factor'", 10),
            ("sweep:\n  parameters:\n    a: {from: 1, to: 4, step: 1, factor: 2}\n", "both 'step' and 'factor'", 10),
            ("sweep:\n  parameters:\n    a: 1..4\n", "no step", 10),
            ("sweep:\n  parameters:\n    a: [{x: 1}]\n", "scalar or a list of scalars", 10),
            ("sweep:\n  parameters:\n    a: [1]\n  zip: [a]\n", "two or more parameter paths", 11),
            ("confidence: 100%\n", "between 0% and 100%", 8),
            ("plan:\n  slo: a <= 1\n", "has no 'grow'", 9),
        ]
        for (yaml, message, line) in cases {
            let (_, errors) = load(yaml)
            #expect(errors.contains { $0.message.contains(message) && $0.location.line == line }, "\(yaml): \(errors)")
        }
    }

    @Test func commandLineValues() throws {
        #expect(try StudyValues.parse("8,16, 32").get() == .list(["8", "16", "32"]))
        #expect(try StudyValues.parse("[0, 1],[2]").get() == .list(["[0, 1]", "[2]"]))
        #expect(try StudyValues.parse("1..64*2").get() == .range(from: "1", to: "64", step: nil, factor: "2"))
        #expect(try StudyValues.parse("100Mbps..1Gbps/100Mbps").get() == .range(from: "100Mbps", to: "1Gbps", step: "100Mbps", factor: nil))
    }
}
