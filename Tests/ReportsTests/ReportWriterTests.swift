import Foundation
import Models
import Testing

@testable import Reports

@Suite struct ReportWriterTests {
    let tool = ToolInfo(version: "0.1.0", gitRevision: "abc123")
    let scenario = ScenarioInfo(name: "sample", file: "Scenarios/sample.yaml", description: "A sample.", source: "name: sample\n")

    @Test func writesEveryFile() throws {
        let dir = temporaryDirectory("all")
        let w = try ReportWriter.write(report: sampleReport(), scenario: scenario, tool: tool, to: dir)
        for f in [
            "summary.json", "summary.md", "metrics.csv", "conservation.csv", "latency.csv", "latency_cdf.csv", "timeseries.csv",
            "plot-data/vars.gp", "plot-data/flows.dat", "plot-data/latency_cdf.dat",
        ] {
            #expect(w.files.contains(f), "missing \(f)")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path))
        }
        // Atomic writes leave no temporary files behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func summaryJSONIsByteIdenticalAndComplete() throws {
        let a = try SummaryDocument(tool: tool, scenario: scenario, report: sampleReport(), mode: .full).json()
        let b = try SummaryDocument(tool: tool, scenario: scenario, report: sampleReport(), mode: .full).json()
        #expect(a == b)
        let c = try SummaryDocument(tool: tool, scenario: scenario, report: sampleReport(seed: 2), mode: .full).json()
        #expect(a != c)
        let decoded = try SummaryDocument.decode(json: a)
        #expect(decoded.report == sampleReport())
        #expect(decoded.mode == .full && a.contains("\"mode\" : \"full\""))
        #expect(decoded.scenario == scenario)
        #expect(decoded.tool == tool)
        // Keys are sorted (so the bytes do not depend on dictionary order) and the scenario text is included.
        #expect(a.range(of: "\"droppedByCause\" : {\n        \"detached\" : 20,\n        \"ring_full\" : 60") != nil)
        #expect(a.contains("\"source\" : \"name: sample\\n\""))
        #expect(a.hasSuffix("}\n"))
    }

    @Test func headlineFromTidyRows() {
        let h = Headline(sampleReport())
        // Host-level metrics win over the sum of flows: 2.05 Gb/s, not 1.98 + 0.095.
        #expect(h[MetricCatalog.goodput] == 2.05)
        #expect(h[MetricCatalog.rootCPUUtilization] == 34.2)
        #expect(h[MetricCatalog.hostCyclesPerPacket] == 8120.5)
        #expect(h.worstLatency?.p99Microseconds == 31.5)
        #expect(h.dropped == 80)
        // Without host rows, flow rates are summed in the spec's unit: 1.98 Gb/s + 95 Mb/s = 2.075 Gb/s.
        var r = sampleReport()
        r.metrics.removeAll { $0.kind == .host }
        let g = Headline(r)[MetricCatalog.goodput] ?? 0
        #expect(abs(g - 2.075) < 1e-9)
        #expect(Headline(r)[MetricCatalog.rootCPUUtilization] == nil)
        #expect(abs((Headline(r)[MetricCatalog.flowDeliveredPacketsPerSecond] ?? 0) - 177_100) < 1e-6)
    }

    @Test func markdownHasTheSections() {
        let md = MarkdownReport.render(SummaryDocument(tool: tool, scenario: scenario, report: sampleReport()))
        for s in [
            "# sample — results", "## Headline", "## Throughput by flow", "## Latency", "## Drops by cause", "## Host overhead",
            "## CPU by component", "## CPU by core", "## Adapters: host CPU, signals, interrupts and exits", "## Time series", "## Notes",
            "| ring_full", "2.05 Gbps", "34.2 %", "Conservation: created 40000 = delivered 39900 + dropped 80 + in flight 20 — holds.",
        ] {
            #expect(md.contains(s), "summary.md lacks \(s)")
        }
        // A '|' inside a name is escaped so the table keeps its columns.
        var r = sampleReport()
        r.metrics.append(Metric(.vm, "a|b", "x", 1, ""))
        #expect(MarkdownReport.render(SummaryDocument(tool: tool, scenario: scenario, report: r)).contains("a\\|b"))
    }

    @Test func terminalSummaryFitsOnOneScreen() {
        var r = sampleReport()
        for i in 0..<40 { r.metrics.append(Metric(.flow, "extra\(i)", "goodput", Double(i) / 1000, "Gbps")) }
        let full = TerminalSummary.render(SummaryDocument(tool: tool, scenario: scenario, report: r, mode: .full))
        #expect(full.contains("42 flows") && full.contains("… 34 more flows in summary.md"), "\(full)")
        // Brief: summary.md keeps the 3 highest and 2 lowest flows by goodput (send, legacy, extra39; extra1, extra0),
        // the worst latency's (send) among them: 42 − 5 are only in metrics.csv.
        let text = TerminalSummary.render(SummaryDocument(tool: tool, scenario: scenario, report: r), resultsPath: "Results/sample/x")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count <= 24, "\(lines.count) lines:\n\(text)")
        #expect(lines.allSatisfy { $0.count <= 100 })
        // It leads with throughput and host overhead.
        #expect(lines[1].hasPrefix("Throughput") && lines[1].contains("2.05 Gbps"))
        // Each CPU figure says its own denominator.
        #expect(
            lines[2] == "Host CPU     root 34.2 % of 2 root cores · hypervisor 5.1 % of 8 cores · guest 20 % of 4 vCPUs", "\(lines[2])")
        #expect(lines[3] == "Cycles/pkt   host 8121 (root + hypervisor)", "\(lines[3])")
        #expect(text.contains("42 flows") && text.contains("… 37 more flows in metrics.csv"), "\(text)")
    }

    @Test func theRunIDNamesTheFolder() throws {
        let root = temporaryDirectory("runs")
        let a = try ReportWriter.makeRunDirectory(root: root, scenario: "q", runID: "seed1-r0-0123456789abcdef")
        #expect(a.final.path == root.path + "/q/seed1-r0-0123456789abcdef")
        #expect(a.partial.path == root.path + "/q/seed1-r0-0123456789abcdef.partial")
        #expect(a.aside.path == root.path + "/q/.seed1-r0-0123456789abcdef.replaced")
        #expect(FileManager.default.fileExists(atPath: a.partial.path) && !FileManager.default.fileExists(atPath: a.final.path))
        // The same id again is the same folder (deterministic ids: the same inputs ran again).
        let b = try ReportWriter.makeRunDirectory(root: root, scenario: "q", runID: "seed1-r0-0123456789abcdef")
        #expect(b.partial.path == a.partial.path && b.final.path == a.final.path)
        // A scenario name is made safe for a folder name, never hidden.
        let c = try ReportWriter.makeRunDirectory(root: root, scenario: "../.x y", runID: "seed2-r3-0000000000000001")
        #expect(c.final.deletingLastPathComponent().deletingLastPathComponent().path == root.path)
        #expect(!c.final.deletingLastPathComponent().lastPathComponent.hasPrefix("."))
    }

    @Test func progressLine() {
        #expect(
            ProgressLine.render(simulated: 0.5, duration: 2, events: 3_000_000, wall: 2)
                == "  simulated 500 ms of 2 s · 25.0 % · 1.5 M events/s · ETA 0:06")
        #expect(ProgressLine.clock(3725) == "1:02:05")
        var p = ProgressLine(minimumInterval: 1)
        #expect(p.update(simulated: 0, duration: 1, events: 0, wall: 0) != nil)
        #expect(p.update(simulated: 0, duration: 1, events: 0, wall: 0.5) == nil)
        #expect(p.update(simulated: 1, duration: 1, events: 0, wall: 0.6, force: true) != nil)
    }

    @Test(.enabled(if: gnuplotAvailable, "needs gnuplot (apt-get install gnuplot-nox, or scripts/setup)"))
    func plotsWithGnuplot() throws {
        let dir = temporaryDirectory("plots")
        _ = try ReportWriter.write(report: sampleReport(), scenario: scenario, tool: tool, to: dir)
        let script = repositoryRoot.appendingPathComponent("scripts/plot").path
        let r = run("bash", [script, dir.path])
        #expect(r?.status == 0, "scripts/plot failed: \(r?.err ?? "")")
        for png in [
            "throughput.png", "adapter_types.png", "cpu_components.png", "cpu_cores.png", "latency_cdf.png",
            "series_flow_goodput.png", "series_core_cpu_utilization.png",
        ] {
            let size = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(png).path)[.size] as? Int) ?? 0
            #expect(size > 1000, "\(png) missing or empty; stderr: \(r?.err ?? "")")
        }
        #expect(r?.err.isEmpty ?? false, "gnuplot warned: \(r?.err ?? "")")
    }
}

@Suite struct EmptyReportTests {
    /// A run that measured nothing still produces every file, and the plot script copes.
    @Test func emptyReport() throws {
        let r = RunReport(
            info: RunInfo(scenario: "empty", seed: 1, replication: 0, duration: 0.01, warmup: 0.001, events: 0, fingerprint: "0"),
            metrics: [], latencies: [],
            series: [
                TimeSeries(
                    kind: .host, entity: "host", metric: "root_cpu_utilization", unit: "percent", interval: 0.01, start: 0, values: []),
                TimeSeries(kind: .nic, entity: "pnic0", metric: "tx_throughput", unit: "Gbps", interval: 0.01, start: 0, values: [1]),
            ],
            conservation: Conservation(created: 0, delivered: 0, droppedByCause: [:], inFlight: 0, inFlightByStage: [:]), notes: [])
        let dir = temporaryDirectory("empty")
        let w = try ReportWriter.write(
            report: r, scenario: ScenarioInfo(name: "empty", file: "e.yaml"), tool: ToolInfo(version: "0", gitRevision: "0"), to: dir)
        #expect(w.files.contains("summary.md") && w.files.contains("metrics.csv"))
        let text = TerminalSummary.render(w.document)
        #expect(text.contains("Throughput   –"))
        guard run("gnuplot", ["--version"]) != nil else { return }
        let p = run("bash", [repositoryRoot.appendingPathComponent("scripts/plot").path, dir.path])
        #expect(p?.status == 0 && (p?.err.isEmpty ?? false), "\(p?.err ?? "")")
    }
}

/// `--report brief|full`: brief (the default) cuts what summary.md and summary.json hold to a person's size; full
/// keeps everything; the CSVs hold everything in both.
@Suite struct ReportModeTests {
    let tool = ToolInfo(version: "test", gitRevision: "unknown")
    let scenario = ScenarioInfo(name: "wide", file: "wide.yaml")

    /// 64 VMs, each with a flow to it: VM i's guest CPU is i %, flow i's goodput i/10 Gb/s and p99 latency 100 − i µs.
    func wideReport() -> RunReport {
        var r = sampleReport()
        r.metrics.removeAll { $0.kind == .flow }
        r.latencies = []
        let cdf = (0...100).map { CDFPoint(latencyMicroseconds: Double($0), fraction: Double($0) / 100) }
        for i in 0..<64 {
            r.metrics.append(Metric(.vm, "vm\(i)", "guest_cpu_utilization", Double(i), "percent"))
            r.metrics.append(Metric(.vm, "vm\(i)", "tx_packets", Double(1000 + i), "packets"))
            r.metrics.append(Metric(.flow, "f\(i)", "goodput", Double(i) / 10, "Gbps"))
            r.latencies.append(
                LatencySummary(
                    kind: .flow, entity: "f\(i)", samples: 100, minimum: 1, mean: 50, p50: 50, p90: 90, p99: 100 - Double(i), p999: 100,
                    maximum: 100, cdf: cdf))
        }
        return r
    }

    @Test func briefKeepsTheExtremesAndTheDistributionOfEveryMetric() throws {
        let doc = SummaryDocument(tool: tool, scenario: scenario, report: wideReport())
        #expect(doc.mode == .brief)
        // VMs by guest CPU: the 3 highest (63, 62, 61) and the 2 lowest (1, 0).
        let vms = Set(doc.report.metrics.filter { $0.kind == .vm }.map(\.entity))
        #expect(vms == ["vm63", "vm62", "vm61", "vm1", "vm0"])
        // Flows by goodput, and f0 has the worst p99 (100 µs): f63, f62, f61, f1, f0.
        #expect(Set(doc.report.latencies.map(\.entity)) == ["f63", "f62", "f61", "f1", "f0"])
        #expect(doc.report.latencies.allSatisfy { $0.cdf.isEmpty })
        let cpu = try #require(doc.distributions.first { $0.kind == .vm && $0.metric == "guest_cpu_utilization" })
        // min 0, lower median of 0…63 is 31, max 63.
        #expect(cpu.entities == 64 && cpu.minimum == 0 && cpu.median == 31 && cpu.maximum == 63)
        #expect(cpu.minimumEntity == "vm0" && cpu.maximumEntity == "vm63")
        let p99 = try #require(doc.distributions.first { $0.kind == .flow && $0.metric == "latency_p99" })
        #expect(p99.minimum == 37 && p99.maximum == 100 && p99.maximumEntity == "f0")
        #expect(doc.entityCount(.vm) == 64 && doc.entityCount(.flow) == 64)
        // The headline comes from the whole report: its host row, and the worst p99 of all 64 flows (f0, cut or not).
        #expect(doc.headline[MetricCatalog.goodput] == 2.05)
        #expect(doc.headline.worstLatency?.entity == "f0")
        let json = try doc.json()
        #expect(json.contains("\"mode\" : \"brief\"") && !json.contains("latencyMicroseconds"))
        let md = MarkdownReport.render(doc)
        #expect(md.contains("64 vm entities: the highest and lowest by `guest_cpu_utilization`"), "\(md)")
        #expect(md.contains("| guest_cpu_utilization | percent |    0 |     31 |   63 | vm0    | vm63    |"), "\(md)")
        // The kept VMs, highest first.
        #expect(md.contains("| vm63 |                              63 |                 1063 |\n| vm62 |"), "\(md)")
        #expect(!md.contains("vm30"))
    }

    @Test func fullKeepsEverything() throws {
        let r = wideReport()
        let doc = SummaryDocument(tool: tool, scenario: scenario, report: r, mode: .full)
        #expect(doc.report == r && doc.distributions.isEmpty)
        #expect(try SummaryDocument.decode(json: doc.json()) == doc)
        #expect(MarkdownReport.render(doc).contains("vm30"))
    }

    @Test func theCSVsHoldEverythingInBothModes() throws {
        let r = wideReport()
        for mode in ReportMode.allCases {
            let dir = temporaryDirectory("mode-\(mode)")
            _ = try ReportWriter.write(report: r, scenario: scenario, tool: tool, mode: mode, to: dir)
            let cdf = try String(contentsOf: dir.appendingPathComponent("latency_cdf.csv"), encoding: .utf8)
            #expect(cdf.split(whereSeparator: \.isNewline).count == 1 + 64 * 101)
            let metrics = try String(contentsOf: dir.appendingPathComponent("metrics.csv"), encoding: .utf8)
            #expect(metrics.split(whereSeparator: \.isNewline).count == 1 + r.metrics.count)
            let json = try String(contentsOf: dir.appendingPathComponent("summary.json"), encoding: .utf8)
            #expect(try SummaryDocument.decode(json: json).mode == mode)
        }
    }

    /// The 64-VM reference's golden results (the default, brief): sized for a person.
    @Test func theReferenceSummaryIsSizedForAPerson() throws {
        let dir = repositoryRoot.appendingPathComponent("Tests/Golden/Scenarios/reference-64vm")
        let md = try Data(contentsOf: dir.appendingPathComponent("summary.md")).count
        let json = try Data(contentsOf: dir.appendingPathComponent("summary.json")).count
        // 45.6 kB since issue 12 added each adapter's completions and each flow's socket and TCP rows to the cut
        // sections' distributions (39.5 kB before).
        #expect(md < 50_000, "summary.md is \(md) bytes")
        #expect(json < 300_000, "summary.json is \(json) bytes")
        // latency_cdf.csv has every entity latency.csv has.
        func entities(_ f: String) throws -> Set<String> {
            let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            return Set(text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",")[3...4].joined(separator: ",") })
        }
        #expect(try entities("latency_cdf.csv") == entities("latency.csv"))
    }
}
