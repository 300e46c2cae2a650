extension ConfigurationValidator {
    /// Every timeline action: a time within the run, and the flow or the VM's adapter it names.
    mutating func checkTimeline() {
        for (i, t) in config.timeline.enumerated() {
            let at = "timeline[\(i)]"
            // An action after the end never happens (a shortened run keeps a Virtual Server timeline whole this way).
            if t.at < .zero { add("\(at).at", "must not be negative") }
            switch t.action {
            case .startFlow(let n), .stopFlow(let n):
                if !flowNames.contains(n) { add("\(at).flow", "no flow named '\(n)'") }
            case .attachAdapter(let v, let a, let s):
                checkAdapter(v, a, at: at)
                if let s, switchConfig(named: s) == nil { add("\(at).switch", "no switch named '\(s)'") }
            case .detachAdapter(let v, let a), .addAdapter(let v, let a), .removeAdapter(let v, let a):
                checkAdapter(v, a, at: at)
            case .createNetwork(let n), .deleteNetwork(let n), .unregisterNetwork(let n), .registerNetwork(let n):
                if !(switchConfig(named: n)?.isVirtualNetwork ?? false) { add("\(at).network", "no Virtual Server network named '\(n)'") }
            case .setDHCPServer(let n, _):
                if switchConfig(named: n)?.dhcp == nil {
                    add("\(at).network", "network '\(n)' has no DHCP server configured; configure one under its 'dhcp'")
                }
            case .power(let v, _):
                if vm(named: v) == nil { add("\(at).vm", "no VM named '\(v)'") }
            case .removeVF(let v, let a), .restoreVF(let v, let a):
                checkAdapter(v, a, at: at)
                if let ad = vm(named: v)?.adapters.first(where: { $0.name == a }), !ad.sriov,
                    config.host.platform == .hyperV
                {
                    add("\(at).adapter", "adapter '\(v)/\(a)' has no virtual function to remove or restore; give it sriov: true")
                }
            }
        }
    }

    private mutating func checkAdapter(_ v: String, _ a: String, at: String) {
        if !(vm(named: v)?.adapters.contains { $0.name == a } ?? false) { add("\(at).adapter", "no adapter '\(a)' on VM '\(v)'") }
    }

    /// Every capture port: an endpoint that exists and has a port on the switch named.
    mutating func checkCaptures() {
        for (i, c) in config.captures.enumerated() {
            let at = "captures[\(i)]"
            if let sws = endpointSwitches(c.endpoint, path: "\(at).endpoint"), !sws.contains(c.switch) {
                add("\(at).switch", "'\(c.endpoint)' has no port on switch '\(c.switch)'")
            }
        }
    }
}
