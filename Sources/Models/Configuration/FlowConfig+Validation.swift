import SimCore
import Stochastics

extension ConfigurationValidator {
    /// Every flow: a unique name, two endpoints that exist and share a switch, the message size, start and stop,
    /// and what its traffic pattern needs.
    mutating func checkFlows() {
        var names = Set<String>()
        for (i, f) in config.flows.enumerated() {
            let at = "flows[\(i)]"
            checkName(f.name, at: at, unique: &names, "flow")
            let fromSwitches = endpointSwitches(f.from, path: "\(at).from")
            let toSwitches = endpointSwitches(f.to, path: "\(at).to")
            if f.from == f.to { add("\(at).to", "a flow needs two different endpoints") }
            if case .external = f.from, case .external = f.to {
                add("\(at)", "both endpoints are external: the traffic never enters the host")
            }
            if let a = fromSwitches, let b = toSwitches, a.isDisjoint(with: b) {
                add("\(at).to", "'\(f.from)' and '\(f.to)' share no switch: there is no path between them")
            }
            switch f.size {
            case .fixed(let b): if b < 1 || b > 1_048_576 { add("\(at).size", "must be in 1…1048576 bytes (got \(b))") }
            case .distribution(let d):
                if let pr = d.problem ?? SampleBounds.sizeProblem(d) { add("\(at).size", pr) }
            }
            if f.start < .zero { add("\(at).start", "must be ≥ 0") }
            if let s = f.stop, s <= f.start { add("\(at).stop", "must be after start") }
            checkPattern(f, at: at)
        }
    }

    /// What the flow's traffic pattern needs: a positive rate, distributions within the sampling bounds, a TCP
    /// transport and a window for a bulk transfer.
    private mutating func checkPattern(_ f: FlowConfig, at: String) {
        switch f.pattern {
        case .constant(let r), .poisson(let r):
            if r.bitsPerSecond <= 0 { add("\(at).rate", "must be > 0") }
            if case .poisson = f.pattern { checkPoisson(f, rate: r, at: at) }
        case .onOff(_, let on, let off):
            if let pr = on.problem ?? SampleBounds.timeProblem(on) { add("\(at).on", pr) }
            if let pr = off.problem ?? SampleBounds.timeProblem(off) { add("\(at).off", pr) }
        case .requestResponse(let resp, let think):
            if resp < 1 || resp > 1_048_576 { add("\(at).response_bytes", "must be in 1…1048576") }
            if let pr = think.problem ?? SampleBounds.timeProblem(think) { add("\(at).think_time", pr) }
        case .bulk(let window, let ackEvery, let tcp):
            if f.transport != .tcp { add("\(at).transport", "a bulk flow is a TCP transfer: set transport: tcp") }
            if window.bytes < 1 || window.bytes > ConfigurationLimits.bulkWindowBytes {
                add("\(at).window", "must be in 1B…1GiB (TCP's largest window; the sender fills it at once)")
            }
            if ackEvery < 1 { add("\(at).ack_every", "must be ≥ 1") }
            checkTCP(tcp, at: at)
        }
        let buffer = f.socket.sendBuffer.bytes
        if buffer < ConfigurationLimits.socketBufferBytes.lowerBound || buffer > ConfigurationLimits.socketBufferBytes.upperBound {
            add("\(at).socket_buffer", "must be in 2KiB…1GiB (an empty buffer always takes one message, however large)")
        }
        switch f.pattern {
        case .bulk, .requestResponse:
            if f.socket.sendBuffer != SocketOptions().sendBuffer {
                add(
                    "\(at).socket_buffer",
                    "applies to open-loop senders (constant, poisson, on_off) only: a \(f.pattern.name) sender never has more than its "
                        + (f.pattern.name == "bulk" ? "TCP window" : "one request or response") + " outstanding; remove it")
            }
        default: break
        }
    }

    /// A bulk flow's TCP options within the limits each has in real stacks.
    private mutating func checkTCP(_ o: TCPOptions, at: String) {
        if !(1...ConfigurationLimits.tcpStreams).contains(o.streams) {
            add("\(at).streams", "must be in 1…\(ConfigurationLimits.tcpStreams) (parallel connections of one flow)")
        }
        if !(1...ConfigurationLimits.tcpInitialWindowSegments).contains(o.initialWindowSegments) {
            add("\(at).initial_window", "must be in 1…\(ConfigurationLimits.tcpInitialWindowSegments) segments (RFC 6928 uses 10)")
        }
        if o.minimumRTO < .milliseconds(1) || o.minimumRTO > .seconds(60) {
            add("\(at).min_rto", "must be in 1ms…60s (RFC 6298's maximum RTO is 60 s)")
        }
        if o.initialRTO < o.minimumRTO || o.initialRTO > .seconds(60) {
            add("\(at).initial_rto", "must be between min_rto and 60s")
        }
        if o.delayedACKTimeout < .zero || o.delayedACKTimeout >= .milliseconds(500) {
            add("\(at).delayed_ack", "must be in 0…499ms (RFC 5681 §4.2: under 500 ms; 0 acknowledges every segment)")
        }
    }

    /// A Poisson flow: a size distribution with a finite positive mean, and gaps between messages whose 99th
    /// percentile is within the largest sampled time.
    private mutating func checkPoisson(_ f: FlowConfig, rate r: DataRate, at: String) {
        if case .distribution(let d) = f.size, !((d.mean ?? 0) > 0) {
            add("\(at).size", "a Poisson flow needs a size distribution with a finite positive mean (got \(d))")
        } else if r.bitsPerSecond > 0, let mean = f.size.mean, mean <= Double(SampleBounds.maxMessageBytes) {
            // The gaps between messages are exponential with mean (mean size × 8 / rate) seconds.
            let gap = Distribution.exponential(mean: mean * 8 / Double(r.bitsPerSecond))
            let q = gap.quantile(Distribution.checkedQuantile)
            if !(q <= SampleBounds.maxSampledTime.seconds) {
                let least = (q * Double(r.bitsPerSecond) / SampleBounds.maxSampledTime.seconds).rounded(.up)
                add(
                    "\(at).rate",
                    "at \(r) the 99th percentile of the gaps between messages is \(SampleBounds.seconds(q))s, above the "
                        + "maximum 1000000s (gaps are clamped to it); raise the rate to at least \(SampleBounds.bytes(least))bps")
            }
        }
    }
}
