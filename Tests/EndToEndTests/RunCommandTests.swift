import Foundation
import Testing

@Suite("run, validate and bench scenario")
struct RunCommandTests {
    func temporaryDirectory() throws -> URL { try CLI.temporaryDirectory(prefix: "vnetsim-e2e") }

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

    /// Every file under `dir` (relative path → bytes).
    func contents(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for case let name as String in FileManager.default.enumerator(atPath: dir.path) ?? FileManager.DirectoryEnumerator() {
            var isDirectory: ObjCBool = false
            let url = dir.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = try Data(contentsOf: url)
            }
        }
        return out
    }

    @Test func runWritesReportsAndTheSameSeedGivesTheSameBytes() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let args = ["run", "Scenarios/quickstart.yaml", "--duration", "20ms", "--warmup", "2ms", "--results", out.path]
        let first = try CLI.run(args + ["--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let dir = URL(fileURLWithPath: first.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        // The folder is named by the run's inputs: seed, replication, hash.
        let id = dir.lastPathComponent
        #expect(dir.deletingLastPathComponent().lastPathComponent == "quickstart")
        #expect(id.hasPrefix("seed1-r0-") && id.count == "seed1-r0-".count + 16, "\(id)")
        #expect(id.dropFirst("seed1-r0-".count).allSatisfy { $0.isHexDigit && !$0.isUppercase }, "\(id)")
        for name in ["summary.md", "summary.json", "run.csv", "metrics.csv", "conservation.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "missing \(name)")
        }
        // No temporary files left behind by the atomic writes.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
        // The first run's files, copied aside before the second run replaces them.
        let before = try contents(dir)
        #expect(before["summary.json"] != nil && before["plot-data/vars.gp"] != nil, "\(before.keys.sorted())")

        // The same inputs again: the same id, so the same folder, replaced, with a note.
        let second = try CLI.run(args)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("note: replaced the earlier results of the same run (\(id))"), "\(second.stderr)")
        #expect(second.stdout.contains("/quickstart/seed1-r0-"), "\(second.stdout)")  // the summary's (shortened) path
        // Every file, not just summary.json: two processes (so two different hash seeds for any
        // Dictionary iteration that might leak into output) must write the same bytes.
        let after = try contents(dir)
        #expect(after.keys.sorted() == before.keys.sorted())
        for (name, bytes) in before.sorted(by: { $0.key < $1.key }) {
            #expect(after[name] == bytes, "\(name) differs between two runs of the same scenario and seed")
        }
        // One folder: no partial folder, no aside folder of the replaced run.
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
        #expect(runs == [id], "\(runs)")
        // A complete run says so, with its id.
        let csv = try String(contentsOf: dir.appendingPathComponent("run.csv"), encoding: .utf8)
        #expect(
            csv
                == "scenario,seed,replication,run_id,status,simulated_s,requested_s,stop_cause,error\r\nquickstart,1,0,\(id),complete,0.02,0.02,,\r\n"
        )
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("summary.json"))) as? [String: Any]
        #expect((doc?["run"] as? [String: Any])?["id"] as? String == id)
    }

    @Test func anyInputChangeGivesAnotherFolder() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let base = ["run", "Scenarios/quickstart.yaml", "--warmup", "500us", "--results", out.path, "--quiet"]
        var ids: [String] = []
        for extra in [
            ["--duration", "5ms"], ["--duration", "6ms"], ["--duration", "5ms", "--seed", "2"],
            ["--duration", "5ms", "--set", "replications=2", "--replication", "1"], ["--duration", "5ms", "--pcap", "vm1"],
        ] {
            let r = try CLI.run(base + extra)
            #expect(r.status == 0, "\(extra): \(r.stderr)")
            #expect(!r.stderr.contains("replaced"), "\(extra): \(r.stderr)")
            ids.append(URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).lastPathComponent)
        }
        #expect(Set(ids).count == ids.count, "\(ids)")
        #expect(ids[2].hasPrefix("seed2-r0-") && ids[3].hasPrefix("seed1-r1-"), "\(ids)")
        // "--seed 1" is the scenario's own seed: the same run as no --seed.
        let same = try CLI.run(base + ["--duration", "5ms", "--seed", "1"])
        #expect(URL(fileURLWithPath: same.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).lastPathComponent == ids[0])
    }

    @Test func runPrintsTheSummaryLeadingWithThroughputAndHostCPU() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["run", "--duration", "20ms", "--warmup", "2ms", "--results", out.path])  // the default scenario
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= 24)
        #expect(lines.count > 2 && lines[1].hasPrefix("Throughput"))
        #expect(lines.count > 3 && lines[2].hasPrefix("Host CPU"))
        #expect(r.stdout.contains("Conservation holds"))
        #expect(r.stdout.contains("Status       complete: 20 ms simulated"), "\(r.stdout)")
    }

    @Test func benchScenarioPrintsOneLine() throws {
        let r = try CLI.run(["bench", "scenario", "Scenarios/quickstart.yaml", "--duration", "10ms", "--warmup", "1ms"])
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
        // The same loading as run (Studies, through the shared RunOptions): the same errors and exit codes.
        let missing = try CLI.run(["bench", "scenario", "Scenarios/no-such-scenario.yaml"])
        #expect(missing.status == 65 && missing.stderr.contains("Scenarios/no-such-scenario.yaml:1:1: error: no such file"))
        let port = try CLI.run([
            "bench", "scenario", "Scenarios/quickstart.yaml", "--duration", "1ms", "--warmup", "100us", "--pcap", "no-such-vm",
        ])
        #expect(port.status == 64 && port.stderr.contains("--pcap no-such-vm:"), "\(port.stderr)")
    }
}
