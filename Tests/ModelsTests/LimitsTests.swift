import SimCore
import Testing

@testable import Models

/// The model refuses configurations beyond `ConfigurationLimits` itself (not only the scenario decoder), and
/// its buffers grow with use rather than reserving their maximum.
@Suite struct ModelLimitsTests {
    @Test func totalsAreLimited() {
        var c = ReferenceConfigs.quickstart()
        let vm = c.vms[0]
        c.vms = (0...ConfigurationLimits.vms).map {
            var v = vm; v.name = "vm\($0)"; return v
        }
        let problems = c.validate()
        #expect(
            problems.contains { $0.path == "vms" && $0.message.contains("4097 VMs, more than the limit of 4096") }, "\(problems.prefix(3))")
    }

    @Test func seriesBuffersGrowLazily() {
        // max_series_points: 10^7 once reserved 80 MB per series up front (and aborted under an address-space limit).
        var s = SeriesBuffer(kind: .flow, entity: "f", MetricCatalog.goodput, maxPoints: ConfigurationLimits.seriesPoints)
        for i in 0..<10 { s.add(Double(i)) }
        #expect(s.values.count == 10)
        #expect(s.values.capacity < 1_000)
        // Merging still bounds memory: at most 4 points, so pairs merge.
        var t = SeriesBuffer(kind: .flow, entity: "f", MetricCatalog.goodput, maxPoints: 4)
        for i in 0..<64 { t.add(Double(i)) }
        #expect(t.values.count < 4 && t.factor > 1)
    }

    @Test func theLargestBulkWindowDoesNotHang() throws {
        // A 64 MiB window once looped forever in one event: packets dropped on the sender's own path freed their
        // window space at once. Now each call sends at most one window's worth; the retransmission timer sends the rest.
        var c = ReferenceConfigs.vmToVMPrivate(duration: .milliseconds(2))
        for i in c.flows.indices { if case .bulk = c.flows[i].pattern { c.flows[i].pattern = .bulk(window: ByteCount(1 << 30)) } }
        #expect(c.validate().isEmpty, "\(c.validate())")
        let out = try HostSimulation(config: c).run()
        #expect(out.report.metrics.count > 0)
    }
}
