import Models
import SimCore
import Stochastics
import Yams

extension ScenarioDecoder {
    enum PatternName: String, CaseIterable { case constant, poisson, on_off, request_response, bulk }

    /// Keys that only some patterns use; any other pattern reports them instead of ignoring them.
    static let patternKeys: [String: Set<PatternName>] = [
        "rate": [.constant, .poisson, .on_off], "packet_rate": [.constant, .poisson, .on_off],
        "on": [.on_off], "off": [.on_off], "response_size": [.request_response], "think_time": [.request_response],
        "window": [.bulk], "ack_every": [.bulk], "congestion": [.bulk], "streams": [.bulk], "initial_window": [.bulk],
        "min_rto": [.bulk], "initial_rto": [.bulk], "delayed_ack": [.bulk],
        // A bulk flow's segments are the MSS: its frames are not the scenario's to choose.
        "frame_size": [.constant, .poisson, .on_off, .request_response],
    ]

    /// The longest delayed-ACK timeout: RFC 5681 §4.2, an ACK "MUST be generated within 500 ms".
    static let delayedACKLimit = SimTime.milliseconds(500)

    /// The fastest flow, in bits/s, however it is written ('rate', or 'packet_rate' × 'size').
    static let maxFlowBitRate: Int64 = 10_000_000_000_000

    func readFlows(_ top: MappingReader) {
        for (node, path) in top.list("flows") {
            guard let m = MappingReader(node, path: path, section: ScenarioSchema.flowSection, collector: c) else { continue }
            defer { m.finish() }
            m.require("from"); m.require("to"); m.require("pattern")
            let from = m.string("from").flatMap { endpoints($0, node: m.value("from")) }
            let to = m.string("to").flatMap { endpoints($0, node: m.value("to")) }
            let pattern = m.choice("pattern", PatternName.self)
            let transport = m.choice("transport", Transport.self) ?? (pattern == .bulk ? .tcp : .udp)
            if pattern == .bulk, transport != .tcp {
                c.error(
                    m.value("transport"), "a bulk flow is a TCP transfer (a window and ACKs)", fix: "write 'transport: tcp' or remove it")
            }
            if let p = pattern {
                for (key, allowed) in Self.patternKeys.sorted(by: { $0.key < $1.key }) where m.has(key) && !allowed.contains(p) {
                    c.error(
                        m.keyNode(key), "'\(key)' does not apply to a \(p.rawValue) flow",
                        fix: "remove '\(key)' (it is for \(allowed.map(\.rawValue).sorted().joined(separator: ", ")) flows)")
                    _ = m.value(key)
                }
            }
            var size = MessageSize.fixed(1460)
            if let v = m.value("size"), let s = messageSize(v) { size = s }
            let frame = pattern == .bulk ? nil : frameSize(m, transport: transport)
            if let frame { size = .fixed(transport.payloadBytes(frameBytes: frame)) }

            var rate: DataRate?
            if m.has("rate") && m.has("packet_rate") {
                c.error(m.keyNode("packet_rate"), "both 'rate' and 'packet_rate' are given", fix: "keep one of them")
            }
            // `rate: line`: resolved for each flow of the entry once its endpoints are known (`resolveLineRate`).
            var lineRate = false
            if case .scalar(let s)? = m.value("rate"), s.string == "line" {
                // On a closed-loop pattern 'rate' itself is the error.
                lineRate = pattern == .constant || pattern == .poisson || pattern == .on_off
                rate = DataRate(bitsPerSecond: 1)
            } else if let r = m.quantity("rate", .dataRate, min: 1, max: Self.maxFlowBitRate, minText: "1bps", maxText: "10Tbps") {
                rate = DataRate(bitsPerSecond: r)
            }
            if let pps = m.quantity("packet_rate", .packetRate, min: 1, max: 10_000_000_000, minText: "1pps", maxText: "10Gpps") {
                if case .fixed(let b) = size {
                    // ≤ 10^10 pps × 2^20 B × 8: no overflow; the bit rate has the same cap as 'rate'.
                    let bps = pps * Int64(b) * 8
                    if bps > Self.maxFlowBitRate {
                        c.error(
                            m.value("packet_rate"),
                            "'packet_rate' \(pps)pps × \(b)B is \(Double(bps) / 1e12) Tb/s, above the maximum flow rate 10Tbps",
                            fix: "lower 'packet_rate' to at most \(Self.maxFlowBitRate / (Int64(b) * 8))pps, or the 'size'")
                    } else {
                        rate = DataRate(bitsPerSecond: bps)
                    }
                } else {
                    c.error(
                        m.value("packet_rate"), "'packet_rate' needs a fixed message size",
                        fix: "give 'rate' instead, or a fixed 'size' such as '1460B'")
                }
            }
            var tp: TrafficPattern?
            switch pattern {
            case .constant?, .poisson?, .on_off?:
                if rate == nil && !m.has("rate") && !m.has("packet_rate") {
                    c.error(m.node, "a \(pattern!.rawValue) flow has no 'rate'", fix: "add e.g. 'rate: 1Gbps' or 'packet_rate: 50kpps'")
                }
                let r = rate ?? DataRate(bitsPerSecond: 1)
                if pattern == .constant { tp = .constant(rate: r) }
                if pattern == .poisson { tp = .poisson(rate: r) }
                if pattern == .on_off {
                    m.require("on"); m.require("off")
                    let on = m.value("on").flatMap { distribution($0, .duration, key: "on") } ?? .constant(1)
                    let off = m.value("off").flatMap { distribution($0, .duration, key: "off") } ?? .constant(1)
                    tp = .onOff(rate: r, on: on, off: off)
                }
            case .request_response?:
                m.require("response_size")
                let resp = m.quantity("response_size", .byteCount, min: 1, max: 1_048_576, minText: "1B", maxText: "1MiB") ?? 1
                let think = m.value("think_time").flatMap { distribution($0, .duration, key: "think_time") } ?? .constant(0)
                tp = .requestResponse(responseBytes: Int(resp), thinkTime: think)
            case .bulk?:
                let window =
                    m.quantity("window", .byteCount, min: 1, max: ConfigurationLimits.bulkWindowBytes, minText: "1B", maxText: "1GiB").map {
                        ByteCount($0)
                    } ?? .kibibytes(256)
                let ack = m.integer("ack_every", in: 1...1024) ?? 2
                tp = .bulk(window: window, ackEvery: Int(ack), tcp: tcpOptions(m))
            case nil: break
            }
            var start = SimTime.zero
            var stop: SimTime?
            if let s = m.quantity("start", .duration) { start = SimTime(picoseconds: s) }
            if let s = m.quantity("stop", .duration) {
                stop = SimTime(picoseconds: s)
                if stop! <= start {
                    c.error(
                        m.value("stop"), "'stop' (\(stop!.scenarioText)) is not after 'start' (\(start.scenarioText))",
                        fix: "make stop later than start, or remove it to run to the end")
                }
            }
            if start >= config.duration, let v = m.value("start") {
                c.error(
                    v, "'start' (\(start.scenarioText)) is not within the run (duration \(config.duration.scenarioText))",
                    fix: "start the flow before the end of the run")
            }
            let socket = socketOptions(m, pattern: pattern)
            if pattern == nil { m.abandon() }  // its pattern-specific keys cannot be judged
            let explicitName = m.string("name")
            if let n = explicitName { _ = checkName(n, node: m.value("name"), noun: "flow") }
            guard let from, let to, let tp else {
                // Keep the name known so that references to it do not report a second, misleading error.
                if let n = explicitName { _ = define(n, in: &flowAt, node: m.value("name"), noun: "flow") }
                continue
            }
            let pairs: [(Endpoint, Endpoint)]
            if from.count == to.count {
                pairs = Array(zip(from, to))
            } else if from.count == 1 {
                pairs = to.map { (from[0], $0) }
            } else if to.count == 1 {
                pairs = from.map { ($0, to[0]) }
            } else {
                c.error(
                    m.value("to"), "'from' names \(from.count) endpoints and 'to' names \(to.count); groups pair up only if equal",
                    fix: "make both groups the same size, or make one side a single endpoint")
                continue
            }
            if config.flows.count + pairs.count > ConfigurationLimits.flows {
                reportOverLimit(
                    m.value("name") ?? m.node, "this entry makes \(config.flows.count + pairs.count) flows in all",
                    limit: ConfigurationLimits.flows)
                break
            }
            // The entry's frame and line-rate problems, reported once however many flows it makes.
            var reportedFrame = false, reportedLine = false
            for (k, (f, t)) in pairs.enumerated() {
                if f == t {
                    c.error(m.value("to"), "flow from '\(f)' to itself", fix: "use two different endpoints")
                    continue
                }
                var flow = FlowConfig(
                    name: "", from: f, to: t, transport: transport, pattern: tp, size: size, start: start, stop: stop, socket: socket)
                // Kept even when refused (the error fails the load), so that references to it report nothing more.
                if let frame { checkFrameSize(frame, of: flow, node: m.value("frame_size"), reported: &reportedFrame) }
                if lineRate { resolveLineRate(&flow, node: m.value("rate"), reported: &reportedLine) }
                pendingTopology.append((m.value("to"), f, t))
                // A group flow's members are named after the VM that varies: NAME.web3 (from web[1-8]).
                let member = from.count > 1 ? short(f) : to.count > 1 ? short(t) : String(k + 1)
                var name = explicitName.map { pairs.count == 1 ? $0 : "\($0).\(member)" } ?? "\(short(f))-to-\(short(t))"
                if explicitName == nil, flowAt[name] != nil {
                    // A second unnamed flow between the same endpoints: number it rather than fail.
                    var n = 2
                    while flowAt["\(name)-\(n)"] != nil { n += 1 }
                    name = "\(name)-\(n)"
                }
                guard define(name, in: &flowAt, node: m.value("name") ?? m.node, noun: "flow") else { continue }
                if let group = explicitName, pairs.count > 1 { flowGroups[group, default: []].append(name) }
                pathMap["flows[\(config.flows.count)]"] = path
                flow.name = name
                config.flows.append(flow)
            }
        }
    }

    // MARK: Frame sizes and line rate

    /// `frame_size`: the Ethernet frame of each packet, FCS included (preamble and gap excluded), at least 64 B; nil
    /// (reported) when it is given with `size` or is not a valid frame. Its upper bound depends on the path's MTU
    /// (``checkFrameSize(_:of:node:reported:)``).
    func frameSize(_ m: MappingReader, transport: Transport) -> Int? {
        guard m.has("frame_size") else { return nil }
        if m.has("size") {
            c.error(
                m.keyNode("frame_size"), "both 'size' and 'frame_size' are given",
                fix: "keep one of them ('frame_size' is the frame a fixed payload 'size' makes)")
            _ = m.value("frame_size")
            return nil
        }
        guard let f = m.quantity("frame_size", .byteCount, max: 1 << 20, maxText: "1MiB") else { return nil }
        let least = EthernetFraming.minimumFrameBytes
        guard f >= least else {
            c.error(
                m.value("frame_size"), "'frame_size' is \(f)B: an Ethernet frame is at least \(least) bytes (FCS included)",
                fix:
                    "write at least '\(least)B' (\(transport.payloadBytes(frameBytes: least))B of \(transport.rawValue.uppercased()) payload)"
            )
            return nil
        }
        return Int(f)
    }

    /// A frame of `frame` bytes must fit one packet of `flow`: at most the path MTU + 18 B. False (reported once
    /// per entry) if it does not.
    @discardableResult
    func checkFrameSize(_ frame: Int, of flow: FlowConfig, node: Node?, reported: inout Bool) -> Bool {
        guard let largest = config.largestFrame(of: flow), let mtu = config.pathMTU(of: flow) else { return true }  // reported elsewhere
        guard frame > largest else { return true }
        if !reported {
            reported = true
            c.error(
                node,
                "'frame_size' is \(frame)B, above \(largest)B, the largest frame one packet of \(flow.from) → \(flow.to) can have: "
                    + "its MTU \(mtu)B (the smaller of its ends') + 14B Ethernet header + 4B FCS",
                fix:
                    "write at most '\(largest)B', or raise the MTU of both ends (jumbo frames: the adapter's 'offloads: {mtu: 9000B}', the NIC's 'mtu')"
            )
        }
        return false
    }

    /// Replaces the placeholder rate of a `rate: line` flow by its line rate (``SimulationConfig/lineRate(for:)``).
    /// False (reported once per entry) if the flow has none; it keeps its placeholder rate.
    @discardableResult
    func resolveLineRate(_ flow: inout FlowConfig, node: Node?, reported: inout Bool) -> Bool {
        switch config.lineRate(for: flow) {
        case .success(let r):
            switch flow.pattern {
            case .constant: flow.pattern = .constant(rate: r)
            case .poisson: flow.pattern = .poisson(rate: r)
            case .onOff(_, let on, let off): flow.pattern = .onOff(rate: r, on: on, off: off)
            case .requestResponse, .bulk: break  // 'rate' is reported on these
            }
            return true
        case .failure(.unresolved):
            return true  // the endpoint's own error says what is wrong
        case .failure(let p):
            if !reported {
                reported = true
                c.error(node, p.message, fix: p.fix)
            }
            return false
        }
    }

    // MARK: TCP and the socket

    /// A bulk flow's TCP options (`congestion`, `streams`, `initial_window`, `min_rto`, `initial_rto`, `delayed_ack`).
    func tcpOptions(_ m: MappingReader) -> TCPOptions {
        var o = TCPOptions()
        if let cc = m.choice("congestion", CongestionControl.self) { o.congestion = cc }
        if let n = m.integer("streams", in: 1...Int64(ConfigurationLimits.tcpStreams)) { o.streams = Int(n) }
        if let n = m.integer("initial_window", in: 1...Int64(ConfigurationLimits.tcpInitialWindowSegments)) {
            o.initialWindowSegments = Int(n)
        }
        let rtoMax = SimTime.seconds(60)  // RFC 6298 §2.5: a maximum RTO of at least 60 s
        if let t = m.quantity(
            "min_rto", .duration, min: SimTime.milliseconds(1).picoseconds, max: rtoMax.picoseconds, minText: "1ms",
            maxText: "60s")
        {
            o.minimumRTO = SimTime(picoseconds: t)
        }
        if let t = m.quantity(
            "initial_rto", .duration, min: SimTime.milliseconds(1).picoseconds, max: rtoMax.picoseconds, minText: "1ms",
            maxText: "60s")
        {
            o.initialRTO = SimTime(picoseconds: t)
        }
        if o.initialRTO < o.minimumRTO {
            if m.has("initial_rto") {
                c.error(
                    m.value("initial_rto"),
                    "'initial_rto' (\(o.initialRTO.scenarioText)) is below 'min_rto' (\(o.minimumRTO.scenarioText)): the first RTO is bounded below like every other",
                    fix: "make initial_rto at least min_rto")
            } else if let v = m.value("min_rto") {
                // The model's rule names initial_rto, which is not written: this is where the problem is.
                c.record(m.childPath("initial_rto"), v)
                c.error(
                    v,
                    "'min_rto' (\(o.minimumRTO.scenarioText)) is above the default initial_rto \(o.initialRTO.scenarioText) (RFC 6298 §2.1)",
                    fix: "lower min_rto, or set initial_rto to at least \(o.minimumRTO.scenarioText)")
            }
        }
        if let t = m.quantity("delayed_ack", .duration) {
            if t >= Self.delayedACKLimit.picoseconds {
                c.error(
                    m.value("delayed_ack"),
                    "'delayed_ack' is \(SimTime(picoseconds: t).scenarioText): RFC 5681 §4.2 holds an ACK back less than 500ms",
                    fix: "write less than 500ms (Windows and Linux use 200ms and 40ms; 0s: never held back)")
            } else {
                o.delayedACKTimeout = SimTime(picoseconds: t)
            }
        }
        return o
    }

    /// The sender's socket (`socket`, `socket_buffer`). A closed-loop sender never overruns its socket, so `drop`
    /// is refused on bulk and request/response flows.
    func socketOptions(_ m: MappingReader, pattern: PatternName?) -> SocketOptions {
        var o = SocketOptions()
        if let mode = m.choice("socket", SocketMode.self) {
            switch (mode, pattern) {
            case (.drop, .bulk?):
                c.error(
                    m.value("socket"), "a bulk sender writes as the window opens, so it never overruns its socket",
                    fix: "remove 'socket' (a bulk flow's socket blocks)")
            case (.drop, .request_response?):
                c.error(
                    m.value("socket"),
                    "a request/response client sends its next request only after the response, so a request dropped at its socket would stop the flow for good",
                    fix: "remove 'socket' (a request/response flow's socket blocks)")
            default: o.mode = mode
            }
        }
        let limits = ConfigurationLimits.socketBufferBytes
        if let b = m.quantity(
            "socket_buffer", .byteCount, min: limits.lowerBound, max: limits.upperBound,
            minText: "2KiB", maxText: "1GiB")
        {
            o.sendBuffer = ByteCount(b)
        }
        return o
    }

    func short(_ e: Endpoint) -> String {
        switch e {
        case .vm(let v, let a): return a == vmAdapters[v]?.first ? v : "\(v)_\(a)"
        case .host(let s): return "host_\(s)"
        case .external(let n): return "external_\(n)"
        }
    }

    /// The endpoints a flow endpoint, capture or action names (several for a VM pattern).
    func endpoints(_ text: String, node: Node?, allowSpecial: Bool = true) -> [Endpoint]? {
        let hostSwitches = config.switches.filter(\.hasHostVNIC).map(\.name)
        // A NIC bound by an external switch or a Virtual Server network (whose peer beyond it is `external@NIC`).
        let boundNICs = config.switches.compactMap(\.boundNIC).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if allowSpecial {
            if text == "host" {
                if hostSwitches.count == 1 { return [.host(switch: hostSwitches[0])] }
                c.error(
                    node,
                    hostSwitches.isEmpty
                        ? "'host' names the management OS's vNIC, but no switch has one"
                        : "'host' is ambiguous: the host has a vNIC on \(hostSwitches.count) switches",
                    fix: hostSwitches.isEmpty
                        ? "add an internal switch, or 'host_vnic: true' on an external one"
                        : "write one of \(hostSwitches.map { "'host@\($0)'" }.joined(separator: ", "))")
                return nil
            }
            if text.hasPrefix("host@") {
                let s = String(text.dropFirst(5))
                guard reference(s, in: switchAt, node: node, noun: "switch", defineHint: "switches") else { return nil }
                if !hostSwitches.contains(s) {
                    c.error(
                        node, "switch '\(s)' has no host vNIC",
                        fix: "set 'host_vnic: true' on it (external) or use an internal switch")
                    return nil
                }
                return [.host(switch: s)]
            }
            if text == "external" {
                if boundNICs.count == 1 { return [.external(nic: boundNICs[0])] }
                c.error(
                    node,
                    boundNICs.isEmpty
                        ? "'external' names the peer beyond a NIC, but no external switch binds one"
                        : "'external' is ambiguous: \(boundNICs.count) NICs are bound to external switches",
                    fix: boundNICs.isEmpty
                        ? "define a NIC and an external switch bound to it"
                        : "write one of \(boundNICs.map { "'external@\($0)'" }.joined(separator: ", "))")
                return nil
            }
            if text.hasPrefix("external@") {
                let n = String(text.dropFirst(9))
                guard reference(n, in: nicAt, node: node, noun: "NIC", defineHint: "nics") else { return nil }
                if !boundNICs.contains(n) {
                    c.error(node, "NIC '\(n)' is bound to no external switch", fix: "add a switch with 'type: external' and 'nic: \(n)'")
                    return nil
                }
                return [.external(nic: n)]
            }
        }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let vmPart = parts[0]
        let adapterPart = parts.count == 2 ? parts[1] : nil
        var names: [String]
        switch NamePattern.expand(vmPart) {
        case .failure(let e): c.error(node, e.message, fix: e.fix); return nil
        case .success(let n): names = n
        }
        // A group made with `count` is named by its name, like a pattern (a VM of that very name comes first).
        if vmAdapters[vmPart] == nil, let members = countGroups[vmPart] { names = members }
        var out: [Endpoint] = []
        for v in names {
            guard let adapters = vmAdapters[v] else {
                guard c.diagnostics.count < Self.maxSuggestedErrors else {
                    c.error(node, "no VM named '\(v)'", fix: "name a VM, 'host@SWITCH' or 'external@NIC'")
                    return nil
                }
                c.error(node, "no VM named '\(v)'", fix: unknownVMFix(v, allowSpecial: allowSpecial))
                return nil
            }
            if let a = adapterPart {
                guard adapters.contains(a) else {
                    c.error(
                        node, "VM '\(v)' has no adapter '\(a)'",
                        fix: Suggestions.closest(to: a, among: adapters).map { "did you mean '\(v)/\($0)'?" }
                            ?? "its adapters are: \(adapters.joined(separator: ", "))")
                    return nil
                }
                out.append(.vm(v, adapter: a))
            } else {
                guard let first = adapters.first else {
                    c.error(node, "VM '\(v)' has no adapter", fix: "add an adapter to it")
                    return nil
                }
                out.append(.vm(v, adapter: first))
            }
        }
        return out
    }

    /// The fix for an endpoint naming no VM: the group it belongs to or stands for, else the closest name.
    func unknownVMFix(_ v: String, allowSpecial: Bool) -> String {
        func span(_ members: [String]) -> String {
            members.count <= 3 ? members.joined(separator: ", ") : "\(members[0]) … \(members[members.count - 1])"
        }
        /// What a group's names have around the number: ("web", "") for web[1-8] and for 'web' with 'count'.
        func ends(_ name: String) -> (prefix: String, suffix: String) {
            guard let open = name.firstIndex(of: "["), let close = name[open...].firstIndex(of: "]") else { return (name, "") }
            return (String(name[..<open]), String(name[name.index(after: close)...]))
        }
        // 'web' for the group web[1-8], which has no name of its own.
        for g in patternGroups where ends(g.pattern).prefix + ends(g.pattern).suffix == v {
            return "the group '\(g.pattern)' is \(span(g.members)): write '\(g.pattern)' for all \(g.members.count), "
                + "or name one, e.g. '\(g.members[0])'"
        }
        // 'vm17' for the group vm1 … vm16 (or vm[1-16]): a member it does not have.
        let groups =
            countGroups.sorted { $0.key < $1.key }.map { (name: $0.key, members: $0.value) }
            + patternGroups.map { (name: $0.pattern, members: $0.members) }
        for g in groups {
            let (prefix, suffix) = ends(g.name)
            guard v.count > prefix.count + suffix.count, v.hasPrefix(prefix), v.hasSuffix(suffix) else { continue }
            let middle = v.dropFirst(prefix.count).dropLast(suffix.count)
            guard middle.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            return "the group '\(g.name)' is \(span(g.members)) (\(g.members.count) VMs): name one of them, or '\(g.name)' for all"
        }
        var all = countGroups.keys.sorted() + vmAt.keys.sorted()
        if allowSpecial { all += ["host", "external"] }
        if let near = Suggestions.closest(to: v, among: all) {
            if let members = countGroups[near], vmAdapters[near] == nil {
                return "did you mean '\(near)' (the group \(span(members)))?"
            }
            return "did you mean '\(near)'?"
        }
        return "name a VM (\(vmAt.keys.sorted().prefix(8).joined(separator: ", "))\(vmAt.count > 8 ? ", …" : "")), "
            + "'host@SWITCH' or 'external@NIC'"
    }

    // MARK: Sizes and distributions

    func messageSize(_ v: Node) -> MessageSize? {
        if case .scalar(let s) = v {
            switch UnitParser.parse(s.string, as: .byteCount) {
            case .failure(let e): c.error(v, "'size': \(e.message)", fix: e.fix); return nil
            case .success(let b):
                guard (1...1_048_576).contains(b) else {
                    c.error(v, "'size' is \(s.string), outside 1B…1MiB", fix: "write a message size between 1B and 1MiB")
                    return nil
                }
                return .fixed(Int(b))
            }
        }
        return distribution(v, .byteCount, key: "size").map { .distribution($0) }
    }

    /// A distribution whose values carry `unit` (bytes, or durations converted to seconds).
    func distribution(_ v: Node, _ unit: UnitKind, key: String) -> Distribution? {
        let toDouble: (Int64) -> Double = unit == .duration ? { Double($0) / 1e12 } : { Double($0) }
        func q(_ n: Node) -> Double? {
            guard case .scalar(let s) = n else {
                c.error(n, "'\(key)' needs \(unit.noun) here, not \(describe(n))", fix: "write e.g. \(unit.examples)")
                return nil
            }
            switch UnitParser.parse(s.string, as: unit) {
            case .failure(let e): c.error(n, "'\(key)': \(e.message)", fix: e.fix); return nil
            case .success(let x): return toDouble(x)
            }
        }
        func pair(_ n: Node, _ what: String) -> (Double, Double)? {
            guard case .sequence(let s) = n, s.count == 2 else {
                c.error(n, "'\(key)' needs a pair [\(what)]", fix: "write e.g. [\(unit == .duration ? "1ms, 5ms" : "64B, 1500B")]")
                return nil
            }
            guard let a = q(s[0]), let b = q(s[1]) else { return nil }
            return (a, b)
        }
        if case .scalar = v { return q(v).map { .constant($0) } }
        guard case .mapping(let map) = v, map.count == 1, let (kn, param) = map.first.map({ ($0.key, $0.value) }) else {
            c.error(
                v, "'\(key)' must be a value or a one-key mapping naming a distribution",
                fix:
                    "write e.g. '{exponential: \(unit == .duration ? "10ms" : "500B")}' (distributions: \(ScenarioSchema.distribution.keys.joined(separator: ", ")))"
            )
            return nil
        }
        let kind = kn.string ?? ""
        let d: Distribution?
        switch kind {
        case "constant": d = q(param).map { .constant($0) }
        case "exponential": d = q(param).map { .exponential(mean: $0) }
        case "uniform": d = pair(param, "min, max").map { .uniform(min: $0.0, max: $0.1) }
        case "normal": d = pair(param, "mean, standard deviation").map { .normal(mean: $0.0, standardDeviation: $0.1) }
        case "lognormal":
            let sec = SectionDoc(
                path: "lognormal", noun: "lognormal parameters", summary: "",
                fields: [FieldDoc("mu", "", "", ""), FieldDoc("sigma", "", "", "")])
            guard let m = MappingReader(param, path: key, section: sec, collector: c) else { return nil }
            m.require("mu"); m.require("sigma")
            let mu = m.number("mu", in: -1e6...1e6), sigma = m.number("sigma", in: 0...1e6)
            m.finish()
            d = (mu != nil && sigma != nil) ? .lognormal(mu: mu!, sigma: sigma!) : nil
        case "pareto":
            let sec = SectionDoc(
                path: "pareto", noun: "pareto parameters", summary: "",
                fields: [FieldDoc("shape", "", "", ""), FieldDoc("scale", "", "", "")])
            guard let m = MappingReader(param, path: key, section: sec, collector: c) else { return nil }
            m.require("shape"); m.require("scale")
            let shape = m.number("shape", in: 1e-9...1e6)
            let scale = m.value("scale").flatMap(q)
            m.finish()
            d = (shape != nil && scale != nil) ? .pareto(shape: shape!, scale: scale!) : nil
        case "empirical":
            let sec = SectionDoc(
                path: "empirical", noun: "empirical parameters", summary: "",
                fields: [FieldDoc("values", "", "", ""), FieldDoc("weights", "", "", "")])
            guard let m = MappingReader(param, path: key, section: sec, collector: c) else { return nil }
            m.require("values"); m.require("weights")
            let values = m.list("values").compactMap { q($0.node) }
            let weights = m.list("weights").compactMap { item -> Double? in
                guard case .scalar(let s) = item.node, let w = UnitParser.number(s.string), w >= 0 else {
                    c.error(item.node, "a weight must be a number ≥ 0", fix: "write e.g. [0.7, 0.3]")
                    return nil
                }
                return w
            }
            m.finish()
            d = .empirical(values: values, weights: weights)
        default:
            c.error(
                kn, "unknown distribution '\(kind)'",
                fix: Suggestions.closest(to: kind, among: ScenarioSchema.distribution.keys).map { "did you mean '\($0)'?" }
                    ?? "use one of \(ScenarioSchema.distribution.keys.joined(separator: ", "))")
            return nil
        }
        if let d, let problem = d.problem {
            c.error(v, "'\(key)': \(problem)", fix: "change the distribution's parameters")
            return nil
        }
        return d
    }
}
