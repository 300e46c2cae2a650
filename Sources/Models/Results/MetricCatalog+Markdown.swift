extension MetricCatalog {
    /// docs/metrics.md: the naming scheme, then every metric of ``all`` with its unit, kinds, domains, meaning and
    /// denominator, then the metrics of each entity kind. A test fails if the file differs from this text
    /// (regenerate with `VNETSIM_UPDATE_DOCS=1 swift test --filter MetricCatalogTests`).
    public static func markdown() -> String {
        var out: [String] = []
        out.append("# Metrics")
        out.append("")
        out.append(
            "<!-- Generated from MetricCatalog (Sources/Models/Results/MetricCatalog.swift) by MetricCatalog.markdown(); do not edit by hand: "
                + "VNETSIM_UPDATE_DOCS=1 swift test --filter MetricCatalogTests -->")
        out.append("")
        out.append(
            "Every number a run reports is declared once, in `MetricCatalog`: its name, unit, the entity kinds that report it, "
                + "what it means, what it is divided by and which cycle domains it sums. Every output takes its names from there: "
                + "metrics.csv's `metric` column, summary.json's `report.metrics`, `report.series`, `headline.metrics` and "
                + "`distributions`, timeseries.csv, summary.md's tables and the terminal summary; a test fails if any of them uses a "
                + "name this page does not list, or a metric under a kind or unit its row does not give.")
        out.append("")
        out.append("## Names")
        out.append("")
        out.append("```")
        out.append("[<qualifier>_]<quantity>[_per_<denominator>][_<statistic>]      a family: <name>.<value>")
        out.append("```")
        out.append("")
        out.append(
            "* **qualifier** — a cycle domain: `root` (the root partition), `hypervisor`, `guest`, `host` (= root + hypervisor: "
                + "the overhead the host pays), `all` (= root + hypervisor + guest); a direction: `tx`/`rx` (wire, VM), "
                + "`send`/`receive` (VMBus), `in`/`out` (switch port); or a fate: `sent`, `delivered`, `forwarded`, `flooded`, `failed`.")
        out.append(
            "* **quantity** — a plural count (`packets`, `cycles`, `signals`, `interrupts`, `vm_exits`, `transactions`), "
                + "`goodput`/`throughput` (Gb/s), `cpu_utilization` (percent of the cores the denominator names) or `cpu_cores` "
                + "(cores busy: cycles ÷ clock ÷ window).")
        out.append(
            "* **denominator** — `_per_second` for a rate over the measured window (after the warm-up), `_per_packet`, `_per_byte`, "
                + "`_per_message`, `_per_interrupt` for a ratio; the table says which packets or bytes.")
        out.append("* **statistic** — last: `_mean`, `_max`. A family's variable part follows a dot: `drops.<cause>`.")
        out.append("")
        out.append(
            "So `root_cycles_per_packet` is root-partition cycles per delivered packet, `host_cycles_per_packet` adds the hypervisor's, "
                + "and `all_cycles_per_packet` the guests' too; the headline's cycles per packet is `host_cycles_per_packet` in "
                + "summary.json, metrics.csv and on the terminal alike.")
        out.append("")
        out.append("## metrics.csv")
        out.append("")
        out.append(
            "One row per measured value: `scenario,seed,replication,entity_kind,entity,metric,value,unit`. `entity_kind` is one of "
                + EntityKind.reportOrder.map { "`\($0.rawValue)`" }.joined(separator: ", ")
                + "; `entity` its name (`vm3`, `vm3/eth0`, `vm3/eth0/ch0`, `core2`, `vm3/vcpu0`, `pnic0/vmq3`, `external/uplink`, `vsp`…); `metric` a name "
                + "below; `value` the shortest text that reads back as the same double; `unit` the metric's unit below. Every row, "
                + "every entity, in both report modes (`--report brief|full` only changes summary.md and summary.json).")
        out.append("")
        out.append(
            "Adding a metric is adding one `MetricSpec` to `MetricCatalog` (and to its `all`): the report section adds values "
                + "by the spec, and this page, after `VNETSIM_UPDATE_DOCS=1 swift test --filter MetricCatalogTests`, lists it.")
        out.append("")
        out.append("## Every metric")
        out.append("")
        out.append("| Metric | Unit | Kinds | Domains | Meaning | Per |")
        out.append("|---|---|---|---|---|---|")
        for s in all {
            let kinds = s.kinds.sorted().map(\.rawValue).joined(separator: ", ")
            let domains = s.domains.sorted().map(\.rawValue).joined(separator: " + ")
            out.append(
                "| `\(s.pattern)` | \(s.unit) | \(kinds) | \(domains.isEmpty ? "–" : domains) | \(escape(s.meaning)) | \(s.denominator.isEmpty ? "–" : escape(s.denominator)) |"
            )
        }
        out.append("")
        for s in all where s.isFamily {
            out.append(
                "`\(s.pattern)`: `<\(s.familyVariable)>` is one of " + (s.members ?? []).map { "`\($0)`" }.joined(separator: ", ") + ".")
            out.append("")
        }
        out.append("## By entity kind")
        out.append("")
        for k in EntityKind.reportOrder {
            let names = all.filter { $0.kinds.contains(k) }.map { "`\($0.pattern)`" }
            guard !names.isEmpty else { continue }
            out.append("* **\(k.rawValue)** — " + names.joined(separator: ", "))
        }
        out.append("")
        out.append("## Time series")
        out.append("")
        out.append(
            "timeseries.csv and summary.json's `report.series` use the same names: host `root_cpu_utilization`, "
                + "`hypervisor_cpu_utilization` and `in_flight_packets` (packets alive at each sample), each root core's `cpu_utilization`, "
                + "each flow's `goodput`, each NIC's `tx_throughput` and `rx_throughput`, per sampling interval. They run from time 0, "
                + "the warm-up included: `measuredFrom` (summary.json) and the `phase` column (timeseries.csv: `warmup`, `measured`) "
                + "mark where the measured window starts. CPU and link series are busy time inside each interval, never above 100 % "
                + "or the link rate.")
        out.append("")
        return out.joined(separator: "\n")
    }

    static func escape(_ s: String) -> String { s.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}

extension EntityKind {
    /// Report order: what the user asked for first.
    public static let reportOrder: [EntityKind] = [
        .flow, .host, .component, .core, .vm, .adapter, .channel, .port, .vswitch, .nic, .network, .control,
    ]
}
