import Foundation
import Models

/// Writes a run's result directory: `summary.md`, `summary.json`, tidy CSVs,
/// time series, plot inputs and pcap files. Every file is written atomically.
public enum ReportWriter {
    /// What was written, relative to the run directory.
    public struct Written: Sendable, Equatable {
        public var directory: URL
        public var files: [String]
        public var document: SummaryDocument
    }

    /// Writes every result file of one run into `directory` (created if needed).
    ///
    /// - Parameters:
    ///   - captures: frames recorded at capture ports; one pcap per port.
    ///   - config: the run's configuration, when known: adds each flow's adapter type to the plot inputs.
    public static func write(
        report: RunReport, captures: [CapturedFrame] = [], scenario: ScenarioInfo, tool: ToolInfo,
        config: SimulationConfig? = nil, to directory: URL
    ) throws -> Written {
        try AtomicFile.makeDirectory(directory)
        var files: [String] = []
        func put(_ name: String, _ text: String) throws {
            try AtomicFile.write(text, to: directory.appendingPathComponent(name))
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
            try AtomicFile.write(PcapWriter.file(of: frames), to: directory.appendingPathComponent(name))
            files.append(name)
            captureInfo.append(CaptureFileInfo(file: name, port: port, frames: frames.count))
        }
        let doc = SummaryDocument(tool: tool, scenario: scenario, report: report, captures: captureInfo)
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
        let plotDir = directory.appendingPathComponent("plot-data")
        try AtomicFile.makeDirectory(plotDir)
        for (name, text) in PlotData.files(report, adapterTypes: config.map(adapterTypes) ?? [:]) {
            try AtomicFile.write(text, to: plotDir.appendingPathComponent(name))
            files.append("plot-data/" + name)
        }
        return Written(directory: directory, files: files, document: doc)
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

    /// A new, empty run directory `root/<scenario>/<run-id>`, where the run id is
    /// `YYYYMMDD-HHMMSS-seedN` in UTC (with `-2`, `-3`, … if taken). Creation is
    /// atomic (mkdir), so two runs never share a directory.
    public static func makeRunDirectory(root: URL, scenario: String, seed: UInt64, now: Date = Date()) throws -> URL {
        var safe = PlotData.sanitize(scenario)
        while safe.hasPrefix(".") { safe.removeFirst() }
        let parent = root.appendingPathComponent(safe.isEmpty ? "scenario" : safe)
        try AtomicFile.makeDirectory(parent)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let base = "\(c.year ?? 0)\(two(c.month))\(two(c.day))-\(two(c.hour))\(two(c.minute))\(two(c.second))-seed\(seed)"
        for k in 1...1000 {
            let url = parent.appendingPathComponent(k == 1 ? base : "\(base)-\(k)")
            if mkdir(url.path, 0o755) == 0 { return url }
            if errno != EEXIST { throw AtomicFile.WriteError(path: url.path, operation: "create directory", code: errno) }
        }
        throw AtomicFile.WriteError(path: parent.path, operation: "find a free run directory in", code: EEXIST)
    }
}
