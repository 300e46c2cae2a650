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
        var panels = [
            Panel(
                key: "flow_goodput", quantity: "goodput", noun: "flows", axis: "goodput (Mb/s)", unit: "Mb/s", legend: true,
                entries: flows.entities.map { ($0, goodputMbps[$0], adapterTypes[$0] ?? "other") }),
            Panel(
                key: "flow_cycles", quantity: "host cycles per packet", noun: "flows",
                axis: "host cycles per packet (cycles, root + hypervisor)", unit: "cycles", legend: true,
                entries: flows.entities.enumerated().map { e, name in
                    (name, cpp.flatMap { flows.values[e][$0] }, adapterTypes[name] ?? "other")
                }),
        ]

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

        // CPU by component: a bar each, largest first, each component in its own fixed colour.
        let components = MetricPivot(kind: .component, metrics: r.metrics)
        let componentColumn = cpuMetrics.lazy.compactMap(components.column).first
        let componentEntries = components.entities.indices.compactMap { e -> (String, Double)? in
            guard let c = componentColumn, let v = components.values[e][c] else { return nil }
            return (components.entities[e], v)
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let componentUnit = componentColumn.map { components.columns[$0].unit } ?? ""
        panels.append(
            Panel(
                key: "components", quantity: "CPU", noun: "components",
                axis: componentColumn.map { axisLabel(components.columns[$0]) } ?? "", unit: componentUnit,
                entries: componentEntries.map { ($0.0, $0.1, $0.0) }))
        // What the bars sum, from the metric's cycle domains: components report every domain (all_cpu_cores).
        let componentDomains = componentColumn.flatMap { MetricCatalog.spec(named: components.columns[$0].metric)?.domains } ?? []
        vars.append(
            "components_heading = \(quote(componentDomains == [.root, .hypervisor, .guest] ? "CPU by component, all domains (root + hypervisor + guest)" : componentDomains == [.root, .hypervisor] ? "host CPU by component (root + hypervisor)" : "CPU by component"))"
        )
        vars.append(
            "components_total = \(quote(figure(componentEntries.reduce(0) { $0 + $1.1 }) + (componentUnit.isEmpty ? "" : " " + componentUnit)))"
        )

        // CPU by core: the host's cores and the VMs' vCPUs (named VM/vcpuN) in two panels, as their scales
        // and numbers differ (8 root cores, 64 vCPUs).
        let coreMetrics = MetricPivot(kind: .core, metrics: r.metrics)
        let coreColumn = cpuMetrics.lazy.compactMap(coreMetrics.column).first
        let guest = coreMetrics.column(MetricCatalog.guestCPUUtilization.name)
        for (key, category, noun) in [("cores_host", "host core", "host cores"), ("cores_vcpu", "vCPU", "vCPUs")] {
            let entries = coreMetrics.entities.enumerated().filter { ($0.element.contains("/") ? "vCPU" : "host core") == category }
            // A vCPU has no cpu_utilization: its bar is its guest_cpu_utilization (percent of the vCPU too), and the
            // panel says so.
            let own = coreColumn.map { c in entries.contains { coreMetrics.values[$0.offset][c] != nil } } ?? false
            let column =
                own || guest == nil
                ? coreColumn.map { coreMetrics.columns[$0] } ?? (metric: MetricCatalog.cpuUtilization.name, unit: "percent")
                : coreMetrics.columns[guest!]
            let quantity = seriesNames[column.metric] ?? column.metric.replacingOccurrences(of: "_", with: " ")
            panels.append(
                Panel(
                    key: key, quantity: quantity, noun: noun, axis: axisLabel(column),
                    unit: column.unit == "percent" ? "%" : column.unit,
                    entries: entries.map { e in
                        let v =
                            coreColumn.flatMap { coreMetrics.values[e.offset][$0] } ?? guest.flatMap { coreMetrics.values[e.offset][$0] }
                        return (e.element, v, category)
                    }))
        }

        // Latency CDFs: one block per entity, blocks separated by two blank lines (gnuplot's `index`). Past
        // `maxLines` entities, only three: those of the lowest, the median and the highest p99, named so;
        // the p99 of every entity goes to a ranked panel beside them.
        let withCDF = r.latencies.filter { !$0.cdf.isEmpty }
        let lat = withCDF.contains { $0.kind == .flow } ? withCDF.filter { $0.kind == .flow } : withCDF
        let shown = representativeLatencies(lat)
        var cdf = ""
        for (l, _) in shown {
            cdf += "# \(sanitize(l.entity))\nlatency_us fraction\n"
            for p in l.cdf { cdf += "\(num(p.latencyMicroseconds)) \(num(p.fraction))\n" }
            cdf += "\n\n"
        }
        out.append(("latency_cdf.dat", cdf))
        vars.append("n_latency = \(shown.count)")
        vars.append("n_latency_entities = \(lat.count)")
        vars.append("latency_names = \(quote(shown.map { sanitize($0.0.entity) }.joined(separator: " ")))")
        for (i, (l, note)) in shown.enumerated() { vars.append("latency_title_\(i + 1) = \(quote(l.entity + note))") }
        vars.append("latency_colours = \(quote(shown.indices.map { lineColours[$0 % lineColours.count] }.joined(separator: " ")))")
        panels.append(
            Panel(
                key: "latency_p99", quantity: "p99 latency", noun: lat.first?.kind == .flow ? "flows" : "entities",
                axis: "p99 latency (µs)", unit: "µs", entries: lat.map { ($0.entity, $0.p99, "latency") }))

        for p in panels {
            let (data, v) = p.files()
            out.append((p.key + ".dat", data))
            vars += v
        }

        // Time series: per plot a table of time and one column per line. Each series is sampled from time 0, the
        // warm-up included; `series_warmup_end` (in the time axis' unit) is where the measured window begins, and
        // every series plot marks it. A NIC's transmit and receive throughput share one plot (same axes).
        vars += seriesFiles(r, into: &out)
        vars.append("line_colours = \(quote(lineColours.joined(separator: " ")))")
        out.append(("vars.gp", vars.joined(separator: "\n") + "\n"))
        return out
    }

    /// The metrics drawn together in one time-series plot, by kind: (metric, the line's suffix), in order.
    /// The plot's key is `<kind>_<key>`.
    static let combinedSeries: [EntityKind: (key: String, parts: [(metric: String, suffix: String)])] = [
        .nic: ("throughput", [(MetricCatalog.txThroughput.name, "transmit"), (MetricCatalog.rxThroughput.name, "receive")]),
        .network: (
            "bytes",
            [
                (MetricCatalog.sentBytesPerSecond.name, "sent"), (MetricCatalog.receivedBytesPerSecond.name, "received"),
                (MetricCatalog.droppedBytesPerSecond.name, "dropped"),
            ]
        ),
    ]

    /// The series tables (`series_<key>.dat`, appended to `out`) and their lines of `vars.gp`.
    static func seriesFiles(_ r: RunReport, into out: inout [(String, String)]) -> [String] {
        var vars: [String] = []
        // A plot: its parts (one metric each, e.g. transmit and receive), each with its entities' series.
        struct Plot {
            var kind: EntityKind
            var parts: [(suffix: String, series: [TimeSeries])] = []
            var lines: Int { parts.reduce(0) { $0 + $1.series.count } }
        }
        var keys: [String] = []
        var plots: [String: Plot] = [:]
        // A line needs two points: shorter series (a run shorter than two intervals) are not plotted.
        for s in r.series where s.values.count >= 2 {
            let combined = combinedSeries[s.kind]
            let suffix = combined?.parts.first { $0.metric == s.metric }?.suffix
            let key = "\(s.kind.rawValue)_\(suffix != nil ? combined!.key : s.metric)"
            if plots[key] == nil {
                keys.append(key)
                plots[key] = Plot(kind: s.kind)
                if let combined, suffix != nil { plots[key]!.parts = combined.parts.map { ($0.suffix, []) } }
            }
            let part = suffix.flatMap { sfx in plots[key]!.parts.firstIndex { $0.suffix == sfx } } ?? 0
            if plots[key]!.parts.isEmpty { plots[key]!.parts = [("", [])] }
            plots[key]!.parts[part].series.append(s)
        }
        for key in keys { plots[key]!.parts.removeAll { $0.series.isEmpty } }
        // Time in ms for runs shorter than 2 s.
        let span = r.series.map { $0.start + Double($0.values.count) * $0.interval }.max() ?? 0
        let (timeScale, timeUnit) = span < 2 ? (1e3, "ms") : (1.0, "s")
        vars.append("series_time_label = \(quote("simulated time (\(timeUnit))"))")
        // The warm-up's end: where the series say the measured window starts (the run's warm-up if they do not).
        let plotted = keys.flatMap { plots[$0]!.parts.flatMap(\.series) }
        let measuredFrom = plotted.map(\.measuredFrom).max().map { $0 > 0 ? $0 : r.info.warmup } ?? r.info.warmup
        let firstTime = plotted.map(\.start).min() ?? 0
        vars.append("series_warmup = \(measuredFrom > firstTime ? 1 : 0)")
        vars.append("series_warmup_end = \(num(measuredFrom * timeScale))")
        vars.append("series_warmup_s = \(num(measuredFrom))")
        // Variables by the plot's number (series_1_…): gnuplot truncates names past 50 characters, and a key
        // such as host_hypervisor_cpu_utilization leaves little room.
        for (index, key) in keys.enumerated() {
            let plot = plots[key]!
            let k = String(index + 1)
            let first = plot.parts[0].series[0]
            let points = plot.parts.flatMap(\.series).map(\.values.count).max() ?? 0
            // Up to `maxLines` lines a line each; past it, per part the spread across its entities at each time:
            // minimum, quartiles, median and maximum (a band, not 128 lines).
            let aggregated = plot.lines > maxLines
            let combined = plot.parts.count > 1 || !plot.parts[0].suffix.isEmpty
            func tag(_ suffix: String) -> String { suffix == "transmit" ? "tx" : suffix == "receive" ? "rx" : suffix }
            var header = ["time_\(timeUnit)"]
            var titles: [String] = []
            var columnsOf: [TimeSeries] = []  // not aggregated: the series of each column, in the header's order
            var dashes: [Int] = []  // per line: 1 solid, 2 dashed (a combined plot's second part, e.g. receive)
            if aggregated {
                for p in plot.parts {
                    let names = ["minimum", "p25", "median", "p75", "maximum"]
                    header += combined ? names.map { tag(p.suffix) + "_" + $0 } : names
                }
            } else {
                // Entity by entity, its parts side by side (pnic0 transmit, pnic0 receive, pnic1 …).
                var entities: [String] = []
                for p in plot.parts { for s in p.series where !entities.contains(s.entity) { entities.append(s.entity) } }
                for e in entities {
                    for p in plot.parts {
                        guard let s = p.series.first(where: { $0.entity == e }) else { continue }
                        header.append(sanitize(e) + (combined ? "_" + tag(p.suffix) : ""))
                        titles.append(combined ? "\(e) \(p.suffix)" : e)
                        columnsOf.append(s)
                        dashes.append(combined && p.suffix != plot.parts[0].suffix ? 2 : 1)
                    }
                }
            }
            var t = header.joined(separator: " ") + "\n"
            // A rate or a utilization covers its interval (drawn at its start, as in timeseries.csv); a count such as
            // in-flight packets is taken at the interval's end, and drawn there.
            let atEnd = instantaneousSeries.contains(first.metric) ? 1.0 : 0.0
            for i in 0..<points {
                let t0 = (first.start + (Double(i) + atEnd) * first.interval) * timeScale
                var columns: [Double?] = []
                if aggregated {
                    for p in plot.parts {
                        let finite = p.series.compactMap { i < $0.values.count ? $0.values[i] : nil }.filter(\.isFinite)
                        if finite.isEmpty {
                            columns += [nil, nil, nil, nil, nil]
                        } else {
                            let sp = Spread(finite)
                            columns += [sp.minimum, sp.p25, sp.median, sp.p75, sp.maximum]
                        }
                    }
                } else {
                    columns = columnsOf.map { i < $0.values.count ? $0.values[i] : .nan }
                }
                t += num(t0) + " " + columns.map(num).joined(separator: " ") + "\n"
            }
            out.append(("series_" + identifier(key) + ".dat", t))
            vars.append("series_\(k)_key = \(quote(identifier(key)))")
            vars.append("series_\(k)_columns = \(header.count)")
            vars.append("series_\(k)_aggregated = \(aggregated ? 1 : 0)")
            vars.append("series_\(k)_entities = \(Set(plot.parts.flatMap(\.series).map(\.entity)).count)")
            vars.append("series_\(k)_parts = \(plot.parts.count)")
            vars.append("series_\(k)_dashes = \(quote(dashes.map(String.init).joined(separator: " ")))")
            for (j, p) in plot.parts.enumerated() { vars.append("series_\(k)_part_title_\(j + 1) = \(quote(p.suffix))") }
            for (i, title) in titles.enumerated() { vars.append("series_\(k)_title_\(i + 2) = \(quote(title))") }
            let metric = combined ? key.dropFirst(plot.kind.rawValue.count + 1).description : first.metric
            vars.append("series_\(k)_label = \(quote(axisLabel((metric, first.unit))))")
            let kindName = ["nic": "NIC", "host": "host", "core": "core", "flow": "flow"][plot.kind.rawValue] ?? plot.kind.rawValue
            let quantity = seriesNames[metric] ?? metric.replacingOccurrences(of: "_", with: " ")
            let what =
                combined ? "\(kindName) \(quantity), \(plot.parts.map(\.suffix).joined(separator: " and "))" : "\(kindName) \(quantity)"
            let plural = ["flow": "flows", "core": "cores", "nic": "NICs", "host": "hosts", "adapter": "adapters", "port": "ports"]
            let n = Set(plot.parts.flatMap(\.series).map(\.entity)).count
            let across = "spread across \(n) \(plural[plot.kind.rawValue] ?? plot.kind.rawValue + "s")"
            vars.append("series_\(k)_title = \(quote(aggregated ? "\(what), \(across)" : what))")
            // What the run's verdicts say of the quantity drawn (in flight: a backlog, not a steady state).
            let notes =
                metric == MetricCatalog.inFlightPackets.name
                ? r.verdicts.filter { [.notSteadyState, .backlog, .warmupTooShort].contains($0.code) && $0.kind == .host }.map(\.message)
                : []
            let noteLines = wrap(notes.first ?? "", width: 110)
            vars.append("series_\(k)_note = \(quoteLines(noteLines))")
            vars.append("series_\(k)_note_lines = \(noteLines.count)")
        }
        vars.append("series_n = \(keys.count)")
        return vars
    }

    /// Series whose points are taken at the end of their interval (a count at the sample), not over it.
    static let instantaneousSeries: Set<String> = [MetricCatalog.inFlightPackets.name]

    /// A time series' quantity in a title, e.g. "packets in flight".
    static let seriesNames = [
        "in_flight_packets": "packets in flight", "root_cpu_utilization": "root CPU utilization",
        "hypervisor_cpu_utilization": "hypervisor CPU utilization", "cpu_utilization": "CPU utilization",
        "tx_throughput": "transmit throughput", "rx_throughput": "receive throughput",
        "guest_cpu_utilization": "guest CPU utilization",
    ]

    /// Sums over the adapters of one type: goodput (Mb/s), per-packet metrics × packets and packets
    /// (root cycles, hypervisor cycles, VM exits), host CPU cores.
    struct TypeTotals {
        var goodput = 0.0
        var weighted = [0.0, 0.0, 0.0]
        var packets = [0.0, 0.0, 0.0]
        var cores: Double? = nil
    }

    /// The flows (or entities) whose latency CDFs are drawn, with a note for the legend: every one up to
    /// `maxLines`; past it, those of the lowest, the median and the highest p99.
    static func representativeLatencies(_ all: [LatencySummary]) -> [(LatencySummary, String)] {
        guard all.count > maxLines else { return all.map { ($0, "") } }
        let byP99 = all.sorted { $0.p99 != $1.p99 ? $0.p99 < $1.p99 : $0.entity < $1.entity }
        return [(byP99[0], " (lowest p99)"), (byP99[(byP99.count - 1) / 2], " (median p99)"), (byP99[byP99.count - 1], " (highest p99)")]
    }

    /// An axis label with its unit: "utilization (%)", "CPU (cores)", "goodput (Gb/s)".
    static func axisLabel(_ column: (metric: String, unit: String)) -> String {
        let names = [
            "cpu_cores": "CPU", "all_cpu_cores": "CPU, all domains", "cpu_utilization": "CPU utilization",
            "root_cpu_utilization": "root CPU utilization",
            "hypervisor_cpu_utilization": "hypervisor CPU utilization", "tx_throughput": "transmit throughput",
            "rx_throughput": "receive throughput", "in_flight_packets": "packets in flight",
            "guest_cpu_utilization": "guest CPU utilization",
        ]
        let units = ["percent": "%", "Gbps": "Gb/s", "Mbps": "Mb/s", "kbps": "kb/s", "bps": "b/s"]
        return "\(names[column.metric] ?? column.metric.replacingOccurrences(of: "_", with: " ")) (\(units[column.unit] ?? column.unit))"
    }

    /// `text` in lines of at most `width` characters, broken between words (a longer word on a line of its own).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Lines as one gnuplot string, joined by "\n" escapes (gnuplot reads them as line breaks).
    static func quoteLines(_ lines: [String]) -> String {
        "\"" + lines.map { quote($0).dropFirst().dropLast() }.joined(separator: "\\n") + "\""
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
