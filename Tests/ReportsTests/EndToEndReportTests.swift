import Foundation
import Models
import SimCore
import Testing

@testable import Reports

/// Reports of real (short) model runs.
@Suite struct EndToEndReportTests {
    let tool = ToolInfo(version: "0.1.0", gitRevision: "test")

    func runQuickstart(seed: UInt64, captureUplink: Bool = false) throws -> RunOutput {
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(5))
        c.seed = seed
        if captureUplink, let nic = c.nics.first, let sw = c.switches.first {
            c.captures = [CapturePort(switch: sw.name, endpoint: .external(nic: nic.name))]
            c.maxCapturedFrames = 200
        }
        return try HostSimulation(config: c).run()
    }

    @Test func sameSeedGivesByteIdenticalSummary() throws {
        let info = ScenarioInfo(name: "quickstart", file: "Scenarios/quickstart.yaml")
        let a = try SummaryDocument(tool: tool, scenario: info, report: runQuickstart(seed: 5).report).json()
        let b = try SummaryDocument(tool: tool, scenario: info, report: runQuickstart(seed: 5).report).json()
        #expect(a == b)
        let dir1 = temporaryDirectory("det1"), dir2 = temporaryDirectory("det2")
        _ = try ReportWriter.write(report: runQuickstart(seed: 5).report, scenario: info, tool: tool, to: dir1)
        _ = try ReportWriter.write(report: runQuickstart(seed: 5).report, scenario: info, tool: tool, to: dir2)
        for f in ["summary.json", "summary.md", "metrics.csv", "timeseries.csv"] {
            let x = try Data(contentsOf: dir1.appendingPathComponent(f)), y = try Data(contentsOf: dir2.appendingPathComponent(f))
            #expect(x == y, "\(f) differs between two runs of the same seed")
        }
    }

    @Test func realRunSummaryLeadsWithThroughputAndOverhead() throws {
        let out = try runQuickstart(seed: 1)
        let doc = SummaryDocument(tool: tool, scenario: ScenarioInfo(name: "quickstart", file: "q.yaml"), report: out.report)
        #expect(doc.headline[MetricCatalog.goodput] ?? 0 > 0)
        #expect(doc.headline[MetricCatalog.rootCPUUtilization] ?? 0 > 0)
        #expect(doc.headline[MetricCatalog.hostCyclesPerPacket] ?? 0 > 0)
        let text = TerminalSummary.render(doc)
        let lines = text.split(separator: "\n")
        #expect(lines.count <= 24 && lines[1].hasPrefix("Throughput") && lines[2].hasPrefix("Host CPU"), "\(text)")
    }

    @Test func capturedFramesRoundTripThroughTshark() throws {
        let out = try runQuickstart(seed: 1, captureUplink: true)
        #expect(!out.captures.isEmpty)
        let dir = temporaryDirectory("capture")
        let w = try ReportWriter.write(
            report: out.report, captures: out.captures, scenario: ScenarioInfo(name: "q", file: "q.yaml"),
            tool: tool, to: dir)
        guard let pcap = w.files.first(where: { $0.hasSuffix(".pcap") }) else {
            Issue.record("no pcap written: \(w.files)")
            return
        }
        #expect(w.document.captures.first?.frames == out.captures.count)
        guard let r = run("tshark", ["-r", dir.appendingPathComponent(pcap).path, "-T", "fields", "-e", "frame.protocols"]) else { return }
        #expect(r.status == 0 && tsharkProblems(r.err).isEmpty, "tshark: \(r.err)")
        let protocols = Set(r.out.split(separator: "\n").map(String.init))
        #expect(protocols.allSatisfy { $0.hasPrefix("eth:ethertype:ip:") }, "\(protocols)")
        #expect(r.out.split(separator: "\n").count == out.captures.count)
    }
}
