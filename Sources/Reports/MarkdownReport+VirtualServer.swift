import Models

extension MarkdownReport {
    /// "## Virtual Server networks": each network's removals (with the transmissions they left incomplete), its DHCP
    /// server (pool, leases, messages, exhaustion) and its last seconds of history; empty on Hyper-V.
    static func networkSection(_ r: RunReport) -> [String] {
        guard let networks = r.networks, !networks.isEmpty else { return [] }
        var out = ["## Virtual Server networks", ""]
        out.append(
            table(
                ["network", "bound to", "at the end", "attached", "removals", "incomplete transmissions", "DHCP leases"],
                networks.map { n in
                    [
                        n.name, n.nic.map { "NIC \($0)" } ?? "internal", n.existsAtEnd ? "exists" : "removed",
                        n.attachedAtEnd.isEmpty ? "–" : n.attachedAtEnd.joined(separator: ", "), String(n.removals.count),
                        n.removals.isEmpty
                            ? "–"
                            : "\(n.removals.reduce(0) { $0 + $1.incompletePackets }) (\(Quantity.human(Double(n.removals.reduce(0) { $0 + $1.incompleteBytes }), unit: "bytes")))",
                        n.dhcp.map { d in d.enabled ? "\(d.leases.count) of \(d.poolSize)" : "disabled" } ?? "none",
                    ]
                }))
        if let status = r.adapterStatus, !status.isEmpty {
            out.append(
                table(
                    ["adapter", "network at the end", "VM", "address"],
                    status.map { a in
                        [
                            a.adapter, !a.present ? "removed" : a.network ?? "detached", a.vmRunning ? "running" : "stopped",
                            a.address.map { "\($0) (\(a.addressing))" } ?? (a.addressing == "none" ? "**no lease**" : "–"),
                        ]
                    }))
        }
        for n in networks {
            for m in n.removals {
                out.append(
                    "- `\(n.name)` \(m.deleted ? "deleted" : "unregistered") at \(NumberFormat.duration(m.time)): \(m.incompletePackets) packets in flight on it (\(m.incompleteBytes) bytes) were lost as incomplete transmissions; detached: \(m.detachedAdapters.isEmpty ? "none" : m.detachedAdapters.joined(separator: ", "))."
                )
            }
            if let d = n.dhcp, d.enabled {
                let msgs = d.messages.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                out.append(
                    "- `\(n.name)` DHCP server: pool \(d.pool) (\(d.poolSize) addresses), \(d.leases.count) leases at the end (at most \(d.peakLeases)); messages: \(msgs.isEmpty ? "none" : msgs.joined(separator: ", "))"
                        + (d.exhausted > 0 ? "; **\(d.exhausted) DISCOVERs found the pool exhausted**" : "") + ".")
            }
        }
        if networks.contains(where: { !$0.removals.isEmpty || $0.dhcp?.enabled == true }) { out.append("") }
        out.append("One-second samples are in `networks.csv` (the last 60 of each network are its history, `in_history = 1`).")
        out.append("")
        return out
    }
}
