import Models
import SimCore
import Stochastics
import Testing

@Suite struct ConfigurationTests {
    @Test func referenceConfigsAreValid() {
        #expect(ReferenceConfigs.reference64VM().validate().isEmpty)
        #expect(ReferenceConfigs.quickstart().validate().isEmpty)
        #expect(ReferenceConfigs.vmToVMPrivate().validate().isEmpty)
        #expect(ReferenceConfigs.adapterComparison(.emulated).validate().isEmpty)
    }

    @Test func everyProblemIsReported() {
        var c = ReferenceConfigs.quickstart()
        c.warmup = .seconds(5)
        c.vms[0].adapters[0].switch = "nowhere"
        c.vms.append(VMConfig(name: "old", adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "external", vlan: 5)]))
        c.flows.append(FlowConfig(name: "bad", from: .vm("ghost"), to: .external(nic: "pnic0"), pattern: .bulk()))
        let paths = Set(c.validate().map(\.path))
        #expect(paths.contains("warmup"))
        #expect(paths.contains("vms[0].adapters[0].switch"))
        #expect(paths.contains("vms[1].adapters[0].vlan"))
        #expect(paths.contains("flows[2].from"))
        #expect(paths.contains("flows[2].transport"))
        #expect(throws: ConfigurationError.self) { _ = try HostSimulation(config: c) }
    }

    @Test func costDefaultsCarrySources() {
        let p = CostProfile()
        for s in CostStage.allCases { #expect(p[s].source.contains("MODEL-REFERENCE"), "\(s) lacks a source") }
        // §5: guest TX 2,500 + 0.5/B ⇒ 1,460 B cost 3,230 cycles.
        #expect(p[.guestStackTx].cycles(bytes: 1460) == 3_230)
    }

    @Test func piecewiseCost() {
        let m = CostModel(fixed: 100, perByte: 1, pieces: [CostPiece(upToBytes: 64, fixed: 10, perByte: 0)])
        #expect(m.cycles(bytes: 64) == 10)
        #expect(m.cycles(bytes: 65) == 165)
        #expect(m.problem == nil)
    }

    @Test func overridesApplyPerAdapter() throws {
        // An adapter override of the guest TX stack to 30,000 cycles makes its vCPU the bound. Per packet the
        // vCPU spends 30,000 + NetVSC 600 + copy 0.3 × 1,506 = 452 + ring write 150 + 136 = 31,338 cycles, and
        // per send message (one per packet here: each message is one packet) the completion: ring read 150 + 32
        // + vsc_send_completion 300 = 482 ⇒ 31,820; plus at most one 1,500-cycle signal and one 2,500-cycle
        // SynIC interrupt ⇒ between 3e9 / 35,820 = 83,752 and 3e9 / 31,820 = 94,280 pps. Offered 2 Gb/s
        // (171,233 messages/s while awake), the blocking sender sleeps on its full socket for the rest: about
        // 1 − rate / 171,233 of the window (± 2 points for the window's edges), and nothing is dropped.
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(60))
        c.flows = [FlowConfig(name: "f", from: .vm("web1"), to: .external(nic: "pnic0"), pattern: .constant(rate: .gigabits(2)))]
        c.vms[0].adapters[0].costOverrides = [.guestStackTx: CostModel(fixed: 30_000, source: "test")]
        let r = try HostSimulation(config: c).run().report
        let rate = try r.metric(.flow, "f", "delivered_packets_per_second")
        #expect(rate <= 94_280 * 1.005 && rate >= 83_752 * 0.995, "rate \(rate)")
        #expect(try r.metric(.flow, "f", "drops") == 0)
        let asleep = try r.metric(.flow, "f", "socket_blocked_share")
        #expect(abs(asleep - 100 * (1 - rate / 171_233)) < 2, "asleep \(asleep) %")
    }
}
