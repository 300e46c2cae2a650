import SimCore
import Stochastics

extension HostSimulation {
    /// Every flow's state, in configuration order. Flow i draws from streams 8i…8i+7 of the run's seed and
    /// replication (0: sizes, 1: Poisson gaps, 2/3: on/off periods, 4: think times).
    func buildFlows() throws {
        for (i, fc) in zip(traffic.flows.nextID.index..., config.flows) {
            let from = endpointIndex(fc.from), to = endpointIndex(fc.to)
            let p = try FlowPatternParameters(fc.pattern) { j in
                RandomStream(seed: self.config.seed, replication: self.config.replication, stream: UInt32(i) * 8 + j)
            }
            var fixed = 0
            var sizeS: Sampler? = nil
            switch fc.size {
            case .fixed(let b): fixed = b
            case .distribution(let d):
                sizeS = try Sampler(d, stream: RandomStream(seed: config.seed, replication: config.replication, stream: UInt32(i) * 8))
            }
            let seg = segmentSizes(fc, from: from, to: to)
            let f = FlowState(
                name: fc.name, id: FlowID(i), from: from, to: to, pattern: p.code, headerBytes: fc.transport.headerBytes,
                isTCP: fc.transport == .tcp, mss: seg.mss, segmentBytes: p.code == .bulk ? Swift.max(seg.forward, seg.mss) : seg.forward,
                reverseSegmentBytes: seg.reverse, start: fc.start, stop: fc.stop ?? .never, rateBps: p.rate, fixedSize: fixed,
                sizeSampler: sizeS, interarrival: p.interarrival, onSampler: p.on, offSampler: p.off, responseBytes: p.responseBytes,
                thinkSampler: p.think, window: p.window, ackEvery: p.ackEvery, socket: fc.socket)
            if case .bulk(_, _, let tcp) = fc.pattern {
                f.firstStream = traffic.streamFlows.count
                for _ in 0..<tcp.streams {
                    // Segments are MSS-sized (the congestion window counts them, as real stacks do); the sender
                    // joins consecutive new ones into LSO super-segments of up to `segmentBytes` (`bulkSend`).
                    f.senders.append(TCPSender(options: tcp, segmentBytes: f.mss, receiveWindow: p.window))
                    f.receivers.append(TCPReceiver(options: tcp, segmentBytes: f.mss, ackEvery: p.ackEvery))
                    f.rtoEventAt.append(.never)
                    f.ackEventAt.append(.never)
                    traffic.streamFlows.append(f.id)
                }
            }
            traffic.flows.append(f)
            traffic.patterns.append(p.code)
        }
    }

    /// The flow's MSS (the smaller MTU of its two ends, less the IP and L4 headers) and the payload per packet each
    /// way: the MSS, or the largest multiple of it within the sender's LSO limit when a TCP sender offloads.
    private func segmentSizes(_ fc: FlowConfig, from: EndpointID, to: EndpointID) -> (mss: Int, forward: Int, reverse: Int) {
        let mss = fc.transport.mss(mtu: Swift.min(adapters.endpoints[from].mtu, adapters.endpoints[to].mtu))
        func segment(_ e: EndpointID) -> Int {
            fc.transport.segmentBytes(mss: mss, lso: adapters.endpoints[e].lso, lsoMax: adapters.endpoints[e].lsoMax)
        }
        return (mss, segment(from), segment(to))
    }
}

/// A flow pattern's run-time parameters and its samplers (each on its own stream).
struct FlowPatternParameters {
    var code = PatternCode.constant
    /// Payload bits per second (open-loop patterns).
    var rate = 0.0
    var interarrival: RandomStream? = nil
    var on: Sampler? = nil, off: Sampler? = nil, think: Sampler? = nil
    var responseBytes = 0, window: Int64 = 0, ackEvery = 1

    init(_ pattern: TrafficPattern, stream: (UInt32) -> RandomStream) throws {
        switch pattern {
        case .constant(let r): rate = Double(r.bitsPerSecond)
        case .poisson(let r): code = .poisson; rate = Double(r.bitsPerSecond); interarrival = stream(1)
        case .onOff(let r, let onD, let offD):
            code = .onOff; rate = Double(r.bitsPerSecond)
            on = try Sampler(onD, stream: stream(2)); off = try Sampler(offD, stream: stream(3))
        case .requestResponse(let rb, let thinkD):
            code = .requestResponse; responseBytes = rb; think = try Sampler(thinkD, stream: stream(4))
        case .bulk(let w, let ae, _): code = .bulk; window = w.bytes; ackEvery = ae
        }
    }
}
