import Foundation
import Models
import Reports
import Scenario
import SimCore
import TestSupport
import Testing

@testable import Studies

/// The executor runs a spec through load → build → run → verdicts → write into `<results>/<scenario>/<run-id>/`.
@Suite struct RunExecutorTests {
    let tool = ToolInfo(version: "test", gitRevision: "unknown")

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vnetsim-studies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The quickstart scenario, cut to 2 ms of simulated time: a tiny run (with a warm-up of a tenth of it, since
    /// the file's 20 ms would not fit).
    func tinySpec(duration: SimTime = .milliseconds(2)) throws -> RunSpec {
        try RunSpec.file(
            testRepositoryRoot.appendingPathComponent("Scenarios/quickstart.yaml").path, duration: duration,
            warmup: SimTime(picoseconds: duration.picoseconds / 10))
    }

    func entries(_ dir: URL) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() }

    @Test func aTinyRunLandsInItsIDsFolder() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let spec = try tinySpec()
        let loaded = try RunExecutor.load(spec)
        #expect(loaded.id == RunID(spec: spec, seed: 1) && loaded.config.duration == .milliseconds(2))
        var started = 0, progressed = 0
        let outcome = try RunExecutor(results: root, tool: tool).execute(
            loaded,
            control: RunControl(
                willStart: { started += 1 }, progress: { _ in progressed += 1 }, shouldStop: { false }, didSimulate: { _ in nil }))
        #expect(started == 1 && progressed > 0)
        #expect(outcome.status == .complete && outcome.writeError == nil && !outcome.replacedEarlierRun && outcome.markedRunning)
        #expect(outcome.directory.path == root.path + "/quickstart/\(loaded.id)")
        #expect(entries(root.appendingPathComponent("quickstart")) == ["\(loaded.id)"])
        #expect(outcome.document.run.id == loaded.id.description && outcome.document.run.status == .complete)
        let csv = try String(contentsOf: outcome.directory.appendingPathComponent("run.csv"), encoding: .utf8)
        #expect(csv.hasSuffix("\r\nquickstart,1,0,\(loaded.id),complete,0.002,0.002,,\r\n"), "\(csv)")
        #expect(outcome.files.contains("summary.json") && outcome.files.contains("summary.md"))
    }

    @Test func aStopRequestGivesAnInterruptedRunWithItsCause() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let loaded = try RunExecutor.load(try tinySpec(duration: .milliseconds(20)))
        var slices = 0
        let outcome = try RunExecutor(results: root, tool: tool).execute(
            loaded,
            control: RunControl(
                progress: { _ in slices += 1 }, shouldStop: { slices >= 3 }, didSimulate: { _ in "test stop" }))
        #expect(outcome.status == .interrupted && outcome.document.run.stopCause == "test stop")
        #expect(outcome.document.run.simulatedSeconds < outcome.document.run.requestedSeconds)
        #expect(entries(root.appendingPathComponent("quickstart")) == ["\(loaded.id)"])
    }

    @Test func theSameSpecAgainReplacesItsEarlierFolder() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let executor = RunExecutor(results: root, tool: tool)
        let spec = try tinySpec()
        let first = try executor.execute(try RunExecutor.load(spec))
        let before = try Data(contentsOf: first.directory.appendingPathComponent("summary.json"))
        // A stale partial folder of the same id (a killed run) is never results: it goes too.
        let stale = first.directory.deletingLastPathComponent().appendingPathComponent("\(first.id).partial")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: false)
        let second = try executor.execute(try RunExecutor.load(spec))
        #expect(second.id == first.id && second.directory.path == first.directory.path && second.replacedEarlierRun)
        #expect(try Data(contentsOf: second.directory.appendingPathComponent("summary.json")) == before)
        #expect(entries(root.appendingPathComponent("quickstart")) == ["\(first.id)"])
        // Another input, another folder beside it.
        var other = spec
        other.replication = 1
        let third = try executor.execute(try RunExecutor.load(other))
        #expect(!third.replacedEarlierRun && third.id != first.id)
        #expect(entries(root.appendingPathComponent("quickstart")) == ["\(first.id)", "\(third.id)"].sorted())
    }

    @Test func aFullDiskIsAnOutcomeNotAThrow() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let loaded = try RunExecutor.load(try tinySpec())
        let outcome = try RunExecutor(results: root, tool: tool, writeBudget: AtomicFile.Budget(remaining: 1000)).execute(loaded)
        #expect(outcome.status == .failed && outcome.writeError?.code == ENOSPC)
        #expect(outcome.directory.lastPathComponent == "\(loaded.id).partial")
        // The summary is still there to print.
        #expect(outcome.document.report.conservation.created > 0)
    }

    @Test func setupErrorsSayWhatIsWrong() throws {
        #expect {
            try RunExecutor.load(RunSpec(scenarioPath: "bad.yaml", scenarioText: "name: bad\nduration: 2 parsecs\n"))
        } throws: { error in
            guard case .scenario(let d) = error as? RunSetupError else { return false }
            return d.contains { $0.location.line == 2 }
        }
        var pcap = try tinySpec()
        pcap.captures = ["no-such-vm"]
        #expect {
            try RunExecutor.load(pcap)
        } throws: { error in
            guard case .capture(let port, _, _) = error as? RunSetupError else { return false }
            return port == "no-such-vm"
        }
        #expect(throws: ScenarioErrors.self) { try RunSpec.file("/no/such/scenario.yaml") }
    }

    /// The quickstart file sets `warmup: 20ms` (line 9): a `--duration` not longer than it is refused, never
    /// shortened; `--warmup` is applied and is part of the id.
    @Test func theWarmupIsExplicitThroughStudies() throws {
        let path = testRepositoryRoot.appendingPathComponent("Scenarios/quickstart.yaml").path
        #expect {
            try RunExecutor.load(try RunSpec.file(path, duration: .milliseconds(10)))
        } throws: { error in
            guard case .runLength(let e) = error as? RunSetupError else { return false }
            return e.duration == .milliseconds(10) && e.warmup == .milliseconds(20) && e.warmupLocation?.line == 9
                && e.message.contains("--duration 10ms") && e.message.contains("warmup: 20ms")
                && e.fix.contains("--warmup 1ms")
        }
        // 25ms keeps the file's 20ms, and warns that only 5ms is measured.
        let kept = try RunExecutor.load(try RunSpec.file(path, duration: .milliseconds(25)))
        #expect(kept.config.warmup == .milliseconds(20) && kept.config.duration == .milliseconds(25))
        #expect(kept.warnings.contains { $0.severity == .warning && $0.location.line == 9 && $0.message.contains("only 5ms") })
        // --warmup replaces it, and another warm-up is another run.
        let plain = try RunExecutor.load(try RunSpec.file(path))
        let fifty = try RunExecutor.load(try RunSpec.file(path, warmup: .milliseconds(50)))
        #expect(plain.config.warmup == .milliseconds(20) && fifty.config.warmup == .milliseconds(50))
        #expect(fifty.config.duration == .milliseconds(200) && fifty.warnings.isEmpty)
        #expect(fifty.id != plain.id && fifty.id.description.hasPrefix("seed1-r0-"))
        #expect {
            try RunExecutor.load(try RunSpec.file(path, warmup: .milliseconds(200)))
        } throws: { error in
            guard case .runLength(let e) = error as? RunSetupError else { return false }
            return e.warmupOverridden && e.message.contains("--warmup 200ms")
        }
    }
}
