import Models

/// Renders `summary.md`: the run's facts, then tables that lead with what the
/// user asked for (throughput, latency, drops, host overhead), then every other
/// metric the model reported, grouped by entity kind. Driven entirely by the
/// report's tidy rows, so a new metric appears without a change here.
public enum MarkdownReport {
    /// Most metric columns per table; wider pivots are split.
    static let maxColumns = 7

    public static func render(_ doc: SummaryDocument) -> String {
        let r = doc.report, i = r.info, h = doc.headline
        var out: [String] = []
        out.append("# \(doc.scenario.name) — results")
        out.append("")
        if doc.run.status != .complete {
            out.append("> **\(TerminalSummary.statusText(doc.run))**")
            out.append("")
        }
        if !doc.scenario.description.isEmpty { out.append(doc.scenario.description); out.append("") }
        if doc.mode == .brief && !doc.distributions.isEmpty {
            out.append(
                "A brief report: a kind of more than \(ReportMode.entityLimit) entities shows its \(ReportMode.keptHighest) highest and \(ReportMode.keptLowest) lowest, then every metric across all of them. Every row is in metrics.csv and latency.csv; `vnetsim run --report full` writes everything here too."
            )
            out.append("")
        }
        let overrides: [[String]] =
            doc.scenario.overrides.isEmpty ? [] : [["Overrides", doc.scenario.overrides.map { "`--set \($0)`" }.joined(separator: " ")]]
        let runID: [[String]] = doc.run.id.map { [["Run id", "`\($0)`"]] } ?? []
        out.append(
            table(
                ["", ""],
                [
                    ["Status", doc.run.status == .complete ? "complete" : "**\(doc.run.status.rawValue)**"],
                    ["Scenario file", "`\(doc.scenario.file)`"],
                ] + overrides + [
                    ["Seed / replication", "\(i.seed) / \(i.replication)"]
                ] + runID + [
                    [
                        "Simulated",
                        "\(NumberFormat.duration(i.duration))\(i.status == .complete ? "" : " of \(NumberFormat.duration(i.requestedDuration)) requested") (warm-up \(NumberFormat.duration(i.warmup)), measured \(NumberFormat.duration(i.duration - i.warmup)))",
                    ],
                    ["Events", NumberFormat.fixed(Double(i.events), decimals: 0)],
                    ["Fingerprint", "`\(i.fingerprint)`"],
                    ["vnetsim", "\(doc.tool.version) (git `\(doc.tool.gitRevision.prefix(12))`)"],
                ]))

        out.append("## Headline")
        out.append("")
        var intro = "Host rows of metrics.csv, by their names in docs/metrics.md (meanings and denominators there)."
        if !h.cpuParts.isEmpty { intro += " Host CPU: " + h.cpuParts.joined(separator: " · ") + "." }
        if let p = h.packetsText { intro += " Packets/s: \(p)." }
        out.append(intro)
        out.append("")
        var rows = MetricCatalog.headline.compactMap { s in h.human(s).map { ["`\(s.name)`", $0] } }
        if let w = h.worstLatency {
            rows.append([
                "worst latency",
                "p99 \(NumberFormat.duration(w.p99Microseconds * 1e-6)) (\(w.entity)) · p50 \(NumberFormat.duration(w.p50Microseconds * 1e-6))",
            ])
        }
        out.append(table(["metric", "value"], rows, rightAlignedFrom: 1))

        out += verdictSection(r)

        let flows = MetricPivot(kind: .flow, metrics: r.metrics)
        if !flows.isEmpty {
            out.append("## \(EntityKind.flow.title)")
            out.append("")
            out += isCut(.flow, doc) ? cutSection(flows, doc) : pivotTables(flows)
        }

        if !r.latencies.isEmpty {
            out.append("## Latency")
            out.append("")
            out.append("Microseconds, measured after the warm-up.")
            out.append("")
            let ordered = r.latencies.enumerated().sorted { a, b in
                let x = EntityKind.reportOrder.firstIndex(of: a.element.kind) ?? 99,
                    y = EntityKind.reportOrder.firstIndex(of: b.element.kind) ?? 99
                return (x, a.offset) < (y, b.offset)
            }.map(\.element)
            out.append(
                table(
                    ["kind", "entity", "samples", "min", "mean", "p50", "p90", "p99", "p99.9", "max"],
                    ordered.map { l in
                        [l.kind.rawValue, l.entity, String(l.samples)]
                            + [l.minimum, l.mean, l.p50, l.p90, l.p99, l.p999, l.maximum].map { NumberFormat.significant($0, 4) }
                    }, rightAlignedFrom: 2))
        }

        out.append("## Drops by cause")
        out.append("")
        let c = r.conservation
        if c.droppedByCause.isEmpty || c.dropped == 0 {
            out.append("No packet was dropped.")
            out.append("")
        } else {
            out.append(
                table(
                    ["cause", "packets", "share of created"],
                    c.droppedByCause.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { k, v in
                        [k, String(v), c.created > 0 ? NumberFormat.significant(100 * Double(v) / Double(c.created), 3) + " %" : "–"]
                    }, rightAlignedFrom: 1))
        }
        var balance =
            "Conservation: created \(c.created) = delivered \(c.delivered) + dropped \(c.dropped) + in flight \(c.inFlight) — \(c.holds ? "holds" : "**VIOLATED**")."
        if !c.inFlightByStage.isEmpty {
            balance +=
                " In flight at the end: "
                + c.inFlightByStage.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "."
        }
        out.append(balance)
        out.append("")

        for kind in EntityKind.reportOrder where kind != .flow {
            let p = readingOrder(MetricPivot(kind: kind, metrics: r.metrics))
            guard !p.isEmpty else { continue }
            out.append("## \(kind.title)")
            out.append("")
            if isCut(kind, doc) {
                out += cutSection(p, doc)
            } else if p.entities.count == 1 {
                out.append(
                    table(
                        ["metric", p.entities[0], "unit"],
                        p.columns.enumerated().map { j, col in
                            [col.metric, p.values[0][j].map { NumberFormat.significant($0, 4) } ?? "–", col.unit]
                        }, rightAlignedFrom: 1, rightAlignedTo: 1))
            } else {
                out += pivotTables(p)
            }
        }

        out += networkSection(r)

        if !r.series.isEmpty {
            out.append("## Time series")
            out.append("")
            out.append("In `timeseries.csv` (one row per point); plotted by `scripts/plot`.")
            out.append("")
            out.append(
                table(
                    ["entity", "metric", "unit", "interval", "points", "mean", "max"],
                    r.series.map { s in
                        let mean = s.values.isEmpty ? 0 : s.values.reduce(0, +) / Double(s.values.count)
                        return [
                            "\(s.kind.rawValue) \(s.entity)", s.metric, s.unit, NumberFormat.duration(s.interval), String(s.values.count),
                            NumberFormat.significant(mean, 4), NumberFormat.significant(s.values.max() ?? 0, 4),
                        ]
                    }, rightAlignedFrom: 3))
        }

        if !doc.captures.isEmpty {
            out.append("## Packet captures")
            out.append("")
            out.append(table(["file", "port", "frames"], doc.captures.map { [$0.file, $0.port, String($0.frames)] }, rightAlignedFrom: 2))
        }

        if !r.costInputs.isEmpty {
            out.append("## Cost inputs")
            out.append("")
            out.append("Cycles at the host clock; every other number in this report is a result of these, the topology and the load.")
            out.append("")
            out.append(
                table(
                    ["scope", "stage", "cycles/packet", "cycles/byte", "by size", "source"],
                    r.costInputs.map {
                        [
                            $0.scope, $0.stage, NumberFormat.fixed(Double($0.fixedCycles), decimals: 0),
                            NumberFormat.significant($0.cyclesPerByte, 4),
                            $0.pieces.isEmpty ? "–" : $0.pieces, $0.source,
                        ]
                    }, rightAlignedFrom: 2, rightAlignedTo: 3))
        }

        if !r.notes.isEmpty {
            out.append("## Notes")
            out.append("")
            for n in r.notes { out.append("- \(n)") }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// Columns in reading order: the headline metrics first, drop counters last, the rest as reported.
    static func readingOrder(_ p: MetricPivot) -> MetricPivot {
        let first = MetricCatalog.leadingColumns.map(\.name) + MetricCatalog.headline.map(\.name)
        func rank(_ m: String) -> Int {
            if let i = first.firstIndex(of: m) { return i }
            return m.hasPrefix(MetricCatalog.drops.name) ? 10_000 : 1_000
        }
        let order = p.columns.indices.sorted { (rank(p.columns[$0].metric), $0) < (rank(p.columns[$1].metric), $1) }
        var q = p
        q.columns = order.map { p.columns[$0] }
        q.values = p.values.map { row in order.map { row[$0] } }
        return q
    }

    /// Whether brief mode cut `kind` to its extremes (it has distributions).
    static func isCut(_ kind: EntityKind, _ doc: SummaryDocument) -> Bool { doc.distributions.contains { $0.kind == kind } }

    /// A kind cut by brief mode: its kept entities' leading columns, then every metric's distribution across all.
    static func cutSection(_ pivot: MetricPivot, _ doc: SummaryDocument) -> [String] {
        let p = readingOrder(pivot)  // its order again in pivotTables: a stable sort, so the same
        let all = doc.distributions.filter { $0.kind == p.kind }
        let n = all.map(\.entities).max() ?? p.entities.count
        var out: [String] = []
        let lead = p.columns.first.map { " by `\($0.metric)`" } ?? ""
        out.append("\(n) \(p.kind.rawValue) entities: the highest and lowest\(lead), then each metric across all \(n).")
        out.append("")
        // Highest first, by the lead column.
        func leadValue(_ e: Int) -> Double { (p.values[e].first ?? nil) ?? -Double.infinity }
        let order = p.entities.indices.sorted { (leadValue($0), p.entities[$1]) > (leadValue($1), p.entities[$0]) }
        var lead4 = p
        lead4.entities = order.map { p.entities[$0] }
        lead4.columns = Array(p.columns.prefix(cutColumns))
        lead4.values = order.map { Array(p.values[$0].prefix(cutColumns)) }
        out += pivotTables(lead4)
        let varying = all.filter { $0.minimum != $0.maximum }, same = all.filter { $0.minimum == $0.maximum }
        if !varying.isEmpty {
            out.append(
                table(
                    ["metric", "unit", "min", "median", "max", "lowest", "highest"],
                    varying.map { d in
                        [d.metric, d.unit] + [d.minimum, d.median, d.maximum].map { NumberFormat.significant($0, 4) } + [
                            d.minimumEntity, d.maximumEntity,
                        ]
                    }, rightAlignedFrom: 2, rightAlignedTo: 4))
        }
        if !same.isEmpty {
            out.append(
                "The same for every entity that has it: "
                    + same.map { "`\($0.metric)` \(NumberFormat.significant($0.minimum, 4)) \($0.unit)" }.joined(separator: ", ") + ".")
            out.append("")
        }
        return out
    }

    /// Columns of a cut kind's table of its highest and lowest entities (its distribution table has every metric).
    static let cutColumns = 4

    static func pivotTables(_ pivot: MetricPivot) -> [String] {
        let p = readingOrder(pivot)
        var out: [String] = []
        var start = 0
        repeat {
            let cols = Array(start..<min(start + maxColumns, p.columns.count))
            let header =
                [p.kind.rawValue]
                + cols.map { p.columns[$0].unit.isEmpty ? p.columns[$0].metric : "\(p.columns[$0].metric) (\(p.columns[$0].unit))" }
            let rows = p.entities.indices.map { e in
                [p.entities[e]] + cols.map { p.values[e][$0].map { NumberFormat.significant($0, 4) } ?? "–" }
            }
            out.append(table(header, rows, rightAlignedFrom: 1))
            start += maxColumns
        } while start < p.columns.count
        return out
    }

    /// A GitHub-flavoured Markdown table, columns padded for reading as plain text, then a blank line.
    static func table(_ header: [String], _ rows: [[String]], rightAlignedFrom: Int = .max, rightAlignedTo: Int = .max) -> String {
        let cells = ([header] + rows).map { $0.map { $0.replacingOccurrences(of: "|", with: "\\|") } }
        var width = [Int](repeating: 3, count: header.count)
        for row in cells { for (j, c) in row.enumerated() where j < width.count { width[j] = max(width[j], c.count) } }
        func right(_ j: Int) -> Bool { j >= rightAlignedFrom && j <= rightAlignedTo }
        func line(_ row: [String]) -> String {
            "| "
                + row.enumerated().map { j, c in
                    let pad = String(repeating: " ", count: max(0, width[j] - c.count))
                    return right(j) ? pad + c : c + pad
                }.joined(separator: " | ") + " |"
        }
        var lines = [line(cells[0])]
        lines.append(
            "|"
                + width.indices.map { j in
                    right(j)
                        ? " " + String(repeating: "-", count: width[j] - 1) + ": " : " " + String(repeating: "-", count: width[j]) + " "
                }.joined(separator: "|") + "|")
        for row in cells.dropFirst() { lines.append(line(row)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Entities listed per kind of verdict at most (the rest are counted; summary.json has them all).
    static let maxVerdictsPerCode = 4

    /// "## Verdicts": whether the figures stand, each verdict with its evidence; then what limits the run and
    /// each flow.
    static func verdictSection(_ r: RunReport) -> [String] {
        var out = ["## Verdicts", ""]
        let groups = VerdictText.grouped(r.verdicts)
        if groups.isEmpty {
            out += ["A steady state: nothing saturated, no growing backlog, no drops; the figures stand.", ""]
        } else {
            var rows: [[String]] = []
            for g in groups {
                for v in g.prefix(maxVerdictsPerCode) {
                    rows.append([VerdictText.title(v.code), "\(v.kind.rawValue) \(v.entity)", v.message])
                }
                if g.count > maxVerdictsPerCode {
                    rows.append([
                        VerdictText.title(g[0].code), "", "… and \(g.count - maxVerdictsPerCode) more \(g[0].kind.plural) (summary.json)",
                    ])
                }
            }
            out.append(table(["verdict", "entity", "evidence"], rows))
        }
        if let b = r.runBottleneck {
            out.append("Bottleneck of the run: \(VerdictText.bottleneck(b)).")
            out.append("")
        }
        let flows = r.bottlenecks.filter { $0.flow != nil }
        if !flows.isEmpty {
            // Flows that share a bottleneck are listed together.
            var byText: [(String, [String])] = []
            for b in flows {
                let t = VerdictText.bottleneck(b)
                if let i = byText.firstIndex(where: { $0.0 == t }) { byText[i].1.append(b.flow!) } else { byText.append((t, [b.flow!])) }
            }
            out.append(
                table(
                    ["bottleneck", "flows"],
                    byText.map { t, names in
                        [
                            t,
                            names.count <= 6
                                ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more",
                        ]
                    }))
        }
        return out
    }
}
