import Models
import SimCore
import Testing

@testable import Scenario

/// The `sriov` keys of adapters and NICs and the `remove_vf` / `restore_vf` timeline actions (issue 12, item 8): decoded
/// with their defaults (off), and every adapter that cannot have a virtual function refused at its `sriov` with the rule.
@Suite struct SRIOVScenarioTests {
    /// An SR-IOV NIC and a plain one, an external switch on each and an internal switch; line 5 is the VM.
    static func host(_ vm: String, timeline: String = "", platform: String = "") -> String {
        """
        name: t\(platform)
        nics: [{name: pnic0, sriov: true}, {name: pnic1}]
        switches: [{name: ext, type: external, nic: pnic0}, {name: ext1, type: external, nic: pnic1}, {name: int, type: internal}]
        vms:
          - \(vm)
        \(timeline)
        """
    }

    func load(_ yaml: String) throws -> SimulationConfig { try ScenarioLoader.load(yaml: yaml, file: "t.yaml").config }

    @Test func keysAndActionsDecode() throws {
        // Off by default (Hyper-V: IovWeight 0, a NIC without IOV); on where written; the actions name the adapter.
        #expect(!AdapterConfig(name: "a", switch: "s").sriov && !NICConfig(name: "n").sriov)
        #expect(ScenarioSchema.nicSection.field("sriov")?.defaultValue == "false")
        let c = try load(
            Self.host(
                "{name: vm, adapters: [{switch: ext, sriov: true}]}",
                timeline: "timeline: [{at: 1ms, remove_vf: vm}, {at: 2ms, restore_vf: vm/eth0}]"))
        #expect(c.nics[0].sriov && !c.nics[1].sriov)
        #expect(c.vms[0].adapters[0].sriov)
        #expect(
            c.timeline.map(\.action) == [.removeVF(vm: "vm", adapter: "eth0"), .restoreVF(vm: "vm", adapter: "eth0")])
    }

    @Test func onlyASyntheticAdapterHasAVirtualFunction() {
        expectOneError(
            Self.host("{name: vm, adapters: [{type: emulated, switch: ext, sriov: true}]}"), 5, 64,
            "only a synthetic adapter can have an SR-IOV virtual function (the legacy adapter has none); use type: synthetic or remove sriov"
        )
    }

    @Test func aVirtualFunctionNeedsAnExternalSwitch() {
        expectOneError(
            Self.host("{name: vm, adapters: [{switch: int, sriov: true}]}"), 5, 48,
            "an SR-IOV virtual function needs an external switch (a VF is a function of its physical NIC), and 'int' is not one; "
                + "connect the adapter to an external switch or remove sriov")
    }

    @Test func aVirtualFunctionNeedsAnSRIOVNIC() {
        expectOneError(
            Self.host("{name: vm, adapters: [{switch: ext1, sriov: true}]}"), 5, 49,
            "NIC 'pnic1' of switch 'ext1' offers no virtual functions; set sriov: true on the NIC or remove sriov here")
    }

    @Test func theTimelineNeedsAnAdapterWithAVirtualFunction() {
        expectOneError(
            Self.host("{name: vm, adapters: [{switch: ext}]}", timeline: "timeline: [{at: 1ms, remove_vf: vm}]"), 6, 12,
            "adapter 'vm/eth0' has no virtual function to remove or restore; give it sriov: true")
    }

    @Test func virtualServerHasNoSRIOV() {
        let vs = "name: t\nhost: {platform: virtual_server}\nnetworks: [{name: lan}]\nvms:\n"
        expectOneError(
            vs + "  - {name: vm, adapters: [{network: lan, sriov: true}]}\n", 5, 49,
            "Virtual Server has no SR-IOV (its VMs have the emulated 21140 only); remove sriov or set host.platform: hyperv")
        expectOneError(
            vs + "  - {name: vm, adapters: [{network: lan}]}\ntimeline: [{at: 1ms, remove_vf: vm}]\n", 6, 12,
            "Virtual Server has no SR-IOV (its VMs have emulated adapters only); remove this entry or set host.platform: hyperv")
    }
}
