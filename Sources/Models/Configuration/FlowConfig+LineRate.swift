import SimCore

// `rate: line`: the payload rate that keeps a flow's slowest link exactly busy, computed from the configuration as the
// model times it, so a scenario can saturate a link without a hand-computed packet rate (issue 12, item 9).

/// Ethernet's framing as the model counts it (`emit` in HostSimulation+Traffic.swift, `wireBytes` in
/// HostSimulation+NIC.swift, `deviceModelAndLink` in HostSimulation+Emulated.swift).
public enum EthernetFraming {
    /// The smallest frame, FCS included (IEEE 802.3 §3.2.8): shorter frames are padded to it.
    public static let minimumFrameBytes = 64
    /// The frame check sequence a frame carries after its payload.
    public static let fcsBytes = 4
    /// What a frame costs on the wire beyond its own bytes: 7 B preamble + 1 B start delimiter + 12 B inter-frame gap.
    public static let preambleAndGapBytes = 20

    /// The frame of a packet of `payload` bytes under `headerBytes` of L2–L4 headers: headers + payload + FCS, padded
    /// to 64 B (the one rule the model's packets, sockets and line rates use).
    @inlinable @inline(__always)
    public static func frameBytes(payload: Int, headerBytes: Int) -> Int {
        Swift.max(payload &+ headerBytes &+ fcsBytes, minimumFrameBytes)
    }

    /// Bytes a packet (`frame` bytes, `payload` of them payload) occupies on a wire of `mtu`, preamble and gap
    /// included, and its frames: one, or — an LSO super-segment — one per NIC MSS, each with the packet's headers
    /// (the one rule the NIC's wire and `lineRate` use).
    @inlinable @inline(__always)
    public static func wireBytes(frame: Int64, payload: Int64, mtu: Int64) -> (bytes: Int64, segments: Int64) {
        let header = frame &- payload  // L2-L4 headers + FCS
        let mss = mtu &- (header &- 18)
        if payload <= mss { return (Swift.max(frame, Int64(minimumFrameBytes)) &+ Int64(preambleAndGapBytes), 1) }
        let segs = (payload &+ mss &- 1) / mss
        return (payload &+ segs &* (header &+ Int64(preambleAndGapBytes)), segs)
    }
}

extension Transport {
    /// The Ethernet frame (FCS included, preamble and gap excluded) of one packet of `payload` bytes, as the model
    /// makes it: headers + payload + FCS, padded to 64 B. A VLAN tag adds nothing (the model does not count one).
    public func frameBytes(payload: Int) -> Int { EthernetFraming.frameBytes(payload: payload, headerBytes: headerBytes) }

    /// The MSS between ends whose smaller MTU is `mtu`: less the IPv4 header and this transport's.
    @inlinable public func mss(mtu: Int) -> Int { mtu - 20 - (self == .tcp ? 20 : 8) }

    /// The payload per packet a sender cuts a message into: the MSS, or for a TCP sender that offloads (`lso`) the
    /// largest multiple of it within its `lsoMax` (the one rule the model's flows and `lineRate` use).
    @inlinable public func segmentBytes(mss: Int, lso: Bool, lsoMax: Int) -> Int {
        self == .tcp && lso ? Swift.max(mss, (lsoMax / mss) * mss) : mss
    }

    /// The payload that makes a frame of `frameBytes` (≥ 64 B): frame − headers − FCS. 64 B is 18 B of UDP or 6 B of TCP.
    public func payloadBytes(frameBytes: Int) -> Int { frameBytes - headerBytes - EthernetFraming.fcsBytes }
}

/// A link a flow's packets cross, which the model serializes frames on at its rate.
public struct PathLink: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A physical NIC's wire to the external peer (either direction); its MTU cuts LSO super-segments.
        case nicWire(nic: String, mtu: Int)
        /// A Hyper-V legacy adapter's emulated DEC 21140 link (its `emulated.link_rate`, 100 Mb/s by default).
        case emulated(endpoint: String)
    }

    public var kind: Kind
    public var rate: DataRate

    public init(kind: Kind, rate: DataRate) { self.kind = kind; self.rate = rate }

    /// E.g. "the 10Gbps wire of NIC 'pnic0'".
    public var description: String {
        switch kind {
        case .nicWire(let nic, _): return "the \(rate) wire of NIC '\(nic)'"
        case .emulated(let e): return "the \(rate) emulated link of '\(e)'"
        }
    }

    /// Bytes one packet occupies on this link (preamble and gap included): the model's `wireBytes` for a NIC wire
    /// (an LSO super-segment is cut at the NIC's MSS into frames of the same headers), `max(frame, 64) + 20` on
    /// an emulated link.
    public func wireBytes(payload: Int, frame: Int) -> Int64 {
        guard case .nicWire(_, let mtu) = kind else {
            return Int64(Swift.max(frame, EthernetFraming.minimumFrameBytes) + EthernetFraming.preambleAndGapBytes)
        }
        return EthernetFraming.wireBytes(frame: Int64(frame), payload: Int64(payload), mtu: Int64(mtu)).bytes
    }

    /// The time the link is busy with one packet, rounded up to a whole picosecond as the model rounds it.
    public func busyTime(payload: Int, frame: Int) -> SimTime {
        SimTime(
            picoseconds: mulDivCeilSaturating(
                wireBytes(payload: payload, frame: frame) * 8, SimTime.picosecondsPerSecond, rate.bitsPerSecond))
    }
}

/// Why a flow has no line rate.
public enum LineRateProblem: Error, Sendable, Equatable {
    /// Only open-loop patterns (constant, Poisson, on/off) have a rate.
    case closedLoop(pattern: String)
    /// A size distribution has no single frame size.
    case sizeNotFixed
    /// No link on the path: `reason` says why (Hyper-V's synthetic path, Virtual Server's unpaced link).
    case noLink(from: Endpoint, to: Endpoint, reason: String, virtualServer: Bool)
    /// An endpoint does not resolve (the configuration's own validation reports it).
    case unresolved(String)
    /// The link is so slow that the rate is below 1 b/s.
    case belowOneBitPerSecond(link: String)

    /// What is wrong, one clause (no "; ").
    public var message: String {
        switch self {
        case .closedLoop(let p): return "a \(p) flow has no rate, so it has no line rate"
        case .sizeNotFixed: return "'rate: line' needs a fixed message size: a size distribution has no single frame size"
        case .noLink(let f, let t, let reason, _):
            return "'rate: line' needs a link on the flow's path, and \(f) → \(t) crosses none: \(reason)"
        case .unresolved(let what): return "cannot compute the line rate: \(what)"
        case .belowOneBitPerSecond(let link): return "the line rate of \(link) for this message is below 1 b/s"
        }
    }

    /// How to fix it.
    public var fix: String {
        switch self {
        case .closedLoop: return "remove 'rate'"
        case .sizeNotFixed: return "give one 'size' (e.g. '1472B') or a 'frame_size' (e.g. '64B'), or write the rate itself"
        case .noLink(_, _, _, let virtualServer):
            return virtualServer
                ? "write the rate itself (e.g. 'rate: 100Mbps'), or put the NIC's wire on the path: an end at 'external@NIC' on a network bound to it"
                : "write the rate itself (e.g. 'rate: 10Gbps'), or put a link on the path: an end at 'external@NIC', or a legacy "
                    + "adapter ('type: emulated')"
        case .unresolved: return "fix the endpoint first"
        case .belowOneBitPerSecond: return "raise the link's rate or write the rate itself"
        }
    }
}

extension SimulationConfig {
    /// The payload rate that keeps `flow`'s slowest link exactly busy: `rate: line`.
    ///
    /// The links a flow's packets cross (``linksOnPath(of:)``): a Hyper-V legacy adapter's emulated link at either
    /// end, and the physical NIC's wire when an end is the external peer (`external@NIC`: the peer itself, or a VM
    /// or the host vNIC talking to it through the external switch). A message is cut as the model cuts it
    /// (``packetPayloads(of:messageBytes:)``: at the MSS, or in LSO super-segments), each packet's frame is
    /// `max(payload + headers + 4, 64)` and occupies a link for `frame + 20` bytes (preamble, start delimiter,
    /// gap; a NIC cuts a super-segment into MSS frames). With T the busiest link's time per message (each packet's
    /// time rounded up to a picosecond, as the model does), the rate is ⌊message bits / T⌋ b/s: the largest whole
    /// bit rate whose message interval, as the model times it, is not shorter than T. So the link is busy
    /// `T / interval` ≥ 1 − 10⁻⁹ of the time (constant; while on, for on/off) and its backlog never grows; a
    /// Poisson flow at this rate offers the link exactly its capacity on average (utilisation 1), so its backlog
    /// grows without bound (a random walk): it measures overload, by design.
    ///
    /// E.g. 64-B UDP frames (18 B of payload) on 10 Gb/s: 84 wire bytes = 67.2 ns a frame, 14.88 M frames/s, and
    /// 18 × 8 / 67.2 ns = 2.142857142 Gb/s of payload.
    ///
    /// The configuration at time 0 decides: a timeline `attach` that later moves an adapter does not change it.
    /// CPU is not a link: a saturated core that carries less than the line rate is a result of the run.
    /// - Complexity: O(VMs + switches + NICs) to find the endpoints, then O(packets per message).
    public func lineRate(for flow: FlowConfig) -> Result<DataRate, LineRateProblem> {
        switch flow.pattern {
        case .constant, .poisson, .onOff: break
        case .requestResponse, .bulk: return .failure(.closedLoop(pattern: flow.pattern.name))
        }
        guard case .fixed(let bytes) = flow.size else { return .failure(.sizeNotFixed) }
        let links: [PathLink]
        switch linksOnPath(of: flow) {
        case .failure(let p): return .failure(p)
        case .success(let l): links = l
        }
        guard let payloads = packetPayloads(of: flow, messageBytes: bytes) else {
            return .failure(.unresolved("an endpoint of flow '\(flow.name)' does not exist"))
        }
        var busiest = SimTime.zero
        var slowest = links[0]
        for link in links {
            var t = SimTime.zero
            for n in payloads { t = t + link.busyTime(payload: n, frame: flow.transport.frameBytes(payload: n)) }
            if t > busiest { busiest = t; slowest = link }
        }
        let bits = Int128(bytes) * 8
        let rate = bits * Int128(SimTime.picosecondsPerSecond) / Int128(Swift.max(busiest.picoseconds, 1))
        guard rate >= 1 else { return .failure(.belowOneBitPerSecond(link: slowest.description)) }
        return .success(DataRate(bitsPerSecond: Int64(Swift.min(rate, Int128(Int64.max)))))
    }

    /// The links `flow`'s packets cross, in path order, at time 0 (see ``lineRate(for:)``); a failure when there is
    /// none (`noLink`, saying why) or an endpoint does not resolve.
    public func linksOnPath(of flow: FlowConfig) -> Result<[PathLink], LineRateProblem> {
        var links: [PathLink] = []
        var ends: [ResolvedEndpoint] = []
        for e in [flow.from, flow.to] {
            guard let r = resolve(e) else { return .failure(.unresolved("'\(e)' does not exist")) }
            ends.append(r)
        }
        if let l = ends[0].emulatedLink { links.append(l) }
        // The NIC's wire: the peer's end (the other end reaches it through the switch bound to that NIC).
        for r in ends { if let l = r.nicWire { links.append(l) } }
        if let l = ends[1].emulatedLink { links.append(l) }
        guard links.isEmpty else { return .success(links) }
        let reason =
            host.platform == .virtualServer
            ? "Virtual Server's emulated link is not paced, and its network is a hub in software (frames move at CPU speed)"
            : "synthetic adapters, the host vNIC and a virtual switch move frames at CPU speed, not at a link's rate"
        return .failure(.noLink(from: flow.from, to: flow.to, reason: reason, virtualServer: host.platform == .virtualServer))
    }

    /// The smaller MTU of `flow`'s two ends, which bounds its MSS (`segmentSizes` in Traffic+Build.swift); nil if an
    /// endpoint does not resolve.
    public func pathMTU(of flow: FlowConfig) -> Int? {
        guard let a = resolve(flow.from), let b = resolve(flow.to) else { return nil }
        return Swift.min(a.mtu, b.mtu)
    }

    /// The largest frame one packet of `flow` can have: path MTU + 14 B Ethernet header + 4 B FCS (1518 B at MTU 1500).
    public func largestFrame(of flow: FlowConfig) -> Int? { pathMTU(of: flow).map { $0 + 14 + EthernetFraming.fcsBytes } }

    /// The payload of each packet a message of `messageBytes` becomes from `flow`'s sender, as `emitMessage` cuts it:
    /// pieces of the segment size (the MSS, or for a TCP sender with LSO the largest multiple of it within its LSO
    /// limit), the last one the remainder. Nil if an endpoint does not resolve.
    public func packetPayloads(of flow: FlowConfig, messageBytes: Int) -> [Int]? {
        guard let from = resolve(flow.from), let mtu = pathMTU(of: flow) else { return nil }
        let mss = flow.transport.mss(mtu: mtu)
        guard mss > 0, messageBytes > 0 else { return nil }
        let segment = flow.transport.segmentBytes(mss: mss, lso: from.lso, lsoMax: from.lsoMax)
        var out = Array(repeating: segment, count: messageBytes / segment)
        if messageBytes % segment != 0 { out.append(messageBytes % segment) }
        return out
    }

    /// An endpoint as the model builds it (Adapters+Build.swift, Switching+Build.swift): its MTU and LSO, and the
    /// link it adds to a path.
    private struct ResolvedEndpoint {
        var mtu: Int
        var lso: Bool
        var lsoMax: Int
        var emulatedLink: PathLink?
        var nicWire: PathLink?
    }

    private func resolve(_ e: Endpoint) -> ResolvedEndpoint? {
        switch e {
        case .vm(let v, let a):
            guard let vm = vms.first(where: { $0.name == v }), let ad = vm.adapters.first(where: { $0.name == a }) else { return nil }
            let synthetic = ad.kind == .synthetic
            // Virtual Server's emulated device is hosted: its "link" is not paced (deviceModelAndLink).
            let link =
                ad.kind == .emulated && host.platform == .hyperV
                ? PathLink(kind: .emulated(endpoint: "\(v)/\(a)"), rate: ad.emulated.linkRate) : nil
            return ResolvedEndpoint(
                mtu: ad.offloads.mtu, lso: ad.offloads.lso && synthetic, lsoMax: ad.offloads.lsoMaxBytes, emulatedLink: link)
        case .host(let s):
            guard let sw = switches.first(where: { $0.name == s }) else { return nil }
            let mtu = sw.boundNIC.flatMap { n in nics.first { $0.name == n }?.mtu } ?? 1500
            return ResolvedEndpoint(mtu: mtu, lso: true, lsoMax: Offloads().lsoMaxBytes)
        case .external(let n):
            guard let nic = nics.first(where: { $0.name == n }) else { return nil }
            return ResolvedEndpoint(
                mtu: nic.mtu, lso: false, lsoMax: nic.mtu, nicWire: PathLink(kind: .nicWire(nic: n, mtu: nic.mtu), rate: nic.linkRate))
        }
    }
}
