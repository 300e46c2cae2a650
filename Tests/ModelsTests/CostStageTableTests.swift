import Models
import SimCore
import Testing

/// The stages are declared once (`CostStage.info`, an exhaustive switch: a case without an entry does not
/// compile); these tests check that everything the model derives from that declaration covers every stage, so a
/// stage added to the enum lands in the defaults, the report's domain and component split and its cost inputs.
@Suite struct CostStageTableTests {
    /// The raw value is the dense index: stage i is `CostStage.table[i]`, with no gaps (flat arrays rely on it).
    @Test func rawValuesAreTheDenseIndex() {
        #expect(CostStage.count == CostStage.allCases.count)
        #expect(CostStage.table.count == CostStage.count)
        for (i, s) in CostStage.allCases.enumerated() {
            #expect(Int(s.rawValue) == i, "\(s) has raw value \(s.rawValue), expected \(i)")
            #expect(s.info == CostStage.table[i])
            if i > 0 { #expect(CostStage.allCases[i - 1] < s) }
        }
    }

    /// Every name is a distinct snake_case key that maps back to its stage.
    @Test func namesAreUniqueAndRoundTrip() {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz_")
        for s in CostStage.allCases {
            #expect(!s.name.isEmpty && s.name.allSatisfy(allowed.contains), "\(s): name '\(s.name)' is not snake_case")
            #expect(CostStage(name: s.name) == s, "\(s.name) does not name \(s)")
        }
        #expect(Set(CostStage.allCases.map(\.name)).count == CostStage.count)
        #expect(CostStage(name: "no_such_stage") == nil)
    }

    /// The built-in profile is the table's defaults, each valid, with a MODEL-REFERENCE source and a meaning.
    @Test func everyStageHasADefaultWithASource() {
        let p = CostProfile()
        for s in CostStage.allCases {
            #expect(p[s] == s.info.defaultCost, "\(s.name): the profile's default differs from the table's")
            #expect(p[s].source.contains("MODEL-REFERENCE"), "\(s.name) lacks a source")
            #expect(p[s].problem == nil, "\(s.name): \(p[s].problem ?? "")")
            #expect(!s.info.summary.isEmpty && !s.info.summary.contains("\n"), "\(s.name) needs a one-line summary")
        }
        // The subscript reads and writes one stage only.
        var q = p
        q[.vSwitch] = CostModel(fixed: 1, source: "test")
        for s in CostStage.allCases where s != .vSwitch { #expect(q[s] == p[s]) }
        #expect(q[.vSwitch].fixed == 1)
        #expect(CostProfile.zero != p)
        for s in CostStage.allCases { #expect(CostProfile.zero[s] == .free) }
    }

    /// The per-domain and per-component split covers every stage. Hypervisor time is exactly the exits,
    /// hypercalls and injections (MODEL-REFERENCE §1.1), all on the vCPU that caused them; the components are
    /// the report's `component` rows (docs/model.md), so a typo in one would show as a new row.
    @Test func everyStageHasADomainAndAComponent() {
        #expect(
            Set(CostStage.hypervisorStages) == [
                .signalGuest, .interruptInjection, .emulatedAccessKernel, .emulatedInterruptInjection, .vfInterrupt,
            ])
        for s in CostStage.allCases {
            #expect(s.isHypervisor == (s.info.domain == .hypervisor))
            #expect(s.isHypervisor == CostStage.hypervisorStages.contains(s))
            if s.isHypervisor { #expect(s.info.core == .vcpu, "\(s.name) is hypervisor time off a vCPU") }
        }
        let components: Set<String> = [
            "guest_stack", "checksum", "vsc", "ring_copy", "signal", "interrupt_injection", "vsp", "vswitch", "nic_driver",
            "emulated_register_access", "device_model", "emulated_interrupt_injection", "worker_process", "host_stack",
            "vmm_host_switch", "hub", "dhcp_server", "nic_interrupt", "vf_driver", "vf_interrupt",
        ]
        for s in CostStage.allCases { #expect(components.contains(s.component), "\(s.name): unknown component '\(s.component)'") }
        #expect(Set(CostStage.allCases.map(\.component)) == components)
    }

    /// The report's cost inputs list every stage of the host's profile, in declaration order, then each VM's and
    /// adapter's overrides — here one for every stage — in declaration order.
    @Test func everyStageIsACostInput() {
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(10))
        let all = Dictionary(uniqueKeysWithValues: CostStage.allCases.map { ($0, CostModel(fixed: Int64($0.rawValue), source: "test")) })
        c.vms[0].costOverrides = all
        c.vms[0].adapters[0].costOverrides = all
        let inputs = c.costInputs()
        let names = CostStage.allCases.map(\.name)
        let host = inputs.filter { $0.scope == "host" }
        // The host profile lists the stages a Hyper-V host has (no hub, hosted VMM or DHCP server).
        let hyperV = CostStage.allCases.filter { $0.applies(to: .hyperV) }
        #expect(host.map(\.stage) == hyperV.map(\.name))
        #expect(host.map(\.source) == hyperV.map(\.info.defaultCost.source))
        #expect(!hyperV.contains(.hubForward) && hyperV.contains(.vSwitch))
        let vm = inputs.filter { $0.scope == "vm:\(c.vms[0].name)" }
        #expect(vm.map(\.stage) == names)
        #expect(vm.map(\.fixedCycles) == CostStage.allCases.map { Int64($0.rawValue) })
        #expect(inputs.filter { $0.scope == "adapter:\(c.vms[0].name)/\(c.vms[0].adapters[0].name)" }.map(\.stage) == names)
    }
}
