import Models

extension ScenarioSchema {
    /// Marks the generated part of docs/scenarios.md.
    public static let beginMarker = "<!-- BEGIN GENERATED REFERENCE (ScenarioSchema.markdownReference; do not edit by hand) -->"
    public static let endMarker = "<!-- END GENERATED REFERENCE -->"

    /// The reference tables of docs/scenarios.md: units, then every section's keys with type, default and meaning.
    public static func markdownReference() -> String {
        var out: [String] = []
        out.append("### Units")
        out.append("")
        out.append("| Quantity | Suffixes | Examples |")
        out.append("|---|---|---|")
        for k in UnitKind.allCases {
            out.append(
                "| \(k.noun.replacingOccurrences(of: "a ", with: "", options: .anchored)) | \(k.suffixList) | \(k.examples.replacingOccurrences(of: "'", with: "`")) |"
            )
        }
        out.append("")
        out.append(
            "Decimal prefixes are powers of 1000 (`1KB` = 1000B, `1Gbps` = 10⁹ bit/s); binary ones powers of 1024 (`1KiB` = 1024B). "
                + "Durations round to the picosecond; sizes and rates must be whole bytes and bits per second. A bare `0` needs no unit. "
                + "Counts (`vcpus`, `tx_queue`, …) and cycles are plain numbers.")
        out.append("")
        for s in sections {
            out.append("### `\(s.path)`")
            out.append("")
            out.append(s.summary)
            out.append("")
            out.append("| Key | Type | Default | Meaning |")
            out.append("|---|---|---|---|")
            for f in s.fields {
                out.append("| `\(f.key)` | \(escape(f.type)) | \(escape(f.defaultValue)) | \(escape(f.summary)) |")
            }
            out.append("")
        }
        out += costStagesMarkdown()
        return out.joined(separator: "\n")
    }

    /// The "Cost stages" table: every `CostStage` in declaration order (the order reports list them), from
    /// `CostStage.table`.
    static func costStagesMarkdown() -> [String] {
        var out = ["### Cost stages", ""]
        out.append(
            "Every stage of the packet path that costs CPU, in the order reports list them: its key (in a cost profile or `costs`), "
                + "the component its cycles are reported under (`component` rows), whether they are partition time (root or guest, "
                + "by the core) or hypervisor time, the core it is charged to, and what it does.")
        out.append("")
        out.append("| Stage | Component | Domain | Core | Meaning |")
        out.append("|---|---|---|---|---|")
        for s in CostStage.table {
            out.append("| `\(s.name)` | \(s.component) | \(s.domain.rawValue) | \(s.core.rawValue) | \(escape(s.summary)) |")
        }
        out.append("")
        return out
    }

    static func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
