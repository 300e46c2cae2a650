import Foundation
import Testing

/// `vnetsim sweep`, `compare`, `plan` and `merge` as a user runs them: tables identical whatever --jobs, resume after
/// kill -9, shards merged into the whole, failures recorded, common random numbers, the planner against brute force.
@Suite(.serialized) struct StudyCommandTests {
    /// The tables a study's result must not change: every one but the logs and the database file itself.
    static let tables = ["points.csv", "runs.csv", "metrics.csv", "study.json", "summary.md"]

    func folder() throws -> URL { try CLI.temporaryDirectory(prefix: "vnetsim-study") }

    /// A small sweep of the quickstart: 2 points × 2 replications of 10 ms.
    func sweep(_ out: URL, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.run(
            [
                "sweep", "Scenarios/quickstart.yaml", "--sweep", "flows.send.rate=1Gbps,2Gbps", "--replications", "2", "--duration", "10ms",
                "--warmup", "1ms", "--out", out.path, "--quiet",
            ] + extra)
    }

    func read(_ dir: URL, _ name: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) }

    func expectSameTables(_ a: URL, _ b: URL, _ names: [String] = tables, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for n in names {
            #expect(
                try read(a, n) == read(b, n), "\(n) differs between \(a.lastPathComponent) and \(b.lastPathComponent)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func tablesDoNotDependOnJobs() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let one = root.appendingPathComponent("one"), two = root.appendingPathComponent("two")
        let r1 = try sweep(one, ["--jobs", "1"])
        #expect(r1.status == 0, "\(r1.stderr)")
        let r2 = try sweep(two, ["--jobs", "2"])
        #expect(r2.status == 0, "\(r2.stderr)")
        try expectSameTables(one, two)
        // 2 points × 2 replications, every metric of every point: the goodput row of each point says 2 replications.
        let points = try read(one, "points.csv")
        #expect(points.split(separator: "\r\n").filter { $0.contains(",host,host,goodput,") && $0.contains(",2,") }.count == 2)
        let runs = try read(one, "runs.csv").split(separator: "\r\n")
        #expect(runs.count == 5, "a header and 4 runs: \(runs)")
        #expect(runs.dropFirst().allSatisfy { $0.contains(",complete,") })
    }

    @Test func aStudyFolderIsNotRunTwiceWithoutResume() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try sweep(out).status == 0)
        let again = try sweep(out)
        #expect(again.status == 64)
        #expect(again.stderr.contains("--resume"), "\(again.stderr)")
        let resumed = try sweep(out, ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
    }

    @Test func resumeAfterKill9CompletesTheStudyWithTheSameTables() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let whole = root.appendingPathComponent("whole"), killed = root.appendingPathComponent("killed")
        let args = [
            "sweep", "Scenarios/quickstart.yaml", "--sweep", "flows.send.rate=1Gbps,2Gbps,3Gbps", "--replications", "2", "--duration",
            "40ms", "--warmup", "4ms", "--jobs", "1", "--quiet",
        ]
        #expect(try CLI.run(args + ["--out", whole.path]).status == 0)
        // Kill the study once its second run has started (the first is recorded), while that run is simulating.
        let running = try CLI.start(args + ["--out", killed.path])
        let started = killed.appendingPathComponent("logs/1.stderr")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: started.path) && Date() < deadline { usleep(5_000) }
        running.send(SIGKILL)
        let dead = running.wait()
        #expect(dead.status == SIGKILL || dead.status == 9 || dead.status != 0)
        // The orphaned run notices and stops; give it a moment, then resume.
        usleep(300_000)
        let resumed = try CLI.run(args + ["--out", killed.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try expectSameTables(whole, killed)
        // Nothing twice: one row per run.
        let runs = try read(killed, "runs.csv").split(separator: "\r\n").dropFirst()
        #expect(runs.count == 6)
        #expect(Set(runs.map { $0.split(separator: ",")[0] }).count == 6)
    }

    @Test func sigtermStopsTheStudyAndResumeCompletesIt() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let whole = root.appendingPathComponent("whole"), stopped = root.appendingPathComponent("stopped")
        let args = [
            "sweep", "Scenarios/quickstart.yaml", "--sweep", "flows.send.rate=1Gbps,2Gbps", "--replications", "2", "--duration", "40ms",
            "--warmup", "4ms", "--jobs", "1", "--quiet",
        ]
        #expect(try CLI.run(args + ["--out", whole.path]).status == 0)
        let running = try CLI.start(args + ["--out", stopped.path])
        let started = stopped.appendingPathComponent("logs/1.stderr")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: started.path) && Date() < deadline { usleep(5_000) }
        running.send(SIGTERM)
        let r = running.wait()
        // 143 = 128 + SIGTERM; what was done is written, marked partial.
        #expect(r.status == 143, "\(r.stderr)")
        let json = try read(stopped, "study.json")
        #expect(json.contains("\"status\": \"partial\""), "\(json)")
        let resumed = try CLI.run(args + ["--out", stopped.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try expectSameTables(whole, stopped)
    }

    @Test func shardsMergeIntoTheWholeStudy() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let whole = root.appendingPathComponent("whole")
        #expect(try sweep(whole).status == 0)
        var shards: [String] = []
        for k in 1...3 {
            let s = root.appendingPathComponent("s.shard-\(k)-of-3")
            let r = try sweep(s, ["--shard", "\(k)/3"])
            #expect(r.status == 0, "\(r.stderr)")
            shards.append(s.path)
        }
        // Two shards are not the whole study: merged, it says partial and exits 1.
        let partial = try CLI.run(["merge", "--out", root.appendingPathComponent("partial").path, "--quiet"] + shards.prefix(2))
        #expect(partial.status == 1, "\(partial.stderr)")
        let merged = try CLI.run(["merge", "--quiet"] + shards)
        #expect(merged.status == 0, "\(merged.stderr)")
        let target = URL(fileURLWithPath: merged.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(target.lastPathComponent == "s")
        try expectSameTables(whole, target)
    }

    @Test func aFailingPointIsRecordedAndTheOthersGoOn() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(at: out) }
        // 99 vCPUs is beyond what a VM may have: that point's runs refuse their input; the other point completes.
        let r = try CLI.run([
            "sweep", "Scenarios/quickstart.yaml", "--sweep", "vms.vm[1-2].vcpus=2,99", "--duration", "10ms", "--warmup", "1ms", "--out",
            out.path,
        ])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        let runs = try read(out, "runs.csv").split(separator: "\r\n").dropFirst()
        #expect(runs.count == 2)
        #expect(runs.contains { $0.hasPrefix("0,") && $0.contains(",complete,") })
        #expect(runs.contains { $0.hasPrefix("1,") && $0.contains(",failed,") && $0.contains("vcpus") })
        #expect(try read(out, "study.json").contains("\"status\": \"partial\""))
        #expect(r.stdout.contains("not complete: run 1"), "\(r.stdout)")
    }

    @Test func badStudyInputGetsAClearError() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let base = ["sweep", "Scenarios/quickstart.yaml", "--out", out.path, "--duration", "10ms", "--warmup", "1ms"]
        let cases: [([String], String)] = [
            (["--sweep", "flows.sned.rate=1Gbps,2Gbps"], "did you mean"),
            (["--sweep", "flows.send.rate=1Gbps..2Gbps"], "no step"),
            (["--sweep", "flows.send.rate=2Gbps..1Gbps/1Gbps"], "below"),
            (["--sweep", "flows.send.rate=1Gbps,2Gbps", "--where", "flows.send.rate <="], "--where"),
            (["--sweep", "flows.send.rate=1Gbps,2Gbps", "--where", "host.cores > 1"], "not a swept parameter"),
            (["--sweep", "flows.send.rate=1Gbps,2Gbps", "--shard", "3/2"], "--shard"),
            (["--sweep", "flows.send.rate=1Gbps,2Gbps", "--replications", "0"], "--replications"),
            ([], "nothing to sweep"),
        ]
        for (extra, expected) in cases {
            let r = try CLI.run(base + extra)
            #expect(r.status == 64 || r.status == 65, "\(extra): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(extra): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"), "\(extra)")
        }
        let plan = try CLI.run(["plan", "Scenarios/quickstart.yaml", "--grow", "vms.vm[1-2].vcpus", "--slo", "host.root_cpu <= 80%"])
        #expect(plan.status == 64, "\(plan.stderr)")
        #expect(plan.stderr.contains("root_cpu_utilization"), "did-you-mean: \(plan.stderr)")
    }

    @Test func sequentialStoppingRunsUntilTheIntervalIsNarrowEnough() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(at: out) }
        // The host's goodput of the adapter comparison varies with the Poisson arrivals: 2 replications are not enough for
        // a 3 % relative half-width, so the study adds replications until they are (or 50).
        let r = try CLI.run([
            "sweep", "Scenarios/adapter-comparison.yaml", "--duration", "30ms", "--warmup", "5ms", "--replications", "2",
            "--target-half-width", "3%", "--metric", "goodput", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("target met after"), "\(r.stderr)")
        let rows = try read(out, "points.csv").split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let h = rows[0].map(String.init)
        let goodput = rows.first {
            $0.count == h.count && $0[h.firstIndex(of: "metric")!] == "goodput" && $0[h.firstIndex(of: "entity_kind")!] == "host"
        }!
        let n = Int(goodput[h.firstIndex(of: "replications")!])!
        let mean = Double(goodput[h.firstIndex(of: "mean")!])!, hi = Double(goodput[h.firstIndex(of: "ci_high")!])!
        #expect(n > 2 && n <= 50, "\(n) replications")
        #expect((hi - mean) / mean <= 0.03, "half-width \(hi - mean) of \(mean)")
    }

    @Test func aComparisonWhoseReplicationsAreEqualSaysSo() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        func note(_ scenario: String) throws -> Bool {
            let r = try CLI.run(
                [
                    "compare", scenario, "--duration", "20ms", "--warmup", "5ms", "--replications", "2", "--out",
                    root.appendingPathComponent(scenario).path,
                ])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.contains("note: every replication gave the same values")
        }
        // Bulk TCP from the peer and nothing random: both replications are one run twice.
        #expect(try note("Scenarios/receive-scaling.yaml"))
        // Poisson arrivals: the replications differ.
        #expect(try !note("Scenarios/adapter-comparison.yaml"))
    }

    @Test func commonRandomNumbersNarrowTheDifference() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        func width(_ extra: [String]) throws -> Double {
            let out = root.appendingPathComponent(extra.isEmpty ? "crn" : "independent")
            let r = try CLI.run(
                [
                    "compare", "Scenarios/adapter-comparison.yaml", "--duration", "30ms", "--warmup", "5ms", "--replications", "4", "--out",
                    out.path, "--quiet",
                ] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            // comparison.csv: the emulated variant's row of the host's goodput: difference_ci_low, difference_ci_high.
            let rows = try read(out, "comparison.csv").split(separator: "\r\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
            let header = rows[0].map(String.init)
            let lo = header.firstIndex(of: "difference_ci_low")!, hi = header.firstIndex(of: "difference_ci_high")!
            let row = rows.first { $0.starts(with: ["host", "host", "goodput"]) && $0[4] == "1" }!
            return Double(row[hi])! - Double(row[lo])!
        }
        let crn = try width([]), independent = try width(["--independent-streams"])
        // Both variants carry the same Poisson arrivals with common numbers, so the goodput difference is nearly
        // constant across replications; independent streams add the arrival noise of both sides.
        #expect(crn < independent / 2, "CRN \(crn) vs independent \(independent)")
    }
}

/// The planner against brute force: the same runs (the same run ids: a plan's value v, replication r is the sweep's
/// point v, replication r) judged the same way must give the largest passing value a full sweep finds.
@Suite(.serialized) struct PlanCommandTests {
    @Test func planFindsWhatABruteForceSweepFinds() throws {
        let root = try CLI.temporaryDirectory(prefix: "vnetsim-plan")
        defer { try? FileManager.default.removeItem(at: root) }
        let common = ["Scenarios/capacity-hyperv.yaml", "--duration", "20ms", "--warmup", "5ms", "--replications", "2", "--quiet"]
        let limit = 30.0
        let plan = try CLI.run(
            ["plan"] + common + [
                "--to", "12", "--slo", "host.root_cpu_utilization <= \(Int(limit))%", "--out", root.appendingPathComponent("plan").path,
            ])
        #expect(plan.status == 0, "\(plan.stderr)")
        let sweep = try CLI.run(
            ["sweep"] + common + ["--sweep", "vms.web.count=1..12/1", "--out", root.appendingPathComponent("sweep").path])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        func rows(_ file: String) throws -> [[String: String]] {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let lines = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
        }
        // Brute force: a count passes when the CI's upper bound meets the limit and no replication was unsteady;
        // the answer is the largest count below the first that fails.
        var passes: [Int: Bool] = [:]
        for r in try rows("sweep/points.csv") where r["entity_kind"] == "host" && r["metric"] == "root_cpu_utilization" {
            let steady = !(r["verdicts"] ?? "").contains("not_steady_state")
            passes[Int(r["vms.web.count"]!)!] = Double(r["ci_high"]!)! <= limit && steady
        }
        #expect(passes.count == 12)
        let brute = (1...12).prefix { passes[$0] == true }.last
        // The plan: the largest passing value it measured.
        let measured = try rows("plan/plan.csv")
        let planned = measured.filter { $0["passes"] == "1" }.compactMap { Int($0["vms.web.count"]!) }.max()
        #expect(brute != nil && brute! < 12, "the limit should bind inside the range: \(passes)")
        #expect(planned == brute, "plan \(String(describing: planned)) vs brute force \(String(describing: brute)): \(passes)")
        // And it measured fewer values than the sweep.
        #expect(Set(measured.map { $0["point"]! }).count < 12)
    }
}
