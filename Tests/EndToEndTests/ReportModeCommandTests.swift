import Foundation
import Testing

/// `vnetsim run --report brief|full`: the mode is recorded in summary.json; brief (the default) leaves the latency
/// CDF points to latency_cdf.csv, full writes them into summary.json too.
@Suite("run --report")
struct ReportModeCommandTests {
    func summary(_ extra: [String]) throws -> (json: [String: Any], text: String, cdfRows: Int) {
        let out = try CLI.temporaryDirectory(prefix: "vnetsim-report-mode")
        let r = try CLI.run(
            ["run", "Scenarios/quickstart.yaml", "--duration", "20ms", "--warmup", "2ms", "--results", out.path, "--quiet"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        let scenario = out.appendingPathComponent("quickstart")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: scenario.path).first { !$0.hasPrefix(".") })
        let dir = scenario.appendingPathComponent(run)
        let text = try String(contentsOf: dir.appendingPathComponent("summary.json"), encoding: .utf8)
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let cdf = try String(contentsOf: dir.appendingPathComponent("latency_cdf.csv"), encoding: .utf8)
        return (json, text, cdf.split(whereSeparator: \.isNewline).count)
    }

    @Test func briefIsTheDefaultAndFullKeepsTheCDFs() throws {
        let brief = try summary([])
        #expect(brief.json["mode"] as? String == "brief")
        #expect(!brief.text.contains("latencyMicroseconds"))
        let full = try summary(["--report", "full"])
        #expect(full.json["mode"] as? String == "full")
        #expect(full.text.contains("latencyMicroseconds"))
        // latency_cdf.csv is complete either way.
        #expect(brief.cdfRows == full.cdfRows && brief.cdfRows > 100)
    }

    @Test func anUnknownModeIsAUsageError() throws {
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--report", "medium"])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("brief") && r.stderr.contains("full"), "\(r.stderr)")
    }
}
