import SimCore
import Testing

@testable import Models

/// Every run says whether its figures stand: the overloaded and the steady cases of issue 8.
@Suite struct VerdictTests {
    @Test func anOverloadedLinkIsNotASteadyState() throws {
        // The peer offers 20 Gb/s into a 10 Gb/s link: the inbound wire's queue grows all through the window.
        // Before, the report said only "Conservation holds".
        let c = overloadedLinkConfig(duration: .milliseconds(42))
        let r = try runConfig(c).report
        let codes = Set(r.verdicts.map(\.code))
        #expect(codes.isSuperset(of: [.notSteadyState, .saturated, .backlog]), "\(r.verdicts)")
        // The peer's backlog limit caps the wire's queue, so the packets in flight stop growing; the backlog left
        // at the end names where they wait, and the flow's latency grew between the window's halves.
        let backlog = try #require(r.verdicts.first { $0.code == .backlog })
        #expect(backlog.message.contains("wire_from_peer"), "\(backlog.message)")
        let flow = try #require(r.verdicts.first { $0.code == .notSteadyState && $0.entity == "in" })
        #expect(try #require(flow.evidence["second_half_mean_us"]) > 1.5 * (flow.evidence["first_half_mean_us"] ?? .infinity))
        #expect(r.verdicts.contains { $0.code == .saturated && $0.entity == "pnic0" })
        #expect(r.runBottleneck == Bottleneck(flow: nil, resource: .wire, name: "pnic0 rx", utilization: 100))
        #expect(r.bottlenecks.first { $0.flow == "in" }?.name == "pnic0 rx")
    }

    @Test func aLightLoadStandsAndIsLimitedByItsOfferedLoad() throws {
        let c = singleVMConfig(
            flow: FlowConfig(
                name: "in", from: .external(nic: "pnic0"), to: .vm("vm"), pattern: .constant(rate: .gigabits(1)), size: .fixed(1472)),
            costs: CostProfile(), duration: .milliseconds(60), warmup: .milliseconds(10))
        let r = try runConfig(c).report
        #expect(r.verdicts.isEmpty, "\(r.verdicts)")
        let b = try #require(r.runBottleneck)
        #expect(b.resource == .offeredLoad && b.utilization > 0 && b.utilization < 95, "\(b)")
    }

    @Test func aShortWindowSaysItsTailRestsOnFewSamples() throws {
        let c = singleVMConfig(
            flow: FlowConfig(
                name: "in", from: .external(nic: "pnic0"), to: .vm("vm"), pattern: .constant(rate: .megabits(100)), size: .fixed(1472)),
            costs: CostProfile(), duration: .milliseconds(12), warmup: .milliseconds(2))
        let r = try runConfig(c).report
        let v = try #require(r.verdicts.first { $0.code == .fewSamples })
        #expect(v.entity == "in" && (v.evidence["samples"] ?? 0) < 1_000 && (v.evidence["samples"] ?? 0) > 0)
    }

    @Test func aSaturatedVCPUIsTheFlowsBottleneck() throws {
        let c = overloadedVCPUConfig()
        let r = try runConfig(c).report
        let b = try #require(r.bottlenecks.first { $0.flow == "out" })
        #expect([.vcpu, .core].contains(b.resource) && b.utilization >= 95, "\(b)")
        #expect(r.verdicts.contains { $0.code == .saturated })
        #expect(r.verdicts.contains { $0.code == .drops })  // the socket backlog overflows
    }
}
