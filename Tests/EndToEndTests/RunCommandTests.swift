import Foundation
import Testing

@Suite("run, validate and bench scenario")
struct RunCommandTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vnetsim-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func validateAcceptsEveryShippedScenario() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("Scenarios").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "Scenarios/" + $0 }
        #expect(files.count >= 4)
        let r = try CLI.run(["validate"] + files)
        #expect(r.status == 0, "\(r.stderr)")
        for f in files { #expect(r.stdout.contains("\(f): ok")) }
    }

    @Test func validateReportsFileLineColumnAndFails() throws {
        let dir = try temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.yaml")
        try """
        name: bad
        duration: 2 parsecs
        vms:
          - name: a
            vcpu: 2
        """.write(to: bad, atomically: true, encoding: .utf8)
        let r = try CLI.run(["validate", bad.path])
        #expect(r.status == 65)
        // Every problem at once, each with its place and a fix.
        #expect(r.stderr.contains("\(bad.path):2:11: error:"), "\(r.stderr)")
        #expect(r.stderr.contains("\(bad.path):5:5: error:"), "\(r.stderr)")
        #expect(r.stderr.contains("vcpus"), "no did-you-mean in: \(r.stderr)")
    }

    @Test func runOfAMissingFileIsADataError() throws {
        let r = try CLI.run(["run", "Scenarios/no-such-scenario.yaml"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("Scenarios/no-such-scenario.yaml:1:1: error: no such file"))
    }

    @Test func runWritesReportsAndTheSameSeedGivesTheSameBytes() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        var dirs: [URL] = []
        for _ in 0..<2 {
            let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--duration", "20ms", "--results", out.path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            dirs.append(URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        #expect(dirs[0] != dirs[1])  // a new run directory each time, nothing overwritten
        for name in ["summary.md", "summary.json", "run.csv", "metrics.csv", "conservation.csv"] {
            #expect(FileManager.default.fileExists(atPath: dirs[0].appendingPathComponent(name).path), "missing \(name)")
        }
        // Every file, not just summary.json: two processes (so two different hash seeds for any
        // Dictionary iteration that might leak into output) must write the same bytes.
        let files = try FileManager.default.contentsOfDirectory(atPath: dirs[0].path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(files.contains("summary.json"))
        let plotFiles = try FileManager.default.contentsOfDirectory(atPath: dirs[0].appendingPathComponent("plot-data").path)
            .sorted().map { "plot-data/" + $0 }
        for name in files.filter({ $0 != "plot-data" }) + plotFiles {
            let a = try Data(contentsOf: dirs[0].appendingPathComponent(name))
            let b = try Data(contentsOf: dirs[1].appendingPathComponent(name))
            #expect(a == b, "\(name) differs between two runs of the same scenario and seed")
        }
        // No temporary files left behind by the atomic writes, no partial folder.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dirs[0].path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
        let runs = try FileManager.default.contentsOfDirectory(atPath: dirs[0].deletingLastPathComponent().path)
        #expect(runs.count == 2 && !runs.contains { $0.hasSuffix(".partial") }, "\(runs)")
        // A complete run says so.
        let csv = try String(contentsOf: dirs[0].appendingPathComponent("run.csv"), encoding: .utf8)
        #expect(
            csv == "scenario,seed,replication,status,simulated_s,requested_s,stop_cause,error\r\nquickstart,1,0,complete,0.02,0.02,,\r\n")
    }

    @Test func runPrintsTheSummaryLeadingWithThroughputAndHostCPU() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["run", "--duration", "20ms", "--results", out.path])  // the default scenario
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= 24)
        #expect(lines.count > 2 && lines[1].hasPrefix("Throughput"))
        #expect(lines.count > 3 && lines[2].hasPrefix("Host CPU"))
        #expect(r.stdout.contains("Conservation holds"))
        #expect(r.stdout.contains("Status       complete: 20 ms simulated"), "\(r.stdout)")
    }

    @Test func benchScenarioPrintsOneLine() throws {
        let r = try CLI.run(["bench", "scenario", "Scenarios/quickstart.yaml", "--duration", "10ms"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let fields = Dictionary(
            uniqueKeysWithValues: lines[0].split(separator: " ").dropFirst().compactMap { kv -> (String, String)? in
                let p = kv.split(separator: "=", maxSplits: 1)
                return p.count == 2 ? (String(p[0]), String(p[1])) : nil
            })
        #expect(lines[0].hasPrefix("bench scenario=quickstart "))
        for key in ["packets", "events", "wall_s", "packets_per_s", "events_per_packet", "peak_rss_mib"] {
            #expect(fields[key] != nil, "missing \(key) in \(lines[0])")
        }
        #expect((Int(fields["packets"] ?? "0") ?? 0) > 0)
    }
}
