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
    /// Reads Virtual Server networks and checks their DHCP rules (MODEL-REFERENCE §2):
    /// start ≥ network+16; lease ≥ 60 s, renewal ≥ 30 s, rebinding ≥ 45 s; renewal < rebinding < lease; all < 2³² s.
    func readNetworks(_ top: MappingReader) {
        let items = top.list("networks")
        for (node, path) in items {
            guard let m = MappingReader(node, path: path, section: ScenarioSchema.network, collector: c) else { continue }
            defer { m.finish() }
            m.require("name")
            if let n = m.string("name"), checkName(n, node: m.value("name"), noun: "network") {
                _ = define(n, in: &networkAt, node: m.value("name"), noun: "network")
            }
            if let nic = m.string("nic") { _ = reference(nic, in: nicAt, node: m.value("nic"), noun: "NIC", defineHint: "nics") }
            if let d = m.mapping("dhcp", ScenarioSchema.dhcp) { readDHCP(d) }
        }
        if !items.isEmpty, let v = top.value("networks") {
            c.error(
                top.keyNode("networks") ?? v, "Virtual Server networks are checked but not simulated by this version of vnetsim",
                fix: "remove 'networks' (and 'delete_network' actions) to run; model VM-to-VM traffic with a private or internal switch")
        }
    }

    func readDHCP(_ d: MappingReader) {
        defer { d.finish() }
        _ = d.bool("enabled")
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
        func addr(_ key: String) -> UInt32? {
            guard let s = d.string(key) else { return nil }
            guard let a = IPv4Text.address(s) else {
                c.error(d.value(key), "'\(s)' is not an IPv4 address", fix: "write e.g. '10.244.0.16'")
                return nil
            }
            return a
        }
        let start = addr("start"), end = addr("end")
        if let net {
            let size = net.length == 32 ? UInt32(1) : UInt32(1) << UInt32(32 - net.length)
            let broadcast = net.network &+ size &- 1
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
        }
        if let s = start, let e = end, e < s {
            c.error(d.value("end"), "end address \(IPv4Text.text(e)) is before start \(IPv4Text.text(s))", fix: "swap them")
        }
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
    }
}
