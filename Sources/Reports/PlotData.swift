import Models

/// The inputs `scripts/plot` hands to gnuplot, written to `plot-data/` in a
/// run's directory: whitespace-separated tables with a header row, and
/// `vars.gp`, which tells the plot script what the tables hold.
public enum PlotData {
    /// Metric names (in order of preference) plotted as "CPU" of a component or core.
    public static let cpuMetrics = [
        MetricCatalog.cpuUtilization, MetricCatalog.allCPUCores, MetricCatalog.cyclesShare, MetricCatalog.allCyclesPerPacket,
        MetricCatalog.allCycles,
    ].map(\.name)

    /// File name → contents.
    public static func files(_ r: RunReport, adapterTypes: [String: String] = [:]) -> [(String, String)] {
        var out: [(String, String)] = []
        var vars: [String] = ["scenario = \(quote(r.info.scenario))"]

        // Throughput and host cycles (root + hypervisor) per packet, per flow with its adapter type.
        let flows = MetricPivot(kind: .flow, metrics: r.metrics)
        let g = flows.column(MetricCatalog.goodput.name)
        // Mb/s by flow, each value converted from its own row's unit (a pivot column keeps only the first unit).
        var goodputMbps: [String: Double] = [:]
        if let g {
            for m in r.metrics where m.kind == .flow && m.metric == flows.columns[g].metric {
                goodputMbps[m.entity] = Quantity.normalized(m.value, unit: m.unit).value / 1e6
            }
        }
        let cpp = flows.column(MetricCatalog.hostCyclesPerPacket.name)
        var t = "flow adapter_type goodput_Mbps host_cycles_per_packet\n"
        for (e, name) in flows.entities.enumerated() {
            t += "\(sanitize(name)) \(adapterTypes[name] ?? "-") \(num(goodputMbps[name])) \(num(cpp.flatMap { flows.values[e][$0] }))\n"
        }
        out.append(("flows.dat", t))
        vars.append("n_flows = \(flows.entities.count)")
        vars.append("flows_have_cycles = \(cpp.map { c in flows.values.contains { $0[c] != nil } } == true ? 1 : 0)")

        // By adapter type: goodput summed over the flows of each type; the host work each type causes, from the
        // adapters of that type: root and hypervisor cycles per packet (weighted by the adapters' packets, i.e.
        // total cycles ÷ total packets), host CPU summed in cores, and VM exits per packet (weighted the same way).
        var byType: [String: TypeTotals] = [:]
        for name in flows.entities {
            if let v = goodputMbps[name] { byType[adapterTypes[name] ?? "other", default: TypeTotals()].goodput += v }
        }
        let adapters = MetricPivot(kind: .adapter, metrics: r.metrics)
        let perPacket = [MetricCatalog.rootCyclesPerPacket, MetricCatalog.hypervisorCyclesPerPacket, MetricCatalog.vmExitsPerPacket].map {
            adapters.column($0.name)
        }
        let cores = adapters.column(MetricCatalog.hostCPUCores.name)
        let sent = adapters.column(MetricCatalog.sendPackets.name), received = adapters.column(MetricCatalog.receivePackets.name)
        for (e, name) in adapters.entities.enumerated() {
            guard let type = adapterTypes[name], byType[type] != nil else { continue }
            let row = adapters.values[e]
            let packets = (sent.flatMap { row[$0] } ?? 0) + (received.flatMap { row[$0] } ?? 0)
            for (i, col) in perPacket.enumerated() {
                guard let col, let v = row[col] else { continue }
                byType[type]!.weighted[i] += v * packets
                byType[type]!.packets[i] += packets
            }
            if let cores, let v = row[cores] { byType[type]!.cores = (byType[type]!.cores ?? 0) + v }
        }
        var bt = "adapter_type goodput_Mbps root_cycles_per_packet hypervisor_cycles_per_packet host_cpu_cores vm_exits_per_packet\n"
        for (type, v) in byType.sorted(by: { $0.key < $1.key }) {
            let pp = (0..<3).map { v.packets[$0] > 0 ? v.weighted[$0] / v.packets[$0] : nil }
            bt += "\(type) \(num(v.goodput)) \(num(pp[0])) \(num(pp[1])) \(num(v.cores)) \(num(pp[2]))\n"
        }
        out.append(("adapter_types.dat", bt))
        vars.append("n_adapter_types = \(byType.count)")
        vars.append("types_have_host_cycles = \(byType.values.contains { $0.packets[0] > 0 } ? 1 : 0)")
        vars.append("types_have_exits = \(byType.values.contains { $0.packets[2] > 0 } ? 1 : 0)")

        // CPU by component: one row, one column per component (a stacked bar).
        for (kind, file, nvar) in [(EntityKind.component, "cpu_components.dat", "n_components"), (.core, "cpu_cores.dat", "n_cores")] {
            let p = MetricPivot(kind: kind, metrics: r.metrics)
            if let col = cpuMetrics.lazy.compactMap(p.column).first {
                var s: String
                if kind == .component {
                    // One row, one column per component: gnuplot stacks the columns into one bar.
                    s = "total " + p.entities.map(sanitize).joined(separator: " ") + "\n"
                    // Every domain's cycles (root + hypervisor + guest): the bar is "all", not the host's alone.
                    s += "all " + p.entities.indices.map { num(p.values[$0][col]) }.joined(separator: " ") + "\n"
                } else {
                    // A vCPU has no cpu_utilization: its bar is its guest_cpu_utilization (percent of the vCPU as well).
                    let guest = p.column(MetricCatalog.guestCPUUtilization.name)
                    s = "entity value\n"
                    for (e, name) in p.entities.enumerated() {
                        s += "\(sanitize(name)) \(num(p.values[e][col] ?? guest.flatMap { p.values[e][$0] }))\n"
                    }
                }
                out.append((file, s))
                vars.append("\(nvar) = \(p.entities.count)")
                var label = "\(p.columns[col].metric) (\(p.columns[col].unit))"
                if kind == .core, p.columns[col].metric == MetricCatalog.cpuUtilization.name,
                    let g = p.column(MetricCatalog.guestCPUUtilization.name), p.values.contains(where: { $0[col] == nil && $0[g] != nil })
                {
                    label += "; vCPUs: \(MetricCatalog.guestCPUUtilization.name)"
                }
                vars.append("\(nvar)_label = \(quote(label))")
            } else {
                vars.append("\(nvar) = 0")
            }
        }

        // Latency CDFs: one block per entity, blocks separated by two blank lines (gnuplot's `index`).
        let withCDF = r.latencies.filter { !$0.cdf.isEmpty }
        let lat = withCDF.contains { $0.kind == .flow } ? withCDF.filter { $0.kind == .flow } : withCDF
        var cdf = ""
        for l in lat {
            cdf += "# \(sanitize(l.entity))\nlatency_us fraction\n"
            for p in l.cdf { cdf += "\(num(p.latencyMicroseconds)) \(num(p.fraction))\n" }
            cdf += "\n\n"
        }
        out.append(("latency_cdf.dat", cdf))
        vars.append("n_latency = \(lat.count)")
        vars.append("latency_names = \(quote(lat.map { sanitize($0.entity) }.joined(separator: " ")))")

        // Time series: per metric a table of time and one column per entity.
        var metrics: [String] = []
        var groups: [String: [TimeSeries]] = [:]
        // A line needs two points: shorter series (a run shorter than two intervals) are not plotted.
        for s in r.series where s.values.count >= 2 {
            let key = "\(s.kind.rawValue)_\(s.metric)"
            if groups[key] == nil { metrics.append(key) }
            groups[key, default: []].append(s)
        }
        var seriesFiles: [String] = []
        for key in metrics {
            let group = groups[key]!
            let file = "series_" + identifier(key) + ".dat"
            let points = group.map(\.values.count).max() ?? 0
            var s = "time_s " + group.map { sanitize($0.entity) }.joined(separator: " ") + "\n"
            for i in 0..<points {
                let t0 = group[0].start + Double(i) * group[0].interval
                s += num(t0) + " " + group.map { i < $0.values.count ? num($0.values[i]) : "NaN" }.joined(separator: " ") + "\n"
            }
            out.append((file, s))
            seriesFiles.append(file)
            vars.append("series_\(identifier(key))_columns = \(group.count + 1)")
            vars.append("series_\(identifier(key))_label = \(quote("\(group[0].kind.rawValue) \(group[0].metric) (\(group[0].unit))"))")
        }
        vars.append("series_keys = \(quote(metrics.map(identifier).joined(separator: " ")))")
        out.append(("vars.gp", vars.joined(separator: "\n") + "\n"))
        return out
    }

    /// Sums over the adapters of one type: goodput (Mb/s), per-packet metrics × packets and packets
    /// (root cycles, hypervisor cycles, VM exits), host CPU cores.
    struct TypeTotals {
        var goodput = 0.0
        var weighted = [0.0, 0.0, 0.0]
        var packets = [0.0, 0.0, 0.0]
        var cores: Double? = nil
    }

    static func num(_ x: Double?) -> String { x.map { $0.isFinite ? NumberFormat.exact($0) : "NaN" } ?? "NaN" }
    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
    /// A gnuplot variable-name part: letters, digits and '_'.
    static func identifier(_ s: String) -> String {
        String(s.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" ? $0 : "_" })
    }

    /// A name safe as a gnuplot column or file name: letters, digits, '_', '-', '.'; anything else becomes '_'.
    static func sanitize(_ s: String) -> String {
        String(s.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "_-.".contains($0) ? $0 : "_" })
    }
}
