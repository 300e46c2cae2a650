import Models
import SimCore
import Stochastics
import Testing

@testable import Scenario

@Suite struct DecodingTests {
    func load(_ yaml: String) throws -> LoadedScenario { try ScenarioLoader.load(yaml: yaml, file: "t.yaml") }
    func errors(_ yaml: String) -> [String] {
        ScenarioLoader.diagnose(yaml: yaml, file: "t.yaml").1.filter { $0.severity == .error }.map(\.description)
    }

    static let base = """
        switches: [{name: lan, type: private}]
        vms: [{name: a}, {name: b}]

        """

    @Test func defaultsComeFromTheModel() throws {
        let s = try load(Self.base + "flows: [{from: a, to: b, pattern: constant, rate: 1Gbps}]\n")
        let d = SimulationConfig()
        #expect(s.name == "t")
        #expect(s.overview == "t: 2 VMs (2 synthetic adapters), 1 switch, 1 flow, 1s (warm-up 100ms), seed 1")
        #expect(s.config.duration == d.duration && s.config.warmup == d.warmup && s.config.seed == d.seed)
        #expect(s.config.host == HostConfig())
        #expect(s.config.vms[0].adapters == [AdapterConfig(name: "eth0", switch: "lan")])
        #expect(
            s.config.flows[0]
                == FlowConfig(
                    name: "a-to-b", from: .vm("a", adapter: "eth0"), to: .vm("b", adapter: "eth0"),
                    pattern: .constant(rate: .gigabits(1))))
    }

    @Test func shortRunsGetAShortWarmup() throws {
        let s = try load("duration: 50ms\n" + Self.base)
        #expect(s.config.warmup == .milliseconds(5))
        #expect(
            errors("duration: 50ms\nwarmup: 60ms\n" + Self.base).first?.contains("'warmup' (60ms) is not shorter than 'duration' (50ms)")
                == true)
    }

    @Test func groupFlowsPairUp() throws {
        let s = try load(
            """
            switches: [{name: lan, type: private}]
            vms:
              - name: c[1-3]
              - name: s
                count: 3
            flows:
              - name: f
                from: c[1-3]
                to: s[1-3]
                pattern: poisson
                rate: 10Mbps
              - from: c[1-3]
                to: s1
                pattern: constant
                packet_rate: 1kpps
                size: 100B
            timeline:
              - {at: 500ms, stop_flow: f}
              - {at: 100ms, detach: "c[1-2]"}
            """)
        #expect(s.config.vms.map(\.name) == ["c1", "c2", "c3", "s1", "s2", "s3"])
        #expect(s.config.flows.map(\.name) == ["f.c1", "f.c2", "f.c3", "c1-to-s1", "c2-to-s1", "c3-to-s1"])
        #expect(s.config.flows[1].to == .vm("s2", adapter: "eth0"))
        // 1 kpps of 100-byte messages = 800 kb/s.
        #expect(s.config.flows[3].pattern == .constant(rate: DataRate(bitsPerSecond: 800_000)))
        // Sorted by time: the detaches (100 ms) come before the stops (500 ms).
        #expect(
            s.config.timeline.map(\.action) == [
                .detachAdapter(vm: "c1", adapter: "eth0"), .detachAdapter(vm: "c2", adapter: "eth0"),
                .stopFlow("f.c1"), .stopFlow("f.c2"), .stopFlow("f.c3"),
            ])
    }

    @Test func costProfilesLayer() throws {
        let s = try load(
            """
            cost_profiles:
              a: {vswitch: 5000}
              b: {base: a, guest_stack_tx: {per_byte: 2}}
            host: {cost_profile: a}
            switches: [{name: lan, type: private}]
            vms:
              - name: x
                cost_profile: b
                adapters: [{name: eth0, switch: lan, costs: {vsp_rx: 99}}]
              - name: y
            """)
        let d = CostProfile()
        #expect(s.config.host.costs[.vSwitch].fixed == 5000)
        #expect(s.config.host.costs[.vSwitch].perByte == d[.vSwitch].perByte)
        // x's profile b = a + guest_stack_tx.per_byte 2; relative to the host (a) only that stage differs.
        #expect(Set(s.config.vms[0].costOverrides.keys) == [.guestStackTx])
        #expect(s.config.vms[0].costOverrides[.guestStackTx] == CostModel(fixed: d[.guestStackTx].fixed, perByte: 2, source: "scenario"))
        #expect(s.config.vms[0].adapters[0].costOverrides[.vspRx]?.fixed == 99)
        #expect(s.config.vms[1].costOverrides.isEmpty)
        #expect(errors("cost_profiles: {a: {base: b}, b: {base: a}}\n" + Self.base).contains { $0.contains("is its own base") })
        #expect(
            errors("host: {cost_profile: fst}\ncost_profiles: {fast: {vswitch: 1}}\n" + Self.base)
                == ["t.yaml:1:22: error: no cost profile named 'fst'; did you mean 'fast'?"])
    }

    @Test func distributions() throws {
        let s = try load(
            Self.base + """
                flows:
                  - {from: a, to: b, pattern: on_off, rate: 1Gbps, on: {exponential: 2ms}, off: {uniform: [1ms, 3ms]}, size: {normal: [800B, 100B]}}
                  - {from: b, to: a, pattern: request_response, response_size: 1KiB, size: {empirical: {values: [64B, 1500B], weights: [3, 1]}}}
                """)
        #expect(
            s.config.flows[0].pattern == .onOff(rate: .gigabits(1), on: .exponential(mean: 0.002), off: .uniform(min: 0.001, max: 0.003)))
        #expect(s.config.flows[0].size == .distribution(.normal(mean: 800, standardDeviation: 100)))
        #expect(s.config.flows[1].size == .distribution(.empirical(values: [64, 1500], weights: [3, 1])))
        #expect(
            errors(Self.base + "flows: [{from: a, to: b, pattern: poisson, rate: 1Gbps, size: {exponental: 1KiB}}]\n")
                == ["t.yaml:3:64: error: unknown distribution 'exponental'; did you mean 'exponential'?"])
    }

    @Test func everyProblemAtOnce() {
        let e = errors(
            """
            seed: -1
            duration: 2
            host: {cores: 4, root_cores: [0, 9]}
            switches: [{name: lan, type: private}, {name: lan, type: internal}]
            vms: [{name: a, vcpus: 0}, {name: a}]
            flows: [{from: a, to: nowhere, pattern: constant}]
            """)
        #expect(e.count >= 7, "\(e.joined(separator: "\n"))")
        #expect(e.contains { $0.contains("duplicate switch name 'lan' (first defined at line 4)") })
        #expect(e.contains { $0.contains("root core 9 does not exist") })
        #expect(e.contains { $0.contains("'duration': '2' has no unit") })
    }

    @Test func capturePortFromTheCommandLine() throws {
        let s = try load(
            """
            nics: [{name: pnic0}]
            switches: [{name: ext, type: external, nic: pnic0, host_vnic: true}]
            vms: [{name: a}]
            """)
        #expect(try ScenarioLoader.capturePort("a", in: s.config).get() == CapturePort(switch: "ext", endpoint: .vm("a", adapter: "eth0")))
        #expect(
            try ScenarioLoader.capturePort("ext:external@pnic0", in: s.config).get()
                == CapturePort(switch: "ext", endpoint: .external(nic: "pnic0")))
        #expect(try ScenarioLoader.capturePort("host", in: s.config).get() == CapturePort(switch: "ext", endpoint: .host(switch: "ext")))
        if case .failure(let d) = ScenarioLoader.capturePort("b", in: s.config) {
            #expect(d.description == "--pcap:1:1: error: no VM named 'b'; did you mean 'a'?")
        } else {
            Issue.record("'b' should not resolve")
        }
    }

    @Test func shortenedKeepsItValid() throws {
        let s = try load(
            "duration: 2s\n" + Self.base
                + "flows: [{from: a, to: b, pattern: constant, rate: 1Gbps, start: 1s}]\ntimeline: [{at: 1500ms, detach: a}]\n")
        let t = s.shortened(to: .milliseconds(5))
        #expect(t.config.validate().isEmpty)
        // The flow keeps its start (it never starts) and the action is gone: each said in a warning.
        #expect(t.config.timeline.isEmpty && t.config.flows[0].start == .seconds(1))
        #expect(t.warnings.count == 2)
    }

    @Test func dhcpRulesAcceptAValidServer() {
        let e = errors(
            """
            host: {platform: virtual_server}
            networks:
              - name: net
                dhcp: {network: 10.244.0.0/24, start: 10.244.0.16, end: 10.244.0.254, lease: 1h, renewal: 30min, rebinding: 45min}
            """)
        // A Virtual Server network is simulated: the file has no error.
        #expect(e.isEmpty, "\(e)")
    }

    /// Every key in the schema can be given, and is read (a documented key the decoder skipped would be a
    /// silent no-op; `MappingReader.finish` asserts against it).
    @Test func kitchenSinkUsesEveryKey() throws {
        let s = try load(
            """
            name: sink
            description: every key
            seed: 9
            replications: 3
            duration: 100ms
            warmup: 10ms
            sample_interval: 5ms
            max_series_points: 100
            max_captured_frames: 10
            socket_backlog_limit: 5ms
            cost_profiles:
              p:
                base: default
                description: d
                vswitch: {fixed: 1, per_byte: 0.1, source: s, pieces: [{up_to: 100B, fixed: 2, per_byte: 0.2}]}
            host: {cores: 8, clock: 3GHz, root_cores: [0, 1], vcpu_placement: shared, cost_profile: p, costs: {vsp_tx: 5}}
            nics:
              - {name: n0, link_rate: 1Gbps, mtu: 1500B, tx_queue: 10, rx_queue: 10, coalescing: {max_frames: 4, max_delay: 10us},
                 vmq: true, queue_cores: [1], lso: false, propagation_delay: 2us}
            switches:
              - {name: ext, type: external, nic: n0, host_vnic: true, host_vlan: 3, port_queue: 100}
            vms:
              - name: v
                count: 2
                vcpus: 2
                cost_profile: p
                costs: {vsc_tx: 700}
                adapters:
                  - {name: eth0, type: synthetic, switch: ext, vlan: 0, attached: true, ring_size: 64KiB, batch_packets: 4, channels: 2,
                     descriptor_size: 136B, send_section_size: 6144B, tx_queue: 100, offloads: {lso: true, checksum: false, mtu: 1500B, lso_max_size: 60000B},
                     cost_profile: default, costs: {ring_write: 100}}
                  - {name: eth1, type: emulated, switch: ext, tx_queue: 50, emulated: {link_rate: 100Mbps, tx_accesses_per_packet: 1,
                     tx_interrupt_every: 16, accesses_per_interrupt: 5, tx_ring: 32, rx_ring: 128, access_path: hypervisor}}
            flows:
              - {name: f, from: v1, to: external, transport: udp, pattern: constant, rate: 10Mbps, size: 1000B, start: 1ms, stop: 90ms}
              - {from: v2, to: host, pattern: on_off, packet_rate: 1kpps, size: 100B, on: 1ms, off: {exponential: 1ms}}
              - {from: v1/eth1, to: external, pattern: request_response, response_size: 100B, think_time: 1ms}
              - {from: v2/eth0, to: host@ext, pattern: bulk, window: 64KiB, ack_every: 2}
            timeline:
              - {at: 20ms, detach: v1/eth1}
              - {at: 30ms, attach: v1/eth1}
              - {at: 40ms, stop_flow: f}
              - {at: 50ms, start_flow: f}
            captures:
              - {endpoint: v1/eth0, switch: ext}
            """)
        #expect(s.replications == 3 && s.config.vms.count == 2 && s.config.flows.count == 4 && s.config.captures.count == 1)
        #expect(s.config.validate().isEmpty)
        // The kitchen sink plus networks covers every section of the schema.
        let yamlKeys = Set(ScenarioSchema.sections.flatMap(\.keys))
        #expect(yamlKeys.contains("ring_size") && yamlKeys.contains("lease"))
    }
}
