import Foundation
import Reports
import Scenario

/// Where a study writes, and what it records of itself: `<folder>/` with
/// * `scenario.yaml` — the scenario's text as the study read it (every run reads this copy, so editing the file during a
///   study changes nothing);
/// * `study.json` — the definition and provenance (kind, id, parameters, points, replications, scenario hash, vnetsim
///   version and git revision);
/// * `study.sqlite` — every finished run, recorded as soon as it ends (`StudyDatabase`);
/// * `runs/<scenario>/<run-id>/` — each run's own result folder, as `vnetsim run` writes it;
/// * `logs/<run-index>.stderr` — what each run's process said on stderr;
/// * the tables and plots the commands write at the end (`StudyTables`).
public struct StudyFolder: Sendable {
    public var url: URL
    public init(_ url: URL) { self.url = url }
    public var scenario: URL { url.appendingPathComponent("scenario.yaml") }
    public var definition: URL { url.appendingPathComponent("study.json") }
    public var runs: URL { url.appendingPathComponent("runs") }
    public var logs: URL { url.appendingPathComponent("logs") }
}

/// How one run of a study ended.
public enum StudyRunStatus: String, Sendable, Codable {
    /// Finished; its results are in the database. `--resume` skips it.
    case complete
    /// Stopped by a signal to the study (Ctrl-C, SIGTERM); `--resume` runs it again.
    case interrupted
    /// The run refused its input or could not write its results: its error is recorded; `--resume` runs it again.
    case failed
    /// The run's process died (a trap, a signal it did not handle, out of memory): the signal is recorded.
    case crashed
}

/// Counts of a study in progress, for the progress line.
public struct StudyProgress: Sendable, Equatable {
    public var total: Int
    /// Runs complete, including those an earlier invocation completed (`skipped`).
    public var done: Int
    public var failed: Int
    public var running: Int
    public var skipped: Int
    /// Runs this invocation completed (for the ETA).
    public var completedNow: Int
}

/// Runs a study's runs, each in a `vnetsim run` process of its own, up to `jobs` at a time, recording each in the
/// study database the moment it ends.
///
/// A process per run isolates the runs: a run that traps, is killed or runs out of memory is recorded as crashed with
/// its signal, and the others go on. Results do not depend on `jobs` (each run is deterministic and written to its
/// own folder; the tables are made from the database in run order). A worker notices its study's death (`kill -9`)
/// between slices and exits, leaving its `.partial` folder; `--resume` runs again every run the database does not
/// hold as complete.
public final class StudyRunner {
    /// The study; a plan's grows as its search finds points (`plan.points.append`).
    public var plan: StudyPlan
    public let folder: StudyFolder
    /// The `vnetsim` executable each run is a process of.
    public let executable: URL
    public let jobs: Int
    public let reportMode: ReportMode
    public let tool: ToolInfo
    public let database: StudyDatabase
    /// Provenance: FNV-1a 64 of the scenario's text, 16 hex digits.
    public let scenarioHash: String

    /// Called about twice a second and after each run ends.
    public var onProgress: ((StudyProgress) -> Void)?
    /// Polled about twice a second; true stops launching runs and asks the running ones to stop (SIGTERM), which then
    /// write their partial results and are recorded as interrupted.
    public var shouldStop: (() -> Bool)?
    /// Runs this runner launched (those `--resume` skipped are not counted).
    public private(set) var launched = 0

    /// Called when a run ends (any status), with its record.
    public var onRunEnded: ((StudyRunRecord) -> Void)?

    /// What a study folder refuses.
    public enum FolderError: Error, CustomStringConvertible {
        case otherStudy(folder: String, found: String, expected: String)
        case notEmpty(folder: String, complete: Int, total: Int)
        case cannotWrite(path: String, message: String)
        case database(StudyDatabaseError)
        public var description: String {
            switch self {
            case .otherStudy(let f, let found, let expected):
                "\(f) holds another study (id \(found), not \(expected)); give another --out, or remove the folder"
            case .notEmpty(let f, let c, let t):
                "\(f) already holds this study (\(c) of \(t) runs complete); add --resume to complete it, or --fresh to start it over"
            case .cannotWrite(let p, let m): "cannot write \(p): \(m)"
            case .database(let e): "the study database: \(e)"
            }
        }
    }

    /// Opens (or creates) the study's folder: writes `scenario.yaml` and `study.json`, opens the database.
    /// - Parameters:
    ///   - resume: an existing folder of this study is completed; without it, a folder holding runs is refused.
    ///   - fresh: an existing folder of this study is emptied first.
    public init(
        plan: StudyPlan, folder: URL, executable: URL, jobs: Int, reportMode: ReportMode = .brief, tool: ToolInfo, resume: Bool,
        fresh: Bool = false, info: [String: String] = [:]
    ) throws(FolderError) {
        precondition(jobs >= 1, "at least one job")
        self.plan = plan; self.folder = StudyFolder(folder); self.executable = executable; self.jobs = jobs
        self.reportMode = reportMode; self.tool = tool
        self.scenarioHash = StudyPlan.hex(RunID.fnv1a64(Array(plan.base.scenarioText.utf8)))
        let fm = FileManager.default
        if fresh { try? fm.removeItem(at: folder) }
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            try fm.createDirectory(at: self.folder.logs, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: folder.path, message: error.localizedDescription)
        }
        do {
            database = try StudyDatabase(folder: folder)
            let existing = try database.info()
            if let found = existing["study_id"], found != plan.id {
                throw FolderError.otherStudy(folder: folder.path, found: found, expected: plan.id)
            }
            let complete = try database.completedIndices().count
            if !resume, try !database.runs().isEmpty {
                throw FolderError.notEmpty(folder: folder.path, complete: complete, total: plan.runCount)
            }
            var facts = info
            facts["study_id"] = plan.id
            facts["kind"] = plan.kind.rawValue
            facts["scenario"] = plan.scenarioName
            facts["scenario_file"] = plan.base.scenarioPath
            facts["scenario_hash"] = scenarioHash
            facts["parameters"] = plan.parameterPaths.joined(separator: "\n")
            facts["points"] = String(plan.points.count)
            facts["replications"] = String(plan.replications)
            facts["runs"] = String(plan.runCount)
            facts["vnetsim_version"] = tool.version
            facts["git_revision"] = tool.gitRevision
            facts["status"] = "running"
            try database.setInfo(facts)
        } catch let e as FolderError {
            throw e
        } catch let e as StudyDatabaseError {
            throw .database(e)
        } catch {
            throw .cannotWrite(path: folder.path, message: "\(error)")
        }
        do {
            try AtomicFile.write(plan.base.scenarioText, to: self.folder.scenario)
        } catch {
            throw .cannotWrite(path: self.folder.scenario.path, message: "\(error)")
        }
    }

    /// The runs of `indices` that the database does not hold as complete, in order.
    public func remaining(_ indices: [Int]) throws(StudyDatabaseError) -> [Int] {
        let done = try database.completedIndices()
        return indices.filter { !done.contains($0) }
    }

    /// The arguments of the `vnetsim run` process of `run`.
    public func arguments(_ run: StudyRun) -> [String] {
        var args = ["run", "--quiet", "--study-run", "--results", folder.runs.path, "--report", reportMode.rawValue]
        for o in run.spec.overrides { args += ["--set", o] }
        if let s = run.spec.seed { args += ["--seed", String(s)] }
        args += ["--replication", String(run.spec.replication)]
        if let d = run.spec.duration { args += ["--duration", "\(d.picoseconds)ps"] }
        if let w = run.spec.warmup { args += ["--warmup", "\(w.picoseconds)ps"] }
        for c in run.spec.captures { args += ["--pcap", c] }
        args.append(folder.scenario.path)
        return args
    }

    /// The environment variable that tells a worker which process started it (it exits when that one is gone).
    public static let parentVariable = "VNETSIM_STUDY_PARENT"

    /// Runs `indices` (skipping those already complete), at most `jobs` at a time, recording each as it ends.
    /// - Returns: the records of the runs this call made, in index order.
    /// - Throws: only if the database cannot be written (then nothing further is launched; running processes are
    ///   waited for).
    public func run(_ indices: [Int]) throws(StudyDatabaseError) -> [StudyRunRecord] {
        let todo = try remaining(indices)
        let total = indices.count
        var progress = StudyProgress(
            total: total, done: total - todo.count, failed: 0, running: 0, skipped: total - todo.count, completedNow: 0)
        var pending = todo[...]
        var running: [Int: (process: Process, started: Double)] = [:]
        let finished = FinishedQueue()
        var records: [StudyRunRecord] = []
        var stopping = false
        var dbError: StudyDatabaseError?
        onProgress?(progress)
        // Until every run has ended — or, once stopping (a signal, a database error), until the running ones have.
        while (!pending.isEmpty && !stopping && dbError == nil) || !running.isEmpty {
            while running.count < jobs, !stopping, dbError == nil, let i = pending.popFirst() {
                let run = plan.run(i)
                let p = Process()
                p.executableURL = executable
                p.arguments = arguments(run)
                var env = ProcessInfo.processInfo.environment
                env[Self.parentVariable] = String(getpid())
                p.environment = env
                let out = folder.logs.appendingPathComponent("\(i).stdout")
                let err = folder.logs.appendingPathComponent("\(i).stderr")
                _ = FileManager.default.createFile(atPath: out.path, contents: nil)
                _ = FileManager.default.createFile(atPath: err.path, contents: nil)
                p.standardOutput = try? FileHandle(forWritingTo: out)
                p.standardError = try? FileHandle(forWritingTo: err)
                p.standardInput = FileHandle.nullDevice
                p.terminationHandler = { _ in finished.push(i) }
                do {
                    try p.run()
                    launched += 1
                    running[i] = (p, Self.now())
                } catch {
                    let r = record(run, status: .failed, error: "cannot start \(executable.path): \(error)", exit: nil, wall: 0)
                    do { try database.record(r, metrics: []) } catch { dbError = error }
                    records.append(r)
                    progress.failed += 1
                    onRunEnded?(r)
                }
            }
            progress.running = running.count
            onProgress?(progress)
            if running.isEmpty { continue }
            finished.wait(seconds: 0.5)
            for i in finished.drain() {
                guard let (p, started) = running.removeValue(forKey: i) else { continue }
                let (r, metrics) = ingest(plan.run(i), process: p, wall: Self.now() - started)
                do { try database.record(r, metrics: metrics) } catch { dbError = error }
                records.append(r)
                if r.status == StudyRunStatus.complete.rawValue {
                    progress.done += 1
                    progress.completedNow += 1
                } else if r.status != StudyRunStatus.interrupted.rawValue {
                    progress.failed += 1
                }
                progress.running = running.count
                onRunEnded?(r)
                onProgress?(progress)
            }
            if !stopping, shouldStop?() ?? false {
                stopping = true
                for (_, (p, _)) in running where p.isRunning { kill(p.processIdentifier, SIGTERM) }
            }
        }
        if let dbError { throw dbError }
        return records.sorted { $0.index < $1.index }
    }

    /// The record of a run whose process ended, with its metrics when it completed.
    func ingest(_ run: StudyRun, process p: Process, wall: Double) -> (StudyRunRecord, [StudyMetric]) {
        let i = run.index
        let stderr = (try? String(contentsOf: folder.logs.appendingPathComponent("\(i).stderr"), encoding: .utf8)) ?? ""
        let stdout = (try? String(contentsOf: folder.logs.appendingPathComponent("\(i).stdout"), encoding: .utf8)) ?? ""
        let tail = Self.tail(stderr)
        if p.terminationReason == .uncaughtSignal {
            let s = p.terminationStatus
            return (
                record(
                    run, status: .crashed, error: "killed by signal \(s) (\(Self.signalName(s)))" + (tail.isEmpty ? "" : ": \(tail)"),
                    exit: nil, wall: wall), []
            )
        }
        let status = Int(p.terminationStatus)
        // 130/143/129: the run was stopped by a signal and wrote its partial results: run again on --resume.
        if [130, 143, 129].contains(status) {
            return (record(run, status: .interrupted, error: "stopped by a signal", exit: status, wall: wall), [])
        }
        guard status == 0 else {
            return (record(run, status: .failed, error: tail.isEmpty ? "exit status \(status)" : tail, exit: status, wall: wall), [])
        }
        guard let line = stdout.split(separator: "\n").last.map(String.init), !line.isEmpty else {
            return (record(run, status: .failed, error: "the run printed no results folder", exit: status, wall: wall), [])
        }
        let dir = URL(fileURLWithPath: line)
        let relative = dir.path.hasPrefix(folder.url.path + "/") ? String(dir.path.dropFirst(folder.url.path.count + 1)) : dir.path
        do {
            let text = try String(contentsOf: dir.appendingPathComponent("metrics.csv"), encoding: .utf8)
            var metrics = try RunMetricsFile.parse(text)
            if let latency = try? String(contentsOf: dir.appendingPathComponent("latency.csv"), encoding: .utf8) {
                metrics += Self.latencyMetrics(latency)
            }
            let summary = try Data(contentsOf: dir.appendingPathComponent("summary.json"))
            let (runID, verdicts) = try Self.readSummary(summary)
            var r = record(run, status: .complete, error: nil, exit: status, wall: wall)
            r.runID = runID
            r.verdicts = verdicts
            r.directory = relative
            return (r, metrics)
        } catch {
            return (record(run, status: .failed, error: "cannot read the results in \(relative): \(error)", exit: status, wall: wall), [])
        }
    }

    /// The catalog's latency metrics (`latency_p50`, `latency_p99`, in us) of each entity of a run's latency.csv, which
    /// metrics.csv leaves out: studies compare and judge them like any metric.
    static func latencyMetrics(_ text: String) -> [StudyMetric] {
        let rows = CSVTable.parse(text)
        guard let header = rows.first, let kind = header.firstIndex(of: "entity_kind"), let entity = header.firstIndex(of: "entity")
        else { return [] }
        let columns = [("latency_p50", "p50_us"), ("latency_p99", "p99_us")].compactMap { m, c in header.firstIndex(of: c).map { (m, $0) } }
        var out: [StudyMetric] = []
        for r in rows.dropFirst() where r.count == header.count {
            for (metric, c) in columns {
                guard let v = Double(r[c]), v.isFinite else { continue }
                out.append(StudyMetric(kind: r[kind], entity: r[entity], metric: metric, value: v, unit: "us"))
            }
        }
        return out
    }

    /// The run id and the verdict codes (each once, in order) of a run's summary.json.
    static func readSummary(_ data: Data) throws -> (String, [String]) {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let run = root["run"] as? [String: Any], let id = run["id"] as? String,
            let report = root["report"] as? [String: Any]
        else { throw CocoaError(.fileReadCorruptFile) }
        var codes: [String] = []
        for v in report["verdicts"] as? [[String: Any]] ?? [] {
            if let c = v["code"] as? String, !codes.contains(c) { codes.append(c) }
        }
        return (id, codes)
    }

    func record(_ run: StudyRun, status: StudyRunStatus, error: String?, exit: Int?, wall: Double) -> StudyRunRecord {
        let seed = run.spec.seed ?? seedOfScenario
        return StudyRunRecord(
            index: run.index, runID: RunID(spec: run.spec, seed: seed).description, point: run.point.index, replication: run.replication,
            seed: seed, parameters: run.point.assignments.map { StudyParameterValue(path: $0.path, value: $0.value) },
            status: status.rawValue, error: error, exitStatus: exit, verdicts: [], directory: nil, scenarioHash: scenarioHash,
            toolVersion: tool.version, gitRevision: tool.gitRevision, wallSeconds: wall)
    }

    /// The seed runs use without an override (a `--set seed=` at a point is in its overrides, and its run id says it).
    public var seedOfScenario: UInt64 = 0

    /// The last lines of a process's stderr, for the record (at most 2000 characters).
    static func tail(_ text: String) -> String {
        let lines = text.split(separator: "\n").suffix(8).joined(separator: "\n")
        return lines.count > 2000 ? String(lines.suffix(2000)) : lines
    }

    static func signalName(_ s: Int32) -> String {
        switch s {
        case SIGKILL: "SIGKILL"
        case SIGSEGV: "SIGSEGV"
        case SIGILL: "SIGILL (a trap)"
        case SIGTRAP: "SIGTRAP (a trap)"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        default: "signal \(s)"
        }
    }

    /// Monotonic seconds (for the records' wall time, which no table shows).
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Indices of runs whose process ended, pushed from Process's termination handlers (another thread).
final class FinishedQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int] = []
    private let semaphore = DispatchSemaphore(value: 0)
    func push(_ i: Int) {
        lock.lock()
        items.append(i)
        lock.unlock()
        semaphore.signal()
    }
    func wait(seconds: Double) { _ = semaphore.wait(timeout: .now() + seconds) }
    func drain() -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        let out = items
        items.removeAll()
        return out
    }
}
