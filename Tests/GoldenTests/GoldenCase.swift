import Foundation
import Models
import Reports
import Scenario
import SimCore
import Studies
import TestSupport
import Testing

/// One golden case: a shipped scenario or a runnable docs example, run short through the CLI's own pipeline.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    /// Its directory under Tests/Golden/: "Scenarios/quickstart" or "docs/first".
    var id: String
    /// The scenario file the results record, relative to the repository root.
    var file: String
    /// The file name the loader is given: the default scenario name and the diagnostics' file.
    var loaderFile: String
    var yaml: String

    var testDescription: String { id }
}

/// Produces, reads and writes the golden files of each case: what `GoldenTests` compares and
/// `scripts/regen-golden` (`VNETSIM_REGEN_GOLDEN=1`) rewrites.
enum Golden {
    static let directory = testRepositoryRoot.appendingPathComponent("Tests/Golden")

    /// Set by scripts/regen-golden: write the golden files instead of comparing with them.
    static var recording: Bool { ProcessInfo.processInfo.environment["VNETSIM_REGEN_GOLDEN"] == "1" }

    /// A scenario runs for this long, or for its own duration if that is shorter…
    static let defaultDuration = SimTime.milliseconds(20)
    /// …unless it is listed here (debug-build run time per case is in Tests/Golden/README.md).
    static let durations: [String: SimTime] = [
        // 64 VMs: building and writing its report dominates a debug run; 5 ms keeps the whole test short.
        "Scenarios/reference-64vm": .milliseconds(5),
        "Scenarios/virtual-server-64vm": .milliseconds(5),
        // Its actions are at 50, 100 and 150 ms; cut at 20 ms it would test no timeline at all.
        "docs/timeline": .milliseconds(200),
        // Virtual Server: the network is deleted at 150 ms, the adapter moved at 150 ms.
        "Scenarios/network-delete-midflight": .milliseconds(170),
        "Scenarios/adapter-reattach": .milliseconds(170),
    ]

    /// Fixed, so that the files do not depend on the build or the checkout.
    static let tool = ToolInfo(version: "golden", gitRevision: "unknown")

    /// The top-level entries of Tests/Golden/ (one directory per source of cases, and the README).
    static let sources = ["Scenarios", "docs"]

    /// Every case, in order: each Scenarios/*.yaml, then each runnable example of docs/scenarios.md.
    static func cases() throws -> [GoldenCase] {
        var out: [GoldenCase] = []
        let scenarios = testRepositoryRoot.appendingPathComponent("Scenarios")
        for name in try FileManager.default.contentsOfDirectory(atPath: scenarios.path).sorted() where name.hasSuffix(".yaml") {
            let file = "Scenarios/" + name
            let yaml = try String(contentsOf: testRepositoryRoot.appendingPathComponent(file), encoding: .utf8)
            out.append(GoldenCase(id: "Scenarios/" + stem(name), file: file, loaderFile: file, yaml: yaml))
        }
        let page = try String(contentsOf: testRepositoryRoot.appendingPathComponent("docs/scenarios.md"), encoding: .utf8)
        for (name, yaml) in DocExamples.runnableExamples(page) {
            out.append(GoldenCase(id: "docs/" + stem(name), file: "docs/scenarios.md#" + name, loaderFile: name, yaml: yaml))
        }
        return out
    }

    static func stem(_ name: String) -> String { name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name }

    /// The simulated duration of a case whose file says `own`.
    static func duration(of c: GoldenCase, own: SimTime) -> SimTime {
        min(own, durations[c.id] ?? defaultDuration)
    }

    /// The case's result files (relative path → bytes): every file `ReportWriter` writes for it, read back
    /// from a temporary run directory, and `fingerprint.txt`.
    /// Loaded, built and run by Studies exactly as `vnetsim run --duration D` does (`RunExecutor.load`,
    /// `build`, `simulate`), so the run id recorded in the files is the CLI's too. A case whose file sets a
    /// warm-up that is not shorter than D runs as `--duration D --warmup D/10`, as a user must.
    static func produce(_ c: GoldenCase) throws -> [String: [UInt8]] {
        let file = try ScenarioLoader.load(yaml: c.yaml, file: c.loaderFile)
        let d = duration(of: c, own: file.config.duration)
        let warmup = file.warmupLocation != nil && file.config.warmup >= d ? SimTime(picoseconds: d.picoseconds / 10) : nil
        let spec = RunSpec(scenarioPath: c.loaderFile, scenarioText: c.yaml, duration: d, warmup: warmup)
        let loaded = try RunExecutor.load(spec)
        let config = loaded.config
        let output = try RunExecutor.simulate(try RunExecutor.build(loaded))
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("vnetsim-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: run) }
        let scenario = loaded.scenario
        let written = try ReportWriter.write(
            report: output.report, captures: output.captures,
            scenario: ScenarioInfo(name: scenario.name, file: c.file, description: scenario.description, source: scenario.source),
            tool: tool, config: config, runID: loaded.id.description, to: run)
        var files: [String: [UInt8]] = [:]
        for name in written.files {
            files[name] = try [UInt8](Data(contentsOf: run.appendingPathComponent(name)))
        }
        let info = output.report.info
        files["fingerprint.txt"] = Array(
            """
            scenario: \(info.scenario)
            duration: \(config.duration.scenarioText)
            events: \(info.events)
            fingerprint: \(info.fingerprint)

            """.utf8)
        // Nothing may depend on where the run or the checkout is.
        for (name, bytes) in files {
            let text = String(decoding: bytes, as: UTF8.self)
            for path in [run.path, testRepositoryRoot.path] where text.contains(path) {
                Issue.record("\(c.id)/\(name) contains the path \(path): golden files must not depend on the machine")
            }
        }
        return files
    }

    /// Every file under `directory` (relative path → bytes), or nil if there is no such directory.
    static func read(_ directory: URL) throws -> [String: [UInt8]]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        var files: [String: [UInt8]] = [:]
        for case let name as String in FileManager.default.enumerator(atPath: directory.path) ?? FileManager.DirectoryEnumerator() {
            let url = directory.appendingPathComponent(name)
            var sub: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &sub), !sub.boolValue {
                files[name] = try [UInt8](Data(contentsOf: url))
            }
        }
        return files
    }

    /// Replaces `directory`'s content with `files`.
    static func write(_ files: [String: [UInt8]], to directory: URL) throws {
        try? FileManager.default.removeItem(at: directory)
        for (name, bytes) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
    }

    /// Where two versions of a file first differ: the line (both versions) for text, the byte offset for pcap.
    static func firstDifference(name: String, golden: [UInt8], produced: [UInt8]) -> String {
        if name.hasSuffix(".pcap") {
            let i = zip(golden, produced).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(golden.count, produced.count)
            return "first difference at byte \(i) (golden \(golden.count) bytes, now \(produced.count) bytes)"
        }
        let a = golden.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let b = produced.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let i = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        func line(_ lines: [ArraySlice<UInt8>]) -> String {
            guard i < lines.count else { return "(end of file)" }
            let text = String(decoding: lines[i], as: UTF8.self)
            return text.count > 300 ? String(text.prefix(300)) + "…" : text
        }
        return "first difference at line \(i + 1):\n  golden: \(line(a))\n  now:    \(line(b))"
    }
}
