import Models
import SimCore
import Testing

@testable import Scenario

/// The scenario format of a Virtual Server host (`host.platform: virtual_server`, issue #10): `networks:` with their
/// DHCP servers, adapters on networks, VMs' power, and the Virtual Server timeline actions; every bad input refused
/// with its rule, at its line.
@Suite struct VirtualServerScenarioTests {
    func load(_ yaml: String) throws -> LoadedScenario { try ScenarioLoader.load(yaml: yaml, file: "t.yaml") }
    func errors(_ yaml: String) -> [String] {
        ScenarioLoader.diagnose(yaml: yaml, file: "t.yaml").1.filter { $0.severity == .error }.map(\.description)
    }

    /// Expects exactly one error, at `line:column`, starting with `message`.
    func expectOne(_ yaml: String, _ line: Int, _ column: Int, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
    {
        let e = errors(yaml)
        let prefix = "t.yaml:\(line):\(column): error: \(message)"
        #expect(
            e.count == 1 && e[0].hasPrefix(prefix), "expected only \(prefix)…, got:\n\(e.joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }

    static let vs = """
        host: {platform: virtual_server}
        networks:
          - name: lan

        """

    /// A network with a DHCP server of `dhcp` (one line, the fifth of the file).
    static func dhcp(_ dhcp: String) -> String {
        "host: {platform: virtual_server}\nnetworks:\n  - name: lan\n    dhcp:\n      " + dhcp + "\n"
    }
    static let times = "lease: 1h, renewal: 30min, rebinding: 45min"

    @Test func decodesAFullVirtualServerScenario() throws {
        let s = try load(
            """
            name: vs
            duration: 2s
            host: {platform: virtual_server, cores: 4}
            nics: [{name: pnic0}]
            networks:
              - name: lan
                nic: pnic0
                port_queue: 256
                dhcp:
                  enabled: true
                  network: 10.244.0.0/24
                  start: 10.244.0.16
                  end: 10.244.0.100
                  server: 10.244.0.1
                  gateway: 10.244.0.254
                  dns: [10.244.0.2, 10.244.0.3]
                  wins: [10.244.0.4]
                  lease: 1h
                  renewal: 30min
                  rebinding: 45min
              - name: backend
            vms:
              - name: web
                count: 2
                adapters:
                  - {name: eth0, network: lan}
                  - {name: eth1, present: false}
              - name: db
                state: off
                adapters: [{network: backend}]
            flows:
              - {name: f, from: web1, to: web2, pattern: constant, rate: 10Mbps}
            timeline:
              - {at: 100ms, add_adapter: web/eth1}
              - {at: 200ms, attach: web/eth1, network: backend}
              - {at: 300ms, power_on: db}
              - {at: 400ms, detach: web1/eth1}
              - {at: 500ms, delete_network: backend}
              - {at: 600ms, power_off: db}
              - {at: 700ms, remove_adapter: db/eth0}
            """)
        let c = s.config
        // The host: Virtual Server, with its own default cost profile.
        #expect(c.host.platform == .virtualServer && c.host.cores == 4)
        #expect(c.host.costs == CostProfile(platform: .virtualServer))
        let dhcp = DHCPServerConfig(
            enabled: true, network: 0x0AF4_0000, prefixLength: 24, start: 0x0AF4_0010, end: 0x0AF4_0064, server: 0x0AF4_0001,
            gateway: 0x0AF4_00FE, dns: [0x0AF4_0002, 0x0AF4_0003], wins: [0x0AF4_0004], lease: .seconds(3600),
            renewal: .seconds(1800), rebinding: .seconds(2700))
        #expect(
            c.switches == [
                .virtualNetwork(name: "lan", nic: "pnic0", portQueuePackets: 256, dhcp: dhcp), .virtualNetwork(name: "backend"),
            ])
        // A VM has one CPU and emulated adapters by default; an adapter with no network takes its first attach's.
        var later = AdapterConfig(name: "eth1", kind: .emulated, switch: "backend", attached: false)
        later.present = false
        let web = [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan"), later]
        #expect(
            c.vms == [
                VMConfig(name: "web1", vcpus: 1, adapters: web), VMConfig(name: "web2", vcpus: 1, adapters: web),
                VMConfig(name: "db", vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "backend")], running: false),
            ])
        #expect(
            c.timeline == [
                TimelineAction(at: .milliseconds(100), .addAdapter(vm: "web1", adapter: "eth1")),
                TimelineAction(at: .milliseconds(100), .addAdapter(vm: "web2", adapter: "eth1")),
                TimelineAction(at: .milliseconds(200), .attachAdapter(vm: "web1", adapter: "eth1", switch: "backend")),
                TimelineAction(at: .milliseconds(200), .attachAdapter(vm: "web2", adapter: "eth1", switch: "backend")),
                TimelineAction(at: .milliseconds(300), .power(vm: "db", .powerOn)),
                TimelineAction(at: .milliseconds(400), .detachAdapter(vm: "web1", adapter: "eth1")),
                TimelineAction(at: .milliseconds(500), .deleteNetwork("backend")),
                TimelineAction(at: .milliseconds(600), .power(vm: "db", .powerOff)),
                TimelineAction(at: .milliseconds(700), .removeAdapter(vm: "db", adapter: "eth0")),
            ])
        #expect(s.overview == "vs: 3 VMs (5 emulated adapters), Virtual Server, 2 networks, 1 flow, 2s (warm-up 100ms), seed 1")
        #expect(
            LoadedScenario.describe(c.timeline[2].action, platform: .virtualServer) == "attach web1/eth1 to network backend")
    }

    @Test func networkActionsAndPowerOfAGroup() throws {
        let s = try load(
            Self.vs + """
                  - name: dmz
                vms:
                  - {name: v, count: 2, state: off, adapters: [{network: lan}]}
                timeline:
                  - {at: 100ms, power_on: v}
                  - {at: 200ms, save: v1}
                  - {at: 300ms, restore: v1}
                  - {at: 400ms, reset: 'v[1-2]'}
                  - {at: 500ms, unregister_network: dmz}
                  - {at: 600ms, register_network: dmz}
                """)
        #expect(s.config.vms.map(\.running) == [false, false])
        #expect(
            s.config.timeline.map(\.action) == [
                .power(vm: "v1", .powerOn), .power(vm: "v2", .powerOn), .power(vm: "v1", .save), .power(vm: "v1", .restore),
                .power(vm: "v1", .reset), .power(vm: "v2", .reset), .unregisterNetwork("dmz"), .registerNetwork("dmz"),
            ])
        // A network whose first action is create_network does not exist before it.
        let t = try load(
            Self.vs + "  - name: dmz\nvms: [{name: v, adapters: [{network: lan}]}]\ntimeline: [{at: 1ms, create_network: dmz}]\n")
        #expect(t.config.timeline.map(\.action) == [.createNetwork("dmz")])
    }

    @Test func aHyperVScenarioKeepsItsDefaults() throws {
        let s = try load("switches: [{name: lan, type: private}]\nvms: [{name: a}]\n")
        #expect(s.config.host.platform == .hyperV && s.config.host.costs == CostProfile())
        #expect(s.config.vms[0].vcpus == 2 && s.config.vms[0].adapters == [AdapterConfig(name: "eth0", switch: "lan")])
    }

    @Test func aVMWithoutAdaptersGetsOneOnTheOnlyNetwork() throws {
        let s = try load(Self.vs + "vms: [{name: a}]\n")
        #expect(s.config.vms[0].adapters == [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan")])
    }

    // MARK: DHCP rules

    @Test func startBeforeNetworkPlus16IsRefused() {
        expectOne(
            Self.dhcp("{network: 10.244.0.0/24, start: 10.244.0.15, \(Self.times)}"), 5, 39,
            "start address 10.244.0.15 is not in 10.244.0.16…10.244.0.254; Virtual Server reserves the first fifteen addresses")
    }

    @Test func leaseBelow60sIsRefused() {
        expectOne(
            Self.dhcp("{network: 10.244.0.0/24, lease: 59s, renewal: 30s, rebinding: 45s}"), 5, 39,
            "'lease' is 59s, below the minimum 60s")
    }

    @Test func renewalNotBeforeRebindingIsRefused() {
        expectOne(
            Self.dhcp("{network: 10.244.0.0/24, lease: 1h, renewal: 45min, rebinding: 45min}"), 5, 52,
            "renewal (2700s) is not shorter than rebinding (2700s); DHCP needs renewal < rebinding < lease")
    }

    @Test func rebindingNotBeforeLeaseIsRefused() {
        expectOne(
            Self.dhcp("{network: 10.244.0.0/24, lease: 1h, renewal: 30min, rebinding: 1h}"), 5, 70,
            "rebinding (3600s) is not shorter than the lease (3600s); DHCP needs renewal < rebinding < lease")
    }

    @Test func fractionalSecondsAreRefused() {
        expectOne(
            Self.dhcp("{network: 10.244.0.0/24, lease: 90.5s, renewal: 30s, rebinding: 45s}"), 5, 39,
            "'lease' must be a whole number of seconds (DHCP timers are in seconds)")
    }

    @Test func moreThanTwoWINSServersAreRefused() {
        expectOne(
            Self.dhcp("{network: 10.244.0.0/24, wins: [10.244.0.2, 10.244.0.3, 10.244.0.4], \(Self.times)}"), 5, 38,
            "'wins' lists 3 servers; Virtual Server takes a primary and a secondary WINS server, no more")
    }

    @Test func serverGatewayAndDNSMustBeHostAddresses() {
        let e = errors(
            Self.dhcp("{network: 10.244.0.0/24, server: 10.245.0.1, gateway: 10.244.0.255, dns: [10.244.0.0, 1.2.3], \(Self.times)}"))
        #expect(e.count == 4, "\(e)")
        #expect(e.contains { $0.hasPrefix("t.yaml:5:40: error: the server's address 10.245.0.1 is not a host address of 10.244.0.0/24") })
        #expect(e.contains { $0.hasPrefix("t.yaml:5:61: error: the gateway 10.244.0.255 is not a host address of 10.244.0.0/24") })
        #expect(e.contains { $0.hasPrefix("t.yaml:5:81: error: 10.244.0.0 is not a host address") })
        #expect(e.contains { $0.hasPrefix("t.yaml:5:93: error: '1.2.3' is not an IPv4 address") })
    }

    @Test func aValidServerHasNoError() {
        #expect(errors(Self.dhcp("{network: 10.244.0.0/24, start: 10.244.0.16, end: 10.244.0.254, \(Self.times)}")) == [])
    }

    // MARK: Platform rules, located

    @Test func aSyntheticAdapterOnVirtualServerIsRefusedAtItsType() {
        expectOne(
            Self.vs + "vms:\n  - name: a\n    adapters: [{network: lan, type: synthetic}]\n", 6, 37,
            "Virtual Server has emulated (DEC 21140) adapters only")
    }

    @Test func switchOnVirtualServerPointsToNetwork() {
        expectOne(
            Self.vs + "vms:\n  - name: a\n    adapters: [{switch: lan}]\n", 6, 25,
            "a Virtual Server adapter is connected to a network, not a switch; write 'network: lan' instead of 'switch: …'")
        expectOne(
            Self.vs + "vms: [{name: a, adapters: [{network: lan}]}]\ntimeline: [{at: 1ms, attach: a, switch: lan}]\n", 5, 33,
            "a Virtual Server adapter is attached to a network, not a switch; write 'network: NAME'")
    }

    @Test func networkOnHyperVPointsToSwitch() {
        expectOne(
            "switches: [{name: lan, type: private}]\nvms:\n  - name: a\n    adapters: [{network: lan}]\n", 4, 17,
            "'network' names a Virtual Server network, and this host is Hyper-V; write 'switch: NAME'")
        // A whole network on Hyper-V is the model's platform rule, at the network's entry.
        expectOne(
            "networks:\n  - name: lan\nswitches: [{name: s, type: private}]\nvms: [{name: a}]\n", 2, 5,
            "'lan' is a Virtual Server network, and this host is Hyper-V; set host.platform: virtual_server")
    }

    @Test func aHyperVSwitchOnVirtualServerIsRefusedAtIt() {
        expectOne(
            Self.vs + "switches: [{name: s, type: private}]\nvms: [{name: a, adapters: [{network: lan}]}]\n", 4, 12,
            "Virtual Server has no Hyper-V private switch ('s'); declare a Virtual Server network under 'networks'")
    }

    @Test func anAdapterWithNeitherNetworkNorAttachIsRefused() {
        expectOne(
            Self.vs + "vms:\n  - name: a\n    adapters: [{name: eth0}]\n", 6, 16,
            "adapter 'eth0' of VM 'a' has no 'network', and no timeline 'attach' connects it to one")
    }

    // MARK: The timeline's order of states, located at the entry

    @Test func removeAdapterOfARunningVMIsRefusedAtTheEntry() {
        expectOne(
            Self.vs + "vms: [{name: a, adapters: [{network: lan}]}]\ntimeline:\n  - {at: 1ms, remove_adapter: a/eth0}\n", 6, 5,
            "VM 'a' is running: Virtual Server removes an adapter only from a stopped VM (RemoveNetworkAdapter); power_off it first")
    }

    @Test func attachBeforeAddAdapterIsRefused() {
        expectOne(
            Self.vs
                + "vms: [{name: a, adapters: [{network: lan, present: false}]}]\ntimeline:\n  - {at: 1ms, attach: a}\n"
                + "  - {at: 2ms, add_adapter: a}\n", 6, 5,
            "adapter 'a/eth0' does not exist at this time (Virtual Server adds an adapter, then attaches it); add_adapter it first")
    }

    @Test func attachToADeletedNetworkIsRefused() {
        expectOne(
            Self.vs
                + "  - name: dmz\nvms: [{name: a, adapters: [{network: lan}]}]\ntimeline:\n  - {at: 1ms, delete_network: dmz}\n"
                + "  - {at: 2ms, attach: a, network: dmz}\n", 8, 5,
            "network 'dmz' was deleted earlier; attach to a network that exists")
    }

    @Test func powerOnOfARunningVMIsRefused() {
        expectOne(
            Self.vs + "vms: [{name: a, adapters: [{network: lan}]}]\ntimeline:\n  - {at: 1ms, power_on: a}\n", 6, 5,
            "VM 'a' is already running at this time")
    }

    @Test func anUnknownNetworkGetsADidYouMean() {
        expectOne(
            Self.vs + "vms: [{name: a, adapters: [{network: lna}]}]\n", 4, 38, "no network named 'lna'; did you mean 'lan'?")
        expectOne(
            Self.vs + "vms: [{name: a, adapters: [{network: lan}]}]\ntimeline: [{at: 1ms, delete_network: lam}]\n", 5, 38,
            "no network named 'lam'; did you mean 'lan'?")
    }

    @Test func virtualServerActionsOnHyperVAreRefusedAtTheEntry() {
        expectOne(
            "switches: [{name: lan, type: private}]\nvms: [{name: a}]\ntimeline:\n  - {at: 1ms, power_off: a}\n", 4, 5,
            "this action is Virtual Server's; set host.platform: virtual_server")
    }

    @Test func aPowerActionNamesAWholeVM() {
        expectOne(
            Self.vs + "vms: [{name: a, adapters: [{network: lan}]}]\ntimeline: [{at: 1ms, power_off: a/eth0}]\n", 5, 33,
            "'power_off' acts on a whole VM, not on one adapter ('a/eth0'); write the VM's name, 'a'")
    }

    @Test func virtualServerKeysOnHyperVAreRefused() {
        let hv = "switches: [{name: lan, type: private}]\n"
        expectOne(
            hv + "vms:\n  - name: a\n    adapters: [{switch: lan, present: false}]\n", 4, 39,
            "an adapter added later ('add_adapter') is Virtual Server's; remove 'present', or set host.platform: virtual_server")
        expectOne(
            hv + "vms:\n  - {name: a, state: off}\n", 3, 22,
            "a VM that starts turned off needs a timeline 'power_on', which is Virtual Server's")
        expectOne(
            hv + "vms: [{name: a}]\ntimeline: [{at: 1ms, attach: a, network: lan}]\n", 3, 33,
            "'network' names a Virtual Server network, and this host is Hyper-V; write 'switch: NAME'")
    }

    @Test func onlyAttachTakesANetwork() {
        expectOne(
            Self.vs + "vms: [{name: a, adapters: [{network: lan}]}]\ntimeline: [{at: 1ms, detach: a, network: lan}]\n", 5, 33,
            "'network' goes with 'attach' only")
        expectOne(
            Self.vs + "vms: [{name: a, adapters: [{network: lan}]}]\ntimeline: [{at: 1ms, power_off: a, network: lan}]\n", 5, 36,
            "'network' goes with 'attach' only")
    }

    @Test func aCaptureAndAnExternalPeerUseANetwork() throws {
        let s = try load(
            """
            host: {platform: virtual_server}
            nics: [{name: pnic0}]
            networks: [{name: lan, nic: pnic0}]
            vms: [{name: a, adapters: [{network: lan}]}]
            flows: [{from: a, to: external, pattern: constant, rate: 1Mbps}]
            captures: [{endpoint: a/eth0, switch: lan}]
            """)
        #expect(s.config.flows[0].to == .external(nic: "pnic0"))
        #expect(s.config.captures == [CapturePort(switch: "lan", endpoint: .vm("a", adapter: "eth0"))])
    }

    @Test func describeNamesTheNetworkOnVirtualServer() {
        let attach = TimelineAction.Action.attachAdapter(vm: "web1", adapter: "eth0", switch: "lan")
        #expect(LoadedScenario.describe(attach, platform: .virtualServer) == "attach web1/eth0 to network lan")
        #expect(LoadedScenario.describe(attach) == "attach web1/eth0 to switch lan")
        #expect(LoadedScenario.describe(.power(vm: "db", .powerOn)) == "power_on db")
    }

    /// A shortened Virtual Server run keeps every action after its end at its own time, where the model never runs it:
    /// dropping the attach (and keeping the flow to b) or keeping it without its add_adapter would make the
    /// configuration invalid. The warning says they do not happen.
    @Test func aShortenedRunKeepsLaterActionsUnrun() throws {
        let s = try load(
            Self.vs
                + """
                vms:
                  - {name: a, adapters: [{network: lan}]}
                  - {name: b, adapters: [{network: lan, present: false}]}
                flows: [{from: a, to: b, pattern: constant, rate: 1Mbps}]
                timeline:
                  - {at: 500ms, add_adapter: b}
                  - {at: 600ms, attach: b, network: lan}
                """)
        let t = s.shortened(to: .milliseconds(5))
        #expect(t.config.timeline.map(\.at) == [.milliseconds(500), .milliseconds(600)])
        let out = try HostSimulation(config: t.config).run()
        #expect(out.report.networks?.first?.attachedAtEnd == ["a/eth0"])
        #expect(t.config.validate().isEmpty, "\(t.config.validate())")
        #expect(t.warnings.contains { $0.message.contains("attach b/eth0 to network lan at 600ms") }, "\(t.warnings)")
    }

    @Test func aGuestHasOneCPUAndAtMostFourAdapters() {
        expectOne(
            Self.vs + "vms:\n  - {name: a, vcpus: 2, adapters: [{network: lan}]}\n", 5, 22,
            "a Virtual Server 2005 guest has a single CPU (got 2); set vcpus: 1")
        let five = (0..<5).map { "{name: e\($0), network: lan}" }.joined(separator: ", ")
        expectOne(
            Self.vs + "vms:\n  - name: a\n    adapters: [\(five)]\n", 6, 15,
            "Virtual Server's emulated DEC 21140 has one to four network connections (got 5 adapters)")
    }
}
