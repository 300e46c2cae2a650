import Models
import Testing

@testable import Reports

@Suite struct PlotDataTests {
    @Test func adapterTypesShowHostCyclesPerPacketAndHostCPU() throws {
        // Two synthetic adapters: 1,000 packets at 6,000 root + 1,000 hypervisor cycles, 3,000 packets at 10,000 +
        // 2,000; one emulated adapter. Per type the per-packet figures are total cycles ÷ total packets:
        // synthetic root (6e6 + 30e6) / 4,000 = 9,000, hypervisor (1e6 + 6e6) / 4,000 = 1,750; host CPU cores add up
        // (0.1 + 0.2 = 0.3); goodput sums the flows of the type (1 Gb/s + 0.5 Gb/s = 1,500 Mb/s), each
        // converted from its own unit (the emulated flow's 90 Mb/s is given in Mbps).
        func adapter(_ name: String, packets: Double, root: Double, hyp: Double, cores: Double, exits: Double) -> [Metric] {
            [
                Metric(.adapter, name, "send_packets", packets, "packets"),
                Metric(.adapter, name, "receive_packets", 0, "packets"),
                Metric(.adapter, name, "root_cycles_per_packet", root, "cycles/packet"),
                Metric(.adapter, name, "hypervisor_cycles_per_packet", hyp, "cycles/packet"),
                Metric(.adapter, name, "host_cpu_cores", cores, "cores"),
                Metric(.adapter, name, "vm_exits_per_packet", exits, "exits/packet"),
            ]
        }
        let metrics =
            adapter("a/eth0", packets: 1_000, root: 6_000, hyp: 1_000, cores: 0.1, exits: 1)
            + adapter("b/eth0", packets: 3_000, root: 10_000, hyp: 2_000, cores: 0.2, exits: 0.5)
            + adapter("c/eth0", packets: 500, root: 30_000, hyp: 300, cores: 0.05, exits: 1.3) + [
                Metric(.flow, "fa", "goodput", 1, "Gbps"), Metric(.flow, "fb", "goodput", 0.5, "Gbps"),
                Metric(.flow, "fc", "goodput", 90, "Mbps"), Metric(.flow, "fa", "host_cycles_per_packet", 7_000, "cycles/packet"),
            ]
        let report = plotTestReport(metrics: metrics)
        let types = [
            "a/eth0": "synthetic", "b/eth0": "synthetic", "c/eth0": "emulated", "fa": "synthetic", "fb": "synthetic", "fc": "emulated",
        ]
        let files = Dictionary(uniqueKeysWithValues: PlotData.files(report, adapterTypes: types))
        let rows = try #require(files["adapter_types.dat"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(
            rows[0] == [
                "adapter_type", "goodput_Mbps", "root_cycles_per_packet", "hypervisor_cycles_per_packet", "host_cpu_cores",
                "vm_exits_per_packet",
            ])
        #expect(rows[1].prefix(5) == ["emulated", "90", "30000", "300", "0.05"])
        #expect(rows[2].prefix(4) == ["synthetic", "1500", "9000", "1750"])
        #expect(abs(Double(rows[2][4])! - 0.3) < 1e-12)
        #expect(Double(rows[2][5]) == 0.625)  // (1,000 × 1 + 3,000 × 0.5) / 4,000
        let flows = try #require(files["flows.dat"])
        #expect(flows.hasPrefix("flow adapter_type goodput_Mbps host_cycles_per_packet\n"))
        #expect(flows.contains("fa synthetic 1000 7000\n"))
        #expect(try #require(files["vars.gp"]).contains("types_have_host_cycles = 1"))
    }

    @Test func cpuBarsSayWhatTheySum() throws {
        // Root cores report cpu_utilization, vCPUs guest_cpu_utilization: every core gets its bar. Components report
        // every domain's cycles (all_cpu_cores): the stacked bar is "all", not the host's.
        let metrics = [
            Metric(.core, "core0", "cpu_utilization", 40, "percent"), Metric(.core, "vm1/vcpu0", "guest_cpu_utilization", 26, "percent"),
            Metric(.component, "vsp", "all_cpu_cores", 0.1, "cores"), Metric(.component, "guest_stack", "all_cpu_cores", 0.2, "cores"),
        ]
        let report = plotTestReport(metrics: metrics)
        let files = Dictionary(uniqueKeysWithValues: PlotData.files(report))
        let host = try #require(files["cores_host.dat"]), vcpus = try #require(files["cores_vcpu.dat"])
        #expect(host.contains("core0") && host.contains(" 40"), "\(host)")
        #expect(vcpus.contains("vm1_vcpu0") && vcpus.contains(" 26"), "\(vcpus)")  // a vCPU's bar is its guest_cpu_utilization
        let components = try #require(files["components.dat"])
        #expect(components.contains("vsp") && components.contains("guest_stack"), "\(components)")
        let vars = try #require(files["vars.gp"])
        #expect(vars.contains("CPU, all domains (cores)"), "\(vars)")  // every domain's cycles, and says so
        // The chart's heading says so too: not "host CPU", as the guest's cycles are in the bars.
        #expect(vars.contains("components_heading = \"CPU by component, all domains (root + hypervisor + guest)\"\n"), "\(vars)")
    }

    static func report(series: [TimeSeries], warmup: Double, duration: Double = 0.2, verdicts: [Verdict] = []) -> RunReport {
        plotTestReport(series: series, warmup: warmup, duration: duration, verdicts: verdicts)
    }

    @Test func theWarmupsEndIsAVariableInTheTimeAxisUnit() throws {
        // Sampled every 10 ms from 0, the measured window from 20 ms: the plots mark 20 (ms, as the run is under 2 s).
        let s = TimeSeries(
            kind: .host, entity: "host", metric: "root_cpu_utilization", unit: "percent", interval: 0.01, start: 0, measuredFrom: 0.02,
            values: [90, 50, 40, 40])
        let vars = try #require(Dictionary(uniqueKeysWithValues: PlotData.files(Self.report(series: [s], warmup: 0.02)))["vars.gp"])
        #expect(vars.contains("series_warmup = 1\n") && vars.contains("series_warmup_end = 20\n"), "\(vars)")
        #expect(vars.contains("series_warmup_s = 0.02\n"), "\(vars)")
        // In seconds for a 4 s run: 0.5 s of warm-up is marked at 0.5.
        let long = TimeSeries(
            kind: .host, entity: "host", metric: "root_cpu_utilization", unit: "percent", interval: 1, start: 0, measuredFrom: 0.5,
            values: [90, 50, 40, 40])
        let v4 = try #require(Dictionary(uniqueKeysWithValues: PlotData.files(Self.report(series: [long], warmup: 0.5)))["vars.gp"])
        #expect(v4.contains("series_warmup_end = 0.5\n") && v4.contains("series_time_label = \"simulated time (s)\"\n"), "\(v4)")
        // No warm-up: nothing to mark.
        let none = TimeSeries(
            kind: .host, entity: "host", metric: "root_cpu_utilization", unit: "percent", interval: 0.01, start: 0, values: [1, 2])
        let v0 = try #require(Dictionary(uniqueKeysWithValues: PlotData.files(Self.report(series: [none], warmup: 0)))["vars.gp"])
        #expect(v0.contains("series_warmup = 0\n"), "\(v0)")
    }

    @Test func everyVariableNameFitsGnuplot() throws {
        // gnuplot truncates a variable name past 50 characters (and warns): the series' variables go by number.
        let series = ["hypervisor_cpu_utilization", "root_cpu_utilization", "in_flight_packets"].map {
            TimeSeries(
                kind: .host, entity: "host", metric: $0, unit: "percent", interval: 0.01, start: 0, measuredFrom: 0.01, values: [1, 2])
        }
        let vars = try #require(Dictionary(uniqueKeysWithValues: PlotData.files(Self.report(series: series, warmup: 0.01)))["vars.gp"])
        let names: [String] = vars.split(separator: "\n").map { line in String(line.prefix { $0 != " " }) }
        let long = names.filter { $0.count > 50 }
        #expect(long.isEmpty, "\(long)")
        #expect(vars.contains("series_1_key = \"host_hypervisor_cpu_utilization\"\n"), "\(vars)")
    }

    @Test func inFlightPacketsArePlottedWithTheRunsBacklogVerdict() throws {
        let s = TimeSeries(
            kind: .host, entity: "host", metric: "in_flight_packets", unit: "packets", interval: 0.01, start: 0, measuredFrom: 0.02,
            values: [10, 400, 800, 1200])
        let verdict = Verdict(.notSteadyState, .host, "host", "in-flight packets rose 3× from the window's first half to its second")
        let f = Dictionary(uniqueKeysWithValues: PlotData.files(Self.report(series: [s], warmup: 0.02, verdicts: [verdict])))
        // A count taken at each sample: drawn at the end of its interval (10 ms for the first).
        #expect(f["series_host_in_flight_packets.dat"] == "time_ms host\n10 10\n20 400\n30 800\n40 1200\n")
        let vars = try #require(f["vars.gp"])
        #expect(vars.contains("series_n = 1\n") && vars.contains("series_1_key = \"host_in_flight_packets\"\n"), "\(vars)")
        #expect(vars.contains("series_1_title = \"host packets in flight\"\n"), "\(vars)")
        #expect(vars.contains("series_1_label = \"packets in flight (packets)\"\n"), "\(vars)")
        #expect(vars.contains("series_1_note = \"\(verdict.message)\"\n"), "\(vars)")
    }

    @Test func aNICsReceiveThroughputIsDrawnBesideItsTransmitThroughput() throws {
        // One NIC: one table, transmit then receive, on the same axes, each line with its title.
        func nic(_ name: String, _ metric: String, _ v: [Double]) -> TimeSeries {
            TimeSeries(kind: .nic, entity: name, metric: metric, unit: "Gbps", interval: 0.01, start: 0, measuredFrom: 0.01, values: v)
        }
        let series = [nic("pnic0", "tx_throughput", [1, 2]), nic("pnic0", "rx_throughput", [3, 4])]
        let f = Dictionary(uniqueKeysWithValues: PlotData.files(Self.report(series: series, warmup: 0.01)))
        #expect(f["series_nic_throughput.dat"] == "time_ms pnic0_tx pnic0_rx\n0 1 3\n10 2 4\n")
        #expect(f["series_nic_tx_throughput.dat"] == nil && f["series_nic_rx_throughput.dat"] == nil)
        let vars = try #require(f["vars.gp"])
        #expect(vars.contains("series_n = 1\n") && vars.contains("series_1_key = \"nic_throughput\"\n"), "\(vars)")
        #expect(vars.contains("series_1_columns = 3\n") && vars.contains("series_1_aggregated = 0\n"))
        #expect(vars.contains("series_1_title_2 = \"pnic0 transmit\"\n"), "\(vars)")
        #expect(vars.contains("series_1_title_3 = \"pnic0 receive\"\n"), "\(vars)")
        #expect(vars.contains("series_1_dashes = \"1 2\"\n"), "\(vars)")  // receive dashed: visible where it equals transmit
        #expect(vars.contains("series_1_label = \"throughput (Gb/s)\"\n"), "\(vars)")
        #expect(vars.contains("series_1_title = \"NIC throughput, transmit and receive\"\n"), "\(vars)")
        // Five NICs (10 lines): per direction the spread across the NICs, transmit's columns then receive's.
        var five: [TimeSeries] = []
        for i in 1...5 {
            let x = Double(i)
            five.append(nic("n\(i)", "tx_throughput", [x, x]))
            five.append(nic("n\(i)", "rx_throughput", [10 * x, 10 * x]))
        }
        let g = Dictionary(uniqueKeysWithValues: PlotData.files(Self.report(series: five, warmup: 0.01)))
        let table = try #require(g["series_nic_throughput.dat"])
        #expect(
            table.hasPrefix(
                "time_ms tx_minimum tx_p25 tx_median tx_p75 tx_maximum rx_minimum rx_p25 rx_median rx_p75 rx_maximum\n0 1 2 3 4 5 10 20 30 40 50\n"
            ), "\(table)")
        let gv = try #require(g["vars.gp"])
        #expect(gv.contains("series_1_aggregated = 1\n") && gv.contains("series_1_parts = 2\n"), "\(gv)")
        #expect(gv.contains("series_1_part_title_2 = \"receive\"\n"), "\(gv)")
    }
}

/// Plots a person can read at any size: past a handful of entities the plot inputs hold distributions across
/// them, not a bar or a line each; every category keeps its colour.
@Suite struct PlotDataScalingTests {
    static func report(metrics: [Metric] = [], latencies: [LatencySummary] = [], series: [TimeSeries] = []) -> RunReport {
        plotTestReport(metrics: metrics, latencies: latencies, series: series)
    }

    static func files(_ r: RunReport, types: [String: String] = [:]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: PlotData.files(r, adapterTypes: types))
    }

    /// The data rows of a table: fields split on spaces, without the header.
    static func rows(_ text: String?) -> [[String]] {
        (text ?? "").split(separator: "\n").dropFirst().map { $0.split(separator: " ").map(String.init) }
    }

    @Test func aFewFlowsGetABarEachInTheReportsOrder() throws {
        let metrics = ["b", "a", "c", "d"].enumerated().map { i, f in Metric(.flow, f, "goodput", Double(i + 1), "Gbps") }
        let f = Self.files(Self.report(metrics: metrics), types: ["a": "synthetic", "b": "synthetic", "c": "emulated", "d": "emulated"])
        // Bars in the report's order (b, a, c, d), each in its adapter type's colour.
        let rows = Self.rows(f["flow_goodput.dat"])
        #expect(rows.map { $0[1] } == ["b", "a", "c", "d"])
        #expect(rows.map { $0[2] } == ["1000", "2000", "3000", "4000"])
        #expect(rows[0][3] == String(0x4477aa) && rows[2][3] == String(0xee6677))
        let vars = try #require(f["vars.gp"])
        #expect(vars.contains("flow_goodput_ranked = 0\n"))
        #expect(vars.contains("flow_goodput_categories = \"synthetic emulated\"\n"))
        #expect(vars.contains("flow_goodput_axis = \"goodput (Mb/s)\"\n"))
    }

    @Test func sixtyFourFlowsAreRankedWithTheirSpreadInTheTitle() throws {
        // 128 flows, goodput 1…128 Mb/s given in Mbps, flow fNNN with value NNN: past 16 bars the panel is a
        // ranking, highest first; median of 1…128 = (64 + 65) / 2 = 64.5; lowest f001, highest f128.
        let metrics = (1...128).map { i in Metric(.flow, "f" + String(1000 + i).dropFirst(), "goodput", Double(i), "Mbps") }
        let f = Self.files(Self.report(metrics: metrics))
        let rows = Self.rows(f["flow_goodput.dat"])
        #expect(rows.count == 128)
        #expect(rows.first == ["1", "f128", "128", String(0x666666)])
        #expect(rows.last?.prefix(3) == ["128", "f001", "1"])
        #expect(zip(rows, rows.dropFirst()).allSatisfy { Double($0[2])! >= Double($1[2])! })
        let vars = try #require(f["vars.gp"])
        #expect(vars.contains("flow_goodput_ranked = 1\n"))
        #expect(vars.contains("flow_goodput_title = \"128 flows, ranked by goodput\"\n"), "\(vars)")
        #expect(vars.contains("flow_goodput_subtitle = \"median 64.5 Mb/s · lowest 1 (f001) · highest 128 (f128)\"\n"), "\(vars)")
        #expect(vars.contains("flow_goodput_rank_label = \"flows, ranked by goodput (1 = highest)\"\n"))
    }

    @Test func coresAreSplitIntoHostCoresAndVCPUs() throws {
        // 8 host cores and 64 vCPUs (named VM/vcpuN): 8 bars, and the 64 vCPUs ranked.
        let metrics =
            (0..<8).map { Metric(.core, "core\($0)", "cpu_utilization", 50 + Double($0), "percent") }
            + (1...64).map { Metric(.core, "vm\($0)/vcpu0", "guest_cpu_utilization", Double($0) / 10, "percent") }
        let f = Self.files(Self.report(metrics: metrics))
        #expect(Self.rows(f["cores_host.dat"]).map { $0[1] } == (0..<8).map { "core\($0)" })
        let vcpus = Self.rows(f["cores_vcpu.dat"])
        #expect(vcpus.count == 64 && vcpus[0][1] == "vm64_vcpu0" && vcpus[63][1] == "vm1_vcpu0")
        let vars = try #require(f["vars.gp"])
        #expect(vars.contains("cores_host_ranked = 0\n") && vars.contains("cores_vcpu_ranked = 1\n"))
        // The vCPUs' bars are their guest CPU utilization, and the panel says so; the host cores' their CPU utilization.
        #expect(vars.contains("cores_vcpu_axis = \"guest CPU utilization (%)\"\n"), "\(vars)")
        #expect(vars.contains("cores_vcpu_title = \"64 vCPUs, ranked by guest CPU utilization\"\n"), "\(vars)")
        #expect(vars.contains("cores_host_title = \"CPU utilization, per host core\"\n"), "\(vars)")
        #expect(vars.contains("cores_vcpu_subtitle = \"median 3.25 % · lowest 0.1 (vm1/vcpu0) · highest 6.4 (vm64/vcpu0)\"\n"), "\(vars)")
    }

    @Test func everyComponentKeepsItsOwnColourWhateverElseIsReported() throws {
        // Every component the model declares has a palette entry, and no two share one.
        let components = Array(Set(CostStage.table.map(\.component))).sorted()
        for c in components { #expect(PlotData.palette[c] != nil, "component \(c) has no colour") }
        let colours = components.map(PlotData.colour)
        #expect(Set(colours).count == components.count, "components share colours: \(zip(components, colours).map { "\($0)=\($1)" })")
        #expect(!colours.contains(PlotData.otherColour))
        // The colour follows the component, not its position: 'vsp' is the same with or without others.
        func vspColour(_ names: [String]) throws -> String? {
            let f = Self.files(Self.report(metrics: names.map { Metric(.component, $0, "all_cpu_cores", 0.5, "cores") }))
            return Self.rows(f["components.dat"]).first { $0[1] == "vsp" }?[3]
        }
        let alone = try vspColour(["vsp"])
        #expect(alone == String(PlotData.rgbValue(PlotData.colour("vsp"))))
        #expect(try vspColour(["guest_stack", "checksum", "vsc", "vsp"]) == alone)
    }

    static func latency(_ name: String, p99: Double) -> LatencySummary {
        LatencySummary(
            kind: .flow, entity: name, samples: 100, minimum: 1, mean: p99 / 2, p50: p99 / 2, p90: p99, p99: p99, p999: p99,
            maximum: p99,
            cdf: [CDFPoint(latencyMicroseconds: 1, fraction: 0), CDFPoint(latencyMicroseconds: p99, fraction: 1)])
    }

    @Test func pastEightFlowsTheLatencyCDFsAreTheLowestMedianAndHighestP99() throws {
        // 9 flows, p99 = 10·i µs for flow li: the lowest is l1, the median (the 5th of 9) l5, the highest l9.
        let f = Self.files(Self.report(latencies: (1...9).map { Self.latency("l\($0)", p99: Double($0 * 10)) }))
        let cdf = try #require(f["latency_cdf.dat"])
        #expect(cdf.components(separatedBy: "# ").dropFirst().map { $0.prefix { $0 != "\n" } } == ["l1", "l5", "l9"])
        let vars = try #require(f["vars.gp"])
        #expect(vars.contains("n_latency = 3\n") && vars.contains("n_latency_entities = 9\n"))
        #expect(vars.contains("latency_title_1 = \"l1 (lowest p99)\"\n") && vars.contains("latency_title_3 = \"l9 (highest p99)\"\n"))
        // Every flow's p99 in the panel beside them.
        #expect(Self.rows(f["latency_p99.dat"]).count == 9)
        // Eight flows: every CDF.
        let eight = Self.files(Self.report(latencies: (1...8).map { Self.latency("l\($0)", p99: Double($0)) }))
        #expect(eight["vars.gp"]?.contains("n_latency = 8\n") == true)
    }

    @Test func pastEightEntitiesATimeSeriesIsTheSpreadAcrossThem() throws {
        // 9 flows sampled every 10 ms from 0: flow i has value i at both points. Per time: minimum 1, p25 3,
        // median 5, p75 7, maximum 9 (type 7 quantiles of 1…9); times in ms as the run is under 2 s.
        let series = (1...9).map {
            TimeSeries(
                kind: .flow, entity: "f\($0)", metric: "goodput", unit: "Gbps", interval: 0.01, start: 0, values: [Double($0), Double($0)])
        }
        let f = Self.files(Self.report(series: series))
        let table = try #require(f["series_flow_goodput.dat"])
        #expect(table == "time_ms minimum p25 median p75 maximum\n0 1 3 5 7 9\n10 1 3 5 7 9\n")
        let vars = try #require(f["vars.gp"])
        #expect(vars.contains("series_1_aggregated = 1\n") && vars.contains("series_time_label = \"simulated time (ms)\"\n"))
        #expect(vars.contains("series_1_label = \"goodput (Gb/s)\"\n"))
        // Two flows: a column each.
        let two = Self.files(Self.report(series: Array(series.prefix(2))))
        #expect(two["series_flow_goodput.dat"]?.hasPrefix("time_ms f1 f2\n") == true)
    }
}

/// A report holding only what a plot-data test gives it (a 1 s run without warm-up unless told otherwise).
func plotTestReport(
    metrics: [Metric] = [], latencies: [LatencySummary] = [], series: [TimeSeries] = [], warmup: Double = 0, duration: Double = 1,
    verdicts: [Verdict] = []
) -> RunReport {
    RunReport(
        info: RunInfo(scenario: "s", seed: 1, replication: 0, duration: duration, warmup: warmup, events: 1, fingerprint: "0"),
        metrics: metrics, latencies: latencies, series: series,
        conservation: Conservation(created: 0, delivered: 0, droppedByCause: [:], inFlight: 0, inFlightByStage: [:]), notes: [],
        verdicts: verdicts)
}
