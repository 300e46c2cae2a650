import Foundation
import Testing

/// `vnetsim run` and `vnetsim run --plots` from a directory that is not the repository root: the default
/// scenario and the plot script are found beside the binary (a source checkout or an install prefix), and
/// plots that cannot be drawn fail loudly (a warning, exit 69) instead of silently.
@Suite("run from any directory")
struct AnyDirectoryTests {
    static let gnuplotInstalled = ["/usr/bin/gnuplot", "/usr/local/bin/gnuplot"].contains {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs `executable` (a copy of the built vnetsim) in `directory` to the end, both pipes drained as it runs.
    static func run(_ executable: URL, _ args: [String], in directory: URL) throws -> CLI.Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.currentDirectoryURL = directory
        let o = Pipe(), e = Pipe()
        p.standardOutput = o
        p.standardError = e
        try p.run()
        nonisolated(unsafe) var err = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            err = e.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let out = o.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        group.wait()
        return CLI.Result(
            status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Every PNG in `dir`.
    static func pngs(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".png") }.sorted()
    }

    @Test func theDefaultScenarioRunsFromAnotherDirectory() throws {
        let cwd = try CLI.temporaryDirectory(prefix: "vnetsim-anywhere")
        defer { try? FileManager.default.removeItem(at: cwd) }
        // No FILE: the shipped quickstart.yaml, found beside the binary, not in the (empty) current directory.
        let r = try CLI.run(["run", "--duration", "20ms", "--warmup", "2ms", "--quiet"], in: cwd)
        #expect(r.status == 0, "status \(r.status): \(r.stderr)")
        let dir = URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(dir.deletingLastPathComponent().lastPathComponent == "quickstart", "\(r.stdout)")
        #expect(
            dir.path.hasPrefix(cwd.resolvingSymlinksInPath().path) || dir.path.hasPrefix(cwd.path), "results not under the cwd: \(dir.path)"
        )
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("summary.json").path))
    }

    @Test func plotsAreDrawnFromAnotherDirectoryOrFailLoudly() throws {
        let cwd = try CLI.temporaryDirectory(prefix: "vnetsim-anywhere")
        defer { try? FileManager.default.removeItem(at: cwd) }
        let r = try CLI.run(["run", "--duration", "20ms", "--warmup", "2ms", "--plots", "--quiet"], in: cwd)
        let dir = URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        if Self.gnuplotInstalled {
            #expect(r.status == 0, "status \(r.status): \(r.stderr)")
            for png in ["throughput.png", "adapter_types.png", "cpu_components.png", "cpu_cores.png", "latency_cdf.png"] {
                #expect(Self.pngs(dir).contains(png), "\(png) not drawn: \(Self.pngs(dir)); stderr: \(r.stderr)")
            }
            // --quiet: the results path alone on stdout, nothing on stderr (no "wrote …" lines, no gnuplot warnings).
            #expect(r.stdout.split(separator: "\n").count == 1, "\(r.stdout)")
            #expect(r.stderr.isEmpty, "\(r.stderr)")
        } else {
            #expect(r.status == 69, "no gnuplot, yet status \(r.status)")
            #expect(r.stderr.contains("gnuplot"), "\(r.stderr)")
        }
    }

    @Test func withoutGnuplotOnThePathPlotsFailLoudly() throws {
        // A PATH holding only what scripts/plot needs besides gnuplot (bash, dirname).
        let cwd = try CLI.temporaryDirectory(prefix: "vnetsim-anywhere")
        defer { try? FileManager.default.removeItem(at: cwd) }
        let bin = cwd.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for tool in ["bash", "dirname", "env"] {
            let real = ["/usr/bin/\(tool)", "/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) }
            try FileManager.default.createSymbolicLink(
                atPath: bin.appendingPathComponent(tool).path, withDestinationPath: try #require(real))
        }
        let r = try CLI.run(["run", "--duration", "20ms", "--warmup", "2ms", "--plots"], in: cwd, environment: ["PATH": bin.path])
        #expect(r.status == 69, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("gnuplot is not installed"), "\(r.stderr)")
        #expect(r.stderr.contains("warning: no plots drawn"), "\(r.stderr)")
        // The run itself is complete and written; the summary is printed.
        #expect(r.stdout.contains("Status       complete"), "\(r.stdout)")
    }

    @Test func aBinaryWithoutItsPlotScriptSaysSoAndExits69() throws {
        // The binary alone in a folder of its own, with no share/vnetsim and no checkout above it.
        let root = try CLI.temporaryDirectory(prefix: "vnetsim-lone")
        defer { try? FileManager.default.removeItem(at: root) }
        let exe = root.appendingPathComponent("bin/vnetsim")
        try FileManager.default.createDirectory(at: exe.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.binary, to: exe)
        let scenario = CLI.packageRoot.appendingPathComponent("Scenarios/quickstart.yaml").path
        let r = try Self.run(exe, ["run", scenario, "--duration", "20ms", "--warmup", "2ms", "--plots", "--quiet"], in: root)
        #expect(r.status == 69, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("warning: cannot draw the plots: no plot script beside vnetsim"), "\(r.stderr)")
        #expect(r.stderr.contains(root.appendingPathComponent("share/vnetsim/scripts/plot").path), "\(r.stderr)")
    }

    @Test func anInstalledLayoutFindsItsScenariosAndPlotScripts() throws {
        // PREFIX/bin/vnetsim with PREFIX/share/vnetsim/{scripts,Scenarios}, as scripts/install lays it out,
        // run from a third directory: the default scenario and the plots come from the prefix.
        let prefix = try CLI.temporaryDirectory(prefix: "vnetsim-prefix")
        let cwd = try CLI.temporaryDirectory(prefix: "vnetsim-anywhere")
        defer {
            try? FileManager.default.removeItem(at: prefix)
            try? FileManager.default.removeItem(at: cwd)
        }
        let fm = FileManager.default
        let share = prefix.appendingPathComponent("share/vnetsim")
        try fm.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try fm.createDirectory(at: share.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        try fm.createDirectory(at: share.appendingPathComponent("Scenarios"), withIntermediateDirectories: true)
        let exe = prefix.appendingPathComponent("bin/vnetsim")
        try fm.copyItem(at: CLI.binary, to: exe)
        for f in ["plot", "plot.gp", "plot-panel.gp"] {
            try fm.copyItem(at: CLI.packageRoot.appendingPathComponent("scripts/\(f)"), to: share.appendingPathComponent("scripts/\(f)"))
        }
        // A scenario of its own name, so the run shows it came from the prefix.
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Scenarios/quickstart.yaml"), encoding: .utf8)
        try text.replacingOccurrences(of: "name: quickstart", with: "name: installed-quickstart")
            .write(to: share.appendingPathComponent("Scenarios/quickstart.yaml"), atomically: true, encoding: .utf8)
        let r = try Self.run(
            exe, ["run", "--duration", "20ms", "--warmup", "2ms", "--quiet"] + (Self.gnuplotInstalled ? ["--plots"] : []), in: cwd)
        #expect(r.status == 0, "status \(r.status): \(r.stderr)")
        let dir = URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(dir.deletingLastPathComponent().lastPathComponent == "installed-quickstart", "\(r.stdout)")
        if Self.gnuplotInstalled { #expect(Self.pngs(dir).contains("throughput.png"), "\(r.stderr)") }
    }
}
