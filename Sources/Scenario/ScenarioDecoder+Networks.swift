import Models
import SimCore
import Yams

/// An IPv4 address or prefix as written in a scenario.
enum IPv4Text {
    static func address(_ s: String) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt32(p), n <= 255 else { return nil }
            v = v << 8 | n
        }
        return v
    }

    static func prefix(_ s: String) -> (network: UInt32, length: Int)? {
        let parts = s.split(separator: "/")
        guard parts.count == 2, let a = address(String(parts[0])), let len = Int(parts[1]), (0...32).contains(len) else { return nil }
        return (a, len)
    }

    static func text(_ v: UInt32) -> String { "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).\(v & 255)" }
}

extension ScenarioDecoder {
    /// Reads Virtual Server networks (`networks:`) into `config.switches` as ``SwitchConfig/virtualNetwork(name:nic:portQueuePackets:dhcp:)``
    /// and checks their DHCP rules (MODEL-REFERENCE §2): start ≥ network+16; lease ≥ 60 s, renewal ≥ 30 s, rebinding ≥ 45 s;
    /// renewal < rebinding < lease; all whole seconds below 2³² s; at most two WINS servers.
    ///
    /// A network's DHCP server is configured in the file, before any VM attaches (Virtual Server's rule), so there is no
    /// run-time reconfiguration. A network on a Hyper-V host, or a Hyper-V switch on a Virtual Server one, is the
    /// model's `checkPlatform` error, located at the entry through `pathMap`.
    func readNetworks(_ top: MappingReader) {
        for (node, path) in top.list("networks") {
            if config.switches.count >= ConfigurationLimits.switches {
                reportOverLimit(node, "this is switch or network \(config.switches.count + 1)", limit: ConfigurationLimits.switches)
                break
            }
            guard let m = MappingReader(node, path: path, section: ScenarioSchema.network, collector: c) else { continue }
            defer { m.finish() }
            m.require("name")
            guard let name = m.string("name"), checkName(name, node: m.value("name"), noun: "network"),
                define(name, in: &networkAt, node: m.value("name"), noun: "network")
            else { m.abandon(); continue }
            if let first = switchAt[name] {
                c.error(
                    m.value("name"), "'\(name)' already names a switch (line \(first.line))",
                    fix: "give the network a name no switch has")
            }
            var nic: String?
            if let n = m.string("nic") {
                _ = reference(n, in: nicAt, node: m.value("nic"), noun: "NIC", defineHint: "nics")
                nic = n
            }
            var queue = ScenarioSchema.sw.portQueuePackets
            if let q = m.integer("port_queue", in: 1...1_000_000) { queue = Int(q) }
            var dhcp: DHCPServerConfig?
            if let d = m.mapping("dhcp", ScenarioSchema.dhcp) { dhcp = readDHCP(d) }
            pathMap["switches[\(config.switches.count)]"] = path
            config.switches.append(.virtualNetwork(name: name, nic: nic, portQueuePackets: queue, dhcp: dhcp))
        }
    }

    /// The most DNS servers option 6 holds (255 bytes of 4-byte addresses, RFC 2132 §3.8).
    static let maxDNSServers = 63

    /// A DHCP server's configuration, checked; nil when a required part could not be read (already reported).
    func readDHCP(_ d: MappingReader) -> DHCPServerConfig? {
        defer { d.finish() }
        let enabled = d.bool("enabled") ?? true
        d.require("network"); d.require("lease"); d.require("renewal"); d.require("rebinding")
        var net: (network: UInt32, length: Int)?
        if let s = d.string("network") {
            if let p = IPv4Text.prefix(s) {
                let mask: UInt32 = p.length == 0 ? 0 : ~UInt32(0) << (32 - p.length)
                if p.network & ~mask != 0 {
                    c.error(
                        d.value("network"), "'\(s)' has host bits set",
                        fix: "write the network address, '\(IPv4Text.text(p.network & mask))/\(p.length)'")
                }
                if p.length > 27 {
                    c.error(
                        d.value("network"), "a /\(p.length) network has no address left after the 15 Virtual Server reserves",
                        fix: "use a prefix of /27 or shorter, e.g. /24")
                }
                net = (p.network & mask, p.length)
            } else {
                c.error(d.value("network"), "'\(s)' is not an IPv4 prefix", fix: "write e.g. '10.244.0.0/24'")
            }
        }
        func parse(_ s: String, _ node: Node?) -> UInt32? {
            guard let a = IPv4Text.address(s) else {
                c.error(node, "'\(s)' is not an IPv4 address", fix: "write e.g. '10.244.0.16'")
                return nil
            }
            return a
        }
        func addr(_ key: String) -> UInt32? { d.string(key).flatMap { parse($0, d.value(key)) } }
        let start = addr("start"), end = addr("end"), server = addr("server"), gateway = addr("gateway")
        let size: UInt32? = net.map { $0.length == 0 ? 0 : UInt32(1) << UInt32(32 - $0.length) }
        let broadcast = net.map { $0.network &+ size! &- 1 }
        if let net, let broadcast {
            let first = net.network + 16
            if let s = start {
                if s < first || s >= broadcast {
                    c.error(
                        d.value("start"),
                        "start address \(IPv4Text.text(s)) is not in \(IPv4Text.text(first))…\(IPv4Text.text(broadcast - 1))",
                        fix:
                            "Virtual Server reserves the first fifteen addresses: start at network+16 or later, e.g. '\(IPv4Text.text(first))'"
                    )
                }
            }
            if let e = end, e <= net.network || e >= broadcast {
                c.error(
                    d.value("end"), "end address \(IPv4Text.text(e)) is outside the network's host addresses",
                    fix: "end at or before '\(IPv4Text.text(broadcast - 1))'")
            }
            // The server and the gateway are on the network: a host address of it.
            for (key, a) in [("server", server), ("gateway", gateway)] {
                guard let a, a <= net.network || a >= broadcast else { continue }
                c.error(
                    d.value(key),
                    "the \(key == "server" ? "server's address" : "gateway") \(IPv4Text.text(a)) is not a host address of "
                        + "\(IPv4Text.text(net.network))/\(net.length)",
                    fix: "use an address in \(IPv4Text.text(net.network + 1))…\(IPv4Text.text(broadcast - 1))"
                        + (key == "server" ? " (default: network+1, \(IPv4Text.text(net.network + 1)))" : ""))
            }
        }
        if let s = start, let e = end, e < s {
            c.error(d.value("end"), "end address \(IPv4Text.text(e)) is before start \(IPv4Text.text(s))", fix: "swap them")
        } else if let net, net.length <= 27, let broadcast {
            // The pool as the model counts it (DHCPServerConfig.poolSize): start…end without the server's address.
            let pool = DHCPServerConfig(
                network: net.network, prefixLength: net.length, start: start, end: end, server: server, lease: .zero, renewal: .zero,
                rebinding: .zero)
            let s = pool.start, e = pool.end
            if s >= net.network + 16, s < broadcast, e > net.network, e < broadcast, e >= s {
                if pool.poolSize < 1 {
                    c.error(
                        d.value("end") ?? d.value("start") ?? d.node,
                        "the pool \(IPv4Text.text(s))…\(IPv4Text.text(e)) holds only the server's address",
                        fix: "widen start…end, or move 'server' out of it")
                } else if pool.poolSize > ConfigurationLimits.dhcpPool {
                    c.error(
                        d.value("end") ?? d.node,
                        "the pool \(IPv4Text.text(s))…\(IPv4Text.text(e)) has \(pool.poolSize) addresses, more than the limit of \(ConfigurationLimits.dhcpPool)",
                        fix: "set 'end' to at most \(IPv4Text.text(s &+ UInt32(ConfigurationLimits.dhcpPool) &- 1))")
                }
            }
        }
        func addressList(_ key: String, most: Int, rule: String) -> [UInt32] {
            guard let v = d.value(key),
                let items = listItems(v, key: key, of: "IPv4 addresses", example: "[10.244.0.2, 10.244.0.3]")
            else { return [] }
            if items.count > most {
                c.error(v, "'\(key)' lists \(items.count) servers; \(rule)", fix: "list at most \(most)")
            }
            var out: [UInt32] = []
            for item in items {
                guard case .scalar(let s) = item else {
                    c.error(item, "each item of '\(key)' must be an IPv4 address", fix: "write e.g. 10.244.0.2")
                    continue
                }
                guard let a = parse(s.string, item) else { continue }
                if a == 0 || a == UInt32.max || (net != nil && (a == net!.network || a == broadcast!)) {
                    c.error(item, "\(s.string) is not a host address", fix: "give the address of a \(key == "dns" ? "DNS" : "WINS") server")
                    continue
                }
                out.append(a)
            }
            return out
        }
        let dns = addressList("dns", most: Self.maxDNSServers, rule: "DHCP option 6 holds at most \(Self.maxDNSServers) addresses")
        let wins = addressList("wins", most: 2, rule: "Virtual Server takes a primary and a secondary WINS server, no more")
        // 2³²−1 s does not fit in SimTime (≈106 days); the parser already rejects larger values.
        let maxTime = Int64.max
        func secs(_ key: String, min: Int64) -> Int64? {
            guard
                let t = d.quantity(
                    key, .duration, min: min * SimTime.picosecondsPerSecond, max: maxTime,
                    minText: "\(min)s", maxText: "about 106 days")
            else { return nil }
            if t % SimTime.picosecondsPerSecond != 0 {
                c.error(d.value(key), "'\(key)' must be a whole number of seconds (DHCP timers are in seconds)", fix: "round it to seconds")
            }
            return t
        }
        let lease = secs("lease", min: 60), renewal = secs("renewal", min: 30), rebinding = secs("rebinding", min: 45)
        if let r = renewal, let b = rebinding, r >= b {
            c.error(
                d.value("renewal"),
                "renewal (\(SimTime(picoseconds: r).scenarioText)) is not shorter than rebinding (\(SimTime(picoseconds: b).scenarioText))",
                fix: "DHCP needs renewal < rebinding < lease")
        }
        if let b = rebinding, let l = lease, b >= l {
            c.error(
                d.value("rebinding"),
                "rebinding (\(SimTime(picoseconds: b).scenarioText)) is not shorter than the lease (\(SimTime(picoseconds: l).scenarioText))",
                fix: "DHCP needs renewal < rebinding < lease")
        }
        guard let net, let lease, let renewal, let rebinding else { return nil }
        return DHCPServerConfig(
            enabled: enabled, network: net.network, prefixLength: net.length, start: start, end: end, server: server,
            gateway: gateway ?? 0, dns: dns, wins: wins, lease: SimTime(picoseconds: lease), renewal: SimTime(picoseconds: renewal),
            rebinding: SimTime(picoseconds: rebinding))
    }
}
