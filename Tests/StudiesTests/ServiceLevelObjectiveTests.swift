import Models
import Testing

@testable import Studies

/// SLO texts against the metric catalog, entity patterns, and judging replicated values by the confidence interval's
/// unfavourable bound.
@Suite struct ServiceLevelObjectiveTests {
    func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ServiceLevelObjective? {
        switch ServiceLevelObjective.parse(text) {
        case .success(let s): return s
        case .failure(let e):
            Issue.record("'\(text)' did not parse: \(e)", sourceLocation: sourceLocation)
            return nil
        }
    }

    func parseError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ExpressionError? {
        switch ServiceLevelObjective.parse(text) {
        case .success(let s):
            Issue.record("'\(text)' parsed as \(s) but should not", sourceLocation: sourceLocation)
            return nil
        case .failure(let e): return e
        }
    }

    // MARK: Parsing

    @Test func theIssuesExamplesParse() {
        // (text, kind, entity, metric, op, limit in base units)
        let cases: [(String, String, String, String, ComparisonOperator, Quantity)] = [
            ("host.root_cpu_utilization <= 80%", "host", "host", "root_cpu_utilization", .lessOrEqual, Quantity(0.8)),
            ("flow.*.latency_p99 <= 1ms", "flow", "*", "latency_p99", .lessOrEqual, Quantity(0.001, .time)),
            ("flow.send.goodput >= 1.5Gbps", "flow", "send", "goodput", .greaterOrEqual, Quantity(1.5e9, .dataRate)),
            ("core.core0.cpu_utilization < 90%", "core", "core0", "cpu_utilization", .less, Quantity(0.9)),
            ("nic.pnic0.rx_link_utilization <= 95%", "nic", "pnic0", "rx_link_utilization", .lessOrEqual, Quantity(0.95)),
            ("host.drops.nic_rx_queue_full <= 10", "host", "host", "drops.nic_rx_queue_full", .lessOrEqual, Quantity(10)),
            ("port.web*/eth0.drops <= 0", "port", "web*/eth0", "drops", .lessOrEqual, Quantity(0)),
            ("switch.vs0.throughput > 1Gbps", "switch", "vs0", "throughput", .greater, Quantity(1e9, .dataRate)),
            ("flow.*.loss_ratio <= 0.1%", "flow", "*", "loss_ratio", .lessOrEqual, Quantity(0.001)),
            ("host.host_cycles_per_packet <= 2 * 1000", "host", "host", "host_cycles_per_packet", .lessOrEqual, Quantity(2000)),
        ]
        for (text, kind, entity, metric, op, limit) in cases {
            guard let s = parse(text) else { continue }
            #expect(s.kind == kind && s.entity == entity && s.metric == metric && s.op == op, "\(text): \(s)")
            #expect(s.limit == limit, "\(text): \(s.limit)")
            #expect(s.text == text)
            #expect(s.spec.kinds.contains(s.entityKind))
        }
    }

    @Test func unknownKindsAndMetricsGetADidYouMean() {
        let kind = parseError("hots.goodput <= 1Gbps")
        #expect(kind?.column == 1 && kind?.message == "unknown entity kind 'hots'" && kind?.fix == "did you mean 'host'?")
        let metric = parseError("host.goodptu >= 1Gbps")
        #expect(metric?.column == 6 && metric?.message == "unknown metric 'goodptu'" && metric?.fix == "did you mean 'goodput'?")
        // A catalog metric the kind does not report: which kinds do, and the kind's metrics.
        let wrongKind = parseError("flow.send.cpu_utilization <= 80%")
        #expect(wrongKind?.column == 11)
        #expect(wrongKind?.message == "a flow does not report 'cpu_utilization' (reported by: core)")
        #expect(wrongKind?.fix.contains("goodput") == true)
        // The host reports drops per cause only.
        let family = parseError("host.drops <= 10")
        #expect(family?.column == 6 && family?.message.contains("per cause") == true)
        #expect(family?.fix.contains("drops.socket_backlog") == true)
        let member = parseError("host.drops.ring_ful <= 10")
        #expect(member?.message == "unknown metric 'drops.ring_ful'")
    }

    @Test func aLimitMustHaveTheMetricsDimension() {
        let time = parseError("flow.*.latency_p99 <= 80%")
        #expect(time?.column == 23)
        #expect(time?.message == "latency_p99 is a time (us), but the limit '80%' is a plain number")
        #expect(time?.fix == "write the limit with a time unit, e.g. 1ms")
        let rate = parseError("flow.send.goodput >= 1ms  ")
        #expect(rate?.fix == "write the limit with a data-rate unit, e.g. 10Gbps" && rate?.message.hasSuffix("'1ms' is a time (s)") == true)
        // A percentage without '%' would mean 8000 %.
        let percent = parseError("host.root_cpu_utilization <= 80")
        #expect(percent?.column == 30 && percent?.fix == "write the limit with %, e.g. '80%'")
        #expect(parseError("host.root_cpu_utilization <= 1ms")?.fix == "write the limit with %, e.g. 80%")
        // Counts compare with plain numbers and their own unit, not with another.
        #expect(parse("host.drops.detached <= 10packets") != nil)
        #expect(parseError("host.drops.detached <= 10cores")?.message.contains("a number of packets") == true)
    }

    @Test func malformedObjectivesAreErrorsWithColumns() {
        let cases: [(String, Int, String)] = [
            ("host.root_cpu_utilization == 80%", 27, "<=, <, >= or >"),
            ("80% >= host.root_cpu_utilization", 1, "metric first"),
            ("host.goodput <= flow.send.goodput", 17, "limit names 'flow.send.goodput'"),
            ("flow.send <= 1Gbps", 1, "lacks the entity or the metric"),
            ("flow..goodput <= 1Gbps", 1, "lacks the entity or the metric"),
            ("host <= 3", 1, "not a metric reference"),
            ("host. <= 3", 6, "metric is missing"),
            ("host.goodput <= 10Gbs", 17, "unknown unit"),
            ("host.goodput * 2 <= 10Gbps", 1, "one metric"),
        ]
        for (text, column, phrase) in cases {
            guard let e = parseError(text) else { continue }
            #expect(e.column == column, "'\(text)': \(e)")
            #expect(e.message.contains(phrase), "'\(text)': \(e)")
            #expect(!e.fix.isEmpty, "'\(text)'")
        }
    }

    // MARK: Entities

    @Test func entityPatternsMatchWithStars() {
        let every = parse("flow.*.latency_p99 <= 1ms")!
        #expect(every.isPattern && every.matches(entity: "send") && every.matches(entity: "web3/eth0") && every.matches(entity: ""))
        let web = parse("vm.web*.tx_goodput >= 1Gbps")!
        #expect(web.matches(entity: "web") && web.matches(entity: "web12") && !web.matches(entity: "db1"))
        #expect(!web.matches(entity: "aweb1"))
        let eth0 = parse("port.*/eth0.drops <= 0")!
        #expect(eth0.matches(entity: "web3/eth0") && !eth0.matches(entity: "web3/eth1") && !eth0.matches(entity: "web3/eth0x"))
        let mid = parse("port.a*b*c.drops <= 0")!
        #expect(mid.matches(entity: "abc") && mid.matches(entity: "aXbYbZc") && !mid.matches(entity: "aXbYcZ"))
        let one = parse("flow.send.goodput >= 1Gbps")!
        #expect(!one.isPattern && one.matches(entity: "send") && !one.matches(entity: "sender"))
    }

    // MARK: Judging

    @Test func anUpperLimitHoldsWhenTheUpperBoundMeetsIt() {
        // 70…74 percent: mean 72, s = √2.5 = 1.5811388, half-width t(0.975, 4) · s / √5 = 1.9632432; upper bound
        // 73.9632432 ≤ 80: holds, margin (80 − 73.9632432) / 80 = 0.0754595.
        let slo = parse("host.root_cpu_utilization <= 80%")!
        let j = slo.judge(values: [70, 72, 74, 71, 73], unit: "percent", level: 0.95)
        #expect(j.holds && j.reason == nil)
        #expect(abs(j.bound - 73.9632432) < 1e-6 && j.limit == 80)
        #expect(abs(j.margin - 0.0754595) < 1e-6)
        #expect(j.summary.count == 5 && abs(j.summary.mean - 72) < 1e-12)
        // The mean 72 meets 73 %, the upper bound does not: not shown to hold.
        let tight = parse("host.root_cpu_utilization <= 73%")!.judge(values: [70, 72, 74, 71, 73], unit: "percent", level: 0.95)
        #expect(!tight.holds && tight.margin < 0)
        #expect(tight.reason?.contains("upper bound of the 95% confidence interval, 73.9632 percent") == true)
        #expect(tight.reason?.contains("the mean, 72, does") == true)
    }

    @Test func aLowerLimitHoldsWhenTheLowerBoundMeetsIt() {
        // 9.0…9.4 Gbps: mean 9.2, s = 0.1581139, half-width 0.1963243; lower bound 9.0036757 ≥ 9: holds, margin
        // (9.0036757 − 9) / 9 = 0.000408; against 9.1 Gb/s it does not.
        let values = [9.0, 9.2, 9.4, 9.1, 9.3]
        let j = parse("flow.send.goodput >= 9Gbps")!.judge(values: values, unit: "Gbps", level: 0.95)
        #expect(j.holds && abs(j.bound - 9.0036757) < 1e-6 && abs(j.limit - 9) < 1e-12)
        #expect(abs(j.margin - 0.0036757 / 9) < 1e-6)
        let k = parse("flow.send.goodput > 9.1Gbps")!.judge(values: values, unit: "Gbps", level: 0.95)
        #expect(!k.holds && k.reason?.contains("lower bound") == true)
    }

    @Test func unitsConvertBetweenTheLimitAndTheMetric() {
        // 900, 950, 1000 us: mean 950, s = 50, half-width t(0.975, 2) · 50 / √3 = 124.206; upper 1074.2069 us > 1 ms.
        let slo = parse("flow.*.latency_p99 <= 1ms")!
        let j = slo.judge(values: [900, 950, 1000], unit: "us", level: 0.95)
        #expect(!j.holds && abs(j.bound - 1074.2069) < 1e-4 && abs(j.limit - 1000) < 1e-9)
        // Equal samples at the limit: the bound is the limit, which `<=` accepts and `<` does not.
        #expect(slo.judge(values: [1000, 1000], unit: "us", level: 0.95).holds)
        #expect(!parse("flow.*.latency_p99 < 1ms")!.judge(values: [1000, 1000], unit: "us", level: 0.95).holds)
        // At 80 % confidence the interval is narrower: t(0.9, 2) = 1.885618, half-width 54.43; upper 1004.4 still fails.
        #expect(!slo.judge(values: [900, 950, 1000], unit: "us", level: 0.80).holds)
        #expect(slo.judge(values: [900, 950, 960], unit: "us", level: 0.80).holds)
    }

    @Test func oneReplicationOrNoneNeverHolds() {
        let slo = parse("host.root_cpu_utilization <= 80%")!
        let one = slo.judge(values: [10], unit: "percent", level: 0.95)
        #expect(!one.holds && one.bound == .infinity && one.reason?.contains("one replication") == true)
        let none = slo.judge(values: [], unit: "percent", level: 0.95)
        #expect(!none.holds && none.reason?.contains("no values") == true)
        // A zero limit: the margin is the plain difference.
        let zero = parse("host.drops.detached <= 0")!.judge(values: [0, 0, 0], unit: "packets", level: 0.95)
        #expect(zero.holds && zero.margin == 0)
        // Values in a unit of another dimension than the limit: not judged.
        let wrong = slo.judge(values: [1, 2], unit: "us", level: 0.95)
        #expect(!wrong.holds && wrong.reason?.contains("us") == true)
    }

    @Test func aPatternHoldsWhenEveryMatchingEntityHolds() {
        let slo = parse("flow.web*.latency_p99 <= 1ms")!
        // web1: upper 950 + 4.30265 · 50/√3 = 1074.2 us fails; web2 at 500 us holds; db1 does not match.
        let values = ["web1": [900.0, 950, 1000], "web2": [500.0, 500, 500], "db1": [5000.0, 5000]]
        let v = slo.judge(valuesByEntity: values, unit: "us", level: 0.95)
        #expect(v.judgements.map(\.entity) == ["web1", "web2"])
        #expect(!v.holds && v.worst?.entity == "web1")
        #expect(v.reason?.hasPrefix("flow web1: the upper bound") == true)
        let good = slo.judge(valuesByEntity: ["web2": [500, 500], "web3": [600, 610]], unit: "us", level: 0.95)
        #expect(good.holds && good.reason == nil && good.worst?.entity == "web3")
        // Nothing matches: not a vacuous pass.
        let none = slo.judge(valuesByEntity: ["db1": [1, 1]], unit: "us", level: 0.95)
        #expect(!none.holds && none.reason == "no flow entity matches 'web*'")
    }
}
