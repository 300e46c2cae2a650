import Foundation
import Testing

/// A run folder is complete or visibly not; signals stop a run and still write it; errors say
/// the real cause; the status is in every output.
@Suite("run folders, signals and write errors")
struct RunLifecycleTests {
    func temporaryDirectory() throws -> URL { try CLI.temporaryDirectory(prefix: "vnetsim-life") }

    /// The entries of `root/quickstart`.
    func runFolders(_ root: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("quickstart").path)) ?? []).sorted()
    }

    /// Waits (at most a minute, polling) until the run has reserved its `.partial` folder: the
    /// signal handlers are installed by then and the simulation is starting.
    func waitForPartialFolder(_ root: URL) throws {
        for _ in 0..<600 {
            if runFolders(root).contains(where: { $0.hasSuffix(".partial") }) { return }
            usleep(100_000)
        }
        Issue.record("no .partial folder appeared under \(root.path)")
    }

    /// Every file under `dir`, relative paths.
    func allFiles(_ dir: URL) -> [String] {
        (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).sorted()
    }

    func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }

    // A 3 s quickstart takes the debug build tens of seconds; it is stopped within about a second.
    static let longRun = ["run", "Scenarios/quickstart.yaml", "--duration", "3s"]

    @Test(arguments: [(SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP"), (SIGINT, "SIGINT")])
    func aSignalStopsTheRunAndWritesAnInterruptedRun(signo: Int32, name: String) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let p = try CLI.start(Self.longRun + ["--results", root.path])
        try waitForPartialFolder(root)
        usleep(300_000)
        p.send(signo)
        let r = p.wait()
        #expect(r.status == 128 + signo, "\(r.stderr)")
        // The folder has its final name; nothing partial or temporary is left.
        let folders = runFolders(root)
        #expect(folders.count == 1 && !folders[0].hasSuffix(".partial"), "\(folders)")
        let dir = root.appendingPathComponent("quickstart").appendingPathComponent(folders.first ?? "")
        let files = allFiles(dir)
        #expect(!files.contains { $0.split(separator: "/").contains { $0.hasPrefix(".") } }, "\(files)")
        // summary.json says interrupted, where and by what.
        let doc = try json(dir.appendingPathComponent("summary.json"))
        let run = doc["run"] as? [String: Any] ?? [:]
        #expect(run["status"] as? String == "interrupted")
        #expect(run["stopCause"] as? String == name)
        let reached = run["simulatedSeconds"] as? Double ?? -1, requested = run["requestedSeconds"] as? Double ?? -1
        #expect(reached > 0 && reached < requested && requested == 3, "\(run)")
        // Conservation holds for the partial run.
        let c = (doc["report"] as? [String: Any])?["conservation"] as? [String: Any] ?? [:]
        let created = c["created"] as? Int ?? -1, delivered = c["delivered"] as? Int ?? -1, inFlight = c["inFlight"] as? Int ?? -1
        let dropped = (c["droppedByCause"] as? [String: Int] ?? [:]).values.reduce(0, +)
        #expect(created > 0 && created == delivered + dropped + inFlight, "\(c)")
        // The other outputs say it too.
        let csv = try String(contentsOf: dir.appendingPathComponent("run.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("scenario,seed,replication,run_id,status,simulated_s,requested_s,stop_cause,error\r\n"))
        #expect(csv.contains(",\(folders.first ?? "?"),"), "run.csv lacks the run id \(folders): \(csv)")
        #expect(csv.contains(",interrupted,") && csv.contains(",3,\(name),"), "\(csv)")
        let md = try String(contentsOf: dir.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(md.contains("INTERRUPTED by \(name) at "), "\(md.prefix(400))")
        #expect(r.stdout.contains("Status       INTERRUPTED by \(name) at "), "\(r.stdout)")
        #expect(r.stdout.contains("of 3 s simulated: partial results"))
        #expect(r.stdout.contains("Conservation holds"))
    }

    @Test func aSecondSignalDoesNotCutTheWritingShort() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let p = try CLI.start(Self.longRun + ["--results", root.path, "--quiet"])
        try waitForPartialFolder(root)
        usleep(300_000)
        p.send(SIGTERM)
        usleep(20_000)
        p.send(SIGINT)
        let r = p.wait()
        #expect(r.status == 143, "\(r.stderr)")  // the first signal decides
        let folders = runFolders(root)
        #expect(folders.count == 1 && !folders[0].hasSuffix(".partial"), "\(folders)")
        let dir = URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let run = try json(dir.appendingPathComponent("summary.json"))["run"] as? [String: Any] ?? [:]
        #expect(run["status"] as? String == "interrupted" && run["stopCause"] as? String == "SIGTERM", "\(run)")
    }

    @Test func killMinus9LeavesOnlyAFolderMarkedPartial() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let p = try CLI.start(Self.longRun + ["--results", root.path])
        try waitForPartialFolder(root)
        usleep(200_000)
        p.send(SIGKILL)
        _ = p.wait()
        let folders = runFolders(root)
        #expect(!folders.isEmpty)
        for f in folders {
            let dir = root.appendingPathComponent("quickstart").appendingPathComponent(f)
            if f.hasSuffix(".partial") {
                // Marked twice: by its name and by its run.csv.
                let csv = (try? String(contentsOf: dir.appendingPathComponent("run.csv"), encoding: .utf8)) ?? ""
                #expect(csv.contains(",running,"), "\(f): \(csv)")
            } else {
                let run = try json(dir.appendingPathComponent("summary.json"))["run"] as? [String: Any]
                #expect(run?["status"] != nil, "\(f) looks complete but has no status")
            }
        }
    }

    @Test func aFullDiskStillPrintsTheSummaryAndMarksTheFolder() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let r = try CLI.run(
            ["run", "Scenarios/quickstart.yaml", "--duration", "20ms", "--warmup", "2ms", "--results", root.path],
            environment: ["VNETSIM_TEST_FAIL_WRITE_AFTER": "3000"])
        #expect(r.status == 74, "\(r.stderr)")  // EX_IOERR
        #expect(r.stderr.contains("summary.json: No space left on device"), "\(r.stderr)")
        // What was computed is not lost: the summary is on stdout, with the failure.
        #expect(r.stdout.contains("Throughput") && r.stdout.contains("Conservation holds"), "\(r.stdout)")
        #expect(r.stdout.contains("Status       FAILED: results not written: No space left on device (summary.json)"), "\(r.stdout)")
        let folders = runFolders(root)
        #expect(folders.count == 1 && folders[0].hasSuffix(".partial"), "\(folders)")
        let dir = root.appendingPathComponent("quickstart").appendingPathComponent(folders.first ?? "")
        let csv = (try? String(contentsOf: dir.appendingPathComponent("run.csv"), encoding: .utf8)) ?? ""
        #expect(csv.contains(",failed,") && csv.contains("No space left on device"), "\(csv)")
        #expect(!allFiles(dir).contains { $0.contains(".tmp") })
    }

    /// The same on a real full disk: a 64 KiB tmpfs, when this machine lets the tests mount one
    /// (root in a container that allows it); skipped otherwise.
    @Test func aRealFullTmpfsGivesTheSameAnswer() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        guard let mount = run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", root.path]), mount == 0 else { return }
        defer { _ = run("/bin/umount", [root.path]) }
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--duration", "20ms", "--warmup", "2ms", "--results", root.path])
        #expect(r.status == 74, "\(r.stderr)")
        #expect(r.stderr.contains(": No space left on device"), "\(r.stderr)")
        #expect(r.stdout.contains("Status       FAILED: results not written: No space left on device"), "\(r.stdout)")
        let folders = runFolders(root)
        #expect(folders.count == 1 && folders[0].hasSuffix(".partial"), "\(folders)")
    }

    /// The exit status of a program, nil if it cannot be started.
    func run(_ program: String, _ arguments: [String]) -> Int32? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test func aResultsPathThatIsAFileSaysSo() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("results.txt")
        try "not a folder\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--duration", "1ms", "--warmup", "100us", "--results", file.path])
        #expect(r.status == 73, "\(r.stderr)")  // EX_CANTCREAT
        #expect(r.stderr.contains("\(file.path) is not a directory"), "\(r.stderr)")
        #expect(!r.stderr.contains("Permission denied"))
    }

    @Test func aTooLongResultsNameSaysFileNameTooLong() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let long = root.appendingPathComponent(String(repeating: "r", count: 300))
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--duration", "1ms", "--warmup", "100us", "--results", long.path])
        #expect(r.status == 73, "\(r.stderr)")
        #expect(r.stderr.contains("cannot create directory \(long.path): File name too long"), "\(r.stderr)")
    }

    @Test func anEmptyResultsPathIsAUsageError() throws {
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--duration", "1ms", "--warmup", "100us", "--results", ""])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--results"), "\(r.stderr)")
    }
}
