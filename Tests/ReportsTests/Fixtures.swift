import Foundation
import Models

let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A hand-built report shaped like the model's: two flows of different adapter types,
/// host overhead, components, cores, an adapter, latencies with CDFs, time series and drops.
func sampleReport(seed: UInt64 = 1) -> RunReport {
    let info = RunInfo(
        scenario: "sample", seed: seed, replication: 0, duration: 0.2, warmup: 0.02, events: 1_234_567,
        fingerprint: "0123456789abcdef")
    let metrics: [Metric] = [
        Metric(.host, "host", "goodput", 2.05, "Gbps"),
        Metric(.host, "host", "delivered_packets_per_second", 175_000, "pps"),
        Metric(.host, "host", "root_cpu_utilization", 34.2, "percent"),
        Metric(.host, "host", "hypervisor_cpu_utilization", 5.1, "percent"),
        Metric(.host, "host", "guest_cpu_utilization", 20, "percent"),
        Metric(.host, "host", "root_cycles_per_packet", 7000, "cycles/packet"),
        Metric(.host, "host", "hypervisor_cycles_per_packet", 1120.5, "cycles/packet"),
        Metric(.host, "host", "root_cycles_per_byte", 5.5, "cycles/byte"),
        Metric(.host, "host", "host_cycles_per_packet", 8120.5, "cycles/packet"),
        Metric(.host, "host", "root_core_count", 2, "cores"),
        Metric(.host, "host", "core_count", 8, "cores"),
        Metric(.host, "host", "vcpu_count", 4, "vCPUs"),
        Metric(.core, "core0", "cpu_utilization", 40, "percent"),
        Metric(.core, "core1", "cpu_utilization", 28.5, "percent"),
        Metric(.component, "vsp", "all_cpu_cores", 0.12, "cores"),
        Metric(.component, "vswitch", "all_cpu_cores", 0.1, "cores"),
        Metric(.component, "nic_driver", "all_cpu_cores", 0.06, "cores"),
        Metric(.component, "hypervisor", "all_cpu_cores", 0.051, "cores"),
        Metric(.adapter, "vm1/eth0", "signals_per_second", 12_000, "signals/s"),
        Metric(.adapter, "vm1/eth0", "interrupts_per_second", 9_000, "interrupts/s"),
        Metric(.adapter, "vm2/eth0", "vm_exits_per_second", 140_000, "exits/s"),
        Metric(.flow, "send", "goodput", 1.98, "Gbps"),
        Metric(.flow, "send", "delivered_packets_per_second", 169_000, "pps"),
        Metric(.flow, "send", "all_cycles_per_packet", 7000, "cycles/packet"),
        Metric(.flow, "legacy,\"quoted\"", "goodput", 0.095, "Gbps"),
        Metric(.flow, "legacy,\"quoted\"", "delivered_packets_per_second", 8_100, "pps"),
        Metric(.flow, "legacy,\"quoted\"", "all_cycles_per_packet", 61_000, "cycles/packet"),
    ]
    let cdf = (0...10).map { CDFPoint(latencyMicroseconds: 10 + Double($0) * 3, fraction: Double($0) / 10) }
    let latencies = [
        LatencySummary(
            kind: .flow, entity: "send", samples: 30_000, minimum: 9.5, mean: 14.2, p50: 13.1, p90: 18, p99: 31.5,
            p999: 44, maximum: 60.25, cdf: cdf)
    ]
    let series = [
        TimeSeries(
            kind: .flow, entity: "send", metric: "goodput", unit: "Gbps", interval: 0.01, start: 0.02, values: [1.9, 2.0, 1.95, 2.01]),
        TimeSeries(
            kind: .core, entity: "core0", metric: "cpu_utilization", unit: "percent", interval: 0.01, start: 0.02, values: [38, 41, 40, 39]),
        TimeSeries(
            kind: .core, entity: "core1", metric: "cpu_utilization", unit: "percent", interval: 0.01, start: 0.02, values: [27, 29, 28, 30]),
    ]
    let conservation = Conservation(
        created: 40_000, delivered: 39_900, droppedByCause: ["ring_full": 60, "detached": 20],
        inFlight: 20, inFlightByStage: ["ring": 12, "wire": 8])
    return RunReport(
        info: info, metrics: metrics, latencies: latencies, series: series, conservation: conservation,
        notes: ["emulated-NIC costs rest on KVM/VMware analogs (MODEL-REFERENCE §4)"])
}

func temporaryDirectory(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vnetsim-reports-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a program; nil if it is not installed.
func run(_ program: String, _ arguments: [String]) -> (status: Int32, out: String, err: String)? {
    let paths = ["/usr/bin/", "/usr/local/bin/", "/bin/"]
    guard let exe = paths.map({ $0 + program }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    do { try p.run() } catch { return nil }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Optional tools (scripts/setup installs them): a test that needs one is skipped without it, and the run says so.
let tsharkAvailable = run("tshark", ["--version"]) != nil
let gnuplotAvailable = run("gnuplot", ["--version"]) != nil

/// tshark's stderr without its notice about running as root (CI runs as root).
func tsharkProblems(_ stderr: String) -> String {
    stderr.split(separator: "\n").filter { !$0.contains("Running as user \"root\"") }.joined(separator: "\n")
}
