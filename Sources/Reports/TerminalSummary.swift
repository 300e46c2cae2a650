import Models

/// The short table a run prints: it fits on one screen (at most 24 lines of at
/// most 100 columns) and leads with throughput and host overhead.
public enum TerminalSummary {
    /// Flows listed individually at most; the rest are summarised in one line.
    static let maxFlows = 8

    /// - Parameter writeFailure: set when the results could not be written: the summary is still
    ///   printed (what was computed is never lost), with status FAILED and this cause.
    public static func render(_ doc: SummaryDocument, resultsPath: String? = nil, writeFailure: String? = nil) -> String {
        let r = doc.report, h = doc.headline, i = r.info
        var lines: [String] = []
        lines.append(
            "\(doc.scenario.name) · seed \(i.seed) · \(NumberFormat.duration(i.duration)) simulated (warm-up \(NumberFormat.duration(i.warmup))) · \(NumberFormat.count(i.events)) events"
        )
        let flowCount = doc.entityCount(.flow)
        lines.append(
            row(
                "Throughput",
                [
                    h.human(MetricCatalog.goodput).map { "\($0) goodput" }, h.packetsText,
                    flowCount > 0 ? "\(flowCount) flow\(flowCount == 1 ? "" : "s")" : nil,
                ]))
        lines.append(row("Host CPU", h.cpuParts))
        let host = h[MetricCatalog.hostCyclesPerPacket], all = h[MetricCatalog.allCyclesPerPacket]
        if host != nil || all != nil {
            lines.append(
                row(
                    "Cycles/pkt",
                    [
                        host.map { "host \(NumberFormat.significant($0, 4)) (root + hypervisor)" },
                        all.map { "all \(NumberFormat.significant($0, 4)) (with guest)" },
                    ]))
        }
        if let w = h.worstLatency {
            lines.append(
                row(
                    "Latency",
                    [
                        "p50 \(NumberFormat.duration(w.p50Microseconds * 1e-6))",
                        "p99 \(NumberFormat.duration(w.p99Microseconds * 1e-6)) (worst: \(w.entity))",
                    ]))
        }
        let c = r.conservation
        var drop = "\(NumberFormat.count(c.dropped)) of \(NumberFormat.count(c.created)) packets"
        if c.dropped > 0 {
            let top = c.droppedByCause.filter { $0.value > 0 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(3)
            drop += " (" + top.map { "\($0.key) \(NumberFormat.count($0.value))" }.joined(separator: ", ") + ")"
        }
        lines.append(row("Drops", [drop]))
        lines += networkLines(r)
        lines += verdictLines(r)

        let flows = MetricPivot(kind: .flow, metrics: r.metrics)
        if !flows.isEmpty {
            let g = flows.column(MetricCatalog.goodput.name)
            let p = flows.column(MetricCatalog.deliveredPacketsPerSecond.name)
            let lat = Dictionary(r.latencies.filter { $0.kind == .flow }.map { ($0.entity, $0) }, uniquingKeysWith: { a, _ in a })
            var order = Array(flows.entities.indices)
            if let g {
                order.sort { (flows.values[$0][g] ?? -1, flows.entities[$1]) > (flows.values[$1][g] ?? -1, flows.entities[$0]) }
            }
            var table: [[String]] = [["flow", MetricCatalog.goodput.label, MetricCatalog.deliveredPacketsPerSecond.label, "p50", "p99"]]
            // The flow table gets the lines the rest leaves of one screen (24 lines).
            let budget = Swift.max(1, 24 - lines.count - 5 - (resultsPath == nil ? 0 : 1) - (flowCount > maxFlows ? 1 : 0))
            let shown = Swift.min(maxFlows, budget, flows.entities.count)
            for e in order.prefix(shown) {
                let m = flows.values[e]
                table.append([
                    String(flows.entities[e].prefix(28)),
                    g.flatMap { m[$0] }.map { Quantity.human($0, unit: flows.columns[g!].unit) } ?? "–",
                    p.flatMap { m[$0] }.map { Quantity.human($0, unit: flows.columns[p!].unit) } ?? "–",
                    lat[flows.entities[e]].map { NumberFormat.duration($0.p50 * 1e-6) } ?? "–",
                    lat[flows.entities[e]].map { NumberFormat.duration($0.p99 * 1e-6) } ?? "–",
                ])
            }
            lines.append("")
            lines += aligned(table).map { "  " + $0 }
            if flowCount > shown {
                lines.append(
                    "  … \(flowCount - shown) more flows in \(doc.mode == .brief && flowCount > flows.entities.count ? "metrics.csv" : "summary.md")"
                )
            }
        }
        lines.append("")
        lines.append(row("Status", [writeFailure.map { "FAILED: results not written: \($0)" } ?? statusText(doc.run)]))
        lines.append(
            row(
                "Conservation",
                [
                    c.holds
                        ? "holds: created \(c.created) = delivered + dropped + in flight (\(c.inFlight))"
                        : "VIOLATED: created \(c.created) ≠ \(c.delivered) + \(c.dropped) + \(c.inFlight)"
                ]))
        if let resultsPath { lines.append(row("Results", [resultsPath])) }
        return lines.map { $0.count > 100 ? String($0.prefix(99)) + "…" : $0 }.joined(separator: "\n") + "\n"
    }

    /// Virtual Server: one line on the networks (removals and their incomplete transmissions, else what is attached)
    /// and one on their DHCP servers' leases; none on Hyper-V.
    static func networkLines(_ r: RunReport) -> [String] {
        guard let networks = r.networks, !networks.isEmpty else { return [] }
        var parts: [String] = []
        for n in networks {
            if n.removals.isEmpty {
                parts.append("\(n.name): \(n.attachedAtEnd.count) attached")
            } else {
                for m in n.removals {
                    parts.append(
                        "\(n.name) \(m.deleted ? "deleted" : "unregistered") at \(NumberFormat.duration(m.time)): \(NumberFormat.count(m.incompletePackets)) transmissions incomplete (\(Quantity.human(Double(m.incompleteBytes), unit: "bytes")))"
                    )
                }
            }
        }
        var out = [row("Networks", parts)]
        let dhcp = networks.compactMap { n in n.dhcp.flatMap { $0.enabled ? (n.name, $0) : nil } }
        if !dhcp.isEmpty {
            out.append(
                row(
                    "DHCP",
                    dhcp.map { name, d in
                        "\(name): \(d.leases.count) leases of \(d.poolSize)" + (d.exhausted > 0 ? ", pool exhausted \(d.exhausted)×" : "")
                    }))
        }
        return out
    }

    /// The bottleneck of the run, then one line per kind of verdict (the first entity's message, and how many
    /// more share it), at most `maxVerdictLines`; "steady state" when there is none.
    static func verdictLines(_ r: RunReport) -> [String] {
        var lines: [String] = []
        if let b = r.runBottleneck { lines.append(row("Bottleneck", [VerdictText.bottleneck(b)])) }
        let groups = VerdictText.grouped(r.verdicts)
        if groups.isEmpty {
            lines.append(row("Verdict", ["steady state, nothing saturated, no backlog: the figures stand"]))
            return lines
        }
        for (k, g) in groups.prefix(maxVerdictLines).enumerated() {
            let more = g.count > 1 ? " (and \(g.count - 1) more)" : ""
            let text = "\(VerdictText.title(g[0].code)): \(g[0].kind == .flow ? "flow \(g[0].entity): " : "")\(g[0].message)\(more)"
            lines += wrapped(k == 0 ? "Verdict" : "", text, width: 100, maxLines: 2)
        }
        if groups.count > maxVerdictLines {
            lines.append(row("", ["… \(groups.count - maxVerdictLines) more kinds of verdict in summary.md"]))
        }
        return lines
    }

    /// Kinds of verdict listed at most.
    static let maxVerdictLines = 4

    /// `text` after a 12-column label, wrapped at spaces into at most `maxLines` lines of `width` columns.
    static func wrapped(_ label: String, _ text: String, width: Int, maxLines: Int) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        let room = width - 13
        while !rest.isEmpty && out.count < maxLines {
            var cut = rest.endIndex
            if rest.count > room {
                let limit = rest.index(rest.startIndex, offsetBy: room)
                cut = rest[..<limit].lastIndex(of: " ") ?? limit
                if out.count == maxLines - 1 { cut = rest.index(rest.startIndex, offsetBy: room - 1) }
            }
            var piece = String(rest[..<cut])
            rest = rest[cut...].drop { $0 == " " }
            if out.count == maxLines - 1 && !rest.isEmpty { piece += "…" }
            out.append((out.isEmpty ? label : "").padding(12) + " " + piece)
        }
        return out
    }

    /// "complete: 2 s simulated", or "INTERRUPTED by SIGTERM at 734 ms of 2 s simulated: partial results".
    public static func statusText(_ run: RunState) -> String {
        let reached = NumberFormat.duration(run.simulatedSeconds), requested = NumberFormat.duration(run.requestedSeconds)
        switch run.status {
        case .complete: return "complete: \(reached) simulated"
        case .interrupted:
            return "INTERRUPTED\(run.stopCause.map { " by \($0)" } ?? "") at \(reached) of \(requested) simulated: partial results"
        case .failed: return "FAILED at \(reached) of \(requested) simulated"
        }
    }

    static func row(_ label: String, _ parts: [String?]) -> String {
        let p = parts.compactMap { $0 }
        return label.padding(12) + " " + (p.isEmpty ? "–" : p.joined(separator: " · "))
    }

    static func aligned(_ rows: [[String]]) -> [String] {
        guard let n = rows.first?.count else { return [] }
        var w = [Int](repeating: 0, count: n)
        for r in rows { for (j, c) in r.enumerated() { w[j] = max(w[j], c.count) } }
        return rows.map { r in
            r.enumerated().map { j, c in j == 0 ? c.padding(w[j]) : String(repeating: " ", count: w[j] - c.count) + c }.joined(
                separator: "   ")
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
