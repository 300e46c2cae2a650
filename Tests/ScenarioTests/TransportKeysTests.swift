import Models
import SimCore
import Testing

@testable import Scenario

/// Expects exactly one error in `yaml`, at `line:column`, starting with `message` (file t.yaml).
func expectOneError(
    _ yaml: String, _ line: Int, _ column: Int, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let e = ScenarioLoader.diagnose(yaml: yaml, file: "t.yaml").1.filter { $0.severity == .error }.map(\.description)
    let prefix = "t.yaml:\(line):\(column): error: \(message)"
    #expect(
        e.count == 1 && e[0].hasPrefix(prefix), "expected only \(prefix)…, got:\n\(e.joined(separator: "\n"))",
        sourceLocation: sourceLocation)
}

/// A bulk flow's TCP keys and every flow's socket keys (issue 12): decoded into `TCPOptions` and `SocketOptions`
/// with their documented defaults, each bad value refused at its line.
@Suite struct TransportKeysTests {
    /// Line 5 is the flow's (one line, keys after `pattern`).
    static func flow(_ keys: String, pattern: String = "bulk") -> String {
        """
        nics: [{name: pnic0}]
        switches: [{name: external, type: external, nic: pnic0}]
        vms: [{name: vm}]
        flows:
          - {from: vm, to: external, pattern: \(pattern)\(keys.isEmpty ? "" : ", " + keys)}

        """
    }

    func load(_ yaml: String) throws -> SimulationConfig { try ScenarioLoader.load(yaml: yaml, file: "t.yaml").config }

    @Test func defaults() throws {
        let bulk = try load(Self.flow(""))
        // TCPOptions' documented defaults: CUBIC, one stream, IW 10 (RFC 6928), min RTO 300 ms (Windows), initial RTO
        // 1 s (RFC 6298), delayed ACK 200 ms; the window 256 KiB and an ACK every 2 segments as before.
        #expect(bulk.flows[0].pattern == .bulk(window: .kibibytes(256), ackEvery: 2, tcp: TCPOptions()))
        #expect(
            TCPOptions()
                == TCPOptions(
                    congestion: .cubic, streams: 1, initialWindowSegments: 10, minimumRTO: .milliseconds(300), initialRTO: .seconds(1),
                    delayedACKTimeout: .milliseconds(200)))
        // A blocking sender with Linux's 212,992-B send buffer, on every pattern.
        #expect(bulk.flows[0].socket == SocketOptions(mode: .blocking, sendBuffer: ByteCount(212_992)))
        #expect(try load(Self.flow("rate: 1Gbps", pattern: "constant")).flows[0].socket == SocketOptions())
        // The documented defaults are these.
        let doc = ScenarioSchema.flowSection
        #expect(doc.field("congestion")?.defaultValue == "cubic" && doc.field("streams")?.defaultValue == "1")
        #expect(doc.field("initial_window")?.defaultValue == "10" && doc.field("min_rto")?.defaultValue == "300ms")
        #expect(doc.field("initial_rto")?.defaultValue == "1s" && doc.field("delayed_ack")?.defaultValue == "200ms")
        #expect(doc.field("socket")?.defaultValue == "blocking" && doc.field("socket_buffer")?.defaultValue == "208KiB")
    }

    @Test func everyKeyIsRead() throws {
        let c = try load(
            Self.flow(
                "window: 1MiB, ack_every: 1, congestion: newreno, streams: 8, initial_window: 4, min_rto: 200ms, initial_rto: 3s, "
                    + "delayed_ack: 40ms, socket: blocking"))
        let tcp = TCPOptions(
            congestion: .newreno, streams: 8, initialWindowSegments: 4, minimumRTO: .milliseconds(200), initialRTO: .seconds(3),
            delayedACKTimeout: .milliseconds(40))
        #expect(c.flows[0].pattern == .bulk(window: .mebibytes(1), ackEvery: 1, tcp: tcp))
        #expect(c.flows[0].socket == SocketOptions(mode: .blocking))
        // A send buffer is an open-loop sender's (a bulk sender has its window): refused on bulk, at its key.
        #expect(throws: (any Error).self) { try load(Self.flow("socket_buffer: 4MiB")) }
        let udp = try load(Self.flow("rate: 1Gbps, socket: drop, socket_buffer: 64KiB", pattern: "constant"))
        #expect(udp.flows[0].socket == SocketOptions(mode: .drop, sendBuffer: .kibibytes(64)))
        // delayed_ack: 0s holds no ACK back.
        guard case .bulk(_, _, let t) = try load(Self.flow("delayed_ack: 0s")).flows[0].pattern else {
            Issue.record("not a bulk flow")
            return
        }
        #expect(t.delayedACKTimeout == .zero)
    }

    @Test func badValuesAreRefusedWhereTheyAre() {
        // The first key after `pattern: bulk, ` starts at column 45 of line 5; each error is at its value.
        expectOneError(Self.flow("congestion: reno"), 5, 57, "'congestion' is 'reno', which is not a valid choice")
        expectOneError(Self.flow("streams: 65"), 5, 54, "'streams' is 65, out of range; write a value between 1 and 64")
        expectOneError(Self.flow("streams: 0"), 5, 54, "'streams' is 0, out of range")
        expectOneError(Self.flow("initial_window: 0"), 5, 61, "'initial_window' is 0, out of range; write a value between 1 and 1024")
        expectOneError(Self.flow("min_rto: 0s"), 5, 54, "'min_rto' is 0s, below the minimum 1ms")
        expectOneError(Self.flow("min_rto: 2min"), 5, 54, "'min_rto' is 2min, above the maximum 60s; write a value ≤ 60s")
        expectOneError(Self.flow("min_rto: 2s"), 5, 54, "'min_rto' (2s) is above the default initial_rto 1s (RFC 6298 §2.1)")
        expectOneError(
            Self.flow("initial_rto: 100ms"), 5, 58,
            "'initial_rto' (100ms) is below 'min_rto' (300ms): the first RTO is bounded below like every other; make initial_rto at least min_rto"
        )
        expectOneError(Self.flow("delayed_ack: 500ms"), 5, 58, "'delayed_ack' is 500ms: RFC 5681 §4.2 holds an ACK back less than 500ms")
        expectOneError(Self.flow("delayed_ack: 5"), 5, 58, "'delayed_ack': '5' has no unit")
        expectOneError(
            Self.flow("socket: drop"), 5, 53,
            "a bulk sender writes as the window opens, so it never overruns its socket; remove 'socket'")
        expectOneError(
            Self.flow("size: 100B, response_size: 1KiB, socket: drop", pattern: "request_response"), 5, 98,
            "a request/response client sends its next request only after the response")
        expectOneError(Self.flow("socket: nonblocking"), 5, 53, "'socket' is 'nonblocking', which is not a valid choice")
        expectOneError(
            Self.flow("socket_buffer: 1KiB"), 5, 60, "'socket_buffer' is 1KiB, below the minimum 2KiB; write a value ≥ 2KiB")
        expectOneError(Self.flow("socket_buffer: 2GiB"), 5, 60, "'socket_buffer' is 2GiB, above the maximum 1GiB")
        // TCP's keys are a bulk flow's.
        expectOneError(
            Self.flow("rate: 1Gbps, streams: 4", pattern: "constant"), 5, 62,
            "'streams' does not apply to a constant flow; remove 'streams'")
    }
}

/// `frame_size` and `rate: line` (issue 12, item 9): the frame each packet has, and the payload rate that keeps the
/// slowest link busy (`SimulationConfig.lineRate(for:)`), each refused with its rule where it cannot apply.
@Suite struct FrameSizeAndLineRateTests {
    /// A 10 Gb/s NIC, an external switch, one VM (line 4 holds its adapters' keys), a private switch; line 6 is the flow.
    static func scenario(_ flow: String, adapter: String = "", host: String = "") -> String {
        """
        \(host.isEmpty ? "name: t" : host)
        nics: [{name: pnic0, link_rate: 10Gbps}]
        switches: [{name: external, type: external, nic: pnic0}, {name: lan, type: private}]
        vms: [{name: vm, adapters: [{switch: external\(adapter)}]}, {name: b, adapters: [{switch: lan}]}, {name: c, adapters: [{switch: lan}]}]
        flows:
          - \(flow)

        """
    }

    func flows(_ yaml: String) throws -> [FlowConfig] { try ScenarioLoader.load(yaml: yaml, file: "t.yaml").config.flows }

    @Test func frameSizeGivesThePayload() throws {
        // frame − 42 B (UDP) or − 54 B (TCP) − 4 B FCS.
        #expect(try flows(Self.scenario("{from: external, to: vm, pattern: constant, rate: 1Gbps, frame_size: 64B}"))[0].size == .fixed(18))
        #expect(
            try flows(Self.scenario("{from: external, to: vm, pattern: constant, rate: 1Gbps, frame_size: 64B, transport: tcp}"))[0].size
                == .fixed(6))
        #expect(
            try flows(Self.scenario("{from: external, to: vm, pattern: constant, rate: 1Gbps, frame_size: 1518B}"))[0].size == .fixed(1472))
        #expect(
            try flows(Self.scenario("{from: b, to: c, pattern: request_response, frame_size: 200B, response_size: 1KiB}"))[0].size
                == .fixed(154))
        // Jumbo frames on both ends: 9000 + 18.
        let jumbo = Self.scenario("{from: b, to: c, pattern: constant, rate: 1Gbps, frame_size: 9018B}")
            .replacingOccurrences(of: "{switch: lan}", with: "{switch: lan, offloads: {mtu: 9000B}}")
        #expect(try flows(jumbo)[0].size == .fixed(8972))
    }

    @Test func badFrameSizes() {
        expectOneError(
            Self.scenario("{from: external, to: vm, pattern: constant, rate: 1Gbps, frame_size: 63B}"), 6, 74,
            "'frame_size' is 63B: an Ethernet frame is at least 64 bytes (FCS included); write at least '64B' (18B of UDP payload)")
        expectOneError(
            Self.scenario("{from: external, to: vm, pattern: constant, rate: 1Gbps, frame_size: 1519B}"), 6, 74,
            "'frame_size' is 1519B, above 1518B, the largest frame one packet of external@pnic0 → vm/eth0 can have: its MTU 1500B")
        // The smaller MTU of the two ends decides: a jumbo adapter talking to a 1500-B one.
        expectOneError(
            Self.scenario("{from: b, to: c, pattern: constant, rate: 1Gbps, frame_size: 9018B}")
                .replacingOccurrences(
                    of: "{name: b, adapters: [{switch: lan}]}", with: "{name: b, adapters: [{switch: lan, offloads: {mtu: 9000B}}]}"),
            6, 66,
            "'frame_size' is 9018B, above 1518B, the largest frame one packet of b/eth0 → c/eth0 can have: its MTU 1500B (the smaller of its ends')"
        )
        expectOneError(
            Self.scenario("{from: external, to: vm, pattern: constant, rate: 1Gbps, size: 100B, frame_size: 64B}"), 6, 74,
            "both 'size' and 'frame_size' are given")
        expectOneError(
            Self.scenario("{from: vm, to: external, pattern: bulk, frame_size: 64B}"), 6, 45, "'frame_size' does not apply to a bulk flow")
    }

    @Test func lineRateIsResolvedAtLoad() throws {
        // 64-B frames from the peer on 10 Gb/s: 18 × 8 bit per 84 B × 8 / 10 Gb/s = 2.142857142 Gb/s (LineRateTests).
        let f = try flows(Self.scenario("{from: external, to: vm, pattern: constant, rate: line, frame_size: 64B}"))
        #expect(f[0].pattern == .constant(rate: DataRate(bitsPerSecond: 2_142_857_142)))
        // on_off while on, and Poisson on average; an emulated adapter's 100 Mb/s link: 95.708712 Mb/s of 1472-B payloads.
        let onOff = try flows(
            Self.scenario(
                "{from: vm, to: external, pattern: on_off, rate: line, size: 1472B, on: 1ms, off: 1ms}", adapter: ", type: emulated"))
        #expect(onOff[0].pattern == .onOff(rate: DataRate(bitsPerSecond: 95_708_712), on: .constant(0.001), off: .constant(0.001)))
        let poisson = try flows(Self.scenario("{from: vm, to: external, pattern: poisson, rate: line, frame_size: 1518B}"))
        #expect(poisson[0].pattern == .poisson(rate: DataRate(bitsPerSecond: 9_570_871_261)))
        // A group: one line rate each (here the same).
        let group = try flows(
            Self.scenario("{name: in, from: external, to: vm, pattern: constant, rate: line}")
                .replacingOccurrences(
                    of: "{name: vm, adapters: [{switch: external}]}", with: "{name: \"vm[1-2]\", adapters: [{switch: external}]}"
                )
                .replacingOccurrences(of: "to: vm,", with: "to: \"vm[1-2]\","))
        #expect(group.count == 2 && group.allSatisfy { $0.pattern == .constant(rate: DataRate(bitsPerSecond: 9_567_496_723)) })
    }

    @Test func lineRateNeedsALinkAFixedSizeAndARate() {
        expectOneError(
            Self.scenario("{from: b, to: c, pattern: constant, rate: line}"), 6, 47,
            "'rate: line' needs a link on the flow's path, and b/eth0 → c/eth0 crosses none: synthetic adapters, the host vNIC and a "
                + "virtual switch move frames at CPU speed, not at a link's rate; write the rate itself (e.g. 'rate: 10Gbps'), or put "
                + "a link on the path")
        expectOneError(
            Self.scenario("{from: external, to: vm, pattern: constant, rate: line, size: {uniform: [64B, 1500B]}}"), 6, 55,
            "'rate: line' needs a fixed message size: a size distribution has no single frame size")
        expectOneError(Self.scenario("{from: vm, to: external, pattern: bulk, rate: line}"), 6, 45, "'rate' does not apply to a bulk flow")
        expectOneError(
            Self.scenario("{from: external, to: vm, pattern: constant, rate: line, packet_rate: 1kpps}"), 6, 61,
            "both 'rate' and 'packet_rate' are given")
        // A group's flows that all have no link: one error.
        expectOneError(
            Self.scenario("{from: b, to: \"c[1-2]\", pattern: constant, rate: line}")
                .replacingOccurrences(of: "{name: c, adapters: [{switch: lan}]}", with: "{name: \"c[1-2]\", adapters: [{switch: lan}]}"),
            6, 54, "'rate: line' needs a link on the flow's path")
        // Virtual Server: the emulated adapter's link is not paced.
        let vs = """
            host: {platform: virtual_server}
            networks: [{name: lan}]
            vms: [{name: a}, {name: b}]
            flows:
              - {from: a, to: b, pattern: constant, rate: line}

            """
        expectOneError(
            vs, 5, 47,
            "'rate: line' needs a link on the flow's path, and a/eth0 → b/eth0 crosses none: Virtual Server's emulated link is not paced, and its network is a hub in software (frames move at CPU speed); write the rate itself (e.g. 'rate: 100Mbps'), or put the NIC's wire on the path"
        )
    }
}
