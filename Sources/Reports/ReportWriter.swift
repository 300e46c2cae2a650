import Foundation
import Models

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a run's result directory: `summary.md`, `summary.json`, `run.csv`, tidy CSVs,
/// time series, plot inputs and pcap files. Every file is written atomically.
///
/// A run folder is complete or visibly not: a run is written into `<run-id>.partial/` (whose
/// `run.csv` says `running` from the start), and only when every file and the folder itself are
/// flushed to disk is it renamed to `<run-id>` (see `writeRun`). A folder without `.partial` is a
/// finished document — of a complete run or of an interrupted one, as its `status` says.
///
/// Run ids are deterministic (the same inputs give the same id, Studies' `RunID`), so a run can
/// meet the folder of an earlier run of the same inputs: the new run replaces it, atomically
/// enough that a reader sees the old folder, then briefly no folder, then the new one — never a
/// mixture (`writeRun`).
public enum ReportWriter {
    /// A run's two names: where its files are written, and where they end up.
    public struct RunFolder: Sendable, Equatable {
        /// `root/<scenario>/<run-id>.partial`: the run's files while it runs and is written.
        public var partial: URL
        /// `root/<scenario>/<run-id>`: the finished run, after the rename.
        public var final: URL
        public var runID: String { final.lastPathComponent }
        /// `root/<scenario>/.<run-id>.replaced`: where an earlier run of the same id waits, between
        /// the two renames that replace it, to be deleted. A dot-name, so it is never taken for results.
        public var aside: URL { final.deletingLastPathComponent().appendingPathComponent(".\(runID).replaced") }

        public init(partial: URL, final: URL) { self.partial = partial; self.final = final }

        /// Replaces the partial folder's `run.csv` (best effort: on a full disk even this may fail).
        @discardableResult
        public func mark(_ record: RunRecord) -> Bool {
            let url = partial.appendingPathComponent("run.csv")
            unlink(url.path)  // frees its blocks first, so the new one fits on a full disk
            return (try? AtomicFile.write(CSVReports.run(record).text, to: url)) != nil
        }
    }

    /// Writing a run's results failed; what was written is left in the `.partial` folder, marked failed.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The first error, naming the file and the real cause (e.g. "No space left on device").
        public var cause: String
        /// The errno, when the cause was a system call.
        public var code: Int32?
        /// The file or directory that could not be written, when known.
        public var path: String?
        /// The folder left behind, whose `run.csv` says `failed` (if it could be written).
        public var folder: URL
        public var description: String { "\(cause); the incomplete results are in \(folder.path)" }
    }

    /// What was written, relative to the run directory.
    public struct Written: Sendable, Equatable {
        public var directory: URL
        public var files: [String]
        public var document: SummaryDocument
        /// `writeRun` replaced the folder of an earlier run of the same id.
        public var replacedEarlierRun = false
    }

    /// Writes every result file of one run into `directory` (created if needed).
    ///
    /// - Parameters:
    ///   - captures: frames recorded at capture ports; one pcap per port.
    ///   - config: the run's configuration, when known: adds each flow's adapter type to the plot inputs.
    ///   - runID: the run's id, recorded in summary.json (`run.id`), summary.md and run.csv (`run_id`).
    ///   - mode: how much summary.md and summary.json hold (`ReportMode`; brief by default). The CSVs and plot inputs
    ///     hold everything in both modes.
    ///   - budget: a test-only limit on the bytes written (simulates a full disk).
    public static func write(
        report: RunReport, captures: [CapturedFrame] = [], scenario: ScenarioInfo, tool: ToolInfo,
        config: SimulationConfig? = nil, runID: String? = nil, mode: ReportMode = .brief, to directory: URL,
        budget: AtomicFile.Budget = .init()
    ) throws -> Written {
        var budget = budget
        try AtomicFile.makeDirectory(directory)
        var files: [String] = []
        func put(_ name: String, _ text: String) throws {
            try AtomicFile.write(Array(text.utf8), to: directory.appendingPathComponent(name), budget: &budget)
            files.append(name)
        }
        // pcap first, so the summary can list them.
        var captureInfo: [CaptureFileInfo] = []
        var byPort: [String: [CapturedFrame]] = [:]
        var ports: [String] = []
        for f in captures {
            if byPort[f.port] == nil { ports.append(f.port) }
            byPort[f.port, default: []].append(f)
        }
        for port in ports.sorted() {
            let frames = byPort[port]!.sorted { $0.timePicoseconds < $1.timePicoseconds }
            let name = PlotData.sanitize(port.replacingOccurrences(of: "/", with: "_")) + ".pcap"
            try AtomicFile.write(PcapWriter.file(of: frames), to: directory.appendingPathComponent(name), budget: &budget)
            files.append(name)
            captureInfo.append(CaptureFileInfo(file: name, port: port, frames: frames.count))
        }
        let doc = SummaryDocument(tool: tool, scenario: scenario, report: report, captures: captureInfo, runID: runID, mode: mode)
        try put("summary.json", try doc.json())
        try put("summary.md", MarkdownReport.render(doc))
        try put("metrics.csv", CSVReports.metrics(report).text)
        try put("conservation.csv", CSVReports.conservation(report).text)
        if !report.costInputs.isEmpty { try put("costs.csv", CSVReports.costs(report).text) }
        if !report.latencies.isEmpty {
            try put("latency.csv", CSVReports.latency(report).text)
            try put("latency_cdf.csv", CSVReports.latencyCDF(report).text)
        }
        if !report.series.isEmpty { try put("timeseries.csv", CSVReports.timeSeries(report).text) }
        if let networks = report.networks, !networks.isEmpty {
            try put("networks.csv", CSVReports.networks(report).text)
            if networks.contains(where: { $0.dhcp != nil }) { try put("dhcp_leases.csv", CSVReports.dhcpLeases(report).text) }
        }
        let plotDir = directory.appendingPathComponent("plot-data")
        try AtomicFile.makeDirectory(plotDir)
        for (name, text) in PlotData.files(report, adapterTypes: config.map(adapterTypes) ?? [:]) {
            try AtomicFile.write(Array(text.utf8), to: plotDir.appendingPathComponent(name), budget: &budget)
            files.append("plot-data/" + name)
        }
        // Last: in a run folder it replaces the `running` marker.
        try put("run.csv", CSVReports.run(RunRecord(report.info, runID: runID ?? "")).text)
        return Written(directory: directory, files: files, document: doc)
    }

    /// Writes a run into `folder.partial`, flushes every file and the folder, then renames it to
    /// `folder.final` (and flushes the parent), so the finished name appears only over a whole run.
    /// The run id (`folder.runID`) is recorded in the files.
    ///
    /// If `folder.final` already exists (an earlier run of the same inputs), it is replaced: renamed
    /// aside to `folder.aside` (a dot-name), the new run renamed into place, then the old one deleted
    /// (`Written.replacedEarlierRun`). A reader sees the old folder or the new one, or for a moment
    /// neither — never a mixture. A leftover aside folder (a replace killed between its renames) is
    /// deleted first.
    ///
    /// - Throws: `Failure` if anything could not be written or renamed: the partial folder stays,
    ///   with what was written and a `run.csv` saying `failed` and why (if even that can be written);
    ///   an earlier run being replaced is put back.
    public static func writeRun(
        report: RunReport, captures: [CapturedFrame] = [], scenario: ScenarioInfo, tool: ToolInfo,
        config: SimulationConfig? = nil, mode: ReportMode = .brief, into folder: RunFolder, budget: AtomicFile.Budget = .init()
    ) throws(Failure) -> Written {
        do {
            var w = try write(
                report: report, captures: captures, scenario: scenario, tool: tool, config: config, runID: folder.runID,
                mode: mode, to: folder.partial, budget: budget)
            try AtomicFile.syncDirectory(folder.partial.appendingPathComponent("plot-data"))
            try AtomicFile.syncDirectory(folder.partial)
            let replacing = AtomicFile.exists(folder.final.path)
            if replacing {
                try removeTree(folder.aside)
                if rename(folder.final.path, folder.aside.path) != 0 {
                    throw AtomicFile.WriteError(path: folder.final.path, operation: "move aside the earlier run", code: errno)
                }
            }
            if rename(folder.partial.path, folder.final.path) != 0 {
                let e = errno
                if replacing { rename(folder.aside.path, folder.final.path) }  // put the earlier run back
                throw AtomicFile.WriteError(path: folder.final.path, operation: "rename the finished run to", code: e)
            }
            try? AtomicFile.syncDirectory(folder.final.deletingLastPathComponent())
            // The new run is in place; the old one is only a dot-name now (best effort: a leftover
            // is deleted by the next replace of the same id).
            if replacing { try? removeTree(folder.aside) }
            w.directory = folder.final
            w.replacedEarlierRun = replacing
            return w
        } catch {
            let e = error as? AtomicFile.WriteError
            let cause = "\(error)"
            var record = RunRecord(report.info, runID: folder.runID)
            record.status = RunStatus.failed.rawValue
            record.error = cause
            folder.mark(record)
            throw Failure(cause: cause, code: e?.code, path: e?.path, folder: folder.partial)
        }
    }

    /// Adapter type by flow name (that of its VM endpoint, the sender's if both are VMs, else "host")
    /// and by adapter entity name (`vm/adapter`).
    public static func adapterTypes(_ config: SimulationConfig) -> [String: String] {
        func type(_ e: Endpoint) -> String? {
            guard case .vm(let v, let a) = e else { return nil }
            return config.vms.first { $0.name == v }?.adapters.first { $0.name == a }?.kind.rawValue
        }
        var out: [String: String] = [:]
        for f in config.flows { out[f.name] = type(f.from) ?? type(f.to) ?? "host" }
        for vm in config.vms { for a in vm.adapters { out["\(vm.name)/\(a.name)"] = a.kind.rawValue } }
        return out
    }

    /// A new, empty run folder `root/<scenario>/<run-id>.partial` and the final name it will get,
    /// `root/<scenario>/<run-id>`. The id is the caller's (Studies' deterministic `RunID`, e.g.
    /// `seed1-r0-9f86d081884c7d65`); it must be a plain name (no `/`, not starting with `.`).
    ///
    /// A `<run-id>.partial` that already exists is left from a killed or failed run of the same id —
    /// never results — and is deleted first. The final folder may exist (an earlier run of the same
    /// inputs): `writeRun` replaces it once the new run is written. Two processes running the same
    /// id at the same moment are not supported (the second takes over the first's partial folder).
    /// Errors carry the real errno and the path that failed (`AtomicFile.WriteError`).
    public static func makeRunDirectory(root: URL, scenario: String, runID: String) throws -> RunFolder {
        precondition(!runID.isEmpty && !runID.contains("/") && !runID.hasPrefix("."), "a run id is a plain name: \(runID)")
        var safe = PlotData.sanitize(scenario)
        while safe.hasPrefix(".") { safe.removeFirst() }
        let parent = root.appendingPathComponent(safe.isEmpty ? "scenario" : safe)
        try AtomicFile.makeDirectory(parent)
        let final = parent.appendingPathComponent(runID)
        let partial = parent.appendingPathComponent(runID + ".partial")
        try removeTree(partial)
        if mkdir(partial.path, 0o755) != 0 { throw AtomicFile.WriteError(path: partial.path, operation: "create directory", code: errno) }
        return RunFolder(partial: partial, final: final)
    }

    /// Deletes `url` and everything under it, if it exists (a symbolic link itself, not its target).
    static func removeTree(_ url: URL) throws(AtomicFile.WriteError) {
        guard AtomicFile.exists(url.path) else { return }
        do {
            try FileManager.default.removeItem(atPath: url.path)
        } catch {
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code
            throw AtomicFile.WriteError(path: url.path, operation: "delete", code: code.map { Int32($0) } ?? EIO)
        }
    }
}
