import Models

extension CSVReports {
    /// `networks.csv`: each Virtual Server network's one-second samples (`IVMVirtualNetwork`'s per-second values; the
    /// last 60 are its `*History`): bytes and packets sent (taken from its connections), received (handed to them) and
    /// dropped in the second ending at `time_s`.
    public static func networks(_ r: RunReport) -> CSVTable {
        var t = CSVTable(
            header: keyHeader + [
                "network", "time_s", "bytes_sent", "packets_sent", "bytes_received", "packets_received", "bytes_dropped",
                "packets_dropped", "in_history",
            ])
        let k = keyColumns(r)
        for n in r.networks ?? [] {
            let historyFrom = n.history.first?.time ?? .infinity
            for s in n.perSecond {
                t.append(
                    k + [
                        n.name, NumberFormat.exact(s.time), String(s.bytesSent), String(s.packetsSent), String(s.bytesReceived),
                        String(s.packetsReceived), String(s.bytesDropped), String(s.packetsDropped), s.time >= historyFrom ? "1" : "0",
                    ])
            }
        }
        return t
    }

    /// `dhcp_leases.csv`: the leases each network's DHCP server holds at the end of the run.
    public static func dhcpLeases(_ r: RunReport) -> CSVTable {
        var t = CSVTable(header: keyHeader + ["network", "client", "address", "expires_s"])
        let k = keyColumns(r)
        for n in r.networks ?? [] {
            for l in n.dhcp?.leases ?? [] { t.append(k + [n.name, l.client, l.address, NumberFormat.exact(l.expires)]) }
        }
        return t
    }
}
