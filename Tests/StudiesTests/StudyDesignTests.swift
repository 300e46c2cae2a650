import Scenario
import Testing

@testable import Studies

@Suite struct StudyDesignTests {
    let here = SourceLocation(file: "test", line: 1, column: 1)

    func parameter(_ path: String, _ values: [String]) -> StudyParameter { StudyParameter(path: path, values: values, location: here) }

    @Test func crossProductVariesTheFirstParameterSlowest() throws {
        // 2 × 3 = 6 points: a0 b0, a0 b1, a0 b2, a1 b0, …
        let d = StudyDesign(parameters: [parameter("a", ["1", "2"]), parameter("b", ["x", "y", "z"])])
        let points = try d.combinations().map { $0.map(\.value).joined(separator: " ") }
        #expect(points == ["1 x", "1 y", "1 z", "2 x", "2 y", "2 z"])
    }

    @Test func zippedParametersVaryTogether() throws {
        // a and c step together (3 values each), b crosses them: 3 × 2 = 6 points, columns stay in parameter order.
        let d = StudyDesign(
            parameters: [parameter("a", ["1", "2", "3"]), parameter("b", ["x", "y"]), parameter("c", ["10", "20", "30"])],
            zips: [[LocatedText("a", at: here), LocatedText("c", at: here)]])
        let points = try d.combinations().map { $0.map(\.value).joined(separator: " ") }
        #expect(points == ["1 x 10", "1 y 10", "2 x 20", "2 y 20", "3 x 30", "3 y 30"])
    }

    @Test func zipOfDifferentLengthsIsRefusedAtTheMember() {
        let d = StudyDesign(
            parameters: [parameter("a", ["1", "2"]), parameter("c", ["10"])],
            zips: [[LocatedText("a", at: here), LocatedText("c", at: SourceLocation(file: "f", line: 7, column: 3))]])
        #expect(throws: StudyDesignError.self) { try d.combinations() }
        do { _ = try d.combinations() } catch { #expect(error.diagnostics[0].location.line == 7) }
    }

    @Test func zipOfAnUnknownParameterIsRefused() {
        let d = StudyDesign(parameters: [parameter("a", ["1"])], zips: [[LocatedText("a", at: here), LocatedText("nope", at: here)]])
        #expect(throws: StudyDesignError.self) { try d.combinations() }
    }

    @Test func aZipOfOneIsRefused() {
        let d = StudyDesign(parameters: [parameter("a", ["1", "2"])], zips: [[LocatedText("a", at: here)]])
        #expect(throws: StudyDesignError.self) { try d.combinations() }
    }

    @Test func tooManyPointsAreRefused() {
        let many = (0..<1000).map(String.init)
        let d = StudyDesign(parameters: [parameter("a", many), parameter("b", many)])
        #expect(throws: StudyDesignError.self) { try d.combinations() }
    }

    @Test func constraintsSkipThePointsThatFailThem() throws {
        // 3 counts × 3 rates = 9 points; count × rate ≤ 2 Gb/s keeps 1×{0.5,1,2}, 2×{0.5,1}, 4×{0.5}: 6 points.
        let d = StudyDesign(
            parameters: [parameter("vms.web.count", ["1", "2", "4"]), parameter("flows.send.rate", ["500Mbps", "1Gbps", "2Gbps"])],
            constraints: [LocatedText("vms.web.count * flows.send.rate <= 2Gbps", at: here)])
        let kept = try d.filter(d.combinations()).map { $0.map(\.value).joined(separator: " ") }
        #expect(kept == ["1 500Mbps", "1 1Gbps", "1 2Gbps", "2 500Mbps", "2 1Gbps", "4 500Mbps"])
        // Two conditions must both hold.
        let both = StudyDesign(
            parameters: d.parameters,
            constraints: d.constraints + [LocatedText("flows.send.rate > 500Mbps", at: here)])
        #expect(try both.filter(both.combinations()).count == 3)
    }

    @Test func badConstraintsAreRefusedAtTheirPlace() {
        let at = SourceLocation(file: "f.yaml", line: 9, column: 5)
        for (text, message) in [
            ("vms.web.count <=", "column"), ("host.cores > 1", "not a swept parameter"), ("vms.web.count <= 1ms", "cannot be evaluated"),
        ] {
            let d = StudyDesign(parameters: [parameter("vms.web.count", ["1", "2"])], constraints: [LocatedText(text, at: at)])
            do {
                _ = try d.filter(d.combinations())
                Issue.record("'\(text)' was accepted")
            } catch {
                #expect(error.diagnostics[0].location.line == 9, "\(error)")
                #expect(error.diagnostics[0].message.contains(message), "\(text): \(error)")
            }
        }
    }

    func expand(_ text: String) throws -> [String] {
        guard case .success(let v) = StudyValues.parse(text) else { throw StudyDesignError(at: here, "parse", fix: "") }
        return try v.expand(path: "p", at: here)
    }

    @Test func rangesAreExactInTheirUnits() throws {
        #expect(try expand("8..64/8") == ["8", "16", "24", "32", "40", "48", "56", "64"])
        #expect(try expand("1..64*2") == ["1", "2", "4", "8", "16", "32", "64"])
        // Mixed units of one kind: exact in bit/s, written in the first unit that divides each value.
        #expect(try expand("100Mbps..1Gbps/300Mbps") == ["100Mbps", "400Mbps", "700Mbps", "1000Mbps"])
        #expect(try expand("0.1..0.5/0.1") == ["0.1", "0.2", "0.3", "0.4", "0.5"])
        #expect(try expand("1ms..2ms/250us") == ["1ms", "1250us", "1500us", "1750us", "2ms"])
        #expect(try expand("a,b, [0, 1]") == ["a", "b", "[0, 1]"])
    }

    @Test func badRangesAreRefused() {
        for bad in ["8..4/1", "1..8/0", "1..8*1", "100Mbps..1s/1ms", "1..100000000/1", "0..8*2"] {
            #expect(throws: StudyDesignError.self, "\(bad)") { try expand(bad) }
        }
        if case .success = StudyValues.parse("1..8") { Issue.record("a range without a step must not parse") }
        if case .success = StudyValues.parse("a,,b") { Issue.record("an empty value must not parse") }
    }

    func plan(points: Int, replications: Int, independent: Bool = false) -> StudyPlan {
        let spec = RunSpec(scenarioPath: "s.yaml", scenarioText: "name: s\n")
        let pts = (0..<points).map { StudyPoint(index: $0, assignments: [Assignment(path: "a", value: String($0))]) }
        return StudyPlan(
            kind: .sweep, base: spec, scenarioName: "s", parameterPaths: ["a"], points: pts, replications: replications,
            independentStreams: independent)
    }

    @Test func runIndicesAreReplicationMajorAndInvertible() {
        let p = plan(points: 3, replications: 4)
        #expect(p.runCount == 12)
        for i in 0..<12 {
            let r = p.run(i)
            #expect(r.index == i)
            #expect(r.point.index == i % 3 && r.replication == i / 3)
            #expect(r.spec.overrides == ["a=\(i % 3)"])
            // Common random numbers: the stream is the replication, whatever the point.
            #expect(r.spec.replication == UInt32(i / 3))
        }
        let q = plan(points: 3, replications: 4, independent: true)
        #expect(Set((0..<12).map { q.run($0).spec.replication }).count == 12)
    }

    @Test func everyRunIsInExactlyOneShard() {
        for (points, reps, n) in [(3, 4, 1), (3, 4, 5), (7, 3, 4), (1, 1, 3), (10, 10, 7)] {
            let p = plan(points: points, replications: reps)
            var seen = [Int](repeating: 0, count: p.runCount)
            for k in 1...n { for i in p.shard(k, of: n) { seen[i] += 1 } }
            #expect(seen.allSatisfy { $0 == 1 }, "\(points)×\(reps) in \(n) shards")
        }
    }

    @Test func theStudyIdFollowsWhatDecidesTheRuns() {
        let a = plan(points: 3, replications: 2)
        #expect(a.id == plan(points: 3, replications: 2).id)
        #expect(a.id != plan(points: 3, replications: 3).id)
        #expect(a.id != plan(points: 4, replications: 2).id)
        #expect(a.id != plan(points: 3, replications: 2, independent: true).id)
        #expect(a.id.count == 16)
        #expect(a.folderName(shard: (2, 4)) == "sweep-\(a.id).shard-2-of-4")
    }
}

/// A comparison's variants (and a sweep's zipped parameters) may repeat a parameter's value, as long as no two
/// points are the same; a parameter varied alone may not.
@Suite struct RepeatedValueTests {
    static let yaml = """
        name: r
        duration: 10ms
        nics: [{name: pnic0}]
        switches: [{name: ext, type: external, nic: pnic0}]
        vms: [{name: vm, vcpus: 2, adapters: [{name: eth0, switch: ext}]}]
        flows: [{name: f, from: vm, to: external, pattern: constant, rate: 10Mbps}]
        """

    static func make(_ kind: StudyKind, _ parameters: [(String, String)], zips: [[String]] = []) throws(StudyDesignError) -> StudyPlan {
        let loaded: LoadedScenario
        do { loaded = try ScenarioLoader.load(yaml: yaml, file: "r.yaml") } catch { fatalError("\(error)") }
        let here = SourceLocation(file: "r.yaml", line: 1, column: 1)
        let axes = parameters.map { p in
            guard case .success(let v) = StudyValues.parse(p.1) else { fatalError(p.1) }
            return StudyAxis(path: p.0, values: v, location: here)
        }
        let request = StudyRequest(
            kind: kind, base: RunSpec(scenarioPath: "r.yaml", scenarioText: yaml), parameters: axes,
            zips: zips.map { $0.map { LocatedText($0, at: here) } })
        return try StudyPlan.make(request, scenario: loaded)
    }

    @Test func variantsMayShareAValue() throws {
        let p = try Self.make(
            .compare, [("vms.vm.adapters.eth0.channels", "1,2,2"), ("nics.pnic0.vmmq", "false,false,true")])
        #expect(p.points.count == 3)
        #expect(p.points.map { $0.assignments.map(\.value) } == [["1", "false"], ["2", "false"], ["2", "true"]])
    }

    @Test func zippedSweepParametersMayShareAValue() throws {
        let p = try Self.make(
            .sweep, [("vms.vm.adapters.eth0.channels", "1,2,2"), ("nics.pnic0.vmmq", "false,false,true")],
            zips: [["vms.vm.adapters.eth0.channels", "nics.pnic0.vmmq"]])
        #expect(p.points.count == 3)
    }

    @Test func twoEqualPointsAndARepeatAloneAreRefused() {
        #expect(throws: StudyDesignError.self) {
            try Self.make(.compare, [("vms.vm.adapters.eth0.channels", "1,2,2"), ("nics.pnic0.vmmq", "false,true,true")])
        }
        #expect(throws: StudyDesignError.self) { try Self.make(.compare, [("vms.vm.adapters.eth0.channels", "1,2,2")]) }
        #expect(throws: StudyDesignError.self) { try Self.make(.sweep, [("vms.vm.adapters.eth0.channels", "1,2,2")]) }
    }
}
