import SimCore

// The verdicts of a run (`Verdict`) and the bottleneck of every flow and of the run (`Bottleneck`), from the
// servers' busy time, the in-flight series, each flow's latency in the two halves of the window, and the packet
// balance. Thresholds are in `Verdicts`.
extension HostSimulation {
    func judge(_ r: ReportContext, _ c: Conservation, stoppedEarly: Bool) -> (verdicts: [Verdict], bottlenecks: [Bottleneck]) {
        var v: [Verdict] = []
        if stoppedEarly {
            v.append(
                Verdict(
                    .partial, .host, "host",
                    "the run stopped at \(r.end) of \(config.duration): its figures cover \(percentText(r.seconds / max(1e-12, (config.duration - measurement.warmup).seconds) * 100)) of the window",
                    evidence: ["simulated_s": r.end.seconds, "requested_s": config.duration.seconds]))
        }
        let resources = allResources(r)
        for res in resources where res.busy >= Verdicts.saturated {
            v.append(
                Verdict(
                    .saturated, res.kind, res.entity,
                    "\(res.label) was busy \(percentText(res.busy * 100)) of the window: it limits what passes through it",
                    evidence: ["utilization": res.busy * 100]))
        }
        judgeInFlight(r, c, &v)
        judgeFlows(r, stoppedEarly: stoppedEarly, &v)
        judgeDrops(r, &v)
        return (v, bottlenecks(resources))
    }

    /// The in-flight series over the window's halves (growth: not steady; decline: still settling), and the backlog
    /// left at the end.
    private func judgeInFlight(_ r: ReportContext, _ c: Conservation, _ v: inout [Verdict]) {
        let (grew, stage) = stageGrowth(r, c)
        let grewText = grew > 0 ? ", most of the growth in \(stage.name) (+\(countText(Double(grew))))" : ""
        if let s = measurement.series.inFlight?.timeSeries(
            rawInterval: config.sampleInterval.seconds, start: 0, measuredFrom: measurement.warmup.seconds),
            let (a, b) = halves(s)
        {
            let ev = ["first_half": a, "second_half": b, "ratio": a > 0 ? b / a : 0]
            if b >= Verdicts.growth * a && b - a >= Verdicts.growthPackets {
                v.append(
                    Verdict(
                        .notSteadyState, .host, "host",
                        "packets in flight rose \(ratioText(b, a)) from the window's first half to its second (mean \(countText(a)) → \(countText(b)))\(grewText): the offered load exceeds what the path carries",
                        evidence: ev))
            } else if a >= Verdicts.growth * b && a - b >= Verdicts.growthPackets {
                v.append(
                    Verdict(
                        .warmupTooShort, .host, "host",
                        "packets in flight fell \(ratioText(a, b)) from the window's first half to its second (mean \(countText(a)) → \(countText(b))): still settling after the warm-up; use a longer warmup",
                        evidence: ev))
            }
        }
        let delivered = r.packetsDelivered
        if Double(c.inFlight) > Verdicts.backlogShare * delivered && Double(c.inFlight) > Verdicts.growthPackets {
            let top = c.inFlightByStage.max { ($0.value, $1.key) < ($1.value, $0.key) }
            v.append(
                Verdict(
                    .backlog, .host, "host",
                    "\(countText(Double(c.inFlight))) packets are still in flight at the end, \(percentText(Double(c.inFlight) / max(delivered, 1) * 100)) of the \(countText(delivered)) delivered in the window\(top.map { ", \(countText(Double($0.value))) of them in \($0.key)" } ?? "")",
                    evidence: ["in_flight": Double(c.inFlight), "delivered": delivered]))
        }
    }

    /// The stage whose packet count grew most from the window's start to its end.
    private func stageGrowth(_ r: ReportContext, _ c: Conservation) -> (UInt64, PacketStage) {
        var best: (UInt64, PacketStage) = (0, .sendRing)
        for s in PacketStage.allCases {
            let now = c.inFlightByStage[s.name] ?? 0, then = r.baseline.inFlightByStage[Int(s.rawValue)]
            if now > then && now - then > best.0 { best = (now - then, s) }
        }
        return best
    }

    /// Each flow: latency over the window's halves, goodput ramping up, and the samples behind its p99.
    private func judgeFlows(_ r: ReportContext, stoppedEarly: Bool, _ v: inout [Verdict]) {
        for (i, f) in traffic.flows.enumerated() {
            let a = f.firstHalf, b = f.secondHalf
            if !stoppedEarly && a.count >= 10 && b.count >= 10 {
                let m1 = a.mean / 1_000, m2 = b.mean / 1_000
                let ev = ["first_half_mean_us": m1, "second_half_mean_us": m2, "ratio": m1 > 0 ? m2 / m1 : 0]
                if m2 >= Verdicts.growth * m1 && m2 - m1 >= Verdicts.growthMicroseconds {
                    v.append(
                        Verdict(
                            .notSteadyState, .flow, f.name,
                            "latency rose \(ratioText(m2, m1)) from the window's first half to its second (mean \(usText(m1)) → \(usText(m2))): a queue on its path grows, so its latency depends on the run's length",
                            evidence: ev))
                } else if m1 >= Verdicts.growth * m2 && m1 - m2 >= Verdicts.growthMicroseconds {
                    v.append(
                        Verdict(
                            .warmupTooShort, .flow, f.name,
                            "latency fell \(ratioText(m1, m2)) from the window's first half to its second (mean \(usText(m1)) → \(usText(m2))): still settling after the warm-up; use a longer warmup",
                            evidence: ev))
                }
            }
            judgeRamp(i, f, &v)
            let samples = f.latency.total
            if samples > 0 && samples < Verdicts.samplesForP99 {
                v.append(
                    Verdict(
                        .fewSamples, .flow, f.name,
                        "its p99 latency rests on \(samples) samples (fewer than \(countText(Double(Verdicts.samplesForP99)))): run longer for a stable tail",
                        evidence: ["samples": Double(samples)]))
            }
        }
    }

    /// A flow with a steady offer (constant or bulk) whose goodput in the window's first quarter is well below the rest.
    private func judgeRamp(_ i: Int, _ f: FlowState, _ v: inout [Verdict]) {
        guard f.pattern == .constant || f.pattern == .bulk, f.start <= measurement.warmup, f.stop >= config.duration,
            let s = measurement.series.flowGoodput[i].timeSeries(
                rawInterval: config.sampleInterval.seconds, start: 0, measuredFrom: measurement.warmup.seconds) as TimeSeries?
        else { return }
        let points = Array(s.values[s.measuredPoints])
        guard points.count >= 8 else { return }
        let q = points.count / 4
        let early = points[..<q].reduce(0, +) / Double(q), rest = points[q...].reduce(0, +) / Double(points.count - q)
        if rest > 0 && early < Verdicts.ramp * rest {
            v.append(
                Verdict(
                    .warmupTooShort, .flow, f.name,
                    "its goodput in the window's first quarter was \(percentText(early / rest * 100)) of the rest (\(gbpsText(early)) vs \(gbpsText(rest))): still ramping up after the warm-up; use a longer warmup",
                    evidence: ["first_quarter_gbps": early, "rest_gbps": rest]))
        }
    }

    private func judgeDrops(_ r: ReportContext, _ v: inout [Verdict]) {
        let created = Double(accounting.created - r.baseline.created)
        var dropped = 0.0
        var top: (Double, DropCause)? = nil
        for cause in DropCause.allCases {
            let n = Double(accounting.drops[cause.rawValue] - r.baseline.drops[cause.rawValue])
            dropped += n
            if n > (top?.0 ?? 0) { top = (n, cause) }
        }
        guard created > 0, dropped > Verdicts.dropShare * created, let top else { return }
        v.append(
            Verdict(
                .drops, .host, "host",
                "\(countText(dropped)) of the \(countText(created)) packets created in the window were dropped (\(percentText(dropped / created * 100))), most for \(top.1.name) (\(countText(top.0)))",
                evidence: ["dropped": dropped, "created": created]))
    }

    /// The measured points' means over the first and the second half (nil with fewer than 4 points).
    private func halves(_ s: TimeSeries) -> (Double, Double)? {
        let points = Array(s.values[s.measuredPoints])
        guard points.count >= 4 else { return nil }
        let h = points.count / 2
        return (points[..<h].reduce(0, +) / Double(h), points[(points.count - h)...].reduce(0, +) / Double(h))
    }
}

/// A server whose busy share of the window is known: a core, a vCPU, a NIC wire, an emulated link.
struct BusyResource {
    var kind: EntityKind
    var entity: String
    var resource: Bottleneck.Resource
    /// The resource's name in a bottleneck, e.g. "core0", "pnic0 rx".
    var name: String
    /// How a sentence names it, e.g. "core core0", "the receive wire of pnic0".
    var label: String
    var busy: Double
}

extension HostSimulation {
    /// Every core (clock owners: root cores, dedicated vCPUs with their stalls, the physical cores shared vCPUs run
    /// on), every NIC wire and every emulated link, with its busy share of the window.
    func allResources(_ r: ReportContext) -> [BusyResource] {
        var out: [BusyResource] = []
        for o in cores.servers.indices where cores.servers[o].clockOwner == o { out.append(coreResource(o, r)) }
        for n in net.nics {
            out.append(
                BusyResource(
                    kind: .nic, entity: n.name, resource: .wire, name: "\(n.name) tx", label: "the transmit wire of \(n.name)",
                    busy: share(n.txWire.executedWindow(at: r.end, busyUntil: r.end), r)))
            out.append(
                BusyResource(
                    kind: .nic, entity: n.name, resource: .wire, name: "\(n.name) rx", label: "the receive wire of \(n.name)",
                    busy: share(n.rxWire.executedWindow(at: r.end, busyUntil: n.rxWireBusyUntil), r)))
        }
        for d in adapters.devices {
            let name = adapters.endpoints[d.endpoint].name
            out.append(
                BusyResource(
                    kind: .adapter, entity: name, resource: .link, name: "\(name) tx", label: "the emulated link of \(name) (transmit)",
                    busy: share(d.txLink.executedWindow(at: r.end, busyUntil: d.txLinkBusyUntil), r)))
            out.append(
                BusyResource(
                    kind: .adapter, entity: name, resource: .link, name: "\(name) rx", label: "the emulated link of \(name) (receive)",
                    busy: share(d.rxLink.executedWindow(at: r.end, busyUntil: d.rxLinkBusyUntil), r)))
        }
        return out
    }

    /// The clock owner of `s` as a resource: its busy share (a vCPU's stalls on emulated accesses included: it can
    /// run nothing else meanwhile).
    func coreResource(_ s: CoreID, _ r: ReportContext) -> BusyResource {
        let o = cores.servers[s].clockOwner, server = cores.servers[o]
        var busy = server.busy.executedWindow(at: r.end, busyUntil: server.busyUntil)
        if server.role == .vcpu { busy += server.stall.executedWindow(at: r.end, busyUntil: server.busyUntil) }
        let isVCPU = server.role == .vcpu
        return BusyResource(
            kind: .core, entity: server.name, resource: isVCPU ? .vcpu : .core, name: server.name,
            label: isVCPU ? "vCPU \(server.name)" : "core \(server.name)", busy: share(busy, r))
    }

    private func share(_ ps: Int64, _ r: ReportContext) -> Double { Double(ps) / (r.seconds * 1e12) }

    /// The bottleneck of every flow (its busiest resource if saturated, else its window or its offered load), then
    /// of the run (the busiest resource of all).
    func bottlenecks(_ all: [BusyResource]) -> [Bottleneck] {
        var out: [Bottleneck] = []
        let byName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, f) in traffic.flows.enumerated() {
            let path = pathResources(f).compactMap { byName[$0] }
            let top = path.max { ($0.busy, $1.name) < ($1.busy, $0.name) }
            out.append(bottleneck(flow: f.name, top, closedLoop: traffic.closedLoop(FlowID(i))))
        }
        let top = all.max { ($0.busy, $1.name) < ($1.busy, $0.name) }
        out.append(
            bottleneck(flow: nil, top, closedLoop: !traffic.flows.isEmpty && traffic.flows.indices.allSatisfy { traffic.closedLoop($0) }))
        return out
    }

    private func bottleneck(flow: String?, _ top: BusyResource?, closedLoop: Bool) -> Bottleneck {
        let u = (top?.busy ?? 0) * 100
        if let top, top.busy >= Verdicts.saturated {
            return Bottleneck(flow: flow, resource: top.resource, name: top.name, utilization: u)
        }
        return Bottleneck(flow: flow, resource: closedLoop ? .window : .offeredLoad, name: top?.name ?? "", utilization: u)
    }

    /// The names (`BusyResource.name`) of the resources a flow's packets pass: the vCPUs of the VMs at either end,
    /// the root cores of their channels or worker processes (or a host vNIC's), the emulated links, the NIC wires,
    /// and the root core of the NIC receive queue that takes frames from the peer.
    func pathResources(_ f: FlowState) -> [String] {
        var names: [String] = []
        for (e, sending) in [(f.from, true), (f.to, false)] {
            let ep = adapters.endpoints[e]
            switch ep.kind {
            case .syntheticAdapter, .emulatedAdapter:
                names += cores.partitions[ep.vm].vcpus.map { cores.servers[cores.servers[$0].clockOwner].name }
                for ch in 0..<ep.channelCount { names.append(cores.servers[vmbus.channels[ep.firstChannel.advanced(by: ch)].root].name) }
                if ep.device != .none {
                    names.append(cores.servers[adapters.devices[ep.device].worker].name)
                    names.append("\(ep.name) \(sending ? "tx" : "rx")")
                }
            case .hostVNIC, .networkServer:
                names.append(cores.servers[ep.rootCore].name)
            case .external:
                let nic = net.nics[ep.nic]
                names.append("\(nic.name) \(sending ? "rx" : "tx")")
                if sending {
                    let d = adapters.endpoints[f.to]
                    if d.rxQueue != .none && net.queues[d.rxQueue].nic == ep.nic {
                        for j in 0..<d.rxQueueCount { names.append(cores.servers[net.queues[d.rxQueue.advanced(by: j)].core].name) }
                    } else if nic.defaultQueue != .none {
                        names.append(cores.servers[net.queues[nic.defaultQueue].core].name)
                    }
                }
            }
        }
        return names
    }
}

private func percentText(_ p: Double) -> String { p >= 99.95 && p < 100 ? "99.9 %" : fixed(p, p >= 10 ? 1 : 2) + " %" }
private func ratioText(_ a: Double, _ b: Double) -> String { b > 0 ? fixed(a / b, 1) + "×" : "from zero" }
private func usText(_ us: Double) -> String { us >= 1_000 ? fixed(us / 1_000, 2) + " ms" : fixed(us, 1) + " µs" }
private func gbpsText(_ g: Double) -> String { g >= 1 ? fixed(g, 2) + " Gb/s" : fixed(g * 1_000, 1) + " Mb/s" }

/// A count with thousands separators, e.g. "2,961,929".
func countText(_ x: Double) -> String {
    let n = Int64(x.rounded())
    var digits = String(abs(n)), out = ""
    while digits.count > 3 {
        out = "," + digits.suffix(3) + out
        digits.removeLast(3)
    }
    return (n < 0 ? "-" : "") + digits + out
}

/// `x` with `digits` decimals (no Foundation in Models; deterministic).
func fixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let n = (abs(x) * scale).rounded()
    guard n < 9e15 else { return "\(x)" }
    let whole = Int64(n) / Int64(scale), frac = Int64(n) % Int64(scale)
    var f = String(frac)
    while f.count < digits { f = "0" + f }
    return (x < 0 && n > 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
}
